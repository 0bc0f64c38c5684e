package anac_test

import (
	"context"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy/anac"
)

// TestCUHKSchedule checks CUHKAgent's concede time and threshold schedule
// against values computed by hand.
func TestCUHKSchedule(t *testing.T) {
	// d = 0.8 > 0.75: β = 1.8, d^β = exp(1.8·ln 0.8) = 0.6692093, τ0 =
	// 0.08 + 0.92·0.6692093 = 0.6956726. A fully conceding opponent (c = 1)
	// moves it to τ0 + 0.1·(1 − τ0) = 0.7261053.
	const tau08 = 0.6956725685657418
	taus := []struct{ d, c, want float64 }{
		{1, 0, 1},
		{1, 1, 1},
		{0.8, 0, tau08},
		{0.8, 1, tau08 + 0.1*(1-tau08)},
		{0.8, 0.5, tau08 + 0.1*(1-tau08)*0.0009765625}, // 0.5^10
		// d = 0.6: β = 1.5, 0.6^1.5 = 0.4647580, τ0 = 0.5075774.
		{0.6, 0, 0.5075773614212988},
		// d = 0.4: β = 1.2, 0.4^1.2 = 0.3330213, τ0 = 0.3863796.
		{0.4, 0, 0.38637958032388936},
	}
	for _, tc := range taus {
		if got := anac.CUHKConcedeTime(tc.d, tc.c); !near(got, tc.want) {
			t.Errorf("CUHKConcedeTime(%v, %v) = %.10f, want %.10f", tc.d, tc.c, got, tc.want)
		}
	}
	// Thresholds with umax = 1, d = 0.8, τ = τ0: the floor at τ is
	// 0.8^(1−τ) = 0.8^0.3043274 = 0.9343458; halfway to τ the threshold is
	// 1 − (1 − 0.9343458)·0.25 = 0.9835864; after τ it is 0.8^(1−t),
	// 0.9779328 at t = 0.9 and 1 at t = 1.
	ths := []struct{ t, umax, d, tau, want float64 }{
		{0, 1, 0.8, tau08, 1},
		{tau08 / 2, 1, 0.8, tau08, 0.9835864429725405},
		{tau08, 1, 0.8, tau08, 0.9343457718901619},
		{0.9, 1, 0.8, tau08, 0.9779327685429284},
		{1, 1, 0.8, tau08, 1},
		// umax = 0.9, d = 0.4, τ = 0.3863796: at t = 0.2 the threshold
		// is 0.9 − (0.9 − 0.9·0.4^0.6136204)·(0.2/τ)² = 0.7962900.
		{0.2, 0.9, 0.4, 0.38637958032388936, 0.796289964782382},
		// Without discounting the threshold never moves.
		{0.5, 0.85, 1, 1, 0.85},
		{0.99, 0.85, 1, 1, 0.85},
	}
	for _, tc := range ths {
		if got := anac.CUHKThreshold(tc.t, tc.umax, tc.d, tc.tau); !near(got, tc.want) {
			t.Errorf("CUHKThreshold(%v, %v, %v, %v) = %.10f, want %.10f", tc.t, tc.umax, tc.d, tc.tau, got, tc.want)
		}
	}
}

// TestCUHKAdapts: the agent's concede time follows the opponent's
// toughness, and its threshold the schedule.
func TestCUHKAdapts(t *testing.T) {
	_, p := ladderSpace(t, percent()...)
	p.Discount = 0.8
	const tau08 = 0.6956725685657418
	run := func(offers []parley.Outcome) *anac.CUHK {
		a := anac.NewCUHK(anac.CUHKOptions{})
		if err := a.Init(context.Background(), session(p, 1, 100)); err != nil {
			t.Fatal(err)
		}
		act(t, a, turn{t: 0}.state(100)) // opening
		for i := range offers {
			got := act(t, a, turn{offers: offers[:i+1], t: 0.3 + 0.01*float64(i), round: 30 + i}.state(100))
			if got.Kind == parley.Accept {
				t.Fatalf("accepted %v at turn %d", offers[i], i)
			}
		}
		return a
	}
	// A tough opponent repeats one bid: one distinct bid, c = (1/10)² =
	// 0.01, τ ≈ τ0.
	tough := make([]parley.Outcome, 12)
	for i := range tough {
		tough[i] = 10
	}
	a := run(tough)
	if got := a.ConcedeTime(); !near(got, tau08) {
		t.Errorf("tough opponent: concede time %v, want τ0 = %v", got, tau08)
	}
	// A conceding opponent makes a new bid each time: the last ten
	// distinct bids were each offered once, c = 1, τ = 0.7261053.
	soft := make([]parley.Outcome, 12)
	for i := range soft {
		soft[i] = parley.Outcome(10 + i)
	}
	a = run(soft)
	if got := a.ConcedeTime(); !near(got, tau08+0.1*(1-tau08)) {
		t.Errorf("conceding opponent: concede time %v, want %v", got, tau08+0.1*(1-tau08))
	}
	// The threshold is the schedule at the last turn, t = 0.41.
	if got, want := a.Threshold(), anac.CUHKThreshold(0.41, 1, 0.8, a.ConcedeTime()); !near(got, want) {
		t.Errorf("threshold %v, want %v", got, want)
	}
}

// TestCUHKHoldsOut: without discounting on a small domain the threshold
// stays at the best utility: CUHK bids at the top and refuses everything
// below. As in GENIUS (CUHKAgent.java) its final concession needs both
// fewer than 5 rounds left and t > 0.9985, so with 100 rounds (t ≤ 0.99)
// it holds out to the end; with ConcedeByRounds it offers the opponent's
// best bid in the last rounds.
func TestCUHKHoldsOut(t *testing.T) {
	_, p := ladderSpace(t, percent()...)
	for _, tc := range []struct {
		name    string
		opts    anac.CUHKOptions
		concede bool
	}{
		{"genius", anac.CUHKOptions{}, false},
		{"rounds", anac.CUHKOptions{ConcedeByRounds: true}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := anac.NewCUHK(tc.opts)
			if err := a.Init(context.Background(), session(p, 3, 100)); err != nil {
				t.Fatal(err)
			}
			act(t, a, turn{t: 0}.state(100))
			var offers []parley.Outcome
			for round := 1; round < 100; round++ {
				offers = append(offers, parley.Outcome(40+round/5)) // up to 0.59
				got := act(t, a, turn{offers: offers, t: float64(round) / 100, round: round}.state(100))
				switch left := 100 - round - 1; {
				case left >= 5 || !tc.concede:
					if got.Kind != parley.Offer || got.Outcome < 99 {
						t.Fatalf("round %d: %+v, want a bid worth at least 0.99", round, got)
					}
				case left < 2:
					// The last round: the opponent's best bid (it is on the table
					// now, so acceptance comes first: worth as much as the bid).
					if got.Kind != parley.Accept {
						t.Fatalf("round %d: %+v, want to accept the opponent's best bid", round, got)
					}
				default:
					// Best bid worth 0.59 < 0.85: a bid in [0.85, 0.98] the
					// opponent likes.
					if got.Kind != parley.Offer || got.Outcome < 85 || got.Outcome > 98 {
						t.Fatalf("round %d (%d left): %+v, want a bid worth 0.85 to 0.98", round, left, got)
					}
				}
			}
		})
	}
}
