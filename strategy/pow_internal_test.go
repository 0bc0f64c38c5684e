package strategy

import (
	"math"
	"testing"

	"github.com/parley-dev/parley/internal/rng"
)

// TestUnitPow: unitPow gives math.Pow's bits for every exponent of the
// preset tactics and every whole exponent it computes itself, at the
// times of a 1,000-round two-party clock, at random times, at times near
// the underflow guard, at 0, 1, subnormals and (for Target, which takes
// any t) values outside [0, 1].
func TestUnitPow(t *testing.T) {
	ts := []float64{0, math.Copysign(0, -1), 1, math.SmallestNonzeroFloat64, 0x1p-1022, 0x1p-1000, 0x1p-500, 0x1p-100, 0x1p-16,
		0x1p-15, 0x1p-14, 0x1p-13, 0.5, math.Nextafter(1, 0), 1.5, -0.5, -1, math.NaN(), math.Inf(1), math.Inf(-1)}
	for s := range 2000 {
		ts = append(ts, float64(s)/2000, float64(s)/2001)
	}
	r := rng.New(3, 0)
	for range 20000 {
		ts = append(ts, r.Float64(), math.Ldexp(r.Float64(), -r.IntN(120)))
	}
	ys := []float64{1 / BoulwareE, 1 / ConcederE, math.Nextafter(0.5, 1), 1 / LinearE, 1 / 0.1, 1 / 0.3, 1 / 0.25, 1 / 0.5, 1 / 3.0, 0.5, 65, 100, 2.5}
	for n := 2; n <= 64; n++ {
		ys = append(ys, float64(n))
	}
	for _, y := range ys {
		for _, x := range ts {
			if got, want := unitPow(x, y), math.Pow(x, y); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("unitPow(%v, %v) = %v, math.Pow = %v", x, y, got, want)
			}
		}
	}
}
