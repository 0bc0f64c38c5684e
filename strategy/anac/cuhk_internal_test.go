package anac

import (
	"context"
	"slices"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
)

// TestCUHKBand: CUHKAgent's candidate bids come from its 0.01-wide
// buckets (getBidsBetweenUtility): a bid worth exactly a bucket's lower
// edge is filed in the bucket below, and with a best utility just short
// of 1 (0.7 + 0.2 + 0.1 = 0.9999999999999999 in floating point, as the
// weights of ANAC 2013 Kitchen sum) there are 99 buckets, so no bid worth
// more than 0.99 but the best is ever a candidate; above a threshold of
// 0.99 the agent keeps to its best bid.
func TestCUHKBand(t *testing.T) {
	space, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "a", Values: []string{"0", "1", "2", "3", "4", "5", "6", "7"}}})
	if err != nil {
		t.Fatal(err)
	}
	w := []float64{0.7, 0.2, 0.1}
	us := []float64{0.2, 0.97, 0.98, 0.985, 0.99, 0.995, 0.998, w[0] + w[1] + w[2]} // float64 sums, not exact constants
	if us[7] != 0.9999999999999999 {
		t.Fatalf("0.7 + 0.2 + 0.1 = %v, want 0.9999999999999999", us[7])
	}
	p := &parley.Profile{Name: "me", Space: space, Utility: parley.UtilityFunc(func(o parley.Outcome) float64 { return us[o] })}
	a := NewCUHK(CUHKOptions{})
	if err := a.Init(context.Background(), &parley.Session{Party: 0, Names: []string{"me", "them"}, Profile: p, Deadline: 100, Rand: rng.New(1, 0)}); err != nil {
		t.Fatal(err)
	}
	outcomes := func(i, j int, withMax bool) []parley.Outcome {
		var got []parley.Outcome
		for k := i; k <= j; k++ {
			got = append(got, a.lad.Outcome(k))
		}
		if withMax {
			got = append(got, a.maxBid)
		}
		slices.Sort(got)
		return got
	}
	tests := []struct {
		lower float64
		want  []parley.Outcome
	}{
		{0.995, nil},                       // bucket 99 does not exist: none (the best bid alone)
		{0.99, nil},                        // the same
		{0.985, []parley.Outcome{3, 4, 7}}, // bucket 98: (0.98, 0.99], and the best bid
		{0.975, []parley.Outcome{2, 3, 4, 7}},
		{0.5, []parley.Outcome{1, 2, 3, 4, 7}},
		{0, []parley.Outcome{0, 1, 2, 3, 4, 7}},
	}
	for _, tc := range tests {
		i, j, withMax := a.band(tc.lower, a.umax)
		if got := outcomes(i, j, withMax); !slices.Equal(got, tc.want) {
			t.Errorf("band(%v, %v): %v, want %v", tc.lower, a.umax, got, tc.want)
		}
		if tc.want == nil {
			for range 20 {
				if o := a.chooseBid(i, j, withMax); o != a.maxBid {
					t.Errorf("band(%v): chose %d, want the best bid %d", tc.lower, o, a.maxBid)
				}
			}
		}
	}
	// The last chance's band, umax − 0.15 to umax − 0.02: buckets
	// ⌊84.99…⌋ = 84 to ⌊97.99…⌋ − 1 = 96, worth (0.84, 0.97].
	if got := outcomes(a.band(a.umax-0.15, a.umax-0.02)); !slices.Equal(got, []parley.Outcome{1}) {
		t.Errorf("band(umax − 0.15, umax − 0.02): %v, want [1]", got)
	}
}
