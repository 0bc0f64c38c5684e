// Package parleytest provides what tests of negotiators and protocols
// need: Scripted, a negotiator that plays a fixed list of actions; Conceder,
// a simple deterministic opponent; tiny scenarios with hand-known utilities
// (TwoIssue) and synthetic ones (Synthetic); and TestNegotiator, a
// conformance check every parley.Negotiator should pass.
package parleytest

import (
	"context"

	"github.com/parley-dev/parley"
)

// Scripted plays Actions in order, one per turn, and then repeats the last
// one (it ends the negotiation when Actions is empty). It records the
// standing offer it saw at each turn in Seen. Init starts the script over.
type Scripted struct {
	Actions []parley.Action
	Seen    []parley.Outcome // the standing offer at each of its turns

	turn int
}

var _ parley.Negotiator = (*Scripted)(nil)

// Offers returns a script that offers the outcomes in order.
func Offers(outcomes ...parley.Outcome) []parley.Action {
	as := make([]parley.Action, len(outcomes))
	for i, o := range outcomes {
		as[i] = parley.OfferOf(o)
	}
	return as
}

// Init restarts the script.
func (s *Scripted) Init(context.Context, *parley.Session) error {
	s.turn = 0
	s.Seen = s.Seen[:0]
	return nil
}

// Act plays the next action of the script.
func (s *Scripted) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	s.Seen = append(s.Seen, st.Standing)
	if len(s.Actions) == 0 {
		return parley.EndAction(), nil
	}
	a := s.Actions[min(s.turn, len(s.Actions)-1)]
	s.turn++
	return a, nil
}
