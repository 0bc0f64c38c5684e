package anac

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy/boa"
	"github.com/parley-dev/parley/ufun"
)

// HardHeadedOptions configure HardHeaded. The zero value is the ANAC 2011
// agent (KLH.java constants).
type HardHeadedOptions struct {
	// MinUtility is the floor of the concession curve (default 0.585,
	// MINIMUM_BID_UTILITY); with GuardReservation, max(MinUtility, r(t)).
	MinUtility float64
	// Ka is the initial concession of the curve (default 0.05).
	Ka float64
	// E is the concession exponent (default 0.05: very Boulware).
	E float64
	// Learn is the learning coefficient of the frequency opponent model
	// (default 0.2, LEARNING_COEF).
	Learn float64
	// PlainWeights is a Parley adaptation, off by default: the opponent
	// model re-weighs issues by the published formula in one step
	// (boa.FrequencyOptions with GENIUSWeights off) instead of through
	// GENIUS's AdditiveUtilitySpace.setWeight, which renormalises all
	// weights after each issue's (KLH.updateLearner).
	PlainWeights bool
	// Samples is the number of outcomes sampled when the space is too
	// large to enumerate (default boa.DefaultSamples).
	Samples int
	// GuardReservation is a Parley adaptation, off by default: the agent
	// never accepts or offers an outcome worth less than its reservation
	// value r(t), raises the floor of its concession curve to r(t), and
	// ends the negotiation when no outcome is worth r(t). KLH.java copies
	// the reservation value into MINIMUM_BID_UTILITY in init, after the
	// curve's floor minUtil was set from it (0.585), so the original never
	// uses it.
	GuardReservation bool
}

// Validate names the first bad field.
func (o *HardHeadedOptions) Validate() error {
	for _, f := range []struct {
		name   string
		v      float64
		lo, hi float64
	}{{"MinUtility", o.MinUtility, 0, 1}, {"Ka", o.Ka, 0, 1}, {"E", o.E, 0, 100}, {"Learn", o.Learn, 0, 0.999999}} {
		if math.IsNaN(f.v) || f.v < f.lo || f.v > f.hi {
			return fmt.Errorf("anac: hardheaded: %s = %v outside [%v, %v]", f.name, f.v, f.lo, f.hi)
		}
	}
	if o.Samples < 0 {
		return fmt.Errorf("anac: hardheaded: Samples = %d is negative", o.Samples)
	}
	return nil
}

// Constants of KLH.java.
const (
	hhMinUtility = 0.585 // MINIMUM_BID_UTILITY
	hhKa         = 0.05  // Ka
	hhE          = 0.05  // e
	hhLearn      = 0.2   // LEARNING_COEF
	hhTolerance  = 0.01  // UTILITY_TOLORANCE
	hhTop        = 4     // TOP_SELECTED_BIDS; the selection loop runs while added ≤ 4, so five bids
	hhIgnoreDisc = 0.9   // ignoreDiscountThreshold
)

// HardHeadedTarget is HardHeaded's concession curve p(t) (KLH.java get_p,
// lines 243–273), with step point s = the discount factor d:
//
//	s ≥ 0.9:  Fa = Ka + (1 − Ka)·(t/s)^(1/e),  p = min + (1 − Fa)·(max − min)
//	t ≤ s:    Fa = Ka + (1 − Ka)·(t/s)^(s/e),  min' = min + (max − min)·s,
//	          p = min' + (1 − Fa)·(max − min')
//	t > s:    Fa = Ka + (1 − Ka)·((t − s)/(1 − s))^(1/30),
//	          max' = min + (max − min)·s,  p = min + (1 − Fa)·(max' − min)
//
// The Java lets p fall below min when 0.9 ≤ d < 1 and t > d; here p is
// clamped to [min, max].
func HardHeadedTarget(t, d, ka, e, lo, hi float64) float64 {
	if d <= 0 || d > 1 {
		d = 1
	}
	var p float64
	switch {
	case d >= hhIgnoreDisc:
		fa := ka + (1-ka)*math.Pow(t/d, 1/e)
		p = lo + (1-fa)*(hi-lo)
	case t <= d:
		fa := ka + (1-ka)*math.Pow(t/d, d/e)
		lo2 := lo + math.Abs(hi-lo)*d
		p = lo2 + (1-fa)*(hi-lo2)
	default:
		fa := ka + (1-ka)*math.Pow((t-d)/(1-d), 1.0/30)
		hi2 := lo + math.Abs(hi-lo)*d
		p = lo + (1-fa)*(hi2-lo)
	}
	return min(max(p, lo), hi)
}

// hhBid is one bid HardHeaded has queued or made: its position in its bid
// list (-1 for a bid not in it), the outcome, its own utility and its key
// in the list (KLH compares keys where it compares bids of its list).
type hhBid struct {
	pos    int
	o      parley.Outcome
	u, key float64
}

// hhListLimit is the largest outcome space for which HardHeaded builds
// its bid list as KLH's BidSelector does; beyond it the list is the
// sorted outcomes, keyed by their utilities.
const hhListLimit = 1 << 21

// hhBidList returns the outcomes of space in the order of KLH's bid list
// (BidSelector.java), with their keys. BidSelector starts from the bid
// with the first value of every issue and, issue by issue in domain
// order, replaces every bid of its list (in ascending key order) by the
// bids with each value of that issue (in value order), keyed by their
// utility plus an offset d that starts at −10⁻⁸ and falls by 10⁻⁸ after
// every bid of the pass; a key equal to an earlier one replaces that bid
// (a TreeMap). The offsets reorder bids whose utilities are within about
// |Ω|·10⁻⁸ of each other, ties included.
func hhBidList(space *parley.OutcomeSpace, u parley.UtilityFunction) []hhBid {
	type entry struct {
		o   parley.Outcome
		key float64
	}
	cur := []entry{{o: 0, key: u.Utility(0)}} // every issue at its first value
	for i := range space.Issues {
		n, stride := space.Issues[i].Size(), space.Stride(i)
		next := make([]entry, 0, len(cur)*n)
		d := -0.00000001
		for _, e := range cur {
			for v := range n { // issue i still holds its first value in e.o
				o := e.o + parley.Outcome(v*stride)
				next = append(next, entry{o: o, key: u.Utility(o) + d})
				d -= 0.00000001
			}
		}
		// Ascending keys; of equal keys the one put last survives.
		slices.SortStableFunc(next, func(a, b entry) int { return cmp.Compare(a.key, b.key) })
		k := 0
		for j := range next {
			if k > 0 && next[k-1].key == next[j].key {
				k--
			}
			next[k] = next[j]
			k++
		}
		cur = next[:k]
	}
	list := make([]hhBid, len(cur))
	for j, e := range cur {
		list[j] = hhBid{pos: j, o: e.o, u: u.Utility(e.o), key: e.key}
	}
	return list
}

// HardHeaded is the winner of ANAC 2011 (van Krimpen, Looije and
// Hajizadeh). It walks down its outcomes sorted by its own utility, never
// below a very Boulware curve p(t) (HardHeadedTarget with Ka = 0.05,
// e = 0.05, between its best utility and u_min = 0.585),
// learning the opponent's preferences with the HardHeaded frequency model
// (boa.Frequency, learning coefficient 0.2):
//
//   - its first bid is its best;
//   - when its queue of bids is empty it takes the next outcome below its
//     last bid; if that is below p(t) it takes instead one of its earlier
//     bids drawn at random, else it adds the outcomes below that are
//     within 0.01 of it and still at least p(t); four or fewer are queued
//     in ascending utility; of more, five are picked one by one as the
//     best the model rates (TOP_SELECTED_BIDS = 4, but the Java loop runs
//     while added ≤ 4), and queued as KLH's TreeMap leaves them, which
//     may repeat a bid and lose the model's favourite (see below);
//     if the opponent's best bid so far is better for it than the head of
//     the queue, that bid goes first;
//   - it accepts the offer on the table if it is worth more than the
//     lowest bid it has made, or at least as much as its next bid.
//
// Checked against GENIUS agents/anac/y2011/HardHeaded/KLH.java
// (Escheck/NegotiatorGUI, version 1.2): constants lines 33–41, init
// 67–128, ReceiveMessage 143–171, updateLearner 180–235, get_p 243–273,
// chooseAction 283–401; BidSelector.java (every bid, in the order of its
// TreeMap, keyed by its utility plus a running offset of −10⁻⁸ per bid
// generated, which orders ties and near-ties by generation; the queue's
// thresholds compare these keys, as the Java does; for spaces of more
// than 2²¹ outcomes, or sampled ones, the outcomes in utility order);
// among bids its model rates alike it picks as the Java's loop does (the
// highest if it is one of them, else the lowest); the bids it picks are
// nodes of a java.util.TreeMap, which overwrites a node it removes with
// two children by its successor's bid: a picked bid may so turn into
// another by the time it is offered, as in GENIUS (jtree replicates the
// TreeMap's red-black tree for this); the frequency model
// also against the BOA port
// negotiator/boaframework/opponentmodel/HardHeadedFrequencyModel.java.
// The opponent model sets its issue weights through GENIUS's
// AdditiveUtilitySpace.setWeight, which renormalises every weight after
// each issue's (boa.FrequencyOptions.GENIUSWeights; PlainWeights is the
// published formula instead). Changes: random choices come from
// Session.Rand; the curve is clamped at
// u_min (see HardHeadedTarget) and at the best utility; the Java's
// fallback of a random bid when the queue stays empty cannot happen here
// and is left out. Parley's red lines: it never offers or accepts a vetoed
// outcome (nor re-offers a vetoed opponent bid), and ends the negotiation
// when every outcome is vetoed. Like the Java it ignores its reservation
// value (KLH.init stores it where nothing reads it), unless
// GuardReservation is set: then u_min is max(0.585, r(t)), and it never
// accepts or offers an outcome below r(t) and ends the negotiation when no
// outcome is worth r(t). With several opponents their bids are pooled.
//
// Act allocates nothing once its bid history has the room reserved at
// Init (one entry per round).
type HardHeaded struct {
	opts HardHeadedOptions
	outs boa.Outcomes
	om   *boa.Frequency
	rand *rand.Rand
	d    float64 // discount factor: the step point
	ok   bool
	g    guard

	list    []hhBid // KLH's BidList, within the red lines: ascending keys
	at      []int32 // at[o] is o's position in list, or -1 (nil: look up by key)
	listFor *ufun.Table
	listP   *parley.Profile
	listV   []parley.ValueRef
	queue   [hhTop + 2]hhBid
	qh, qn  int     // head and length of the queue
	mine    []hhBid // every bid it made, in order
	lowest  float64 // lowestYetUtility
	oppBest hhBid   // the opponent's best bid for it, within its red lines (pos -1)
	hasBest bool    // oppBest is set
	seen    int     // records of State.Offers already read
	pick    [hhTop + 1]int
	tree    jtree // KLH's newBids
	setup   boa.Setup
	p       float64 // the last p(t)
}

var _ parley.Negotiator = (*HardHeaded)(nil)

// NewHardHeaded returns HardHeaded; the options are checked at Init.
func NewHardHeaded(opts HardHeadedOptions) *HardHeaded {
	return &HardHeaded{opts: opts}
}

func (h *HardHeaded) minUtility() float64 {
	if h.opts.MinUtility == 0 {
		return hhMinUtility
	}
	return h.opts.MinUtility
}

func (h *HardHeaded) ka() float64 {
	if h.opts.Ka == 0 {
		return hhKa
	}
	return h.opts.Ka
}

func (h *HardHeaded) e() float64 {
	if h.opts.E == 0 {
		return hhE
	}
	return h.opts.E
}

// Init sorts the outcomes and resets the model and the histories.
func (h *HardHeaded) Init(_ context.Context, s *parley.Session) error {
	h.ok = false
	if err := h.opts.Validate(); err != nil {
		return err
	}
	if err := h.outs.Init(s, h.opts.Samples); err != nil {
		return fmt.Errorf("anac: hardheaded: %w", err)
	}
	if h.om == nil {
		h.om = boa.NewFrequency(boa.FrequencyOptions{Learn: h.opts.Learn, GENIUSWeights: !h.opts.PlainWeights})
	}
	h.setup = boa.Setup{Session: s, Outcomes: &h.outs}
	if err := h.om.Init(&h.setup); err != nil {
		return fmt.Errorf("anac: hardheaded: %w", err)
	}
	h.buildList(s.Profile)
	if w := hhWidestWindow(h.list); cap(h.tree.n) < w {
		h.tree.n = make([]jnode, 0, w)
	}
	h.rand = s.Rand
	h.d = s.Profile.DiscountFactor()
	h.g = guard(h.opts.GuardReservation)
	h.qh, h.qn = 0, 0
	hint := 256
	if s.Deadline > 0 {
		hint = min(s.Deadline+1, 1<<16)
	}
	if cap(h.mine) < hint {
		h.mine = make([]hhBid, 0, hint)
	}
	h.mine = h.mine[:0]
	h.lowest = math.Inf(1)
	h.hasBest = false
	h.seen = 0
	h.p = 0
	h.ok = true
	return nil
}

// buildList builds the bid list for p, unless it was built for the same
// profile, utility table and red lines.
func (h *HardHeaded) buildList(p *parley.Profile) {
	tab, _ := h.outs.Func().(*ufun.Table) // the ladder's table: an enumerable space
	if tab != nil && h.listP == p && h.listFor == tab && slices.Equal(h.listV, p.Vetoes) {
		return
	}
	h.listP, h.listFor, h.listV = p, tab, slices.Clone(p.Vetoes)
	h.list, h.at = h.list[:0], nil
	if tab != nil && p.Space.Size() <= hhListLimit {
		all := hhBidList(p.Space, tab)
		h.at = make([]int32, p.Space.Size())
		for i := range h.at {
			h.at[i] = -1
		}
		for _, b := range all {
			if p.Vetoed(b.o) {
				continue
			}
			b.pos = len(h.list)
			h.at[b.o] = int32(b.pos)
			h.list = append(h.list, b)
		}
		return
	}
	h.listFor = nil               // not cached
	for i := range h.outs.Len() { // the sorted outcomes (a sample, or a very large space)
		h.list = append(h.list, hhBid{pos: i, o: h.outs.Outcome(i), u: h.outs.Utility(i), key: h.outs.Utility(i)})
	}
}

// hhWidestWindow returns the largest number of bids of list (ascending
// keys) within hhTolerance below one of them: the most a window of
// refill can hold.
func hhWidestWindow(list []hhBid) int {
	w, lo := 0, 0
	for i := range list {
		for list[i].key-list[lo].key >= hhTolerance {
			lo++
		}
		w = max(w, i-lo+1)
	}
	return w
}

// entry returns the bid at list position i.
func (h *HardHeaded) entry(i int) hhBid { return h.list[i] }

// find returns o's entry in the list (BidSelector's entry of the
// opponent's best bid, ReceiveMessage), or a bid keyed by its utility
// (position -1) when o is not in the list.
func (h *HardHeaded) find(o parley.Outcome, u float64) hhBid {
	if h.at != nil && h.space().Valid(o) {
		if i := h.at[o]; i >= 0 {
			return h.list[i]
		}
	}
	return hhBid{pos: -1, o: o, u: u, key: u}
}

func (h *HardHeaded) space() *parley.OutcomeSpace { return h.outs.Profile().Space }

// lower returns the position of BidList.lowerEntry(key): the last entry
// whose key is below key, or -1.
func (h *HardHeaded) lower(key float64) int {
	return sort.Search(len(h.list), func(i int) bool { return h.list[i].key >= key }) - 1
}

// Target returns p(t) as of its last turn.
func (h *HardHeaded) Target() float64 { return h.p }

// Model returns its opponent model.
func (h *HardHeaded) Model() *boa.Frequency { return h.om }

// Act learns from the new offers, then accepts or makes the next bid of
// its queue (see HardHeaded).
func (h *HardHeaded) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if !h.ok {
		return parley.Action{}, errors.New("anac: hardheaded: Act before Init")
	}
	t := st.Time
	if !h.g.viable(&h.outs, t) {
		return parley.EndAction(), nil // nothing within the red lines (worth r(t), with the guard)
	}
	r := h.g.floor(&h.outs, t) // −∞ without the guard

	if h.seen > len(st.Offers) {
		h.seen = 0
	}
	u := h.outs.Func()
	for _, rec := range st.Offers[h.seen:] {
		if rec.Party == st.Me {
			continue
		}
		h.om.Update(rec)
		ur := u.Utility(rec.Outcome)
		if !h.outs.Profile().Vetoed(rec.Outcome) && (!h.hasBest || ur > h.oppBest.u) {
			h.oppBest, h.hasBest = h.find(rec.Outcome, ur), true
		}
	}
	h.seen = len(st.Offers)

	best := h.outs.Best()
	lo := min(max(h.minUtility(), r), best)
	h.p = HardHeadedTarget(t, h.d, h.ka(), h.e(), lo, best)
	if len(h.mine) == 0 && h.qn == 0 {
		h.push(h.entry(len(h.list) - 1)) // BidList.lastEntry()
	} else if h.qn == 0 {
		h.refill(r)
	}
	next := h.queue[h.qh]

	if st.Standing != parley.NoOutcome && st.Proposer != st.Me {
		uo := u.Utility(st.Standing)
		if (uo > h.lowest || parley.AtLeast(uo, next.u)) && h.g.acceptable(&h.outs, st.Standing, uo, t) {
			return parley.AcceptAction(), nil
		}
	}
	h.qh, h.qn = (h.qh+1)%len(h.queue), h.qn-1
	if next.u < r-parley.Eps { // with the guard: a queued bid that r(t) has overtaken
		next = h.below(r)
	}
	h.mine = append(h.mine, next)
	if next.key < h.lowest { // KLH compares the key, then stores the utility
		h.lowest = next.u
	}
	return parley.OfferOf(next.o), nil
}

// below returns the cheapest outcome worth at least r (there is one: the
// best is worth r).
func (h *HardHeaded) below(r float64) hhBid {
	i := h.outs.AtLeast(r)
	return h.find(h.outs.Outcome(i), h.outs.Utility(i))
}

// push appends b to the queue.
func (h *HardHeaded) push(b hhBid) {
	h.queue[(h.qh+h.qn)%len(h.queue)] = b
	h.qn++
}

// refill queues the next bids (KLH.chooseAction, lines 287–350).
func (h *HardHeaded) refill(r float64) {
	last := h.mine[len(h.mine)-1]
	newPos := last.pos - 1 // BidList.lowerEntry(my last bid)
	if last.pos < 0 {
		newPos = h.lower(last.key)
	}
	first := math.Inf(-1)
	if newPos >= 0 {
		first = h.list[newPos].key
	}
	if newPos < 0 || first < h.p {
		// Below the curve: one of its earlier bids, at random.
		b := h.mine[int(math.Floor(float64(len(h.mine))*h.rand.Float64()))]
		if b.u < r-parley.Eps {
			b = h.below(r)
		}
		h.push(b)
	} else {
		lo := newPos
		for lo > 0 && first-h.list[lo-1].key < hhTolerance && h.list[lo-1].key >= h.p {
			lo--
		}
		if n := newPos - lo + 1; n <= hhTop {
			for i := lo; i <= newPos; i++ { // ascending, as the TreeMap iterates
				h.push(h.list[i])
			}
		} else {
			// The five the model rates best, as KLH's TreeMap leaves them
			// (see jtree): some may be repeated, the best one missing.
			picks := h.pick[:]
			h.tree.hhPicks(lo, newPos, func(i int) float64 { return h.om.Utility(h.list[i].o) }, picks)
			for _, i := range picks {
				h.push(h.list[i])
			}
		}
	}
	if h.hasBest && h.queue[h.qh].key < h.oppBest.key && parley.AtLeast(h.oppBest.u, r) {
		// The opponent's best bid goes first.
		h.qh = (h.qh - 1 + len(h.queue)) % len(h.queue)
		h.queue[h.qh] = h.oppBest
		h.qn++
	}
}
