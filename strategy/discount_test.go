package strategy_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy"
)

func TestDiscountTime(t *testing.T) {
	for _, tc := range []struct{ t, delta, want float64 }{
		{0.5, 0.25, 2.0 / 3}, // (1 − ½)/(1 − ¼)
		{0.5, 1, 0.5},        // no discounting: plain time
		{0.3, 0, 0.3},        // 0 means 1, as Profile.Discount
		{0, 0.1, 0},
		{1, 0.1, 1},
		{0.5, 0.01, 0.9 / 0.99}, // (1 − 0.1)/(1 − 0.01)
		{2, 0.5, 1},             // t clamped
	} {
		if got := strategy.DiscountTime(tc.t, tc.delta); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("DiscountTime(%v, %v) = %v, want %v", tc.t, tc.delta, got, tc.want)
		}
	}
}

// TestDiscountAwareConcedes: a discount-aware time-dependent negotiator
// concedes sooner the lower its discount factor, and exactly as the plain
// one without discounting; the plain one ignores δ.
func TestDiscountAwareConcedes(t *testing.T) {
	target := func(discount bool, delta, at float64) float64 {
		ps := pie(t, 100, delta, 1)
		td := strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.LinearE, Discount: discount})
		if err := td.Init(context.Background(), &parley.Session{Names: []string{"A", "B"}, Profile: ps[0], Rand: rand.New(rand.NewPCG(1, 2))}); err != nil {
			t.Fatal(err)
		}
		return td.Target(at)
	}
	for _, at := range []float64{0.25, 0.5, 0.75} {
		prev := math.Inf(1)
		for _, delta := range []float64{1, 0.9, 0.5, 0.2, 0.05} {
			got := target(true, delta, at)
			// Linear (e = 1) on the pie: target = 1 − DiscountTime(t, δ).
			if want := 1 - strategy.DiscountTime(at, delta); math.Abs(got-want) > 1e-12 {
				t.Errorf("t=%v δ=%v: target %v, want %v", at, delta, got, want)
			}
			if got >= prev {
				t.Errorf("t=%v δ=%v: target %v, not below %v for a larger δ", at, delta, got, prev)
			}
			prev = got
			if plain := target(false, delta, at); math.Abs(plain-(1-at)) > 1e-12 {
				t.Errorf("t=%v δ=%v: the plain tactic's target %v, want %v", at, delta, plain, 1-at)
			}
		}
	}
}
