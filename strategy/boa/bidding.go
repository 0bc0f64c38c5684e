package boa

import (
	"fmt"
	"math"

	"github.com/parley-dev/parley"
)

// DefaultWindow is the default width δ of the utility window in which
// TimeDependent lets the opponent model choose: GENIUS OMStrategy.getBid
// looks in [target, target + 0.01] and widens it to 0.02 when that holds
// fewer than 100 bids, as it does in most small domains.
const DefaultWindow = 0.02

// TimeDependentOptions configure a TimeDependent bidding strategy. The zero
// value is the Hardliner (e = 0).
type TimeDependentOptions struct {
	// E is the concession exponent e ≥ 0: 0 never concedes, e < 1 is
	// Boulware, 1 linear, e > 1 Conceder.
	E float64
	// K is the initial concession k in [0, 1]: f(0) = k. Default 0.
	K float64
	// Window is δ ≥ 0: with an opponent model the bid is the outcome the
	// model likes best among those worth [u, u + δ], where u is the
	// utility of the cheapest outcome at or above the target. 0 means
	// DefaultWindow.
	Window float64
}

// Validate names the first bad field.
func (o *TimeDependentOptions) Validate() error {
	if math.IsNaN(o.E) || math.IsInf(o.E, 0) || o.E < 0 {
		return fmt.Errorf("boa: time-dependent: E = %v, want a finite e ≥ 0", o.E)
	}
	if math.IsNaN(o.K) || o.K < 0 || o.K > 1 {
		return fmt.Errorf("boa: time-dependent: K = %v outside [0,1]", o.K)
	}
	if math.IsNaN(o.Window) || o.Window < 0 || o.Window > 1 {
		return fmt.Errorf("boa: time-dependent: Window = %v outside [0,1]", o.Window)
	}
	return nil
}

// Target is the time-dependent tactic of Faratin, Sierra and Jennings 1998
// in the utility-space form of GENIUS TimeDependent_Offering (the same
// function as strategy.Target):
//
//	target(t) = Pmin + (Pmax − Pmin)·(1 − f(t)),  f(t) = k + (1 − k)·t^(1/e)
//
// with f(t) = k for e = 0. t is clamped to [0, 1].
func Target(t, e, k, pmin, pmax float64) float64 {
	f := k
	if e != 0 {
		t = min(max(t, 0), 1)
		f = k + (1-k)*math.Pow(t, 1/e)
	}
	return pmin + (pmax-pmin)*(1-f)
}

// TimeDependent is the time-dependent bidding strategy of GENIUS
// TimeDependent_Offering with the OMS BestBid
// (negotiator/boaframework/offeringstrategy/other/TimeDependent_Offering.java,
// omstrategy/BestBid.java): its target is Target(t, e, k, Pmin, Pmax) with
// Pmax its best utility and Pmin the larger of r(t) and its worst utility
// (as strategy.TimeDependent).
//
// Without an opponent model it bids the cheapest outcome at or above the
// target, drawing among outcomes tied within parley.Eps from the party's
// random stream: exactly what strategy.TimeDependent offers. With a model
// it bids the outcome the model rates best among those worth between u and
// u + δ, where u is the utility of the cheapest outcome at or above the
// target (GENIUS looks in [target, target + δ], widening the window until
// it holds a bid; anchoring it at u does the same in one step). Ties in the
// model go to the higher own utility.
type TimeDependent struct {
	opts        TimeDependentOptions
	window      float64
	worst, best float64
	at          int // the position Bid bid from last
	moved       int // how far that was from the one before: the next search starts at at+moved
}

var _ Bidding = (*TimeDependent)(nil)

// NewTimeDependent returns a time-dependent bidding strategy; the options
// are checked at Init.
func NewTimeDependent(opts TimeDependentOptions) *TimeDependent {
	return &TimeDependent{opts: opts}
}

// Init checks the options and notes the best and worst utility.
func (td *TimeDependent) Init(s *Setup) error {
	if err := td.opts.Validate(); err != nil {
		return err
	}
	td.window = td.opts.Window
	if td.window == 0 {
		td.window = DefaultWindow
	}
	td.worst, td.best = 0, 0
	if s.Outcomes.Len() > 0 {
		td.worst, td.best = s.Outcomes.Worst(), s.Outcomes.Best()
	}
	td.at, td.moved = s.Outcomes.Len()-1, 0
	return nil
}

// Target returns the target utility at time t for reservation value r.
func (td *TimeDependent) Target(t, r float64) float64 {
	return Target(t, td.opts.E, td.opts.K, max(r, td.worst), td.best)
}

// Bid returns the bid for the turn (see TimeDependent).
func (td *TimeDependent) Bid(c *Context) parley.Outcome {
	x := c.Outcomes
	if x.Len() == 0 {
		return parley.NoOutcome
	}
	// The search starts where the last move would take it, as
	// strategy.TimeDependent's does: the same position as a search of the
	// whole list (ufun.Ladder.SearchFrom), found in a few steps.
	i := x.AtLeastFrom(td.Target(c.State.Time, c.Reservation), td.at+td.moved)
	td.at, td.moved = i, i-td.at
	if c.Model == nil {
		return x.Pick(i, c.Rand)
	}
	return bestFor(c.Model, x, i, x.Above(x.Utility(i)+td.window))
}

// bestFor returns the outcome at positions [lo, hi) of x that m rates best,
// the higher own utility on a tie (hi > lo).
func bestFor(m OpponentModel, x *Outcomes, lo, hi int) parley.Outcome {
	best, bu := x.Outcome(hi-1), math.Inf(-1)
	for j := hi - 1; j >= lo; j-- {
		if u := m.Utility(x.Outcome(j)); u > bu {
			best, bu = x.Outcome(j), u
		}
	}
	return best
}
