package chart

import (
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/staged"
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
