package anac

import (
	"context"
	"slices"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
)

// TestHHPicks: KLH queues the bids its selection loop picks from a
// java.util.TreeMap of the window, which hands out its own nodes and, on
// removing a node with two children, moves the successor's bid into it;
// so the queue may repeat a bid and miss the best one. The wanted queues
// were printed by java.util.TreeMap (OpenJDK 17) running KLH.chooseAction's
// loop on the same scores. The first case is England-Zimbabwe near
// round 172 in a GENIUS session of HardHeaded (England) against Nice
// Tit-for-Tat: the window of six bids worth 0.9037 to 0.9130 to England,
// scored by HardHeaded's model as traced in GENIUS; its favourite,
// position 2 (0.9109, scored 0.62), is picked first but its node then
// holds position 3, and GENIUS's HardHeaded offered 3, 5, 4, 3, 1.
func TestHHPicks(t *testing.T) {
	tests := []struct {
		scores []float64 // by position 0..n-1
		want   []int
	}{
		{[]float64{0.0903, 0.0903, 0.6197, 0.1606, 0.1774, 0.1774}, []int{3, 5, 4, 3, 1}},
		{[]float64{0.0, 1.0, 0.4, 0.4, 0.8}, []int{2, 4, 3, 2, 0}},
		{[]float64{1.0, 1.0, 1.0, 0.2, 0.0, 0.6}, []int{0, 1, 2, 5, 3}}, // ties: the lowest of the best
		{[]float64{0.3, 0.3, 0.3, 0.3, 0.3}, []int{4, 3, 2, 1, 0}},      // all tied: lastEntry() copies, from the top
		{[]float64{0.4, 0.6, 0.8, 0.8, 0.8, 0.8, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.2, 0.2, 0.8}, []int{6, 14, 2, 5, 5}},
		{[]float64{0.0, 0.6, 0.6, 0.8, 0.4, 0.6, 0.2, 0.4, 0.4, 0.6, 0.8, 0.0}, []int{3, 11, 2, 2, 5}},
		{[]float64{0.6, 0.6, 0.2, 0.6, 0.6, 0.4, 0.8, 0.0, 0.0, 0.4}, []int{7, 0, 1, 3, 5}},
		{[]float64{0.4, 0.6, 0.6, 0.2, 0.2, 0.8, 0.6, 0.8, 0.0, 0.0, 0.6, 0.0, 0.4, 0.8, 0.8, 0.0}, []int{5, 7, 13, 14, 1}},
		{[]float64{0.0, 0.6, 0.8, 0.6, 0.0, 0.2}, []int{3, 3, 3, 5, 4}},
		{[]float64{0.6, 0.4, 0.2, 1.0, 1.0}, []int{4, 3, 0, 1, 2}},
		{[]float64{0.0, 0.6, 0.8, 0.4, 0.0}, []int{2, 1, 4, 4, 0}},
		{[]float64{0.2, 0.2, 0.4, 0.8, 0.0, 0.6, 0.8, 0.2, 0.4}, []int{4, 6, 7, 8, 2}},
		{[]float64{0.6, 1.0, 0.4, 0.8, 0.8, 0.2, 0.6}, []int{2, 4, 4, 6, 0}},
		{[]float64{1.0, 0.0, 0.6, 0.2, 0.2, 0.0, 0.0, 0.6, 0.8}, []int{0, 8, 7, 2, 4}},
		{[]float64{0.4, 0.6, 0.6, 0.6, 0.6, 0.8, 1.0, 0.6, 1.0, 0.4, 0.0, 0.6, 1.0, 0.8, 0.8, 0.4, 0.2, 0.4, 0.0, 1.0, 0.2, 1.0, 0.8, 1.0, 0.4, 0.2, 0.4, 0.0, 1.0, 0.8, 0.2, 0.4, 0.2}, []int{6, 8, 12, 20, 22}},
		{[]float64{0.4, 0.8, 0.6, 0.4, 0.0, 0.0, 0.6, 0.8, 0.6, 0.0, 0.4, 0.4, 0.8, 1.0, 0.0, 0.6, 0.8, 0.4, 0.4, 0.6, 0.6, 0.6, 0.0, 0.2}, []int{13, 1, 7, 14, 17}},
		{[]float64{0.6, 0.6, 0.2, 0.0, 0.6, 0.0, 0.8, 0.2, 0.2, 0.6, 0.6, 0.0, 1.0, 0.0, 0.6, 0.4, 0.4, 0.8, 0.8, 0.6, 0.8, 0.0, 1.0, 1.0, 0.6}, []int{12, 22, 23, 6, 18}},
		{[]float64{0.6, 0.8, 0.6, 0.0, 0.4, 1.0, 1.0, 0.8, 0.6, 0.2, 0.0, 1.0, 1.0, 0.8, 0.0, 0.2, 0.4, 0.4, 0.0, 0.4, 0.8, 0.8, 0.6}, []int{6, 6, 13, 13, 2}},
	}
	var tr jtree
	for _, tc := range tests {
		got := make([]int, hhTop+1)
		tr.hhPicks(0, len(tc.scores)-1, func(i int) float64 { return tc.scores[i] }, got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("scores %v: queued %v, want %v (java.util.TreeMap)", tc.scores, got, tc.want)
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
