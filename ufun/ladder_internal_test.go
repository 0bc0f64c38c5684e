package ufun

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
)

// TestUnvetoedShared: Ladders over one table with the same red lines share
// one filtered list, kept with the table's index (no global cache); other
// red lines get their own, and the list leaves out exactly the vetoed
// outcomes.
func TestUnvetoedShared(t *testing.T) {
	space, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "a", Values: []string{"x", "y", "z"}}, {Name: "b", Values: []string{"p", "q"}}})
	if err != nil {
		t.Fatal(err)
	}
	tab, err := NewTable(space, parley.UtilityFunc(func(o parley.Outcome) float64 { return float64(o) / 5 }))
	if err != nil {
		t.Fatal(err)
	}
	ladder := func(vetoes ...parley.ValueRef) *Ladder {
		p := &parley.Profile{Name: "p", Space: space, Utility: tab, Vetoes: vetoes}
		var l Ladder
		if err := l.Init(&parley.Session{Profile: p, Rand: rand.New(rand.NewPCG(1, 2))}, 0); err != nil {
			t.Fatal(err)
		}
		return &l
	}
	noY := parley.ValueRef{Issue: 0, Value: 1}
	a, b, c := ladder(noY), ladder(noY), ladder(parley.ValueRef{Issue: 1, Value: 0})
	if len(a.outs) != 4 || &a.outs[0] != &b.outs[0] || &a.util[0] != &b.util[0] {
		t.Errorf("same red lines: %d outcomes, shared %v", len(a.outs), &a.outs[0] == &b.outs[0])
	}
	if &a.outs[0] == &c.outs[0] {
		t.Error("other red lines share the list")
	}
	for _, o := range a.outs {
		if space.ValueIndex(o, 0) == 1 {
			t.Errorf("outcome %d crosses the red line", o)
		}
	}
	n := 0
	tab.Index().unvetoed.Range(func(any, any) bool { n++; return true })
	if n != 2 {
		t.Errorf("%d filtered lists kept with the index, want 2", n)
	}
}

// TestSearchFrom: from every hint, in range or not, SearchFrom and
// AtLeastFrom find what Search and AtLeast find, on lists with ties,
// utilities within parley.Eps of each other, and targets below, between,
// on and above the entries.
func TestSearchFrom(t *testing.T) {
	lists := [][]float64{
		{},
		{0.5},
		{0, 0, 0, 1},
		{0.1, 0.2, 0.2, 0.2 + parley.Eps/2, 0.3, 0.7, 0.7, 0.9, 1},
	}
	r := rng.New(7, 0)
	for range 20 {
		u := make([]float64, 1+r.IntN(300))
		for i := range u {
			u[i] = float64(r.IntN(40)) / 39 // many ties
		}
		slices.Sort(u)
		lists = append(lists, u)
	}
	for _, util := range lists {
		x := &Ladder{util: util}
		targets := []float64{-1, 2, math.NaN(), math.Inf(1), math.Inf(-1)}
		for _, v := range util {
			targets = append(targets, v, v-parley.Eps, v+parley.Eps, v-2*parley.Eps, v+2*parley.Eps, v+0.01, v-0.01)
		}
		for _, u := range targets {
			want := x.Search(u)
			for hint := -2; hint <= len(util)+2; hint++ {
				if got := x.SearchFrom(u, hint); got != want {
					t.Fatalf("list %v: SearchFrom(%v, %d) = %d, Search = %d", util, u, hint, got, want)
				}
				if len(util) > 0 {
					if got, want := x.AtLeastFrom(u, hint), x.AtLeast(u); got != want {
						t.Fatalf("list %v: AtLeastFrom(%v, %d) = %d, AtLeast = %d", util, u, hint, got, want)
					}
				}
			}
		}
	}
}
