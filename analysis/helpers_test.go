package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parley-dev/parley"
)

// linear is a test linear-additive utility function, computed in the same
// order as ufun.LinearAdditive: U = B + (1-B)·Σ_i W[i]·E[i][o_i].
type linear struct {
	space *parley.OutcomeSpace
	w     []float64
	e     [][]float64
	bonus float64
}

func (u *linear) Utility(o parley.Outcome) float64 {
	s := 0.0
	for i, w := range u.w {
		s += w * u.e[i][u.space.ValueIndex(o, i)]
	}
	if u.bonus != 0 {
		return u.bonus + (1-u.bonus)*s
	}
	return s
}

func (u *linear) Contribution(i, k int) float64 { return u.w[i] * u.e[i][k] }
func (u *linear) AgreementBonus() float64       { return u.bonus }

var _ parley.Additive = (*linear)(nil)

// table is a test stand-in for ufun.Table: precomputed values and the
// function they came from. calls counts Utility calls.
type table struct {
	u     []float64
	src   parley.UtilityFunction
	calls int
}

func (t *table) Utility(o parley.Outcome) float64 { t.calls++; return t.u[o] }
func (t *table) Source() parley.UtilityFunction   { return t.src }
func (t *table) Values() []float64                { return t.u }

func newTable(tb testing.TB, space *parley.OutcomeSpace, f parley.UtilityFunction) *table {
	tb.Helper()
	u := make([]float64, space.Size())
	for o := range u {
		u[o] = f.Utility(parley.Outcome(o))
	}
	return &table{u: u, src: f}
}

// discrete returns a space of discrete issues with the given sizes.
func discrete(tb testing.TB, sizes ...int) *parley.OutcomeSpace {
	tb.Helper()
	issues := make([]parley.Issue, len(sizes))
	for i, n := range sizes {
		vals := make([]string, n)
		for k := range vals {
			vals[k] = fmt.Sprintf("v%d", k)
		}
		issues[i] = parley.Issue{Name: fmt.Sprintf("i%d", i), Values: vals}
	}
	s, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// randomAdditive draws weights (summing to 1) and evaluations; grid
// evaluations are multiples of 1/4, to create exact and one-ulp ties.
func randomAdditive(r *rand.Rand, space *parley.OutcomeSpace, grid bool, bonus float64) *linear {
	m := len(space.Issues)
	w := make([]float64, m)
	sum := 0.0
	for i := range w {
		if grid {
			w[i] = float64(1 + r.IntN(4))
		} else {
			w[i] = r.Float64() + 0.01
		}
		sum += w[i]
	}
	e := make([][]float64, m)
	for i := range w {
		w[i] /= sum
		e[i] = make([]float64, space.Issues[i].Size())
		for k := range e[i] {
			if grid {
				e[i][k] = float64(r.IntN(5)) / 4
			} else {
				e[i][k] = r.Float64()
			}
		}
	}
	return &linear{space: space, w: w, e: e, bonus: bonus}
}

// brute is the O(n²) reference frontier straight from the definitions in
// the package comment: p is kept when no outcome dominates it and no
// lower-index undominated outcome equals it.
func brute(us [][]float64) []Point {
	n := len(us[0])
	dom := func(a, b int) (dominates, equal bool) {
		strict := false
		for _, u := range us {
			if u[a] < u[b]-parley.Eps {
				return false, false
			}
			if u[a] > u[b]+parley.Eps {
				strict = true
			}
		}
		return strict, !strict
	}
	undominated := make([]bool, n)
	for p := range n {
		undominated[p] = true
		for q := range n {
			if d, _ := dom(q, p); d {
				undominated[p] = false
				break
			}
		}
	}
	var ids []int
	for p := range n {
		if !undominated[p] {
			continue
		}
		rep := true
		for q := range p {
			if _, eq := dom(q, p); eq && undominated[q] {
				rep = false
				break
			}
		}
		if rep {
			ids = append(ids, p)
		}
	}
	return points(us, nil, ids)
}

// sameFrontier fails unless got and want hold the same outcomes with
// utility vectors within tol, in the same order.
func sameFrontier(tb testing.TB, got, want []Point, tol float64) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("frontier has %d points, want %d\n got %v\nwant %v", len(got), len(want), got, want)
	}
	for j := range got {
		if got[j].Outcome != want[j].Outcome {
			tb.Fatalf("point %d: outcome %d, want %d\n got %v\nwant %v", j, got[j].Outcome, want[j].Outcome, got, want)
		}
		for a := range got[j].U {
			if math.Abs(got[j].U[a]-want[j].U[a]) > tol {
				tb.Fatalf("point %d: utilities %v, want %v", j, got[j].U, want[j].U)
			}
		}
	}
}

// sameVectors fails unless got and want hold the same utility vectors
// within tol (outcomes may differ).
func sameVectors(tb testing.TB, got, want []Point, tol float64) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("frontier has %d points, want %d\n got %v\nwant %v", len(got), len(want), got, want)
	}
	for j := range got {
		for a := range got[j].U {
			if math.Abs(got[j].U[a]-want[j].U[a]) > tol {
				tb.Fatalf("point %d: utilities %v, want %v", j, got[j].U, want[j].U)
			}
		}
	}
}

// outcomes lists the outcomes of a frontier.
func outcomes(pts []Point) []parley.Outcome {
	o := make([]parley.Outcome, len(pts))
	for j, p := range pts {
		o[j] = p.Outcome
	}
	return o
}

// columns turns per-outcome vectors into per-party columns.
func columns(vecs ...[]float64) [][]float64 {
	d := len(vecs[0])
	us := make([][]float64, d)
	for _, v := range vecs {
		for a := range d {
			us[a] = append(us[a], v[a])
		}
	}
	return us
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9 }

func nearVec(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !near(a[i], b[i]) {
			return false
		}
	}
	return true
}
