package anac_test

import (
	"context"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy/anac"
)

// TestAtlas3FinalOfferGame checks the final-offer game and the threshold
// of Atlas3's etc/strategy.java against values computed by hand.
func TestAtlas3FinalOfferGame(t *testing.T) {
	tests := []struct {
		name          string
		d, rv, c      float64
		a11, a12, a21 float64
		a22, q, e     float64
		t, threshold  float64
	}{
		// d = 1, rv = 0, c = 0.6: A11 = 0, A12 = 1, A21 = 0.6, A22 =
		// 0.5·0.6 + 0.5·1 = 0.8; (A11 − A21)/(A12 − A22) = −0.6/0.2 = −3,
		// q = 1/(1 + 3) = 0.25; E = 0.25·0.6 + 0.75·0.8 = 0.75. At t = 0.5
		// the threshold is 0.75 + 0.25·0.5 = 0.875.
		{"undiscounted", 1, 0, 0.6, 0, 1, 0.6, 0.8, 0.25, 0.75, 0.5, 0.875},
		// d = 0.8, rv = 0.3, c = 0.6: A11 = 0.24, A12 = 0.8, A21 = 0.48,
		// A22 = 0.64; ratio = −0.24/0.16 = −1.5, q = 1/2.5 = 0.4; E =
		// 0.4·0.48 + 0.6·0.64 = 0.576. At t = 0.5: target = 0.576/0.8^0.5 =
		// 0.6439876 > 1 − 0.5/0.8 = 0.375.
		{"discounted", 0.8, 0.3, 0.6, 0.24, 0.8, 0.48, 0.64, 0.4, 0.576, 0.5, 0.6439875775199394},
		// At t = 0.1 the linear term wins: 1 − 0.1/0.8 = 0.875.
		{"discounted early", 0.8, 0.3, 0.6, 0.24, 0.8, 0.48, 0.64, 0.4, 0.576, 0.1, 0.875},
		// c below rv: A21 = rv·d = 0.5, A11 = A21, so q = 1 and E = A21 =
		// 0.5; at t = 0.5 the threshold is 0.5 + 0.5·0.5 = 0.75.
		{"compromise below rv", 1, 0.5, 0.3, 0.5, 1, 0.5, 0.75, 1, 0.5, 0.5, 0.75},
		// Nothing offered yet (c = 0, rv = 0): q = 1, E = 0: the threshold
		// falls linearly from 1 to 0.
		{"no offers", 1, 0, 0, 0, 1, 0, 0.5, 1, 0, 0.3, 0.7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := anac.Atlas3FinalOfferGame(tc.d, tc.rv, tc.c)
			want := anac.Atlas3Game{A11: tc.a11, A12: tc.a12, A21: tc.a21, A22: tc.a22, Q: tc.q, E: tc.e}
			if !near(g.A11, want.A11) || !near(g.A12, want.A12) || !near(g.A21, want.A21) || !near(g.A22, want.A22) ||
				!near(g.Q, want.Q) || !near(g.E, want.E) {
				t.Errorf("game %+v, want %+v", g, want)
			}
			if got := anac.Atlas3Threshold(tc.t, tc.d, tc.rv, tc.c); !near(got, tc.threshold) {
				t.Errorf("threshold at t = %v: %.10f, want %.10f", tc.t, got, tc.threshold)
			}
		})
	}
}

// atlas3Rounds plays Atlas3 as party 0 of a 100-round negotiation whose
// opponent offered outcome offers[k] in round k, up to round len(offers)-1
// (Atlas3 acts at t = round/100), and returns its action of each round.
func atlas3Rounds(t *testing.T, a *anac.Atlas3, offers []parley.Outcome) []parley.Action {
	t.Helper()
	acts := make([]parley.Action, len(offers))
	for r := range offers {
		acts[r] = act(t, a, turn{offers: offers[:r+1], t: float64(r) / 100, round: r}.state(100))
	}
	return acts
}

// TestAtlas3Acts: Atlas3's threshold follows the best offer received; it
// refuses an offer below it and bids the cheapest outcome above it.
func TestAtlas3Acts(t *testing.T) {
	_, p := ladderSpace(t, percent()...)
	a := anac.NewAtlas3(anac.Atlas3Options{})
	if err := a.Init(context.Background(), session(p, 1, 100)); err != nil {
		t.Fatal(err)
	}
	// The opponent offers 0.6 until t = 0.5: the threshold is then 0.875
	// (see above); the offer is refused and the bid is the cheapest
	// outcome worth 0.875, 0.88 (a single-issue change of any outcome;
	// the opponent's favourite value, 0.6, would cost utility).
	offers := make([]parley.Outcome, 51)
	for r := range offers {
		offers[r] = 60
	}
	acts := atlas3Rounds(t, a, offers)
	if got := acts[50]; got != parley.OfferOf(88) {
		t.Errorf("%+v, want an offer of outcome 88", got)
	}
	if th := a.Threshold(0.5); !near(th, 0.875) {
		t.Errorf("threshold %v, want 0.875", th)
	}
	// An offer worth 0.95 at t = 0.51: the best offered is now 0.95, q =
	// 0.05/1.95, E = q·0.95 + (1 − q)·0.975 = 0.9743590, threshold =
	// E + (1 − E)·0.49 = 0.9869231 > 0.95: refused again.
	if got := act(t, a, turn{offers: append(offers, 95), t: 0.51, round: 51}.state(100)); got.Kind == parley.Accept {
		t.Errorf("accepted 0.95 below the threshold %v", a.Threshold(0.51))
	}
	if th := a.Threshold(0.51); !near(th, 0.9869230769230769) {
		t.Errorf("threshold %v, want 0.9869231", th)
	}
}

// TestAtlas3FinalPhase: at the end Atlas3 walks down the bids the
// opponent offered (its popular bids, bilaterally every offer), best
// first, and accepts the offer once no popular bid beats it.
func TestAtlas3FinalPhase(t *testing.T) {
	_, p := ladderSpace(t, percent()...)
	a := anac.NewAtlas3(anac.Atlas3Options{})
	if err := a.Init(context.Background(), session(p, 1, 100)); err != nil {
		t.Fatal(err)
	}
	offers := make([]parley.Outcome, 95)
	for r := range offers {
		offers[r] = 50
	}
	// One own turn takes t/turns ≈ 0.0099; the final phase starts when
	// t > 1 − 0.0099·(popular bids + 1).
	offers = append(offers,
		70, // t = 0.95, popular {0.7, 0.5}: not yet final, threshold 0.832
		60, // t = 0.96, popular {0.7, 0.6, 0.5}: 0.96 < 1 − 4·0.96/97 = 0.9604
		55, // t = 0.97, popular {0.7, 0.6, 0.55, 0.5}: final; 0.7 beats 0.55
		52, // t = 0.98, next popular 0.6 beats 0.52
		65, // t = 0.99, popular {0.7, 0.65, 0.6, ...}: next, 0.6, does not beat 0.65
	)
	acts := atlas3Rounds(t, a, offers)
	for r := 95; r <= 96; r++ {
		if got := acts[r]; got.Kind != parley.Offer || got.Outcome < 83 {
			t.Errorf("round %d: %+v, want a bid above the threshold", r, got)
		}
	}
	want := map[int]parley.Action{97: parley.OfferOf(70), 98: parley.OfferOf(60), 99: parley.AcceptAction()}
	for r, w := range want {
		if acts[r] != w {
			t.Errorf("round %d: %+v, want %+v", r, acts[r], w)
		}
	}
}
