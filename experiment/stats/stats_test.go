package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestWilson checks the Wilson score interval against Newcombe (1998),
// Table II, method 3 (score interval without continuity correction), to
// the four decimals published there.
func TestWilson(t *testing.T) {
	for _, c := range []struct {
		k, n   int
		lo, hi float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{1, 29, 0.0061, 0.1718},
		// k = n mirrors k = 0.
		{20, 20, 1 - 0.1611, 1},
	} {
		ci, err := Wilson(c.k, c.n, Level95)
		if err != nil {
			t.Fatal(err)
		}
		if !near(ci.Low, c.lo, 5e-5) || !near(ci.High, c.hi, 5e-5) {
			t.Errorf("Wilson(%d, %d) = [%.5f, %.5f], want [%.4f, %.4f]", c.k, c.n, ci.Low, ci.High, c.lo, c.hi)
		}
	}
	if ci, _ := Wilson(0, 20, Level95); ci.Low != 0 {
		t.Errorf("Wilson(0, 20).Low = %v, want exactly 0", ci.Low)
	}
	if ci, _ := Wilson(20, 20, Level95); ci.High != 1 {
		t.Errorf("Wilson(20, 20).High = %v, want exactly 1", ci.High)
	}
	for _, c := range []struct {
		k, n  int
		level float64
	}{{0, 0, 0.95}, {3, 2, 0.95}, {-1, 2, 0.95}, {1, 2, 1}, {1, 2, math.NaN()}} {
		if _, err := Wilson(c.k, c.n, c.level); err == nil {
			t.Errorf("Wilson(%d, %d, %v): no error", c.k, c.n, c.level)
		}
	}
}

// TestMean checks the t interval by hand: for 1..5 the mean is 3, the
// standard deviation √2.5 and t(0.975, 4) = 2.776445 (any t table), so the
// half-width is 2.776445·√2.5/√5 = 1.963243.
func TestMean(t *testing.T) {
	s, err := Mean([]float64{1, 2, 3, 4, 5}, Level95)
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 5 || !near(s.Mean, 3, 1e-12) || !near(s.SD, math.Sqrt(2.5), 1e-12) || !s.HasCI {
		t.Fatalf("Mean = %+v", s)
	}
	if !near(s.CI.Low, 3-1.963243, 1e-6) || !near(s.CI.High, 3+1.963243, 1e-6) {
		t.Errorf("CI = %+v, want 3 ± 1.963243", s.CI)
	}
	// A constant sample has a zero-width interval.
	s, _ = Mean([]float64{0.4, 0.4, 0.4}, Level95)
	if s.CI.Low != s.Mean || s.CI.High != s.Mean || !near(s.Mean, 0.4, 1e-15) {
		t.Errorf("constant sample: CI %+v", s.CI)
	}
	// One value: a mean, no interval.
	s, err = Mean([]float64{0.7}, Level95)
	if err != nil || s.HasCI || s.Mean != 0.7 {
		t.Errorf("one value: %+v, %v", s, err)
	}
	if _, err := Mean(nil, Level95); err == nil {
		t.Error("empty sample: no error")
	}
	if _, err := Mean([]float64{1, math.NaN()}, Level95); err == nil {
		t.Error("NaN: no error")
	}
}

// TestWilcoxonExact uses the depression-scale data of Hollander and Wolfe
// (Nonparametric Statistical Methods, 1973, p. 29), the example of R's
// ?wilcox.test: wilcox.test(x, y, paired = TRUE, alternative = "greater")
// reports V = 40, p-value = 0.01953 (= 10/512), so the two-sided p-value is
// 20/512.
func TestWilcoxonExact(t *testing.T) {
	x := []float64{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30}
	y := []float64{0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29}
	r, err := Wilcoxon(x, y, Auto)
	if err != nil {
		t.Fatal(err)
	}
	if r.N != 9 || r.Zeros != 0 || r.WPlus != 40 || r.WMinus != 5 || !r.Exact {
		t.Fatalf("Wilcoxon = %+v", r)
	}
	if !near(r.P, 20.0/512, 1e-12) {
		t.Errorf("P = %v, want %v", r.P, 20.0/512)
	}
	// Swapping the samples swaps W+ and W− and keeps the p-value.
	s, _ := Wilcoxon(y, x, Auto)
	if s.WPlus != 5 || s.WMinus != 40 || !near(s.P, r.P, 1e-15) {
		t.Errorf("swapped: %+v", s)
	}
}

// TestWilcoxonTiesZeros works the example of Wikipedia's "Wilcoxon
// signed-rank test" article by hand. Differences 15, −7, 5, 20, 0, −9, 17,
// −12, 5, −10: the zero is dropped (N = 9), the two 5s share rank 1.5, so
// W+ = 7+1.5+9+8+1.5 = 27 and W− = 18. Normal approximation: E = 22.5,
// Var = 9·10·19/24 − (2³−2)/48 = 71.125, z = (27 − 22.5 − 0.5)/√71.125 =
// 0.474295, p = 2(1 − Φ(z)) = erfc(z/√2) = 0.635289.
func TestWilcoxonTiesZeros(t *testing.T) {
	x := []float64{125, 115, 130, 140, 140, 115, 140, 125, 140, 135}
	y := []float64{110, 122, 125, 120, 140, 124, 123, 137, 135, 145}
	r, err := Wilcoxon(x, y, Approx)
	if err != nil {
		t.Fatal(err)
	}
	if r.N != 9 || r.Zeros != 1 || r.WPlus != 27 || r.WMinus != 18 || r.Exact {
		t.Fatalf("Wilcoxon = %+v", r)
	}
	if !near(r.Z, 0.474295, 1e-6) || !near(r.P, 0.635289, 1e-6) {
		t.Errorf("z = %v, p = %v; want 0.474295, 0.635289", r.Z, r.P)
	}
}

// TestWilcoxonFarTail: N positive differences without ties give
// W+ = N(N+1)/2 and z = (N(N+1)/4 − 1/2)/√(N(N+1)(2N+1)/24). For N = 100,
// z = 8.680051067684394 and p = erfc(z/√2) = 3.9559116088995236e-18
// (mpmath, 40 digits); for N = 320, z = 15.5037 and p = 3.2742e-54. Both
// are below the 1e-16 at which 1 − erf rounds to 0, and both sides of the
// test must give the same p.
func TestWilcoxonFarTail(t *testing.T) {
	for _, c := range []struct {
		n int
		p float64
	}{{100, 3.9559116088995236e-18}, {320, 3.274217724410152e-54}} {
		x, y := make([]float64, c.n), make([]float64, c.n)
		for i := range x {
			x[i] = float64(i + 1)
		}
		up, err := Wilcoxon(x, y, Approx)
		if err != nil {
			t.Fatal(err)
		}
		down, _ := Wilcoxon(y, x, Approx)
		for _, r := range []WilcoxonResult{up, down} {
			if math.Abs(r.P-c.p) > 1e-9*c.p {
				t.Errorf("N = %d: p = %v (z = %v), want %v", c.n, r.P, r.Z, c.p)
			}
		}
	}
}

// TestWilcoxonExactTies enumerates a tiny case by hand: differences 1, −1,
// 2 have ranks 1.5, 1.5, 3 and W+ = 4.5. The eight sign patterns give W+ =
// 0, 1.5, 1.5, 3, 3, 4.5, 4.5, 6, so P(W+ ≥ 4.5) = 3/8 and p = 3/4.
func TestWilcoxonExactTies(t *testing.T) {
	r, err := Wilcoxon([]float64{1, -1, 2}, []float64{0, 0, 0}, Exact)
	if err != nil {
		t.Fatal(err)
	}
	if r.WPlus != 4.5 || !near(r.P, 0.75, 1e-15) {
		t.Errorf("Wilcoxon = %+v, want W+ 4.5, p 0.75", r)
	}
}

// TestWilcoxonExactMatchesNormal: for a large sample without ties the exact
// and approximate p-values agree closely.
func TestWilcoxonExactMatchesNormal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	x, y := make([]float64, 40), make([]float64, 40)
	for i := range x {
		x[i], y[i] = r.NormFloat64()+0.3, r.NormFloat64()
	}
	e, _ := Wilcoxon(x, y, Exact)
	a, _ := Wilcoxon(x, y, Approx)
	if !near(e.P, a.P, 0.01) {
		t.Errorf("exact %v vs normal %v", e.P, a.P)
	}
}

// TestWilcoxonSyntheticArms: identical arms show no difference; a rigged
// arm that is better in most runs is significant.
func TestWilcoxonSyntheticArms(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	base := make([]float64, 200)
	rigged := make([]float64, 200)
	for i := range base {
		base[i] = r.Float64()
		rigged[i] = base[i]
		if i%4 != 0 {
			rigged[i] += 0.05
		}
	}
	same, err := Wilcoxon(base, base, Auto)
	if err != nil || same.P != 1 || same.N != 0 || same.Zeros != 200 {
		t.Errorf("identical arms: %+v, %v", same, err)
	}
	diff, _ := Wilcoxon(rigged, base, Auto)
	if diff.P > 1e-10 || diff.Exact {
		t.Errorf("rigged arm: %+v", diff)
	}
	if _, err := Wilcoxon([]float64{1}, nil, Auto); err == nil {
		t.Error("unpaired: no error")
	}
	if _, err := Wilcoxon([]float64{math.Inf(1)}, []float64{0}, Auto); err == nil {
		t.Error("infinite: no error")
	}
}

// TestMcNemar: with b = 6, c = 16 discordant pairs (the example of
// Wikipedia's "McNemar's test" article), the exact two-sided binomial
// p-value is 2·Σ_{k≤6} C(22,k)/2²² = 2·110056/4194304 = 0.0524788; the
// continuity-corrected statistic is (|6−16|−1)²/22 = 81/22 = 3.681818, whose
// chi-square(1) tail is 2(1 − Φ(√3.681818)) = 0.055009.
func TestMcNemar(t *testing.T) {
	e, err := McNemarCounts(6, 16, Auto)
	if err != nil {
		t.Fatal(err)
	}
	if !e.Exact || !near(e.P, 2*110056.0/4194304, 1e-12) || !near(e.Statistic, 81.0/22, 1e-12) {
		t.Errorf("exact: %+v", e)
	}
	a, _ := McNemarCounts(6, 16, Approx)
	if a.Exact || !near(a.P, 0.055009, 1e-6) {
		t.Errorf("approx: %+v", a)
	}
	// Agresti, Categorical Data Analysis (2002), Table 10.1: presidential
	// approval, b = 150, c = 86; continuity-corrected (64−1)²/236 = 16.8178.
	g, _ := McNemarCounts(150, 86, Auto)
	if g.Exact || !near(g.Statistic, 63.0*63/236, 1e-12) || g.P > 1e-4 {
		t.Errorf("Agresti: %+v", g)
	}
	z, _ := McNemarCounts(0, 0, Auto)
	if z.P != 1 {
		t.Errorf("no discordant pairs: %+v", z)
	}
	s, _ := McNemarCounts(5, 5, Auto)
	if s.P != 1 {
		t.Errorf("balanced: %+v", s)
	}
	if _, err := McNemarCounts(-1, 0, Auto); err == nil {
		t.Error("negative count: no error")
	}
	// Paired booleans.
	a1 := []bool{true, true, false, false, true}
	b1 := []bool{true, false, true, false, false}
	r, err := McNemar(a1, b1, Exact)
	if err != nil || r.B != 2 || r.C != 1 {
		t.Errorf("McNemar = %+v, %v", r, err)
	}
	if _, err := McNemar(a1, b1[:2], Auto); err == nil {
		t.Error("unpaired: no error")
	}
}

// TestHolm works Holm's procedure by hand: p = (0.01, 0.04, 0.03, 0.005)
// sorts to 0.005, 0.01, 0.03, 0.04; times 4, 3, 2, 1 gives 0.02, 0.03,
// 0.06, 0.04; the running maximum gives 0.02, 0.03, 0.06, 0.06.
func TestHolm(t *testing.T) {
	got := Holm([]float64{0.01, 0.04, 0.03, 0.005})
	want := []float64{0.03, 0.06, 0.06, 0.02}
	for i := range want {
		if !near(got[i], want[i], 1e-15) {
			t.Fatalf("Holm = %v, want %v", got, want)
		}
	}
	if got := Holm([]float64{0.5, 0.9}); got[0] != 1 || got[1] != 1 {
		t.Errorf("Holm caps at 1: %v", got)
	}
	if len(Holm(nil)) != 0 {
		t.Error("Holm(nil)")
	}
}

// TestNewcombePaired checks Newcombe's paired interval (method 10) against
// the worked example of Newcombe (1998, paired data), Table II, example
// (a): 36 pairs succeed in both, 12 in the first only, 2 in the second
// only, none in neither; the difference 0.2 has the interval
// [0.0569, 0.3404] to the four decimals published there.
func TestNewcombePaired(t *testing.T) {
	ci, err := NewcombePaired(36, 12, 2, 0, Level95)
	if err != nil {
		t.Fatal(err)
	}
	if !near(ci.Low, 0.0569, 5e-5) || !near(ci.High, 0.3404, 5e-5) {
		t.Errorf("NewcombePaired(36, 12, 2, 0) = [%.5f, %.5f], want [0.0569, 0.3404]", ci.Low, ci.High)
	}
	// Swapping the two proportions mirrors the interval.
	m, _ := NewcombePaired(36, 2, 12, 0, Level95)
	if !near(m.Low, -ci.High, 1e-12) || !near(m.High, -ci.Low, 1e-12) {
		t.Errorf("mirrored: [%v, %v], want [%v, %v]", m.Low, m.High, -ci.High, -ci.Low)
	}
	// No discordant pair: the difference is 0, but the interval is not a
	// point (unlike Wald's).
	z, _ := NewcombePaired(30, 0, 0, 20, Level95)
	if !(z.Low < 0 && z.High > 0) {
		t.Errorf("no discordant pairs: [%v, %v], want an interval around 0", z.Low, z.High)
	}
	// Paired booleans count into (e, f, g, h) = (1, 2, 1, 1).
	a := []bool{true, true, true, false, false}
	b := []bool{true, false, false, true, false}
	got, err := NewcombePairedOf(a, b, Level95)
	want, _ := NewcombePaired(1, 2, 1, 1, Level95)
	if err != nil || got != want {
		t.Errorf("NewcombePairedOf = %+v, %v; want %+v", got, err, want)
	}
	for _, c := range [][4]int{{-1, 0, 0, 1}, {0, 0, 0, 0}} {
		if _, err := NewcombePaired(c[0], c[1], c[2], c[3], Level95); err == nil {
			t.Errorf("NewcombePaired%v: no error", c)
		}
	}
	if _, err := NewcombePairedOf(a, b[:2], Level95); err == nil {
		t.Error("unpaired: no error")
	}
}

// TestMcNemarFarTail: the approximate p-value keeps its precision far
// below 1e-16. With b = 0 and c = 1000 the statistic is 999²/1000, and the
// χ²(1) tail erfc(x), x = √(statistic/2), is checked against its
// asymptotic series exp(−x²)/(x√π)·(1 − 1/(2x²) + 3/(4x⁴)) (Abramowitz
// and Stegun 7.1.23), whose next term is below 1e-7 relative here.
func TestMcNemarFarTail(t *testing.T) {
	r, err := McNemarCounts(0, 1000, Approx)
	if err != nil {
		t.Fatal(err)
	}
	x := math.Sqrt(999.0 * 999 / 1000 / 2)
	x2 := x * x
	want := math.Exp(-x2) / (x * math.Sqrt(math.Pi)) * (1 - 1/(2*x2) + 3/(4*x2*x2))
	if r.P <= 0 || math.Abs(r.P-want)/want > 1e-6 {
		t.Errorf("p = %g, want %g", r.P, want)
	}
}

// TestWilcoxonLog10P: far beyond float64's range the p-value underflows to
// 0, and Log10P still carries it. For N = 2000 positive differences
// 1..2000, z = 38.734653821206569 and log10 p = −327.48839424529131
// (mpmath, 40 digits).
func TestWilcoxonLog10P(t *testing.T) {
	const n = 2000
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = float64(i + 1)
	}
	r, err := Wilcoxon(x, y, Auto)
	if err != nil {
		t.Fatal(err)
	}
	if r.P != 0 || !near(r.Log10P, -327.48839424529131, 1e-9) {
		t.Errorf("p = %g, log10 p = %.12f; want 0 (underflow) and −327.488394245291", r.P, r.Log10P)
	}
	// Where P is representable, Log10P is its logarithm.
	r, _ = Wilcoxon(x[:100], y[:100], Approx)
	if !near(r.Log10P, math.Log10(3.9559116088995236e-18), 1e-9) {
		t.Errorf("N = 100: log10 p = %v, want %v", r.Log10P, math.Log10(3.9559116088995236e-18))
	}
	m, _ := McNemarCounts(6, 16, Auto)
	if !near(m.Log10P, math.Log10(m.P), 1e-12) {
		t.Errorf("McNemar: log10 p = %v for p = %v", m.Log10P, m.P)
	}
}

// TestHolmLog10 repeats TestHolm's hand-worked case on log10 p, and
// adjusts p-values far below float64's range.
func TestHolmLog10(t *testing.T) {
	in := []float64{0.01, 0.04, 0.03, 0.005}
	want := []float64{0.03, 0.06, 0.06, 0.02}
	lp := make([]float64, len(in))
	for i, p := range in {
		lp[i] = math.Log10(p)
	}
	for i, v := range HolmLog10(lp) {
		if !near(v, math.Log10(want[i]), 1e-12) {
			t.Fatalf("HolmLog10 = %v, want log10 of %v", HolmLog10(lp), want)
		}
	}
	got := HolmLog10([]float64{-400, -500, -1})
	if !near(got[0], -400+math.Log10(2), 1e-12) || !near(got[1], -500+math.Log10(3), 1e-12) || got[2] != -1 {
		t.Errorf("HolmLog10 far tail = %v", got)
	}
}
