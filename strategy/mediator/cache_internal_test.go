package mediator

import (
	"context"
	"maps"
	"math/rand/v2"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/internal/additive"
	"github.com/parley-dev/parley/parleytest"
)

// TestPlanCache: seekers from one factory share the plan of the same
// declared profiles (by value: the same prepared utilities, reservation
// values and red lines, whichever copies hold them), and a changed
// reservation value or red line (a sweep), or a utility that is not one of
// ufun's immutable types (noise, a func), gets a plan of its own.
func TestPlanCache(t *testing.T) {
	_, ps := parleytest.Synthetic(t, 2, 3, 4, 3)
	f, err := ParseMediator("nash")
	if err != nil {
		t.Fatal(err)
	}
	planOf := func(declared []*parley.Profile) *plan {
		m := f().(*Seeker)
		s := &parley.Session{Party: -1, Names: []string{"a", "b"}, Declared: declared,
			Profile: &parley.Profile{Space: ps[0].Space, Utility: ps[0].Utility}}
		if err := m.Init(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		return m.plan
	}
	a, b := planOf(ps), planOf(ps)
	if a != b {
		t.Error("same declared profiles, two plans")
	}
	copied := []*parley.Profile{ps[0], new(parley.Profile)}
	*copied[1] = *ps[1]
	if d := planOf(copied); d != a {
		t.Error("copies of the same declared profiles got a new plan")
	}
	copied[1].Reservation = 0.4
	if c := planOf(copied); c == a {
		t.Error("a changed reservation value kept the old plan")
	}
	copied[1].Reservation = ps[1].Reservation
	copied[1].Vetoes = []parley.ValueRef{{Issue: 0, Value: 1}}
	withLine := planOf(copied)
	if withLine == a {
		t.Error("a new red line kept the old plan")
	}
	// The cache keeps its own copy of the key: a red line changed in place
	// afterwards does not find the old plan.
	copied[1].Vetoes[0].Value = 2
	if c := planOf(copied); c == withLine || c == a {
		t.Error("a red line changed in place kept the old plan")
	}
	// A utility function that is not one of ufun's immutable types (a func,
	// a noisy declaration) is never shared.
	fn := []*parley.Profile{ps[0], {Space: ps[0].Space, Utility: parley.UtilityFunc(func(parley.Outcome) float64 { return 0.5 })}}
	if planOf(fn) == planOf(fn) {
		t.Error("a func utility matched itself")
	}
	var c planCache
	for i := range 2 * planCacheSize {
		q := []*parley.Profile{ps[0], new(parley.Profile)}
		*q[1] = *ps[1]
		q[1].Reservation = float64(i) / 100
		k, ok := newPlanKey(nil, SeekerOptions{}, q, nil, nil, nil)
		if !ok {
			t.Fatal("prepared profiles not keyed")
		}
		c.add(k.clone(), &plan{})
	}
	if len(c.entries) != planCacheSize {
		t.Errorf("%d entries, want at most %d", len(c.entries), planCacheSize)
	}
}

// TestSkyline3 compares the staircase skyline with analysis.FrontierOf on
// random points without ties, and on a grid with many exact ties.
func TestSkyline3(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 40 {
		n := 1 + r.IntN(3000)
		us := [][]float64{make([]float64, n), make([]float64, n), make([]float64, n)}
		ids := make([]parley.Outcome, n)
		for j := range n {
			ids[j] = parley.Outcome(3 * j)
			for a := range us {
				if trial%2 == 0 {
					us[a][j] = r.Float64()
				} else {
					us[a][j] = float64(r.IntN(6)) / 5
				}
			}
		}
		want, err := analysis.FrontierOf(us)
		if err != nil {
			t.Fatal(err)
		}
		got := skyline3(ids, us)
		key := func(ps []analysis.Point, scale parley.Outcome) map[parley.Outcome]bool {
			m := map[parley.Outcome]bool{}
			for _, p := range ps {
				m[p.Outcome*scale] = true
			}
			return m
		}
		if g, w := key(got, 1), key(want, 3); !maps.Equal(g, w) {
			t.Fatalf("trial %d (%d points): %d skyline points, FrontierOf %d", trial, n, len(g), len(w))
		}
	}
}

// TestRationalFrontier: the pruned enumeration behind the biased mediator
// finds the individually rational part of analysis.Frontier (with banned
// values pushed out), up to near-ties.
func TestRationalFrontier(t *testing.T) {
	for seed := range uint64(10) {
		space, ps := parleytest.Synthetic(t, seed, 4, 3, 5, 3, 4)
		_, third := parleytest.Synthetic(t, seed+100, 4, 3, 5, 3, 4)
		// The third profile is over another space with the same issues:
		// rebuild it over ps's space from its contributions.
		own := additiveOver(t, space, third[0].Utility)
		ufs := []parley.UtilityFunction{ps[0].Utility, ps[1].Utility, own}
		bans := [][]parley.ValueRef{{{Issue: 2, Value: int(seed % 5)}}, {{Issue: 0, Value: 1}}, nil}
		r := []float64{0.35, 0.3}
		got, ok, err := rationalFrontier(space, ufs, bans, r)
		if !ok || err != nil {
			t.Fatalf("seed %d: ok %v, %v", seed, ok, err)
		}
		pen := make([]parley.UtilityFunction, 3)
		for a := range pen {
			pen[a] = penalize(space, ufs[a], bans[a])
		}
		all, err := analysis.Frontier(space, pen)
		if err != nil {
			t.Fatal(err)
		}
		var want []analysis.Point
		for _, p := range all {
			if analysis.Rational(p.U[:2], r) {
				want = append(want, p)
			}
		}
		covered := func(p analysis.Point, in []analysis.Point) bool {
			for _, q := range in {
				if q.U[0] >= p.U[0]-1e-9 && q.U[1] >= p.U[1]-1e-9 && q.U[2] >= p.U[2]-1e-9 {
					return true
				}
			}
			return false
		}
		for _, p := range want {
			if !covered(p, got) {
				t.Errorf("seed %d: %v %v missing", seed, p.Outcome, p.U)
			}
		}
		for _, p := range got {
			if !covered(p, want) {
				t.Errorf("seed %d: %v %v extra", seed, p.Outcome, p.U)
			}
			for a := range 3 {
				if u := ufs[a].Utility(p.Outcome); u != p.U[a] {
					t.Errorf("seed %d: outcome %d column %d: %v, utility %v", seed, p.Outcome, a, p.U[a], u)
				}
			}
		}
	}
}

// additiveOver returns the linear-additive function behind uf (a table
// over another space with the same issues) as a function over space.
func additiveOver(t *testing.T, space *parley.OutcomeSpace, uf parley.UtilityFunction) parley.UtilityFunction {
	t.Helper()
	tab, bonus, ok := additive.Of(space, uf)
	if !ok {
		t.Fatal("not additive")
	}
	return additive.New(space, tab, bonus)
}
