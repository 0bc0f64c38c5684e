package strategy

import (
	"slices"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/ufun"
)

// TestBidsSkipVetoed: the list holds exactly the outcomes within the red
// lines, ascending, and is shared by every Init with the same table and
// red lines.
func TestBidsSkipVetoed(t *testing.T) {
	space, ps := parleytest.Synthetic(t, 5, 3, 4, 2)
	p := ps[0]
	p.Vetoes = []parley.ValueRef{{Issue: 1, Value: 2}, {Issue: 0, Value: 0}}
	var a, b bids
	if err := a.init(&parley.Session{Profile: p, Rand: rng.New(1, 0)}, 0); err != nil {
		t.Fatal(err)
	}
	// 3·4·2 = 24 outcomes; vetoed: issue 0 = 0 (8) or issue 1 = 2 (6), 2 in both: 12 left.
	if len(a.outs) != 12 || !slices.IsSorted(a.util) {
		t.Fatalf("%d outcomes, sorted %v", len(a.outs), slices.IsSorted(a.util))
	}
	for i, o := range a.outs {
		if p.Vetoed(o) || a.util[i] != p.Utility.Utility(o) {
			t.Errorf("entry %d: outcome %s", i, space.Format(o))
		}
	}
	q := *p // another profile value, same table and red lines
	if err := b.init(&parley.Session{Profile: &q, Rand: rng.New(1, 0)}, 0); err != nil {
		t.Fatal(err)
	}
	if &a.outs[0] != &b.outs[0] {
		t.Error("the filtered list is not shared")
	}
	q.Vetoes = q.Vetoes[:1]
	if err := b.init(&parley.Session{Profile: &q, Rand: rng.New(1, 0)}, 0); err != nil {
		t.Fatal(err)
	}
	if len(b.outs) != 18 {
		t.Errorf("other red lines: %d outcomes, want 18", len(b.outs))
	}
	// Without red lines, the table's own index.
	q.Vetoes = nil
	if err := b.init(&parley.Session{Profile: &q, Rand: rng.New(1, 0)}, 0); err != nil {
		t.Fatal(err)
	}
	if x := p.Utility.(*ufun.Table).Index(); &b.outs[0] != &x.Outcomes[0] {
		t.Error("no red lines: not the table's index")
	}
}
