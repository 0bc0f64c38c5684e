package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/server"
)

// tabTo presses Tab until the element with id has the keyboard focus,
// failing t (with the focus order seen) after 80 presses.
func tabTo(t *testing.T, tab context.Context, id string) {
	t.Helper()
	var seen []string
	for range 80 {
		run(t, tab, "pressing Tab", chromedp.KeyEvent(kb.Tab))
		at := eval[string](t, tab, "reading the focus", `document.activeElement ? (document.activeElement.id || document.activeElement.tagName) : ""`)
		if at == id {
			return
		}
		seen = append(seen, at)
	}
	t.Fatalf("Tab never reached #%s; the focus went through %q", id, seen)
}

// focusRing returns the contrast of the focused element's outline with
// the page's background, 0 when it has no visible outline.
const focusRing = `(() => {
  const e = document.activeElement, s = getComputedStyle(e);
  if (s.outlineStyle === "none" || parseFloat(s.outlineWidth) < 2) return 0;
  const p = (c) => c.match(/[\d.]+/g).map(Number);
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const a = lum(p(s.outlineColor)), b = lum(p(getComputedStyle(document.body).backgroundColor));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
})()`

// TestBrowserKeyboard is item 7's keyboard use: a person plays UA's turn
// with key events only, Tab to reach each control, the arrow keys to
// choose each issue's value and Enter to make the offer, which RU
// accepts; the focused control shows a ring of at least 3:1 contrast
// (WCAG's non-text contrast).
func TestBrowserKeyboard(t *testing.T) {
	g := startGame(t, "boulware:ac=const(c=0.6)")
	ts, c, id, owner, tab := g.ts, g.c, g.id, g.owner, g.tab
	target := c.agreeable()
	if target < 0 {
		t.Fatal("no outcome RU accepts at once that crosses no red line")
	}
	want := c.choice(target)
	for i, is := range c.issues {
		sel := "issue-" + is
		tabTo(t, tab, sel)
		if ring := eval[float64](t, tab, "measuring the focus ring", focusRing); ring < 3 {
			t.Errorf("#%s has the focus with a ring of contrast %.2f, want at least 3", sel, ring)
		}
		cur := eval[int](t, tab, "reading "+sel, `Number(document.activeElement.value)`)
		key, n := kb.ArrowDown, want[i]-cur
		if n < 0 {
			key, n = kb.ArrowUp, -n
		}
		for range n {
			run(t, tab, "pressing an arrow key on "+sel, chromedp.KeyEvent(key))
		}
		if got := eval[int](t, tab, "reading "+sel, `Number(document.getElementById("`+sel+`").value)`); got != want[i] {
			t.Fatalf("%s: value %d after the arrow keys, want %d", sel, got, want[i])
		}
		if at := eval[string](t, tab, "reading the focus", `document.activeElement.id`); at != sel {
			t.Fatalf("after choosing a value of %s, the focus moved to %q", sel, at)
		}
	}
	if got, want := text(t, tab, "#offer-utility"), u3(c.ua.Utility.Utility(parley.Outcome(target))); got != want {
		t.Errorf("the builder shows utility %s, want %s", got, want)
	}
	tabTo(t, tab, "offer")
	if ring := eval[float64](t, tab, "measuring the focus ring", focusRing); ring < 3 {
		t.Errorf("#offer has the focus with a ring of contrast %.2f, want at least 3", ring)
	}
	run(t, tab, "pressing Enter on Make this offer", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#ended")))
	if got := text(t, tab, "#ended"); got != "Agreement reached" {
		t.Fatalf("ending %q, want an agreement", got)
	}
	if got := outcomeText(t, tab, "agreement"); got != c.describe(target) {
		t.Errorf("agreement %q, want %q", got, c.describe(target))
	}
	log := logActions(t, ts.URL, id, owner)
	if n := len(log); n < 2 || log[n-2].typ != "offer" || log[n-2].party != c.uaParty || log[n-2].outcome != target {
		t.Errorf("the log's last actions %+v, want UA's offer of %d", log, target)
	}
}

// TestBrowserKeyboardAccept: on UA's page, Enter on Walk away asks once
// more with the focus on the confirmation, Tab and Enter on Cancel take it
// back, and Tab and Enter on Accept accept RU's offer (RU is a remote
// seat that the test plays over the API, offering an outcome within both
// sides' red lines).
func TestBrowserKeyboardAccept(t *testing.T) {
	bctx := browser(t)
	ts := newServer(t)
	c := loadCeasefire(t)
	seats := make([]server.Seat, 3)
	for i := range seats {
		seats[i] = server.Seat{Kind: "strategy", Spec: "boulware"}
	}
	seats[c.ruParty], seats[c.uaParty] = server.Seat{Kind: "remote"}, server.Seat{Kind: "remote"}
	body, _ := json.Marshal(server.CreateRequest{Scenario: "ceasefire", Protocol: "staged", Variant: "bilateral_only", Seats: seats})
	r, err := http.Post(ts.URL+"/negotiations", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var cr server.CreateResponse
	err = json.NewDecoder(r.Body).Decode(&cr)
	r.Body.Close()
	if err != nil || r.StatusCode != http.StatusCreated {
		t.Fatalf("creating the negotiation: %s, %v", r.Status, err)
	}
	target := c.agreeable()
	step, _ := nextTurn(t, ts.URL, cr.ID, cr.Tokens.Seats[c.ruParty], 0)
	postAction(t, ts.URL, cr.ID, cr.Tokens.Seats[c.ruParty], fmt.Sprintf(`{"step": %d, "action": "offer", "outcome": %d}`, step, target))

	tab, _ := openSeat(t, bctx, ts.URL, "#/seat/"+cr.ID+"/"+cr.Tokens.Seats[c.uaParty], "#accept:not([disabled])")
	tabTo(t, tab, "walk")
	run(t, tab, "pressing Enter on Walk away", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#walk-confirm")))
	if at := eval[string](t, tab, "reading the focus", `document.activeElement.id`); at != "walk-confirm" {
		t.Errorf("after Walk away, the focus is on %q, want the confirmation", at)
	}
	run(t, tab, "pressing Tab", chromedp.KeyEvent(kb.Tab))
	if at := eval[string](t, tab, "reading the focus", `document.activeElement.id`); at != "walk-cancel" {
		t.Fatalf("Tab from the confirmation reached %q, want Cancel", at)
	}
	run(t, tab, "pressing Enter on Cancel", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#walk")))
	// From the top of the page, Tab reaches Accept.
	run(t, tab, "moving the focus to the page", chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`))
	tabTo(t, tab, "accept")
	run(t, tab, "pressing Enter on Accept", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#ended")))
	if got := text(t, tab, "#ended"); got != "Agreement reached" {
		t.Fatalf("ending %q, want an agreement", got)
	}
	if got := outcomeText(t, tab, "agreement"); got != c.describe(target) {
		t.Errorf("agreement %q, want RU's offer %q", got, c.describe(target))
	}
	log := logActions(t, ts.URL, cr.ID, cr.Tokens.Owner)
	if n := len(log); n == 0 || log[n-1].typ != "accept" || log[n-1].party != c.uaParty {
		t.Errorf("the log's last action %+v, want UA's acceptance", log)
	}
}

// unlabelledLinks lists the page's links without text or aria-label.
const unlabelledLinks = `[...document.querySelectorAll("a[href]")].filter(a => !a.textContent.trim() && !a.getAttribute("aria-label")).map(a => a.outerHTML.slice(0, 100))`

// overflow lists what sticks out of the viewport sideways: the page
// wider than the window, and each rendered control not wholly inside it.
const overflow = `(() => {
  const w = document.documentElement.clientWidth, bad = [];
  if (document.documentElement.scrollWidth > w) bad.push("the page is " + document.documentElement.scrollWidth + " px wide in a window of " + w);
  for (const e of document.querySelectorAll("input:not([type=hidden]), select, textarea, button, a[href], meter")) {
    if (!e.getClientRects().length || e.closest(".sr-only")) continue;
    const r = e.getBoundingClientRect();
    let clipped = false;
    for (let p = e.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX !== "visible") { const q = p.getBoundingClientRect(); clipped = clipped || r.left < q.left - 0.5 || r.right > q.right + 0.5; }
    }
    if (r.width <= 0 || r.left < -0.5 || r.right > w + 0.5 || clipped) bad.push(e.outerHTML.slice(0, 80) + " at " + Math.round(r.left) + ".." + Math.round(r.right));
  }
  return bad;
})()`

// okabeIto is the palette the charts use (style.css's --oi-* variables).
var okabeIto = map[string]string{
	"--oi-black": "#000000", "--oi-orange": "#e69f00", "--oi-sky-blue": "#56b4e9", "--oi-bluish-green": "#009e73",
	"--oi-yellow": "#f0e442", "--oi-blue": "#0072b2", "--oi-vermillion": "#d55e00", "--oi-reddish-purple": "#cc79a7",
}

// page is one page of the UI in its own tab, with what it requested.
type uiPage struct {
	name string
	tab  context.Context
	tr   *traffic
}

// checkPage checks one page at 1280×800 and at a phone's 390×844: every
// control has an accessible name, text has at least 4.5:1 contrast,
// nothing sticks out sideways, and (at the end of the test) every request
// went to the server's own origin.
func checkPage(t *testing.T, p uiPage) {
	t.Helper()
	for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
		where := fmt.Sprintf("%s at %d×%d", p.name, size[0], size[1])
		run(t, p.tab, "sizing the window", chromedp.EmulateViewport(size[0], size[1]))
		checkReadable(t, p.tab, where)
		if bad := eval[[]string](t, p.tab, "finding unlabelled links", unlabelledLinks); len(bad) > 0 {
			t.Errorf("%s: links without a name: %q", where, bad)
		}
		if bad := eval[[]string](t, p.tab, "measuring the layout", overflow); len(bad) > 0 {
			t.Errorf("%s: sticks out of the window: %q", where, bad)
		}
	}
	run(t, p.tab, "sizing the window", chromedp.EmulateViewport(1280, 800))
}

// checkSameOrigin fails t for any request of tr outside base's origin
// (the Content-Security-Policy forbids them; this checks the pages ask
// for none).
func checkSameOrigin(t *testing.T, name string, tr *traffic, base string) {
	t.Helper()
	host := strings.TrimPrefix(base, "http://")
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if len(tr.requests) == 0 {
		t.Errorf("%s: the capture saw no request at all", name)
	}
	for _, u := range tr.requests {
		if !strings.HasPrefix(u, base+"/") && !strings.HasPrefix(u, "ws://"+host+"/") {
			t.Errorf("%s requested %s, outside %s", name, u, base)
		}
	}
}

// TestBrowserPages is item 7 over every page: the home page, a person's
// seat (at its turn and after the ending), the watch pages of the observer
// and the owner (with the replay), the analyst's view and the mediator's
// console, each at
// 1280×800 and at phone width, have named controls, readable text, no
// sideways overflow and no request to another origin; the style sheet
// defines the Okabe–Ito palette.
func TestBrowserPages(t *testing.T) {
	bctx := browser(t)
	ts := newServer(t)
	c := loadCeasefire(t)
	home := uiPage{"the home page", bctx, capture(t, bctx)}
	id, join, _ := startFromHome(t, bctx, ts.URL, c, "staged:bilateral_only", "boulware")
	checkPage(t, home)
	got := eval[map[string]string](t, bctx, "reading the palette", `(() => { const s = getComputedStyle(document.documentElement), o = {};
	  for (const n of Object.keys(`+mustJSON(t, okabeIto)+`)) o[n] = s.getPropertyValue(n).trim().toLowerCase(); return o; })()`)
	for name, want := range okabeIto {
		if got[name] != want {
			t.Errorf("style.css: %s is %q, want Okabe–Ito's %s", name, got[name], want)
		}
	}
	stored := eval[string](t, bctx, "reading the tokens", `localStorage.getItem("parley.tokens.`+id+`")`)
	var tokens struct{ Owner, Observer string }
	if err := json.Unmarshal([]byte(stored), &tokens); err != nil {
		t.Fatal(err)
	}

	seatTab, seatTr := openSeat(t, bctx, ts.URL, join, "#offer:not([disabled])")
	seat := uiPage{"the seat's page", seatTab, seatTr}
	checkPage(t, seat)
	run(t, seatTab, "walking away",
		chromedp.Click(chromedp.CSS("#walk")), chromedp.WaitVisible(chromedp.CSS("#walk-confirm")),
		chromedp.Click(chromedp.CSS("#walk-confirm")), chromedp.WaitVisible(chromedp.CSS("#ended")))
	seat.name = "the seat's page after the ending"
	checkPage(t, seat)

	pages := []uiPage{home, seat}
	for _, w := range []struct{ name, token string }{{"the observer's watch page", tokens.Observer}, {"the owner's watch page", tokens.Owner}} {
		tab := newTab(t, bctx)
		p := uiPage{w.name, tab, capture(t, tab)}
		run(t, tab, "opening "+w.name, chromedp.Navigate(ts.URL+"/#/watch/"+id+"/"+w.token), chromedp.WaitVisible(chromedp.CSS("#replay")))
		checkPage(t, p)
		pages = append(pages, p)
	}

	tab := newTab(t, bctx)
	explore := uiPage{"the analyst's view", tab, capture(t, tab)}
	run(t, tab, "opening the analyst's view", chromedp.Navigate(ts.URL+"/#/explore/"+id+"/"+tokens.Owner),
		chromedp.WaitVisible(chromedp.CSS(`#explore-canvas[data-drawn="0,1"]`)))
	checkPage(t, explore)
	pages = append(pages, explore)

	mjoin, _, _ := startMediation(t, bctx, ts.URL)
	tab = newTab(t, bctx)
	console := uiPage{"the mediator's console", tab, capture(t, tab)}
	run(t, tab, "opening the mediator's chair", chromedp.Navigate(ts.URL+"/"+mjoin), chromedp.WaitVisible(chromedp.CSS("#propose:not([disabled])")))
	checkPage(t, console)
	pages = append(pages, console)

	for _, p := range pages {
		p.tr.wg.Wait()
		checkSameOrigin(t, p.name, p.tr, ts.URL)
	}
}

// mustJSON is v in JSON.
func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLeaksFound: flow 5's search (leaks) finds each kind of another
// party's private data in a payload, and nothing in UA's own session.
func TestLeaksFound(t *testing.T) {
	c := loadCeasefire(t)
	table := func(p *parley.Profile) []float64 {
		us := make([]float64, c.size)
		for o := range us {
			us[o] = p.Utility.Utility(parley.Outcome(o))
		}
		return us
	}
	session := func(party int, p *parley.Profile) string {
		var lines []server.Value
		for _, v := range p.Vetoes {
			lines = append(lines, server.Value{Issue: c.issues[v.Issue], Value: c.values[v.Issue][v.Value]})
		}
		return mustJSON(t, map[string]any{"seq": 3, "type": "session", "audience": fmt.Sprintf("seat:%d", party),
			"session": server.Session{Party: party, Name: "x", Utilities: table(p), Reservation: p.Reservation, RedLines: lines}})
	}
	ruTable := table(c.ru)
	ruLine := c.ru.Vetoes[0]
	w := c.ru.Utility.(interface{ Weights() []float64 }).Weights()
	report := func(payload string) []string {
		var got []string
		leaks(t, c, map[string]string{"WebSocket frame 0": payload}, func(f string, a ...any) { got = append(got, fmt.Sprintf(f, a...)) })
		return got
	}
	if got := report(session(c.uaParty, c.ua)); len(got) > 0 {
		t.Errorf("UA's own session reported: %q", got)
	}
	for what, payload := range map[string]string{
		"RU's session":               session(c.ruParty, c.ru),
		"RU's utilities, unlabelled": mustJSON(t, map[string]any{"table": ruTable}),
		"RU's reservation value":     `{"party":` + fmt.Sprint(c.ruParty) + `,"reservation":0.5}`,
		"RU's red line as text":      `{"note":"` + c.issues[ruLine.Issue] + " = " + c.values[ruLine.Issue][ruLine.Value] + `"}`,
		"RU's weights":               mustJSON(t, map[string]any{"w": w}),
		"a weights key":              `{"weights":{}}`,
		"the mediator's declared":    `{"declared":[]}`,
		"an owner's event":           `{"seq":1,"type":"analysis","audience":"owner"}`,
		"RU's vote":                  fmt.Sprintf(`{"type":"accept","vote":{"party":%d,"accept":true}}`, c.ruParty),
	} {
		if got := report(payload); len(got) == 0 {
			t.Errorf("%s went unreported: %.200s", what, payload)
		}
	}
}

// TestBrowserHomeAdminToken: on a server with an admin token, the home
// page says it cannot read the catalog until the token is entered, and
// then offers the catalog's form and lists the negotiations, the focus
// staying on Save.
func TestBrowserHomeAdminToken(t *testing.T) {
	bctx := browser(t)
	ts := newServerAdmin(t, "s3cret")
	run(t, bctx, "opening the home page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#admin-token")))
	waitFor(t, bctx, "the page says it needs the token", `document.body.innerText.includes("Cannot read the server's catalog: this server needs its admin token")`)
	if eval[bool](t, bctx, "looking for the form", `!!document.getElementById("new-negotiation")`) {
		t.Error("the form shows without the admin token")
	}
	// The page opens the token's panel after a 401.
	run(t, bctx, "entering the admin token",
		chromedp.WaitVisible(chromedp.CSS("details[open] #admin-token")),
		chromedp.SendKeys(chromedp.CSS("#admin-token"), "s3cret"),
		chromedp.Click(chromedp.CSS("#admin-save")),
		chromedp.WaitVisible(chromedp.CSS("#new-negotiation")))
	checkFormCatalog(t, bctx)
	waitFor(t, bctx, "the list shows", `document.body.innerText.includes("No negotiations yet.")`)
	if at := eval[string](t, bctx, "reading the focus", `document.activeElement.id`); at != "admin-save" {
		t.Errorf("after the list's refresh the focus is on %q, want Save", at)
	}
}

// TestBrowserResultsPages is TestBrowserPages over the results pages: the
// list, a tournament's and an experiment's, each at 1280×800 and at phone
// width.
func TestBrowserResultsPages(t *testing.T) {
	bctx := browser(t)
	base, _, _, _ := resultsServer(t)
	for _, p := range []struct{ name, link, ready string }{
		{"the list of results", "#/results", "#result-sets"},
		{"a tournament's results", "#/results/tour", "#leaderboard-chart"},
		{"an experiment's results", "#/results/seq", "#agreement-chart"},
	} {
		tab := newTab(t, bctx)
		pg := uiPage{p.name, tab, capture(t, tab)}
		run(t, tab, "opening "+p.name, chromedp.Navigate(base+"/"+p.link), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		checkPage(t, pg)
		pg.tr.wg.Wait()
		checkSameOrigin(t, p.name, pg.tr, base)
	}
}
