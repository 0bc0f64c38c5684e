package boa_test

import (
	"context"
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/strategy/boa"
)

// A BOA agent built from a spec against a simple conceder on the two-issue
// scenario.
func Example() {
	space, profiles := parleytest.TwoIssue()
	f, err := boa.Parse("boa:bid=timedep(e=0.5),om=frequency,ac=combi(t=0.9)")
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := sao.New(profiles, []string{"buyer", "seller"}, sao.Options{Deadline: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := m.Run(context.Background(), []parley.Negotiator{f(), &parleytest.Conceder{}}, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s in round %d on %s: %v\n", res.Reason, res.Rounds, space.Format(res.Agreement), res.Utilities)
	// Output:
	// agreement in round 7 on price=mid, delivery=fast: [0.7 0.4]
}

func ExampleParse() {
	_, err := boa.Parse("bid=timedep(e=fast)")
	fmt.Println(err)
	_, err = boa.Parse("om=frequency(x=1)")
	fmt.Println(err)
	// Output:
	// boa "bid=timedep(e=fast)": parameter "bid": timedep: parameter "e": "fast" is not a number
	// boa "om=frequency(x=1)": parameter "om": frequency: unknown parameter "x" (want l, v)
}

// Composing a negotiator from components directly.
func ExampleNew() {
	n := boa.New(boa.Options{
		Bidding: boa.NewTimeDependent(boa.TimeDependentOptions{E: 0.2}),
		Model:   boa.NewBayesian(boa.BayesianOptions{}),
		Accept:  boa.ACAny(boa.ACNext(1, 0), boa.ACConst(0.9)),
	})
	fmt.Printf("%T\n", n)
	// Output:
	// *boa.Negotiator
}
