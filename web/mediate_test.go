package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parley-dev/parley"
)

// mediatorSession is the mediator's session in the owner's lens.
type mediatorSession struct {
	Party     int
	Utilities []float64
	Declared  []struct {
		Party     int
		Utilities []float64
	}
}

// mediatorSessionOf is the mediator's (last) session in the owner's lens.
func mediatorSessionOf(t *testing.T, base, id, owner string) mediatorSession {
	t.Helper()
	var ses mediatorSession
	for _, e := range ownerEvents(t, base, id, owner) {
		var typ, aud string
		json.Unmarshal(e["type"], &typ)
		json.Unmarshal(e["audience"], &aud)
		if typ == "session" && aud == "mediator" {
			json.Unmarshal(e["session"], &ses)
		}
	}
	return ses
}

// TestBrowserMediate is flow 2 of issue 12: a person takes the mediator's
// chair of the ceasefire's mediated stage (mediated_from_start) between
// two built-in voters, started from the home page; composes a text issue
// by issue, seeing the voters' declared utilities of it; sends it to a
// vote and sees the votes as the owner's lens has them; then steps back.
// The mediator's page receives the declared (noisy) profiles and never the
// voters' true ones.
func TestBrowserMediate(t *testing.T) {
	bctx := browser(t)
	ts := newServer(t)
	c := loadCeasefire(t)
	join, id, owner := startMediation(t, bctx, ts.URL)

	tab := newTab(t, bctx)
	tr := capture(t, tab)
	run(t, tab, "opening the mediator's chair", chromedp.Navigate(ts.URL+"/"+join), chromedp.WaitVisible(chromedp.CSS("#propose:not([disabled])")))
	if got := text(t, tab, "#info"); !strings.HasPrefix(got, "Information level declared") {
		t.Errorf("information level %q", got)
	}
	ses := mediatorSessionOf(t, ts.URL, id, owner)
	if len(ses.Declared) != 2 {
		t.Fatalf("the owner's lens shows the mediator %d declared profiles, want RU's and UA's", len(ses.Declared))
	}

	// Compose the outcome good for both and check the utilities shown.
	target := c.agreeable()
	setOffer(t, tab, c, target)
	for _, d := range ses.Declared {
		sel := fmt.Sprintf(`#composer li[data-party="%d"] .declared-utility`, d.Party)
		if got, want := text(t, tab, sel), u3(d.Utilities[target]); got != want {
			t.Errorf("party %d's declared utility shows %s, want %s", d.Party, got, want)
		}
	}
	if ses.Party >= 0 {
		if got, want := text(t, tab, "#composer #own-utility"), u3(ses.Utilities[target]); got != want {
			t.Errorf("the mediator's own utility shows %s, want %s", got, want)
		}
	}
	screenshot(t, tab, "mediate")
	checkReadable(t, tab, "the mediator's console")

	step := eval[string](t, tab, "reading the step", `document.getElementById("text-h").dataset.step`)
	run(t, tab, "sending the text to a vote",
		chromedp.Click(chromedp.CSS("#propose")),
		chromedp.WaitVisible(chromedp.CSS(`#text-h:not([data-step="`+step+`"])`)),
		chromedp.WaitVisible(chromedp.CSS("#votes")))
	var want []string
	for _, e := range ownerEvents(t, ts.URL, id, owner) {
		if e["vote"] == nil { // votes are accept and reject events with a vote payload
			continue
		}
		var v struct {
			Party, Outcome int
			Accept         bool
		}
		json.Unmarshal(e["vote"], &v)
		if v.Outcome == target {
			w := "rejected"
			if v.Accept {
				w = "accepted"
			}
			want = append(want, c.partyName(v.Party)+": "+w)
		}
	}
	got := eval[[]string](t, tab, "reading the votes", `[...document.querySelectorAll("#votes li")].map(li => li.textContent)`)
	for i := range got {
		got[i], _, _ = strings.Cut(got[i], " (")
	}
	if len(want) != 2 || !slices.Equal(got, want) {
		t.Errorf("votes shown %q, the owner's lens has %q", got, want)
	}
	run(t, tab, "stepping back",
		chromedp.Click(chromedp.CSS("#step-back")),
		chromedp.Click(chromedp.CSS("#step-back-confirm")),
		chromedp.WaitVisible(chromedp.CSS("#ended")))
	var reason string
	for _, e := range ownerEvents(t, ts.URL, id, owner) {
		var typ string
		json.Unmarshal(e["type"], &typ)
		if typ == "ended" {
			var en struct{ Reason string }
			json.Unmarshal(e["ended"], &en)
			reason = en.Reason
		}
	}
	if got := text(t, tab, "#ended"); reason != "mediator_exit" || got != "The mediator left" {
		t.Errorf("ending %q, the owner's lens has reason %q (want mediator_exit)", got, reason)
	}

	// The mediator's traffic: the declared profiles (a control), never the
	// voters' true utilities, nothing for another audience, no result.
	prefix := func(us []float64) string {
		b, _ := json.Marshal(us[:6])
		return strings.TrimSuffix(string(b), "]")
	}
	sawDeclared := false
	for where, body := range tr.received() {
		if strings.Contains(body, prefix(ses.Declared[0].Utilities)) {
			sawDeclared = true
		}
		for _, p := range []*parley.Profile{c.ru, c.ua} {
			us := make([]float64, 6)
			for o := range us {
				us[o] = p.Utility.Utility(parley.Outcome(o))
			}
			if strings.Contains(body, prefix(us)) {
				t.Errorf("%s holds %s's true utilities", where, p.Name)
			}
		}
		for _, needle := range []string{`"type":"result"`, `"type":"setup"`, `"audience":"owner`} {
			if strings.Contains(body, needle) {
				t.Errorf("%s holds %s", where, needle)
			}
		}
		var v any
		if json.Unmarshal([]byte(body), &v) == nil {
			walkAudiences(t, where, v, "mediator")
		}
	}
	if !sawDeclared {
		t.Error("the capture never saw the declared profiles: it cannot see a leak either")
	}
}

// walkAudiences fails t for any event whose audience lacks both public
// and lens.
func walkAudiences(t *testing.T, where string, v any, lens string) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walkAudiences(t, where, e, lens)
		}
	case map[string]any:
		if a, ok := x["audience"].(string); ok {
			parts := strings.Split(a, "|")
			if !slices.Contains(parts, "public") && !slices.Contains(parts, lens) {
				t.Errorf("%s: an event for audience %q", where, a)
			}
		}
		for _, e := range x {
			walkAudiences(t, where, e, lens)
		}
	}
}

// TestBrowserMediateFinalVote: after a round, the mediator's console offers
// to call the final vote on the current text (the server's can_call), and
// calling it makes every voter vote on that text at once, before any
// further proposal.
func TestBrowserMediateFinalVote(t *testing.T) {
	bctx := browser(t)
	ts := newServer(t)
	c := loadCeasefire(t)
	join, id, owner := startMediation(t, bctx, ts.URL)
	tab := newTab(t, bctx)
	run(t, tab, "opening the mediator's chair", chromedp.Navigate(ts.URL+"/"+join), chromedp.WaitVisible(chromedp.CSS("#propose:not([disabled])")))
	if n := eval[int](t, tab, "looking for the call button", `document.querySelectorAll("#final-vote").length`); n != 0 {
		t.Error("the first turn offers to call the final vote")
	}
	setOffer(t, tab, c, c.agreeable())
	step := eval[string](t, tab, "reading the step", `document.getElementById("text-h").dataset.step`)
	run(t, tab, "sending the text to a vote",
		chromedp.Click(chromedp.CSS("#propose")),
		chromedp.WaitVisible(chromedp.CSS(`#text-h:not([data-step="`+step+`"])`)),
		chromedp.WaitVisible(chromedp.CSS("#final-vote:not([disabled])")))
	count := func() (votes, proposals int, ended string) {
		for _, e := range ownerEvents(t, ts.URL, id, owner) {
			var typ string
			json.Unmarshal(e["type"], &typ)
			switch {
			case e["vote"] != nil:
				votes++
			case typ == "offer":
				var a struct{ Party int }
				json.Unmarshal(e["action"], &a)
				if a.Party == -1 {
					proposals++
				}
			case typ == "ended":
				var en struct{ Reason string }
				json.Unmarshal(e["ended"], &en)
				ended = en.Reason
			}
		}
		return
	}
	votes, proposals, _ := count()
	step = eval[string](t, tab, "reading the step", `document.getElementById("text-h").dataset.step`)
	clickWhenReady(t, tab, "calling the final vote", "#final-vote:not([disabled])")
	waitFor(t, tab, "the final vote is over", `document.getElementById("ended") !== null || document.getElementById("text-h")?.dataset.step !== "`+step+`"`)
	votes2, proposals2, ended := count()
	if votes2 != votes+2 || proposals2 != proposals {
		t.Errorf("after the call: %d votes (was %d) and %d proposals (was %d); want both voters to vote on the text before any proposal", votes2, votes, proposals2, proposals)
	}
	t.Logf("the final vote ended the negotiation: %q", ended)
	// The console says how the final vote went: the ending, or that it
	// did not pass and the mediation goes on.
	if ended == "" {
		waitFor(t, tab, "the console says the final vote failed", `!!document.getElementById("final-failed")`)
	} else if got := text(t, tab, "#ended"); got == "" {
		t.Errorf("the final vote ended the negotiation (%s), and the console shows no ending", ended)
	}
	// The history offers to compose from the proposal, not from the votes.
	if got := eval[[]string](t, tab, "reading the history's buttons", `[...document.querySelectorAll("#offer-list tr.action")].filter(r => r.querySelector("button")).map(r => r.cells[2].textContent)`); len(ended) == 0 && !slices.Equal(got, []string{"proposed"}) {
		t.Errorf("the history's Edit buttons are on %q, want the one proposal", got)
	}
}

// startMediation creates, from the home page at base, a ceasefire
// negotiation (mediated_from_start) with a person in the mediator's chair,
// and returns the mediator's join link, the negotiation's id and the
// owner's token.
func startMediation(t *testing.T, bctx context.Context, base string) (join, id, owner string) {
	t.Helper()
	run(t, bctx, "filling the new-negotiation form",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS("#new-negotiation")),
		chromedp.SetValue(chromedp.CSS("#protocol"), "staged:mediated_from_start"),
		chromedp.SetValue(chromedp.CSS("#mediator-kind"), "person"),
		chromedp.Click(chromedp.CSS(`#new-negotiation button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#mediator-link")))
	join = eval[string](t, bctx, "reading the mediator's link", `document.getElementById("mediator-link").getAttribute("href")`)
	id = strings.Split(strings.TrimPrefix(join, "#/mediate/"), "/")[0]
	stored := eval[string](t, bctx, "reading the owner's token", `localStorage.getItem("parley.tokens.`+id+`")`)
	var tokens struct{ Owner string }
	if err := json.Unmarshal([]byte(stored), &tokens); err != nil {
		t.Fatal(err)
	}
	return join, id, tokens.Owner
}
