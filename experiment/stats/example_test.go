package stats_test

import (
	"fmt"

	"github.com/parley-dev/parley/experiment/stats"
)

// Two arms run on the same seeds: agreement in 81 of 263 runs, and the
// paired utilities of the depression-scale example of Hollander and Wolfe.
func Example() {
	ci, _ := stats.Wilson(81, 263, stats.Level95)
	fmt.Printf("agreement 81/263: 95%% CI [%.4f, %.4f]\n", ci.Low, ci.High)

	x := []float64{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30}
	y := []float64{0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29}
	w, _ := stats.Wilcoxon(x, y, stats.Auto)
	fmt.Printf("Wilcoxon: V = %g, two-sided p = %.4f (exact %v)\n", w.WPlus, w.P, w.Exact)

	m, _ := stats.McNemarCounts(6, 16, stats.Auto)
	fmt.Printf("McNemar: b = 6, c = 16, p = %.4f (exact %v)\n", m.P, m.Exact)

	fmt.Println("Holm:", stats.Holm([]float64{0.01, 0.04, 0.03, 0.005}))
	// Output:
	// agreement 81/263: 95% CI [0.2553, 0.3662]
	// Wilcoxon: V = 40, two-sided p = 0.0391 (exact true)
	// McNemar: b = 6, c = 16, p = 0.0525 (exact true)
	// Holm: [0.03 0.06 0.06 0.02]
}
