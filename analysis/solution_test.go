package analysis

import (
	"math"
	"testing"

	"github.com/parley-dev/parley"
)

// front builds frontier points numbered by position.
func front(vecs ...[]float64) []Point {
	pts := make([]Point, len(vecs))
	for i, v := range vecs {
		pts[i] = Point{Outcome: parley.Outcome(i), U: v}
	}
	return pts
}

// TestSolutions checks the bargaining solutions against hand-computed
// answers; each case's comment shows the arithmetic.
func TestSolutions(t *testing.T) {
	for _, tc := range []struct {
		name       string
		front      []Point
		r          []float64
		nash, ks   parley.Outcome // NoOutcome: none (ok false)
		welfare    parley.Outcome
		opposition float64
	}{
		{
			// Nash products: 0, .8·.4 = .32, .5·.6 = .30, 0 → 1.
			// KS (ideal (1,1)): min gains 0, .4, .5, 0 → 2.
			// Welfare: 1, 1.2, 1.1, 1 → 1. Opposition: √(.04+.36) = √.4.
			name:  "nash and ks differ",
			front: front([]float64{1, 0}, []float64{0.8, 0.4}, []float64{0.5, 0.6}, []float64{0, 1}),
			r:     []float64{0, 0}, nash: 1, ks: 2, welfare: 1, opposition: math.Sqrt(0.4),
		},
		{
			// r = (0.3, 0): outcome 3 (u1 = 0) is irrational. Ideal over
			// 0..2 = (1, 0.6). Nash: 0, .5·.4 = .2, .2·.6 = .12 → 1.
			// KS: g = ((u1-.3)/.7, u2/.6): 0: min(1,0) = 0; 1: min(.714,.667)
			// = .667; 2: min(.286, 1) = .286 → 1.
			name:  "reservation values",
			front: front([]float64{1, 0}, []float64{0.8, 0.4}, []float64{0.5, 0.6}, []float64{0, 1}),
			r:     []float64{0.3, 0}, nash: 1, ks: 1, welfare: 1, opposition: math.Sqrt(0.4),
		},
		{
			// Nash products .8·.5 = .4 and .5·.8 = .4 tie, welfare 1.3 both:
			// the lower outcome wins. KS min .5 both: same. Welfare tie
			// (1.3) → lower outcome. Opposition √(.04+.25) = √.29.
			name:  "ties go to the lower outcome",
			front: front([]float64{0.8, 0.5}, []float64{0.5, 0.8}),
			r:     []float64{0, 0}, nash: 0, ks: 0, welfare: 0, opposition: math.Sqrt(0.29),
		},
		{
			// Products .4·1 = .4 and .8·.5 = .4 tie; welfare 1.4 > 1.3 →
			// 0. KS (ideal (.8, 1)): min(.5, 1) = .5 and min(1, .5) = .5
			// tie; welfare → 0. Opposition: √.36 and √(.04+.25) → √.29.
			name:  "ties go to the higher welfare",
			front: front([]float64{0.4, 1}, []float64{0.8, 0.5}),
			r:     []float64{0, 0}, nash: 0, ks: 0, welfare: 0, opposition: math.Sqrt(0.29),
		},
		{
			// Nobody reaches r = (.9, .9). Welfare ties at 1 → outcome 0.
			name:  "nothing rational",
			front: front([]float64{1, 0}, []float64{0.5, 0.5}, []float64{0, 1}),
			r:     []float64{0.9, 0.9}, nash: parley.NoOutcome, ks: parley.NoOutcome, welfare: 0, opposition: math.Sqrt(0.5),
		},
		{
			// u = r exactly on the only rational point: product 0 still
			// counts (u_i >= r_i), KS span 0 for both parties → g = 1.
			name:  "reservation reached exactly",
			front: front([]float64{1, 0}, []float64{0.6, 0.6}, []float64{0, 1}),
			r:     []float64{0.6, 0.6}, nash: 1, ks: 1, welfare: 1, opposition: math.Sqrt(0.32),
		},
		{
			// Three parties, r = 0. Products: 0, 0, 0, .027 → 3.
			// KS (ideal (1,1,1)): min gain 0, 0, 0, .3 → 3. Welfare: 1, 1,
			// 1, .9 → tie at 1 → outcome 0. Opposition: |(1,1,1) -
			// (.5,.5,0)| = √1.5; |(1,1,1) - (.3,.3,.3)| = √1.47 → √1.47.
			name: "three parties",
			front: front([]float64{0.5, 0.5, 0}, []float64{1, 0, 0}, []float64{0, 0, 1},
				[]float64{0.3, 0.3, 0.3}),
			r: nil, nash: 3, ks: 3, welfare: 0, opposition: math.Sqrt(1.47),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check := func(what string, p Point, ok bool, want parley.Outcome) {
				t.Helper()
				if want == parley.NoOutcome {
					if ok {
						t.Errorf("%s: got %v, want none", what, p)
					}
					return
				}
				if !ok || p.Outcome != want {
					t.Errorf("%s: got %v (ok %v), want outcome %d", what, p, ok, want)
				}
			}
			p, ok := Nash(tc.front, tc.r)
			check("Nash", p, ok, tc.nash)
			p, ok = KalaiSmorodinsky(tc.front, tc.r)
			check("KS", p, ok, tc.ks)
			p, ok = MaxWelfare(tc.front)
			check("MaxWelfare", p, ok, tc.welfare)
			if opp, ok := Opposition(tc.front); !ok || !near(opp, tc.opposition) {
				t.Errorf("opposition %v, want %v", opp, tc.opposition)
			}
		})
	}
}

func TestEmptyFrontier(t *testing.T) {
	if _, ok := Nash(nil, nil); ok {
		t.Error("Nash of nothing")
	}
	if _, ok := KalaiSmorodinsky(nil, nil); ok {
		t.Error("KS of nothing")
	}
	if _, ok := MaxWelfare(nil); ok {
		t.Error("MaxWelfare of nothing")
	}
	if _, ok := Opposition(nil); ok {
		t.Error("Opposition of nothing")
	}
	if _, ok := ParetoDistance(nil, []float64{1, 1}); ok {
		t.Error("ParetoDistance to nothing")
	}
	if _, ok := Ideal(nil, nil); ok {
		t.Error("Ideal of nothing")
	}
}

func TestRational(t *testing.T) {
	for _, tc := range []struct {
		u, r []float64
		want bool
	}{
		{[]float64{0.5, 0.5}, []float64{0.5, 0.5}, true},
		{[]float64{0.5 - 1e-13, 0.5}, []float64{0.5, 0.5}, true}, // within Eps
		{[]float64{0.5 - 1e-9, 0.5}, []float64{0.5, 0.5}, false},
		{[]float64{0.1, 0.2}, nil, true},
		{[]float64{0.1, 0.2}, []float64{0.1}, true}, // missing r counts as 0
	} {
		if got := Rational(tc.u, tc.r); got != tc.want {
			t.Errorf("Rational(%v, %v) = %v, want %v", tc.u, tc.r, got, tc.want)
		}
	}
}

func TestDistances(t *testing.T) {
	if d := Distance([]float64{0, 0}, []float64{0.3, 0.4}); !near(d, 0.5) {
		t.Errorf("Distance = %v, want 0.5", d)
	}
	f := front([]float64{1, 0}, []float64{0.6, 0.7}, []float64{0, 1})
	// (0.6, 0.3): 0.4 below (0.6, 0.7), √(.16+.09) = .5 from (1, 0).
	if d, ok := ParetoDistance(f, []float64{0.6, 0.3}); !ok || !near(d, 0.4) {
		t.Errorf("ParetoDistance = %v, want 0.4", d)
	}
	if d, _ := ParetoDistance(f, []float64{0.6, 0.7}); d != 0 {
		t.Errorf("ParetoDistance of a frontier point = %v, want 0", d)
	}
}
