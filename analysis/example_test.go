package analysis_test

import (
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
)

// A buyer and a seller agree on a price (low, mid, high) and a delivery
// (slow, fast). Each utility is given per outcome; outcome o is
// price·2 + delivery.
func ExampleAnalyze() {
	space, err := parley.NewOutcomeSpace([]parley.Issue{
		{Name: "price", Values: []string{"low", "mid", "high"}},
		{Name: "delivery", Values: []string{"slow", "fast"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	buyer := []float64{0.7, 1.0, 0.4, 0.6, 0.0, 0.2}
	seller := []float64{0.5, 0.0, 0.8, 0.5, 1.0, 0.8}
	profiles := []*parley.Profile{
		{Name: "buyer", Space: space, Reservation: 0.3,
			Utility: parley.UtilityFunc(func(o parley.Outcome) float64 { return buyer[o] })},
		{Name: "seller", Space: space, Reservation: 0.3,
			Utility: parley.UtilityFunc(func(o parley.Outcome) float64 { return seller[o] })},
	}
	r, err := analysis.Analyze(space, profiles)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range r.Frontier {
		fmt.Printf("%-28s %v\n", space.Format(p.Outcome), p.U)
	}
	fmt.Println("Nash:", space.Format(r.Nash.Outcome))
	fmt.Println("Kalai-Smorodinsky:", space.Format(r.KalaiSmorodinsky.Outcome))
	fmt.Printf("max welfare: %s (%.2f)\n", space.Format(r.MaxWelfare.Outcome), r.Welfare)
	fmt.Printf("opposition: %.4f\n", r.Opposition)

	// An agreement on a mid price with fast delivery, (0.6, 0.5), leaves
	// 0.1 on the table for the buyer.
	m, err := r.Metrics([]float64{buyer[3], seller[3]})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("agreement: welfare %.2f, distance to Pareto %.2f, to Nash %.2f\n",
		m.Welfare, m.ParetoDistance, m.NashDistance)
	// Output:
	// price=low, delivery=fast     [1 0]
	// price=low, delivery=slow     [0.7 0.5]
	// price=mid, delivery=slow     [0.4 0.8]
	// price=high, delivery=slow    [0 1]
	// Nash: price=low, delivery=slow
	// Kalai-Smorodinsky: price=low, delivery=slow
	// max welfare: price=low, delivery=slow (1.20)
	// opposition: 0.5831
	// agreement: welfare 1.10, distance to Pareto 0.10, to Nash 0.10
}

// Frontier of a two-party scenario given as plain functions: points come
// sorted by the first party's utility, descending.
func ExampleFrontier() {
	space, err := parley.NewOutcomeSpace([]parley.Issue{
		{Name: "share", Kind: parley.Integer, Min: 0, Max: 4},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// A zero-sum split of 4 units: every outcome is Pareto-optimal.
	mine := parley.UtilityFunc(func(o parley.Outcome) float64 { return float64(o) / 4 })
	yours := parley.UtilityFunc(func(o parley.Outcome) float64 { return 1 - float64(o)/4 })
	front, err := analysis.Frontier(space, []parley.UtilityFunction{mine, yours})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range front {
		fmt.Println(space.Format(p.Outcome), p.U)
	}
	opp, _ := analysis.Opposition(front)
	fmt.Printf("opposition %.4f\n", opp)
	// Output:
	// share=4 [1 0]
	// share=3 [0.75 0.25]
	// share=2 [0.5 0.5]
	// share=1 [0.25 0.75]
	// share=0 [0 1]
	// opposition 0.7071
}
