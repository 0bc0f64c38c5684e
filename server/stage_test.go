package server_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/tracefile"
)

// TestStageCarried: in the ceasefire's declared protocol (direct talks
// with carry partial_issues, then the US mediates) the mediated stage's
// public opening says what the talks handed over: the policy, the
// starting text and the locked issues, which both sides' last offers in
// the talks agree on and the text keeps. The talks open with
// nothing carried.
func TestStageCarried(t *testing.T) {
	srv := start(t, server.Config{})
	cr := create(t, srv.hs, server.CreateRequest{Scenario: "ceasefire", Protocol: "staged", Seed: 3,
		Seats: []server.Seat{{Kind: "strategy", Spec: "linear"}, {Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "boulware"}}})
	ending(t, srv, cr)
	var stages []*server.Stage
	var wire []json.RawMessage          // the stage events' stage payloads, as sent
	last := map[int]map[string]string{} // each side's last offer in the talks
	for _, raw := range events(t, srv.hs, cr.ID, cr.Tokens.Observer, 0, 0).Events {
		e := decode(t, raw)
		switch {
		case e.Stage != nil:
			stages = append(stages, e.Stage)
			var payload struct{ Stage json.RawMessage }
			if err := json.Unmarshal(raw, &payload); err != nil {
				t.Fatal(err)
			}
			wire = append(wire, payload.Stage)
		case e.Type == server.TypeOffer && e.Action.Stage == 0:
			last[e.Action.Party] = e.Action.Values
		}
	}
	if len(stages) != 2 {
		t.Fatalf("%d stages: the test wants the talks to fail and the mediation to open", len(stages))
	}
	if stages[0].Carried != nil {
		t.Errorf("the talks open with %+v carried over", stages[0].Carried)
	}
	c := stages[1].Carried
	if c == nil || c.Carry != parley.CarryPartialIssues || c.Outcome < 0 || len(c.Values) == 0 || len(c.Locked) == 0 {
		t.Fatalf("the mediation opens with %+v; want the partial_issues carry of a text and locked issues", c)
	}
	for _, is := range c.Locked {
		if c.Values[is] != last[0][is] {
			t.Errorf("the starting text has %s = %s; the talks' last offers agreed on %s", is, c.Values[is], last[0][is])
		}
	}
	var agree []string
	for is, v := range last[0] {
		if last[1][is] == v {
			agree = append(agree, is)
		}
	}
	slices.Sort(agree)
	locked := slices.Sorted(slices.Values(c.Locked))
	if !slices.Equal(agree, locked) {
		t.Errorf("locked %v; the last offers agree on %v", c.Locked, agree)
	}
	t.Logf("carried %+v", c)
	stageSettings(t, wire)
}

// stageSettings checks that the server's stage events (wire: the stage
// payloads as sent) give each stage's settings under the names and
// values a trace gives them (tracefile.StageOf), byte for byte: one name
// per concept. It pins the events' bytes before what was carried over,
// which clients read.
func stageSettings(t *testing.T, wire []json.RawMessage) {
	t.Helper()
	s, err := catalog.Open("ceasefire", catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := plan.FromScenario(s, "")
	if err != nil {
		t.Fatal(err)
	}
	fields := func(b []byte) map[string]json.RawMessage {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	want := []string{
		`{"index":0,"name":"bilateral","mechanism":"alternating_offers","participants":[0,1],"mediator":-1,"rounds":40,"offset":0,` +
			`"round_cost":1,"transition":"deadline","carry":"partial_issues","on_walk_away_next":0.7,"start":"carry"}`,
		`{"index":1,"name":"mediated","mechanism":"mediated","participants":[0,1],"mediator":2,"rounds":80,"offset":40,` +
			`"round_cost":1,"transition":"deadline","carry":"best_acceptable","on_walk_away_next":0,"start":"carry",` +
			`"rule":"unanimous","info":"declared","noise":0.1,"final_vote":true,"carried":{"carry":"partial_issues","outcome":`,
	}
	for k, raw := range wire {
		if k < len(want) && !strings.HasPrefix(string(raw), want[k]) {
			t.Errorf("stage %d: the stage event is\n%s\nwant it to begin\n%s", k, raw, want[k])
		}
		tr, err := json.Marshal(tracefile.StageOf(s.Names(), s.Space, &pl.Stages[k], 1))
		if err != nil {
			t.Fatal(err)
		}
		ev, tm := fields(raw), fields(tr)
		for _, key := range []string{"name", "mechanism", "rounds", "round_cost", "transition", "carry", "on_walk_away_next", "start",
			"rule", "info", "noise", "final_vote"} {
			if !bytes.Equal(ev[key], tm[key]) {
				t.Errorf("stage %d: the stage event has %s %s, the trace %s", k, key, ev[key], tm[key])
			}
		}
	}
}
