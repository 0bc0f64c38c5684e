package anac

import (
	"context"
	"slices"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
)

// TestHHBest: KLH picks the bid its model rates best by starting from the
// highest entry and replacing it only by a strictly better one met in
// ascending order: among tied best entries the highest wins if it is one
// of them, else the lowest.
func TestHHBest(t *testing.T) {
	tests := []struct {
		scores []float64 // by position 0..n-1
		taken  []int
		want   int
	}{
		{[]float64{0.1, 0.5, 0.5, 0.2}, nil, 1},           // tie not at the top: the lowest of the tie
		{[]float64{0.1, 0.5, 0.2, 0.5}, nil, 3},           // the top is among the best: the top
		{[]float64{0.9, 0.5, 0.5, 0.2}, nil, 0},           // a clear best
		{[]float64{0.1, 0.5, 0.5, 0.5}, []int{3}, 2},      // the top taken: the new top 2 is among the best
		{[]float64{0.1, 0.5, 0.5, 0.2, 0.9}, []int{4}, 1}, // the top taken: the new top 3 is not, the lowest of 1, 2
		{[]float64{0.3, 0.3, 0.3, 0.3}, []int{3}, 2},      // all tied: the highest left
	}
	for _, tc := range tests {
		got := hhBest(0, len(tc.scores)-1, tc.taken, func(i int) float64 { return tc.scores[i] })
		if got != tc.want {
			t.Errorf("scores %v, taken %v: picked %d, want %d", tc.scores, tc.taken, got, tc.want)
		}
	}
}

// TestHHBidList: the bid list follows KLH's BidSelector. With every bid
// worth 0.5 on two issues of two values, the passes go: issue 0 gives
// (0,0) key 0.5−1e-8 and (1,0) key 0.5−2e-8, so (1,0) comes first; issue
// 1 then expands (1,0) into (1,0) −1e-8 and (1,1) −2e-8, and (0,0) into
// (0,0) −3e-8 and (0,1) −4e-8. Ascending: (0,1), (0,0), (1,1), (1,0),
// that is outcomes 1, 0, 3, 2.
func TestHHBidList(t *testing.T) {
	space, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "a", Values: []string{"a0", "a1"}}, {Name: "b", Values: []string{"b0", "b1"}}})
	if err != nil {
		t.Fatal(err)
	}
	u := parley.UtilityFunc(func(parley.Outcome) float64 { return 0.5 })
	var got []parley.Outcome
	for _, b := range hhBidList(space, u) {
		got = append(got, b.o)
		if b.u != 0.5 {
			t.Errorf("outcome %d: utility %v, want 0.5", b.o, b.u)
		}
	}
	if want := []parley.Outcome{1, 0, 3, 2}; !slices.Equal(got, want) {
		t.Errorf("bid list %v, want %v", got, want)
	}
}

// TestHardHeadedOpensWithLastEntry: HardHeaded opens with the last entry
// of its bid list (BidList.lastEntry()); when every bid ties, that is the
// one BidSelector keyed highest, outcome 2 of TestHHBidList, not the
// outcome the utility order happens to put last.
func TestHardHeadedOpensWithLastEntry(t *testing.T) {
	space, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "a", Values: []string{"a0", "a1"}}, {Name: "b", Values: []string{"b0", "b1"}}})
	if err != nil {
		t.Fatal(err)
	}
	p := &parley.Profile{Name: "me", Space: space, Utility: parley.UtilityFunc(func(parley.Outcome) float64 { return 0.5 })}
	for seed := range uint64(5) {
		h := NewHardHeaded(HardHeadedOptions{})
		if err := h.Init(context.Background(), &parley.Session{Party: 0, Names: []string{"me", "them"}, Profile: p, Deadline: 10, Rand: rng.New(seed, 0)}); err != nil {
			t.Fatal(err)
		}
		a, err := h.Act(context.Background(), &parley.State{Parties: 2, Deadline: 10, Standing: parley.NoOutcome, Proposer: -1})
		if err != nil {
			t.Fatal(err)
		}
		if a.Kind != parley.Offer || a.Outcome != 2 {
			t.Errorf("seed %d: opened with %v, want an offer of outcome 2", seed, a)
		}
	}
}
