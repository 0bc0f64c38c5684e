package geniuscompat

import (
	"context"
	"fmt"
	"math"

	"github.com/parley-dev/parley"
)

// Concession exponents of GENIUS's time-dependent parties.
const (
	BoulwareE = 0.2 // BoulwareNegotiationParty.getE
	ConcederE = 2.0 // ConcederNegotiationParty.getE
	LinearE   = 1.0 // a linear party (GENIUS has none as a party; e = 1)
)

// TimeDependent is GENIUS 9.1.9's AbstractTimeDependentNegotiationParty
// (negotiator/parties), the base of BoulwareNegotiationParty and
// ConcederNegotiationParty, reproduced bug for bug:
//
//   - Its target utility at time t is 1 − f(t − offset), f(x) = x^(1/e)
//     (Math.pow; f = 0 for e = 0), with offset = 1/(D+1) when the deadline
//     is D rounds (GENIUS's DiscreteTimeline.getTotalRounds) and 0 without
//     a round deadline. Under sao.TimingGENIUS, round R sees t = R/(D+1),
//     so the target is 1 − ((R−1)/(D+1))^(1/e): 1 in round 1, never 0.
//   - Pmin = 0 and Pmax = 1 are fixed: the reservation value, the minimum
//     and the maximum utility of the profile play no part, so it can agree
//     below its reservation value.
//   - Its next bid is Sorted.Near(target) (getBidNearUtility).
//   - It accepts the last offer received when the utility of its next bid
//     is strictly below it, both discounted at the current time (the same
//     as comparing them undiscounted, so an equal offer is not accepted);
//     otherwise it offers its next bid.
//
// It reads the time from State.Time and the deadline from State.Deadline,
// so it matches GENIUS exactly when run with sao.TimingGENIUS. Init takes
// the profile's sorted space from SortedOf; Act allocates nothing.
type TimeDependent struct {
	e       float64
	name    string
	sorted  *Sorted
	profile *parley.Profile
}

var _ parley.Negotiator = (*TimeDependent)(nil)

// NewTimeDependent returns a GENIUS time-dependent party with concession
// exponent e >= 0 (checked at Init).
func NewTimeDependent(e float64) *TimeDependent {
	return &TimeDependent{e: e, name: fmt.Sprintf("time-dependent (e = %v)", e)}
}

// NewBoulware returns GENIUS's BoulwareNegotiationParty (e = 0.2).
func NewBoulware() *TimeDependent { return NewTimeDependent(BoulwareE) }

// NewConceder returns GENIUS's ConcederNegotiationParty (e = 2).
func NewConceder() *TimeDependent { return NewTimeDependent(ConcederE) }

// NewLinear returns a GENIUS time-dependent party with e = 1.
func NewLinear() *TimeDependent { return NewTimeDependent(LinearE) }

// E returns the concession exponent.
func (td *TimeDependent) E() float64 { return td.e }

// Init takes the party's sorted outcome space.
func (td *TimeDependent) Init(_ context.Context, s *parley.Session) error {
	if math.IsNaN(td.e) || math.IsInf(td.e, 0) || td.e < 0 {
		return fmt.Errorf("geniuscompat: %s: e must be a finite number >= 0", td.name)
	}
	if s == nil || s.Profile == nil {
		return fmt.Errorf("geniuscompat: %s: %w", td.name, parley.ErrNoProfile)
	}
	sorted, err := SortedOf(s.Profile)
	if err != nil {
		return err
	}
	td.sorted, td.profile = sorted, s.Profile
	return nil
}

// Target returns the utility the party aims at at normalised time t with a
// deadline of deadline rounds (0: none), 1 − f(t − 1/(deadline+1))
// (AbstractTimeDependentNegotiationParty.getTargetUtility).
func (td *TimeDependent) Target(t float64, deadline int) float64 {
	offset := 0.0
	if deadline > 0 {
		offset = 1 / float64(deadline+1)
	}
	return 1 - td.f(t-offset)
}

// f is AbstractTimeDependentNegotiationParty.f.
func (td *TimeDependent) f(x float64) float64 {
	if td.e == 0 {
		return 0
	}
	return javaPow(x, 1/td.e)
}

// Act accepts the offer on the table when it is worth strictly more than the
// party's next bid and otherwise offers that bid
// (AbstractTimeDependentNegotiationParty.chooseAction).
func (td *TimeDependent) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if td.sorted == nil {
		return parley.Action{}, errNotReady
	}
	i := td.sorted.Near(td.Target(st.Time, st.Deadline))
	// lastReceivedBid: in alternating offers the offer on the table is the
	// last one made by another party whenever it is our turn.
	if st.Standing != parley.NoOutcome && st.Proposer != st.Me {
		p := td.profile
		last := p.Discounted(p.Utility.Utility(st.Standing), st.Time)
		next := p.Discounted(td.sorted.Util[i], st.Time)
		if next < last {
			return parley.AcceptAction(), nil
		}
	}
	return parley.OfferOf(td.sorted.Outcomes[i]), nil
}

// Hardliner is GENIUS 9.1.9's TimeDependentAgentHardliner
// (agents/TimeDependentAgentHardliner.java on agents/TimeDependentAgent.java
// and BilateralAgent), an old-style Agent with e = 0 that GENIUS runs in SAOP
// through AgentAdapter:
//
//   - Its target is p = Pmin + (Pmax − Pmin)·(1 − f) with f = k = 0, where
//     Pmax is its highest utility and Pmin the larger of its lowest utility
//     and its reservation value: so p = Pmax (up to rounding) at every
//     time, and its bid is always Sorted.Near(p), a best outcome.
//   - When it moves first it only offers. Otherwise it accepts the
//     opponent's last offer when that is worth at least as much as its
//     planned bid (undiscounted, non-strict: TimeDependentAgent.isAcceptable)
//     and offers the planned bid if not.
//
// Act allocates nothing.
type Hardliner struct {
	sorted  *Sorted
	utility parley.UtilityFunction
	planned int
}

var _ parley.Negotiator = (*Hardliner)(nil)

// NewHardliner returns GENIUS's TimeDependentAgentHardliner.
func NewHardliner() *Hardliner { return &Hardliner{} }

// Init takes the party's sorted outcome space and fixes its bid.
func (h *Hardliner) Init(_ context.Context, s *parley.Session) error {
	if s == nil || s.Profile == nil {
		return fmt.Errorf("geniuscompat: hardliner: %w", parley.ErrNoProfile)
	}
	sorted, err := SortedOf(s.Profile)
	if err != nil {
		return err
	}
	// TimeDependentAgent.initFields and p(t) with e = 0 (f = k = 0).
	pmax := sorted.Util[0]
	pmin := max(sorted.Util[sorted.Len()-1], s.Profile.Reservation)
	const f = 0.0
	p := pmin + float64((pmax-pmin)*(1-f))
	h.sorted, h.utility, h.planned = sorted, s.Profile.Utility, sorted.Near(p)
	return nil
}

// Act accepts an offer worth at least its planned bid and otherwise offers
// that bid (BilateralAgent.chooseAction).
func (h *Hardliner) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if h.sorted == nil {
		return parley.Action{}, errNotReady
	}
	if st.Standing != parley.NoOutcome && st.Proposer != st.Me &&
		h.utility.Utility(st.Standing) >= h.sorted.Util[h.planned] {
		return parley.AcceptAction(), nil
	}
	return parley.OfferOf(h.sorted.Outcomes[h.planned]), nil
}
