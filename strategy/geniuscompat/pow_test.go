package geniuscompat

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// bigPow returns x^n rounded once to float64, computed exactly with
// math/big (the reference for powExact).
func bigPow(x float64, n int) float64 {
	b := new(big.Float).SetPrec(2048).SetFloat64(x)
	r := new(big.Float).SetPrec(2048).SetFloat64(1)
	for range n {
		r.Mul(r, b)
	}
	f, _ := r.Float64() // rounds to nearest, ties to even
	return f
}

func TestPowExact(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	xs := []float64{1, 0.5, 0.99, 1.0 / 3, 99.0 / 101, 999.0 / 1001, math.Nextafter(1, 0), 1e-30, 1.5, 123.456, -0.7}
	for range 20000 {
		xs = append(xs, r.Float64())
	}
	for _, x := range xs {
		for n := 2; n <= maxExactPow; n++ {
			got, ok := powExact(x, n)
			if !ok {
				t.Fatalf("powExact(%v, %d) refused", x, n)
			}
			if want := bigPow(x, n); got != want {
				t.Fatalf("powExact(%v, %d) = %v, want %v", x, n, got, want)
			}
		}
	}
	for _, x := range []float64{0, math.Inf(1), math.NaN(), 1e-300} {
		if _, ok := powExact(x, 5); ok {
			t.Errorf("powExact(%v, 5) should defer to math.Pow", x)
		}
	}
}

// javaPow follows Java's Math.pow on the exponents GENIUS uses and its
// special cases.
func TestJavaPow(t *testing.T) {
	tests := []struct {
		x, y, want float64
	}{
		{0.3, 1, 0.3},
		{0.25, 0.5, 0.5},
		{0, 5, 0},
		{0.5, 5, 0.03125},
		{-0.5, 5, -0.03125}, // odd integer exponent keeps the sign
		{2, 3, 8},
		{0.81, 0.5, 0.9},
		{math.Copysign(0, -1), 0.5, 0},
	}
	for _, tc := range tests {
		if got := javaPow(tc.x, tc.y); got != tc.want || math.Signbit(got) != math.Signbit(tc.want) {
			t.Errorf("javaPow(%v, %v) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
	}
	if got := javaPow(-0.25, 0.5); !math.IsNaN(got) {
		t.Errorf("javaPow(-0.25, 0.5) = %v, want NaN", got)
	}
	if got, want := javaPow(0.3, 1.7), math.Pow(0.3, 1.7); got != want {
		t.Errorf("javaPow(0.3, 1.7) = %v, want math.Pow's %v", got, want)
	}
}
