package web_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/parley-dev/parley/server"
)

// createAPI creates a negotiation over the API.
func createAPI(t testing.TB, base string, req server.CreateRequest) server.CreateResponse {
	t.Helper()
	b, _ := json.Marshal(req)
	r, err := http.Post(base+"/negotiations", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var cr server.CreateResponse
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("create: %s", r.Status)
	}
	if err := json.NewDecoder(r.Body).Decode(&cr); err != nil {
		t.Fatal(err)
	}
	return cr
}

// ownerUtilities reads every party's utilities (n parties) of the
// outcomes named, by outcome then party, from the owner's
// /space/points, a pair of parties at a time, as the watch page does.
func ownerUtilities(t *testing.T, base, id, owner string, n int, outcomes []string) [][]float32 {
	t.Helper()
	us := make([][]float32, len(outcomes))
	for k := range us {
		us[k] = make([]float32, n)
	}
	for x := 0; x < n; x += 2 {
		y := (x + 1) % n
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/negotiations/%s/space/points?x=%d&y=%d&outcomes=%s", base, id, x, y, strings.Join(outcomes, ",")), nil)
		req.Header.Set("Authorization", "Bearer "+owner)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil || r.StatusCode != http.StatusOK || len(b) != 8*len(outcomes) {
			t.Fatalf("space/points: %s, %d bytes (%v)", r.Status, len(b), err)
		}
		for k := range outcomes {
			us[k][x] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*k:]))
			us[k][y] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*(len(outcomes)+k):]))
		}
	}
	return us
}

// getJSON GETs path with token into out and returns the status.
func getJSON(t *testing.T, base, path, token string, out any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	if r.StatusCode == http.StatusOK && out != nil {
		if err := json.NewDecoder(r.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return r.StatusCode
}

// waitEnded waits until negotiation id has ended.
func waitEnded(t *testing.T, base, id, owner string) {
	t.Helper()
	for range 600 {
		var v server.View
		getJSON(t, base, "/negotiations/"+id, owner, &v)
		if v.Status == "ended" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the negotiation did not end")
}

// stagedRun is what the owner's lens shows of a staged negotiation: its
// stages, its public actions, its votes.
type stagedRun struct {
	stages []server.Stage
	offers []server.ActionEvent // offers and proposals, in order
	acts   []string             // every public action's type, in order
	votes  []server.VoteEvent
}

func readRun(t *testing.T, base, id, owner string) stagedRun {
	var r stagedRun
	for _, e := range ownerEvents(t, base, id, owner) {
		var typ string
		json.Unmarshal(e["type"], &typ)
		switch {
		case typ == "stage":
			var s server.Stage
			json.Unmarshal(e["stage"], &s)
			r.stages = append(r.stages, s)
		case e["vote"] != nil:
			var v server.VoteEvent
			json.Unmarshal(e["vote"], &v)
			r.votes = append(r.votes, v)
		case e["action"] != nil:
			var a server.ActionEvent
			json.Unmarshal(e["action"], &a)
			r.acts = append(r.acts, typ)
			if typ == "offer" {
				r.offers = append(r.offers, a)
			}
		}
	}
	return r
}

// TestBrowserWatchStaged: the watch page of the ceasefire's declared
// protocol (direct talks, then the US mediates; built-in seats) shows the
// stage timeline with what the talks carried over (the starting text and
// the locked issue, as the log has them) and where it ended; the owner's
// page adds every party's utility over time, checked against the
// owner's utilities endpoint, and the votes on each proposal; the
// observer's page shows the proposals without votes and never asks for
// utilities. A replay permalink to a step in the talks shows the timeline
// and the chart up to that step.
func TestBrowserWatchStaged(t *testing.T) {
	bctx := browser(t)
	ts := newServer(t)
	c := loadCeasefire(t)
	cr := createAPI(t, ts.URL, server.CreateRequest{Scenario: "ceasefire", Protocol: "staged", Seed: 3,
		Seats: []server.Seat{{Kind: "strategy", Spec: "linear"}, {Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "boulware"}}})
	waitEnded(t, ts.URL, cr.ID, cr.Tokens.Owner)
	run := readRun(t, ts.URL, cr.ID, cr.Tokens.Owner)
	if len(run.stages) != 2 || run.stages[1].Carried == nil || len(run.stages[1].Carried.Locked) == 0 || len(run.votes) == 0 {
		t.Fatalf("stages %+v, %d votes: the test wants talks that hand a text with locked issues to the mediation", run.stages, len(run.votes))
	}
	carried := run.stages[1].Carried
	var proposals []server.ActionEvent
	for _, a := range run.offers {
		if a.Party < 0 {
			proposals = append(proposals, a)
		}
	}
	ids := make([]string, len(run.offers))
	for i, a := range run.offers {
		ids[i] = fmt.Sprint(a.Outcome)
	}
	parties := []string{"RU", "UA", "US"} // the ceasefire's, in order
	u := ownerUtilities(t, ts.URL, cr.ID, cr.Tokens.Owner, len(parties), ids)

	for _, lens := range []string{"observer", "owner"} {
		tok := cr.Tokens.Observer
		if lens == "owner" {
			tok = cr.Tokens.Owner
		}
		tab := newTab(t, bctx)
		tr := capture(t, tab)
		run1(t, tab, "opening the "+lens+"'s watch page", ts.URL+"/#/watch/"+cr.ID+"/"+tok)
		stages := eval[[]string](t, tab, "reading the timeline", `[...document.querySelectorAll("#timeline li.stage")].map(li => li.textContent)`)
		if len(stages) != 2 || !strings.HasPrefix(stages[0], "Stage 1, bilateral: direct talks (alternating offers) between RU and UA; rounds 1–40") ||
			!strings.HasPrefix(stages[1], "Stage 2, mediated: mediation (a single text put to votes) between RU and UA, mediated by US (rule unanimous: every voter must accept a text; information declared: the mediator sees the votes and the preferences the parties declared (with noise))") || !strings.Contains(stages[1], "the negotiation ended here") {
			t.Errorf("%s: timeline %q", lens, stages)
		}
		if got := textNow(t, tab, "#carry-1 .carried-outcome"); got != c.valueText(carried.Outcome) {
			t.Errorf("%s: carried %q, the log has %q", lens, got, c.valueText(carried.Outcome))
		}
		if got := textNow(t, tab, "#carry-1 .locked"); got != words(strings.Join(carried.Locked, ", ")) {
			t.Errorf("%s: locked %q, the log has %v", lens, got, carried.Locked)
		}
		listed := eval[[]string](t, tab, "reading the proposals", `[...document.querySelectorAll("#proposals .proposal-values")].map(e => e.textContent)`)
		if len(listed) != len(proposals) || listed[0] != c.valueText(proposals[0].Outcome) {
			t.Errorf("%s: %d proposals listed (first %q), the log has %d", lens, len(listed), listed, len(proposals))
		}
		votes := eval[[]string](t, tab, "reading the votes", `[...document.querySelectorAll("#proposals .votes")].map(e => e.textContent)`)
		charts := eval[int](t, tab, "looking for the chart", `document.querySelectorAll("#utility-chart").length`)
		checkReadable(t, tab, "the "+lens+"'s watch page of a staged run")
		if lens == "observer" {
			if len(votes) != 0 || charts != 0 || textNow(t, tab, "#votes-hidden") == "" {
				t.Errorf("observer: %d votes and %d charts shown, want none and the note", len(votes), charts)
			}
			for _, url := range tr.requests {
				if strings.Contains(url, "/utilities") || strings.Contains(url, "/assist") {
					t.Errorf("the observer's page asked %s", url)
				}
			}
			for where, body := range tr.received() {
				if strings.Contains(where, "/ui/") {
					continue // the bundle names every field
				}
				for _, needle := range []string{`"utilities"`, `"vote"`, `"audience":"seat:`, `"audience":"owner`} {
					if strings.Contains(body, needle) {
						t.Errorf("the observer's page received %s in %s", needle, where)
					}
				}
			}
			continue
		}
		// The owner: the votes on the first proposal, as the log has them.
		var want []string
		for _, v := range run.votes {
			if v.Step > proposals[0].Step && v.Step <= proposals[0].Step+2 {
				w := "rejected"
				if v.Accept {
					w = "accepted"
				}
				want = append(want, c.partyName(v.Party)+" "+w)
			}
		}
		adopted := " The text stayed as it was."
		if !slices.ContainsFunc(want, func(w string) bool { return strings.HasSuffix(w, "rejected") }) {
			adopted = " It became the text." // rule unanimous
		}
		if len(votes) == 0 || votes[0] != "Votes: "+strings.Join(want, ", ")+"."+adopted {
			t.Errorf("owner: votes %q, the log has %q on the first proposal", at(votes, 0), want)
		}
		// The chart: a point per party and offer made to it (in the talks,
		// RU's and UA's offers to each other; in the mediation, the US's
		// proposals to all three), with the utilities the owner's
		// endpoint gives.
		var want2 []string
		for p, name := range parties {
			for k, a := range run.offers {
				st := run.stages[max(a.Stage, 0)]
				if a.Party != p && (slices.Contains(st.Participants, p) || st.Mediator == p) {
					want2 = append(want2, name+"'s utility "+u3(float64(u[k][p])))
				}
			}
		}
		waitFor(t, tab, "the chart has every point", fmt.Sprintf(`document.querySelectorAll("#utility-chart table tbody tr").length === %d`, len(want2)))
		rows := eval[[]string](t, tab, "reading the chart's data", `[...document.querySelectorAll("#utility-chart table tbody tr")].map(r => r.cells[0].textContent + " " + r.cells[3].textContent)`)
		if !slices.Equal(rows, want2) {
			t.Fatalf("owner: the chart's points\n%q\nwant\n%q", rows, want2)
		}
		if n := eval[int](t, tab, "counting lines", `document.querySelectorAll("#utility-chart svg polyline").length`); n != len(parties) {
			t.Errorf("owner: %d lines, want one per party", n)
		}
		// Each party's reservation value, a dashed line in its colour.
		res := reservationsOf(t)
		waitFor(t, tab, "the chart has the reservation lines", fmt.Sprintf(`document.querySelectorAll("#utility-chart line.reservation").length === %d`, len(res)))
		lines := eval[[]string](t, tab, "reading the reservation lines", `[...document.querySelectorAll("#utility-chart line.reservation")].map(l => l.dataset.party + " " + l.dataset.y)`)
		if !slices.Equal(lines, res) {
			t.Errorf("owner: reservation lines %q, want %q", lines, res)
		}
		colours := eval[[]string](t, tab, "reading the colours", `[...document.querySelectorAll("#utility-chart line.reservation")].map(l => l.getAttribute("stroke") + " " + l.getAttribute("stroke-dasharray"))`)
		if want := []string{"#0072b2 5 4", "#d55e00 5 4", "#009e73 5 4"}; !slices.Equal(colours, want) {
			t.Errorf("owner: reservation lines drawn %q, want each party's colour, dashed: %q", colours, want)
		}
		if got := textNow(t, tab, "#utility-chart li.levels"); !strings.Contains(got, "RU's reservation value ") {
			t.Errorf("owner: the legend says %q of the reservation lines", got)
		}
		screenshotTop(t, tab, "watch-staged", "#proposals-box h2")

		// A permalink into the talks: one stage, the chart up to it.
		step := 6 // the replay counts the public actions
		k := 0
		for _, typ := range run.acts[:step] {
			if typ == "offer" {
				k++
			}
		}
		run1(t, tab, "opening a step's permalink", fmt.Sprintf("%s/#/watch/%s/%s/%d", ts.URL, cr.ID, tok, step))
		waitFor(t, tab, "the replay is at the step", fmt.Sprintf(`document.getElementById("replay")?.value === "%d"`, step))
		stages = eval[[]string](t, tab, "reading the timeline", `[...document.querySelectorAll("#timeline li.stage")].map(li => li.textContent)`)
		if len(stages) != 1 || !strings.Contains(stages[0], "now: round") {
			t.Errorf("at step %d: timeline %q, want the talks, now", step, stages)
		}
		// (one for each of the offers in the talks, to the other side)
		waitFor(t, tab, fmt.Sprintf("the chart has the %d points up to step %d", k, step),
			fmt.Sprintf(`document.querySelectorAll("#utility-chart table tbody tr").length === %d`, k))
	}
}

// textNow reads the text of the first element matching sel in one
// evaluation ("" when there is none): the owner's watch page draws itself
// again as utilities arrive, which may replace a node between chromedp's
// finding it and reading it.
func textNow(t *testing.T, tab context.Context, sel string) string {
	t.Helper()
	return strings.TrimSpace(eval[string](t, tab, "reading "+sel, `document.querySelector("`+sel+`")?.textContent ?? ""`))
}

// run1 navigates the tab to url and waits for the watch page's stages.
func run1(t *testing.T, tab context.Context, what, url string) {
	t.Helper()
	run(t, tab, what, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("#timeline")))
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "(none)"
}

// TestBrowserMediateAssist is flow 2 with the assist panel: the console
// shows what the built-in Nash-seeking and hill-climbing mediators would
// propose (as the mediator's own assist endpoint has it), labelled as
// suggestions not sent; loading the Nash-seeking one into the composer
// and sending it puts exactly that text to a vote, which both voters
// answer. The console then charts the mediator's own utility (the US is a
// party) of its proposals.
func TestBrowserMediateAssist(t *testing.T) {
	bctx := browser(t)
	ts := newServer(t)
	c := loadCeasefire(t)
	join, id, owner := startMediation(t, bctx, ts.URL)
	token := join[strings.LastIndex(join, "/")+1:]
	tab := newTab(t, bctx)
	run(t, tab, "opening the mediator's chair", chromedp.Navigate(ts.URL+"/"+join),
		chromedp.WaitVisible(chromedp.CSS("#propose:not([disabled])")), chromedp.WaitVisible(chromedp.CSS("#load-nash")))
	var a server.Assist
	if st := getJSON(t, ts.URL, "/negotiations/"+id+"/assist", token, &a); st != http.StatusOK {
		t.Fatalf("assist: %d", st)
	}
	var nash server.Suggestion
	for _, s := range a.Suggestions {
		if s.Mediator == "nash" {
			nash = s
		}
	}
	if nash.Action != "offer" || nash.Outcome == nil {
		t.Fatalf("the nash mediator suggests %+v, want a proposal", nash)
	}
	heads := eval[[]string](t, tab, "reading the suggestions", `[...document.querySelectorAll("#assist .suggestion h3")].map(e => e.textContent)`)
	if !slices.Equal(heads, []string{"Suggestion from the built-in Nash-seeking (nash) mediator — not sent",
		"Suggestion from the built-in hill-climbing (hillclimb) mediator — not sent"}) {
		t.Errorf("suggestions %q", heads)
	}
	if got := textNow(t, tab, "#suggestion-nash .suggested-values"); got != c.valueText(*nash.Outcome) {
		t.Errorf("nash suggestion shown %q, the endpoint has %q", got, c.valueText(*nash.Outcome))
	}
	checkReadable(t, tab, "the mediator's console with the assist panel")
	before := len(readRun(t, ts.URL, id, owner).offers)
	run(t, tab, "loading the suggestion", chromedp.Click(chromedp.CSS("#load-nash")))
	got := eval[[]int](t, tab, "reading the composer", `[...document.querySelectorAll("#composer select")].map(s => Number(s.value))`)
	if !slices.Equal(got, c.choice(*nash.Outcome)) {
		t.Fatalf("the composer holds %v, the suggestion is %v", got, c.choice(*nash.Outcome))
	}
	if r := readRun(t, ts.URL, id, owner); len(r.offers) != before {
		t.Fatal("loading the suggestion sent it")
	}
	screenshot(t, tab, "mediate-assist")
	step := eval[string](t, tab, "reading the step", `document.getElementById("text-h").dataset.step`)
	run(t, tab, "sending the loaded text to a vote",
		chromedp.Click(chromedp.CSS("#propose")),
		chromedp.WaitVisible(chromedp.CSS(`#text-h:not([data-step="`+step+`"])`)),
		chromedp.WaitVisible(chromedp.CSS("#votes")),
		chromedp.WaitVisible(chromedp.CSS("#own-utility-chart")))
	r := readRun(t, ts.URL, id, owner)
	last := r.offers[len(r.offers)-1]
	votes := 0
	for _, v := range r.votes {
		if v.Outcome == *nash.Outcome && v.Step > last.Step {
			votes++
		}
	}
	if last.Party != -1 || last.Outcome != *nash.Outcome || votes != 2 {
		t.Errorf("the mediator proposed %d (party %d) and %d votes followed; want the suggestion %d and both votes", last.Outcome, last.Party, votes, *nash.Outcome)
	}
	// The chart: the US's own utility of its proposal, as its session has it.
	ses := mediatorSessionOf(t, ts.URL, id, owner)
	chart := eval[[]string](t, tab, "reading the own-utility chart", `[...document.querySelectorAll("#own-utility-chart table tbody tr")].map(r => r.cells[0].textContent + " " + r.cells[3].textContent)`)
	if want := []string{"your proposals " + u3(ses.Utilities[*nash.Outcome])}; ses.Party < 0 || !slices.Equal(chart, want) {
		t.Errorf("the own-utility chart shows %q, want %q (the mediator's party %d)", chart, want, ses.Party)
	}
}

// adoptYAML is a two-party scenario over one issue: p prefers a, q
// prefers b, and both can live with either.
const adoptYAML = `name: pick
deadline: 6
issues:
  - name: x
    values: [a, b]
parties:
  - name: p
    reservation: 0.5
    weights: {x: 1}
    values:
      x: {a: 1, b: 0.6}
  - name: q
    reservation: 0.5
    weights: {x: 1}
    values:
      x: {a: 0.6, b: 1}
`

// TestBrowserMediateAdopt: under rule mediator, a proposal that one voter
// rejects comes back to the person in the mediator's chair as an adopt
// turn, with the suggestions of the built-in mediators for it (the
// hill-climbing one, which never adopts, keeps the text); adopting it
// makes it the current text.
func TestBrowserMediateAdopt(t *testing.T) {
	bctx := browser(t)
	ts := newServer(t)
	cr := createAPI(t, ts.URL, server.CreateRequest{Files: map[string]string{"pick.yaml": adoptYAML}, Protocol: "mediated", Rule: "mediator", Info: "full", Seed: 3,
		Seats:    []server.Seat{{Kind: "strategy", Voter: "hillclimber"}, {Kind: "strategy", Voter: "hillclimber"}},
		Mediator: &server.Seat{Kind: "remote"}})
	tab := newTab(t, bctx)
	run(t, tab, "opening the mediator's chair", chromedp.Navigate(ts.URL+"/#/mediate/"+cr.ID+"/"+cr.Tokens.Mediator),
		chromedp.WaitVisible(chromedp.CSS("#propose:not([disabled])")))
	text0 := eval[string](t, tab, "reading the text", `document.querySelector("#current-text dd").textContent`)
	other := map[string]string{"a": "1", "b": "0"}[text0] // the value that is not the text: one voter gains, one loses
	eval[string](t, tab, "choosing x", `(() => { const s = document.getElementById("issue-x"); s.value = "`+other+`"; s.dispatchEvent(new Event("change")); return s.value; })()`)
	run(t, tab, "proposing the other value", chromedp.Click(chromedp.CSS("#propose")), chromedp.WaitVisible(chromedp.CSS("#adopt")),
		chromedp.WaitVisible(chromedp.CSS("#suggestion-hillclimb .suggested-action")))
	if got := text(t, tab, "#turn"); !strings.HasPrefix(got, "Your turn: not every party accepted your proposal") {
		t.Errorf("turn %q", got)
	}
	if got := textNow(t, tab, "#suggestion-hillclimb .suggested-action"); got != "Keep the current text." {
		t.Errorf("hillclimb suggests %q on the adopt turn", got)
	}
	checkReadable(t, tab, "the console's adopt turn")
	run(t, tab, "adopting the proposal", chromedp.Click(chromedp.CSS("#adopt")), chromedp.WaitVisible(chromedp.CSS("#propose:not([disabled])")))
	want := map[string]string{"1": "b", "0": "a"}[other]
	if got := eval[string](t, tab, "reading the text", `document.querySelector("#current-text dd").textContent`); got != want {
		t.Errorf("the text is %q after adopting %q", got, want)
	}
}

// screenshotTop saves the top of the page in the tab, down to the bottom
// of the element sel, as docs/web/NAME.png under -update: the part of a
// long page that a section of docs/web.md shows.
func screenshotTop(t *testing.T, ctx context.Context, name, sel string) {
	t.Helper()
	if !*update {
		return
	}
	bottom := eval[float64](t, ctx, "measuring "+sel, `(() => { const r = document.querySelector("`+sel+`").getBoundingClientRect(); return r.bottom + window.scrollY + 16; })()`)
	yes := true
	width := eval[float64](t, ctx, "measuring the page", `document.documentElement.clientWidth`)
	buf, err := chromedp.Run(ctx, chromedp.Action[[]byte](func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		r, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{CaptureBeyondViewport: &yes, FromSurface: &yes,
			Clip: &page.Viewport{X: 0, Y: 0, Width: width, Height: bottom, Scale: 1}})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "docs", "web", name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}
