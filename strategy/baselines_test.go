package strategy_test

import (
	"slices"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/strategy"
)

// TestMiCRO is hand-traced on TwoIssue with the buyer's reservation value
// at 0.35, so MiCRO's list is 1 (1.0), 3 (0.7), 0 (0.6), 5 (0.4).
//
//	step 0  m=0 n=0: concede, offer 1                   m=1
//	step 1  seller offers 4
//	step 2  n=1, m=1 ≤ 1: level 0.7, 4 is worth 0; offer 3   m=2
//	step 3  seller offers 4 again
//	step 4  n=1, m=2 > 1: level 0.7; re-offer 1 or 3
//	step 5  seller offers 2
//	step 6  n=2, m=2 ≤ 2: level 0.6, 2 is worth 0.3; offer 0  m=3
//	step 7  seller offers 5
//	step 8  n=3, m=3 ≤ 3: level 0.4 (outcome 5): accept 5, worth 0.4
func TestMiCRO(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	ps[0].Reservation = 0.35
	for seed := range uint64(8) {
		mc := strategy.NewMiCRO(strategy.MiCROOptions{})
		seller := &parleytest.Scripted{Actions: parleytest.Offers(4, 4, 2, 5, 2)}
		trace, res := run(t, ps, 10, seed, mc, seller)
		got := offersBy(trace, 0)
		if len(got) != 4 || got[0] != 1 || got[1] != 3 || (got[2] != 1 && got[2] != 3) || got[3] != 0 {
			t.Errorf("seed %d: MiCRO offered %v, want [1 3 1|3 0]", seed, got)
		}
		if !res.Agreed() || res.Agreement != 5 || res.Steps != 9 {
			t.Errorf("seed %d: result %+v, want agreement on 5 at step 8", seed, res)
		}
		if mc.Proposed() != 3 || mc.Received() != 3 {
			t.Errorf("seed %d: m = %d, n = %d; want 3, 3", seed, mc.Proposed(), mc.Received())
		}
	}
}

// TestMiCROStubborn: against an opponent that never changes its offer,
// MiCRO concedes once (it has received one outcome) and then only repeats
// the two outcomes it has proposed.
func TestMiCROStubborn(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	mc := strategy.NewMiCRO(strategy.MiCROOptions{})
	trace, res := run(t, ps, 50, 1, mc, &parleytest.Scripted{Actions: parleytest.Offers(4)})
	if res.Reason != parley.ReasonDeadline {
		t.Errorf("result %+v, want the deadline", res)
	}
	got := offersBy(trace, 0)
	if got[0] != 1 || got[1] != 3 {
		t.Errorf("first offers %v, want 1 then 3", got[:2])
	}
	for _, o := range got {
		if o != 1 && o != 3 {
			t.Fatalf("offered %d, want only 1 and 3", o)
		}
	}
	if slices.Index(got[2:], 1) < 0 || slices.Index(got[2:], 3) < 0 {
		t.Errorf("re-proposals %v: want both 1 and 3 drawn", got[2:])
	}
	if mc.Proposed() != 2 || mc.Received() != 1 {
		t.Errorf("m = %d, n = %d; want 2, 1", mc.Proposed(), mc.Received())
	}
}

// TestMiCROExhausted: once every rational outcome has been proposed, MiCRO
// accepts anything worth its reservation value.
func TestMiCROExhausted(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	ps[0].Reservation = 0.65 // list: 1 (1.0), 3 (0.7)
	// Seller: 4, 2 (two new outcomes: MiCRO proposes 1, 3 and is exhausted),
	// 5 (0.4: below rv), 0 (0.6: below rv), then 3 (0.7).
	seller := &parleytest.Scripted{Actions: parleytest.Offers(4, 2, 5, 0, 3)}
	trace, res := run(t, ps, 20, 1, strategy.NewMiCRO(strategy.MiCROOptions{}), seller)
	if got := offersBy(trace, 0); len(got) != 5 || got[0] != 1 || got[1] != 3 {
		t.Errorf("MiCRO offered %v, want 1, 3 and three re-proposals", got)
	}
	if !res.Agreed() || res.Agreement != 3 {
		t.Errorf("result %+v, want agreement on 3", res)
	}
}

// TestTitForTat: the buyer opens with 1 and mirrors the seller's
// concessions in its own utility: the seller's offers 4 (0), 2 (0.3),
// 2 (0.3), 0 (0.6) concede 0.3, 0, 0.3, so the target goes 1, 1, 0.7, 0.7,
// 0.4 and the buyer offers 1, 1, 3, 3 and then accepts 0 (0.6 ≥ its next
// bid, 5 at 0.4).
func TestTitForTat(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	tft := strategy.NewTitForTat(strategy.TitForTatOptions{})
	seller := &parleytest.Scripted{Actions: parleytest.Offers(4, 2, 2, 0)}
	trace, res := run(t, ps, 10, 1, tft, seller)
	if got, want := offersBy(trace, 0), []parley.Outcome{1, 1, 3, 3}; !slices.Equal(got, want) {
		t.Errorf("offers %v, want %v", got, want)
	}
	if !res.Agreed() || res.Agreement != 0 || res.Steps != 9 {
		t.Errorf("result %+v, want agreement on 0 at step 8", res)
	}
	if got := tft.Target(); got < 0.4-1e-12 || got > 0.4+1e-12 {
		t.Errorf("target %v, want 0.4", got)
	}

	// A retraction is not answered: target stays at 0.7 after 4, 2, 4.
	tft = strategy.NewTitForTat(strategy.TitForTatOptions{})
	trace, _ = run(t, ps, 4, 1, tft, &parleytest.Scripted{Actions: parleytest.Offers(4, 2, 4)})
	if got, want := offersBy(trace, 0), []parley.Outcome{1, 1, 3, 3}; !slices.Equal(got, want) {
		t.Errorf("with a retraction: offers %v, want %v", got, want)
	}
}

func TestRandom(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	ps[0].Reservation = 0.5
	offers := func(seed uint64, opts strategy.RandomOptions) ([]parley.Event, *parley.Result) {
		return run(t, ps, 200, seed, strategy.NewRandom(opts), &parleytest.Scripted{Actions: parleytest.Offers(2, 2, 2, 0)})
	}
	a, _ := offers(4, strategy.RandomOptions{PAccept: -1})
	b, _ := offers(4, strategy.RandomOptions{PAccept: -1})
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different traces")
	}
	seen := map[parley.Outcome]bool{}
	for _, o := range offersBy(a, 0) {
		seen[o] = true
	}
	if len(seen) != 6 {
		t.Errorf("offered %d distinct outcomes in 200 rounds, want all 6", len(seen))
	}
	// Always accepting: it still refuses 2 (0.3 < 0.5) and takes 0 (0.6).
	_, res := offers(4, strategy.RandomOptions{PAccept: 1})
	if !res.Agreed() || res.Agreement != 0 || res.Rounds != 5 {
		t.Errorf("PAccept 1: %+v, want agreement on 0 in round 5", res)
	}
}

// TestTitForTatMultilateral: with three parties the buyer mirrors the party
// that made the standing offer. Party 1 concedes (4, 2, 2, 2) but party 2
// always counters after it (4, 4, 2, 2), so only party 2's move from 4 (0)
// to 2 (0.3) counts: the buyer offers 1, 1, 1 and then 3 (target 0.7).
func TestTitForTatMultilateral(t *testing.T) {
	space, two := parleytest.TwoIssue()
	ps := []*parley.Profile{two[0], two[1], {Name: "seller2", Space: space, Utility: two[1].Utility}}
	tft := strategy.NewTitForTat(strategy.TitForTatOptions{})
	trace, _ := run(t, ps, 4, 1, tft,
		&parleytest.Scripted{Actions: parleytest.Offers(4, 2, 2, 2)},
		&parleytest.Scripted{Actions: parleytest.Offers(4, 4, 2, 2)})
	if got, want := offersBy(trace, 0), []parley.Outcome{1, 1, 1, 3}; !slices.Equal(got, want) {
		t.Errorf("offers %v, want %v", got, want)
	}
	if got := tft.Target(); got < 0.7-1e-12 || got > 0.7+1e-12 {
		t.Errorf("target %v, want 0.7", got)
	}
}
