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
	Reservation float64 // undiscounted utility of no agreement, in [0,1]
	Discount    float64 // δ in (0,1]; utility at normalised time t is u·δ^t. 0 means 1.
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
	return nil
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
