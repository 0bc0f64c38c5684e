package anac

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/ufun"
)

// DefaultSamples is how many outcomes an agent of this package samples at
// Init when the outcome space is too large to enumerate
// (parley.MaxEnumerable). The GENIUS agents sample too: PonPokoAgent draws
// 30,000 random bids, CUHKAgent 20,000 on large domains.
const DefaultSamples = 100_000

// ladder lists a party's outcomes in ascending order of its own utility,
// leaving out every outcome that crosses one of its red lines
// (parley.Profile.Vetoes), so that "the cheapest outcome worth at least x"
// is a binary search and no agent can pick a vetoed outcome from it.
//
// For an enumerable space it is the sorted index of the profile's
// ufun.Table (shared, not copied, when the party has no red lines). For a
// space too large to enumerate it is a sample of outcomes drawn from a
// seed taken from Session.Rand.
type ladder struct {
	util []float64              // ascending
	outs []parley.Outcome       // outs[i] has utility util[i]
	u    parley.UtilityFunction // own utility: the table when there is one
	p    *parley.Profile
	done bool

	// What the ladder was built from, to reuse it on the next Init.
	profile *parley.Profile
	source  parley.UtilityFunction
	vetoes  []parley.ValueRef
	seed    uint64
	samples int
}

// init builds the ladder for s.Profile (reusing the previous one when the
// profile is unchanged). who names the agent in errors.
func (l *ladder) init(s *parley.Session, samples int, who string) error {
	if s == nil || s.Profile == nil || s.Profile.Space == nil || s.Profile.Utility == nil {
		return fmt.Errorf("anac: %s: %w", who, parley.ErrNoProfile)
	}
	if s.Rand == nil {
		return fmt.Errorf("anac: %s: session has no random stream", who)
	}
	if samples <= 0 {
		samples = DefaultSamples
	}
	p := s.Profile
	if p.Space.Enumerable() {
		if l.done && l.profile == p && l.samples == 0 && sameUtility(l.source, p.Utility) && slices.Equal(l.vetoes, p.Vetoes) {
			return nil
		}
		t, ok := p.Utility.(*ufun.Table)
		if !ok {
			var err error
			if t, err = ufun.NewTable(p.Space, p.Utility); err != nil {
				return fmt.Errorf("anac: %s: profile %q: %w", who, p.Name, err)
			}
		}
		if len(t.U) != p.Space.Size() {
			return fmt.Errorf("anac: %s: profile %q: utility table has %d entries for %d outcomes", who, p.Name, len(t.U), p.Space.Size())
		}
		x := t.Index()
		util, outs := x.Util, x.Outcomes
		if len(p.Vetoes) > 0 {
			util, outs = dropVetoed(util, outs, p)
		}
		*l = ladder{util: util, outs: outs, u: t, p: p, done: true, profile: p, source: p.Utility, vetoes: slices.Clone(p.Vetoes)}
		return nil
	}
	// Always draw the seed, so the party's stream advances alike whether
	// or not the sample is reused.
	seed := s.Rand.Uint64()
	if l.done && l.profile == p && l.seed == seed && l.samples == samples && sameUtility(l.source, p.Utility) && slices.Equal(l.vetoes, p.Vetoes) {
		return nil
	}
	r := rng.New(seed, 0)
	samp := make([]parley.Outcome, samples)
	u := make([]float64, samples)
	for i := range samp {
		samp[i] = parley.Outcome(r.Int64N(int64(p.Space.Size())))
		u[i] = p.Utility.Utility(samp[i])
	}
	x := ufun.NewIndex(u)
	outs := make([]parley.Outcome, samples)
	for i, k := range x.Outcomes {
		outs[i] = samp[k]
	}
	util := x.Util
	if len(p.Vetoes) > 0 {
		util, outs = dropVetoed(util, outs, p)
	}
	*l = ladder{util: util, outs: outs, u: p.Utility, p: p, done: true, profile: p, source: p.Utility,
		vetoes: slices.Clone(p.Vetoes), seed: seed, samples: samples}
	return nil
}

// dropVetoed returns the entries of (util, outs) whose outcomes cross none
// of p's red lines, in new slices.
func dropVetoed(util []float64, outs []parley.Outcome, p *parley.Profile) ([]float64, []parley.Outcome) {
	u := make([]float64, 0, len(util))
	o := make([]parley.Outcome, 0, len(outs))
	for i, x := range outs {
		if !p.Vetoed(x) {
			u, o = append(u, util[i]), append(o, x)
		}
	}
	return slices.Clip(u), slices.Clip(o)
}

// sameUtility reports whether a and b are the same comparable utility
// function (functions never are).
func sameUtility(a, b parley.UtilityFunction) bool {
	if a == nil || b == nil {
		return false
	}
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	return ta == tb && ta.Comparable() && a == b
}

// empty reports whether every outcome crosses a red line.
func (l *ladder) empty() bool { return len(l.util) == 0 }

// len returns the number of outcomes on the ladder.
func (l *ladder) len() int { return len(l.util) }

// best returns the highest utility.
func (l *ladder) best() float64 { return l.util[len(l.util)-1] }

// worst returns the lowest utility.
func (l *ladder) worst() float64 { return l.util[0] }

// top returns an outcome of the highest utility (the last one on the
// ladder, so the choice is fixed).
func (l *ladder) top() parley.Outcome { return l.outs[len(l.outs)-1] }

// from returns the position of the cheapest outcome worth at least x
// (within parley.Eps), or len() when none is.
func (l *ladder) from(x float64) int { return sort.SearchFloat64s(l.util, x-parley.Eps) }

// upTo returns the position of the dearest outcome worth at most x (within
// parley.Eps), or -1 when every outcome is worth more.
func (l *ladder) upTo(x float64) int {
	return sort.Search(len(l.util), func(i int) bool { return l.util[i] > x+parley.Eps }) - 1
}

// pick returns the outcome at position i or, when outcomes above it tie
// with it within parley.Eps, one of them drawn from r.
func (l *ladder) pick(i int, r *rand.Rand) parley.Outcome {
	hi := l.util[i] + parley.Eps
	n := sort.Search(len(l.util)-i, func(k int) bool { return l.util[i+k] > hi })
	if n > 1 {
		i += r.IntN(n)
	}
	return l.outs[i]
}

// reservation returns the party's reservation value at time t, r(t).
func (l *ladder) reservation(t float64) float64 { return l.p.ReservationAt(t) }

// acceptable reports whether the party may agree to o, worth u, at time t:
// parley.Profile.Acceptable with the utility at hand.
func (l *ladder) acceptable(o parley.Outcome, u, t float64) bool {
	return !l.p.Vetoed(o) && parley.AtLeast(u, l.p.ReservationAt(t))
}

// viable reports whether some outcome within the red lines is worth r(t):
// when none is, the agents end the negotiation.
func (l *ladder) viable(t float64) bool {
	return !l.empty() && parley.AtLeast(l.best(), l.reservation(t))
}

// offerOf returns the offer standing in st made by another party, if any.
func offerOf(st *parley.State) (parley.Outcome, bool) {
	if st.Standing == parley.NoOutcome || st.Proposer == st.Me {
		return parley.NoOutcome, false
	}
	return st.Standing, true
}

// historyHint is the capacity reserved at Init for per-negotiation
// histories, so that Act does not grow them: one entry per offer of the
// whole negotiation, at most 4096.
func historyHint(s *parley.Session) int {
	n := len(s.Names)
	if n < 2 {
		n = 2
	}
	if s.Deadline <= 0 {
		return 256
	}
	return min(s.Deadline*n, 4096)
}

// valueCounts counts, per issue, how often each value appeared in the
// offers it saw: the frequency tables of CUHKAgent, Atlas3 and AgentGG.
type valueCounts struct {
	n [][]int32
}

// reset sizes the tables for space and zeroes them, reusing storage.
func (c *valueCounts) reset(space *parley.OutcomeSpace) {
	if len(c.n) != len(space.Issues) {
		c.n = make([][]int32, len(space.Issues))
	}
	for i := range space.Issues {
		k := space.Issues[i].Size()
		if len(c.n[i]) != k {
			c.n[i] = make([]int32, k)
		}
		clear(c.n[i])
	}
}

// add counts the values of o.
func (c *valueCounts) add(space *parley.OutcomeSpace, o parley.Outcome) {
	for i := range c.n {
		c.n[i][space.ValueIndex(o, i)]++
	}
}

// score returns the sum over issues of the counts of o's values.
func (c *valueCounts) score(space *parley.OutcomeSpace, o parley.Outcome) int {
	s := 0
	for i := range c.n {
		s += int(c.n[i][space.ValueIndex(o, i)])
	}
	return s
}

// seenSet remembers distinct outcomes in first-seen order, with a count
// per outcome; storage is kept between negotiations.
type seenSet struct {
	list  []parley.Outcome
	count []int32
	at    map[parley.Outcome]int32
}

// reset empties the set, reserving room for hint outcomes.
func (s *seenSet) reset(hint int) {
	if s.at == nil || cap(s.list) < hint {
		s.at = make(map[parley.Outcome]int32, hint)
		s.list = make([]parley.Outcome, 0, hint)
		s.count = make([]int32, 0, hint)
		return
	}
	clear(s.at)
	s.list, s.count = s.list[:0], s.count[:0]
}

// add records one more sighting of o and reports whether it is new.
func (s *seenSet) add(o parley.Outcome) bool {
	if k, ok := s.at[o]; ok {
		s.count[k]++
		return false
	}
	s.at[o] = int32(len(s.list))
	s.list = append(s.list, o)
	s.count = append(s.count, 1)
	return true
}
