package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parley-dev/parley/server"
)

// TestBrowserTrajectoryPair: on the owner's watch page of the ceasefire
// under plain alternating offers, where RU, UA and the US all offer, the
// trajectories start with RU against UA and a labelled pair chooser (the
// analyst view's) puts the US on the vertical axis from the keyboard;
// every offer of the log is then drawn in the new pair's space. On a live
// page the chooser keeps the focus as offers arrive.
func TestBrowserTrajectoryPair(t *testing.T) {
	bctx := browser(t)
	ts := newServer(t)
	id, owner := createNegotiation(t, ts.URL, server.CreateRequest{Scenario: "ceasefire", Protocol: "sao", Seed: 3, Deadline: 30,
		Seats: []server.Seat{{Kind: "strategy", Spec: "conceder"}, {Kind: "strategy", Spec: "linear"}, {Kind: "strategy", Spec: "boulware"}}})
	tab := newTab(t, bctx)
	run(t, tab, "opening the owner's watch page",
		chromedp.Navigate(ts.URL+"/#/watch/"+id+"/"+owner),
		chromedp.WaitVisible(chromedp.CSS("#ended")))
	offers, byParty := 0, map[int]int{}
	for _, e := range ownerEvents(t, ts.URL, id, owner) {
		var typ string
		json.Unmarshal(e["type"], &typ)
		if typ != "offer" {
			continue
		}
		var a struct{ Party int }
		json.Unmarshal(e["action"], &a)
		offers++
		byParty[a.Party]++
	}
	if byParty[2] == 0 {
		t.Fatalf("the US made no offer (%v): the test needs its offers", byParty)
	}
	drawn := func(pair string) string {
		return fmt.Sprintf(`document.getElementById("trajectory-canvas")?.dataset.pair === %q && document.getElementById("trajectory-canvas").dataset.offers === "%d"`, pair, offers)
	}
	waitFor(t, tab, "RU against UA is drawn", drawn("0,1"))
	for _, c := range []struct{ id, label string }{{"trajectory-x", "Horizontal axis: utility of"}, {"trajectory-y", "Vertical axis: utility of"}} {
		if got := eval[string](t, tab, "reading "+c.id+"'s label", `document.querySelector('label[for="`+c.id+`"]')?.textContent ?? ""`); got != c.label {
			t.Errorf("#%s is labelled %q, want %q", c.id, got, c.label)
		}
	}
	if legend := text(t, tab, "#trajectory-legend"); !strings.Contains(legend, "US's offers") {
		t.Errorf("trajectory legend %q lacks the US's offers", legend)
	}

	run(t, tab, "choosing the US on the vertical axis with the keyboard",
		chromedp.Focus(chromedp.CSS("#trajectory-y")), chromedp.KeyEvent(kb.ArrowDown))
	waitFor(t, tab, "RU against the US is drawn", drawn("0,2"))
	if got := text(t, tab, "#trajectory-note"); got != "RU's utility (horizontal) against US's (vertical)." {
		t.Errorf("the panel says %q", got)
	}
	if at := eval[string](t, tab, "reading the focus", `document.activeElement.id`); at != "trajectory-y" {
		t.Errorf("after the choice the focus is on %q, want the chooser", at)
	}
	checkReadable(t, tab, "the watch page with a pair chooser")

	// Live, the chooser keeps the keyboard focus as events arrive: RU
	// (a remote seat) offers while the owner's focus is on it.
	cr := createAPI(t, ts.URL, server.CreateRequest{Scenario: "ceasefire", Protocol: "sao", Seed: 3, Deadline: 30,
		Seats: []server.Seat{{Kind: "remote"}, {Kind: "strategy", Spec: "linear"}, {Kind: "strategy", Spec: "boulware"}}})
	step, _ := nextTurn(t, ts.URL, cr.ID, cr.Tokens.Seats[0], 0)
	live := newTab(t, bctx)
	run(t, live, "opening the live watch page",
		chromedp.Navigate(ts.URL+"/#/watch/"+cr.ID+"/"+cr.Tokens.Owner),
		chromedp.WaitVisible(chromedp.CSS(`#trajectory-canvas[data-pair="0,1"]`)),
		chromedp.Focus(chromedp.CSS("#trajectory-y")))
	postAction(t, ts.URL, cr.ID, cr.Tokens.Seats[0], fmt.Sprintf(`{"step": %d, "action": "offer", "outcome": 0}`, step))
	waitFor(t, live, "the offers arrive", `Number(document.getElementById("trajectory-canvas")?.dataset.offers) >= 1`)
	if at := eval[string](t, live, "reading the focus", `document.activeElement.id`); at != "trajectory-y" {
		t.Errorf("after the live page drew the new offers, the focus is on %q, want the chooser", at)
	}
}
