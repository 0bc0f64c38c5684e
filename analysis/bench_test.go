package analysis

import (
	"math/rand/v2"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
)

// unit maps x to a pseudo-random number in [0,1) with SplitMix64.
func unit(x uint64) float64 { return float64(rng.SplitMix64(x)>>11) * 0x1p-53 }

// space1e7 is 7 issues of 10 values: 10^7 outcomes.
func space1e7(b *testing.B) *parley.OutcomeSpace {
	return discrete(b, 10, 10, 10, 10, 10, 10, 10)
}

// BenchmarkFrontier2D_1e7 runs the enumeration path (plain, non-additive
// functions) on 10^7 outcomes with independent uniform utilities.
func BenchmarkFrontier2D_1e7(b *testing.B) {
	s := space1e7(b)
	ufs := []parley.UtilityFunction{
		parley.UtilityFunc(func(o parley.Outcome) float64 { return unit(uint64(o)) }),
		parley.UtilityFunc(func(o parley.Outcome) float64 { return unit(uint64(o) ^ 0x5555_5555_5555) }),
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Frontier(s, ufs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFrontier2D_1e7Opposed is the same with strongly opposed
// utilities (u2 ≈ 1 - u1), so that many points lie near the frontier.
func BenchmarkFrontier2D_1e7Opposed(b *testing.B) {
	s := space1e7(b)
	ufs := []parley.UtilityFunction{
		parley.UtilityFunc(func(o parley.Outcome) float64 { return unit(uint64(o)) }),
		parley.UtilityFunc(func(o parley.Outcome) float64 {
			return 1 - unit(uint64(o)) - 0.01*unit(uint64(o)^0x5555_5555_5555)
		}),
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Frontier(s, ufs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFrontier2D_1e7AllPareto is the worst case of the sweep: a
// zero-sum domain (u2 = 1 - u1) where all 10^7 outcomes are on the
// frontier.
func BenchmarkFrontier2D_1e7AllPareto(b *testing.B) {
	s := space1e7(b)
	ufs := []parley.UtilityFunction{
		parley.UtilityFunc(func(o parley.Outcome) float64 { return unit(uint64(o)) }),
		parley.UtilityFunc(func(o parley.Outcome) float64 { return 1 - unit(uint64(o)) }),
	}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		pts, err := Frontier(s, ufs)
		if err != nil {
			b.Fatal(err)
		}
		n = len(pts)
	}
	b.ReportMetric(float64(n), "points")
}

// BenchmarkFrontierEnergyALike is the Minkowski path on a synthetic domain
// the size of ANAC Energy A: 8 issues of 5 values (390,625 outcomes), two
// parties with random weights and evaluations.
func BenchmarkFrontierEnergyALike(b *testing.B) {
	s := discrete(b, 5, 5, 5, 5, 5, 5, 5, 5)
	r := rand.New(rand.NewPCG(8, 5))
	ufs := []parley.UtilityFunction{randomAdditive(r, s, false, 0), randomAdditive(r, s, false, 0)}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		pts, err := Frontier(s, ufs)
		if err != nil {
			b.Fatal(err)
		}
		n = len(pts)
	}
	b.ReportMetric(float64(n), "points")
}

// BenchmarkFrontierEnergyALikeEnumerated is the same domain through
// enumeration, for comparison.
func BenchmarkFrontierEnergyALikeEnumerated(b *testing.B) {
	s := discrete(b, 5, 5, 5, 5, 5, 5, 5, 5)
	r := rand.New(rand.NewPCG(8, 5))
	ufs := []parley.UtilityFunction{randomAdditive(r, s, false, 0), randomAdditive(r, s, false, 0)}
	us, err := Utilities(s, ufs)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FrontierOf(us); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFrontier3D_1e6 is Sort-Filter-Skyline on 10^6 outcomes with
// three independent uniform utilities.
func BenchmarkFrontier3D_1e6(b *testing.B) {
	s := discrete(b, 10, 10, 10, 10, 10, 10)
	ufs := []parley.UtilityFunction{
		parley.UtilityFunc(func(o parley.Outcome) float64 { return unit(uint64(o)) }),
		parley.UtilityFunc(func(o parley.Outcome) float64 { return unit(uint64(o) ^ 0x5555_5555_5555) }),
		parley.UtilityFunc(func(o parley.Outcome) float64 { return unit(uint64(o) ^ 0x3333_3333_3333) }),
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Frontier(s, ufs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFrontier3D_1e6Opposed has three strongly opposed parties
// (u3 ≈ 1 - (u1+u2)/2), with a frontier of tens of thousands of points.
func BenchmarkFrontier3D_1e6Opposed(b *testing.B) {
	s := discrete(b, 10, 10, 10, 10, 10, 10)
	ufs := []parley.UtilityFunction{
		parley.UtilityFunc(func(o parley.Outcome) float64 { return unit(uint64(o)) }),
		parley.UtilityFunc(func(o parley.Outcome) float64 { return unit(uint64(o) ^ 0x5555_5555_5555) }),
		parley.UtilityFunc(func(o parley.Outcome) float64 {
			return 1 - (unit(uint64(o))+unit(uint64(o)^0x5555_5555_5555))/2 - 0.05*unit(uint64(o)^0x3333_3333_3333)
		}),
	}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		pts, err := Frontier(s, ufs)
		if err != nil {
			b.Fatal(err)
		}
		n = len(pts)
	}
	b.ReportMetric(float64(n), "points")
}

// BenchmarkFrontierEnergyALike3 is the Minkowski path with three parties
// on the Energy A-sized domain.
func BenchmarkFrontierEnergyALike3(b *testing.B) {
	s := discrete(b, 5, 5, 5, 5, 5, 5, 5, 5)
	r := rand.New(rand.NewPCG(8, 5))
	ufs := []parley.UtilityFunction{randomAdditive(r, s, false, 0), randomAdditive(r, s, false, 0), randomAdditive(r, s, false, 0.2)}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		pts, err := Frontier(s, ufs)
		if err != nil {
			b.Fatal(err)
		}
		n = len(pts)
	}
	b.ReportMetric(float64(n), "points")
}
