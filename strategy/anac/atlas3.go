package anac

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/parley-dev/parley"
)

// Atlas3Options configure Atlas3. The zero value is the ANAC 2015 agent.
type Atlas3Options struct {
	// Samples is the number of outcomes sampled when the space is too
	// large to enumerate (default DefaultSamples).
	Samples int
	// GuardReservation is a Parley adaptation, off by default: the agent
	// never accepts an outcome worth less than its reservation value r(t),
	// bids nothing below r(t), and ends the negotiation when no outcome is
	// worth r(t). Atlas3 uses its reservation value itself, and the port
	// always does: in the final-offer game (its threshold), to end the
	// negotiation when the discounted reservation value reaches the
	// threshold, and in the final phase (re-offer a popular bid only if
	// worth more than it; accept an offer worth more than it, or, once the
	// popular bids are spent, at least as much).
	GuardReservation bool
}

// Validate names the first bad field.
func (o *Atlas3Options) Validate() error {
	if o.Samples < 0 {
		return fmt.Errorf("anac: atlas3: Samples = %d is negative", o.Samples)
	}
	return nil
}

// Constants of Atlas3's final-offer game (etc/strategy.java).
const (
	atlas3TF = 1.0 // time of the final-offer phase
	atlas3PF = 0.5 // probability that I concede first when both would
)

// Atlas3Game is Atlas3's 2×2 final-offer game: its payoffs when each side
// holds out (1) or compromises (2), the opponent's probability Q of
// holding out in the mixed equilibrium, and the expected utility E of the
// final-offer phase.
type Atlas3Game struct {
	A11, A12, A21, A22 float64
	Q, E               float64
}

// Atlas3FinalOfferGame builds the final-offer game for discount factor d,
// reservation value rv and the estimated utility c of the compromise (the
// best utility offered to me bilaterally, the best bid every other party
// supported multilaterally), as etc/strategy.java updateGameMatrix (lines
// 79–89), getOpponentEES (71–76) and getExpectedUtilityinFOP (65–68):
//
//	A11 = rv·d, A12 = d^TF, A21 = c·d^TF (rv·d when c < rv),
//	A22 = PF·A21 + (1 − PF)·A12 with TF = 1, PF = 0.5,
//	q = 1/(1 − (A11 − A21)/(A12 − A22)) (1 when undefined or outside [0,1]),
//	E = q·A21 + (1 − q)·A22.
func Atlas3FinalOfferGame(d, rv, c float64) Atlas3Game {
	g := Atlas3Game{A11: rv * d, A12: math.Pow(d, atlas3TF)}
	if c >= rv {
		g.A21 = c * math.Pow(d, atlas3TF)
	} else {
		g.A21 = rv * d
	}
	g.A22 = atlas3PF*g.A21 + (1-atlas3PF)*g.A12
	g.Q = 1
	if den := g.A12 - g.A22; den != 0 {
		if k := 1 - (g.A11-g.A21)/den; k != 0 {
			g.Q = 1 / k
		}
	}
	if g.Q < 0 || g.Q > 1 || math.IsNaN(g.Q) {
		g.Q = 1
	}
	g.E = g.Q*g.A21 + (1-g.Q)*g.A22
	return g
}

// Atlas3Threshold returns Atlas3's acceptance threshold at time t
// (etc/strategy.java getThreshold, lines 50–62): with
// target = E/d^t, the expected utility of the final-offer game raised by
// the discount still to come,
//
//	d = 1: target + (1 − target)·(1 − t)
//	d < 1: max(1 − t/d, target).
func Atlas3Threshold(t, d, rv, c float64) float64 {
	target := Atlas3FinalOfferGame(d, rv, c).E / math.Pow(d, t)
	if d == 1 {
		return target + (1-target)*(1-t)
	}
	return max(1-t/d, target)
}

// Atlas3 is the winner of ANAC 2015 (Akiyuki Mori and Takayuki Ito), built
// for multilateral alternating offers. Its threshold falls linearly in
// time towards the expected utility of a final-offer game between holding
// out and compromising (Atlas3Threshold), where the compromise is worth
// the best utility offered to it (two parties) or that of the best bid
// every other party supported (more parties). It accepts an offer worth
// the threshold and ends the negotiation when its discounted reservation
// value reaches it. It bids by searching around a random outcome: the
// cheapest single-issue change worth the threshold, else a walk down from
// its best outcome by the relative utilities of the values, else its best
// outcome; then it swaps in, issue by issue, the value the others proposed
// most often whenever that costs it nothing. In the final phase (the time
// left is about the number of popular bids in own turns) it re-offers the
// bids every other party supported, best first, and then accepts any
// offer worth its reservation value.
//
// Checked against GENIUS agents/anac/y2015/Atlas3: Atlas3.java
// (chooseAction, chooseFinalAction, OfferAction, receiveMessage; read in
// Escheck/NegotiatorGUI), etc/strategy.java (lines 30–89; read in
// Escheck/agents), etc/bidSearch.java (getBid, NeighborhoodSearch,
// relativeUtilitySearch, getConvertBidbyFrequencyList) and
// etc/negotiatingInfo.java (updateInfo, updatePBList, updateTimeScale).
// Changes: the best outcome is found exactly from the sorted outcomes (Java
// searches by simulated annealing); where Java falls back to simulated
// annealing for a non-linear utility (the walk by relative utilities
// failing) it takes the cheapest outcome worth the threshold from the
// sorted outcomes, which is what the annealing looks for; the walk by
// relative utilities concedes from the best utility rather than from 1;
// the number of parties comes from the session (Java learns it from an
// Inform message); every random choice comes from Session.Rand. Parley's
// red lines: it never offers or accepts a vetoed outcome (vetoed offers
// count neither as the best offered nor as popular bids), and ends the
// negotiation when every outcome is vetoed. r(t) stands for the
// reservation value in the Java's own uses of it; GuardReservation adds
// Parley's guard.
//
// Act allocates nothing once the popular-bid list has the room reserved at
// Init.
type Atlas3 struct {
	opts  Atlas3Options
	g     guard
	lad   ladder
	u     parley.UtilityFunction
	space *parley.OutcomeSpace
	rand  *rand.Rand
	ready bool

	parties int
	d       float64
	maxBid  parley.Outcome
	umax    float64
	rel     [][]float64 // rel[i][v]: u(maxBid with issue i set to v) − u(maxBid)
	freq    valueCounts // values offered by every other party
	linear  bool        // the walk by relative utilities still works

	seen    int     // offers in State.Offers already read
	turns   int     // own turns so far
	bou     float64 // best utility offered to me
	mpbu    float64 // best utility of a popular bid
	popular []parley.Outcome
	popU    []float64 // utilities of popular, descending
	cIndex  int       // next popular bid to re-offer in the final phase

	perm    []int            // issue order buffer
	vperm   []int            // value order buffer
	targets []parley.Outcome // tie buffer of the neighbourhood search
}

var _ parley.Negotiator = (*Atlas3)(nil)

// NewAtlas3 returns Atlas3; the options are checked at Init.
func NewAtlas3(opts Atlas3Options) *Atlas3 { return &Atlas3{opts: opts} }

// Init sorts the outcomes and computes the relative utilities of the
// values.
func (a *Atlas3) Init(_ context.Context, s *parley.Session) error {
	a.ready = false
	if err := a.opts.Validate(); err != nil {
		return err
	}
	if err := a.lad.init(s, a.opts.Samples, "atlas3"); err != nil {
		return err
	}
	a.u, a.space, a.rand = a.lad.Func(), s.Profile.Space, s.Rand
	a.g = guard(a.opts.GuardReservation)
	a.parties = max(len(s.Names), 2)
	a.d = s.Profile.DiscountFactor()
	is := a.space.Issues
	if len(a.rel) != len(is) {
		a.rel = make([][]float64, len(is))
		a.perm = make([]int, len(is))
	}
	most, total := 0, 0
	for i := range is {
		most = max(most, is[i].Size())
		total += is[i].Size()
	}
	if cap(a.vperm) < most {
		a.vperm = make([]int, most)
	}
	if cap(a.targets) < total {
		a.targets = make([]parley.Outcome, 0, total)
	}
	a.maxBid, a.umax = parley.NoOutcome, 0
	if !a.lad.Empty() {
		a.maxBid, a.umax = a.lad.top(), a.lad.Best()
		for i := range is {
			if len(a.rel[i]) != is[i].Size() {
				a.rel[i] = make([]float64, is[i].Size())
			}
			for v := range a.rel[i] {
				a.rel[i][v] = a.u.Utility(a.with(a.maxBid, i, v)) - a.umax
			}
		}
	}
	a.freq.reset(a.space)
	a.linear = true
	a.seen, a.turns, a.bou, a.mpbu, a.cIndex = 0, 0, 0, 0, 0
	hint := historyHint(s)
	if cap(a.popular) < hint {
		a.popular = make([]parley.Outcome, 0, hint)
		a.popU = make([]float64, 0, hint)
	}
	a.popular, a.popU = a.popular[:0], a.popU[:0]
	a.ready = true
	return nil
}

// with returns o with issue i set to value v.
func (a *Atlas3) with(o parley.Outcome, i, v int) parley.Outcome {
	return o + parley.Outcome((v-a.space.ValueIndex(o, i))*a.space.Stride(i))
}

// Threshold returns the threshold at time t given what the agent has seen
// so far (after Init).
func (a *Atlas3) Threshold(t float64) float64 {
	c := a.bou
	if a.parties > 2 {
		c = a.mpbu
	}
	return Atlas3Threshold(t, a.d, a.lad.Reservation(t), c)
}

// Act follows Atlas3.chooseAction.
func (a *Atlas3) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if !a.ready {
		return parley.Action{}, errors.New("anac: atlas3: Act before Init")
	}
	t := st.Time
	a.read(st)
	if !a.g.viable(&a.lad.Ladder, t) {
		return parley.EndAction(), nil
	}
	a.turns++
	scale := t / float64(a.turns)
	x, offered := offerOf(st)
	var ux float64
	if offered {
		ux = a.u.Utility(x)
	}
	r := a.lad.Reservation(t) // the Java's own uses of it, guard or not
	if t > 1-scale*float64(len(a.popular)+1) {
		// The final phase: walk back down the popular bids.
		if a.cIndex >= len(a.popular) {
			// chooseFinalAction: accept an offer worth at least rv.
			if offered && a.lad.Acceptable(x, ux, t) {
				return parley.AcceptAction(), nil
			}
			return parley.OfferOf(a.search(t)), nil
		}
		if c, cu := a.popular[a.cIndex], a.popU[a.cIndex]; cu > ux && cu > r {
			a.cIndex++
			return parley.OfferOf(c), nil
		}
		if offered && ux > r && a.lad.Acceptable(x, ux, t) {
			return parley.AcceptAction(), nil
		}
		return parley.OfferOf(a.search(t)), nil
	}
	th := a.Threshold(t)
	if offered && ux >= th && a.g.acceptable(&a.lad.Ladder, x, ux, t) {
		return parley.AcceptAction(), nil
	}
	if a.lad.Profile().Discounted(r, t) >= th {
		return parley.EndAction(), nil
	}
	return parley.OfferOf(a.search(t)), nil
}

// read takes in the offers made since the last turn by the other parties
// (negotiatingInfo.updateInfo) and records the standing offer as popular
// when every other party supports it (Atlas3.receiveMessage).
func (a *Atlas3) read(st *parley.State) {
	if a.seen > len(st.Offers) {
		a.seen = len(st.Offers)
	}
	for _, rec := range st.Offers[a.seen:] {
		if rec.Party == st.Me || !a.space.Valid(rec.Outcome) {
			continue
		}
		a.freq.add(a.space, rec.Outcome)
		if !a.lad.Profile().Vetoed(rec.Outcome) {
			a.bou = max(a.bou, a.u.Utility(rec.Outcome))
		}
	}
	a.seen = len(st.Offers)
	if x, ok := offerOf(st); ok && st.Accepts >= st.Parties-2 && !a.lad.Profile().Vetoed(x) {
		a.addPopular(x)
	}
}

// addPopular inserts x into the popular bids, kept in descending order of
// utility (negotiatingInfo.updatePBList).
func (a *Atlas3) addPopular(x parley.Outcome) {
	for _, p := range a.popular {
		if p == x {
			return
		}
	}
	u := a.u.Utility(x)
	a.mpbu = max(a.mpbu, u)
	k := sort.Search(len(a.popU), func(i int) bool { return a.popU[i] < u })
	a.popular = append(a.popular, 0)
	a.popU = append(a.popU, 0)
	copy(a.popular[k+1:], a.popular[k:])
	copy(a.popU[k+1:], a.popU[k:])
	a.popular[k], a.popU[k] = x, u
}

// search is bidSearch.getBid from a random outcome at the threshold (or,
// with the guard, r(t) when higher; at most the best utility: Java's
// profiles reach 1, ours may not).
func (a *Atlas3) search(t float64) parley.Outcome {
	th := min(max(a.Threshold(t), a.g.floor(&a.lad.Ladder, t)), a.umax)
	base := parley.Outcome(a.rand.IntN(a.space.Size()))
	bid, ok := a.neighbour(base, th)
	if !ok && a.linear {
		bid = a.walk(th)
		if ok = a.u.Utility(bid) >= th && !a.lad.Profile().Vetoed(bid); !ok {
			a.linear = false
		}
	}
	if !ok && !a.linear {
		if i := a.lad.Search(th); i < a.lad.Len() {
			bid, ok = a.lad.Pick(i, a.rand), true
		}
	}
	if !ok {
		bid = a.maxBid
	}
	return a.convert(bid)
}

// neighbour is bidSearch.NeighborhoodSearch: among the outcomes that
// differ from base in one issue and are worth at least th, one of the
// cheapest.
func (a *Atlas3) neighbour(base parley.Outcome, th float64) (parley.Outcome, bool) {
	a.targets = a.targets[:0]
	var tu float64
	for i := range a.space.Issues {
		for v := range a.space.Issues[i].Size() {
			o := a.with(base, i, v)
			u := a.u.Utility(o)
			if u < th || a.lad.Profile().Vetoed(o) {
				continue
			}
			switch {
			case len(a.targets) == 0 || u < tu-parley.Eps:
				a.targets = append(a.targets[:0], o)
				tu = u
			case u <= tu+parley.Eps:
				a.targets = append(a.targets, o)
			}
		}
	}
	if len(a.targets) == 0 {
		return base, false
	}
	return a.targets[a.rand.IntN(len(a.targets))], true
}

// walk is bidSearch.relativeUtilitySearch: from the best outcome, visit
// the issues and their values in random order and take for each issue the
// first value whose loss keeps the total loss within umax − th.
func (a *Atlas3) walk(th float64) parley.Outcome {
	bid := a.maxBid
	d := th - a.umax
	sum := 0.0
	a.shuffle(a.perm)
	for _, i := range a.perm {
		vs := a.vperm[:a.space.Issues[i].Size()]
		a.shuffle(vs)
		for _, v := range vs {
			if rel := a.rel[i][v]; d <= sum+rel {
				bid = a.with(bid, i, v)
				sum += rel
				break
			}
		}
	}
	return bid
}

// convert is bidSearch.getConvertBidbyFrequencyList: issue by issue in
// random order, set the value the others proposed most often (ties broken
// at random) when that does not lower the utility.
func (a *Atlas3) convert(bid parley.Outcome) parley.Outcome {
	cur := a.u.Utility(bid)
	a.shuffle(a.perm)
	for _, i := range a.perm {
		counts := a.freq.n[i]
		vs := a.vperm[:len(counts)]
		a.shuffle(vs)
		best := vs[0]
		for _, v := range vs[1:] {
			if counts[v] > counts[best] {
				best = v
			}
		}
		next := a.with(bid, i, best)
		if u := a.u.Utility(next); u >= cur && !a.lad.Profile().Vetoed(next) {
			bid, cur = next, u
		}
	}
	return bid
}

// shuffle fills p with 0..len(p)-1 in a random order (Fisher-Yates).
func (a *Atlas3) shuffle(p []int) {
	for i := range p {
		p[i] = i
	}
	for i := len(p) - 1; i > 0; i-- {
		j := a.rand.IntN(i + 1)
		p[i], p[j] = p[j], p[i]
	}
}
