// Package stats holds the statistics of Parley's experiments: Wilson
// intervals for proportions, t intervals for means, the Wilcoxon
// signed-rank test and McNemar's test for paired comparisons of two arms
// run on the same seeds, Newcombe's interval for the difference of two
// paired rates, and Holm's correction for several comparisons. Every test
// also gives log10 of its p-value, exact where the p-value underflows.
// For global sensitivity analysis: Latin hypercube sampling, Saltelli's
// design and the first-order and total-effect Sobol indices with
// bootstrap intervals (LatinHypercube, NewSobolDesign, Sobol, SobolCI).
//
// Distributions come from gonum's stat/distuv; the rank tests are written
// here and checked against published examples (see the tests).
package stats

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Tol is the tolerance under which two values count as equal: a paired
// difference within Tol of zero is a zero, and absolute differences within
// Tol of each other are tied. It equals parley.Eps, the tolerance for
// comparing utilities.
const Tol = 1e-12

// Level95 is the confidence level of the intervals Parley reports.
const Level95 = 0.95

// Interval is a confidence interval [Low, High].
type Interval struct {
	Low, High float64
}

// Method chooses how a test computes its p-value.
type Method uint8

const (
	// Auto uses the exact distribution for small samples and the normal
	// (or chi-square) approximation otherwise; each test documents where
	// it switches.
	Auto Method = iota
	// Exact always uses the exact distribution.
	Exact
	// Approx always uses the large-sample approximation.
	Approx
)

func checkLevel(level float64) error {
	if !(level > 0 && level < 1) {
		return fmt.Errorf("stats: confidence level %v outside (0,1)", level)
	}
	return nil
}

// Wilson returns the Wilson score interval for a proportion of k successes
// in n trials at the given confidence level (E. B. Wilson, "Probable
// inference, the law of succession, and statistical inference", JASA 22,
// 1927; R. G. Newcombe, "Two-sided confidence intervals for the single
// proportion: comparison of seven methods", Statistics in Medicine 17,
// 1998, method 3, without continuity correction):
//
//	(p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)
//
// Unlike the Wald interval it stays inside [0,1] and does not collapse to
// a point at k = 0 or k = n.
func Wilson(k, n int, level float64) (Interval, error) {
	if err := checkLevel(level); err != nil {
		return Interval{}, err
	}
	if n <= 0 {
		return Interval{}, fmt.Errorf("stats: wilson: %d trials, need at least 1", n)
	}
	if k < 0 || k > n {
		return Interval{}, fmt.Errorf("stats: wilson: %d successes in %d trials", k, n)
	}
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	nf := float64(n)
	p := float64(k) / nf
	z2 := z * z
	centre := p + z2/(2*nf)
	half := z * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	den := 1 + z2/nf
	lo, hi := (centre-half)/den, (centre+half)/den
	// The bounds are exactly 0 at k = 0 and exactly 1 at k = n; rounding
	// must not push them past.
	if k == 0 {
		lo = 0
	}
	if k == n {
		hi = 1
	}
	return Interval{Low: max(0, lo), High: min(1, hi)}, nil
}

// Summary describes a sample of real numbers.
type Summary struct {
	N    int
	Mean float64
	SD   float64 // sample standard deviation (n−1 denominator); 0 for N < 2
	// CI is the t interval for the mean, Mean ± t(1−α/2, N−1)·SD/√N
	// (Student, "The probable error of a mean", Biometrika 6, 1908). It is
	// valid only when HasCI (N ≥ 2).
	CI    Interval
	HasCI bool
}

// Mean summarises xs with a t-based confidence interval for its mean at the
// given level. It fails on an empty sample or a NaN or infinite value; a
// single value has a mean but no interval (HasCI false).
func Mean(xs []float64, level float64) (Summary, error) {
	if err := checkLevel(level); err != nil {
		return Summary{}, err
	}
	if len(xs) == 0 {
		return Summary{}, errors.New("stats: mean of an empty sample")
	}
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return Summary{}, fmt.Errorf("stats: value %d is %v", i, x)
		}
	}
	s := Summary{N: len(xs)}
	if s.N == 1 {
		s.Mean = xs[0]
		s.CI = Interval{xs[0], xs[0]}
		return s, nil
	}
	s.Mean, s.SD = stat.MeanStdDev(xs, nil)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(s.N - 1)}.Quantile(1 - (1-level)/2)
	half := t * s.SD / math.Sqrt(float64(s.N))
	s.CI, s.HasCI = Interval{s.Mean - half, s.Mean + half}, true
	return s, nil
}

// maxExactWilcoxon is the largest number of non-zero differences for which
// Auto computes the exact signed-rank distribution (R's wilcox.test and
// SciPy's wilcoxon switch at 50 as well).
const maxExactWilcoxon = 50

// WilcoxonResult is the outcome of a Wilcoxon signed-rank test.
type WilcoxonResult struct {
	N      int     // non-zero differences (the zeros are dropped)
	Zeros  int     // differences within Tol of zero
	WPlus  float64 // sum of the ranks of the positive differences (R's V)
	WMinus float64 // sum of the ranks of the negative differences
	// Z is the normal approximation's statistic (with continuity and tie
	// corrections); 0 when the p-value is exact.
	Z float64
	// P is the two-sided p-value; 1 when every difference is zero.
	P float64
	// Log10P is log10 of P, exact even where P underflows to 0 (below
	// about 1e-308, reached with a thousand pairs all of one sign).
	Log10P float64
	Exact  bool
}

// Wilcoxon runs the two-sided Wilcoxon signed-rank test on the paired
// samples x and y (F. Wilcoxon, "Individual comparisons by ranking
// methods", Biometrics Bulletin 1, 1945), on the differences d = x − y:
//
//   - differences within Tol of zero are dropped (Wilcoxon's treatment of
//     zeros, as R and SciPy's default);
//   - tied |d| (within Tol) get their mean rank;
//   - the exact p-value enumerates the 2^N equally likely sign patterns of
//     the ranks actually observed (mid-ranks included, so it is exact
//     conditionally on the ties), by dynamic programming over doubled
//     ranks; Auto uses it for N ≤ 50;
//   - the normal approximation uses E[W+] = N(N+1)/4,
//     Var[W+] = N(N+1)(2N+1)/24 − Σ(t³−t)/48 over tie groups of size t, and
//     a continuity correction of 1/2 towards the mean (as R's wilcox.test;
//     Hollander, Wolfe and Chicken, Nonparametric Statistical Methods, 3rd
//     ed., 2014, §3.1).
func Wilcoxon(x, y []float64, m Method) (WilcoxonResult, error) {
	if len(x) != len(y) {
		return WilcoxonResult{}, fmt.Errorf("stats: wilcoxon: %d and %d values are not paired", len(x), len(y))
	}
	d := make([]float64, 0, len(x))
	var r WilcoxonResult
	for i := range x {
		if math.IsNaN(x[i]) || math.IsNaN(y[i]) || math.IsInf(x[i], 0) || math.IsInf(y[i], 0) {
			return WilcoxonResult{}, fmt.Errorf("stats: wilcoxon: pair %d is not finite", i)
		}
		v := x[i] - y[i]
		if math.Abs(v) <= Tol {
			r.Zeros++
			continue
		}
		d = append(d, v)
	}
	r.N = len(d)
	if r.N == 0 {
		r.P, r.Exact = 1, true
		return r, nil
	}
	sort.Slice(d, func(i, j int) bool { return math.Abs(d[i]) < math.Abs(d[j]) })
	// Doubled mid-ranks: a tie group at 1-based positions i..j has mid-rank
	// (i+j)/2, so its doubled rank i+j is an integer.
	r2 := make([]int, r.N)
	ties := 0.0 // Σ (t³ − t)
	for i := 0; i < r.N; {
		j := i
		for j+1 < r.N && math.Abs(d[j+1])-math.Abs(d[i]) <= Tol {
			j++
		}
		for k := i; k <= j; k++ {
			r2[k] = (i + 1) + (j + 1)
		}
		t := float64(j - i + 1)
		ties += t*t*t - t
		i = j + 1
	}
	w2 := 0 // doubled W+
	for k, v := range d {
		if v > 0 {
			w2 += r2[k]
		}
	}
	total := r.N * (r.N + 1) // doubled Σ ranks
	r.WPlus, r.WMinus = float64(w2)/2, float64(total-w2)/2
	exact := m == Exact || (m == Auto && r.N <= maxExactWilcoxon)
	if exact {
		r.Exact = true
		r.P = exactSignedRank(r2, w2)
		r.Log10P = math.Log10(r.P)
		return r, nil
	}
	nf := float64(r.N)
	mean := nf * (nf + 1) / 4
	v := nf*(nf+1)*(2*nf+1)/24 - ties/48
	z := r.WPlus - mean
	switch {
	case z > 0:
		z -= 0.5
	case z < 0:
		z += 0.5
	}
	if v > 0 {
		r.Z = z / math.Sqrt(v)
	}
	r.P = min(1, normalTwoSided(r.Z))
	r.Log10P = min(0, log10NormalTwoSided(r.Z))
	return r, nil
}

// normalTwoSided returns the two-sided p-value 2·P(Z ≥ |z|) of a standard
// normal statistic, as erfc(|z|/√2). It keeps its relative precision far
// into the tail (down to about 1e-308, |z| ≈ 37.5), where 1 − Φ(|z|)
// computed as 1 − erf (gonum's Normal.Survival) rounds to 0 once the tail
// falls below about 1e-16.
func normalTwoSided(z float64) float64 {
	return math.Erfc(math.Abs(z) / math.Sqrt2)
}

// log10NormalTwoSided returns log10 of normalTwoSided(z), exact where
// the p-value itself underflows: beyond |z|/√2 = 26 it sums the
// asymptotic series of ln erfc(x) = −x² − ln(x√π) + ln(1 − 1/(2x²) +
// 3/(4x⁴) − 15/(8x⁶)) (Abramowitz and Stegun 7.1.23), whose next term is
// below 1e-9 relative there.
func log10NormalTwoSided(z float64) float64 {
	x := math.Abs(z) / math.Sqrt2
	if x < 26 {
		return math.Log10(math.Erfc(x))
	}
	x2 := x * x
	s := 1 - 1/(2*x2) + 3/(4*x2*x2) - 15/(8*x2*x2*x2)
	return (-x2 - math.Log(x*math.Sqrt(math.Pi)) + math.Log(s)) / math.Ln10
}

// exactSignedRank returns the two-sided p-value of the doubled statistic
// w2 = 2·W+ under the null hypothesis that each doubled rank r2[i] enters
// W+ with probability 1/2 independently: 2·min(P(S ≤ w2), P(S ≥ w2)),
// capped at 1.
func exactSignedRank(r2 []int, w2 int) float64 {
	total := 0
	for _, r := range r2 {
		total += r
	}
	p := make([]float64, total+1)
	p[0] = 1
	hi := 0
	for _, r := range r2 {
		for s := hi; s >= 0; s-- {
			if p[s] != 0 {
				p[s+r] += p[s] * 0.5
				p[s] *= 0.5
			}
		}
		hi += r
	}
	lo, up := 0.0, 0.0
	for s, q := range p {
		if s <= w2 {
			lo += q
		}
		if s >= w2 {
			up += q
		}
	}
	return min(1, 2*min(lo, up))
}

// maxExactMcNemar: Auto uses the exact binomial test when fewer than 25
// pairs are discordant, the customary rule of thumb for when the
// chi-square approximation is poor (as stated in Wikipedia's "McNemar's
// test" article).
const maxExactMcNemar = 25

// McNemarResult is the outcome of McNemar's test on paired binary data.
type McNemarResult struct {
	B int // pairs where the first is true and the second false
	C int // pairs where the first is false and the second true
	// Statistic is the continuity-corrected chi-square statistic
	// (|B−C|−1)²/(B+C) (Edwards 1948), 0 when B+C = 0; reported whatever
	// the method.
	Statistic float64
	P         float64 // two-sided p-value
	// Log10P is log10 of P, exact even where P underflows to 0.
	Log10P float64
	Exact  bool
}

// McNemar runs McNemar's test (Q. McNemar, "Note on the sampling error of
// the difference between correlated proportions or percentages",
// Psychometrika 12, 1947) on paired outcomes a[i], b[i].
func McNemar(a, b []bool, m Method) (McNemarResult, error) {
	if len(a) != len(b) {
		return McNemarResult{}, fmt.Errorf("stats: mcnemar: %d and %d outcomes are not paired", len(a), len(b))
	}
	var nb, nc int
	for i := range a {
		switch {
		case a[i] && !b[i]:
			nb++
		case !a[i] && b[i]:
			nc++
		}
	}
	return McNemarCounts(nb, nc, m)
}

// McNemarCounts runs McNemar's test on the discordant counts b and c. The
// exact test is the two-sided binomial test of b successes in b+c trials
// with p = 1/2, 2·P(X ≤ min(b,c)) capped at 1; the approximation refers
// the continuity-corrected statistic to chi-square with one degree of
// freedom. Auto is exact when b+c < 25.
func McNemarCounts(b, c int, m Method) (McNemarResult, error) {
	if b < 0 || c < 0 {
		return McNemarResult{}, fmt.Errorf("stats: mcnemar: negative count (%d, %d)", b, c)
	}
	r := McNemarResult{B: b, C: c}
	n := b + c
	if n == 0 {
		r.P, r.Exact = 1, true
		return r, nil
	}
	diff := math.Abs(float64(b-c)) - 1
	if diff < 0 {
		diff = 0
	}
	r.Statistic = diff * diff / float64(n)
	if m == Exact || (m == Auto && n < maxExactMcNemar) {
		r.Exact = true
		r.P = min(1, 2*distuv.Binomial{N: float64(n), P: 0.5}.CDF(float64(min(b, c))))
		r.Log10P = math.Log10(r.P)
		return r, nil
	}
	// χ²(1) is the square of a standard normal: its tail beyond x is
	// erfc(√(x/2)), which keeps its precision far below 1e-16.
	r.P = min(1, normalTwoSided(math.Sqrt(r.Statistic)))
	r.Log10P = min(0, log10NormalTwoSided(math.Sqrt(r.Statistic)))
	return r, nil
}

// NewcombePaired returns Newcombe's hybrid score interval for the
// difference p1 − p2 of two proportions measured on the same n pairs
// (R. G. Newcombe, "Improved confidence intervals for the difference
// between binomial proportions based on paired data", Statistics in
// Medicine 17, 1998, method 10, without continuity correction). Of the n
// pairs, e succeed in both, f in the first only, g in the second only and
// h in neither, so p1 = (e+f)/n and p2 = (e+g)/n. With Wilson intervals
// [l1, u1] and [l2, u2] for p1 and p2 (Wilson) and the correlation
// estimate φ = C/√((e+f)(g+h)(e+g)(f+h)), where C = eh − fg − n/2 when
// eh − fg > n/2, C = eh − fg when it is negative and C = 0 otherwise (φ = 0
// when a margin is empty), the interval is
//
//	D − √((p1−l1)² − 2φ(p1−l1)(u2−p2) + (u2−p2)²)
//	D + √((p2−l2)² − 2φ(p2−l2)(u1−p1) + (u1−p1)²)     with D = p1 − p2.
//
// Unlike the Wald interval it does not collapse to a point when no pair
// is discordant, and it stays inside [−1, 1].
func NewcombePaired(e, f, g, h int, level float64) (Interval, error) {
	if e < 0 || f < 0 || g < 0 || h < 0 {
		return Interval{}, fmt.Errorf("stats: newcombe: negative count (%d, %d, %d, %d)", e, f, g, h)
	}
	n := e + f + g + h
	if n == 0 {
		return Interval{}, errors.New("stats: newcombe: no pairs")
	}
	w1, err := Wilson(e+f, n, level)
	if err != nil {
		return Interval{}, err
	}
	w2, err := Wilson(e+g, n, level)
	if err != nil {
		return Interval{}, err
	}
	nf := float64(n)
	p1, p2 := float64(e+f)/nf, float64(e+g)/nf
	d := p1 - p2
	phi := 0.0
	if a := float64(e+f) * float64(g+h) * float64(e+g) * float64(f+h); a > 0 {
		b := float64(e)*float64(h) - float64(f)*float64(g)
		c := 0.0
		switch {
		case b > nf/2:
			c = b - nf/2
		case b < 0:
			c = b
		}
		phi = c / math.Sqrt(a)
	}
	dl1, du1 := p1-w1.Low, w1.High-p1
	dl2, du2 := p2-w2.Low, w2.High-p2
	lo := d - math.Sqrt(max(0, dl1*dl1-2*phi*dl1*du2+du2*du2))
	hi := d + math.Sqrt(max(0, dl2*dl2-2*phi*dl2*du1+du1*du1))
	return Interval{Low: max(-1, lo), High: min(1, hi)}, nil
}

// NewcombePairedOf returns NewcombePaired for the paired outcomes a[i],
// b[i]: the interval for the difference of their rates, a minus b.
func NewcombePairedOf(a, b []bool, level float64) (Interval, error) {
	if len(a) != len(b) {
		return Interval{}, fmt.Errorf("stats: newcombe: %d and %d outcomes are not paired", len(a), len(b))
	}
	var e, f, g, h int
	for i := range a {
		switch {
		case a[i] && b[i]:
			e++
		case a[i]:
			f++
		case b[i]:
			g++
		default:
			h++
		}
	}
	return NewcombePaired(e, f, g, h, level)
}

// Holm adjusts p-values for multiple comparisons by Holm's step-down
// method (S. Holm, "A simple sequentially rejective multiple test
// procedure", Scand. J. Statist. 6, 1979): sorted ascending, the i-th
// smallest (from 1) of m becomes max over j ≤ i of min(1, (m−j+1)·p(j)).
// The result is in the input's order.
func Holm(p []float64) []float64 {
	out := make([]float64, len(p))
	run := 0.0
	for rank, i := range ascending(p) {
		run = max(run, min(1, float64(len(p)-rank)*p[i]))
		out[i] = run
	}
	return out
}

// HolmLog10 is Holm for p-values given as log10 p (Log10P), so that it
// stays exact where they underflow: the i-th smallest of m becomes the
// maximum over j ≤ i of min(0, log10(m−j+1) + log10 p(j)).
func HolmLog10(lp []float64) []float64 {
	out := make([]float64, len(lp))
	run := math.Inf(-1)
	for rank, i := range ascending(lp) {
		run = max(run, min(0, math.Log10(float64(len(lp)-rank))+lp[i]))
		out[i] = run
	}
	return out
}

// ascending returns the indices of p in ascending order of p, ties in
// input order.
func ascending(p []float64) []int {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	return idx
}
