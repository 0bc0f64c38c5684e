package strategy

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy/boa"
)

// Concession exponents of the named time-dependent presets (GENIUS
// BoulwareNegotiationParty and ConcederNegotiationParty; Faratin et al.
// 1998 call e < 1 Boulware and e > 1 Conceder).
const (
	HardlinerE = 0.0 // never concedes
	BoulwareE  = 0.2 // holds firm, concedes near the deadline
	LinearE    = 1.0 // concedes at a constant rate
	ConcederE  = 2.0 // concedes early
)

// TimeDependentOptions configure a TimeDependent negotiator. The zero value
// is the Hardliner (e = 0) with AC_next.
type TimeDependentOptions struct {
	// E is the concession exponent e ≥ 0: 0 never concedes (Hardliner),
	// e < 1 is Boulware, 1 linear, e > 1 Conceder. See the *E constants.
	E float64
	// K is the initial concession k in [0, 1]: f(0) = k. Default 0.
	K float64
	// Accept decides on the offer on the table; nil means boa.ACNext(1, 0).
	// Whatever it says, an offer below the reservation value r(t) or
	// across a red line is refused.
	Accept boa.Acceptance
	// Samples is the number of outcomes to sample when the space is too
	// large to enumerate (default DefaultSamples).
	Samples int
	// Discount makes the tactic discount-aware: it counts time in the share
	// of value that discounting has taken, DiscountTime(t, δ) = (1 −
	// δ^t)/(1 − δ), instead of t, so that it concedes sooner the lower its
	// own discount factor δ (parley.Profile.Discount). With δ = 1 nothing
	// changes. Off by default: GENIUS's time-dependent parties ignore
	// discounting.
	Discount bool
	// Walk makes walking away a decision (parley.Profile.Walks): after
	// weighing the offer on the table it leaves when continuing is worth
	// less than its reservation value r(t) now. What it expects is a
	// parley.Prospect estimated by a parley.Outlook of the others' offers,
	// capped by its own target. Off by default.
	Walk bool
}

// DiscountTime is the clock of a discount-aware tactic: the share of value
// that discounting u·δ^t has taken by time t, normalised to reach 1 at
// t = 1: (1 − δ^t)/(1 − δ), and t itself for δ = 1. It is Parley's rule,
// not a published one: it equals t without discounting, is concave in t
// (ahead of t) and, at every t in (0, 1), larger the lower δ is.
func DiscountTime(t, delta float64) float64 {
	t = min(max(t, 0), 1)
	if delta >= 1 || delta <= 0 {
		return t
	}
	return -math.Expm1(t*math.Log(delta)) / -math.Expm1(math.Log(delta))
}

// Validate names the first bad field.
func (o *TimeDependentOptions) Validate() error {
	if math.IsNaN(o.E) || math.IsInf(o.E, 0) || o.E < 0 {
		return fmt.Errorf("strategy: time-dependent: E = %v, want a finite e ≥ 0", o.E)
	}
	if math.IsNaN(o.K) || o.K < 0 || o.K > 1 {
		return fmt.Errorf("strategy: time-dependent: K = %v outside [0,1]", o.K)
	}
	if o.Samples < 0 {
		return fmt.Errorf("strategy: time-dependent: Samples = %d is negative", o.Samples)
	}
	return nil
}

// Target is the utility-space time-dependent tactic of Faratin, Sierra and
// Jennings 1998 as in GENIUS TimeDependent_Offering:
//
//	target(t) = Pmin + (Pmax − Pmin)·(1 − f(t)),  f(t) = k + (1 − k)·t^(1/e)
//
// with f(t) = k for e = 0. t is clamped to [0, 1].
func Target(t, e, k, pmin, pmax float64) float64 {
	return pmin + (pmax-pmin)*(1-concession(t, e, k))
}

func concession(t, e, k float64) float64 {
	if e == 0 {
		return k
	}
	t = min(max(t, 0), 1)
	return k + (1-k)*unitPow(t, 1/e)
}

// unitPow is math.Pow(t, y) for t in [0, 1], bit for bit. When y is a
// whole number from 2 to 64 (1/e for e = 0.2, 0.25, 0.5, ...) and t^y is a
// normal float it multiplies by repeated squaring, as math.Pow does for
// the whole part of y, but on t itself rather than on its mantissa (math.Pow
// keeps the exponent aside and puts it back with Ldexp): scaling by a power
// of two changes no rounding while no product leaves the normal range, so
// the result is the same. TestUnitPow compares the two.
func unitPow(t, y float64) float64 {
	n := int(y)
	if float64(n) != y || n < 2 || n > 64 || !(t > 0 && t <= 1) {
		return math.Pow(t, y)
	}
	// t ≥ 2^(x-1023) for its biased exponent x, so t^n ≥ 2^(n(x-1023)):
	// normal, and so is every product below (each at least t^n), when
	// n(1023-x) ≤ 1000. A subnormal t (x = 0) fails the test.
	if x := int(math.Float64bits(t)>>52) & 0x7ff; n*(1023-x) > 1000 {
		return math.Pow(t, y)
	}
	a, sq := 1.0, t
	for i := n; i != 0; i >>= 1 {
		if i&1 == 1 {
			a *= sq
		}
		sq *= sq
	}
	return a
}

// TimeDependent bids the outcome whose utility is the cheapest at or above
// Target(t, e, k, Pmin, Pmax), where Pmax is its best utility and Pmin the
// larger of its reservation value at time t, r(t) (parley.Profile.ReservationAt:
// the reservation drifts), and its worst utility (as the old GENIUS
// TimeDependentAgent; the GENIUS NegotiationParty versions use Pmin = 0,
// Pmax = 1 and ignore the reservation value). It never bids an outcome
// that crosses one of its red lines (parley.Profile.Vetoes): best and worst
// are over the others. Outcomes tied within parley.Eps are chosen among
// with Session.Rand. Before countering it asks its Acceptance (default
// AC_next) about the offer on the table, and never accepts an offer that
// is not parley.Profile.Acceptable at the time (within its red lines and
// worth r(t)): this is the principled choice, unlike GENIUS, whose
// time-dependent parties agree below their reservation value. If no
// outcome reaches r(t) it ends the negotiation.
//
// Init sorts the outcomes by utility (the profile's ufun.Table index, or a
// table built at Init; a seeded sample of Samples outcomes when the space
// cannot be enumerated). Act allocates nothing.
type TimeDependent struct {
	opts TimeDependentOptions
	ac   boa.Acceptance
	acx  boa.Context // reused by accepts

	bids  bids
	at    int // the position Act bid from last
	moved int // how far that was from the one before: its next search starts at at+moved
	worst float64
	pmax  float64
	delta float64 // the discount factor its clock counts with (1: plain time)
	rand  *rand.Rand

	prof    *parley.Profile // Walk: its profile
	end     float64         // Walk: the deadline's normalised time
	outlook parley.Outlook  // Walk: what it has been offered
}

var _ parley.Negotiator = (*TimeDependent)(nil)

// NewTimeDependent returns a time-dependent negotiator; the options are
// checked at Init.
func NewTimeDependent(opts TimeDependentOptions) *TimeDependent {
	ac := opts.Accept
	if ac == nil {
		ac = boa.ACNext(1, 0)
	}
	return &TimeDependent{opts: opts, ac: ac}
}

// NewHardliner returns the Hardliner: a TimeDependent with e = 0, which
// always offers its best outcome and accepts only an offer as good.
func NewHardliner() *TimeDependent { return NewTimeDependent(TimeDependentOptions{}) }

// Init sorts the party's outcomes and fixes Pmin and Pmax.
func (td *TimeDependent) Init(_ context.Context, s *parley.Session) error {
	if err := td.opts.Validate(); err != nil {
		return err
	}
	if err := td.bids.Init(s, td.opts.Samples); err != nil {
		return err
	}
	td.worst, td.pmax = 0, 0
	if !td.bids.Empty() {
		td.worst, td.pmax = td.bids.Worst(), td.bids.Best()
	}
	td.rand = s.Rand
	td.at, td.moved = td.bids.Len()-1, 0
	td.prof, td.end = s.Profile, 1
	if e := s.Clock.End(); e > 0 {
		td.end = e
	}
	td.outlook.Reset()
	td.delta = 1
	if td.opts.Discount {
		td.delta = s.Profile.DiscountFactor()
	}
	return nil
}

// Target returns the target utility at normalised time t (after Init),
// with Pmin = max(r(t), worst utility).
func (td *TimeDependent) Target(t float64) float64 {
	return Target(DiscountTime(t, td.delta), td.opts.E, td.opts.K, max(td.bids.Reservation(t), td.worst), td.pmax)
}

// Act accepts the standing offer if the acceptance condition agrees and it
// is acceptable (within the red lines, worth r(t)), and otherwise offers
// the cheapest outcome at or above the target.
func (td *TimeDependent) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if !td.bids.Ready() {
		return parley.Action{}, errors.New("strategy: time-dependent: Act before Init")
	}
	r := td.bids.Reservation(st.Time)
	if td.bids.Empty() || !parley.AtLeast(td.pmax, r) {
		return parley.EndAction(), nil // nothing within the red lines is worth r(t)
	}
	t := st.Time
	if td.delta < 1 {
		t = DiscountTime(t, td.delta)
	}
	i := td.bids.AtLeastFrom(Target(t, td.opts.E, td.opts.K, max(r, td.worst), td.pmax), td.at+td.moved)
	td.at, td.moved = i, i-td.at
	next := td.bids.Utility(i)
	if st.Standing != parley.NoOutcome && st.Proposer != st.Me {
		u := td.bids.Func().Utility(st.Standing)
		ok := td.bids.Acceptable(st.Standing, u, st.Time)
		if ok && accepts(td.ac, &td.acx, &td.bids, st, u, next, r, td.rand) {
			return parley.AcceptAction(), nil
		}
		if td.opts.Walk {
			if td.prof.Vetoed(st.Standing) {
				u = 0 // an offer across a red line is worth nothing as an agreement
			}
			td.outlook.See(u, st.Time)
		}
	}
	if td.opts.Walk {
		if pr, ok := td.outlook.Expect(st.Time, next); ok && td.prof.Walks(pr, st.Time, td.end) {
			return parley.EndAction(), nil
		}
	}
	return parley.OfferOf(td.bids.Pick(i, td.rand)), nil
}
