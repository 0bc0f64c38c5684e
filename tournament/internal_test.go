package tournament

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parley-dev/parley/experiment/stats"
)

// TestMomentsMatchStatsMean checks the report's streaming interval
// against stats.Mean on the same values.
func TestMomentsMatchStatsMean(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 10, 1000, 100000} {
		xs := make([]float64, n)
		var m moments
		for i := range xs {
			xs[i] = 0.3 + 0.1*r.NormFloat64()
			m.add(xs[i])
		}
		want, err := stats.Mean(xs, stats.Level95)
		if err != nil {
			t.Fatal(err)
		}
		got := m.estimate()
		if got.N != want.N || got.HasCI != want.HasCI || math.Abs(got.Mean-want.Mean) > 1e-12 {
			t.Fatalf("n=%d: got %+v, want %+v", n, got, want)
		}
		if want.HasCI && (math.Abs(got.Low-want.CI.Low) > 1e-12 || math.Abs(got.High-want.CI.High) > 1e-12) {
			t.Fatalf("n=%d: interval [%v, %v], want [%v, %v]", n, got.Low, got.High, want.CI.Low, want.CI.High)
		}
	}
}

func TestDecodeTuplePermutations(t *testing.T) {
	// Without self-play the tuples of 4 competitors in 3 seats are the 24
	// 3-permutations in lexicographic order.
	var prev []int
	for i := range int64(24) {
		a := decodeTuple(i, 4, 3, false)
		if a[0] == a[1] || a[0] == a[2] || a[1] == a[2] {
			t.Fatalf("tuple %d = %v repeats a competitor", i, a)
		}
		if prev != nil && !less(prev, a) {
			t.Fatalf("tuple %d = %v not after %v", i, a, prev)
		}
		prev = a
	}
	if got := decodeTuple(23, 4, 3, false); got[0] != 3 || got[1] != 2 || got[2] != 1 {
		t.Fatalf("last tuple %v, want [3 2 1]", got)
	}
	if got := decodeTuple(5, 3, 2, true); got[0] != 1 || got[1] != 2 {
		t.Fatalf("self-play tuple 5 = %v, want [1 2]", got)
	}
}

func less(a, b []int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
