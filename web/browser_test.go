package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
)

// newServer starts parley serve's handler (with the built-in strategies,
// as the parley command wires them) on a loopback port.
func newServer(t testing.TB) *httptest.Server {
	t.Helper()
	return newServerAdmin(t, "")
}

// newServerAdmin is newServer with an admin token ("" for none).
func newServerAdmin(t testing.TB, admin string) *httptest.Server {
	t.Helper()
	return serveWith(t, server.Config{
		AdminToken: admin,
		Negotiator: func(spec string) (func() parley.Negotiator, error) { return strategy.Parse(spec) },
		Voter: func(spec string) (func() parley.Voter, error) {
			f, err := mediator.ParseVoter(spec)
			return f, err
		},
		Mediator: func(spec string) (func() parley.Mediator, error) {
			if spec == "" {
				spec = "nash"
			}
			f, err := mediator.ParseMediator(spec)
			return f, err
		},
		Agents: server.Agents{Negotiators: listed(strategy.Negotiators()), Voters: listed(mediator.Voters()), Mediators: listed(mediator.Mediators())},
	})
}

// serveWith starts a server with cfg on a loopback port, stopped when t
// ends.
func serveWith(t testing.TB, cfg server.Config) *httptest.Server {
	t.Helper()
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		ts.Close()
	})
	return ts
}

// listed is a registry's entries as GET /catalog lists them (as the
// parley command lists its registries).
func listed[T any](r *spec.Registry[T]) []server.Agent {
	var out []server.Agent
	for _, e := range r.Entries() {
		out = append(out, server.Agent{Name: e.Name, Doc: e.Doc})
	}
	return out
}

// browser returns a chromedp context on a fresh headless chromium (a
// 1280×800 window), or skips t loudly when chromium is not installed.
func browser(t testing.TB) context.Context {
	t.Helper()
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" && os.Getenv("PARLEY_BROWSER_TESTS") == "require" {
		t.Fatal("no chromium on PATH, and PARLEY_BROWSER_TESTS=require (as in .ci/run)")
	}
	if path == "" {
		fmt.Fprintf(os.Stderr, "SKIPPING %s: no chromium on PATH (apt-get install chromium): the browser tests of the web UI did not run\n", t.Name())
		t.Skip("SKIPPING: no chromium on PATH (apt-get install chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 800),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("hide-scrollbars", true),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// newTab opens a tab in the browser of ctx, closed when t ends. It runs
// the tab's first (empty) action itself, without a timeout: chromedp ties
// a tab's life to the context of its first action, so a first action under
// run's timeout would close the tab when that action returns.
func newTab(t testing.TB, ctx context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return tab
}

// traffic records what one tab receives: every response body and every
// WebSocket frame, and the URL of every request it makes.
type traffic struct {
	mu       sync.Mutex
	wg       sync.WaitGroup
	urls     map[network.RequestID]string
	requests []string
	bodies   map[string]string // URL (and request id) → body
	frames   []string
	errs     []string
}

// capture starts recording ctx's network traffic (chromedp enables the
// network domain of every tab).
func capture(t *testing.T, ctx context.Context) *traffic {
	tr := &traffic{urls: map[network.RequestID]string{}, bodies: map[string]string{}}
	err := chromedp.Listen(ctx, func(ev any) {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			tr.urls[e.RequestID] = e.Request.URL
			tr.requests = append(tr.requests, e.Request.URL)
		case *network.EventWebSocketCreated:
			tr.requests = append(tr.requests, e.URL)
		case *network.EventWebSocketFrameReceived:
			tr.frames = append(tr.frames, string(e.Response.PayloadData))
		case *network.EventLoadingFinished:
			id, url := e.RequestID, tr.urls[e.RequestID]
			tr.wg.Add(1)
			go func() { // Listen's func must not run commands itself
				defer tr.wg.Done()
				res, err := chromedp.Call(ctx, network.GetResponseBody, network.GetResponseBodyParams{RequestID: id})
				tr.mu.Lock()
				defer tr.mu.Unlock()
				if err != nil {
					tr.errs = append(tr.errs, fmt.Sprintf("%s: reading the body: %v", url, err))
					return
				}
				tr.bodies[fmt.Sprintf("%s (%s)", url, id)] = string(res.Body)
			}()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// received returns everything the tab received, each with its origin.
func (tr *traffic) received() map[string]string {
	tr.wg.Wait()
	tr.mu.Lock()
	defer tr.mu.Unlock()
	all := map[string]string{}
	for k, v := range tr.bodies {
		all["response "+k] = v
	}
	for i, f := range tr.frames {
		all[fmt.Sprintf("WebSocket frame %d", i)] = f
	}
	return all
}

// ceasefire is the built-in scenario, its party indices and, for choosing
// offers, the profiles the page of a seat never sees.
type ceasefire struct {
	ru, ua  *parley.Profile
	issues  []string
	values  [][]string
	size    int
	uaParty int
	ruParty int
}

func loadCeasefire(t *testing.T) *ceasefire {
	s, err := catalog.Builtin("ceasefire")
	if err != nil {
		t.Fatal(err)
	}
	c := &ceasefire{size: s.Space.Size()}
	for i, p := range s.Parties {
		switch p.Name {
		case "RU":
			c.ru, c.ruParty = p.Profile, i
		case "UA":
			c.ua, c.uaParty = p.Profile, i
		}
	}
	for _, is := range s.Space.Issues {
		c.issues = append(c.issues, is.Name)
		c.values = append(c.values, is.Values)
	}
	return c
}

// partyName is party p's name.
func (c *ceasefire) partyName(p int) string {
	switch p {
	case c.ruParty:
		return "RU"
	case c.uaParty:
		return "UA"
	}
	return fmt.Sprint(p)
}

// best returns the outcome best for p (the first of ties).
func (c *ceasefire) best(p *parley.Profile) int {
	b := 0
	for o := range c.size {
		if p.Utility.Utility(parley.Outcome(o)) > p.Utility.Utility(parley.Outcome(b)) {
			b = o
		}
	}
	return b
}

// postAction posts a seat's action.
func postAction(t *testing.T, base, id, token, body string) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/negotiations/"+id+"/actions", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusAccepted {
		t.Fatalf("POST %s: %s", body, r.Status)
	}
}

// choice returns the value indices of outcome o (the first issue most
// significant, as the server numbers outcomes).
func (c *ceasefire) choice(o int) []int {
	ch := make([]int, len(c.issues))
	for i := len(c.issues) - 1; i >= 0; i-- {
		n := len(c.values[i])
		ch[i], o = o%n, o/n
	}
	return ch
}

// describe is the page's text of outcome o: each issue and its value in
// words (spaces for underscores, as the pages label them).
func (c *ceasefire) describe(o int) string {
	var parts []string
	for i, v := range c.choice(o) {
		parts = append(parts, words(c.issues[i])+": "+words(c.values[i][v]))
	}
	return strings.Join(parts, "; ")
}

// words is a scenario's name (an issue, a value) as the pages show it.
func words(s string) string { return strings.ReplaceAll(s, "_", " ") }

// valueText is the offer list's text of outcome o: its values in issue
// order, with spaces for underscores.
func (c *ceasefire) valueText(o int) string {
	var vs []string
	for i, v := range c.choice(o) {
		vs = append(vs, strings.ReplaceAll(c.values[i][v], "_", " "))
	}
	return strings.Join(vs, " · ")
}

// ownerEvents reads the owner's lens of negotiation id.
func ownerEvents(t *testing.T, base, id, owner string) []map[string]json.RawMessage {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/negotiations/"+id+"/events?after=0", nil)
	req.Header.Set("Authorization", "Bearer "+owner)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var v struct {
		Events []map[string]json.RawMessage `json:"events"`
	}
	if err := json.NewDecoder(r.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v.Events
}

// screenshot saves the whole page in the tab as docs/web/NAME.png under
// -update.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if !*update {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // the whole page, as PNG
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "docs", "web", name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// text returns the text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(wctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		page, _ := chromedp.Run(pctx, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("reading %s: %v\nthe page shows:\n%s", sel, err, page)
	}
	return strings.TrimSpace(s)
}

// run runs the actions in ctx's tab, failing t with what they do.
func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(wctx, actions...); err != nil {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		page, _ := chromedp.Run(pctx, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("%s: %v\nthe page shows:\n%s", what, err, page)
	}
}

// clickWhenReady clicks the element selector matches, once, as soon as
// there is one: in the page's own JavaScript, so that a re-render between
// finding the node and clicking it (as events arrive) cannot lose the
// click, as chromedp.Click's node id can be.
func clickWhenReady(t *testing.T, ctx context.Context, what, selector string) {
	t.Helper()
	sel, _ := json.Marshal(selector)
	waitFor(t, ctx, what, `(() => { const b = document.querySelector(`+string(sel)+`); if (!b) return false; b.click(); return true; })()`)
}

// waitFor waits until the JavaScript predicate holds in ctx's tab.
func waitFor(t *testing.T, ctx context.Context, what, predicate string) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(wctx, chromedp.Poll[bool](predicate, chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		page, _ := chromedp.Run(pctx, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("waiting until %s: %v\nthe page shows:\n%s", what, err, page)
	}
}

// eval evaluates a JavaScript expression in ctx's tab.
func eval[T any](t *testing.T, ctx context.Context, what, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// unlabelled lists the page's form controls without an accessible name
// (a label, aria-label, or a button's text).
const unlabelled = `[...document.querySelectorAll("input:not([type=hidden]), select, textarea, button, meter")]
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute("aria-label") && !(e.tagName === "BUTTON" && e.textContent.trim()))
  .map(e => e.outerHTML.slice(0, 100))`

// lowContrast lists the page's visible text (HTML, and SVG text by its
// fill) whose contrast with its background is below WCAG's 4.5:1 for
// normal text (disabled controls are exempt).
const lowContrast = `(() => {
  const parse = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
  const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const bg = (el) => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0) return c; }
    return { r: 255, g: 255, b: 255, a: 1 }; };
  const bad = [];
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = w.nextNode(); n; n = w.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || el.closest("[disabled]") || el.closest("option") || !el.getClientRects().length) continue;
    // SVG text (a chart's labels) is painted with its fill
    const fg = parse(el instanceof SVGElement ? getComputedStyle(el).fill : getComputedStyle(el).color);
    if (!fg) { bad.push(el.tagName + " " + JSON.stringify(n.textContent.trim().slice(0, 40)) + ": no solid colour"); continue; }
    const a = lum(fg), b = lum(bg(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) bad.push(el.tagName + " " + JSON.stringify(n.textContent.trim().slice(0, 40)) + ": " + ratio.toFixed(2));
  }
  return bad;
})()`

// checkReadable fails t for unlabelled controls and low-contrast text on
// the tab's page.
func checkReadable(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	if bad := eval[[]string](t, ctx, "finding unlabelled controls", unlabelled); len(bad) > 0 {
		t.Errorf("%s: controls without a label: %q", page, bad)
	}
	if bad := eval[[]string](t, ctx, "measuring contrast", lowContrast); len(bad) > 0 {
		t.Errorf("%s: text below 4.5:1 contrast: %q", page, bad)
	}
}
