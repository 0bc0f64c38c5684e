package parley_test

import (
	"math"
	"testing"

	"github.com/parley-dev/parley"
)

// TestWalks: the walk rule against hand-computed answers. Leaving at t is
// worth r(t); continuing max(r(end)·δ^(end−t), the prospect at its best
// time). Nobody leaves when continuing is worth at least as much.
func TestWalks(t *testing.T) {
	type pr = parley.Prospect
	for _, tc := range []struct {
		name              string
		res, drift, delta float64
		pr                pr
		at, end           float64
		wantValue         float64
		wantWalk          bool
	}{
		// No discounting, no drift: r(end) = r(t), so continuing is
		// always worth at least r(t), whatever one expects.
		{"no discounting, no drift", 0.5, 0, 1, pr{0, 0, 1}, 0.5, 1, 0.5, false},
		// Stuck offers worth 0.3, δ = 0.8: r(1)·0.8^0.5 = 0.4472 < 0.5.
		{"discounting, stuck offers", 0.5, 0, 0.8, pr{0.3, 0, 1}, 0.5, 1, 0.5 * math.Sqrt(0.8), true},
		// The best offer so far is worth r(t): taking it now is continuing.
		{"an acceptable offer so far", 0.5, 0, 0.8, pr{0.5, 0, 1}, 0.5, 1, 0.5, false},
		// Offers improve by 1 per unit time from 0.3 up to the ceiling 0.6,
		// reached after 0.3: worth 0.6·0.8^0.3 = 0.5610 (the unconstrained
		// peak, at −1/ln 0.8 − 0.3 = 4.18, lies beyond).
		{"improving to the ceiling", 0.5, 0, 0.8, pr{0.3, 1, 0.6}, 0.5, 1, 0.6 * math.Pow(0.8, 0.3), false},
		// Improving by 0.2 from 0.3 with δ = 0.5: (0.3 + 0.2x)·0.5^x falls
		// from x = 0 (its peak −1/ln 0.5 − 1.5 < 0), so 0.3, and r(1)·0.5
		// = 0.25: continuing is worth 0.3 < 0.5.
		{"improving too slowly", 0.5, 0, 0.5, pr{0.3, 0.2, 1}, 0, 1, 0.3, true},
		// An interior peak: (0.1 + x)·0.1^x peaks at x* = −1/ln 0.1 − 0.1
		// = 0.3343, worth (1/ln 10)·0.1^x*; r(1)·0.1 = 0.01.
		{"interior peak", 0.1, 0, 0.1, pr{0.1, 1, 1}, 0, 1, 1 / math.Ln10 * math.Pow(0.1, 1/math.Ln10-0.1), false},
		{"interior peak, higher r", 0.25, 0, 0.1, pr{0.1, 1, 1}, 0, 1, 1 / math.Ln10 * math.Pow(0.1, 1/math.Ln10-0.1), true},
		// War fatigue: r(0.5) = 0.45 > r(1) = 0.4 and offers stuck at 0.3:
		// take the outside option while it lasts.
		{"war fatigue, nothing better", 0.5, -0.1, 1, pr{0.3, 0, 1}, 0.5, 1, 0.4, true},
		// ... but an offer worth 0.45 is worth as much as leaving.
		{"war fatigue, as much offered", 0.5, -0.1, 1, pr{0.45, 0, 1}, 0.5, 1, 0.45, false},
		// Rising alternative: r(0.5) = 0.55, r(1) = 0.6: waiting pays.
		{"rising alternative", 0.5, 0.1, 1, pr{0, 0, 1}, 0.5, 1, 0.6, false},
		// At the deadline continuing is worth max(r(t), best) ≥ r(t).
		{"at the deadline", 0.5, 0, 0.1, pr{0, 0, 1}, 1, 1, 0.5, false},
		// A deadline before now counts as now.
		{"deadline passed", 0.5, 0, 0.5, pr{0.2, 0, 1}, 1, 0.8, 0.5, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &parley.Profile{Reservation: tc.res, Drift: tc.drift, Discount: tc.delta}
			if got := p.ContinueValue(tc.pr, tc.at, tc.end); math.Abs(got-tc.wantValue) > 1e-12 {
				t.Errorf("ContinueValue = %v, want %v", got, tc.wantValue)
			}
			if got := p.Walks(tc.pr, tc.at, tc.end); got != tc.wantWalk {
				t.Errorf("Walks = %v, want %v", got, tc.wantWalk)
			}
		})
	}
}

// TestProspectValue: Value is the maximum over the horizon of the
// discounted prospect, checked against a fine grid; and nobody leaves
// when continuing is worth more: Walks holds exactly when some time to
// take the prospect, or the deadline, is not worth r(t).
func TestProspectValue(t *testing.T) {
	grid := func(pr parley.Prospect, delta, h float64) float64 {
		best := 0.0
		for i := 0; i <= 20000; i++ {
			x := h * float64(i) / 20000
			best = max(best, min(pr.Best+pr.Rate*x, max(pr.Ceiling, pr.Best))*math.Pow(delta, x))
		}
		return best
	}
	for _, delta := range []float64{0.05, 0.3, 0.8, 1} {
		for _, b := range []float64{0, 0.2, 0.5} {
			for _, rate := range []float64{0, 0.3, 2, 10} {
				for _, c := range []float64{0.4, 1} {
					for _, h := range []float64{0, 0.3, 1} {
						pr := parley.Prospect{Best: b, Rate: rate, Ceiling: c}
						v, g := pr.Value(delta, h), grid(pr, delta, h)
						if v < g-1e-12 || v > g+1e-4 {
							t.Fatalf("%+v δ=%v horizon %v: Value %v, grid maximum %v", pr, delta, h, v, g)
						}
						for _, drift := range []float64{-0.3, 0, 0.2} {
							p := &parley.Profile{Reservation: 0.4, Drift: drift, Discount: delta}
							at := 1 - h
							worth := max(g, p.ReservationAt(1)*math.Pow(delta, h))
							if worth > p.ReservationAt(at)+1e-4 && p.Walks(pr, at, 1) {
								t.Fatalf("%+v δ=%v drift=%v t=%v: leaves although continuing is worth %v > r(t) = %v", pr, delta, drift, at, worth, p.ReservationAt(at))
							}
							if worth < p.ReservationAt(at)-1e-4 && !p.Walks(pr, at, 1) {
								t.Fatalf("%+v δ=%v drift=%v t=%v: stays although continuing is worth %v < r(t) = %v", pr, delta, drift, at, worth, p.ReservationAt(at))
							}
						}
					}
				}
			}
		}
	}
}

// TestOutlook: the prospect estimated from the offers seen.
func TestOutlook(t *testing.T) {
	type seen struct{ u, t float64 }
	for _, tc := range []struct {
		name   string
		offers []seen
		at     float64
		want   parley.Prospect
		ok     bool
	}{
		{"nothing seen", nil, 0.5, parley.Prospect{}, false},
		{"one offer", []seen{{0.3, 0.1}}, 0.5, parley.Prospect{}, false},
		{"two at one time", []seen{{0.3, 0.1}, {0.4, 0.1}}, 0.1, parley.Prospect{}, false},
		{"a hardliner", []seen{{0.2, 0.1}, {0.2, 0.3}}, 0.3, parley.Prospect{Best: 0.2, Ceiling: 0.9}, true},
		// (0.4 − 0.2)/(0.5 − 0.1) = 0.5 per unit time.
		{"a conceder", []seen{{0.2, 0.1}, {0.4, 0.5}}, 0.5, parley.Prospect{Best: 0.4, Rate: 0.5, Ceiling: 0.9}, true},
		// A worse offer after a better one keeps the best; the rate is
		// averaged over the time since the first: (0.6 − 0.2)/0.5.
		{"a step back", []seen{{0.2, 0}, {0.6, 0.2}, {0.3, 0.4}}, 0.5, parley.Prospect{Best: 0.6, Rate: 0.8, Ceiling: 0.9}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var o parley.Outlook
			for _, s := range tc.offers {
				o.See(s.u, s.t)
			}
			got, ok := o.Expect(tc.at, 0.9)
			if ok != tc.ok || math.Abs(got.Best-tc.want.Best) > 1e-12 || math.Abs(got.Rate-tc.want.Rate) > 1e-12 || (ok && got.Ceiling != 0.9) {
				t.Errorf("Expect = %+v, %v; want %+v, %v", got, ok, tc.want, tc.ok)
			}
			o.Reset()
			if _, ok := o.Expect(tc.at, 0.9); ok {
				t.Error("Reset kept the offers")
			}
		})
	}
}
