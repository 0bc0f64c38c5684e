package strategy_test

import (
	"context"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/strategy"
)

// state returns a mid-negotiation State for party 0 with a standing offer
// of party 1 and a history of n offers.
func state(space *parley.OutcomeSpace, n int) *parley.State {
	st := &parley.State{Parties: 2, Me: 0, Deadline: n, Standing: 0, Proposer: 1}
	for i := range n {
		st.Offers = append(st.Offers, parley.OfferRecord{Party: i % 2, Outcome: parley.Outcome(i % space.Size()),
			Step: i, Round: i / 2, Time: float64(i) / float64(n)})
	}
	return st
}

func TestActAllocatesNothing(t *testing.T) {
	space, ps := parleytest.Synthetic(t, 2, 4, 4, 4, 3, 3)
	specs := []string{"boulware", "linear", "conceder", "hardliner", "boulware:ac=combi(t=0.5)",
		"conceder:ac=combimax(t=0.5)", "linear:ac=const(c=0.9)", "tft", "micro", "random", "boulware:walk=true,discount=true"}
	for _, spec := range specs {
		f, err := strategy.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		n := f()
		if err := n.Init(context.Background(), &parley.Session{Profile: ps[0], Names: []string{"a", "b"}, Rand: rng.New(1, 0)}); err != nil {
			t.Fatal(err)
		}
		st := state(space, 200)
		i := 0
		allocs := testing.AllocsPerRun(1000, func() {
			st.Time = float64(i%1000) / 1000
			st.Standing = parley.Outcome(i % space.Size())
			i++
			if _, err := n.Act(context.Background(), st); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per Act, want 0", spec, allocs)
		}
	}
}

// TestRunAllocations: a whole negotiation through a reused mechanism
// allocates a small number of values per run, whatever its length.
func TestRunAllocations(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	negs := []parley.Negotiator{strategy.NewHardliner(), strategy.NewHardliner()}
	allocs := func(deadline int) float64 {
		m, err := sao.New(ps, []string{"a", "b"}, sao.Options{Deadline: deadline})
		if err != nil {
			t.Fatal(err)
		}
		return testing.AllocsPerRun(20, func() {
			res, err := m.Run(context.Background(), negs, 1)
			if err != nil || res.Reason != parley.ReasonDeadline || res.Rounds != deadline {
				t.Fatalf("%+v, %v: want the deadline", res, err)
			}
		})
	}
	short, long := allocs(100), allocs(1000)
	if short != long || long > 5 {
		t.Errorf("allocations per run: %v for 100 rounds, %v for 1000; want the same small number", short, long)
	}
	t.Logf("allocations per run: %v", long)
}
