package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
)

// offerRows reads the list of offers: round, by, the seat's utility,
// action and the outcome's values, for each action.
const offerRows = `[...document.querySelectorAll("#offer-list tr.action")].map(r =>
  [...[...r.cells].slice(0, 4).map(c => c.textContent), r.nextElementSibling.cells[0].textContent])`

// u3 is the page's text of a utility.
func u3(u float64) string { return fmt.Sprintf("%.3f", u) }

// startFromHome creates a ceasefire negotiation with the home page's form
// (protocol as the form's select has it; RU's seat plays ruSpec, UA's is
// a person, US's plays boulware where it negotiates) and returns its id, UA's join link and the owner's token.
func startFromHome(t *testing.T, ctx context.Context, base string, c *ceasefire, protocol, ruSpec string) (id, join, owner string) {
	t.Helper()
	run(t, ctx, "filling the new-negotiation form",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS("#new-negotiation")),
		chromedp.SetValue(chromedp.CSS("#protocol"), protocol),
		chromedp.SetValue(chromedp.CSS("#seed"), "7"),
		chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`input[name="seat-%d-spec"]`, c.ruParty)), ruSpec),
		chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`select[name="seat-%d-kind"]`, c.uaParty)), "person"),
		chromedp.Click(chromedp.CSS(`#new-negotiation button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#join-links a.join")),
		chromedp.WaitVisible(chromedp.CSS("#negotiations")),
	)
	checkFormCatalog(t, ctx)
	href := eval[string](t, ctx, "reading the join link", `document.querySelector("#join-links a.join").getAttribute("href")`)
	parts := strings.Split(strings.TrimPrefix(href, "#/seat/"), "/")
	if len(parts) != 2 {
		t.Fatalf("join link %q: want #/seat/ID/TOKEN", href)
	}
	id = parts[0]
	if got := text(t, ctx, "#created h2"); got != "Negotiation "+id+" started" {
		t.Errorf("created panel says %q", got)
	}
	if got := text(t, ctx, "#negotiations tbody tr td:nth-child(3)"); got != "running" && got != "ended" {
		t.Errorf("the list shows status %q for %s", got, id)
	}
	stored := eval[string](t, ctx, "reading the owner's token", `localStorage.getItem("parley.tokens.`+id+`")`)
	var tokens struct {
		Owner string   `json:"owner"`
		Seats []string `json:"seats"`
	}
	if err := json.Unmarshal([]byte(stored), &tokens); err != nil {
		t.Fatalf("stored tokens %q: %v", stored, err)
	}
	if tokens.Seats[c.uaParty] != parts[1] || tokens.Seats[c.ruParty] != "" {
		t.Fatalf("join link token %q, stored seats %q", parts[1], tokens.Seats)
	}
	return id, href, tokens.Owner
}

// checkFormCatalog: the new-negotiation form offers the server's catalog
// (GET /catalog): the built-in scenarios, the ceasefire's declared stages
// and variants, and the strategies of the server's registries.
func checkFormCatalog(t *testing.T, ctx context.Context) {
	t.Helper()
	options := func(sel string) string {
		return eval[string](t, ctx, "reading "+sel, `[...document.querySelectorAll("`+sel+`")].map(o => o.value).join(",")`)
	}
	if got, want := options("#scenario option"), strings.Join(catalog.Names(), ","); got != want {
		t.Errorf("the form offers scenarios %s, want %s", got, want)
	}
	s, err := catalog.Builtin("ceasefire")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"sao", "staged:"}
	for _, v := range plan.Variants(s) {
		want = append(want, "staged:"+v)
	}
	if got := options("#protocol option"); got != strings.Join(want, ",") {
		t.Errorf("the form offers protocols %s, want %s", got, strings.Join(want, ","))
	}
	if got, want := options("#strategies option"), strings.Join(strategy.Negotiators().Names(), ","); got != want {
		t.Errorf("the form offers strategies %s, want %s", got, want)
	}
	if got, want := options("#mediators option"), strings.Join(mediator.Mediators().Names(), ","); got != want {
		t.Errorf("the form offers mediators %s, want %s", got, want)
	}
}

// openSeat opens the join link in a new tab, recording its traffic, and
// waits for the seat's first turn (the element ready shows).
func openSeat(t *testing.T, bctx context.Context, base, join, ready string) (context.Context, *traffic) {
	t.Helper()
	tab := newTab(t, bctx)
	tr := capture(t, tab)
	run(t, tab, "opening the seat's page",
		chromedp.Navigate(base+"/"+join),
		chromedp.WaitVisible(chromedp.CSS(ready)))
	return tab, tr
}

// firstTurn checks the seat page at UA's first turn against the owner's
// lens: RU's opening offer on the table and in the list, with UA's
// utility of it; it returns RU's offer and the turn's time.
func firstTurn(t *testing.T, tab context.Context, base, id, owner string, c *ceasefire) (ruOffer int, now float64) {
	t.Helper()
	ruOffer = -1
	var timeout int64
	for _, e := range ownerEvents(t, base, id, owner) {
		var typ string
		json.Unmarshal(e["type"], &typ)
		switch typ {
		case "offer":
			var a struct{ Party, Outcome int }
			json.Unmarshal(e["action"], &a)
			if a.Party == c.ruParty && ruOffer < 0 {
				ruOffer = a.Outcome
			}
		case "turn":
			var tu struct {
				Time      float64
				TimeoutMS int64 `json:"timeout_ms"`
			}
			json.Unmarshal(e["turn"], &tu)
			now, timeout = tu.Time, tu.TimeoutMS
		}
	}
	if ruOffer < 0 {
		t.Fatal("the owner's lens shows no offer of RU before UA's turn")
	}
	if got := text(t, tab, "h1"); !strings.HasPrefix(got, "You are UA") {
		t.Errorf("heading %q", got)
	}
	// The deadline and the time left: the rounds, and the turn's countdown.
	if got, want := text(t, tab, "#clock"), fmt.Sprintf("Round 1 of 120 · 119 rounds left after this one · %.0f%% of the time left · stage bilateral (direct talks with RU)", math.Round((1-now)*100)); got != want {
		t.Errorf("clock %q, want %q", got, want)
	}
	var secs int64
	if got := text(t, tab, "#timer"); timeout <= 0 || func() bool { _, err := fmt.Sscanf(got, "%d s left to answer.", &secs); return err != nil }() || secs <= 0 || secs > timeout/1000 {
		t.Errorf("countdown %q, want at most the turn's %d ms in seconds", got, timeout)
	}
	// The reservation value and the red lines are the seat's own, as its
	// session states them.
	var lines []string
	for _, v := range c.ua.Vetoes {
		lines = append(lines, words(c.issues[v.Issue])+" = "+words(c.values[v.Issue][v.Value]))
	}
	wantRes := "Your reservation value (what walking away pays you): " + u3(c.ua.ReservationAt(now))
	if len(lines) > 0 {
		wantRes += " · your red lines: " + strings.Join(lines, ", ")
	}
	if got := text(t, tab, "#reservation"); got != wantRes {
		t.Errorf("reservation %q, want %q", got, wantRes)
	}
	// Accepting RU's offer warns exactly when it is below UA's reservation
	// value or crosses its red lines.
	w := eval[string](t, tab, "reading the warning on the table", `document.querySelector("#table .warning")?.textContent ?? ""`)
	u := c.ua.Utility.Utility(parley.Outcome(ruOffer))
	if below := u < c.ua.ReservationAt(now); strings.Contains(w, "below your reservation value") != below {
		t.Errorf("RU's offer: utility %.3f, reservation %.3f: warning %q", u, c.ua.ReservationAt(now), w)
	}
	if vetoed := c.ua.Vetoed(parley.Outcome(ruOffer)); strings.Contains(w, "red line") != vetoed || vetoed && !strings.HasPrefix(w, "Warning (accepting)") {
		t.Errorf("RU's offer: vetoed %v: warning %q", vetoed, w)
	}
	checkAcceptBlocked(t, tab, "#accept", c.ua.Vetoed(parley.Outcome(ruOffer)))
	if got := outcomeText(t, tab, "standing"); got != c.describe(ruOffer) {
		t.Errorf("on the table %q, want RU's offer %q", got, c.describe(ruOffer))
	}
	want := u3(c.ua.Utility.Utility(parley.Outcome(ruOffer)))
	if got := text(t, tab, "#standing-utility"); got != want {
		t.Errorf("UA's utility of the standing offer shows %s, want %s", got, want)
	}
	rows := eval[[][]string](t, tab, "reading the offer list",
		offerRows)
	if len(rows) != 1 || len(rows[0]) < 5 || rows[0][1] != "RU" || rows[0][2] != want || rows[0][4] != c.valueText(ruOffer) {
		t.Errorf("offer list %q, want RU's offer with UA's utility %s", rows, want)
	}
	return ruOffer, now
}

// checkAcceptBlocked: the accept button (sel) is disabled, saying why,
// exactly when the outcome crosses the seat's own red line (the protocols
// end the negotiation with an error when a party accepts one).
func checkAcceptBlocked(t *testing.T, tab context.Context, sel string, vetoed bool) {
	t.Helper()
	disabled := eval[bool](t, tab, "reading "+sel, `document.querySelector("`+sel+`").disabled`)
	note := eval[string](t, tab, "reading the note", `document.getElementById("accept-blocked")?.textContent ?? ""`)
	if disabled != vetoed || strings.Contains(note, "crosses your red line") != vetoed {
		t.Errorf("%s: the outcome crosses UA's red line: %v; the button is disabled: %v, the note says %q", sel, vetoed, disabled, note)
	}
}

// outcomeText reads the outcome the page lists (dl#id) as "issue: value; ...".
func outcomeText(t *testing.T, tab context.Context, id string) string {
	t.Helper()
	return eval[string](t, tab, "reading #"+id, `[...document.querySelectorAll("#`+id+` dt")].map(dt => dt.textContent + ": " + dt.nextElementSibling.textContent).join("; ")`)
}

// setOffer sets the offer builder to outcome o, one control per issue, as
// a person choosing each value does.
func setOffer(t *testing.T, tab context.Context, c *ceasefire, o int) {
	t.Helper()
	for i, v := range c.choice(o) {
		js := fmt.Sprintf(`(() => { const s = document.getElementById("issue-%s"); s.value = "%d"; s.dispatchEvent(new Event("change")); return s.value; })()`, c.issues[i], v)
		eval[string](t, tab, "choosing "+c.issues[i], js)
	}
}

// builderWarning returns the text of the offer builder's warning, "" for none.
func builderWarning(t *testing.T, tab context.Context) string {
	return eval[string](t, tab, "reading the warning", `document.querySelector("#builder .warning")?.textContent ?? ""`)
}

// checkWarnings: the builder warns about an offer below UA's reservation
// value or across its red lines, and only then.
func checkWarnings(t *testing.T, tab context.Context, c *ceasefire, o int, now float64) {
	t.Helper()
	setOffer(t, tab, c, o)
	u := c.ua.Utility.Utility(parley.Outcome(o))
	if got := text(t, tab, "#offer-utility"); got != u3(u) {
		t.Errorf("builder shows utility %s for %s, want %s", got, c.describe(o), u3(u))
	}
	w := builderWarning(t, tab)
	below := u < c.ua.ReservationAt(now)
	if strings.Contains(w, "below your reservation value") != below {
		t.Errorf("utility %.3f, reservation %.3f: warning %q", u, c.ua.ReservationAt(now), w)
	}
	if strings.Contains(w, "red line") != c.ua.Vetoed(parley.Outcome(o)) {
		t.Errorf("vetoed %v: warning %q", c.ua.Vetoed(parley.Outcome(o)), w)
	}
}

// agreeable returns the outcome best for UA that RU takes at once under
// ac=const(c=0.6): RU's utility at least 0.6, no red line of either
// crossed, ratified for sure.
func (c *ceasefire) agreeable() int {
	best, bu := -1, -1.0
	for o := range c.size {
		out := parley.Outcome(o)
		if c.ru.Utility.Utility(out) < 0.62 || c.ru.Vetoed(out) || c.ua.Vetoed(out) ||
			c.ru.RatifyProb(out) < 1 || c.ua.RatifyProb(out) < 1 {
			continue
		}
		if u := c.ua.Utility.Utility(out); u > bu {
			best, bu = o, u
		}
	}
	return best
}

// uaResult reads UA's result in the owner's lens.
func uaResult(t *testing.T, base, id, owner string, c *ceasefire) float64 {
	t.Helper()
	for _, e := range ownerEvents(t, base, id, owner) {
		var typ string
		json.Unmarshal(e["type"], &typ)
		if typ == "result" {
			var r struct {
				Party   int
				Utility float64
			}
			json.Unmarshal(e["result"], &r)
			if r.Party == c.uaParty {
				return r.Utility
			}
		}
	}
	t.Fatal("the owner's lens has no result for UA")
	return math.NaN()
}

// TestBrowserPlayAgreement is flow 1 of issue 12 to an agreement: a person
// plays UA against a built-in RU in the ceasefire's direct talks, with the
// home page's form, the join link and the seat's page, and the page shows
// what the owner's lens confirms. It is also flow 5: the seat's page
// receives no other party's private data.
func TestBrowserPlayAgreement(t *testing.T) {
	bctx := browser(t)
	ts := newServer(t)
	c := loadCeasefire(t)
	id, join, owner := startFromHome(t, bctx, ts.URL, c, "staged:bilateral_only", "boulware:ac=const(c=0.6)")
	screenshot(t, bctx, "home")
	checkReadable(t, bctx, "the home page")
	tab, tr := openSeat(t, bctx, ts.URL, join, "#offer:not([disabled])")
	ruOffer, now := firstTurn(t, tab, ts.URL, id, owner, c)

	// UA first offers its best outcome, which RU refuses: the page shows
	// UA's offer in the list and UA's next turn, with RU's new offer.
	bestUA := 0
	for o := range c.size {
		if c.ua.Utility.Utility(parley.Outcome(o)) > c.ua.Utility.Utility(parley.Outcome(bestUA)) {
			bestUA = o
		}
	}
	if c.ru.Utility.Utility(parley.Outcome(bestUA)) >= 0.6 {
		t.Fatal("RU would accept UA's best outcome: the test needs one it refuses")
	}
	step := eval[string](t, tab, "reading the turn's step", `document.getElementById("table-h").dataset.step`)
	run(t, tab, "offering UA's best outcome",
		chromedp.Click(chromedp.CSS("#offer")),
		chromedp.WaitVisible(chromedp.CSS(`#table-h:not([data-step="`+step+`"])`)),
		chromedp.WaitVisible(chromedp.CSS("#offer:not([disabled])")))
	rows := eval[[][]string](t, tab, "reading the offer list",
		offerRows)
	if len(rows) != 3 || rows[1][1] != "you" || rows[1][3] != "offered" || rows[1][4] != c.valueText(bestUA) || rows[1][2] != "1.000" || rows[0][1] != "RU" {
		t.Errorf("after UA's offer, the list shows %q", rows)
	}
	// The seat charts its own utility (only) of every offer, by who made it.
	chart := eval[[]string](t, tab, "reading the own-utility chart", `[...document.querySelectorAll("#own-utility-chart table tbody tr")].map(r => r.cells[0].textContent + " " + r.cells[3].textContent)`)
	if want := []string{"your offers 1.000", "RU's offers " + rows[2][2], "RU's offers " + rows[0][2]}; !slices.Equal(chart, want) {
		t.Errorf("the own-utility chart shows %q, want %q", chart, want)
	}

	// The builder warns on RU's own offer (across UA's red lines or below
	// its reservation value), then on the outcome the test plays.
	checkWarnings(t, tab, c, ruOffer, now)
	target := c.agreeable()
	if target < 0 {
		t.Fatal("no outcome RU accepts at once that crosses no red line")
	}
	checkWarnings(t, tab, c, target, now)

	// The keyboard moves the first issue's control; the utility follows.
	first := c.choice(target)[0]
	if first+1 < len(c.values[0]) {
		run(t, tab, "pressing the down arrow on the first issue", chromedp.Focus(chromedp.CSS("#issue-"+c.issues[0])), chromedp.KeyEvent(kb.ArrowDown))
		ch := c.choice(target)
		ch[0]++
		o := 0
		for i, v := range ch {
			o = o*len(c.values[i]) + v
		}
		if got, want := text(t, tab, "#offer-utility"), u3(c.ua.Utility.Utility(parley.Outcome(o))); got != want {
			t.Errorf("after the down arrow: utility %s, want %s", got, want)
		}
		setOffer(t, tab, c, target)
	}
	screenshot(t, tab, "seat")
	checkReadable(t, tab, "the seat's page")

	run(t, tab, "making the offer", chromedp.Click(chromedp.CSS("#offer")), chromedp.WaitVisible(chromedp.CSS("#ended")))
	if got := text(t, tab, "#ended"); got != "Agreement reached" {
		t.Fatalf("ending %q, want an agreement", got)
	}
	if got := outcomeText(t, tab, "agreement"); got != c.describe(target) {
		t.Errorf("agreement %q, want %q", got, c.describe(target))
	}
	res := uaResult(t, ts.URL, id, owner, c)
	if got := text(t, tab, "#result"); !strings.HasPrefix(got, "Your result: utility "+u3(res)) {
		t.Errorf("result %q, want UA's %s", got, u3(res))
	} else if strings.Contains(got, "discount") && !strings.Contains(got, " (after discounting for the time taken: ") {
		t.Errorf("result %q: the discount is not said in words", got)
	}
	screenshot(t, tab, "seat-agreement")
	checkReadable(t, tab, "the seat's page after the agreement")

	// The home page's list refreshes itself: the negotiation has ended.
	waitFor(t, bctx, "the home page's list shows the negotiation ended", `document.querySelector("#negotiations tbody tr td:nth-child(3)")?.textContent === "ended"`)
	checkNoLeak(t, tr, ts.URL, c)
	checkWatch(t, bctx, ts.URL, id, owner, c, target, res)
}

// checkWatch: the watch pages of the finished negotiation, through the
// observer's and the owner's links of the home page, show its stage, its
// actions and its ending; the observer's page receives no utilities, no
// session and no result.
func checkWatch(t *testing.T, bctx context.Context, base, id, owner string, c *ceasefire, agreement int, uaRes float64) {
	t.Helper()
	var actions int
	for _, e := range ownerEvents(t, base, id, owner) {
		var typ string
		json.Unmarshal(e["type"], &typ)
		if typ == "offer" || typ == "accept" || typ == "walk_away" {
			actions++
		}
	}
	link := func(sel string) string {
		return eval[string](t, bctx, "reading "+sel, `document.querySelector("`+sel+`").getAttribute("href")`)
	}
	observer, ownerLink := link("#watch-observer"), link("#watch-owner")
	for _, tc := range []struct{ lens, link string }{{"observer", observer}, {"owner", ownerLink}} {
		watchTab(t, bctx, base, id, owner, c, agreement, uaRes, actions, tc.lens, tc.link)
	}
}

// watchTab opens link, lens's watch page, in a tab of its own and checks it.
func watchTab(t *testing.T, bctx context.Context, base, id, owner string, c *ceasefire, agreement int, uaRes float64, actions int, lens, link string) {
	t.Helper()
	tc := struct{ lens, link string }{lens, link}
	{
		tab := newTab(t, bctx)
		tr := capture(t, tab)
		run(t, tab, "opening the "+tc.lens+"'s watch page", chromedp.Navigate(base+"/"+tc.link), chromedp.WaitVisible(chromedp.CSS("#ended")))
		waitFor(t, tab, "the page names the "+tc.lens+"'s lens", `document.getElementById("watch-status").textContent.includes("the `+tc.lens+`'s view")`)
		if got := text(t, tab, "#ended"); got != "Agreement reached" {
			t.Errorf("%s: ending %q", tc.lens, got)
		}
		// The page says what its lens shows, and links home.
		if got, want := text(t, tab, "#lens-hint"), map[string]string{"owner": "As the negotiation's owner you see everything", "observer": "As an observer you see what anyone may see"}[tc.lens]; !strings.HasPrefix(got, want) {
			t.Errorf("%s: the lens is explained as %q, want %q...", tc.lens, got, want)
		}
		if got := eval[string](t, tab, "reading the home link", `document.querySelector(".home-link")?.getAttribute("href") ?? ""`); got != "#/" {
			t.Errorf("%s: home link %q", tc.lens, got)
		}
		if got := outcomeText(t, tab, "agreement"); got != c.describe(agreement) {
			t.Errorf("%s: agreement %q, want %q", tc.lens, got, c.describe(agreement))
		}
		if got := text(t, tab, "#timeline li.stage"); !strings.HasPrefix(got, "Stage 1, bilateral: direct talks (alternating offers) between RU and UA; rounds 1–120 of the plan's 120 · the negotiation ended here") {
			t.Errorf("%s: stages %q", tc.lens, got)
		}
		rows := eval[[][]string](t, tab, "reading the actions", `[...document.querySelectorAll("#offer-list tr.action")].map(r => [...r.cells].map(c => c.textContent))`)
		if len(rows) != actions || rows[0][1] != "RU" || rows[0][2] != "accepted" {
			t.Errorf("%s: %d actions listed, want %d, the last RU's acceptance: %q", tc.lens, len(rows), actions, rows)
		}
		checkReadable(t, tab, "the "+tc.lens+"'s watch page")
		if tc.lens == "observer" {
			for where, body := range tr.received() {
				for _, needle := range []string{`"utilities"`, `"type":"session"`, `"type":"result"`, `"type":"setup"`, `"audience":"seat:`, `"audience":"owner`} {
					if strings.Contains(body, needle) {
						t.Errorf("the observer's page received %s in %s", needle, where)
					}
				}
			}
			return
		}
		screenshot(t, tab, "watch")
		if got := text(t, tab, "#results"); !strings.Contains(got, "UA: utility "+u3(uaRes)) {
			t.Errorf("owner: results %q, want UA's %s", got, u3(uaRes))
		}
		if got := text(t, tab, "#seats"); !strings.Contains(got, "RU: boulware:ac=const(c=0.6)") || !strings.Contains(got, "UA: remote") {
			t.Errorf("owner: seats %q", got)
		}
	}
}

// game is a ceasefire negotiation in the direct talks, started from the
// home page with UA's seat a person's, and UA's page open at its first
// turn in a tab of its own.
type game struct {
	ts              *httptest.Server
	c               *ceasefire
	id, join, owner string
	tab             context.Context
	tr              *traffic
}

// startGame starts a game with RU's seat playing ruSpec.
func startGame(t *testing.T, ruSpec string) *game {
	t.Helper()
	bctx := browser(t)
	g := &game{ts: newServer(t), c: loadCeasefire(t)}
	g.id, g.join, g.owner = startFromHome(t, bctx, g.ts.URL, g.c, "staged:bilateral_only", ruSpec)
	g.tab, g.tr = openSeat(t, bctx, g.ts.URL, g.join, "#offer:not([disabled])")
	return g
}

// TestBrowserPlayWalkAway is flow 1 to a walk-away, at phone width.
func TestBrowserPlayWalkAway(t *testing.T) {
	g := startGame(t, "boulware")
	ts, c, id, owner, tab, tr := g.ts, g.c, g.id, g.owner, g.tab, g.tr
	run(t, tab, "narrowing the window to a phone's", chromedp.EmulateViewport(390, 844))
	firstTurn(t, tab, ts.URL, id, owner, c)
	if !eval[bool](t, tab, "measuring the page", `document.documentElement.scrollWidth <= window.innerWidth`) {
		t.Error("the seat's page is wider than a phone's screen (390 px)")
	}
	screenshot(t, tab, "seat-phone")
	checkReadable(t, tab, "the seat's page at phone width")
	run(t, tab, "walking away",
		chromedp.Click(chromedp.CSS("#walk")),
		chromedp.WaitVisible(chromedp.CSS("#walk-confirm")),
		chromedp.Click(chromedp.CSS("#walk-confirm")),
		chromedp.WaitVisible(chromedp.CSS("#ended")))
	if got := text(t, tab, "#ended"); got != "A party walked away" {
		t.Fatalf("ending %q", got)
	}
	if got := text(t, tab, "#outcome"); !strings.Contains(got, "You walked away.") {
		t.Errorf("ending panel %q", got)
	}
	res := uaResult(t, ts.URL, id, owner, c)
	if got := text(t, tab, "#result"); !strings.HasPrefix(got, "Your result: utility "+u3(res)) {
		t.Errorf("result %q, want UA's %s", got, u3(res))
	}
	checkNoLeak(t, tr, ts.URL, c)
}

// checkNoLeak is flow 5: nothing the seat's tab received, HTTP responses
// and WebSocket frames alike, holds another party's private data: its
// utilities, weights, red lines (as JSON or as text), session, votes or
// result, or the owner's setup; and the tab requested nothing from another
// origin. As controls, the capture must hold WebSocket frames with UA's own
// utilities and reservation value, and responses of the API.
func checkNoLeak(t *testing.T, tr *traffic, base string, c *ceasefire) {
	t.Helper()
	got := tr.received()
	for _, e := range tr.errs {
		t.Errorf("capture: %s", e)
	}
	checkSameOrigin(t, "the seat's page", tr, base)
	leaks(t, c, got, t.Errorf)
	own, ownRes := utilitiesPrefix(c.ua), fmt.Sprintf(`"reservation":%v`, c.ua.Reservation)
	sawOwn, api := 0, 0
	for where, body := range got {
		if strings.HasPrefix(where, "WebSocket frame") && strings.Contains(body, own) && strings.Contains(body, ownRes) {
			sawOwn++
		}
		if strings.HasPrefix(where, "response "+base+"/negotiations/") && body != "" {
			api++
		}
	}
	if sawOwn == 0 || api == 0 {
		t.Errorf("the capture of %d payloads saw UA's own utilities (%s...) and reservation value in %d WebSocket frames and %d responses of the API: it cannot see a leak there either", len(got), own, sawOwn, api)
	}
}

// jsonPrefix is the JSON array of xs without its closing bracket.
func jsonPrefix(xs []float64) string {
	b, _ := json.Marshal(xs)
	return strings.TrimSuffix(string(b), "]")
}

// utilitiesPrefix is the start of p's utility table in JSON.
func utilitiesPrefix(p *parley.Profile) string {
	us := make([]float64, 6)
	for o := range us {
		us[o] = p.Utility.Utility(parley.Outcome(o))
	}
	return jsonPrefix(us)
}

// leaks reports (errorf) each payload of got (by where it came from) that
// holds a private datum of a ceasefire party other than UA: its
// utilities, weights, red lines (as JSON or as text), events, session,
// votes or result, or the owner's setup.
func leaks(t *testing.T, c *ceasefire, got map[string]string, errorf func(string, ...any)) {
	t.Helper()
	s, err := catalog.Builtin("ceasefire")
	if err != nil {
		t.Fatal(err)
	}
	others := map[string]string{}
	for i, p := range s.Parties {
		if i == c.uaParty {
			continue
		}
		others[p.Name+"'s utilities"] = utilitiesPrefix(p.Profile)
		others[p.Name+"'s events"] = fmt.Sprintf(`"audience":"seat:%d`, i)
		if w, ok := p.Profile.Utility.(interface{ Weights() []float64 }); ok {
			others[p.Name+"'s weights"] = jsonPrefix(w.Weights()[:3])
		} else if p.Name == "RU" {
			t.Fatalf("RU's utility function %T shows no weights to search for", p.Profile.Utility)
		}
		for _, v := range p.Profile.Vetoes {
			is := s.Space.Issues[v.Issue]
			others[p.Name+"'s red line on "+is.Name] = fmt.Sprintf(`{"issue":%q,"value":%q}`, is.Name, is.Values[v.Value])
			others[p.Name+"'s red line on "+is.Name+" as text"] = is.Name + " = " + is.Values[v.Value]
		}
	}
	others["the owner's events"] = `"audience":"owner`
	others["the mediator's events"] = `"audience":"mediator`
	others["the setup"] = `"type":"setup"`
	others["a profile's weights"] = `"weights"`
	for where, body := range got {
		for what, needle := range others {
			if strings.Contains(body, needle) {
				errorf("%s holds %s (%s)", where, what, needle)
			}
		}
		var v any
		if json.Unmarshal([]byte(body), &v) == nil {
			walkJSON(errorf, where, v, c.uaParty)
		}
	}
}

// walkJSON reports (errorf) any session, result or vote of a party other than
// ua, and any event whose audience is not public or UA's seat.
func walkJSON(errorf func(string, ...any), where string, v any, ua int) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walkJSON(errorf, where, e, ua)
		}
	case map[string]any:
		if a, ok := x["audience"].(string); ok && !slices.Contains(strings.Split(a, "|"), "public") && !slices.Contains(strings.Split(a, "|"), fmt.Sprintf("seat:%d", ua)) {
			errorf("%s: an event for audience %q", where, a)
		}
		for _, k := range []string{"session", "result", "vote"} {
			if p, ok := x[k].(map[string]any); ok {
				if party, _ := p["party"].(float64); int(party) != ua {
					errorf("%s: a %s of party %v", where, k, p["party"])
				}
			}
		}
		for _, k := range []string{"utilities", "reservation", "red_lines", "weights"} {
			if _, ok := x[k]; ok {
				if party, ok := x["party"].(float64); !ok || int(party) != ua {
					errorf("%s: %q of party %v", where, k, x["party"])
				}
			}
		}
		for _, k := range []string{"setup", "declared", "results"} {
			if _, ok := x[k]; ok {
				errorf("%s: holds %q", where, k)
			}
		}
		for _, e := range x {
			walkJSON(errorf, where, e, ua)
		}
	}
}

// lastVoteTurn returns the step and proposal of UA's last vote turn in the
// owner's lens.
func lastVoteTurn(t *testing.T, base, id, owner string, c *ceasefire) (step, proposal int) {
	t.Helper()
	step = -1
	for _, e := range ownerEvents(t, base, id, owner) {
		var typ, aud string
		json.Unmarshal(e["type"], &typ)
		json.Unmarshal(e["audience"], &aud)
		if typ != "turn" || aud != fmt.Sprintf("seat:%d", c.uaParty) {
			continue
		}
		var tu struct {
			Kind           string
			Step, Standing int
		}
		json.Unmarshal(e["turn"], &tu)
		if tu.Kind == "vote" {
			step, proposal = tu.Step, tu.Standing
		}
	}
	if step < 0 {
		t.Fatal("the owner's lens shows no vote turn of UA")
	}
	return step, proposal
}

// checkProposal checks the page's vote against the owner's lens: the
// mediator's proposal and UA's utility of it.
func checkProposal(t *testing.T, tab context.Context, base, id, owner string, c *ceasefire) int {
	t.Helper()
	step, o := lastVoteTurn(t, base, id, owner, c)
	if got := outcomeText(t, tab, "proposal"); got != c.describe(o) {
		t.Errorf("step %d: proposal %q, want %q", step, got, c.describe(o))
	}
	if got, want := text(t, tab, "#proposal-utility"), u3(c.ua.Utility.Utility(parley.Outcome(o))); got != want {
		t.Errorf("step %d: UA's utility of the proposal %s, want %s", step, got, want)
	}
	checkAcceptBlocked(t, tab, "#vote-accept", c.ua.Vetoed(parley.Outcome(o)))
	return step
}

// TestBrowserVote: a person in UA's seat votes on the US mediator's
// proposals in the ceasefire's mediated stage (mediated_from_start),
// rejects one, then leaves the talks; the page shows each proposal with
// UA's utility, the votes, and the ending, and receives no other party's
// data (the mediator sees declared profiles; the seat must not).
func TestBrowserVote(t *testing.T) {
	bctx := browser(t)
	ts := newServer(t)
	c := loadCeasefire(t)
	id, join, owner := startFromHome(t, bctx, ts.URL, c, "staged:mediated_from_start", "boulware")
	tab, tr := openSeat(t, bctx, ts.URL, join, "#vote-accept")
	if got := text(t, tab, "#clock"); !strings.Contains(got, "stage mediated (mediation: you vote on the proposals of the mediator, US)") {
		t.Errorf("clock %q, want the mediated stage", got)
	}
	// A voter makes no offers: the page shows no offer builder, and no
	// button to start one from a proposal.
	if n := eval[int](t, tab, "looking for the builder", `document.querySelectorAll("#builder select, #builder button, #offer-list button").length`); n != 0 {
		t.Errorf("the voter's page shows %d controls of an offer builder", n)
	}
	step := checkProposal(t, tab, ts.URL, id, owner, c)
	screenshot(t, tab, "seat-vote")
	checkReadable(t, tab, "the seat's vote")
	run(t, tab, "rejecting the proposal",
		chromedp.Click(chromedp.CSS("#vote-reject")),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#table-h:not([data-step="%d"])`, step))),
		chromedp.WaitVisible(chromedp.CSS("#vote-leave")))
	checkProposal(t, tab, ts.URL, id, owner, c)
	rows := eval[[][]string](t, tab, "reading the list",
		offerRows)
	var proposed, rejected bool
	for _, r := range rows {
		proposed = proposed || r[1] == "the mediator" && r[3] == "proposed"
		rejected = rejected || r[1] == "you" && r[3] == "voted to reject"
	}
	if !proposed || !rejected {
		t.Errorf("the list lacks the mediator's proposal or UA's vote: %q", rows)
	}
	run(t, tab, "leaving the talks", chromedp.Click(chromedp.CSS("#vote-leave")), chromedp.WaitVisible(chromedp.CSS("#ended")))
	res := uaResult(t, ts.URL, id, owner, c)
	if got := text(t, tab, "#result"); !strings.HasPrefix(got, "Your result: utility "+u3(res)) {
		t.Errorf("result %q, want UA's %s", got, u3(res))
	}
	checkNoLeak(t, tr, ts.URL, c)
}

// logged is an action of the log, as the owner's lens has it.
type logged struct {
	typ                   string
	party, round, outcome int
}

// logActions reads the actions in the owner's lens, in order.
func logActions(t *testing.T, base, id, owner string) []logged {
	t.Helper()
	var out []logged
	for _, e := range ownerEvents(t, base, id, owner) {
		var typ string
		json.Unmarshal(e["type"], &typ)
		if typ != "offer" && typ != "accept" && typ != "walk_away" {
			continue
		}
		var a struct{ Party, Round, Outcome int }
		json.Unmarshal(e["action"], &a)
		out = append(out, logged{typ, a.Party, a.Round, a.Outcome})
	}
	return out
}

// checkReplay is flow 4: stepping back through the finished negotiation
// on the watch page shows, at every step, the log's action; the permalink
// of a step opens the replay there.
func checkReplay(t *testing.T, tab context.Context, base, id, owner string, c *ceasefire, link string) {
	t.Helper()
	log := logActions(t, base, id, owner)
	words := map[string]string{"offer": "offered", "accept": "accepted", "walk_away": "walked away"}
	names := map[int]string{c.ruParty: "RU", c.uaParty: "UA"}
	check := func(tab context.Context, k int) {
		t.Helper()
		if got, want := eval[string](t, tab, "reading the replay's label", `document.querySelector("label[for=replay]").textContent`), fmt.Sprintf("Action %d of %d", k, len(log)); got != want {
			t.Errorf("replay label %q, want %q", got, want)
		}
		a := log[k-1]
		if got, want := text(t, tab, "#replay-action"), fmt.Sprintf("Round %d: %s %s", a.round+1, names[a.party], words[a.typ]); got != want {
			t.Errorf("step %d: %q, the log has %q", k, got, want)
		}
		if a.outcome >= 0 {
			if got := outcomeText(t, tab, "replay-outcome"); got != c.describe(a.outcome) {
				t.Errorf("step %d: outcome %q, the log has %q", k, got, c.describe(a.outcome))
			}
		}
		if n := eval[int](t, tab, "counting the actions", `document.querySelectorAll("#offer-list tr.action").length`); n != k {
			t.Errorf("step %d: %d actions listed", k, n)
		}
	}
	check(tab, len(log))
	for k := len(log) - 1; k >= 1; k-- {
		run(t, tab, "stepping back", chromedp.Click(chromedp.CSS("#replay-prev")),
			chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#replay[value="%d"]`, k))))
		check(tab, k)
	}
	perma := eval[string](t, tab, "reading the permalink", `document.getElementById("permalink").getAttribute("href")`)
	if want := link + "/1"; perma != want {
		t.Errorf("permalink %q, want %q", perma, want)
	}
	fresh := newTab(t, tab)
	mid := (len(log) + 1) / 2
	run(t, fresh, "opening a permalink", chromedp.Navigate(base+"/"+link+"/"+fmt.Sprint(mid)), chromedp.WaitVisible(chromedp.CSS("#replay-action")))
	check(fresh, mid)
}

// TestBrowserReplay is flow 4 of issue 12: a finished negotiation (UA
// played over the API: its best outcome, refused, then one RU accepts)
// replays on the owner's watch page, step by step as its log has it, and
// a step's permalink opens the replay there.
func TestBrowserReplay(t *testing.T) {
	bctx := browser(t)
	ts := newServer(t)
	c := loadCeasefire(t)
	id, join, owner := startFromHome(t, bctx, ts.URL, c, "staged:bilateral_only", "boulware:ac=const(c=0.6)")
	seat := join[strings.LastIndex(join, "/")+1:]
	after := 0
	for _, o := range []int{c.best(c.ua), c.agreeable()} {
		var step int
		step, after = nextTurn(t, ts.URL, id, seat, after)
		postAction(t, ts.URL, id, seat, fmt.Sprintf(`{"step": %d, "action": "offer", "outcome": %d}`, step, o))
	}
	link := "#/watch/" + id + "/" + owner
	run(t, bctx, "opening the owner's watch page", chromedp.Navigate(ts.URL+"/"+link), chromedp.WaitVisible(chromedp.CSS("#replay")))
	checkReplay(t, bctx, ts.URL, id, owner, c, link)
}

// nextTurn long-polls the seat's lens after seq after until its next
// turn, and returns the turn's step and seq.
func nextTurn(t *testing.T, base, id, token string, after int) (step, seq int) {
	t.Helper()
	for range 10 {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/negotiations/%s/events?after=%d&wait=30", base, id, after), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var v struct {
			Events []struct {
				Seq  int
				Type string
				Turn struct{ Step int }
			}
		}
		err = json.NewDecoder(r.Body).Decode(&v)
		r.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range v.Events {
			after = e.Seq
			if e.Type == "turn" {
				return e.Turn.Step, e.Seq
			}
		}
	}
	t.Fatal("no turn for the seat")
	return 0, 0
}
