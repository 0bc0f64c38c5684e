package parley

import (
	"errors"
	"fmt"
	"math"
)

// Eps is the tolerance for comparing utilities. Real GENIUS scenarios hold
// outcomes whose utilities tie exactly in decimal but differ by one ulp in
// float64; dominance, tie and reservation checks treat values within Eps as
// equal (GENIUS uses 1e-13 in PartialBidPoint.isDominatedBy).
const Eps = 1e-12

// AtLeast reports whether a >= b within Eps.
func AtLeast(a, b float64) bool { return a >= b-Eps }

// UtilityFunction maps an outcome to a party's undiscounted utility in [0,1].
// Implementations must be safe for concurrent use and must not allocate.
type UtilityFunction interface {
	Utility(o Outcome) float64
}

// UtilityFunc adapts an ordinary function to UtilityFunction.
type UtilityFunc func(o Outcome) float64

// Utility calls f(o).
func (f UtilityFunc) Utility(o Outcome) float64 { return f(o) }

// Profile is one party's private preferences: its utility function over the
// space, its reservation value (the utility of no agreement) and its
// discount factor. A profile is given only to its own party.
type Profile struct {
	Name        string
	Space       *OutcomeSpace
	Utility     UtilityFunction
	Reservation float64 // undiscounted utility of no agreement at t = 0, in [0,1]
	Discount    float64 // δ in (0,1]; utility at normalised time t is u·δ^t. 0 means 1.

	// Drift changes the reservation value over normalised time:
	// r(t) = clamp(Reservation + Drift·t, 0, 1). Negative drift models a
	// walk-away alternative that erodes ("war fatigue").
	Drift float64
	// Hazard is the probability, per round without progress, that the
	// party walks away (applied by protocols that model breakdown).
	Hazard float64
	// Vetoes are hard red lines: an outcome containing any of these values
	// is unacceptable to the party whatever its utility.
	Vetoes []ValueRef
	// Ratification lists values whose presence in an agreement puts it to
	// a vote at home that passes with probability P (a referendum); an
	// agreement holding several such values passes only if every vote does.
	Ratification []Ratification
	// Report is how the party declares this profile to a mediator that
	// asks for self-reports (InfoSelfReport); the mediator sees the
	// report, never the profile itself.
	Report Report
}

// ValueRef names one value of one issue by index.
type ValueRef struct {
	Issue int // index into OutcomeSpace.Issues
	Value int // value index within the issue
}

// Ratification is a ratification risk attached to one value.
type Ratification struct {
	Value ValueRef
	P     float64 // probability that ratification succeeds, in [0,1]
}

// ReservationAt returns the reservation value at normalised time t,
// r(t) = clamp(Reservation + Drift·t, 0, 1), undiscounted.
func (p *Profile) ReservationAt(t float64) float64 {
	if p.Drift == 0 {
		return p.Reservation
	}
	return min(1, max(0, p.Reservation+p.Drift*t))
}

// Vetoed reports whether o contains a value the party vetoes.
func (p *Profile) Vetoed(o Outcome) bool {
	for _, v := range p.Vetoes {
		if p.Space.ValueIndex(o, v.Issue) == v.Value {
			return true
		}
	}
	return false
}

// Acceptable reports whether the party can agree to o at time t: o crosses
// none of its red lines and is worth at least r(t) (within Eps; both sides
// discount alike, so the comparison is undiscounted).
func (p *Profile) Acceptable(o Outcome, t float64) bool {
	return !p.Vetoed(o) && AtLeast(p.Utility.Utility(o), p.ReservationAt(t))
}

// RatifyProb returns the probability that the party ratifies agreement o.
func (p *Profile) RatifyProb(o Outcome) float64 {
	q := 1.0
	for _, r := range p.Ratification {
		if p.Space.ValueIndex(o, r.Value.Issue) == r.Value.Value {
			q *= r.P
		}
	}
	return q
}

// Validate names the first bad field of p.
func (p *Profile) Validate() error {
	if p.Space == nil {
		return fmt.Errorf("profile %q: no outcome space", p.Name)
	}
	if p.Utility == nil {
		return fmt.Errorf("profile %q: no utility function", p.Name)
	}
	if math.IsNaN(p.Reservation) || p.Reservation < 0 || p.Reservation > 1 {
		return fmt.Errorf("profile %q: reservation value %v outside [0,1]", p.Name, p.Reservation)
	}
	if math.IsNaN(p.Discount) || p.Discount < 0 || p.Discount > 1 {
		return fmt.Errorf("profile %q: discount factor %v outside (0,1]", p.Name, p.Discount)
	}
	if math.IsNaN(p.Drift) || math.IsInf(p.Drift, 0) {
		return fmt.Errorf("profile %q: reservation drift %v is not a number", p.Name, p.Drift)
	}
	if math.IsNaN(p.Hazard) || p.Hazard < 0 || p.Hazard > 1 {
		return fmt.Errorf("profile %q: walk-away hazard %v outside [0,1]", p.Name, p.Hazard)
	}
	for _, v := range append(append([]ValueRef(nil), p.Vetoes...), ratValues(p.Ratification)...) {
		if v.Issue < 0 || v.Issue >= len(p.Space.Issues) || v.Value < 0 || v.Value >= p.Space.Issues[v.Issue].Size() {
			return fmt.Errorf("profile %q: value reference %+v outside the outcome space", p.Name, v)
		}
	}
	if p.Report > ReportHideRedLines {
		return fmt.Errorf("profile %q: unknown report %s (want %s)", p.Name, p.Report, reportNames.want)
	}
	for _, r := range p.Ratification {
		if math.IsNaN(r.P) || r.P < 0 || r.P > 1 {
			return fmt.Errorf("profile %q: ratification probability %v outside [0,1]", p.Name, r.P)
		}
	}
	return nil
}

func ratValues(rs []Ratification) []ValueRef {
	vs := make([]ValueRef, len(rs))
	for i, r := range rs {
		vs[i] = r.Value
	}
	return vs
}

// DiscountFactor returns δ, with the zero value meaning 1 (no discounting).
func (p *Profile) DiscountFactor() float64 {
	if p.Discount <= 0 || p.Discount > 1 {
		return 1
	}
	return p.Discount
}

// Discounted returns u·δ^t (GENIUS AbstractUtilitySpace.discount).
func (p *Profile) Discounted(u, t float64) float64 {
	d := p.DiscountFactor()
	if d == 1 {
		return u
	}
	if t < 0 {
		t = 0
	} else if t > 1 {
		t = 1
	}
	return u * math.Pow(d, t)
}

// ErrNoProfile is returned when a negotiator is started without a profile.
var ErrNoProfile = errors.New("parley: no profile")

// CheckParties checks what every protocol needs of its parties: at least
// two profiles, one name each, and every profile complete (ErrNoProfile)
// and over the first one's outcome space. Errors name the party.
func CheckParties(profiles []*Profile, names []string) error {
	if len(profiles) < 2 {
		return fmt.Errorf("%d parties, need at least 2", len(profiles))
	}
	if len(names) != len(profiles) {
		return fmt.Errorf("%d names for %d parties", len(names), len(profiles))
	}
	for i, p := range profiles {
		if p == nil || p.Utility == nil || p.Space == nil {
			return fmt.Errorf("party %q: %w", names[i], ErrNoProfile)
		}
		if p.Space != profiles[0].Space {
			return fmt.Errorf("party %q: profile over another outcome space", names[i])
		}
	}
	return nil
}
