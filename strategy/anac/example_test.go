package anac_test

import (
	"context"
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/strategy/anac"
)

// Atlas3's threshold without discounting, when the best offer so far is
// worth 0.6: it falls linearly from 1 to the value of the final-offer
// game, 0.75.
func ExampleAtlas3Threshold() {
	for _, t := range []float64{0, 0.5, 1} {
		fmt.Printf("t = %.1f: %.3f\n", t, anac.Atlas3Threshold(t, 1, 0, 0.6))
	}
	// Output:
	// t = 0.0: 1.000
	// t = 0.5: 0.875
	// t = 1.0: 0.750
}

// PonPokoAgent's five bands halfway through a negotiation.
func ExamplePonPokoBand() {
	for p := range anac.PonPokoPatterns {
		low, high := anac.PonPokoBand(p, 0.5)
		fmt.Printf("pattern %d: [%.3f, %.3f]\n", p, low, high)
	}
	// Output:
	// pattern 0: [0.859, 0.950]
	// pattern 1: [0.890, 1.000]
	// pattern 2: [0.868, 0.950]
	// pattern 3: [0.950, 0.975]
	// pattern 4: [0.943, 0.959]
}

// Every agent of the package, by name, as a tournament sees them; here
// Atlas3 (the buyer) negotiates with CUHKAgent (the seller) over the
// two-issue scenario of parleytest. CUHKAgent holds out at its best
// outcome and, as in GENIUS, makes its final concession only after
// t = 0.9985, which 40 rounds never reach: no agreement.
func ExampleAgents() {
	byName := map[string]func() parley.Negotiator{}
	for _, e := range anac.Agents() {
		fmt.Println(e.Name)
		byName[e.Name] = e.New
	}
	space, ps := parleytest.TwoIssue()
	m, err := sao.New(ps, []string{"buyer", "seller"}, sao.Options{Deadline: 40})
	if err != nil {
		panic(err)
	}
	res, err := m.Run(context.Background(), []parley.Negotiator{byName["atlas3"](), byName["cuhkagent"]()}, 1)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s in round %d: %s, utilities %.1f\n", res.Reason, res.Rounds, space.Format(res.Agreement), res.Utilities)
	// Output:
	// agentk
	// hardheaded
	// nicetft
	// cuhkagent
	// atlas3
	// ponpoko
	// agentgg
	// deadline in round 40: none, utilities [0.0 0.0]
}
