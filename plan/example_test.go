package plan_test

import (
	"fmt"

	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/scenario"
)

// The ceasefire scenario's protocol variants, each a plan on the same
// 120-round clock.
func ExampleFromScenario() {
	s, err := scenario.Read("../catalog/scenarios/ceasefire.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range plan.Variants(s) {
		p, err := plan.FromScenario(s, v)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s:", v)
		for _, st := range p.Stages {
			fmt.Printf(" %s %s(%d)", st.Name, st.Mechanism, st.Rounds)
		}
		fmt.Println()
	}
	// Output:
	// bilateral_only: bilateral alternating_offers(120)
	// mediated_from_start: mediated mediated(120)
	// bilateral_then_mediated: bilateral alternating_offers(40) mediated mediated(80)
	// mediated_then_bilateral: mediated mediated(40) bilateral alternating_offers(80)
	// mediated_from_start_fallback: mediated mediated(120) bilateral alternating_offers(80)
	// bilateral_then_mediated_carry_none: bilateral alternating_offers(40) mediated mediated(80)
	// bilateral_then_mediated_carry_best: bilateral alternating_offers(40) mediated mediated(80)
}
