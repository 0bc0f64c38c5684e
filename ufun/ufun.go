// Package ufun provides utility functions over a parley.OutcomeSpace: the
// linear-additive model of GENIUS and GeniusWeb, the ANAC 2014 non-linear
// hyper-rectangle (constraint) model, precomputed tables, and a sorted index
// that answers "the outcome nearest to utility x" in O(log n).
package ufun

import (
	"fmt"
	"math"
	"slices"

	"github.com/parley-dev/parley"
)

// LinearAdditive is U(o) = Bonus + (1-Bonus)·Σ_i W[i]·Eval[i][o_i]: each
// issue's value index is looked up in its evaluation table. GENIUS
// (AdditiveUtilitySpace) and GeniusWeb (LinearAdditiveUtilitySpace) profiles
// both reduce to this form once numeric evaluators are sampled on the issue's
// values.
//
// A LinearAdditive is immutable: its tables are private (a seat that is
// handed one cannot change how it, or anyone else, is scored) and the
// accessors return values or copies.
type LinearAdditive struct {
	space   *parley.OutcomeSpace
	weights []float64   // per issue; summing to 1 (within 1e-6) unless built by NewLinearAdditiveAsWritten
	evals   [][]float64 // per issue, per value index, in [0,1]
	bonus   float64     // utility of any agreement (a mediator's "agreement bonus"), in [0,1)

	strides []int
	sizes   []int
}

var _ parley.Additive = (*LinearAdditive)(nil)

// NewLinearAdditive checks the weights and evaluation tables against the
// space and returns the utility function. Weights must be non-negative and
// sum to 1 within 1e-6; evaluations must lie in [0,1].
func NewLinearAdditive(space *parley.OutcomeSpace, weights []float64, evals [][]float64, bonus float64) (*LinearAdditive, error) {
	return newLinearAdditive(space, weights, evals, bonus, true)
}

// NewLinearAdditiveAsWritten is NewLinearAdditive for weights used as
// written, as GENIUS uses the weights of a profile file (its
// AdditiveUtilitySpace never normalises them when it reads a file): the
// weights must be non-negative with a positive, finite sum, but need not
// sum to 1. Utility clamps the weighted sum at 1, as GENIUS does, so weights
// summing to more than 1 cap the best outcomes at 1 and weights summing to
// less than 1 leave every outcome below 1.
func NewLinearAdditiveAsWritten(space *parley.OutcomeSpace, weights []float64, evals [][]float64, bonus float64) (*LinearAdditive, error) {
	return newLinearAdditive(space, weights, evals, bonus, false)
}

func newLinearAdditive(space *parley.OutcomeSpace, weights []float64, evals [][]float64, bonus float64, sumToOne bool) (*LinearAdditive, error) {
	n := len(space.Issues)
	if len(weights) != n || len(evals) != n {
		return nil, fmt.Errorf("ufun: %d weights and %d evaluation tables for %d issues", len(weights), len(evals), n)
	}
	sum := 0.0
	for i, w := range weights {
		if math.IsNaN(w) || w < 0 {
			return nil, fmt.Errorf("ufun: issue %q: weight %v is negative", space.Issues[i].Name, w)
		}
		sum += w
	}
	if sumToOne && math.Abs(sum-1) > 1e-6 {
		return nil, fmt.Errorf("ufun: weights sum to %v, not 1", sum)
	}
	if !(sum > 0) || math.IsInf(sum, 0) {
		return nil, fmt.Errorf("ufun: weights sum to %v; need a positive, finite sum", sum)
	}
	if math.IsNaN(bonus) || bonus < 0 || bonus >= 1 {
		return nil, fmt.Errorf("ufun: agreement bonus %v outside [0,1)", bonus)
	}
	weights = slices.Clone(weights)
	evals = slices.Clone(evals)
	for i := range evals {
		evals[i] = slices.Clone(evals[i])
	}
	u := &LinearAdditive{space: space, weights: weights, evals: evals, bonus: bonus,
		strides: space.Strides(), sizes: make([]int, n)}
	for i := range n {
		is := &space.Issues[i]
		if len(evals[i]) != is.Size() {
			return nil, fmt.Errorf("ufun: issue %q: %d evaluations for %d values", is.Name, len(evals[i]), is.Size())
		}
		for k, e := range evals[i] {
			if math.IsNaN(e) || e < -1e-9 || e > 1+1e-9 {
				return nil, fmt.Errorf("ufun: issue %q: value %q: evaluation %v outside [0,1]", is.Name, is.Value(k), e)
			}
		}
		u.sizes[i] = is.Size()
	}
	return u, nil
}

// Utility returns U(o). It allocates nothing.
//
// The sum runs over the issues in order, one rounded product at a time, and
// a sum above 1 (weights that add up to a hair over 1 in floating point) is
// clamped to 1, exactly as GENIUS AdditiveUtilitySpace.getUtility computes
// it, so that utilities of GENIUS profiles are bit-identical to GENIUS's.
func (u *LinearAdditive) Utility(o parley.Outcome) float64 {
	x := int(o)
	s := 0.0
	for i, w := range u.weights {
		// The conversion rounds the product, so the compiler may not fuse
		// it with the addition (an FMA would change the last bit).
		s += float64(w * u.evals[i][(x/u.strides[i])%u.sizes[i]])
	}
	if s > 1 {
		s = 1
	}
	if u.bonus != 0 {
		return u.bonus + float64((1-u.bonus)*s)
	}
	return s
}

// Contribution returns the weighted contribution W[i]·Eval[i][k] of value k
// of issue i (before the bonus is applied).
func (u *LinearAdditive) Contribution(i, k int) float64 { return u.weights[i] * u.evals[i][k] }

// Space returns the outcome space.
func (u *LinearAdditive) Space() *parley.OutcomeSpace { return u.space }

// Weight returns the weight of issue i.
func (u *LinearAdditive) Weight(i int) float64 { return u.weights[i] }

// Eval returns the evaluation of value k of issue i.
func (u *LinearAdditive) Eval(i, k int) float64 { return u.evals[i][k] }

// Weights returns a copy of the issue weights.
func (u *LinearAdditive) Weights() []float64 { return slices.Clone(u.weights) }

// Evals returns a copy of the evaluation tables, per issue and value.
func (u *LinearAdditive) Evals() [][]float64 {
	e := make([][]float64, len(u.evals))
	for i := range e {
		e[i] = slices.Clone(u.evals[i])
	}
	return e
}

// Cond restricts one issue to the value indices Lo..Hi (inclusive).
type Cond struct {
	Issue  int
	Lo, Hi int
}

// Rect is one hyper-rectangle constraint of a non-linear profile: it adds
// Utility when the outcome lies inside every Cond (or, for an exclusive
// rectangle, outside at least one).
type Rect struct {
	Utility   float64
	Exclusive bool
	Conds     []Cond
}

// Constraint is the ANAC 2014 non-linear model (GENIUS
// NonlinearUtilitySpace with Inclusive/ExclusiveHyperRectangle): U(o) is the
// sum of the utilities of the satisfied rectangles divided by Max, capped at 1.
// Like LinearAdditive it is immutable.
type Constraint struct {
	space *parley.OutcomeSpace
	rects []Rect
	max   float64

	strides []int
	sizes   []int
}

var _ parley.UtilityFunction = (*Constraint)(nil)

// NewConstraint validates the rectangles against the space.
func NewConstraint(space *parley.OutcomeSpace, rects []Rect, max float64) (*Constraint, error) {
	if !(max > 0) || math.IsInf(max, 0) {
		return nil, fmt.Errorf("ufun: maximum utility %v must be positive", max)
	}
	n := len(space.Issues)
	rects = slices.Clone(rects)
	for i := range rects {
		rects[i].Conds = slices.Clone(rects[i].Conds)
	}
	c := &Constraint{space: space, rects: rects, max: max, strides: space.Strides(), sizes: make([]int, n)}
	for i := range n {
		c.sizes[i] = space.Issues[i].Size()
	}
	for r, rect := range rects {
		if math.IsNaN(rect.Utility) || math.IsInf(rect.Utility, 0) {
			return nil, fmt.Errorf("ufun: rectangle %d: utility %v is not a number", r+1, rect.Utility)
		}
		for _, cd := range rect.Conds {
			if cd.Issue < 0 || cd.Issue >= n {
				return nil, fmt.Errorf("ufun: rectangle %d: no issue %d", r+1, cd.Issue)
			}
			if cd.Lo > cd.Hi {
				return nil, fmt.Errorf("ufun: rectangle %d: issue %q: empty range [%d, %d]", r+1, space.Issues[cd.Issue].Name, cd.Lo, cd.Hi)
			}
		}
	}
	return c, nil
}

// Utility returns U(o).
func (c *Constraint) Utility(o parley.Outcome) float64 {
	x := int(o)
	s := 0.0
	for r := range c.rects {
		rect := &c.rects[r]
		inside := true
		for _, cd := range rect.Conds {
			v := (x / c.strides[cd.Issue]) % c.sizes[cd.Issue]
			if v < cd.Lo || v > cd.Hi {
				inside = false
				break
			}
		}
		if inside != rect.Exclusive {
			s += rect.Utility
		}
	}
	// GENIUS NonlinearUtilitySpace.getUtility caps the normalised sum at 1.
	return min(1, s/c.max)
}

// Space returns the outcome space.
func (c *Constraint) Space() *parley.OutcomeSpace { return c.space }

// Max returns the utility sum that normalises to 1.
func (c *Constraint) Max() float64 { return c.max }

// Rects returns a copy of the hyper-rectangles.
func (c *Constraint) Rects() []Rect {
	rs := slices.Clone(c.rects)
	for i := range rs {
		rs[i].Conds = slices.Clone(rs[i].Conds)
	}
	return rs
}

// AgreementBonus returns Bonus (analysis uses it to sum contributions).
func (u *LinearAdditive) AgreementBonus() float64 { return u.bonus }
