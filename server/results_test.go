package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/server"
)

// fakeResults serves one database, "t", whose runs are scripted
// negotiations of the lunch scenario: run i has i offers, then an
// acceptance of the last one. Replays counts the runs replayed.
type fakeResults struct {
	sc      *scenario.Scenario
	replays atomic.Int64
}

func (f *fakeResults) List(context.Context) ([]server.ResultSet, error) {
	return []server.ResultSet{{Name: "t", Kind: "tournament", Protocol: "sao", Done: 2, Total: 4, Scenarios: []string{"lunch"}}}, nil
}

func (f *fakeResults) Report(_ context.Context, name string) (*server.ResultReport, error) {
	switch name {
	case "t":
		return &server.ResultReport{ResultSet: server.ResultSet{Name: "t"}, Report: json.RawMessage(`{"leaderboard":[]}`)}, nil
	case "partial":
		return nil, fmt.Errorf("%w: partial holds 1 of 2 runs", server.ErrUnavailable)
	case "broken":
		return nil, errors.New("disk on fire at /secret/path")
	}
	return nil, fmt.Errorf("%w: %q", server.ErrNoResults, name)
}

func (f *fakeResults) Runs(_ context.Context, name string, offset, limit int) (*server.RunPage, error) {
	if name != "t" {
		return nil, fmt.Errorf("%w: %q", server.ErrNoResults, name)
	}
	p := &server.RunPage{Offset: offset, Total: 2}
	for i := offset; i < min(2, offset+limit); i++ {
		p.Runs = append(p.Runs, json.RawMessage(fmt.Sprintf(`{"job_id":%d}`, i)))
	}
	return p, nil
}

func (f *fakeResults) Replay(_ context.Context, name string, id int64) (*server.Replay, error) {
	if name != "t" || id < 0 || id >= 400 {
		return nil, fmt.Errorf("%w: run %d of %q", server.ErrNoResults, id, name)
	}
	f.replays.Add(1)
	n := int(id%4) + 1
	return &server.Replay{Key: fmt.Sprintf("t/%d", id), Scenario: f.sc, Protocol: server.ProtocolSAO, Deadline: 6,
		Setup: server.Setup{Scenario: "lunch", Seed: uint64(id), Seats: []server.Seat{{Kind: "strategy", Spec: "a"}, {Kind: "strategy", Spec: "b"}}},
		Run: func(_ context.Context, _ func(k, offset int), trace func(k int, e parley.Event)) (*parley.Result, string, error) {
			for s := range n {
				trace(-1, parley.Event{Step: s, Round: s / 2, Party: s % 2, Action: parley.Offer, Outcome: parley.Outcome(s % 6)})
			}
			trace(-1, parley.Event{Step: n, Round: n / 2, Party: n % 2, Action: parley.Accept, Outcome: parley.Outcome((n - 1) % 6)})
			return &parley.Result{Agreement: parley.Outcome((n - 1) % 6), Reason: parley.ReasonAgreement, Party: n % 2, Rounds: n/2 + 1, Steps: n + 1,
				Utilities: []float64{0.5, 0.5}, Discounted: []float64{0.5, 0.5}}, "", nil
		}}, nil
}

// TestResultsEndpoints: the results routes behind the admin token, their
// errors (404, 409, 400, and an internal error shown as such), and a
// replay: a finished, read-only negotiation of the run's actions, made
// once and shown under a fresh owner token each time, kept within
// MaxReplays.
func TestResultsEndpoints(t *testing.T) {
	sc, err := scenario.Read("testdata/lunch.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeResults{sc: sc}
	ts := start(t, server.Config{Results: f, AdminToken: "adm", RateLimit: 1e6, Burst: 1e6})
	none := start(t, server.Config{})

	if st := call(t, none.hs, "GET", "/results", "", nil, nil); st != http.StatusNotFound {
		t.Errorf("GET /results on a server without results: %d, want 404", st)
	}
	for _, c := range []struct {
		method, path, token string
		status              int
		msg                 string
	}{
		{"GET", "/results", "", 401, "admin token"},
		{"GET", "/results/t", "nope", 401, "admin token"},
		{"GET", "/results/t/runs", "", 401, "admin token"},
		{"POST", "/results/t/runs/1/replay", "", 401, "admin token"},
		{"GET", "/results/x", "adm", 404, `"x"`},
		{"GET", "/results/partial", "adm", 409, "1 of 2 runs"},
		{"GET", "/results/broken", "adm", 500, "internal error"},
		{"GET", "/results/t/runs?limit=1001", "adm", 400, "limit"},
		{"GET", "/results/t/runs?offset=x", "adm", 400, "offset"},
		{"POST", "/results/t/runs/-1/replay", "adm", 400, `"-1"`},
		{"POST", "/results/t/runs/400/replay", "adm", 404, "run 400"},
	} {
		var e apiErr
		if st := call(t, ts.hs, c.method, c.path, c.token, nil, &e); st != c.status || !strings.Contains(e.Error, c.msg) {
			t.Errorf("%s %s: %d %q, want %d with %q", c.method, c.path, st, e.Error, c.status, c.msg)
		}
	}
	var list struct{ Results []server.ResultSet }
	if st := call(t, ts.hs, "GET", "/results", "adm", nil, &list); st != 200 || len(list.Results) != 1 || list.Results[0].Done != 2 {
		t.Errorf("GET /results: %d %+v", st, list)
	}
	var page server.RunPage
	if st := call(t, ts.hs, "GET", "/results/t/runs?offset=1&limit=5", "adm", nil, &page); st != 200 || len(page.Runs) != 1 || string(page.Runs[0]) != `{"job_id":1}` {
		t.Errorf("GET /results/t/runs: %d %+v", st, page)
	}

	var r1, r2 server.ReplayResponse
	if st := call(t, ts.hs, "POST", "/results/t/runs/2/replay", "adm", nil, &r1); st != http.StatusCreated {
		t.Fatalf("replay: %d", st)
	}
	call(t, ts.hs, "POST", "/results/t/runs/2/replay", "adm", nil, &r2)
	if r1.ID != r2.ID || r1.Token == r2.Token || f.replays.Load() != 2 {
		t.Errorf("replaying run 2 twice: %+v then %+v", r1, r2)
	}
	var evs1, evs2 server.Events
	call(t, ts.hs, "GET", "/negotiations/"+r1.ID+"/events", r1.Token, nil, &evs1)
	call(t, ts.hs, "GET", "/negotiations/"+r2.ID+"/events", r2.Token, nil, &evs2)
	var types []string
	for _, e := range evs1.Events {
		var ev server.Event
		json.Unmarshal(e, &ev)
		types = append(types, ev.Type)
	}
	want := []string{"created", "setup", "offer", "offer", "offer", "accept", "ended", "result", "result", "analysis"}
	if !evs1.Complete || !reflect.DeepEqual(types, want) || !reflect.DeepEqual(evs1, evs2) {
		t.Errorf("the replay's events: %v (complete %v), want %v, the same under both tokens", types, evs1.Complete, want)
	}
	var view server.View
	if call(t, ts.hs, "GET", "/negotiations/"+r1.ID, r1.Token, nil, &view); view.Status != "ended" || view.Lens != "owner" ||
		view.Ended == nil || view.Ended.Reason != "agreement" || view.Setup == nil || view.Setup.Seed != 2 {
		t.Errorf("the replay's view: %+v", view)
	}
	var e apiErr
	if st := call(t, ts.hs, "POST", "/negotiations/"+r1.ID+"/actions", r1.Token, map[string]any{"step": 0, "action": "accept"}, &e); st != http.StatusForbidden {
		t.Errorf("an action on a replay: %d %q", st, e.Error)
	}
	if st := call(t, ts.hs, "GET", "/results", r1.Token, nil, nil); st != http.StatusUnauthorized {
		t.Errorf("a replay's token opens the results: %d, want 401", st)
	}
	var ns struct{ Negotiations []server.Summary }
	if call(t, ts.hs, "GET", "/negotiations", "adm", nil, &ns); len(ns.Negotiations) != 0 {
		t.Errorf("replays listed as negotiations: %+v", ns)
	}

	// Requests at once for one run: one negotiation, the same id to all.
	ids := make(chan string, 8)
	for range 8 {
		go func() {
			var r server.ReplayResponse
			call(t, ts.hs, "POST", "/results/t/runs/5/replay", "adm", nil, &r)
			ids <- r.ID
		}()
	}
	first := <-ids
	for range 7 {
		if id := <-ids; id != first || id == "" {
			t.Errorf("concurrent replays of run 5: ids %q and %q", first, id)
		}
	}

	// Beyond MaxReplays the oldest is dropped, and its tokens with it;
	// beyond MaxReplayTokens, a replay's oldest token.
	toks := []string{r1.Token, r2.Token}
	for range server.MaxReplayTokens {
		var r server.ReplayResponse
		call(t, ts.hs, "POST", "/results/t/runs/2/replay", "adm", nil, &r)
		toks = append(toks, r.Token)
	}
	if st := call(t, ts.hs, "GET", "/negotiations/"+r1.ID, toks[0], nil, nil); st != http.StatusUnauthorized {
		t.Errorf("the oldest of %d tokens of a replay: %d, want 401", len(toks), st)
	}
	if st := call(t, ts.hs, "GET", "/negotiations/"+r1.ID, toks[len(toks)-1], nil, nil); st != http.StatusOK {
		t.Errorf("the newest token of a replay: %d", st)
	}
	for id := 6; id < 6+server.MaxReplays; id++ {
		var r server.ReplayResponse
		if st := call(t, ts.hs, "POST", fmt.Sprintf("/results/t/runs/%d/replay", id), "adm", nil, &r); st != http.StatusCreated {
			t.Fatalf("replay of run %d: %d", id, st)
		}
	}
	if st := call(t, ts.hs, "GET", "/negotiations/"+r1.ID, toks[len(toks)-1], nil, nil); st != http.StatusUnauthorized {
		t.Errorf("a token of a replay dropped beyond MaxReplays: %d, want 401", st)
	}
	var r3 server.ReplayResponse
	if call(t, ts.hs, "POST", "/results/t/runs/2/replay", "adm", nil, &r3); r3.ID == r1.ID {
		t.Errorf("run 2 replayed again after it was dropped has the old id %s", r3.ID)
	}
}
