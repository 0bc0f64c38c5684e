package anac

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/parley-dev/parley"
)

// PonPokoPatterns is the number of PonPokoAgent's concession patterns.
const PonPokoPatterns = 5

// PonPokoOptions configure PonPokoAgent. The zero value is the ANAC 2017
// agent, which draws its pattern at random.
type PonPokoOptions struct {
	// Pattern fixes the concession pattern: 0 (the default) draws one of
	// the five patterns uniformly at Init from Session.Rand, as the
	// original does; 1 to 5 select pattern 0 to 4 of PonPokoBand.
	Pattern int
	// Samples is the number of outcomes sampled when the space is too
	// large to enumerate (default DefaultSamples).
	Samples int
	// GuardReservation is a Parley adaptation, off by default: the agent
	// never accepts an outcome worth less than its reservation value r(t),
	// offers nothing below r(t) (taking the cheapest outcome worth r(t)
	// when the band lies below it), and ends the negotiation when no
	// outcome is worth r(t). PonPokoAgent.java never reads its reservation
	// value.
	GuardReservation bool
}

// Validate names the first bad field.
func (o *PonPokoOptions) Validate() error {
	if o.Pattern < 0 || o.Pattern > PonPokoPatterns {
		return fmt.Errorf("anac: ponpoko: Pattern = %d, want 0 (random) or 1 to %d", o.Pattern, PonPokoPatterns)
	}
	if o.Samples < 0 {
		return fmt.Errorf("anac: ponpoko: Samples = %d is negative", o.Samples)
	}
	return nil
}

// PonPokoBand returns PonPokoAgent's threshold band [low, high] at time t
// for pattern 0 to 4 (PonPokoAgent.java chooseAction, lines 60–86):
//
//	0: high = 1 − 0.1t,                 low = high − 0.1·|sin 40t|
//	1: high = 1,                        low = 1 − 0.22t
//	2: high = 1 − 0.1t,                 low = high − 0.15·|sin 20t|
//	3: high = 1 − 0.05t,                low = 1 − 0.1t (1 − 0.3t when t > 0.99)
//	4: high = 1 − 0.15t·|sin 20t|,      low = 1 − 0.21t·|sin 20t|
//
// and, for any other pattern, the Java fallback high = 1 − 0.1t,
// low = 1 − 0.2·|sin 40t|.
func PonPokoBand(pattern int, t float64) (low, high float64) {
	switch pattern {
	case 0:
		high = 1 - 0.1*t
		low = 1 - 0.1*t - 0.1*math.Abs(math.Sin(t*40))
	case 1:
		high = 1
		low = 1 - 0.22*t
	case 2:
		high = 1 - 0.1*t
		low = 1 - 0.1*t - 0.15*math.Abs(math.Sin(t*20))
	case 3:
		high = 1 - 0.05*t
		low = 1 - 0.1*t
		if t > 0.99 {
			low = 1 - 0.3*t
		}
	case 4:
		high = 1 - 0.15*t*math.Abs(math.Sin(t*20))
		low = 1 - 0.21*t*math.Abs(math.Sin(t*20))
	default:
		high = 1 - 0.1*t
		low = 1 - 0.2*math.Abs(math.Sin(t*40))
	}
	return low, high
}

// ponPokoStep is how much PonPokoAgent lowers low when no bid lies in
// [low, high].
const ponPokoStep = 1e-4

// PonPoko is PonPokoAgent, the winner of ANAC 2017 (Takaki Matsune). It
// has no opponent model: at Init it picks one of five concession patterns
// at random; on each turn the pattern gives a band [low, high] of its own
// utility (PonPokoBand). It accepts an offer worth more than low, and
// otherwise offers an outcome drawn uniformly from those worth between
// low and high, lowering low in steps of 10⁻⁴ until one exists.
//
// Checked against GENIUS agents/anac/y2017/ponpokoagent/PonPokoAgent.java
// (GENIUS 9.1.9): init (the pattern draw, line 53) and chooseAction
// (lines 57–105: the bands 60–86, acceptance 89–93, the lowering loop
// 96–103) with AgentTool.selectBidfromList. Changes: the bids are every outcome of the
// space (Java samples 30,000 random bids) and the lowering loop is one
// binary search (the same band results); every random choice comes from
// Session.Rand. Utilities are the profile's own, not rescaled, as in Java
// (GENIUS profiles have a best utility of 1). When every outcome is worth
// more than high, which makes the Java loop spin forever, it offers the
// cheapest outcome. Parley's red lines: it never offers or accepts a
// vetoed outcome, and ends the negotiation when every outcome is vetoed.
// Like the Java it ignores its reservation value, unless GuardReservation
// is set.
//
// Act allocates nothing.
type PonPoko struct {
	opts    PonPokoOptions
	g       guard
	lad     ladder
	rand    *rand.Rand
	pattern int
	ready   bool
}

var _ parley.Negotiator = (*PonPoko)(nil)

// NewPonPoko returns PonPokoAgent; the options are checked at Init.
func NewPonPoko(opts PonPokoOptions) *PonPoko { return &PonPoko{opts: opts} }

// Init sorts the outcomes and picks the pattern.
func (a *PonPoko) Init(_ context.Context, s *parley.Session) error {
	a.ready = false
	if err := a.opts.Validate(); err != nil {
		return err
	}
	if err := a.lad.init(s, a.opts.Samples, "ponpoko"); err != nil {
		return err
	}
	a.rand = s.Rand
	a.g = guard(a.opts.GuardReservation)
	if a.opts.Pattern > 0 {
		a.pattern = a.opts.Pattern - 1
	} else {
		a.pattern = a.rand.IntN(PonPokoPatterns)
	}
	a.ready = true
	return nil
}

// Pattern returns the concession pattern in use (0 to 4), after Init.
func (a *PonPoko) Pattern() int { return a.pattern }

// Act accepts an offer worth more than low or offers a bid in the band.
func (a *PonPoko) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if !a.ready {
		return parley.Action{}, errors.New("anac: ponpoko: Act before Init")
	}
	t := st.Time
	if !a.g.viable(&a.lad.Ladder, t) {
		return parley.EndAction(), nil
	}
	low, high := PonPokoBand(a.pattern, t)
	if x, ok := offerOf(st); ok {
		if u := a.lad.Func().Utility(x); u > low && a.g.acceptable(&a.lad.Ladder, x, u, t) {
			return parley.AcceptAction(), nil
		}
	}
	return parley.OfferOf(a.bid(low, high, t)), nil
}

// bid draws an outcome worth between low and high, lowering low in steps
// of ponPokoStep until the band holds one.
func (a *PonPoko) bid(low, high, t float64) parley.Outcome {
	l := &a.lad
	r := a.g.floor(&l.Ladder, t) // −∞ without the guard
	j := l.upTo(high)
	if j < 0 || l.Utility(j) < r-parley.Eps {
		// Nothing in the band (every outcome is worth more than high) or,
		// with the guard, the band lies below r(t): the cheapest outcome
		// (worth r(t)).
		return l.Pick(l.Search(r), a.rand)
	}
	if l.Utility(j) < low {
		low -= math.Ceil((low-l.Utility(j))/ponPokoStep) * ponPokoStep
		low = min(low, l.Utility(j))
	}
	i := l.Search(max(low, r))
	return l.Outcome(i + a.rand.IntN(j-i+1))
}
