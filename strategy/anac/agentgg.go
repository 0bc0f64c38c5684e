package anac

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/parley-dev/parley"
)

// AgentGGOptions configure AgentGG. The zero value is the ANAC 2019 agent.
type AgentGGOptions struct {
	// Candidates, when set, replaces the Java's search for a bid (up to
	// three rounds of 2·|Ω| random draws, used by default on spaces of at
	// most 2¹⁵ outcomes) by scoring the band's outcomes against the
	// opponent model: at most this many on one turn, drawn at random when
	// the band holds more. Larger spaces always use this search, with 4096
	// when Candidates is 0.
	Candidates int
	// Samples is the number of outcomes sampled when the space is too
	// large to enumerate (default DefaultSamples).
	Samples int
	// GuardReservation is a Parley adaptation, off by default: the agent
	// never accepts an outcome worth less than its reservation value r(t),
	// bids nothing below r(t), and ends the negotiation when no outcome is
	// worth r(t). AgentGG.java uses its reservation value itself, and the
	// port always does: as the reservation ratio under its lower bound
	// (getThreshold) and in its last call (accept from t = 0.9989 an offer
	// whose ratio is more than 0.2 above it).
	GuardReservation bool
}

// Validate names the first bad field.
func (o *AgentGGOptions) Validate() error {
	if o.Candidates < 0 {
		return fmt.Errorf("anac: agentgg: Candidates = %d is negative", o.Candidates)
	}
	if o.Samples < 0 {
		return fmt.Errorf("anac: agentgg: Samples = %d is negative", o.Samples)
	}
	return nil
}

// Constants of AgentGG.java.
const (
	ggModelUntil  = 0.3    // the opponent model learns from offers before this time
	ggRandomUntil = 0.2    // bids are random in the band before this time
	ggNashWindow  = 0.003  // time over which the opponent's early offers are watched
	ggLastCall    = 0.9989 // from this time, accept anything 0.2 above the reservation ratio
	ggBand        = 0.1    // upper bound = lower bound + 0.1
	ggDrawRounds  = 3      // getNeededRandomBid's rounds of 2·|Ω| random draws
	ggDrawLimit   = 1 << 15
)

// AgentGGLowerBound returns AgentGG's lower bound on the importance ratio
// of its bids at time t, given the estimated Nash point n and the
// reservation ratio rv (AgentGG.java, getThreshold):
//
//	t < 0.01        0.9999
//	t < 0.02        0.99
//	t < 0.2         0.99 − 0.5(t − 0.02)                          (to 0.9)
//	t < 0.5         0.9 → n + 0.3(1 − n)                           linear
//	t < 0.9         n + 0.3(1 − n) → n + 0.15(1 − n)               linear
//	t < 0.98        n + 0.15(1 − n) → n + 0.05(1 − n), at least rv + 0.3
//	t < 0.995       n + 0.05(1 − n) → n,                at least rv + 0.25
//	t < 0.999       n → n − 0.35(1 − n) (reached at 0.9989), at least rv + 0.25
//	otherwise       n − 0.4(1 − n),                     at least rv + 0.2
func AgentGGLowerBound(t, n, rv float64) float64 {
	at := func(k float64) float64 { return k*(1-n) + n }
	lerp := func(p1, p2, t0, t1 float64) float64 { return p1 - (p1-p2)/(t1-t0)*(t-t0) }
	switch {
	case t < 0.01:
		return 0.9999
	case t < 0.02:
		return 0.99
	case t < 0.2:
		return 0.99 - 0.5*(t-0.02)
	case t < 0.5:
		return lerp(0.9, at(0.3), 0.2, 0.5)
	case t < 0.9:
		return lerp(at(0.3), at(0.15), 0.5, 0.9)
	case t < 0.98:
		return max(lerp(at(0.15), at(0.05), 0.9, 0.98), rv+0.3)
	case t < 0.995:
		return max(lerp(at(0.05), at(0), 0.98, 0.995), rv+0.25)
	case t < 0.999:
		return max(lerp(at(0), at(-0.35), 0.995, 0.9989), rv+0.25)
	}
	return max(at(-0.4), rv+0.2)
}

// AgentGGNash is AgentGG's estimate of its importance ratio at the Nash
// point from the best ratio r the opponent offered early on
// (getMaxOppoBidImpForMe): (1 − r)/1.7 + r.
func AgentGGNash(r float64) float64 { return (1-r)/1.7 + r }

// AgentGG is the winner of ANAC 2019 (Shaobo Xu), adapted from preference
// uncertainty to full preferences. The original knows only a ranking of
// some bids and builds an "importance map" of values from it; it bids and
// accepts on the importance ratio (imp(b) − imp_min)/(imp_max − imp_min).
// Parley profiles give full utilities, so the importance of a bid is its
// utility and the ratio is the normalised utility
// (u − u_min)/(u_max − u_min); the reservation ratio, which the original
// approximates from the median of the ranking, is the normalised
// reservation value r(t).
//
// Its lower bound follows a fixed schedule in time that falls towards the
// estimated Nash point (AgentGGLowerBound), estimated from the best offer
// the opponent made in its first offers (AgentGGNash); the upper bound is
// 0.1 above. It accepts an offer whose ratio reaches the lower bound of
// its previous turn (and after t = 0.9989 any offer 0.2 above the
// reservation ratio). It bids, before t = 0.2, a random outcome in the
// band; afterwards, among 2·|Ω| random outcomes, the one in the band the
// opponent likes most by a frequency model of the opponent's offers
// before t = 0.3 (the first drawn of equals), provided the model scores
// it above 0, trying up to three rounds of draws; when the band is empty,
// or no outcome in it shares a value with the opponent's offers, a random
// outcome above the lower bound (which may lie above the band).
//
// Checked against agents/anac/y2019/agentgg/AgentGG.java and ImpMap.java
// (GENIUS 9.1.9 as in Shaobo-Xu/ANAC2019): chooseAction,
// getMaxOppoBidImpForMe, getThreshold, getNeededRandomBid,
// ImpMap.opponent_update and getImportance. Changes besides the
// importance adaptation: on spaces of more than 2¹⁵ outcomes (or with
// Candidates set) the band is read from the sorted outcomes and at most
// Candidates of it are scored, ties broken at random, instead of the
// Java's draws; the Nash estimate starts at the first offer received, as the
// Java reference comparison of bids does; every random choice comes from
// Session.Rand. Parley's red lines: it never offers or accepts a vetoed
// outcome, and ends the negotiation when every outcome is vetoed. r(t)
// stands for the reservation value in the Java's own uses of it (the
// reservation ratio is that of r(t)); GuardReservation adds Parley's
// guard.
//
// Act allocates nothing.
type AgentGG struct {
	opts  AgentGGOptions
	g     guard
	lad   ladder
	u     parley.UtilityFunction
	space *parley.OutcomeSpace
	rand  *rand.Rand
	ready bool

	umin, umax float64
	maxBid     parley.Outcome

	low, high float64     // importance-ratio band of the last turn
	opp       valueCounts // opponent's value counts (ImpMap.opponent_update)

	nash    float64 // estimated Nash ratio
	gotNash bool
	started bool
	start   float64
	bestOpp float64 // best utility the opponent offered while watching
}

var _ parley.Negotiator = (*AgentGG)(nil)

// NewAgentGG returns AgentGG; the options are checked at Init.
func NewAgentGG(opts AgentGGOptions) *AgentGG { return &AgentGG{opts: opts} }

// Init sorts the outcomes and resets the opponent model.
func (a *AgentGG) Init(_ context.Context, s *parley.Session) error {
	a.ready = false
	if err := a.opts.Validate(); err != nil {
		return err
	}
	if err := a.lad.init(s, a.opts.Samples, "agentgg"); err != nil {
		return err
	}
	a.u, a.space, a.rand = a.lad.Func(), s.Profile.Space, s.Rand
	a.g = guard(a.opts.GuardReservation)
	a.umin, a.umax, a.maxBid = 0, 0, parley.NoOutcome
	if !a.lad.Empty() {
		a.umin, a.umax, a.maxBid = a.lad.Worst(), a.lad.Best(), a.lad.top()
	}
	a.low, a.high = 1, 1+ggBand
	a.opp.reset(a.space)
	a.nash, a.gotNash, a.started, a.start, a.bestOpp = 0, false, false, 0, a.umin
	a.ready = true
	return nil
}

// ratio returns the importance ratio of utility u: its normalised value.
func (a *AgentGG) ratio(u float64) float64 {
	if a.umax <= a.umin {
		return 1
	}
	return (u - a.umin) / (a.umax - a.umin)
}

// utility returns the utility of importance ratio q.
func (a *AgentGG) utility(q float64) float64 { return a.umin + q*(a.umax-a.umin) }

// LowerBound returns the lower bound of the current band (after Act).
func (a *AgentGG) LowerBound() float64 { return a.low }

// Nash returns the estimated Nash ratio and whether it is set yet.
func (a *AgentGG) Nash() (float64, bool) { return a.nash, a.gotNash }

// Act follows AgentGG.chooseAction.
func (a *AgentGG) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if !a.ready {
		return parley.Action{}, errors.New("anac: agentgg: Act before Init")
	}
	t := st.Time
	if !a.g.viable(&a.lad.Ladder, t) {
		return parley.EndAction(), nil
	}
	x, ok := offerOf(st)
	if !ok {
		return parley.OfferOf(a.maxBid), nil
	}
	ux := a.u.Utility(x)
	q := a.ratio(ux)
	if q >= a.low && a.g.acceptable(&a.lad.Ladder, x, ux, t) {
		return parley.AcceptAction(), nil
	}
	if !a.gotNash {
		a.bestOpp = max(a.bestOpp, ux)
		if !a.started {
			a.started, a.start = true, t
		} else if t-a.start > ggNashWindow {
			a.nash, a.gotNash = AgentGGNash(a.ratio(a.bestOpp)), true
		}
	}
	if t < ggModelUntil {
		a.opp.add(a.space, x)
	}
	rv := max(a.ratio(a.lad.Reservation(t)), 0)
	a.low = AgentGGLowerBound(t, a.nash, rv)
	a.high = a.low + ggBand
	if t >= ggLastCall && q > rv+0.2 && a.g.acceptable(&a.lad.Ladder, x, ux, t) {
		return parley.AcceptAction(), nil
	}
	return parley.OfferOf(a.bid(t)), nil
}

// bid is getNeededRandomBid: an outcome in the band, random before
// t = 0.2 and the opponent's favourite afterwards if the model scores it
// above 0; otherwise a random outcome above the lower bound.
func (a *AgentGG) bid(t float64) parley.Outcome {
	l := &a.lad
	lo := max(a.utility(a.low), a.g.floor(&l.Ladder, t))
	i, j := l.Search(lo), l.upTo(a.utility(a.high))
	if i >= l.Len() {
		return a.maxBid // the band lies above the best outcome
	}
	if j < i {
		// Nothing in the band: a random outcome above the lower bound.
		return l.Outcome(i + a.rand.IntN(l.Len()-i))
	}
	n := j - i + 1
	if t < ggRandomUntil {
		return l.Outcome(i + a.rand.IntN(n))
	}
	if a.opts.Candidates == 0 && a.space.Enumerable() && a.space.Size() <= ggDrawLimit {
		if o, ok := a.drawBand(l.Utility(i), l.Utility(j)); ok {
			return o
		}
		// No band bid scored above 0 in three rounds of draws.
		return l.Outcome(i + a.rand.IntN(l.Len()-i))
	}
	limit := a.opts.Candidates
	if limit == 0 {
		limit = 4096
	}
	// Java keeps a band bid only when the opponent model scores it
	// strictly above the best so far, which starts at 0
	// (getNeededRandomBid): a bid with none of the opponent's values is
	// never chosen.
	best, bestScore, ties := -1, 0, 0
	for k := range min(n, limit) {
		c := i + k
		if n > limit {
			c = i + a.rand.IntN(n)
		}
		s := a.opp.score(a.space, l.Outcome(c))
		switch {
		case s > bestScore:
			best, bestScore, ties = c, s, 1
		case s == bestScore && best >= 0:
			ties++
			if a.rand.IntN(ties) == 0 {
				best = c
			}
		}
	}
	if best < 0 {
		// No band bid scores above 0: a random outcome above the lower
		// bound, as when the band is empty.
		return l.Outcome(i + a.rand.IntN(l.Len()-i))
	}
	return l.Outcome(best)
}

// drawBand searches the band [lo, hi] as AgentGG.java's
// getNeededRandomBid does from t = 0.2: up to three rounds of 2·|Ω|
// uniformly random outcomes; in a round, of the drawn outcomes in the band
// (within the red lines) it keeps the first that the opponent model scores
// strictly above every earlier one, starting from 0, and returns it at the
// end of the round. A band bid that is never drawn is never chosen, so the
// opponent's favourite is missed in a round with probability
// (1 − 1/|Ω|)^(2|Ω|) ≈ e⁻² when it is alone. It reports false when no
// round kept a bid.
func (a *AgentGG) drawBand(lo, hi float64) (parley.Outcome, bool) {
	size := a.space.Size()
	p := a.lad.Profile()
	for range ggDrawRounds {
		best, bestScore := parley.NoOutcome, 0
		for range 2 * size {
			o := parley.Outcome(a.rand.IntN(size))
			if u := a.u.Utility(o); u < lo || u > hi || p.Vetoed(o) {
				continue
			}
			if s := a.opp.score(a.space, o); s > bestScore {
				best, bestScore = o, s
			}
		}
		if best != parley.NoOutcome {
			return best, true
		}
	}
	return parley.NoOutcome, false
}
