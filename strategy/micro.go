package strategy

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/parley-dev/parley"
)

// MiCROOptions configure a MiCRO negotiator. The zero value is MiCRO as
// published.
type MiCROOptions struct {
	// Samples is the number of outcomes to sample when the space is too
	// large to enumerate (default DefaultSamples).
	Samples int
}

// Validate names the first bad field.
func (o *MiCROOptions) Validate() error {
	if o.Samples < 0 {
		return fmt.Errorf("strategy: micro: Samples = %d is negative", o.Samples)
	}
	return nil
}

// MiCRO is de Jonge's benchmark strategy (D. de Jonge, "An Analysis of the
// Linear Bilateral ANAC Domains Using the MiCRO Benchmark Strategy", IJCAI
// 2022; NegMAS negmas/gb/components/offering.py MiCROOfferingPolicy and
// acceptance.py MiCROAcceptancePolicy). It lists the outcomes worth at least
// its reservation value in descending order of its utility. With m the
// number of distinct outcomes it has proposed and n the number of distinct
// outcomes it has received (from any other party, the offer on the table
// included):
//
//   - if m ≤ n and the list is not exhausted it proposes the next outcome
//     of the list (it concedes one step);
//   - otherwise it proposes again one of the m outcomes already proposed,
//     drawn from Session.Rand.
//
// It accepts an offer iff its utility is at least the utility of the
// outcome it would propose next if it conceded (when m ≤ n), or of the
// lowest outcome it has proposed (when m > n); once the list is exhausted,
// any offer worth its reservation value. If no outcome reaches the
// reservation value it ends the negotiation.
//
// With a drifting reservation value the list is cut at r(t)
// (parley.Profile.ReservationAt) on every turn, and it never holds an
// outcome across the party's red lines (parley.Profile.Vetoes); an offer
// is accepted only if it is parley.Profile.Acceptable at the time.
//
// Received outcomes are counted in a bitset over the space, allocated at
// Init; for a space too large to enumerate the list is a seeded sample (as
// for TimeDependent) and received outcomes go in a map.
type MiCRO struct {
	opts MiCROOptions

	bids bids
	rand *rand.Rand

	m, n int
	seen int                         // records of State.Offers already read
	recv []uint64                    // bitset of received outcomes (enumerable space)
	big  map[parley.Outcome]struct{} // received outcomes (sampled space)
}

var _ parley.Negotiator = (*MiCRO)(nil)

// NewMiCRO returns a MiCRO negotiator; the options are checked at Init.
func NewMiCRO(opts MiCROOptions) *MiCRO { return &MiCRO{opts: opts} }

// Init sorts the outcomes and clears the counts.
func (mc *MiCRO) Init(_ context.Context, s *parley.Session) error {
	if err := mc.opts.Validate(); err != nil {
		return err
	}
	if err := mc.bids.Init(s, mc.opts.Samples); err != nil {
		return err
	}
	mc.rand = s.Rand
	mc.m, mc.n, mc.seen = 0, 0, 0
	if s.Profile.Space.Enumerable() {
		mc.recv = resize(mc.recv, (s.Profile.Space.Size()+63)/64)
		mc.big = nil
	} else {
		mc.recv = nil
		mc.big = map[parley.Outcome]struct{}{}
	}
	return nil
}

// Proposed returns m, the number of distinct outcomes proposed so far.
func (mc *MiCRO) Proposed() int { return mc.m }

// Received returns n, the number of distinct outcomes received so far.
func (mc *MiCRO) Received() int { return mc.n }

// bid returns the k-th outcome of the descending list and its utility.
func (mc *MiCRO) bid(k int) (parley.Outcome, float64) {
	i := mc.bids.Len() - 1 - k
	return mc.bids.Outcome(i), mc.bids.Utility(i)
}

// Act counts the new offers, then accepts or proposes.
func (mc *MiCRO) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if !mc.bids.Ready() {
		return parley.Action{}, errors.New("strategy: micro: Act before Init")
	}
	rv := mc.bids.Reservation(st.Time)
	limit := mc.bids.Len() - mc.bids.Search(rv) // outcomes worth at least r(t)
	if limit == 0 {
		return parley.EndAction(), nil
	}
	if mc.seen > len(st.Offers) {
		mc.seen = 0
	}
	for _, r := range st.Offers[mc.seen:] {
		if r.Party != st.Me {
			mc.receive(r.Outcome)
		}
	}
	mc.seen = len(st.Offers)

	concede := mc.m <= mc.n && mc.m < limit
	var level float64
	switch {
	case concede:
		_, level = mc.bid(mc.m)
	case mc.m <= mc.n:
		level = rv // ready to concede but exhausted: anything rational will do
	default:
		_, level = mc.bid(min(mc.m, limit) - 1)
	}
	if st.Standing != parley.NoOutcome && st.Proposer != st.Me {
		u := mc.bids.Func().Utility(st.Standing)
		if parley.AtLeast(u, level) && mc.bids.Acceptable(st.Standing, u, st.Time) {
			return parley.AcceptAction(), nil
		}
	}
	if concede {
		o, _ := mc.bid(mc.m)
		mc.m++
		return parley.OfferOf(o), nil
	}
	// Repeat a proposal, among those still worth r(t).
	o, _ := mc.bid(mc.rand.IntN(min(mc.m, limit)))
	return parley.OfferOf(o), nil
}

// receive counts o once.
func (mc *MiCRO) receive(o parley.Outcome) {
	if o < 0 {
		return
	}
	if mc.big != nil {
		if _, ok := mc.big[o]; !ok {
			mc.big[o] = struct{}{}
			mc.n++
		}
		return
	}
	w, b := int(o)>>6, uint64(1)<<(uint(o)&63)
	if w < len(mc.recv) && mc.recv[w]&b == 0 {
		mc.recv[w] |= b
		mc.n++
	}
}
