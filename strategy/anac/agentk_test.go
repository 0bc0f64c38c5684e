package anac_test

import (
	"context"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy/anac"
)

// TestAgentKRead checks AgentK's acceptance probability (Agent_K.java
// acceptProbability) on crafted histories, computed by hand.
func TestAgentKRead(t *testing.T) {
	tests := []struct {
		name     string
		offers   []float64 // utilities received, the last one on the table
		t        float64
		est, tgt float64
		p        float64
	}{
		// Offers 0.6, 0.9 at t = 0.9: μ = 0.75, var = (0.36 + 0.81)/2 −
		// 0.5625 = 0.0225, dev = sqrt(0.27) = 0.5196152, estimateMax =
		// 0.75 + 0.25·dev = 0.8799038; α = 1 + 2 + 7.5 − 3 = 7.5, t^α =
		// 0.9^7.5 = 0.4537590; preTarget = 1 − 0.4537590·0.1200962 =
		// 0.9455053, ratio = 0.6196/0.0545 > 2 so 2, target = 0.8910106;
		// m = 400 − 300·0.729 = 181.3, r = 0.0111068, 1/r² > m so f = m
		// and target −= r: target = estimateMax. p = 0.4537590/5 +
		// 2·(0.9 − 0.8799038) = 0.1309428.
		{"late, good offer", []float64{0.6, 0.9}, 0.9, 0.8799038105676658, 0.8799038105676658, 0.1309428349725359},
		// Offers 0.5, 0.7 at t = 0.5: μ = 0.6, var = 0.01, dev = 0.3464102,
		// estimateMax = 0.7385641; α = 6.6, t^α = 0.0103096, preTarget =
		// 0.9973047, ratio 2, target = 0.9946094; r = 0.2560453, f = 1/r²
		// = 15.2535 < m = 362.5, target −= (1/r)/m = 0.0107737: 0.9838357.
		// p = 0.0020619 − 0.0385641 − 0.2838357 < 0.1, so 0.
		{"halfway, mediocre offer", []float64{0.5, 0.7}, 0.5, 0.7385640646055103, 0.9838359606772559, 0},
		// One offer 0.8 at t = 0: dev = 0, estimateMax = 0.8, preTarget =
		// 1, ratio = 0.1/0 → 2, target = 1; r = 0.2, f = 25, m = 400,
		// target −= 0.2·25/400 = 0.0125: 0.9875. p = 0 + 0 − 0.1875: 0.
		{"first offer", []float64{0.8}, 0, 0.8, 0.9875, 0},
		// One offer 1.0 at t = 0.99: estimateMax = 1, target = 1 (not above
		// estimateMax), α = 1 + 2 + 10 − 4 = 9, p = 0.99^9/5 = 0.1827034.
		{"best offer, end", []float64{1}, 0.99, 1, 1, 0.18270344949672818},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var sum, sum2 float64
			for _, x := range tc.offers {
				sum += x
				sum2 += x * x
			}
			n := float64(len(tc.offers))
			mean := sum / n
			rd := anac.AgentKRead(tc.offers[len(tc.offers)-1], mean, sum2/n-mean*mean, tc.t, 2)
			if !near(rd.EstimateMax, tc.est) || !near(rd.Target, tc.tgt) || !near(rd.P, tc.p) {
				t.Errorf("estimateMax, target, p = %.10f, %.10f, %.10f; want %.10f, %.10f, %.10f",
					rd.EstimateMax, rd.Target, rd.P, tc.est, tc.tgt, tc.p)
			}
		})
	}
}

// TestAgentKBehaviour feeds AgentK the history of the first case above
// through Act: its reading must match, and it either accepts or re-offers
// the opponent's 0.9 bid (the only received bid above its target).
func TestAgentKBehaviour(t *testing.T) {
	_, p := ladderSpace(t, 0, 0.3, 0.6, 0.9, 1)
	accepted := 0
	for seed := range uint64(200) {
		a := anac.NewAgentK(anac.AgentKOptions{})
		if err := a.Init(context.Background(), session(p, seed, 10)); err != nil {
			t.Fatal(err)
		}
		act(t, a, turn{offers: []parley.Outcome{2}, t: 0.3}.state(10))
		got := act(t, a, turn{offers: []parley.Outcome{2, 3}, t: 0.9}.state(10))
		rd := a.Reading()
		if !near(rd.Mean, 0.75) || !near(rd.EstimateMax, 0.8799038105676658) || !near(rd.P, 0.1309428349725359) {
			t.Fatalf("reading %+v, want μ 0.75, estimateMax 0.8799038, p 0.1309428", rd)
		}
		switch {
		case got.Kind == parley.Accept:
			accepted++
		case got != parley.OfferOf(3):
			t.Fatalf("seed %d: %+v, want accept or re-offer of outcome 3", seed, got)
		}
	}
	// p = 0.131: about 26 of 200; a binomial 99.9% interval is 11..45.
	if accepted < 11 || accepted > 45 {
		t.Errorf("accepted %d of 200, want about 26 (p = 0.131)", accepted)
	}
}

// TestAgentKBidSearch: with nothing received above its target, AgentK
// draws random bids down from the best it can offer; it never offers a
// vetoed outcome or one below r(t).
func TestAgentKBidSearch(t *testing.T) {
	_, p := ladderSpace(t, percent()...)
	p.Reservation = 0.5
	p.Vetoes = []parley.ValueRef{{Issue: 0, Value: 100}, {Issue: 0, Value: 99}}
	for seed := range uint64(50) {
		a := anac.NewAgentK(anac.AgentKOptions{})
		if err := a.Init(context.Background(), session(p, seed, 10)); err != nil {
			t.Fatal(err)
		}
		// Opening: the bid target starts at the best allowed, 0.98, and
		// falls by 0.01 after every 501 failed draws.
		got := act(t, a, turn{t: 0}.state(10))
		if got.Kind != parley.Offer || got.Outcome >= 99 || got.Outcome < 95 || float64(got.Outcome)/100 < a.BidTarget()-1e-9 {
			t.Fatalf("seed %d: opening %+v with bid target %v, want an outcome from 95 to 98 worth the target", seed, got, a.BidTarget())
		}
		// A poor offer at t = 0.5: targets stay high; the bid is worth at
		// least the bid target, at least r, and is not vetoed.
		got = act(t, a, turn{offers: []parley.Outcome{20}, t: 0.5}.state(10))
		if got.Kind != parley.Offer || got.Outcome >= 99 || float64(got.Outcome)/100 < max(a.BidTarget(), 0.5)-1e-9 {
			t.Fatalf("seed %d: %+v with bid target %v", seed, got, a.BidTarget())
		}
	}
}
