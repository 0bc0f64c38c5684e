package anac_test

import (
	"context"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy/anac"
)

// TestPonPokoBand checks the bands of PonPokoAgent.java against values
// computed by hand: sin(20) = 0.9129453, sin(10) = −0.5440211,
// sin(39.8) = 0.8627606, sin(19.9) = 0.8676441 (radians).
func TestPonPokoBand(t *testing.T) {
	tests := []struct {
		pattern   int
		t         float64
		low, high float64
	}{
		{0, 0.5, 0.95 - 0.1*0.9129452507276277, 0.95}, // 0.8587055
		{1, 0.5, 0.89, 1}, // 1 − 0.22·0.5
		{2, 0.5, 0.95 - 0.15*0.5440211108893698, 0.95},                       // 0.8683968
		{3, 0.5, 0.95, 0.975},                                                // 1 − 0.05, 1 − 0.025
		{4, 0.5, 1 - 0.105*0.5440211108893698, 1 - 0.075*0.5440211108893698}, // 0.9428778, 0.9591984
		{0, 0.995, 0.9005 - 0.1*0.8627606436856788, 0.9005},                  // 0.8142239
		{1, 0.995, 0.7811, 1},
		{2, 0.995, 0.9005 - 0.15*0.8676441006416673, 0.9005}, // 0.7703534
		{3, 0.995, 0.7015, 0.95025},                          // t > 0.99: low = 1 − 0.3t
		{3, 0.99, 0.901, 0.9505},                             // t = 0.99: not yet
		{4, 0, 1, 1},
		{1, 0, 1, 1},
		{7, 0.5, 1 - 0.2*0.9129452507276277, 0.95}, // the Java fallback
	}
	for _, tc := range tests {
		low, high := anac.PonPokoBand(tc.pattern, tc.t)
		if !near(high, tc.high) || !near(low, tc.low) {
			t.Errorf("pattern %d, t = %v: band [%.9f, %.9f], want [%.9f, %.9f]", tc.pattern, tc.t, low, high, tc.low, tc.high)
		}
	}
}

// TestPonPokoActs: with a fixed pattern, PonPoko accepts an offer worth
// more than low, and otherwise offers a bid inside the band.
func TestPonPokoActs(t *testing.T) {
	_, p := ladderSpace(t, percent()...)
	for pattern := range anac.PonPokoPatterns {
		low, high := anac.PonPokoBand(pattern, 0.5)
		for seed := range uint64(20) {
			a := anac.NewPonPoko(anac.PonPokoOptions{Pattern: pattern + 1})
			if err := a.Init(context.Background(), session(p, seed, 10)); err != nil {
				t.Fatal(err)
			}
			// An offer 0.01 above low is accepted.
			above := parley.Outcome(int(low*100+1e-6) + 1)
			if got := act(t, a, turn{offers: []parley.Outcome{above}, t: 0.5}.state(10)); got.Kind != parley.Accept {
				t.Errorf("pattern %d: offer worth %v > low %v: %+v, want accept", pattern, float64(above)/100, low, got)
			}
			// An offer below low is countered with a bid in [low, high].
			below := parley.Outcome(int(low*100) - 1)
			got := act(t, a, turn{offers: []parley.Outcome{below}, t: 0.5}.state(10))
			u := float64(got.Outcome) / 100
			if got.Kind != parley.Offer || u < low-1e-12 || u > high+1e-12 {
				t.Errorf("pattern %d: countered with %+v (worth %v), want a bid in [%v, %v]", pattern, got, u, low, high)
			}
		}
	}
}

// TestPonPokoLowering: when no outcome lies in the band, low is lowered in
// steps of 1e-4 until one does: the dearest outcome below the band.
func TestPonPokoLowering(t *testing.T) {
	_, p := ladderSpace(t, 0, 0.5, 0.8)
	a := anac.NewPonPoko(anac.PonPokoOptions{Pattern: 2}) // pattern 1: [1 − 0.22t, 1]
	if err := a.Init(context.Background(), session(p, 1, 10)); err != nil {
		t.Fatal(err)
	}
	if got := act(t, a, turn{offers: []parley.Outcome{0}, t: 0.5}.state(10)); got != parley.OfferOf(2) {
		t.Errorf("%+v, want outcome 2 (worth 0.8, the dearest below [0.89, 1])", got)
	}
}

// TestPonPokoPattern: the pattern is drawn from Session.Rand, uniformly.
func TestPonPokoPattern(t *testing.T) {
	_, p := ladderSpace(t, percent()...)
	seen := make([]int, anac.PonPokoPatterns)
	for seed := range uint64(500) {
		a := anac.NewPonPoko(anac.PonPokoOptions{})
		if err := a.Init(context.Background(), session(p, seed, 10)); err != nil {
			t.Fatal(err)
		}
		b := anac.NewPonPoko(anac.PonPokoOptions{})
		if err := b.Init(context.Background(), session(p, seed, 10)); err != nil {
			t.Fatal(err)
		}
		if a.Pattern() != b.Pattern() {
			t.Fatalf("seed %d: patterns %d and %d from the same seed", seed, a.Pattern(), b.Pattern())
		}
		seen[a.Pattern()]++
	}
	for k, n := range seen {
		if n < 70 || n > 130 { // 100 expected; 99.9% binomial interval about 72..129
			t.Errorf("pattern %d drawn %d times of 500, want about 100", k, n)
		}
	}
}
