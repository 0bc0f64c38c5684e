package strategy

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy/boa"
)

// TitForTatOptions configure a TitForTat negotiator. The zero value uses
// AC_next.
type TitForTatOptions struct {
	// Accept decides on the offer on the table; nil means boa.ACNext(1, 0).
	// An offer below the reservation value r(t), or across a red line, is
	// refused regardless.
	Accept boa.Acceptance
	// Samples is the number of outcomes to sample when the space is too
	// large to enumerate (default DefaultSamples).
	Samples int
}

// Validate names the first bad field.
func (o *TitForTatOptions) Validate() error {
	if o.Samples < 0 {
		return fmt.Errorf("strategy: tit-for-tat: Samples = %d is negative", o.Samples)
	}
	return nil
}

// TitForTat is the naive utility-space tit-for-tat (the absolute
// behaviour-dependent tactic of Faratin, Sierra and Jennings 1998, in the
// common ANAC form): it opens with its best outcome and afterwards concedes,
// in its own utility, as much as the opponent's last move conceded measured
// in its own utility:
//
//	target ← target − (u(opponent's last offer) − u(opponent's previous offer))
//
// when that difference is positive (a retraction is not answered), clipped
// to [max(r(t), worst utility), best utility], where r(t) is its drifting
// reservation value (parley.Profile.ReservationAt). It bids the cheapest
// outcome at or above its target (ties drawn from Session.Rand), never one
// across its red lines (parley.Profile.Vetoes; best and worst are over the
// others), and accepts per its Acceptance (default AC_next), never an
// offer that is not parley.Profile.Acceptable at the time. If no outcome
// reaches r(t) it ends the negotiation.
//
// With more than two parties the opponent is the party that made the
// standing offer, or else the party before it in the turn order; each of
// that party's moves is mirrored once.
type TitForTat struct {
	opts TitForTatOptions
	ac   boa.Acceptance
	acx  boa.Context // reused by accepts

	bids        bids
	worst, best float64
	target      float64
	at          int // the position it bid from last: its next search starts there
	rand        *rand.Rand

	seen     int       // records of State.Offers already read
	last     []float64 // per party: own utility of its last offer
	prev     []float64 // per party: own utility of the offer before that
	count    []int     // per party: offers made
	mirrored []int     // per party: offers already taken into account
}

var _ parley.Negotiator = (*TitForTat)(nil)

// NewTitForTat returns a tit-for-tat negotiator; the options are checked at
// Init.
func NewTitForTat(opts TitForTatOptions) *TitForTat {
	ac := opts.Accept
	if ac == nil {
		ac = boa.ACNext(1, 0)
	}
	return &TitForTat{opts: opts, ac: ac}
}

// Init sorts the party's outcomes and resets the target to the best utility.
func (tt *TitForTat) Init(_ context.Context, s *parley.Session) error {
	if err := tt.opts.Validate(); err != nil {
		return err
	}
	if err := tt.bids.Init(s, tt.opts.Samples); err != nil {
		return err
	}
	tt.worst, tt.best = 0, 0
	if !tt.bids.Empty() {
		tt.worst, tt.best = tt.bids.Worst(), tt.bids.Best()
	}
	tt.target = tt.best
	tt.at = tt.bids.Len() - 1
	tt.rand = s.Rand
	tt.seen = 0
	n := max(len(s.Names), 2)
	tt.last = resize(tt.last, n)
	tt.prev = resize(tt.prev, n)
	tt.count = resize(tt.count, n)
	tt.mirrored = resize(tt.mirrored, n)
	return nil
}

// resize returns a zeroed slice of n elements, reusing s when it can.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// Target returns the current target utility.
func (tt *TitForTat) Target() float64 { return tt.target }

// Act mirrors the opponent's last concession and then accepts or counters.
func (tt *TitForTat) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if !tt.bids.Ready() {
		return parley.Action{}, errors.New("strategy: tit-for-tat: Act before Init")
	}
	r := tt.bids.Reservation(st.Time)
	if tt.bids.Empty() || !parley.AtLeast(tt.best, r) {
		return parley.EndAction(), nil // nothing within the red lines is worth r(t)
	}
	floor := max(r, tt.worst)
	if tt.seen > len(st.Offers) {
		tt.seen = 0
	}
	if st.Parties > len(tt.count) { // Session.Names was short: grow once
		tt.last = append(tt.last, make([]float64, st.Parties-len(tt.last))...)
		tt.prev = append(tt.prev, make([]float64, st.Parties-len(tt.prev))...)
		tt.count = append(tt.count, make([]int, st.Parties-len(tt.count))...)
		tt.mirrored = append(tt.mirrored, make([]int, st.Parties-len(tt.mirrored))...)
	}
	for _, r := range st.Offers[tt.seen:] {
		if p := r.Party; p != st.Me && p >= 0 && p < len(tt.count) {
			tt.prev[p], tt.last[p] = tt.last[p], tt.bids.Func().Utility(r.Outcome)
			tt.count[p]++
		}
	}
	tt.seen = len(st.Offers)
	ref := st.Proposer
	if ref < 0 || ref == st.Me || ref >= len(tt.count) {
		ref = (st.Me - 1 + len(tt.count)) % len(tt.count)
	}
	if c := tt.count[ref]; c > tt.mirrored[ref] {
		if c >= 2 {
			if d := tt.last[ref] - tt.prev[ref]; d > 0 {
				tt.target = min(max(tt.target-d, floor), tt.best)
			}
		}
		tt.mirrored[ref] = c
	}
	// r(t) may have risen. The target moves only when the opponent
	// concedes: the search starts where the last one ended (the same
	// position as a search of the whole list, ufun.Ladder.SearchFrom).
	i := tt.bids.AtLeastFrom(max(tt.target, floor), tt.at)
	tt.at = i
	next := tt.bids.Utility(i)
	if st.Standing != parley.NoOutcome && st.Proposer != st.Me {
		u := tt.bids.Func().Utility(st.Standing)
		if tt.bids.Acceptable(st.Standing, u, st.Time) &&
			accepts(tt.ac, &tt.acx, &tt.bids, st, u, next, r, tt.rand) {
			return parley.AcceptAction(), nil
		}
	}
	return parley.OfferOf(tt.bids.Pick(i, tt.rand)), nil
}
