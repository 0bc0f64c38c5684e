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

// CUHKOptions configure CUHKAgent. The zero value is the agent as GENIUS
// 9.1.9 runs it.
type CUHKOptions struct {
	// ConcedeByRounds is a Parley adaptation, off by default: the final
	// concession waits only for fewer than 5 rounds to be left, not also
	// for t > 0.9985 as in GENIUS (CUHKAgent.java requires both, always).
	// With a deadline in rounds, GENIUS timing gives t ≤ D/(D+1), which
	// passes 0.9985 only when D ≥ 666: in shorter negotiations the
	// original never makes its final concession, and this option lets it.
	ConcedeByRounds bool
	// Samples is the number of outcomes sampled when the space is too
	// large to enumerate (default DefaultSamples).
	Samples int
	// GuardReservation is a Parley adaptation, off by default: the agent
	// never accepts an outcome worth less than its reservation value r(t)
	// (it counters instead), and ends the negotiation when no outcome is
	// worth r(t), even on its opening turn. CUHKAgent.java uses its
	// reservation value only to end the negotiation
	// (TerminateCurrentNegotiation) and, when it would both accept and end,
	// to accept only an offer worth more than it; the port always does so.
	GuardReservation bool
}

// Validate names the first bad field.
func (o *CUHKOptions) Validate() error {
	if o.Samples < 0 {
		return fmt.Errorf("anac: cuhkagent: Samples = %d is negative", o.Samples)
	}
	return nil
}

// Constants of CUHKAgent.java.
const (
	cuhkMinConcedeTime = 0.08 // minConcedeToDiscountingFactor
	cuhkAlpha          = 2.0  // alpha1: the larger, the tougher
	cuhkSearchLimit    = 200  // OpponentBidHistory.ChooseBid: candidates scored
	cuhkStatsLimit     = 100  // maximumBidsStored: distinct opponent bids counted
	cuhkHistoryLength  = 10   // getConcessionDegree window
)

// CUHKConcedeTime returns CUHKAgent's concede time τ for discount factor d
// and the opponent's concession degree c in [0,1]
// (chooseConcedeToDiscountingDegree and updateConcedeDegree):
//
//	τ0 = 0.08 + 0.92·d^β, β = 1.8 (d > 0.75), 1.5 (d > 0.5), 1.2 otherwise,
//	τ  = min(1, τ0 + 0.1·(1 − τ0)·c^10).
//
// A conceding opponent (many distinct bids, c near 1) moves τ later: the
// agent holds out longer.
func CUHKConcedeTime(d, c float64) float64 {
	beta := 1.2
	if d > 0.75 {
		beta = 1.8
	} else if d > 0.5 {
		beta = 1.5
	}
	tau0 := cuhkMinConcedeTime + (1-cuhkMinConcedeTime)*math.Pow(d, beta)
	return min(1, tau0+0.1*(1-tau0)*math.Pow(c, 10))
}

// CUHKThreshold returns CUHKAgent's utility threshold at time t for a best
// utility umax, discount factor d and concede time tau (BidToOffer, the
// general case):
//
//	t ≤ τ: umax − (umax − umax·d^(1−τ))·(t/τ)^2
//	t > τ: umax·d^(1−t)
//
// Without discounting (d = 1) τ is 1 and the threshold stays at umax.
func CUHKThreshold(t, umax, d, tau float64) float64 {
	if t <= tau {
		lo := umax * d / math.Pow(d, tau)
		return umax - (umax-lo)*math.Pow(t/tau, cuhkAlpha)
	}
	return umax * d / math.Pow(d, t)
}

// CUHK is CUHKAgent, the winner of ANAC 2012 (Jianye Hao and Ho-fung
// Leung). Its threshold falls from its best utility towards
// umax·d^(1−τ) until the concede time τ, then follows umax·d^(1−t)
// (CUHKThreshold: after τ the undiscounted threshold rises again so that
// its discounted value stays umax·d); τ is set from the discount factor and moved later when
// the opponent concedes (CUHKConcedeTime, from how many of its last ten
// distinct bids it made only once). On large undiscounted domains (more
// than 3,000 outcomes) the threshold is simply umax − 0.05 (umax − 0.25
// after t = 0.98 beyond 10,000 outcomes). It offers the opponent's best
// bid so far when that reaches the threshold, and otherwise, of the bids
// from the threshold's 0.01-wide bucket up (see band), the one whose
// values the opponent proposed most often (a
// frequency model over its first 100 distinct bids; ties and 5% of
// choices are random). It accepts an offer worth the threshold or its own
// next bid, or one within 0.01 of the opponent's best when that best,
// discounted, beats the threshold discounted; it ends the negotiation when
// its reservation value beats its next bid. In the last rounds (fewer
// than 5 left, and t > 0.9985) it offers the opponent's best bid, or when that is worth
// less than 0.85 a bid between umax − 0.15 and umax − 0.02 that the
// opponent likes.
//
// Checked against GENIUS agents/anac/y2012/CUHKAgent/CUHKAgent.java
// (read in Escheck/NegotiatorGUI): chooseAction, BidToOffer,
// AcceptOpponentOffer, TerminateCurrentNegotiation,
// chooseConcedeToDiscountingDegree, updateConcedeDegree, and
// OpponentBidHistory.java: updateOpponentModel, ChooseBid,
// getConcessionDegree. Changes: rounds left are counted from the deadline
// in rounds (Java times its own and the opponent's turns on the wall
// clock; the final concession needs t > 0.9985 as well, unless
// ConcedeByRounds is set); the candidate bids are those of the Java's
// 0.01-wide buckets, edge effects included (see band; the Java samples
// 20,000 bids into them on spaces of 20,000 outcomes or more, Parley
// files every outcome); the opponent's best bid is its
// best within the party's red lines; the concedeToOpponent/toughAgent
// branch is left out because it is dead in Java
// (TerminateCurrentNegotiation resets the flag AcceptOpponentOffer sets
// before it is read). Every random choice comes from Session.Rand.
// Parley's red lines: it never offers or accepts a vetoed outcome, and
// ends the negotiation when every outcome is vetoed. r(t) stands for the
// reservation value in the Java's own uses of it; GuardReservation adds
// Parley's guard.
//
// Act allocates nothing once the opponent history has the room reserved
// at Init.
type CUHK struct {
	opts  CUHKOptions
	g     guard
	lad   ladder
	u     parley.UtilityFunction
	space *parley.OutcomeSpace
	rand  *rand.Rand
	ready bool

	umax      float64
	maxBid    parley.Outcome
	d         float64
	tau       float64
	large     bool // undiscounted and more than 3,000 outcomes
	huge      bool // more than 10,000 outcomes
	threshold float64
	ownBids   int

	hist  seenSet // distinct opponent bids, with counts
	freq  valueCounts
	best  parley.Outcome // the opponent's best bid within the red lines
	bestU float64
}

var _ parley.Negotiator = (*CUHK)(nil)

// NewCUHK returns CUHKAgent; the options are checked at Init.
func NewCUHK(opts CUHKOptions) *CUHK { return &CUHK{opts: opts} }

// Init sorts the outcomes and sets the concede time from the discount
// factor.
func (a *CUHK) Init(_ context.Context, s *parley.Session) error {
	a.ready = false
	if err := a.opts.Validate(); err != nil {
		return err
	}
	if err := a.lad.init(s, a.opts.Samples, "cuhkagent"); err != nil {
		return err
	}
	a.u, a.space, a.rand = a.lad.Func(), s.Profile.Space, s.Rand
	a.g = guard(a.opts.GuardReservation)
	a.d = s.Profile.DiscountFactor()
	a.tau = CUHKConcedeTime(a.d, 0)
	n := a.space.Size()
	a.large = a.d == 1 && n > 3000
	a.huge = n > 10000
	a.umax, a.maxBid = 0, parley.NoOutcome
	if !a.lad.Empty() {
		a.umax, a.maxBid = a.lad.Best(), a.lad.top()
	}
	a.threshold = a.umax
	a.ownBids = 0
	a.hist.reset(historyHint(s))
	a.freq.reset(a.space)
	a.best, a.bestU = parley.NoOutcome, math.Inf(-1)
	a.ready = true
	return nil
}

// Threshold returns the current utility threshold (after Init; it changes
// as the agent bids).
func (a *CUHK) Threshold() float64 { return a.threshold }

// ConcedeTime returns the current concede time τ.
func (a *CUHK) ConcedeTime() float64 { return a.tau }

// Act follows CUHKAgent.chooseAction.
func (a *CUHK) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if !a.ready {
		return parley.Action{}, errors.New("anac: cuhkagent: Act before Init")
	}
	t := st.Time
	if !a.g.viable(&a.lad.Ladder, t) {
		return parley.EndAction(), nil
	}
	x, ok := offerOf(st)
	if !ok {
		return a.offer(a.maxBid), nil // we open with the best bid
	}
	a.observe(x)
	if a.ownBids == 0 {
		return a.offer(a.maxBid), nil
	}
	left := cuhkRoundsLeft(st)
	var bid parley.Outcome
	if left < 5 && (a.opts.ConcedeByRounds || t > 0.9985) {
		// The last chance: concede to the opponent's best bid, or when
		// it is worth less than 0.85 (and there is still a round to
		// come) to a bid between umax − 0.15 and umax − 0.02 it likes.
		bid = a.best
		if bid == parley.NoOutcome || (a.bestU < 0.85 && left >= 2) {
			bid = a.chooseBid(a.band(a.umax-0.15, a.umax-0.02))
		}
	} else {
		bid = a.bidToOffer(t)
	}
	ux := a.u.Utility(x)
	accept := a.acceptOffer(ux, a.u.Utility(bid), t)
	end := a.terminate(a.u.Utility(bid), t)
	r := a.lad.Reservation(t)
	switch {
	case accept && end:
		if ux > r && a.g.acceptable(&a.lad.Ladder, x, ux, t) {
			return parley.AcceptAction(), nil
		}
		return parley.EndAction(), nil
	case accept:
		if a.g.acceptable(&a.lad.Ladder, x, ux, t) {
			return parley.AcceptAction(), nil
		}
	case end:
		return parley.EndAction(), nil
	}
	return a.offer(bid), nil
}

func (a *CUHK) offer(o parley.Outcome) parley.Action {
	a.ownBids++
	return parley.OfferOf(o)
}

// cuhkRoundsLeft returns how many more rounds the party will act in after
// this one: from the deadline in rounds, or estimated from the time taken
// so far when there is only a wall-time limit.
func cuhkRoundsLeft(st *parley.State) int {
	if st.Deadline > 0 {
		return max(st.Deadline-st.Round-1, 0)
	}
	if st.Time <= 0 {
		return math.MaxInt32
	}
	return int(min((1-st.Time)*float64(st.Round+1)/st.Time, math.MaxInt32))
}

// observe updates the opponent model with offer x and the concede time
// (OpponentBidHistory.updateOpponentModel, updateConcedeDegree).
func (a *CUHK) observe(x parley.Outcome) {
	a.hist.add(x)
	if len(a.hist.list) <= cuhkStatsLimit {
		a.freq.add(a.space, x)
	}
	if !a.lad.Profile().Vetoed(x) {
		if u := a.u.Utility(x); u > a.bestU {
			a.best, a.bestU = x, u
		}
	}
	a.tau = CUHKConcedeTime(a.d, a.concessionDegree())
}

// concessionDegree is OpponentBidHistory.getConcessionDegree: the square
// of the share of the last ten distinct bids that the opponent offered
// once only (or of the number of distinct bids over ten, early on).
func (a *CUHK) concessionDegree() float64 {
	n := len(a.hist.list)
	var k float64
	if n > cuhkHistoryLength {
		for _, c := range a.hist.count[n-cuhkHistoryLength:] {
			if c == 1 {
				k++
			}
		}
	} else {
		k = float64(n)
	}
	q := k / cuhkHistoryLength
	return q * q
}

// bidToOffer is CUHKAgent.BidToOffer: it updates the threshold and
// returns the bid to offer.
func (a *CUHK) bidToOffer(t float64) parley.Outcome {
	var floor float64
	if a.large {
		floor = a.umax - 0.05
		if a.huge && t >= 0.98 {
			floor = a.umax - 0.25
		}
		a.threshold = min(a.threshold, floor)
	} else {
		a.threshold = CUHKThreshold(t, a.umax, a.d, a.tau)
		floor = a.threshold
	}
	if a.best != parley.NoOutcome && (a.bestU >= a.threshold || a.bestU >= floor) {
		return a.best
	}
	return a.chooseBid(a.band(floor, a.umax))
}

// band returns the candidates of CUHKAgent.getBidsBetweenUtility(lower,
// upper): the ladder positions i..j and, when withMax, the best bid once
// more. The Java files its bids in 0.01-wide buckets
// (calculateBidsBetweenUtility): with M = ⌊umax/0.01⌋ buckets, bucket b
// holds the bids worth b·0.01 to (b+1)·0.01 not filed in an earlier one,
// and bucket M−1 also the best bid, put there first. It returns buckets
// ⌊lower/0.01⌋ to ⌊upper/0.01⌋ − 1, or the best bid alone when they are
// empty. So a bid worth exactly a bucket's lower edge belongs to the
// bucket below, and no bid worth more than M·0.01 but the best is ever a
// candidate: when umax falls just short of 1 (0.9999999999999999 on ANAC
// 2013 Kitchen), the whole top bucket is missing, and the agent keeps to
// its best bid until its threshold falls below 0.99.
func (a *CUHK) band(lower, upper float64) (i, j int, withMax bool) {
	m := int(a.umax / 0.01)
	first := max(int(lower/0.01), 0) // Java's (int) truncates
	end := min(int(upper/0.01), m)
	lo, hi := float64(first)*0.01, float64(end)*0.01
	n := a.lad.Len()
	i = 0
	if first > 0 {
		i = sort.Search(n, func(k int) bool { return a.lad.Utility(k) > lo })
	}
	j = sort.Search(n, func(k int) bool { return a.lad.Utility(k) > hi }) - 1
	withMax = first <= m-1 && m-1 < end
	return i, j, withMax
}

// chooseBid is OpponentBidHistory.ChooseBid over the ladder positions
// i..j, and the best bid as well when withMax (see band): the candidate
// whose values the opponent proposed most often (ties replace the choice
// with probability 1/2), or with probability 5% a random candidate; over
// 200 candidates, 200 drawn at random are scored. With no candidate it
// returns the best bid.
func (a *CUHK) chooseBid(i, j int, withMax bool) parley.Outcome {
	r := max(j-i+1, 0) // positions on the ladder
	n := r
	if withMax {
		n++
	}
	if n == 0 {
		return a.maxBid
	}
	cand := func(k int) parley.Outcome { // the best bid, if any, last
		if k == r {
			return a.maxBid
		}
		return a.lad.Outcome(i + k)
	}
	best, bestScore := -1, 0
	for k := range min(n, cuhkSearchLimit) {
		c := k
		if n >= cuhkSearchLimit {
			c = a.rand.IntN(n)
		}
		s := a.freq.score(a.space, cand(c))
		if s > bestScore {
			best, bestScore = c, s
		} else if s == bestScore && a.rand.Float64() < 0.5 {
			best = c
		}
	}
	if best < 0 || a.rand.Float64() >= 0.95 {
		return cand(a.rand.IntN(n))
	}
	return cand(best)
}

// acceptOffer is CUHKAgent.AcceptOpponentOffer for an offer worth ux when
// the next bid is worth next.
func (a *CUHK) acceptOffer(ux, next, t float64) bool {
	if ux >= a.threshold || ux >= next {
		return true
	}
	if a.best == parley.NoOutcome {
		return false
	}
	bestNow := a.lad.Profile().Discounted(a.bestU, t)
	if (bestNow > a.umax*a.d && t > a.tau) || bestNow > a.threshold*math.Pow(a.d, t) {
		return ux >= a.bestU-0.01
	}
	return false
}

// terminate is CUHKAgent.TerminateCurrentNegotiation when the next bid is
// worth next.
func (a *CUHK) terminate(next, t float64) bool {
	r := a.lad.Reservation(t)
	if r >= a.threshold || r >= next {
		return true
	}
	return a.lad.Profile().Discounted(r, t) > a.umax*a.d && t > a.tau
}
