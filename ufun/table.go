package ufun

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/parley-dev/parley"
)

// Table holds a utility function's value for every outcome of an enumerable
// space, so that Utility is one slice lookup. Its sorted Index, and any
// other value derived from it (Derive), is built once and shared by every
// user of the table.
//
// A Table is immutable: its values are private, so a seat handed one can
// read but not change them. That is what lets prepared scenarios
// (scenario.Prepared) hand the same tables to every run of a tournament.
type Table struct {
	u     []float64
	space *parley.OutcomeSpace

	source  parley.UtilityFunction
	once    sync.Once
	index   *Index
	derived sync.Map // key type -> *derivedValue
}

var _ parley.UtilityFunction = (*Table)(nil)

// NewTable evaluates f on every outcome of space, in parallel.
func NewTable(space *parley.OutcomeSpace, f parley.UtilityFunction) (*Table, error) {
	if !space.Enumerable() {
		return nil, fmt.Errorf("ufun: %d outcomes exceed the table limit of %d", space.Size(), parley.MaxEnumerable)
	}
	if t, ok := f.(*Table); ok {
		return t, nil
	}
	n := space.Size()
	u := make([]float64, n)
	workers := runtime.GOMAXPROCS(0)
	if n < 1<<15 {
		workers = 1
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := lo; o < hi; o++ {
				u[o] = f.Utility(parley.Outcome(o))
			}
		}()
	}
	wg.Wait()
	return &Table{u: u, space: space, source: f}, nil
}

// TableOf returns a table holding a copy of u, indexed by outcome (for
// utilities that are given as a list rather than computed).
func TableOf(u []float64) *Table { return &Table{u: slices.Clone(u)} }

// Utility returns the precomputed U(o).
func (t *Table) Utility(o parley.Outcome) float64 { return t.u[o] }

// Len returns the number of outcomes.
func (t *Table) Len() int { return len(t.u) }

// Source returns the utility function the table was computed from.
func (t *Table) Source() parley.UtilityFunction { return t.source }

// Space returns the outcome space the table was computed over (NewTable),
// or nil for a table given as a list (TableOf).
func (t *Table) Space() *parley.OutcomeSpace { return t.space }

// derivedValue is one value attached to a table by Derive.
type derivedValue struct {
	once sync.Once
	v    any
	err  error
}

// Derive returns the value that build derives from t, calling build on the
// first call for t with key type K and sharing its result (value and error)
// with every later call, from any goroutine, as Index shares the sorted
// index. Strategies use it for orders and summaries that a whole family
// needs: package geniuscompat keeps GENIUS's order of outcomes this way, so
// that every negotiation on a prepared table sorts once.
//
// K names the value: declare an unexported type for it, so that no other
// package can read or replace what you attach. Every call with the same K
// must pass a build that computes the same value from t alone; the result
// is shared and must be treated as read-only. Values live as long as the
// table: there is no global cache.
func Derive[K comparable, T any](t *Table, build func(*Table) (T, error)) (T, error) {
	var key K
	e, ok := t.derived.Load(key)
	if !ok {
		e, _ = t.derived.LoadOrStore(key, new(derivedValue))
	}
	d := e.(*derivedValue)
	d.once.Do(func() { d.v, d.err = build(t) })
	v, _ := d.v.(T)
	return v, d.err
}

// Index returns the table's sorted index, building it on first call.
func (t *Table) Index() *Index {
	t.once.Do(func() { t.index = NewIndex(t.u) })
	return t.index
}

// Index lists outcomes in ascending order of utility (ties by outcome), so
// that the outcomes nearest to a utility are found by binary search.
//
// An Index is immutable once built.
type Index struct {
	util []float64        // ascending
	outs []parley.Outcome // outs[i] has utility util[i]

	// unvetoed holds, by red lines (vetoKey), the index without the
	// outcomes they veto: derived data that Ladders share.
	unvetoed sync.Map
}

// Util returns the utility at position i (ascending in i).
func (x *Index) Util(i int) float64 { return x.util[i] }

// Outcome returns the outcome at position i.
func (x *Index) Outcome(i int) parley.Outcome { return x.outs[i] }

// Utils returns a copy of the utilities in ascending order.
func (x *Index) Utils() []float64 { return slices.Clone(x.util) }

// Outcomes returns a copy of the outcomes in ascending order of utility.
func (x *Index) Outcomes() []parley.Outcome { return slices.Clone(x.outs) }

// NewIndex sorts the outcomes 0..len(u)-1 by utility (ties by outcome).
// Large tables are sorted with a stable LSD radix sort on the utilities'
// order-preserving bit patterns, which is several times faster than a
// comparison sort on millions of outcomes; both give the same order.
func NewIndex(u []float64) *Index {
	if len(u) >= radixMin {
		return radixIndex(u)
	}
	type pair struct {
		u float64
		o int32
	}
	ps := make([]pair, len(u))
	for i, x := range u {
		ps[i] = pair{x, int32(i)}
	}
	slices.SortFunc(ps, func(a, b pair) int {
		if c := cmp.Compare(a.u, b.u); c != 0 {
			return c
		}
		return cmp.Compare(a.o, b.o)
	})
	x := &Index{util: make([]float64, len(u)), outs: make([]parley.Outcome, len(u))}
	for i, p := range ps {
		x.util[i] = p.u
		x.outs[i] = parley.Outcome(p.o)
	}
	return x
}

// radixMin is the table size from which NewIndex uses the radix sort.
const radixMin = 1 << 16

// orderedBits maps a float64 to a uint64 with the same order (negative
// numbers included; NaN, which tables never hold, sorts last).
func orderedBits(f float64) uint64 {
	if f == 0 {
		f = 0 // −0 ties with +0, as in the comparison sort
	}
	b := math.Float64bits(f)
	if b>>63 == 1 {
		return ^b
	}
	return b | 1<<63
}

// radixIndex is NewIndex by a least-significant-digit radix sort with
// 16-bit digits: stable, so equal utilities keep outcome order. Passes
// whose digit is the same for every key are skipped.
func radixIndex(u []float64) *Index {
	n := len(u)
	keys, keys2 := make([]uint64, n), make([]uint64, n)
	idx, idx2 := make([]int32, n), make([]int32, n)
	for i, x := range u {
		keys[i], idx[i] = orderedBits(x), int32(i)
	}
	var count [1 << 16]int
	for shift := uint(0); shift < 64; shift += 16 {
		clear(count[:])
		for _, k := range keys {
			count[(k>>shift)&0xffff]++
		}
		if count[(keys[0]>>shift)&0xffff] == n {
			continue
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for i, k := range keys {
			d := (k >> shift) & 0xffff
			keys2[count[d]], idx2[count[d]] = k, idx[i]
			count[d]++
		}
		keys, keys2, idx, idx2 = keys2, keys, idx2, idx
	}
	x := &Index{util: make([]float64, n), outs: make([]parley.Outcome, n)}
	for i, o := range idx {
		x.util[i] = u[o]
		x.outs[i] = parley.Outcome(o)
	}
	return x
}

// Len returns the number of outcomes.
func (x *Index) Len() int { return len(x.util) }

// Best returns an outcome of maximal utility.
func (x *Index) Best() parley.Outcome { return x.outs[len(x.outs)-1] }

// Worst returns an outcome of minimal utility.
func (x *Index) Worst() parley.Outcome { return x.outs[0] }

// Max returns the highest utility.
func (x *Index) Max() float64 { return x.util[len(x.util)-1] }

// Min returns the lowest utility.
func (x *Index) Min() float64 { return x.util[0] }

// Search returns the first position whose utility is at least u-Eps
// (Len() if none).
func (x *Index) Search(u float64) int {
	lo := u - parley.Eps
	return sort.SearchFloat64s(x.util, lo)
}

// AtLeast returns the outcome of lowest utility that is still at least u
// (within Eps), and false when no outcome reaches u.
func (x *Index) AtLeast(u float64) (parley.Outcome, bool) {
	i := x.Search(u)
	if i == len(x.util) {
		return parley.NoOutcome, false
	}
	return x.outs[i], true
}

// Nearest returns the position of the outcome whose utility is closest to
// u; on a tie it prefers the higher utility.
func (x *Index) Nearest(u float64) int {
	i := sort.SearchFloat64s(x.util, u)
	if i == len(x.util) {
		return i - 1
	}
	if i > 0 && u-x.util[i-1] < x.util[i]-u {
		return i - 1
	}
	return i
}

// Values returns a copy of the table's utilities, indexed by outcome.
func (t *Table) Values() []float64 { return slices.Clone(t.u) }
