package geniuscompat_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy/geniuscompat"
	"github.com/parley-dev/parley/ufun"
)

// constant returns a profile over space in which every outcome has utility u.
func constant(t *testing.T, space *parley.OutcomeSpace, u float64) *parley.Profile {
	t.Helper()
	tab, err := ufun.NewTable(space, parley.UtilityFunc(func(parley.Outcome) float64 { return u }))
	if err != nil {
		t.Fatal(err)
	}
	return &parley.Profile{Name: "p", Space: space, Utility: tab}
}

func newSpace(t *testing.T, issues ...parley.Issue) *parley.OutcomeSpace {
	t.Helper()
	s, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// With equal utilities and equal hashes (integer values hash to 0) the sort
// keeps GENIUS's enumeration order, in which the first issue changes
// fastest: (x0,y0), (x1,y0), (x0,y1), ... Parley numbers outcomes with the
// first issue most significant, o = 3·x + y.
func TestSortedEnumerationOrder(t *testing.T) {
	space := newSpace(t,
		parley.Issue{Name: "x", Kind: parley.Integer, Min: 0, Max: 1},
		parley.Issue{Name: "y", Kind: parley.Integer, Min: 5, Max: 7})
	s, err := geniuscompat.NewSorted(constant(t, space, 0.5))
	if err != nil {
		t.Fatal(err)
	}
	if want := []parley.Outcome{0, 3, 1, 4, 2, 5}; !slices.Equal(s.Outcomes, want) {
		t.Errorf("order %v, want %v", s.Outcomes, want)
	}
}

// Equal utilities are ordered by ascending BidDetails.hashCode, which here
// grows with the String.hashCode of the value: "a" (97) before "b" (98)
// before "c" (99), whatever the file order.
func TestSortedTieBreakByHash(t *testing.T) {
	space := newSpace(t, parley.Issue{Name: "v", Values: []string{"b", "c", "a"}})
	s, err := geniuscompat.NewSorted(constant(t, space, 0.5))
	if err != nil {
		t.Fatal(err)
	}
	if want := []parley.Outcome{2, 0, 1}; !slices.Equal(s.Outcomes, want) {
		t.Errorf("order %v, want %v", s.Outcomes, want)
	}
	// Utility first, descending.
	u := parley.UtilityFunc(func(o parley.Outcome) float64 { return []float64{0.25, 0.5, 0.75}[o] })
	s, err = geniuscompat.NewSorted(&parley.Profile{Space: space, Utility: u})
	if err != nil {
		t.Fatal(err)
	}
	if want := []parley.Outcome{2, 1, 0}; !slices.Equal(s.Outcomes, want) {
		t.Errorf("order %v, want %v", s.Outcomes, want)
	}
	if want := []float64{0.75, 0.5, 0.25}; !slices.Equal(s.Util, want) {
		t.Errorf("utilities %v, want %v", s.Util, want)
	}
}

// The search quirks of SortedOutcomeSpace, traced by hand on the utilities
// 1, 0.75, 0.75, 0.5, 0.25.
func TestSearchNear(t *testing.T) {
	s := &geniuscompat.Sorted{Util: []float64{1, 0.75, 0.75, 0.5, 0.25}, Outcomes: []parley.Outcome{0, 1, 2, 3, 4}}
	tests := []struct {
		v            float64
		search, near int
	}{
		{2, 0, 0},      // above every utility: index 0
		{1, 0, 0},      // exact hit
		{0.875, 0, 0},  // equidistant from 1 and 0.75: the bid above
		{0.8, 0, 1},    // 0.75 is closer: the first of its tie group
		{0.75, 2, 2},   // exact hit on the middle returns that tie member
		{0.625, 2, 2},  // equidistant: the bid above, last of its tie group
		{0.55, 2, 3},   // 0.5 is closer
		{0.25, 3, 4},   // at the minimum the search stops at n−2
		{0.1, 3, 4},    // below the minimum
		{0.3125, 3, 4}, // 0.25 closer than 0.5
		{0.375, 3, 3},  // equidistant from 0.5 and 0.25: the bid above
	}
	for _, tc := range tests {
		if got := s.Search(tc.v); got != tc.search {
			t.Errorf("Search(%v) = %d, want %d", tc.v, got, tc.search)
		}
		if got := s.Near(tc.v); got != tc.near {
			t.Errorf("Near(%v) = %d, want %d", tc.v, got, tc.near)
		}
	}
	one := &geniuscompat.Sorted{Util: []float64{0.5}, Outcomes: []parley.Outcome{0}}
	if one.Near(0.9) != 0 || one.Near(0.1) != 0 {
		t.Errorf("a one-outcome space must always give index 0")
	}
}

// SortedOf shares one sort per table, also across goroutines and across
// copies of the profile (each seat gets its own copy in every run), and
// sorts another table, or a table over another space, afresh.
func TestSortedOfShared(t *testing.T) {
	space := newSpace(t, parley.Issue{Name: "v", Values: []string{"a", "b", "c"}})
	p := constant(t, space, 0.5)
	first, err := geniuscompat.SortedOf(p)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([]*geniuscompat.Sorted, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = geniuscompat.SortedOf(p)
		}()
	}
	wg.Wait()
	for i, s := range got {
		if s != first {
			t.Errorf("goroutine %d got another sort", i)
		}
	}
	cp := *p
	if s, err := geniuscompat.SortedOf(&cp); err != nil || s != first {
		t.Errorf("a copy of the profile got another sort (%v)", err)
	}
	// The same table over another space with as many outcomes: GENIUS's
	// order depends on the value names, so it is not shared.
	other := newSpace(t, parley.Issue{Name: "v", Values: []string{"x", "y", "z"}})
	if s, err := geniuscompat.SortedOf(&parley.Profile{Space: other, Utility: p.Utility}); err != nil || s == first {
		t.Errorf("a profile over another space shared the sort (%v)", err)
	}
	p.Utility = constant(t, space, 0.25).Utility
	again, err := geniuscompat.SortedOf(p)
	if err != nil {
		t.Fatal(err)
	}
	if again == first || again.Util[0] != 0.25 {
		t.Errorf("replacing the utility function did not rebuild the sort")
	}
	// A plain function cannot be compared: it is sorted every time, correctly.
	p.Utility = parley.UtilityFunc(func(o parley.Outcome) float64 { return float64(o) / 4 })
	s, err := geniuscompat.SortedOf(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := []parley.Outcome{2, 1, 0}; !slices.Equal(s.Outcomes, want) {
		t.Errorf("order %v, want %v", s.Outcomes, want)
	}
}

func TestSortedErrors(t *testing.T) {
	if _, err := geniuscompat.SortedOf(nil); err == nil {
		t.Error("SortedOf(nil): no error")
	}
	if _, err := geniuscompat.NewSorted(&parley.Profile{}); err == nil {
		t.Error("NewSorted of an empty profile: no error")
	}
	big := newSpace(t,
		parley.Issue{Name: "a", Kind: parley.Integer, Min: 0, Max: 9999},
		parley.Issue{Name: "b", Kind: parley.Integer, Min: 0, Max: 9999})
	p := &parley.Profile{Space: big, Utility: parley.UtilityFunc(func(parley.Outcome) float64 { return 0 })}
	if _, err := geniuscompat.NewSorted(p); err == nil {
		t.Error("100 million outcomes: no error")
	}
}
