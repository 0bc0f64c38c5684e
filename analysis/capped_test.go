package analysis

import (
	"math"
	"testing"

	"github.com/parley-dev/parley"
)

// capped is an Additive whose weights may sum to more than 1 and whose sum
// is capped at 1, as ufun.LinearAdditive and GENIUS compute it.
type capped struct{ linear }

func (u *capped) Utility(o parley.Outcome) float64 {
	s := 0.0
	for i, w := range u.w {
		s += w * u.e[i][u.space.ValueIndex(o, i)]
	}
	return min(s, 1)
}

// TestFrontierCapped: with weights summing to more than 1 the Minkowski
// method gives the frontier of the capped utilities.
//
// Party 1: W = (0.6, 0.5), E_A = (1, 0), E_B = (1, 0.9); party 2: W = (0.5,
// 0.5), E_A = (0, 1), E_B = (0.4, 0.6). Outcome o = 2a + b:
//
//	o  (a,b)  sum1  u1    u2
//	0  (0,0)  1.1   1     0.2   dominated by 1 once capped
//	1  (0,1)  1.05  1     0.3   frontier
//	2  (1,0)  0.5   0.5   0.7   frontier
//	3  (1,1)  0.45  0.45  0.8   frontier
func TestFrontierCapped(t *testing.T) {
	s := discrete(t, 2, 2)
	ufs := []parley.UtilityFunction{
		&capped{linear{space: s, w: []float64{0.6, 0.5}, e: [][]float64{{1, 0}, {1, 0.9}}}},
		&linear{space: s, w: []float64{0.5, 0.5}, e: [][]float64{{0, 1}, {0.4, 0.6}}},
	}
	got, m, err := frontier(s, ufs)
	if err != nil {
		t.Fatal(err)
	}
	if m != Minkowski {
		t.Errorf("method %q, want minkowski", m)
	}
	want := []Point{{1, []float64{1, 0.3}}, {2, []float64{0.5, 0.7}}, {3, []float64{0.45, 0.8}}}
	sameFrontier(t, got, want, 1e-12)
}

// TestFrontierCappedLarge: in a space of 10⁴ outcomes only one outcome sums
// above 1 (to 1.0000518, as the weights of ANAC 2011's Laptop profile do);
// the sampled check of the additive table does not meet it, and the
// frontier must still cap it at 1 and agree with enumeration.
func TestFrontierCappedLarge(t *testing.T) {
	s := discrete(t, 10, 10, 10, 10)
	// Party 1 likes value 5 of every issue best, so the outcome above 1 is
	// 5555, neither end of the space.
	up := make([]float64, 10)
	down := make([]float64, 10)
	for k := range up {
		up[k], down[k] = 1-math.Abs(float64(k-5))/9, float64(9-k)/9
	}
	ufs := []parley.UtilityFunction{
		&capped{linear{space: s, w: []float64{0.25, 0.25, 0.25, 0.2500518}, e: [][]float64{up, up, up, up}}},
		&linear{space: s, w: []float64{0.4, 0.3, 0.2, 0.1}, e: [][]float64{down, down, down, down}},
	}
	got, m, err := frontier(s, ufs)
	if err != nil {
		t.Fatal(err)
	}
	if m != Minkowski {
		t.Errorf("method %q, want minkowski", m)
	}
	for _, p := range got {
		if p.U[0] > 1 {
			t.Fatalf("frontier point %v above 1", p)
		}
	}
	want, err := FrontierOf(mustUtilities(t, s, ufs))
	if err != nil {
		t.Fatal(err)
	}
	sameVectors(t, got, want, 1e-12)
}
