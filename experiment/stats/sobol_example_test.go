package stats_test

import (
	"fmt"

	"github.com/parley-dev/parley/experiment/stats"
)

// ExampleSobol estimates the indices of y = x1 + 2·x2 on the unit square:
// both first-order and total indices are 1/5 and 4/5, the shares of the
// squared coefficients.
func ExampleSobol() {
	d, err := stats.NewSobolDesign(4096, 2, 1)
	if err != nil {
		panic(err)
	}
	f := func(x []float64) float64 { return x[0] + 2*x[1] }
	fA, fB := make([]float64, len(d.A)), make([]float64, len(d.B))
	for j := range d.A {
		fA[j], fB[j] = f(d.A[j]), f(d.B[j])
	}
	fAB := make([][]float64, len(d.AB))
	for i := range d.AB {
		for _, row := range d.AB[i] {
			fAB[i] = append(fAB[i], f(row))
		}
	}
	s, err := stats.Sobol(fA, fB, fAB)
	if err != nil {
		panic(err)
	}
	fmt.Printf("S  = %.1f %.1f\nST = %.1f %.1f\n", s.First[0], s.First[1], s.Total[0], s.Total[1])
	// Output:
	// S  = 0.2 0.8
	// ST = 0.2 0.8
}
