package strategy

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"weak"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/ufun"
)

// DefaultSamples is how many outcomes a strategy samples at Init when the
// outcome space is too large to enumerate (parley.MaxEnumerable).
const DefaultSamples = 200_000

// bids lists outcomes in ascending order of the party's own utility, so
// that "the cheapest outcome worth at least x" is a binary search. The list
// leaves out every outcome that crosses one of the party's own red lines
// (parley.Profile.Vetoes): a strategy never offers one. With every outcome
// vetoed the list is empty (and the strategy ends the negotiation).
//
// For an enumerable space it is the sorted index of the profile's
// ufun.Table (built at Init when the profile's utility is not a table
// already). For a space too large to enumerate (say the 10^10 outcomes of
// an ANAC 2014 domain) it is a sample of outcomes drawn from a generator
// seeded by Session.Rand, plus the exact best and worst outcomes when the
// utility is linear-additive. Bidding is then limited to the sample.
type bids struct {
	util []float64              // ascending
	outs []parley.Outcome       // outs[i] has utility util[i]
	u    parley.UtilityFunction // own utility: the table when there is one
	p    *parley.Profile        // own profile: red lines, reservation r(t)
	done bool                   // init has run

	// What the list was built from, to reuse it when Init is called again.
	profile *parley.Profile
	source  parley.UtilityFunction
	space   *parley.OutcomeSpace
	seed    uint64
	samples int
	vetoes  string // the red lines, as vetoKey
}

// init builds the list for s.Profile, reusing the previous list when the
// profile (and, for a sample, the seed drawn from s.Rand) is unchanged.
func (b *bids) init(s *parley.Session, samples int) error {
	if s == nil || s.Profile == nil || s.Profile.Space == nil || s.Profile.Utility == nil {
		return fmt.Errorf("strategy: %w", parley.ErrNoProfile)
	}
	if s.Rand == nil {
		return fmt.Errorf("strategy: session has no random stream")
	}
	if samples <= 0 {
		samples = DefaultSamples
	}
	p := s.Profile
	sig := vetoKey(p.Vetoes)
	if p.Space.Enumerable() {
		if b.profile == p && b.space == p.Space && b.samples == 0 && same(b.source, p.Utility) && b.vetoes == sig && b.done {
			return nil
		}
		t, ok := p.Utility.(*ufun.Table)
		if !ok {
			var err error
			if t, err = ufun.NewTable(p.Space, p.Utility); err != nil {
				return fmt.Errorf("strategy: profile %q: %w", p.Name, err)
			}
		}
		if len(t.U) != p.Space.Size() {
			return fmt.Errorf("strategy: profile %q: utility table has %d entries for %d outcomes", p.Name, len(t.U), p.Space.Size())
		}
		x := t.Index()
		util, outs := x.Util, x.Outcomes
		if len(p.Vetoes) > 0 {
			util, outs = unvetoed(x, p, sig)
		}
		*b = bids{util: util, outs: outs, u: t, p: p, done: true, profile: p, source: p.Utility, space: p.Space, vetoes: sig}
		return nil
	}
	// Always draw the seed, so that the party's stream advances the same
	// way whether or not the sample is reused.
	seed := s.Rand.Uint64()
	if b.profile == p && b.space == p.Space && b.seed == seed && b.samples == samples && same(b.source, p.Utility) && b.vetoes == sig && b.done {
		b.p = p
		return nil
	}
	r := rng.New(seed, 0)
	samp := make([]parley.Outcome, 0, samples+2)
	if la, ok := p.Utility.(*ufun.LinearAdditive); ok {
		samp = append(samp, extremes(p.Space, la)...)
	}
	for len(samp) < cap(samp) {
		samp = append(samp, parley.Outcome(r.Int64N(int64(p.Space.Size()))))
	}
	u := make([]float64, len(samp))
	for i, o := range samp {
		u[i] = p.Utility.Utility(o)
	}
	x := ufun.NewIndex(u)
	outs := make([]parley.Outcome, len(samp))
	for i, k := range x.Outcomes {
		outs[i] = samp[k]
	}
	util := x.Util
	if len(p.Vetoes) > 0 {
		util, outs = filterVetoed(util, outs, p)
	}
	*b = bids{util: util, outs: outs, u: p.Utility, p: p, done: true, profile: p, source: p.Utility, space: p.Space, seed: seed, samples: samples, vetoes: sig}
	return nil
}

// vetoKey renders red lines as a cache key.
func vetoKey(vs []parley.ValueRef) string {
	if len(vs) == 0 {
		return ""
	}
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "%d:%d,", v.Issue, v.Value)
	}
	return b.String()
}

// filterVetoed returns the entries of the ascending list (util, outs)
// whose outcomes cross none of p's red lines, in new slices.
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

// unvetoed returns the sorted index x without the outcomes p vetoes. A
// table's index is shared by every party with that profile, so the
// filtered lists are cached too, by index and red lines, for as long as
// the index lives (a weak key: the cache does not keep tables alive).
func unvetoed(x *ufun.Index, p *parley.Profile, sig string) ([]float64, []parley.Outcome) {
	k := unvetoedKey{idx: weak.Make(x), vetoes: sig}
	if v, ok := unvetoedCache.Load(k); ok {
		l := v.(*unvetoedList)
		return l.util, l.outs
	}
	util, outs := filterVetoed(x.Util, x.Outcomes, p)
	v, loaded := unvetoedCache.LoadOrStore(k, &unvetoedList{util: util, outs: outs})
	if !loaded {
		runtime.AddCleanup(x, func(k unvetoedKey) { unvetoedCache.Delete(k) }, k)
	}
	l := v.(*unvetoedList)
	return l.util, l.outs
}

type unvetoedKey struct {
	idx    weak.Pointer[ufun.Index]
	vetoes string
}

type unvetoedList struct {
	util []float64
	outs []parley.Outcome
}

// unvetoedCache maps unvetoedKey to *unvetoedList.
var unvetoedCache sync.Map

// reservation returns the party's reservation value at time t, r(t).
func (b *bids) reservation(t float64) float64 { return b.p.ReservationAt(t) }

// acceptable reports whether the party may agree to o, worth u to it, at
// time t: o crosses none of its red lines and u ≥ r(t) (parley.Profile.Acceptable
// with the utility already at hand).
func (b *bids) acceptable(o parley.Outcome, u, t float64) bool {
	return !b.p.Vetoed(o) && parley.AtLeast(u, b.p.ReservationAt(t))
}

// empty reports whether every outcome crosses a red line.
func (b *bids) empty() bool { return len(b.util) == 0 }

// same reports whether a and b are the same utility function; functions
// (parley.UtilityFunc) and other uncomparable values never are.
func same(a, b parley.UtilityFunction) bool {
	if a == nil || b == nil {
		return false
	}
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	return ta == tb && ta.Comparable() && a == b
}

// extremes returns the best and the worst outcome of a linear-additive
// utility: the best (worst) value of every issue.
func extremes(space *parley.OutcomeSpace, la *ufun.LinearAdditive) []parley.Outcome {
	hi := make([]int, len(space.Issues))
	lo := make([]int, len(space.Issues))
	for i, ev := range la.Evals {
		for k, e := range ev {
			if e > ev[hi[i]] {
				hi[i] = k
			}
			if e < ev[lo[i]] {
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

// ready reports whether init has run.
func (b *bids) ready() bool { return b.done }

// best returns the highest utility in the list.
func (b *bids) best() float64 { return b.util[len(b.util)-1] }

// worst returns the lowest utility in the list.
func (b *bids) worst() float64 { return b.util[0] }

// atLeast returns the position of the cheapest outcome whose utility is at
// least x (within parley.Eps), or of the best outcome when none reaches x.
func (b *bids) atLeast(x float64) int {
	i := sort.SearchFloat64s(b.util, x-parley.Eps)
	if i == len(b.util) {
		i--
	}
	return i
}

// pick returns an outcome with the utility of position i: when several
// outcomes tie with it (within parley.Eps, from i upwards) it draws one of
// them from r, so the choice is reproducible from the seed.
func (b *bids) pick(i int, r *rand.Rand) parley.Outcome {
	hi := b.util[i] + parley.Eps
	n := len(b.util) - i
	j := sort.Search(n, func(k int) bool { return b.util[i+k] > hi })
	if j > 1 {
		i += r.IntN(j)
	}
	return b.outs[i]
}

// firstAtLeast returns the position of the cheapest outcome whose utility
// is at least x (within parley.Eps), or the length when none is.
func (b *bids) firstAtLeast(x float64) int {
	return sort.SearchFloat64s(b.util, x-parley.Eps)
}
