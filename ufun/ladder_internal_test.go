package ufun

import (
	"math/rand/v2"
	"testing"

	"github.com/parley-dev/parley"
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
