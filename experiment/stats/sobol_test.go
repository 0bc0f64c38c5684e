package stats

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// TestLatinHypercubeStrata checks the defining property: in every
// dimension each stratum [j/n, (j+1)/n) holds exactly one point; and the
// same seed gives the same points, another seed others.
func TestLatinHypercubeStrata(t *testing.T) {
	for _, c := range []struct{ n, d int }{{1, 1}, {7, 3}, {100, 5}, {256, 16}} {
		pts, err := LatinHypercube(c.n, c.d, 42)
		if err != nil {
			t.Fatal(err)
		}
		if len(pts) != c.n {
			t.Fatalf("n=%d: %d points", c.n, len(pts))
		}
		for dim := range c.d {
			hit := make([]int, c.n)
			for _, p := range pts {
				if p[dim] < 0 || p[dim] >= 1 {
					t.Fatalf("n=%d d=%d: value %v outside [0, 1)", c.n, dim, p[dim])
				}
				hit[int(p[dim]*float64(c.n))]++
			}
			for j, h := range hit {
				if h != 1 {
					t.Fatalf("n=%d dim %d: stratum %d holds %d points, want 1", c.n, dim, j, h)
				}
			}
		}
		again, _ := LatinHypercube(c.n, c.d, 42)
		other, _ := LatinHypercube(c.n, c.d, 43)
		if !slices.EqualFunc(pts, again, slices.Equal) {
			t.Errorf("n=%d: same seed, different points", c.n)
		}
		if c.n > 1 && slices.EqualFunc(pts, other, slices.Equal) {
			t.Errorf("n=%d: seeds 42 and 43 give the same points", c.n)
		}
	}
	for _, c := range []struct{ n, d int }{{0, 1}, {1, 0}, {MaxDesignPoints, 2}} {
		if _, err := LatinHypercube(c.n, c.d, 1); err == nil {
			t.Errorf("LatinHypercube(%d, %d) did not fail", c.n, c.d)
		}
	}
}

func TestSobolDesign(t *testing.T) {
	d, err := NewSobolDesign(16, 3, 7)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		for j := range 16 {
			for c := range 3 {
				want := d.A[j][c]
				if c == i {
					want = d.B[j][c]
				}
				if d.AB[i][j][c] != want {
					t.Fatalf("AB[%d][%d][%d] = %v, want %v", i, j, c, d.AB[i][j][c], want)
				}
			}
		}
	}
	if _, err := NewSobolDesign(1, 3, 1); err == nil {
		t.Error("1 base sample did not fail")
	}
	if _, err := NewSobolDesign(4, 0, 1); err == nil {
		t.Error("0 dimensions did not fail")
	}
}

// evalDesign evaluates f on the design with inputs mapped from [0, 1) by
// x = lo + u·(hi − lo).
func evalDesign(d *SobolDesign, lo, hi float64, f func([]float64) float64) (fA, fB []float64, fAB [][]float64) {
	scale := func(u []float64) []float64 {
		x := make([]float64, len(u))
		for i, v := range u {
			x[i] = lo + v*(hi-lo)
		}
		return x
	}
	for j := range d.A {
		fA = append(fA, f(scale(d.A[j])))
		fB = append(fB, f(scale(d.B[j])))
	}
	fAB = make([][]float64, len(d.AB))
	for i := range d.AB {
		for j := range d.AB[i] {
			fAB[i] = append(fAB[i], f(scale(d.AB[i][j])))
		}
	}
	return fA, fB, fAB
}

// TestSobolIshigami checks the estimators on the Ishigami function
// (Ishigami & Homma 1990), f = sin x1 + a sin² x2 + b x3⁴ sin x1 on
// [−π, π]³, whose indices are known analytically (Saltelli et al. 2010
// use it, §4; for a = 7, b = 0.1: S = 0.314, 0.442, 0; ST = 0.558, 0.442,
// 0.244). With N = 2^14 base samples the bootstrap standard errors are
// about 0.01; the estimates must lie within 4 of them (and within 0.05).
func TestSobolIshigami(t *testing.T) {
	const a, b = 7.0, 0.1
	pi4, pi8 := math.Pow(math.Pi, 4), math.Pow(math.Pi, 8)
	v1 := 0.5 * (1 + b*pi4/5) * (1 + b*pi4/5)
	v2 := a * a / 8
	v13 := b * b * pi8 * (1.0/18 - 1.0/50)
	v := v1 + v2 + v13
	wantS := []float64{v1 / v, v2 / v, 0}
	wantT := []float64{(v1 + v13) / v, v2 / v, v13 / v}
	for i, w := range []float64{0.314, 0.442, 0} {
		if math.Abs(wantS[i]-w) > 0.001 {
			t.Fatalf("analytic S%d = %.4f, literature %.3f", i+1, wantS[i], w)
		}
	}
	for i, w := range []float64{0.558, 0.442, 0.244} {
		if math.Abs(wantT[i]-w) > 0.001 {
			t.Fatalf("analytic ST%d = %.4f, literature %.3f", i+1, wantT[i], w)
		}
	}
	d, err := NewSobolDesign(1<<14, 3, 2010)
	if err != nil {
		t.Fatal(err)
	}
	fA, fB, fAB := evalDesign(d, -math.Pi, math.Pi, func(x []float64) float64 {
		s := math.Sin(x[1])
		return math.Sin(x[0]) + a*s*s + b*math.Pow(x[2], 4)*math.Sin(x[0])
	})
	first, total, _, err := SobolCI(fA, fB, fAB, Level95, 200, 1)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, i int, e Estimate, want float64) {
		t.Helper()
		se := (e.High - e.Low) / (2 * 1.96)
		if dev := math.Abs(e.Mean - want); !e.HasCI || dev > max(4*se, 0.01) || dev > 0.05 {
			t.Errorf("%s%d = %.4f [%.4f, %.4f], want %.4f (se %.4f)", what, i+1, e.Mean, e.Low, e.High, want, se)
		}
		t.Logf("%s%d = %.4f [%.4f, %.4f], analytic %.4f", what, i+1, e.Mean, e.Low, e.High, want)
	}
	for i := range 3 {
		check("S", i, first[i], wantS[i])
		check("ST", i, total[i], wantT[i])
	}
}

// TestSobolLinear checks a linear model f = Σ c_i x_i of independent
// uniform inputs, whose first-order and total indices are equal and
// proportional to the squared coefficients: c_i² / Σ c_j².
func TestSobolLinear(t *testing.T) {
	c := []float64{1, 2, 3, 0}
	var sum float64
	for _, x := range c {
		sum += x * x
	}
	d, err := NewSobolDesign(4096, len(c), 5)
	if err != nil {
		t.Fatal(err)
	}
	fA, fB, fAB := evalDesign(d, 0, 1, func(x []float64) float64 {
		var y float64
		for i := range x {
			y += c[i] * x[i]
		}
		return y
	})
	s, err := Sobol(fA, fB, fAB)
	if err != nil {
		t.Fatal(err)
	}
	for i := range c {
		want := c[i] * c[i] / sum
		// Standard errors at N = 4096 are below 0.015 (the total
		// index of an additive model is estimated almost exactly).
		if math.Abs(s.First[i]-want) > 0.04 || math.Abs(s.Total[i]-want) > 0.02 {
			t.Errorf("x%d: S = %.4f, ST = %.4f, want %.4f", i+1, s.First[i], s.Total[i], want)
		}
	}
	if s.Total[3] != 0 {
		t.Errorf("an input the model ignores has ST = %v, want exactly 0", s.Total[3])
	}
}

func TestSobolErrors(t *testing.T) {
	flat := []float64{1, 1, 1}
	if _, err := Sobol(flat, flat, [][]float64{flat}); !errors.Is(err, ErrNoVariance) {
		t.Errorf("constant outputs: %v, want ErrNoVariance", err)
	}
	if _, err := Sobol([]float64{1, 2}, []float64{1}, nil); err == nil {
		t.Error("unequal A and B did not fail")
	}
	if _, err := Sobol([]float64{1, 2}, []float64{3, 4}, [][]float64{{1}}); err == nil {
		t.Error("short AB did not fail")
	}
	if _, _, _, err := SobolCI([]float64{1, 2}, []float64{3, 4}, [][]float64{{1, 2}}, 1.5, 10, 1); err == nil {
		t.Error("level 1.5 did not fail")
	}
}
