package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/internal/sharedtest"
	"github.com/parley-dev/parley/server"
)

// createNegotiation creates a negotiation through the API and returns its
// id and owner's token.
func createNegotiation(tb testing.TB, base string, req server.CreateRequest) (id, owner string) {
	tb.Helper()
	cr := createAPI(tb, base, req)
	return cr.ID, cr.Tokens.Owner
}

// explorePoint moves the pointer over the explorer's canvas at utilities
// (x, y), as scatter.ts's Plot maps them (a 560-pixel plot, margins 52,
// 16, 14, 44).
func explorePoint(x, y float64) string {
	return fmt.Sprintf(`(() => { const c = document.getElementById("explore-canvas"), r = c.getBoundingClientRect(), s = r.width / 560;
  c.dispatchEvent(new MouseEvent("mousemove", { clientX: r.left + (52 + %g * 492) * s, clientY: r.top + (516 - %g * 502) * s, bubbles: true }));
  return true; })()`, x, y)
}

// elementShot saves a screenshot of the element sel as docs/web/NAME.png
// under -update.
func elementShot(t *testing.T, ctx context.Context, sel, name string) {
	t.Helper()
	if !*update {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "docs", "web", name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserExplore is the analyst view of the ceasefire's direct talks
// (RU against UA): the frontier, the Nash point and the red-lined outcomes
// it shows are package analysis's, and hovering a point shows its
// outcome. Then the owner's watch page draws every offer in the utility
// space, and at a replay step only the offers up to it.
func TestBrowserExplore(t *testing.T) {
	bctx := browser(t)
	ts := newServer(t)
	c := loadCeasefire(t)
	id, owner := createNegotiation(t, ts.URL, server.CreateRequest{Scenario: "ceasefire", Protocol: "staged", Variant: "bilateral_only", Seed: 3,
		Seats: []server.Seat{{Kind: "strategy", Spec: "conceder"}, {Kind: "strategy", Spec: "linear"}, {Kind: "strategy", Spec: "boulware"}}})
	rep, err := analysis.Analyze(c.ru.Space, []*parley.Profile{c.ru, c.ua})
	if err != nil {
		t.Fatal(err)
	}
	if c.ruParty != 0 || c.uaParty != 1 {
		t.Fatalf("RU is party %d, UA %d: the test expects 0 and 1", c.ruParty, c.uaParty)
	}
	crossed := 0
	for o := range c.size {
		if c.ru.Vetoed(parley.Outcome(o)) || c.ua.Vetoed(parley.Outcome(o)) {
			crossed++
		}
	}

	tab := newTab(t, bctx)
	run(t, tab, "opening the explorer",
		chromedp.Navigate(ts.URL+"/#/explore/"+id+"/"+owner),
		chromedp.WaitVisible(chromedp.CSS(`#explore-canvas[data-drawn="0,1"]`)))
	if got := eval[string](t, tab, "reading the home link", `document.querySelector(".home-link")?.getAttribute("href") ?? ""`); got != "#/" {
		t.Errorf("the analyst's view links home as %q", got)
	}
	if got := eval[string](t, tab, "reading the frontier drawn", `document.getElementById("explore-canvas").dataset.frontier`); got != fmt.Sprint(len(rep.Frontier)) {
		t.Errorf("the explorer draws %s frontier points, analysis finds %d", got, len(rep.Frontier))
	}
	if got := eval[string](t, tab, "reading the points drawn", `document.getElementById("explore-canvas").dataset.points`); got != fmt.Sprint(c.size) {
		t.Errorf("the explorer draws %s outcomes, want %d", got, c.size)
	}
	sum := text(t, tab, "#explore-summary")
	if want := fmt.Sprintf("%s cross a red line (grey); the Pareto frontier has %d points", commas(crossed), len(rep.Frontier)); !strings.Contains(sum, want) {
		t.Errorf("summary %q, want it to say %q", sum, want)
	}
	legend := text(t, tab, "#explore-legend")
	for _, s := range []string{"Nash", "Kalai–Smorodinsky", "max welfare", "crosses a red line", "reservation values"} {
		if !strings.Contains(legend, s) {
			t.Errorf("legend %q lacks %q", legend, s)
		}
	}
	rows := eval[[][]string](t, tab, "reading the reference points", `[...document.querySelectorAll("#solutions-table tbody tr")].map(r => [...r.cells].map(c => c.textContent))`)
	n := rep.Nash
	if len(rows) != 3 || rows[0][0] != "Nash" || rows[0][1] != u3(n.U[0]) || rows[0][2] != u3(n.U[1]) || rows[0][3] != c.describe(int(n.Outcome)) {
		t.Errorf("reference points %q, want Nash at %s (%s, %s)", rows, c.describe(int(n.Outcome)), u3(n.U[0]), u3(n.U[1]))
	}

	// Hovering the Nash point shows an outcome at its utilities, with the
	// values of the outcome it names.
	eval[bool](t, tab, "pointing at the Nash point", explorePoint(n.U[0], n.U[1]))
	waitFor(t, tab, "the hover shows an outcome", `!!document.getElementById("hover-outcome")`)
	var o int
	hover := text(t, tab, "#hover-outcome")
	if _, err := fmt.Sscanf(hover, "Outcome %d:", &o); err != nil {
		t.Fatalf("hover %q: %v", hover, err)
	}
	// A frontier point's utilities are exact (the others are float32).
	onFrontier := false
	for _, p := range rep.Frontier {
		onFrontier = onFrontier || int(p.Outcome) == o
	}
	if !onFrontier {
		t.Errorf("the outcome nearest the Nash point, %d, is not on the frontier", o)
	}
	want := fmt.Sprintf("Outcome %d: RU %s, UA %s", o, u3(c.ru.Utility.Utility(parley.Outcome(o))), u3(c.ua.Utility.Utility(parley.Outcome(o))))
	if !strings.HasPrefix(hover, want) || !strings.Contains(hover, u3(n.U[0])) {
		t.Errorf("hover %q, want %q at the Nash point's utilities", hover, want)
	}
	if got := outcomeText(t, tab, "hover-values"); got != c.describe(o) {
		t.Errorf("hover values %q, want %q", got, c.describe(o))
	}
	screenshot(t, tab, "explore")

	// From the keyboard: the arrow keys move the cursor (from the Nash
	// point down into the outcomes, 0.06 of UA's utility).
	run(t, tab, "pressing the down arrow on the plot", chromedp.Focus(chromedp.CSS("#explore-canvas")),
		chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown))
	waitFor(t, tab, "the hover follows the keyboard", `document.getElementById("hover-outcome")?.textContent !== `+fmt.Sprintf("%q", hover))
	if got := eval[string](t, tab, "reading RU's first weight", `document.querySelector("#chart-0 tr.weight td.num").textContent`); got == "" {
		t.Error("no weight chart for RU")
	}
	checkReadable(t, tab, "the explorer")

	// Another pair: UA against US.
	eval[bool](t, tab, "choosing US on the horizontal axis", `(() => { const s = document.getElementById("explore-x"); s.value = "2"; return s.dispatchEvent(new Event("change")); })()`)
	run(t, tab, "drawing US against UA", chromedp.WaitVisible(chromedp.CSS(`#explore-canvas[data-drawn="2,1"]`)))

	checkTrajectories(t, bctx, ts.URL, id, owner)
}

// TestBrowserExploreSampled: a space above the server's MaxSpacePoints
// (server/testdata/big.yaml, 2,097,152 outcomes) is drawn from the
// server's sample, which the page says, and hovering a sampled point shows
// that outcome's values and utilities.
func TestBrowserExploreSampled(t *testing.T) {
	bctx := browser(t)
	ts := newServer(t)
	big, err := os.ReadFile(filepath.Join("..", "server", "testdata", "big.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	id, owner := createNegotiation(t, ts.URL, server.CreateRequest{Files: map[string]string{"big.yaml": string(big)},
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "boulware"}}})
	tab := newTab(t, bctx)
	run(t, tab, "opening the explorer",
		chromedp.Navigate(ts.URL+"/#/explore/"+id+"/"+owner),
		chromedp.WaitVisible(chromedp.CSS(`#explore-canvas[data-drawn="0,1"]`)))
	n := eval[string](t, tab, "reading the points drawn", `document.getElementById("explore-canvas").dataset.points`)
	var points int
	fmt.Sscan(n, &points)
	if points < server.SpaceSample*9/10 || points > server.SpaceSample {
		t.Errorf("%d points drawn, want the server's sample of about %d", points, server.SpaceSample)
	}
	if sum := text(t, tab, "#explore-summary"); !strings.HasPrefix(sum, "2,097,152 outcomes, drawn as a uniform sample of "+commas(points)) {
		t.Errorf("summary %q", sum)
	}
	eval[bool](t, tab, "pointing into the plot", explorePoint(0.5, 0.5))
	waitFor(t, tab, "the hover shows an outcome", `!!document.getElementById("hover-outcome")`)
	hover := text(t, tab, "#hover-outcome")
	var o int
	if _, err := fmt.Sscanf(hover, "Outcome %d:", &o); err != nil {
		t.Fatalf("hover %q: %v", hover, err)
	}
	// a's utility is the mean of the value indices over 7 (big.yaml).
	var vals []string
	sum := 0
	for i, x := 6, o; i >= 0; i, x = i-1, x/8 {
		vals = append([]string{fmt.Sprintf("i%d: v%d", i, x%8)}, vals...)
		sum += x % 8
	}
	u := float64(sum) / 49
	if want := fmt.Sprintf("Outcome %d: a %s, b %s", o, u3(u), u3(1-u)); hover != want {
		t.Errorf("hover %q, want %q", hover, want)
	}
	if got := outcomeText(t, tab, "hover-values"); got != strings.Join(vals, "; ") {
		t.Errorf("hover values %q, want %q", got, strings.Join(vals, "; "))
	}
}

// checkTrajectories: the owner's watch page draws each offer of the log
// in the utility space and marks the agreement; at replay step k it draws
// the offers among the first k actions.
func checkTrajectories(t *testing.T, bctx context.Context, base, id, owner string) {
	t.Helper()
	var offers []int // the number of offers among the first k actions, by k
	agreement := ""
	offers = append(offers, 0)
	for _, e := range ownerEvents(t, base, id, owner) {
		var typ string
		json.Unmarshal(e["type"], &typ)
		switch typ {
		case "offer", "accept", "walk_away":
			n := offers[len(offers)-1]
			if typ == "offer" {
				n++
			}
			offers = append(offers, n)
		case "ended":
			var en struct{ Agreement int }
			json.Unmarshal(e["ended"], &en)
			if en.Agreement >= 0 {
				agreement = fmt.Sprint(en.Agreement)
			}
		}
	}
	total := len(offers) - 1
	if total < 4 {
		t.Fatalf("only %d actions: the test needs a longer negotiation", total)
	}
	tab := newTab(t, bctx)
	run(t, tab, "opening the owner's watch page",
		chromedp.Navigate(base+"/#/watch/"+id+"/"+owner),
		chromedp.WaitVisible(chromedp.CSS("#ended")))
	waitFor(t, tab, "the trajectories are drawn", fmt.Sprintf(`document.getElementById("trajectory-canvas")?.dataset.offers === "%d"`, offers[total]))
	if got := eval[string](t, tab, "reading the agreement drawn", `document.getElementById("trajectory-canvas").dataset.agreement`); got != agreement {
		t.Errorf("agreement drawn %q, want %q", got, agreement)
	}
	legend := text(t, tab, "#trajectory-legend")
	if !strings.Contains(legend, "RU's offers") || !strings.Contains(legend, "UA's offers") {
		t.Errorf("trajectory legend %q", legend)
	}
	if got := eval[string](t, tab, "reading the explorer's link", `document.getElementById("explore-link").getAttribute("href")`); got != "#/explore/"+id+"/"+owner {
		t.Errorf("explore link %q", got)
	}
	checkReadable(t, tab, "the watch page with trajectories")
	elementShot(t, tab, "#trajectory", "trajectory")
	k := total / 2
	run(t, tab, "opening the replay at step k",
		chromedp.Navigate(base+fmt.Sprintf("/#/watch/%s/%s/%d", id, owner, k)),
		chromedp.WaitVisible(chromedp.CSS("#replay")))
	waitFor(t, tab, "the trajectories stop at step k", fmt.Sprintf(`document.getElementById("trajectory-canvas")?.dataset.offers === "%d" && document.getElementById("trajectory-canvas").dataset.agreement === ""`, offers[k]))
	run(t, tab, "stepping on", chromedp.Click(chromedp.CSS("#replay-next")))
	waitFor(t, tab, "the trajectories follow the step", fmt.Sprintf(`document.getElementById("trajectory-canvas")?.dataset.offers === "%d"`, offers[k+1]))
}

// commas writes n with thousands separators, as the page does.
func commas(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// BenchmarkBrowserExploreEnergyA is flow 3 of issue 12: the analyst view
// of Energy A (ANAC 2012, 390,625 outcomes) in headless chromium, from
// opening the page to the outcomes, the frontier and the markers drawn
// (the canvas's data-drawn attribute). Each iteration loads the page
// afresh; the negotiation (boulware against boulware) is created once.
func BenchmarkBrowserExploreEnergyA(b *testing.B) {
	dir := sharedtest.Path(b, "scenarios/genius/Energy_anac2012_A")
	files := map[string]string{}
	for _, name := range []string{"Energy-A-domain.xml", "Energy-A-prof1.xml", "Energy-A-prof2.xml"} {
		text, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		files[name] = string(text)
	}
	bctx := browser(b)
	ts := newServer(b)
	id, owner := createNegotiation(b, ts.URL, server.CreateRequest{Files: files,
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "boulware"}}})
	tab := newTab(b, bctx)
	page := ts.URL + "/#/explore/" + id + "/" + owner
	for b.Loop() {
		b.StopTimer() // a fragment link to the same page would not reload it
		if _, err := chromedp.Run(tab, chromedp.Navigate("about:blank")); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := chromedp.Do(tab, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#explore-canvas[data-drawn]`))); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if got, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById("explore-canvas").dataset.points`)); err != nil || got != "390625" {
		b.Fatalf("the explorer drew %q outcomes (%v), want 390625", got, err)
	}
}
