package parleytest

import (
	"context"
	"errors"
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/ufun"
)

// Conceder is a simple deterministic opponent for tests: its target falls
// linearly from its best utility at t = 0 to the larger of its reservation
// value and its worst utility at t = 1; it offers the cheapest outcome at or
// above the target (the lowest-numbered on a tie) and accepts an offer at
// or above the target. It uses no randomness and needs an enumerable space.
type Conceder struct {
	index *ufun.Index
	u     parley.UtilityFunction
	lo    float64
}

var _ parley.Negotiator = (*Conceder)(nil)

// Init sorts the outcomes.
func (c *Conceder) Init(_ context.Context, s *parley.Session) error {
	if s == nil || s.Profile == nil || s.Profile.Space == nil || s.Profile.Utility == nil {
		return fmt.Errorf("parleytest: conceder: %w", parley.ErrNoProfile)
	}
	t, err := ufun.NewTable(s.Profile.Space, s.Profile.Utility)
	if err != nil {
		return fmt.Errorf("parleytest: conceder: %w", err)
	}
	c.index, c.u = t.Index(), t
	c.lo = max(s.Profile.Reservation, c.index.Min())
	return nil
}

// Act accepts an offer at or above the target or offers the target.
func (c *Conceder) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if c.index == nil {
		return parley.Action{}, errors.New("parleytest: conceder: Act before Init")
	}
	target := c.lo + (c.index.Max()-c.lo)*(1-min(max(st.Time, 0), 1))
	if st.Standing != parley.NoOutcome && st.Proposer != st.Me && parley.AtLeast(c.u.Utility(st.Standing), target) {
		return parley.AcceptAction(), nil
	}
	o, ok := c.index.AtLeast(target)
	if !ok {
		o = c.index.Best()
	}
	return parley.OfferOf(o), nil
}
