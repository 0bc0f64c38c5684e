package analysis

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/parley-dev/parley"
)

// handScenario is 2 issues, A (2 values) and B (3 values), so outcome
// o = 3a + b. Party 1: W = (0.6, 0.4), E_A = (1, 0), E_B = (1, 0.5, 0).
// Party 2: W = (0.3, 0.7), E_A = (0, 1), E_B = (0, 0.5, 1).
//
//	o  (a,b)  u1    u2
//	0  (0,0)  1.0   0.0   frontier
//	1  (0,1)  0.8   0.35  frontier
//	2  (0,2)  0.6   0.7   frontier
//	3  (1,0)  0.4   0.3   dominated by 1 and 2
//	4  (1,1)  0.2   0.65  dominated by 2
//	5  (1,2)  0.0   1.0   frontier
//
// With r = (0,0): Nash products 0, .28, .42, 0 → outcome 2; KS (ideal
// (1,1)) min gains 0, .35, .6, 0 → outcome 2; welfare 1, 1.15, 1.3, 1 →
// outcome 2 with 1.3; opposition = |(1,1)-(0.6,0.7)| = √(.16+.09) = 0.5.
func handScenario(tb testing.TB) (*parley.OutcomeSpace, []parley.UtilityFunction) {
	s := discrete(tb, 2, 3)
	u1 := &linear{space: s, w: []float64{0.6, 0.4}, e: [][]float64{{1, 0}, {1, 0.5, 0}}}
	u2 := &linear{space: s, w: []float64{0.3, 0.7}, e: [][]float64{{0, 1}, {0, 0.5, 1}}}
	return s, []parley.UtilityFunction{u1, u2}
}

func TestFrontierHand(t *testing.T) {
	s, ufs := handScenario(t)
	want := []Point{
		{0, []float64{1, 0}},
		{1, []float64{0.8, 0.35}},
		{2, []float64{0.6, 0.7}},
		{5, []float64{0, 1}},
	}
	plain := []parley.UtilityFunction{
		parley.UtilityFunc(ufs[0].Utility), parley.UtilityFunc(ufs[1].Utility),
	}
	tables := []parley.UtilityFunction{newTable(t, s, ufs[0]), newTable(t, s, ufs[1])}
	opaque := []parley.UtilityFunction{newTable(t, s, plain[0]), newTable(t, s, plain[1])}
	for _, tc := range []struct {
		name   string
		ufs    []parley.UtilityFunction
		method Method
	}{
		{"additive", ufs, Minkowski},
		{"table of additive", tables, Minkowski},
		{"plain functions", plain, Sweep},
		{"table of plain functions", opaque, Sweep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, m, err := frontier(s, tc.ufs)
			if err != nil {
				t.Fatal(err)
			}
			if m != tc.method {
				t.Errorf("method %q, want %q", m, tc.method)
			}
			sameFrontier(t, got, want, 1e-12)
		})
	}
	// A table exposing Values() is read, not called.
	if opaque[0].(*table).calls != 0 {
		t.Errorf("table Utility called %d times; Values() should be used", opaque[0].(*table).calls)
	}
}

// TestFrontierThreeHand: six outcomes, three parties.
//
//	o  u                 frontier?
//	0  (0.5, 0.5, 0)     yes
//	1  (1, 0, 0)         yes
//	2  (0, 1, 0)         yes
//	3  (0.2, 0.2, 0.2)   no: 4 dominates it
//	4  (0.3, 0.3, 0.3)   yes
//	5  (0, 0, 1)         yes
//	6  (0.5, 0.5, 0)     no: equal to 0, which has the lower index
func TestFrontierThreeHand(t *testing.T) {
	us := columns(
		[]float64{0.5, 0.5, 0}, []float64{1, 0, 0}, []float64{0, 1, 0},
		[]float64{0.2, 0.2, 0.2}, []float64{0.3, 0.3, 0.3}, []float64{0, 0, 1},
		[]float64{0.5, 0.5, 0},
	)
	got, err := FrontierOf(us)
	if err != nil {
		t.Fatal(err)
	}
	if o := outcomes(got); !slices.Equal(o, []parley.Outcome{1, 0, 4, 2, 5}) {
		t.Errorf("frontier outcomes %v, want [1 0 4 2 5]", o)
	}
	sameFrontier(t, got, brute(us), 0)
}

// TestFrontierOneParty: with one party the frontier is the best outcome;
// outcomes 1 and 3 tie at 0.9 and the lower index represents them.
func TestFrontierOneParty(t *testing.T) {
	s := discrete(t, 2, 2)
	u := []float64{0.2, 0.9, 0.5, 0.9}
	add := &linear{space: s, w: []float64{0.2, 0.8}, e: [][]float64{{0.5, 0.5}, {0.25, 1}}}
	for _, uf := range []parley.UtilityFunction{
		parley.UtilityFunc(func(o parley.Outcome) float64 { return u[o] }),
		add, // contributions .1/.1 and .2/.8: utilities .3, .9, .3, .9
	} {
		got, err := Frontier(s, []parley.UtilityFunction{uf})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Outcome != 1 || !near(got[0].U[0], 0.9) {
			t.Errorf("frontier %v, want outcome 1 at 0.9", got)
		}
	}
}

// TestOneULP: outcomes whose utilities differ by one ulp are the same
// vector. Without the tolerance an exact sweep keeps the wrong
// representative, keeps two points for one vector, or keeps a point that
// is really dominated (algorithms.md §1, floating-point pitfall).
func TestOneULP(t *testing.T) {
	up := func(x float64) float64 { return math.Nextafter(x, 2) }
	down := func(x float64) float64 { return math.Nextafter(x, -1) }
	for _, tc := range []struct {
		name string
		vecs [][]float64
		want []parley.Outcome
	}{
		// Exact: 1 dominates 0. Within Eps: equal, keep 0.
		{"ulp better in one coordinate", [][]float64{{0.3, 0.7}, {up(0.3), 0.7}}, []parley.Outcome{0}},
		// Exact: two frontier points for one vector.
		{"ulp trade-off", [][]float64{{0.6, 0.4}, {down(0.6), up(0.4)}}, []parley.Outcome{0}},
		{"ulp trade-off, lower index second in sort", [][]float64{{down(0.6), up(0.4)}, {0.6, 0.4}}, []parley.Outcome{0}},
		// Exact: both on the frontier. Within Eps: 1 dominates 0.
		{"spurious point", [][]float64{{0.5, 0.3}, {down(0.5), 0.7}}, []parley.Outcome{1}},
		// 0.1+0.2 = 0.30000000000000004 ≠ 0.3 in float64.
		{"sum order", [][]float64{{0.1 + 0.2, 0.5}, {0.3, 0.5}}, []parley.Outcome{0}},
		{"sum order, lower index smaller", [][]float64{{0.3, 0.5}, {0.1 + 0.2, 0.5}}, []parley.Outcome{0}},
		{"duplicate", [][]float64{{0.2, 0.9}, {0.9, 0.2}, {0.2, 0.9}}, []parley.Outcome{1, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for d := 2; d <= 3; d++ {
				vecs := make([][]float64, len(tc.vecs))
				for i, v := range tc.vecs {
					vecs[i] = append(slices.Clone(v), 0.25)[:d]
				}
				got, err := FrontierOf(columns(vecs...))
				if err != nil {
					t.Fatal(err)
				}
				if o := outcomes(got); !slices.Equal(o, tc.want) {
					t.Errorf("%d parties: frontier outcomes %v, want %v", d, o, tc.want)
				}
			}
		})
	}
}

// TestSkylineLateDominator: with the tolerance a point may be dominated by
// one of smaller sum, which SFS meets later: outcome 1 dominates outcome 0
// (better by 1.5e-12 > Eps in u1, worse by only 0.9e-12 < Eps elsewhere)
// although its sum is lower by 0.3e-12. The window must drop outcome 0.
func TestSkylineLateDominator(t *testing.T) {
	us := columns(
		[]float64{0.5, 0.5, 0.5},
		[]float64{0.5 + 1.5e-12, 0.5 - 0.9e-12, 0.5 - 0.9e-12},
		[]float64{0.9, 0.1, 0.1},
	)
	got, err := FrontierOf(us)
	if err != nil {
		t.Fatal(err)
	}
	if o := outcomes(got); !slices.Equal(o, []parley.Outcome{2, 1}) {
		t.Errorf("frontier outcomes %v, want [2 1]", o)
	}
	sameFrontier(t, got, brute(us), 0)
}

// TestSkylineLateDominatorFiltered: the same three points inside a cloud of
// opposed points, so that they go through filter3 and nearTies.
func TestSkylineLateDominatorFiltered(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	vecs := [][]float64{
		{0.5, 0.5, 0.5},
		{0.5 + 1.5e-12, 0.5 - 0.9e-12, 0.5 - 0.9e-12},
	}
	for range 500 {
		x, y := r.Float64(), r.Float64()
		vecs = append(vecs, []float64{x, y, 0.6 - (x+y)/2 - 0.1*r.Float64()})
	}
	us := columns(vecs...)
	got, err := FrontierOf(us)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(outcomes(got), 0) || !slices.Contains(outcomes(got), 1) {
		t.Errorf("frontier %v should hold outcome 1, not 0", outcomes(got))
	}
	sameFrontier(t, got, brute(us), 0)
}

// opposedCloud draws n three-party vectors near the plane u0+u1+u2 = 1.5,
// so that a large share is on the frontier, with values of the given kind
// (see randomCloud).
func opposedCloud(r *rand.Rand, n, kind int) [][]float64 {
	us := randomCloud(r, n, 3, kind)
	for o := range n {
		z := 1.5 - us[0][o] - us[1][o]
		if kind > 0 {
			z = math.Round(z*10) / 10
		}
		if kind == 2 && r.IntN(2) == 0 {
			z = math.Nextafter(z, 2)
		}
		us[2][o] = z - 0.1*float64(r.IntN(2))
	}
	return us
}

// TestSkylineFilters checks the three-party filters (filter3, nearTies)
// against the plain window pass on large opposed clouds, and against the
// O(n²) reference on smaller ones.
func TestSkylineFilters(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	tol := []float64{parley.Eps, parley.Eps, parley.Eps}
	for kind := range 3 {
		us := opposedCloud(r, 5000, kind)
		all := make([]int, 5000)
		for i := range all {
			all[i] = i
		}
		got := points(us, nil, skylineIDs(us, nil, tol))
		want := points(us, nil, window(us, nil, all, tol))
		sameFrontier(t, got, want, 0)
		if len(got) < 100 {
			t.Errorf("kind %d: frontier of %d points: cloud not opposed enough", kind, len(got))
		}
		small := opposedCloud(r, 800, kind)
		front, err := FrontierOf(small)
		if err != nil {
			t.Fatal(err)
		}
		sameFrontier(t, front, brute(small), 0)
	}
}

// TestOneULPFiltered puts one-ulp ties on top of a cloud large enough to go
// through the bucket and elimination filters.
func TestOneULPFiltered(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for d := 2; d <= 3; d++ {
		var vecs [][]float64
		for range 6000 {
			v := make([]float64, d)
			for a := range v {
				v[a] = 0.5 * r.Float64()
			}
			vecs = append(vecs, v)
		}
		top := []float64{0.9, 0.95, 0.9}[:d]
		tie := slices.Clone(top)
		tie[0] = math.Nextafter(tie[0], 2)
		vecs = append(vecs, tie, top) // outcomes 6000 and 6001
		us := columns(vecs...)
		got, err := FrontierOf(us)
		if err != nil {
			t.Fatal(err)
		}
		if o := outcomes(got); !slices.Equal(o, []parley.Outcome{6000}) {
			t.Errorf("%d parties: frontier %v, want [6000]", d, o)
		}
	}
}

// randomCloud draws n utility vectors for d parties: continuous, on a 1/10
// grid (exact ties), or on the grid with a few ulps of noise.
func randomCloud(r *rand.Rand, n, d, kind int) [][]float64 {
	us := make([][]float64, d)
	for a := range us {
		us[a] = make([]float64, n)
		for o := range n {
			switch kind {
			case 0:
				us[a][o] = r.Float64()
			case 1:
				us[a][o] = float64(r.IntN(11)) / 10
			default:
				x := float64(r.IntN(11)) / 10
				for range r.IntN(4) {
					x = math.Nextafter(x, float64(r.IntN(2)))
				}
				us[a][o] = x
			}
		}
	}
	return us
}

// TestFrontierVsBrute checks the sweep (2 parties) and SFS (3, 4 parties)
// against the O(n²) reference on random clouds.
func TestFrontierVsBrute(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for trial := range 300 {
		d := 2 + trial%3
		n := 1 + r.IntN(200)
		kind := r.IntN(3)
		us := randomCloud(r, n, d, kind)
		got, err := FrontierOf(us)
		if err != nil {
			t.Fatal(err)
		}
		want := brute(us)
		sameFrontier(t, got, want, 0)
	}
}

// TestFrontierVsBruteLarge does the same above the filter thresholds.
func TestFrontierVsBruteLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("O(n²) reference on 5000 points")
	}
	r := rand.New(rand.NewPCG(3, 5))
	for _, d := range []int{2, 3} {
		for kind := range 3 {
			us := randomCloud(r, 5000, d, kind)
			got, err := FrontierOf(us)
			if err != nil {
				t.Fatal(err)
			}
			sameFrontier(t, got, brute(us), 0)
		}
	}
}

// TestSweepVsSkyline cross-checks the two algorithms on two-party clouds
// too large for the reference, including an anti-correlated one where
// every point is near the frontier.
func TestSweepVsSkyline(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 17))
	tol := []float64{parley.Eps, parley.Eps}
	for kind := range 4 {
		var us [][]float64
		if kind < 3 {
			us = randomCloud(r, 100_000, 2, kind)
		} else {
			us = [][]float64{make([]float64, 20_000), make([]float64, 20_000)}
			for o := range us[0] {
				x := r.Float64()
				us[0][o], us[1][o] = x, 1-x-0.01*r.Float64()
			}
		}
		a := points(us, nil, paretoIDs(us, nil, tol))
		b := points(us, nil, skylineIDs(us, nil, tol))
		sameFrontier(t, a, b, 0)
	}
}

// TestMinkowskiVsEnumeration is the property test of the Minkowski-sum
// method: on random additive scenarios (2 and 3 parties, with and without
// an agreement bonus, with continuous and grid evaluations) it must give
// the frontier that enumeration gives.
func TestMinkowskiVsEnumeration(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 1))
	for trial := range 400 {
		d := 2 + trial%2
		m := 1 + r.IntN(5)
		sizes := make([]int, m)
		for i := range sizes {
			sizes[i] = 1 + r.IntN(5)
		}
		s := discrete(t, sizes...)
		grid := r.IntN(2) == 0
		ufs := make([]parley.UtilityFunction, d)
		for a := range ufs {
			bonus := 0.0
			if r.IntN(2) == 0 {
				bonus = 0.5 * r.Float64()
			}
			ufs[a] = randomAdditive(r, s, grid, bonus)
		}
		got, method, err := frontier(s, ufs)
		if err != nil {
			t.Fatal(err)
		}
		if method != Minkowski {
			t.Fatalf("method %q, want minkowski", method)
		}
		us, err := Utilities(s, ufs)
		if err != nil {
			t.Fatal(err)
		}
		want, err := FrontierOf(us)
		if err != nil {
			t.Fatal(err)
		}
		sameVectors(t, got, want, 1e-9)
		sameFrontier(t, got, want, 0)
		sameFrontier(t, want, brute(us), 0)
	}
}

// TestMinkowskiBonusTolerance: the bonus transform U = B + (1-B)·s halves
// differences for B = 0.5, so raw sums 1.5e-12 apart (distinct under Eps)
// become 0.75e-12 apart (equal under Eps). Enumeration sees one vector,
// represented by outcome 0; the Minkowski method must agree.
func TestMinkowskiBonusTolerance(t *testing.T) {
	s := discrete(t, 2)
	ufs := []parley.UtilityFunction{
		&linear{space: s, w: []float64{1}, e: [][]float64{{0.5, 0.5 + 1.5e-12}}, bonus: 0.5},
		&linear{space: s, w: []float64{1}, e: [][]float64{{0.5, 0.5}}},
	}
	got, m, err := frontier(s, ufs)
	if err != nil || m != Minkowski {
		t.Fatalf("method %q, error %v", m, err)
	}
	want, err := FrontierOf(mustUtilities(t, s, ufs))
	if err != nil {
		t.Fatal(err)
	}
	if o := outcomes(want); !slices.Equal(o, []parley.Outcome{0}) {
		t.Fatalf("enumeration gives %v, want [0]", o)
	}
	sameFrontier(t, got, want, 0)
}

// TestMinkowskiHuge: 25 issues of 5 values (3·10^17 outcomes) cannot be
// enumerated; the Minkowski method still gives a frontier whose points are
// real outcomes with their true utilities and do not dominate each other.
func TestMinkowskiHuge(t *testing.T) {
	sizes := make([]int, 25)
	for i := range sizes {
		sizes[i] = 5
	}
	s := discrete(t, sizes...)
	if s.Enumerable() {
		t.Fatal("space should not be enumerable")
	}
	r := rand.New(rand.NewPCG(5, 5))
	ufs := []parley.UtilityFunction{randomAdditive(r, s, false, 0), randomAdditive(r, s, false, 0.1)}
	got, m, err := frontier(s, ufs)
	if err != nil {
		t.Fatal(err)
	}
	if m != Minkowski || len(got) < 2 {
		t.Fatalf("method %q, %d points", m, len(got))
	}
	cols := make([][]float64, 2)
	for _, p := range got {
		for a, uf := range ufs {
			if u := uf.Utility(p.Outcome); u != p.U[a] {
				t.Fatalf("outcome %d: party %d utility %v, frontier says %v", p.Outcome, a+1, u, p.U[a])
			}
			cols[a] = append(cols[a], p.U[a])
		}
	}
	for i := range got {
		for j := range got {
			if dom, eq := relation(cols, i, j, []float64{parley.Eps, parley.Eps}); i != j && (dom || eq) {
				t.Fatalf("frontier point %v dominates or equals %v", got[i], got[j])
			}
		}
	}
	// Not additive and not enumerable: ErrTooLarge.
	plain := []parley.UtilityFunction{parley.UtilityFunc(ufs[0].Utility), ufs[1]}
	if _, err := Frontier(s, plain); !errors.Is(err, parley.ErrTooLarge) {
		t.Errorf("error %v, want one wrapping parley.ErrTooLarge", err)
	}
	if _, err := Utilities(s, plain); !errors.Is(err, parley.ErrTooLarge) {
		t.Errorf("Utilities error %v, want one wrapping parley.ErrTooLarge", err)
	}
}

// scaled embeds an additive function (so it has Contribution and
// AgreementBonus) but changes its utility, as a discounting wrapper would.
type scaled struct{ *linear }

func (u scaled) Utility(o parley.Outcome) float64 { return 0.9 * u.linear.Utility(o) }

// wrongSpace claims to be additive but panics on the issues of the space.
type wrongSpace struct{ parley.UtilityFunc }

func (wrongSpace) Contribution(i, k int) float64 { return []float64{0.5}[i+k] }
func (wrongSpace) AgreementBonus() float64       { return 0 }

// TestNotReallyAdditive: functions that only look additive are enumerated.
func TestNotReallyAdditive(t *testing.T) {
	s, ufs := handScenario(t)
	want, err := FrontierOf(mustUtilities(t, s, ufs))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		uf   parley.UtilityFunction
	}{
		{"scaled", scaled{ufs[0].(*linear)}},
		{"wrong space", wrongSpace{parley.UtilityFunc(ufs[0].Utility)}},
		{"bad bonus", &linear{space: s, w: []float64{0.6, 0.4}, e: [][]float64{{1, 0}, {1, 0.5, 0}}, bonus: 1}},
		{"table without source", &table{u: mustUtilities(t, s, ufs)[0]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, m, err := frontier(s, []parley.UtilityFunction{tc.uf, ufs[1]})
			if err != nil {
				t.Fatal(err)
			}
			if m != Sweep {
				t.Errorf("method %q, want sweep", m)
			}
			if tc.name == "scaled" || tc.name == "bad bonus" {
				return // another frontier; only the method matters
			}
			sameFrontier(t, got, want, 0)
		})
	}
}

func mustUtilities(tb testing.TB, s *parley.OutcomeSpace, ufs []parley.UtilityFunction) [][]float64 {
	tb.Helper()
	us, err := Utilities(s, ufs)
	if err != nil {
		tb.Fatal(err)
	}
	return us
}

func TestFrontierErrors(t *testing.T) {
	s, ufs := handScenario(t)
	for _, tc := range []struct {
		name  string
		space *parley.OutcomeSpace
		ufs   []parley.UtilityFunction
	}{
		{"no space", nil, ufs},
		{"no functions", s, nil},
		{"nil function", s, []parley.UtilityFunction{ufs[0], nil}},
		{"NaN utility", s, []parley.UtilityFunction{ufs[0], parley.UtilityFunc(func(parley.Outcome) float64 { return math.NaN() })}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Frontier(tc.space, tc.ufs); err == nil {
				t.Error("no error")
			}
		})
	}
	for _, us := range [][][]float64{nil, {{1, 2}, {1}}, {{1, math.Inf(1)}}} {
		if _, err := FrontierOf(us); err == nil {
			t.Errorf("FrontierOf(%v): no error", us)
		}
	}
}

// TestZeroSumOpposition: a linear zero-sum domain (u2 = 1 - u1 on 101
// points) has every outcome on the frontier and opposition √2/2 ≈ 0.7071,
// the distance from (1,1) to (0.5,0.5) (algorithms.md §3).
func TestZeroSumOpposition(t *testing.T) {
	s, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "share", Kind: parley.Integer, Min: 0, Max: 100}})
	if err != nil {
		t.Fatal(err)
	}
	add := []parley.UtilityFunction{
		&linear{space: s, w: []float64{1}, e: [][]float64{linspace(101, false)}},
		&linear{space: s, w: []float64{1}, e: [][]float64{linspace(101, true)}},
	}
	plain := []parley.UtilityFunction{parley.UtilityFunc(add[0].Utility), parley.UtilityFunc(add[1].Utility)}
	for _, ufs := range [][]parley.UtilityFunction{add, plain} {
		front, err := Frontier(s, ufs)
		if err != nil {
			t.Fatal(err)
		}
		if len(front) != 101 {
			t.Errorf("frontier has %d points, want 101", len(front))
		}
		opp, ok := Opposition(front)
		if !ok || math.Abs(opp-math.Sqrt2/2) > 1e-9 {
			t.Errorf("opposition %v, want %v", opp, math.Sqrt2/2)
		}
		if math.Abs(opp-0.7071) > 1e-4 {
			t.Errorf("opposition %v, want about 0.7071", opp)
		}
	}
}

func linspace(n int, reverse bool) []float64 {
	v := make([]float64, n)
	for k := range v {
		v[k] = float64(k) / float64(n-1)
		if reverse {
			v[k] = float64(n-1-k) / float64(n-1)
		}
	}
	return v
}

// exponential is a two-party domain of m two-valued issues where every
// outcome is on the frontier: party 1 wants value 1 everywhere, party 2
// value 0, with weights 2^i so that all sums differ.
func exponential(t *testing.T, m int) (*parley.OutcomeSpace, []parley.UtilityFunction) {
	sizes := make([]int, m)
	w := make([]float64, m)
	sum := 0.0
	for i := range sizes {
		sizes[i] = 2
		w[i] = math.Ldexp(1, i%50)
		sum += w[i]
	}
	e1 := make([][]float64, m)
	e2 := make([][]float64, m)
	for i := range w {
		w[i] /= sum
		e1[i], e2[i] = []float64{0, 1}, []float64{1, 0}
	}
	s := discrete(t, sizes...)
	return s, []parley.UtilityFunction{&linear{space: s, w: w, e: e1}, &linear{space: s, w: w, e: e2}}
}

// TestMinkowskiCandidateLimit: past the candidate limit the Minkowski
// method gives up: enumeration takes over on an enumerable space, and a
// huge one fails with ErrTooLarge.
func TestMinkowskiCandidateLimit(t *testing.T) {
	defer func(n int) { maxCandidates = n }(maxCandidates)
	maxCandidates = 100
	s, ufs := exponential(t, 10)
	got, m, err := frontier(s, ufs)
	if err != nil {
		t.Fatal(err)
	}
	if m != Sweep || len(got) != 1024 {
		t.Errorf("method %q, %d points; want sweep, 1024", m, len(got))
	}
	s, ufs = exponential(t, 60)
	if _, err := Frontier(s, ufs); !errors.Is(err, parley.ErrTooLarge) {
		t.Errorf("error %v, want one wrapping parley.ErrTooLarge", err)
	}
}
