package ufun

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
)

// DefaultSamples is how many outcomes a Ladder samples when the outcome
// space is too large to enumerate.
const DefaultSamples = 200_000

// Ladder lists a party's own outcomes in ascending order of its utility,
// leaving out every outcome that crosses one of its red lines
// (parley.Profile.Vetoes), so that "the cheapest outcome worth at least x"
// is a binary search. Bidding strategies (package strategy, strategy/boa)
// share it: for an enumerable space the sorted index of the profile's Table (built at
// Init when the utility is not a table already); for a larger space a
// sample of outcomes drawn from a generator seeded by Session.Rand, plus
// the exact best and worst outcomes of a linear-additive utility.
//
// The zero value is ready for Init. Ladder is read-only after Init.
type Ladder struct {
	util []float64              // ascending
	outs []parley.Outcome       // outs[i] has utility util[i]
	u    parley.UtilityFunction // own utility: the table when there is one
	p    *parley.Profile
	done bool

	// What the list was built from, to reuse it on the next Init.
	source  parley.UtilityFunction
	space   *parley.OutcomeSpace
	seed    uint64
	samples int
	vetoes  []parley.ValueRef
}

// Init builds the list for s.Profile, reusing the previous list when the
// profile (and, for a sample, the seed drawn from s.Rand) is unchanged.
// samples ≤ 0 means DefaultSamples. For a space too large to enumerate it
// draws one value from s.Rand, as package strategy does, so both advance
// the party's stream alike.
func (x *Ladder) Init(s *parley.Session, samples int) error {
	if s == nil || s.Profile == nil || s.Profile.Space == nil || s.Profile.Utility == nil {
		return fmt.Errorf("ufun: %w", parley.ErrNoProfile)
	}
	if s.Rand == nil {
		return errors.New("ufun: session has no random stream")
	}
	if samples <= 0 {
		samples = DefaultSamples
	}
	p := s.Profile
	if p.Space.Enumerable() {
		if x.done && x.p == p && x.space == p.Space && x.samples == 0 && same(x.source, p.Utility) && slices.Equal(x.vetoes, p.Vetoes) {
			return nil
		}
		t, ok := p.Utility.(*Table)
		if !ok {
			var err error
			if t, err = NewTable(p.Space, p.Utility); err != nil {
				return fmt.Errorf("ufun: profile %q: %w", p.Name, err)
			}
		}
		if t.Len() != p.Space.Size() {
			return fmt.Errorf("ufun: profile %q: utility table has %d entries for %d outcomes", p.Name, t.Len(), p.Space.Size())
		}
		idx := t.Index()
		util, outs := idx.util, idx.outs
		if len(p.Vetoes) > 0 {
			util, outs = unvetoed(idx, p)
		}
		*x = Ladder{util: util, outs: outs, u: t, p: p, done: true, source: p.Utility, space: p.Space,
			vetoes: slices.Clone(p.Vetoes)}
		return nil
	}
	seed := s.Rand.Uint64()
	if x.done && x.p == p && x.space == p.Space && x.seed == seed && x.samples == samples && same(x.source, p.Utility) && slices.Equal(x.vetoes, p.Vetoes) {
		return nil
	}
	r := rng.New(seed, 0)
	samp := make([]parley.Outcome, 0, samples+2)
	if add, ok := p.Utility.(parley.Additive); ok {
		samp = append(samp, extremes(p.Space, add)...)
	}
	for len(samp) < cap(samp) {
		samp = append(samp, parley.Outcome(r.Int64N(int64(p.Space.Size()))))
	}
	u := make([]float64, len(samp))
	for i, o := range samp {
		u[i] = p.Utility.Utility(o)
	}
	idx := NewIndex(u)
	outs := make([]parley.Outcome, len(samp))
	for i, k := range idx.outs {
		outs[i] = samp[k]
	}
	util := idx.util
	if len(p.Vetoes) > 0 {
		util, outs = filterVetoed(util, outs, p)
	}
	*x = Ladder{util: util, outs: outs, u: p.Utility, p: p, done: true, source: p.Utility, space: p.Space,
		seed: seed, samples: samples, vetoes: slices.Clone(p.Vetoes)}
	return nil
}

// same reports whether a and b are the same utility function; functions
// (parley.UtilityFunc) and other uncomparable values never are.
func same(a, b parley.UtilityFunction) bool {
	if a == nil || b == nil {
		return false
	}
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	return ta == tb && ta.Comparable() && a == b
}

// filterVetoed returns the entries of (util, outs) whose outcomes cross
// none of p's red lines, in new slices.
func filterVetoed(util []float64, outs []parley.Outcome, p *parley.Profile) ([]float64, []parley.Outcome) {
	u := make([]float64, 0, len(util))
	o := make([]parley.Outcome, 0, len(outs))
	for i, x := range outs {
		if !p.Vetoed(x) {
			u, o = append(u, util[i]), append(o, x)
		}
	}
	return slices.Clip(u), slices.Clip(o)
}

// extremes returns the best and the worst outcome of a linear-additive
// utility: the value of every issue with the largest (smallest)
// contribution.
func extremes(space *parley.OutcomeSpace, add parley.Additive) []parley.Outcome {
	hi := make([]int, len(space.Issues))
	lo := make([]int, len(space.Issues))
	for i := range space.Issues {
		for k := range space.Issues[i].Size() {
			c := add.Contribution(i, k)
			if c > add.Contribution(i, hi[i]) {
				hi[i] = k
			}
			if c < add.Contribution(i, lo[i]) {
				lo[i] = k
			}
		}
	}
	var out []parley.Outcome
	for _, vs := range [][]int{hi, lo} {
		if o, err := space.Encode(vs); err == nil {
			out = append(out, o)
		}
	}
	return out
}

// Ready reports whether Init has run.
func (x *Ladder) Ready() bool { return x.done }

// Len returns the number of outcomes in the list (0 when every outcome
// crosses a red line).
func (x *Ladder) Len() int { return len(x.util) }

// Utility returns the utility of position i.
func (x *Ladder) Utility(i int) float64 { return x.util[i] }

// Outcome returns the outcome at position i.
func (x *Ladder) Outcome(i int) parley.Outcome { return x.outs[i] }

// Best returns the highest utility in the list; the list must not be
// empty.
func (x *Ladder) Best() float64 { return x.util[len(x.util)-1] }

// Worst returns the lowest utility in the list; the list must not be
// empty.
func (x *Ladder) Worst() float64 { return x.util[0] }

// Func returns the party's own utility function (its Table when the
// space is enumerable).
func (x *Ladder) Func() parley.UtilityFunction { return x.u }

// Profile returns the party's profile.
func (x *Ladder) Profile() *parley.Profile { return x.p }

// Search returns the position of the cheapest outcome worth at least u
// (within parley.Eps), or Len() when none is.
func (x *Ladder) Search(u float64) int { return sort.SearchFloat64s(x.util, u-parley.Eps) }

// AtLeast returns the position of the cheapest outcome worth at least u
// (within parley.Eps), or of the best outcome when none reaches u. The list
// must not be empty.
func (x *Ladder) AtLeast(u float64) int { return min(x.Search(u), len(x.util)-1) }

// SearchFrom is Search(u), found by galloping from position hint (any int;
// out of range, or a NaN u, means Search) and then bisecting the bracket found. A
// strategy whose target moves little from turn to turn, passing the
// position it found last, finds the new one in a few steps that touch the
// memory near the old one, however long the list.
func (x *Ladder) SearchFrom(u float64, hint int) int {
	util := x.util
	n := len(util)
	v := u - parley.Eps
	if hint < 0 || hint > n || v != v { // a NaN target: Search's answer (none)
		return x.Search(u)
	}
	// The answer is the first i with util[i] >= v (sort.SearchFloat64s's
	// predicate): find lo < answer ≤ hi, then bisect.
	lo, hi := hint-1, hint
	if hint == n || util[hint] >= v {
		for step := 1; lo >= 0 && util[lo] >= v; step *= 2 {
			hi, lo = lo, lo-step
		}
		lo = max(lo, -1)
	} else {
		lo, hi = hint, hint+1
		for step := 2; hi < n && util[hi] < v; step *= 2 {
			lo, hi = hi, hi+step
		}
		hi = min(hi, n)
	}
	for lo+1 < hi { // util[lo] < v (or lo = -1), util[hi] >= v (or hi = n)
		m := int(uint(lo+hi) >> 1)
		if util[m] >= v {
			hi = m
		} else {
			lo = m
		}
	}
	return hi
}

// AtLeastFrom is AtLeast(u), searched from position hint (SearchFrom).
func (x *Ladder) AtLeastFrom(u float64, hint int) int {
	return min(x.SearchFrom(u, hint), len(x.util)-1)
}

// Above returns the position just past the last outcome worth at most u
// (within parley.Eps): the outcomes in [Search(lo), Above(hi)) are those
// worth lo..hi.
func (x *Ladder) Above(u float64) int {
	return sort.Search(len(x.util), func(i int) bool { return x.util[i] > u+parley.Eps })
}

// Pick returns an outcome with the utility of position i: when several
// outcomes tie with it (within parley.Eps, from i upwards) it draws one of
// them from r, so the choice is reproducible from the seed (as
// package strategy's time-dependent negotiator).
func (x *Ladder) Pick(i int, r *rand.Rand) parley.Outcome {
	hi := x.util[i] + parley.Eps
	n := len(x.util) - i
	if n == 1 || x.util[i+1] > hi {
		return x.outs[i] // no tie: what the search below would find
	}
	j := sort.Search(n, func(k int) bool { return x.util[i+k] > hi })
	if j > 1 {
		i += r.IntN(j)
	}
	return x.outs[i]
}

// Acceptable reports whether the party may agree to o, worth u to it, at
// time t: o crosses none of its red lines and u ≥ r(t)
// (parley.Profile.Acceptable with the utility at hand).
func (x *Ladder) Acceptable(o parley.Outcome, u, t float64) bool {
	return !x.p.Vetoed(o) && parley.AtLeast(u, x.p.ReservationAt(t))
}

// Reservation returns the party's reservation value at time t, r(t).
func (x *Ladder) Reservation(t float64) float64 { return x.p.ReservationAt(t) }

// Empty reports whether every outcome crosses a red line.
func (x *Ladder) Empty() bool { return len(x.util) == 0 }

// unvetoed returns the sorted index x without the outcomes p vetoes. A
// table's index is shared by every party with that profile, so the
// filtered lists are kept with the index, by red lines, for as long as the
// index lives (no global cache).
func unvetoed(x *Index, p *parley.Profile) ([]float64, []parley.Outcome) {
	k := vetoKey(p.Vetoes)
	if v, ok := x.unvetoed.Load(k); ok {
		l := v.(*unvetoedList)
		return l.util, l.outs
	}
	util, outs := filterVetoed(x.util, x.outs, p)
	v, _ := x.unvetoed.LoadOrStore(k, &unvetoedList{util: util, outs: outs})
	l := v.(*unvetoedList)
	return l.util, l.outs
}

// vetoKey renders red lines as a cache key.
func vetoKey(vs []parley.ValueRef) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "%d:%d,", v.Issue, v.Value)
	}
	return b.String()
}

// unvetoedList is an index without the outcomes some red lines veto.
type unvetoedList struct {
	util []float64
	outs []parley.Outcome
}
