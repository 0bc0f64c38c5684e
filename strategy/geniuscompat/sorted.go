package geniuscompat

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/ufun"
)

// Sorted is a profile's outcome space in the order of GENIUS's
// SortedOutcomeSpace (genius/core/boaframework/SortedOutcomeSpace.java):
// every outcome, best first. It is immutable and safe for concurrent use.
type Sorted struct {
	Outcomes []parley.Outcome // best first
	Util     []float64        // Util[i] is the undiscounted utility of Outcomes[i]
}

// Len returns the number of outcomes.
func (s *Sorted) Len() int { return len(s.Util) }

// NewSorted enumerates the outcomes of p's space as GENIUS's BidIterator does
// (an odometer whose first issue changes fastest, values in file order) and
// sorts them as SortedOutcomeSpace does (Collections.sort, a stable sort,
// with BidDetailsSorterUtility): by utility, highest first; equal utilities
// by ascending BidDetails.hashCode (DetailsHash); equal hashes in
// enumeration order. The utilities must be GENIUS's to the bit for the
// tie-breaks to agree (scenario/genius reads them so).
func NewSorted(p *parley.Profile) (*Sorted, error) {
	if p == nil || p.Space == nil || p.Utility == nil {
		return nil, fmt.Errorf("geniuscompat: %w", parley.ErrNoProfile)
	}
	if !p.Space.Enumerable() {
		return nil, fmt.Errorf("geniuscompat: profile %q: %d outcomes are too many to sort (limit %d)", p.Name, p.Space.Size(), parley.MaxEnumerable)
	}
	return newSorted(p.Space, p.Utility), nil
}

// newSorted is NewSorted of u over an enumerable space.
func newSorted(space *parley.OutcomeSpace, u parley.UtilityFunction) *Sorted {
	n := space.Size()
	k := len(space.Issues)
	// Per issue: its stride in Parley's outcome numbering (first issue most
	// significant), its size and the GENIUS hash of each value.
	strides := space.Strides()
	sizes := make([]int, k)
	hashes := make([][]int32, k)
	for i := range k {
		is := &space.Issues[i]
		sizes[i] = is.Size()
		hashes[i] = make([]int32, sizes[i])
		for v := range hashes[i] {
			hashes[i][v] = ValueHash(is, v)
		}
	}
	var table *ufun.Table
	if t, ok := u.(*ufun.Table); ok && t.Len() == n {
		table = t
	}
	type bid struct {
		u float64
		h int32
		e int32 // position in GENIUS's enumeration
	}
	bids := make([]bid, n)
	digits := make([]int, k)
	o, bh := 0, int32(0)
	for i := range k {
		bh += hashes[i][0]
	}
	for e := range bids {
		var ue float64
		if table != nil {
			ue = table.Utility(parley.Outcome(o))
		} else {
			ue = u.Utility(parley.Outcome(o))
		}
		bids[e] = bid{u: ue, h: DetailsHash(bh, ue), e: int32(e)}
		// Advance the odometer: the first issue changes fastest.
		for i := range k {
			bh -= hashes[i][digits[i]]
			if digits[i]+1 < sizes[i] {
				digits[i]++
				o += strides[i]
				bh += hashes[i][digits[i]]
				break
			}
			o -= digits[i] * strides[i]
			digits[i] = 0
			bh += hashes[i][0]
		}
	}
	// The enumeration position as last key makes the order total, so an
	// unstable sort gives the stable sort's result.
	slices.SortFunc(bids, func(a, b bid) int {
		if a.u != b.u {
			if a.u > b.u {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(a.h, b.h); c != 0 {
			return c
		}
		return cmp.Compare(a.e, b.e)
	})
	s := &Sorted{Outcomes: make([]parley.Outcome, n), Util: make([]float64, n)}
	for j, b := range bids {
		// Decode the enumeration position: issue i is digit i in base
		// sizes, the first issue least significant.
		e, o := int(b.e), 0
		for i := range k {
			o += (e % sizes[i]) * strides[i]
			e /= sizes[i]
		}
		s.Outcomes[j], s.Util[j] = parley.Outcome(o), b.u
	}
	return s
}

// Search is GENIUS's SortedOutcomeSpace.searchIndexWith(v), quirks
// included: a bisection over the descending list that returns at once on an
// exact hit (any member of a tie group) and otherwise stops when the middle
// no longer moves, which is the lowest-utility outcome strictly above v (the
// last of its tie group), index 0 when v is above every utility, and n−2
// when v is at or below the lowest.
func (s *Sorted) Search(v float64) int {
	u := s.Util
	middle, low, high, last := -1, 0, len(u)-1, 0
	for last != middle {
		last = middle
		middle = (low + high) / 2
		if u[middle] == v {
			return middle
		}
		if u[middle] < v {
			high = middle
		}
		if u[middle] > v {
			low = middle
		}
	}
	return middle
}

// Near is GENIUS's SortedOutcomeSpace.getIndexOfBidNearUtility(v): the
// position i = Search(v), or i+1 when that outcome is strictly closer to v.
// The outcome at i−1 is compared as well but can never be returned (GENIUS
// overwrites its choice), though being closer it stops i+1 from being
// chosen. Near allocates nothing.
func (s *Sorted) Near(v float64) int {
	u := s.Util
	i := s.Search(v)
	best := abs(u[i] - v)
	if i > 0 && abs(u[i-1]-v) < best {
		best = abs(u[i-1] - v)
	}
	if i+1 < len(u) && abs(u[i+1]-v) < best {
		return i + 1
	}
	return i
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// sortedKey names the Sorted attached to a prepared table (ufun.Derive).
type sortedKey struct{}

// SortedOf returns the sorted space of p (NewSorted). When p's utility is a
// table over p's space (as every profile of a scenario.Prepared is), the
// sort is done once per table and shared by every negotiation on it
// (ufun.Derive): the table is immutable, so the order never goes stale.
// Any other utility function is sorted afresh on every call. SortedOf is
// safe for concurrent use.
func SortedOf(p *parley.Profile) (*Sorted, error) {
	if p == nil || p.Space == nil || p.Utility == nil {
		return nil, fmt.Errorf("geniuscompat: %w", parley.ErrNoProfile)
	}
	if t, ok := p.Utility.(*ufun.Table); ok && t.Space() == p.Space && t.Len() == p.Space.Size() {
		return ufun.Derive[sortedKey](t, func(t *ufun.Table) (*Sorted, error) {
			return newSorted(t.Space(), t), nil
		})
	}
	return NewSorted(p)
}

// errNotReady is returned by Act before a successful Init.
var errNotReady = errors.New("geniuscompat: Act before Init")
