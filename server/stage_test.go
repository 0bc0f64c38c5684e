package server_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

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
	last := map[int]map[string]string{} // each side's last offer in the talks
	for _, raw := range events(t, srv.hs, cr.ID, cr.Tokens.Observer, 0, 0).Events {
		e := decode(t, raw)
		switch {
		case e.Stage != nil:
			stages = append(stages, e.Stage)
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
	if c == nil || c.Carry != "partial_issues" || c.Outcome < 0 || len(c.Values) == 0 || len(c.Locked) == 0 {
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
	stageSettings(t, stages)
}

// stageSettings checks that the server's stage events give each stage's
// settings under the names and values a trace gives them
// (tracefile.StageOf): one name per concept.
func stageSettings(t *testing.T, stages []*server.Stage) {
	t.Helper()
	s, err := catalog.Open("ceasefire", catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := plan.FromScenario(s, "")
	if err != nil {
		t.Fatal(err)
	}
	asMap := func(v any) map[string]any {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	for k, st := range stages {
		ev, tr := asMap(st), asMap(tracefile.StageOf(s.Names(), s.Space, &pl.Stages[k], 1))
		for _, key := range []string{"name", "mechanism", "rounds", "round_cost", "transition", "carry", "on_walk_away_next", "start",
			"rule", "info", "noise", "final_vote"} {
			if !reflect.DeepEqual(ev[key], tr[key]) {
				t.Errorf("stage %d: the stage event has %s %v, the trace %v", k, key, ev[key], tr[key])
			}
		}
	}
}
