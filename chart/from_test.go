package chart

import (
	"context"
	"reflect"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/session"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
)

// TestStagedMoves: stage-local seats become scenario parties, and a
// mediated stage's proposals go to its mediating party.
func TestStagedMoves(t *testing.T) {
	pl := staged.Plan{Stages: []parley.Stage{
		{Name: "talks", Participants: []int{2, 0}, Mediator: -1, Mechanism: parley.MechanismAlternatingOffers},
		{Name: "mediated", Participants: []int{0, 2}, Mediator: 1, Mechanism: parley.MechanismMediated},
		{Name: "anon", Participants: []int{0, 2}, Mediator: -1, Mechanism: parley.MechanismMediated},
	}}
	for _, c := range []struct {
		k     int
		e     parley.Event
		party int
		ok    bool
	}{
		{0, parley.Event{Party: 0, Action: parley.Offer, Outcome: 3}, 2, true},
		{0, parley.Event{Party: 1, Action: parley.Offer, Outcome: 3}, 0, true},
		{0, parley.Event{Party: 1, Action: parley.Accept, Outcome: 3}, 0, false},
		{1, parley.Event{Party: -1, Action: parley.Offer, Outcome: 4}, 1, true},
		{2, parley.Event{Party: -1, Action: parley.Offer, Outcome: 4}, -1, true},
		{2, parley.Event{Party: 5, Action: parley.Offer, Outcome: 4}, 0, false},
		{1, parley.Event{Party: -1, Action: parley.Offer, Outcome: parley.NoOutcome}, 0, false},
	} {
		m, ok := stagedMove(pl, c.k, c.e)
		if ok != c.ok || ok && (m.Party != c.party || m.Stage != c.k || m.Outcome != c.e.Outcome) {
			t.Errorf("stage %d, event %+v: %+v, %v; want party %d, %v", c.k, c.e, m, ok, c.party, c.ok)
		}
	}
}

// TestSessionOf draws a session's run as RunOf or StagedRunOf does.
func TestSessionOf(t *testing.T) {
	s, err := catalog.Open("ceasefire", catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	vots := mediator.Voters() // the variant without mediation needs no mediator
	res := session.Resolver{Negotiator: strategy.Negotiators().Parse,
		Voter: func(x string) (func() mediated.Voter, error) { f, err := vots.Parse(x); return f, err }}
	for _, o := range []session.Options{{Protocol: session.ProtocolSAO, Deadline: 20}, {Variant: "bilateral_only"}} {
		o.Agents, o.Seed = []string{"boulware", "conceder"}, 3
		r, err := session.Run(context.Background(), s, o, res)
		if err != nil {
			t.Fatal(err)
		}
		var want *Negotiation
		if r.Staged != nil {
			want = StagedRunOf(s, r.Specs, 3, r.Plan, r.Events, r.Staged, r.StageRound)
			if !reflect.DeepEqual(want.Stages, r.Plan.Stages) {
				t.Errorf("the figure's stages %+v are not the plan's %+v", want.Stages, r.Plan.Stages)
			}
		} else {
			want = RunOf(s, r.Specs, 3, r.Events, r.Result)
		}
		if got := SessionOf(s, 3, r); !reflect.DeepEqual(got, want) {
			t.Errorf("protocol %q: SessionOf differs", o.Protocol)
		}
	}
}
