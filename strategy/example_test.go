package strategy_test

import (
	"context"
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/boa"
)

// Boulware against Conceder on the two-issue scenario, built from specs.
func Example() {
	space, profiles := parleytest.TwoIssue()
	var negs []parley.Negotiator
	for _, spec := range []string{"boulware", "conceder:ac=combi(t=0.98)"} {
		f, err := strategy.Parse(spec)
		if err != nil {
			fmt.Println(err)
			return
		}
		negs = append(negs, f())
	}
	m, err := sao.New(profiles, []string{"buyer", "seller"}, sao.Options{Deadline: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := m.Run(context.Background(), negs, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s in round %d on %s: %v\n", res.Reason, res.Rounds, space.Format(res.Agreement), res.Utilities)
	// Output:
	// agreement in round 9 on price=mid, delivery=fast: [0.7 0.4]
}

func ExampleTarget() {
	for _, e := range []float64{strategy.BoulwareE, strategy.LinearE, strategy.ConcederE} {
		fmt.Printf("e=%v:", e)
		for _, t := range []float64{0, 0.5, 0.9, 1} {
			fmt.Printf(" %.3f", strategy.Target(t, e, 0, 0.2, 1))
		}
		fmt.Println()
	}
	// Output:
	// e=0.2: 1.000 0.975 0.528 0.200
	// e=1: 1.000 0.600 0.280 0.200
	// e=2: 1.000 0.434 0.241 0.200
}

func ExampleParse() {
	_, err := strategy.Parse("conceder:x=3")
	fmt.Println(err)
	f, _ := strategy.Parse("linear:k=0.1,ac=combimax(t=0.98)")
	fmt.Printf("%T\n", f())
	// Output:
	// strategy "conceder:x=3": unknown parameter "x" (want e, k, discount, walk, ac)
	// *strategy.TimeDependent
}

func ExampleNegotiators() {
	for _, e := range strategy.Negotiators().Entries() {
		fmt.Print(e.Name)
		for _, p := range e.Params {
			fmt.Printf(" %s=%s", p.Name, p.Default)
		}
		fmt.Println()
	}
	// Output:
	// boulware e=0.2 k=0 discount=false walk=false ac=next
	// linear e=1 k=0 discount=false walk=false ac=next
	// conceder e=2 k=0 discount=false walk=false ac=next
	// timedep e= k=0 discount=false walk=false ac=next
	// hardliner
	// random p=0.1
	// tft ac=next
	// rubinstein opp_delta=0 opp_rv=0
	// micro
	// genius-boulware
	// genius-conceder
	// genius-linear
	// genius-hardliner
	// boa bid=boulware om=none ac=next
	// agentk guard=false
	// hardheaded guard=false
	// nicetft guard=false
	// cuhkagent guard=false
	// atlas3 guard=false
	// ponpoko guard=false
	// agentgg guard=false
}

// A program registers its own agent beside the built-in ones.
func ExampleNegotiators_add() {
	r := strategy.Negotiators()
	err := r.Add(spec.Entry[strategy.Factory]{
		Name: "stubborn", Doc: "a time-dependent agent that concedes late",
		Params: []spec.Param{spec.Float("e", 0.05, 0, 1, "concession exponent")},
		New: func(v spec.Values) (strategy.Factory, error) {
			opts := strategy.TimeDependentOptions{E: v.Float("e"), Accept: boa.ACCombi(0.99)}
			return func() parley.Negotiator { return strategy.NewTimeDependent(opts) }, nil
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := r.Parse("stubborn:e=0.1")
	fmt.Printf("%T %v\n", f(), err)
	_, err = r.Parse("stubborn:e=2")
	fmt.Println(err)
	// Output:
	// *strategy.TimeDependent <nil>
	// strategy "stubborn:e=2": parameter "e": 2 outside [0, 1]
}
