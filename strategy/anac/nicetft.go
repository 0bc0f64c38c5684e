package anac

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy/boa"
)

// NiceTitForTatOptions configure NiceTitForTat. The zero value is the ANAC
// 2011 agent.
type NiceTitForTatOptions struct {
	// NewModel makes the opponent model, once per Init; nil means the
	// scalable Bayesian model (boa.NewBayesian), as the Java's
	// BayesianOpponentModelScalable. Tests give a known model here.
	NewModel func() boa.OpponentModel
	// Samples is the number of outcomes sampled when the space is too
	// large to enumerate (default boa.DefaultSamples).
	Samples int
	// LearnFirstBid is a Parley adaptation, off by default: the opponent
	// model also learns from the opponent's first bid when the agent moves
	// second. NiceTitForTat.java answers that bid with its opening bid
	// (chooseFirstCounterBid) and never shows it to the model.
	LearnFirstBid bool
}

// Validate names the first bad field.
func (o *NiceTitForTatOptions) Validate() error {
	if o.Samples < 0 {
		return fmt.Errorf("anac: nicetft: Samples = %d is negative", o.Samples)
	}
	return nil
}

// Constants of NiceTitForTat.java.
const (
	ntftFirstBidsTime = 0.01   // TIME_USED_TO_DETERMINE_OPPONENT_STARTING_POINT
	ntftBig           = 10_000 // isDomainBig: more outcomes than this
	ntftBonusBig      = 3_000  // getBonus: big domain for the time bonus
	ntftNashLimit     = 200_000
	ntftScan          = 4096 // candidates scored by the model per turn, at most (ours)
	ntftMaxTop        = 20
)

// NiceTitForTat is Baarslag's Nice Tit-for-Tat agent (ANAC 2011; T.
// Baarslag, K. Hindriks and C. Jonker, "A tit for tat negotiation strategy
// for real-time bilateral negotiations", 2013). It reciprocates in its own
// utility space, aiming at the Nash point of its opponent model:
//
//   - the model (Bayesian by default) gives an estimated Nash outcome; its
//     own utility there, times 1.4 − 0.6·gap (gap = best − the opponent's
//     starting point, from the previous turn), clamped to [0.5, best], is
//     myNash;
//   - the opponent's concession is measured in its own utility: with x0
//     the lowest utility of the opponent's bids up to t = 0.01 (or its
//     first bid) and xmax the best utility the opponent has offered,
//     c = min(1, (xmax − x0)/(myNash − x0)), and its target is
//     best − c·(best − myNash): it concedes towards myNash in proportion
//     to the opponent's concession towards it, never past it;
//   - a bonus b (0.5 − 0.4·d for discount d, rising to 1 over t = 0.91..0.96,
//     or 0.85..0.9 in domains of more than 3,000 outcomes) moves the target
//     b of the way to myNash;
//   - it bids one of the n bids in [0.98·target, target + 0.05] (widening
//     the top by 0.01 until there are two) that the model rates best,
//     n = clamp(count/10, 3, 20), drawn at random; if the opponent has
//     offered something at least as good for it, it offers that instead;
//   - it accepts an offer at least as good as its next bid; from t = 0.98
//     also one that is not beaten by any opponent offer in the last
//     1 − t of time, when at most 10 (40 in big domains) offers came in
//     that time; rather than accepting, while more than one offer is
//     expected and the opponent once offered better, it offers that best
//     offer instead, at most four times.
//
// Checked against GENIUS agents/anac/y2011/Nice_Tit_for_Tat/
// NiceTitForTat.java (Escheck/NegotiatorGUI, version 3.14): chooseCounterBid
// lines 72–121, canUpdateBeliefs 128–140, getBonus 156–186,
// updateMyNashUtility 188–216, getNashMultiplier 222–228,
// getMinimumUtilityOfOpponentFirstBids 246–255, makeAppropriate 261–274,
// chooseOpeningBid and chooseFirstCounterBid 277–303, isAcceptable
// 306–365, makeAcceptAction 368–403, and the two getBidsOfUtility and
// getBestBidForOpponent at the end of the file; BilateralAgent.java
// chooseAction; BidHistory.java filterBetween (bounds (min, max]); the
// model against agents/bayesianopponentmodel/BayesianOpponentModelScalable.java.
// Changes: utilities are relative to its best utility where the Java
// assumes 1; random choices come from Session.Rand; the model learns from
// every opponent bid it answers while it may update (t ≤ 0.99, and t ≤ 0.5
// in domains of more than 10,000 outcomes), except, as in the Java, the
// first bid when it moves second (see LearnFirstBid); the Nash point is the outcome maximising (u − r(t))·model
// among its own outcomes worth r(t) (GENIUS BidSpace.getNash over the
// Pareto frontier, the same point); the opponent's first bids are those up
// to t = 0.01 inclusive; the first counter-factor guards a zero
// denominator (the Java divides by it); in large domains the Java takes the
// first two bids of the window in domain order, we score at most 4,096 of
// the window, evenly spread. Parley's red lines: it never offers or
// accepts a vetoed outcome (nor re-offers a vetoed opponent bid), never
// offers or accepts one below r(t), and ends the negotiation when no
// outcome is worth r(t). With several opponents their bids are pooled.
type NiceTitForTat struct {
	opts NiceTitForTatOptions
	outs boa.Outcomes
	om   boa.OpponentModel
	// the last Nash scan, for a versioned model (see updateNash)
	memo     bool
	memoVer  int
	memoR    float64
	memoNash float64
	rand     *rand.Rand
	ok       bool

	setup boa.Setup
	size  int     // outcomes in the space (the Java's DOMAINSIZE)
	d     float64 // discount factor

	myNash, initialGap, target float64
	offered                    bool // it has made a bid
	offeredBest                int  // times it offered the opponent's best instead of accepting
	seen                       int  // records of State.Offers already read

	nOpp             int
	firstU, minFirst float64 // the opponent's first bid, and the lowest before t = 0.01
	hasFirst         bool    // minFirst is set
	maxU             float64 // the best utility the opponent has offered
	best             parley.Outcome
	bestU            float64 // the opponent's best bid within the red lines
	hasBest          bool

	top  [ntftMaxTop]int // positions of the current best candidates
	topV [ntftMaxTop]float64
}

var _ parley.Negotiator = (*NiceTitForTat)(nil)

// NewNiceTitForTat returns Nice Tit-for-Tat; the options are checked at
// Init.
func NewNiceTitForTat(opts NiceTitForTatOptions) *NiceTitForTat {
	return &NiceTitForTat{opts: opts}
}

// Init sorts the outcomes and starts a fresh opponent model.
func (n *NiceTitForTat) Init(_ context.Context, s *parley.Session) error {
	n.ok, n.memo = false, false
	if err := n.opts.Validate(); err != nil {
		return err
	}
	if err := n.outs.Init(s, n.opts.Samples); err != nil {
		return fmt.Errorf("anac: nicetft: %w", err)
	}
	switch {
	case n.opts.NewModel != nil:
		if n.om = n.opts.NewModel(); n.om == nil {
			return errors.New("anac: nicetft: NewModel returned no model")
		}
	case n.om == nil:
		n.om = boa.NewBayesian(boa.BayesianOptions{})
	}
	n.setup = boa.Setup{Session: s, Outcomes: &n.outs}
	if err := n.om.Init(&n.setup); err != nil {
		return fmt.Errorf("anac: nicetft: %w", err)
	}
	n.rand = s.Rand
	n.size = s.Profile.Space.Size()
	n.d = s.Profile.DiscountFactor()
	n.myNash, n.initialGap, n.target = 0, 0, 0
	n.offered, n.offeredBest, n.seen = false, 0, 0
	n.nOpp, n.hasFirst, n.hasBest = 0, false, false
	n.maxU = math.Inf(-1)
	n.ok = true
	return nil
}

// Nash returns its current estimate of its own utility at the Nash point,
// myNash (0 before the first counter-bid).
func (n *NiceTitForTat) Nash() float64 { return n.myNash }

// Target returns its target utility as of its last counter-bid.
func (n *NiceTitForTat) Target() float64 { return n.target }

func (n *NiceTitForTat) big() bool { return n.size > ntftBig }

// canUpdate reports whether the model and the Nash point may be updated at
// time t (canUpdateBeliefs).
func (n *NiceTitForTat) canUpdate(t float64) bool {
	return t <= 0.99 && !(n.big() && t > 0.5)
}

// Act answers the opponent (see NiceTitForTat).
func (n *NiceTitForTat) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if !n.ok {
		return parley.Action{}, errors.New("anac: nicetft: Act before Init")
	}
	t := st.Time
	r := n.outs.Reservation(t)
	if n.outs.Len() == 0 || !parley.AtLeast(n.outs.Best(), r) {
		return parley.EndAction(), nil // nothing within the red lines is worth r(t)
	}
	n.read(st)
	top := n.outs.Len() - 1
	if st.Standing == parley.NoOutcome || st.Proposer == st.Me || n.nOpp == 0 {
		n.offered = true // the opening bid: its best
		return parley.OfferOf(n.outs.Outcome(top)), nil
	}
	x := st.Standing
	ux := n.outs.Func().Utility(x)
	var plan parley.Outcome
	var planU float64
	if !n.offered { // the first counter-bid is the opening bid
		plan, planU = n.outs.Outcome(top), n.outs.Best()
	} else {
		plan, planU = n.counter(t, r)
	}
	if n.outs.Acceptable(x, ux, t) && n.acceptable(st, ux, planU) {
		// makeAcceptAction: offer the opponent's best once more instead,
		// while more offers are expected and it was better.
		if n.hasBest && n.bestU > ux && n.offeredBest <= 3 && n.recent(st) > 1 && parley.AtLeast(n.bestU, r) {
			n.offeredBest++
			n.offered = true
			return parley.OfferOf(n.best), nil
		}
		return parley.AcceptAction(), nil
	}
	n.offered = true
	return parley.OfferOf(plan), nil
}

// read takes in the other parties' new offers.
func (n *NiceTitForTat) read(st *parley.State) {
	if n.seen > len(st.Offers) {
		n.seen = 0
	}
	u := n.outs.Func()
	// The Java feeds the model in chooseCounterBid only: the bid answered
	// by the opening bid (chooseFirstCounterBid, when it moves second) is
	// never learned from.
	update := n.canUpdate(st.Time) && (n.offered || n.opts.LearnFirstBid)
	for _, rec := range st.Offers[n.seen:] {
		if rec.Party == st.Me {
			continue
		}
		ur := u.Utility(rec.Outcome)
		if n.nOpp == 0 {
			n.firstU = ur
		}
		n.nOpp++
		if rec.Time <= ntftFirstBidsTime && (!n.hasFirst || ur < n.minFirst) {
			n.minFirst, n.hasFirst = ur, true
		}
		n.maxU = max(n.maxU, ur)
		if !n.outs.Profile().Vetoed(rec.Outcome) && (!n.hasBest || ur >= n.bestU) {
			n.best, n.bestU, n.hasBest = rec.Outcome, ur, true
		}
		if update {
			n.om.Update(rec)
		}
	}
	n.seen = len(st.Offers)
}

// counter returns the counter-bid at time t (chooseCounterBid).
func (n *NiceTitForTat) counter(t, r float64) (parley.Outcome, float64) {
	best := n.outs.Best()
	if n.canUpdate(t) {
		n.updateNash(r)
	}
	x0 := n.firstU
	if n.hasFirst {
		x0 = n.minFirst
	}
	c := 1.0 // the opponent already offers at least myNash
	if den := n.myNash - x0; den > 1e-12 {
		c = min(1, (n.maxU-x0)/den)
	}
	target := best - c*(best-n.myNash)
	n.initialGap = best - x0
	target -= n.bonus(t) * max(0, target-n.myNash)
	n.target = target

	plan, planU := n.choose(target, r)
	if n.hasBest && n.bestU >= planU && parley.AtLeast(n.bestU, r) { // makeAppropriate
		return n.best, n.bestU
	}
	return plan, planU
}

// updateNash re-estimates myNash (updateMyNashUtility).
func (n *NiceTitForTat) updateNash(r float64) {
	best := n.outs.Best()
	nash := 0.7
	// The scan below is the agent's main cost on large spaces; a model that
	// reports a version (boa.Bayesian) has not changed while the version
	// stays, so neither has the scan's answer for the same r.
	ver, versioned := n.om.(interface{ Version() int })
	if versioned && n.memo && ver.Version() == n.memoVer && r == n.memoR {
		nash = n.memoNash
	} else if n.size < ntftNashLimit {
		bp := math.Inf(-1)
		for i := n.outs.Len() - 1; i >= 0 && n.outs.Utility(i) >= r-parley.Eps; i-- {
			if p := (n.outs.Utility(i) - r) * n.om.Utility(n.outs.Outcome(i)); p > bp {
				bp, nash = p, n.outs.Utility(i)
			}
		}
		if versioned {
			n.memo, n.memoVer, n.memoR, n.memoNash = true, ver.Version(), r, nash
		}
	}
	n.myNash = min(max(nash*max(0, 1.4-0.6*n.initialGap), min(0.5, best)), best)
}

// bonus is getBonus at time t.
func (n *NiceTitForTat) bonus(t float64) float64 {
	d := n.d
	if d <= 0 || d >= 1 {
		d = 1
	}
	b := 0.5 - 0.4*d
	from := 0.91
	if n.size > ntftBonusBig {
		from = 0.85
	}
	if t > from {
		b = max(b, min(1, 20*(t-from)))
	}
	return min(max(b, 0), 1)
}

// choose returns a bid near the target (getBidsOfUtility and
// getBestBidForOpponent): one of the n the model rates best.
func (n *NiceTitForTat) choose(target, r float64) (parley.Outcome, float64) {
	x := &n.outs
	target = min(target, x.Best())
	lo := x.Search(max(0.98*target, r))
	hi := target + 0.04
	var end int
	for found := false; !found; {
		hi += 0.01
		end = x.Above(hi)
		k := end - lo
		found = k > 1 || (hi >= 1 && k > 0)
		if !found && hi > 1 {
			top := x.Len() - 1
			return x.Outcome(top), x.Utility(top)
		}
	}
	count := end - lo
	want := min(max(int(math.Round(float64(count)/10)), 3), ntftMaxTop)
	step := 1
	if count > ntftScan {
		step = (count + ntftScan - 1) / ntftScan
	}
	m := 0 // candidates held in top[:m], best first
	for i := lo; i < end; i += step {
		v := n.om.Utility(x.Outcome(i))
		// Insert, keeping the order: model value descending, then
		// outcome ascending.
		j := m
		for j > 0 && (v > n.topV[j-1] || (v == n.topV[j-1] && x.Outcome(i) < x.Outcome(n.top[j-1]))) {
			j--
		}
		if j >= want {
			continue
		}
		if m < want {
			m++
		}
		copy(n.top[j+1:m], n.top[j:m-1])
		copy(n.topV[j+1:m], n.topV[j:m-1])
		n.top[j], n.topV[j] = i, v
	}
	i := n.top[n.rand.IntN(m)]
	return x.Outcome(i), x.Utility(i)
}

// recent returns how many offers the other parties made in the last 1 − t
// of time, (t − (1 − t), t].
func (n *NiceTitForTat) recent(st *parley.State) int {
	from := st.Time - (1 - st.Time)
	k := 0
	for i := len(st.Offers) - 1; i >= 0 && st.Offers[i].Time > from; i-- {
		if st.Offers[i].Party != st.Me {
			k++
		}
	}
	return k
}

// acceptable is isAcceptable: the offer is worth ux, its planned bid planU.
func (n *NiceTitForTat) acceptable(st *parley.State, ux, planU float64) bool {
	if parley.AtLeast(ux, planU) {
		return true
	}
	t := st.Time
	if t < 0.98 {
		return false
	}
	enough := 10
	if n.big() {
		enough = 40
	}
	if n.recent(st) > enough {
		return false
	}
	// The opponent's offers in the window (t − w, t], w = 1 − t, strictly
	// better than this one: their chance of coming again is p = (1 − t)/w = 1.
	left := 1 - t
	window := left
	u := n.outs.Func()
	k, sum := 0, 0.0
	for i := len(st.Offers) - 1; i >= 0 && st.Offers[i].Time > t-window; i-- {
		if rec := &st.Offers[i]; rec.Party != st.Me {
			if v := u.Utility(rec.Outcome); v > ux {
				k++
				sum += v
			}
		}
	}
	p := 1.0
	if window > 0 {
		p = min(left/window, 1)
	}
	hit, avg := 0.0, 0.0
	if k > 0 {
		hit, avg = 1-math.Pow(1-p, float64(k)), sum/float64(k)
	}
	return ux > hit*avg
}
