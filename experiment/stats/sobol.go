package stats

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/samplemv"
)

// MaxDesignPoints bounds the rows of a sampling design (LatinHypercube,
// NewSobolDesign): a typo in a sample size should not ask for gigabytes.
const MaxDesignPoints = 10_000_000

// ErrNoVariance is returned by Sobol when the outputs do not vary: the
// indices, shares of a variance of zero, are undefined.
var ErrNoVariance = errors.New("the outputs have no variance")

// LatinHypercube returns n points of the unit hypercube [0, 1)^d by Latin
// hypercube sampling (McKay, Beckman & Conover 1979, Technometrics 21(2)):
// in every dimension each of the n strata [j/n, (j+1)/n) holds exactly one
// point, at a uniform position within it. It uses gonum's
// samplemv.LatinHypercube on a PCG stream seeded with seed, so the same
// seed gives the same points.
func LatinHypercube(n, d int, seed uint64) ([][]float64, error) {
	if n < 1 || d < 1 {
		return nil, fmt.Errorf("stats: Latin hypercube of %d points in %d dimensions: need at least 1 of each", n, d)
	}
	if n > MaxDesignPoints/d {
		return nil, fmt.Errorf("stats: Latin hypercube of %d points in %d dimensions: more than %d values", n, d, MaxDesignPoints)
	}
	src := rand.NewPCG(seed, 0x9e3779b97f4a7c15)
	batch := mat.NewDense(n, d, nil)
	samplemv.LatinHypercube{Q: distmv.NewUnitUniform(d, src), Src: src}.Sample(batch)
	out := make([][]float64, n)
	for i := range out {
		out[i] = slices.Clone(batch.RawRowView(i))
	}
	return out, nil
}

// SobolDesign is the sampling design of Saltelli's estimators of Sobol
// indices (Saltelli et al. 2010, "Variance based sensitivity analysis of
// model output. Design and estimator for the total sensitivity index",
// Computer Physics Communications 181(2), §3): two independent N×k
// matrices A and B of points in [0, 1)^k, and for each dimension i the
// matrix AB[i], which is A with its column i taken from B. The model is
// evaluated on the N·(k+2) rows of A, B and every AB[i].
//
// Here A and B are the two halves of one Latin hypercube of N points in 2k
// dimensions (a randomised base, as Saltelli et al. allow in place of a
// quasi-random sequence), so each of A and B is itself a Latin hypercube.
type SobolDesign struct {
	A, B [][]float64
	AB   [][][]float64 // AB[i][j] is row j of A with column i from B
}

// NewSobolDesign returns the design for n base samples of k dimensions
// from seed.
func NewSobolDesign(n, k int, seed uint64) (*SobolDesign, error) {
	if k < 1 {
		return nil, fmt.Errorf("stats: Sobol design of %d dimensions: need at least 1", k)
	}
	if n < 2 {
		return nil, fmt.Errorf("stats: Sobol design of %d base samples: need at least 2", n)
	}
	if n > MaxDesignPoints/(k+2) {
		return nil, fmt.Errorf("stats: Sobol design of %d base samples in %d dimensions: more than %d points", n, k, MaxDesignPoints)
	}
	base, err := LatinHypercube(n, 2*k, seed)
	if err != nil {
		return nil, err
	}
	d := &SobolDesign{A: make([][]float64, n), B: make([][]float64, n), AB: make([][][]float64, k)}
	for j, row := range base {
		d.A[j], d.B[j] = row[:k:k], row[k:]
	}
	for i := range k {
		d.AB[i] = make([][]float64, n)
		for j := range n {
			r := slices.Clone(d.A[j])
			r[i] = d.B[j][i]
			d.AB[i][j] = r
		}
	}
	return d, nil
}

// SobolIndices are the first-order and total-effect Sobol indices of a
// model output, one per input dimension, and the output's variance.
type SobolIndices struct {
	First, Total []float64
	Variance     float64
}

// Sobol estimates the first-order and total-effect indices from the model
// outputs on a SobolDesign: fA[j] = f(A[j]), fB[j] = f(B[j]) and
// fAB[i][j] = f(AB[i][j]). It uses the estimators Saltelli et al. (2010)
// recommend (their Table 2):
//
//	S_i  = (1/N) Σ_j fB_j (fAB_ij − fA_j) / V       (Saltelli et al. 2010, (b))
//	ST_i = (1/2N) Σ_j (fA_j − fAB_ij)² / V          (Jansen 1999, (f))
//
// with V the variance of the 2N outputs on A and B. It fails with
// ErrNoVariance when V is 0.
func Sobol(fA, fB []float64, fAB [][]float64) (SobolIndices, error) {
	idx := make([]int, len(fA))
	for j := range idx {
		idx[j] = j
	}
	return sobolOn(fA, fB, fAB, idx)
}

// sobolOn estimates the indices over the rows idx (a bootstrap resample).
func sobolOn(fA, fB []float64, fAB [][]float64, idx []int) (SobolIndices, error) {
	n := len(fA)
	if n < 2 || len(fB) != n {
		return SobolIndices{}, fmt.Errorf("stats: Sobol indices: %d outputs on A and %d on B, need the same number, at least 2", n, len(fB))
	}
	for i := range fAB {
		if len(fAB[i]) != n {
			return SobolIndices{}, fmt.Errorf("stats: Sobol indices: %d outputs on AB[%d], want %d", len(fAB[i]), i, n)
		}
	}
	m := float64(len(idx))
	var mean float64
	for _, j := range idx {
		mean += fA[j] + fB[j]
	}
	mean /= 2 * m
	var v float64
	for _, j := range idx {
		a, b := fA[j]-mean, fB[j]-mean
		v += a*a + b*b
	}
	v /= 2*m - 1
	if !(v > Tol*Tol) || math.IsNaN(v) {
		return SobolIndices{}, ErrNoVariance
	}
	out := SobolIndices{First: make([]float64, len(fAB)), Total: make([]float64, len(fAB)), Variance: v}
	for i, f := range fAB {
		var s, t float64
		for _, j := range idx {
			s += fB[j] * (f[j] - fA[j])
			d := fA[j] - f[j]
			t += d * d
		}
		out.First[i] = s / m / v
		out.Total[i] = t / (2 * m) / v
	}
	return out, nil
}

// SobolCI estimates the indices as Sobol does, with percentile bootstrap
// intervals at level over reps resamples of the N base rows (Archer,
// Saltelli & Sobol 1997), drawn from seed. A resample whose outputs do
// not vary is skipped; without a valid resample the estimates have no
// interval.
func SobolCI(fA, fB []float64, fAB [][]float64, level float64, reps int, seed uint64) (first, total []Estimate, variance float64, err error) {
	if err := checkLevel(level); err != nil {
		return nil, nil, 0, err
	}
	if reps < 0 {
		return nil, nil, 0, fmt.Errorf("stats: Sobol indices: %d bootstrap resamples", reps)
	}
	est, err := Sobol(fA, fB, fAB)
	if err != nil {
		return nil, nil, 0, err
	}
	k, n := len(fAB), len(fA)
	bs, bt := make([][]float64, k), make([][]float64, k)
	r := rand.New(rand.NewPCG(seed, 0x5851f42d4c957f2d))
	idx := make([]int, n)
	for range reps {
		for j := range idx {
			idx[j] = r.IntN(n)
		}
		e, err := sobolOn(fA, fB, fAB, idx)
		if err != nil {
			continue
		}
		for i := range k {
			bs[i] = append(bs[i], e.First[i])
			bt[i] = append(bt[i], e.Total[i])
		}
	}
	first, total = make([]Estimate, k), make([]Estimate, k)
	for i := range k {
		first[i] = Estimate{Mean: est.First[i], N: n}
		total[i] = Estimate{Mean: est.Total[i], N: n}
		if len(bs[i]) >= 2 {
			first[i].Low, first[i].High = percentiles(bs[i], level)
			total[i].Low, total[i].High = percentiles(bt[i], level)
			first[i].HasCI, total[i].HasCI = true, true
		}
	}
	return first, total, est.Variance, nil
}

// percentiles returns the (1−level)/2 and (1+level)/2 empirical quantiles
// of xs (sorted in place), by the nearest-rank definition.
func percentiles(xs []float64, level float64) (lo, hi float64) {
	slices.Sort(xs)
	at := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(xs)))) - 1
		return xs[min(max(i, 0), len(xs)-1)]
	}
	return at((1 - level) / 2), at((1 + level) / 2)
}
