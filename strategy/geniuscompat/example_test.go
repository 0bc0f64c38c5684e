package geniuscompat_test

import (
	"context"
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/strategy/geniuscompat"
)

// A GENIUS Boulware buyer against a GENIUS Conceder seller on the
// two-issue scenario, with GENIUS's round timing.
func Example() {
	space, ps := parleytest.TwoIssue()
	m, err := sao.New(ps, []string{"buyer", "seller"}, sao.Options{Deadline: 10, Timing: sao.TimingGENIUS})
	if err != nil {
		panic(err)
	}
	negs := []parley.Negotiator{geniuscompat.NewBoulware(), geniuscompat.NewConceder()}
	res, err := m.Run(context.Background(), negs, 1)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s in round %d, accepted by party %d: %s\n", res.Reason, res.Rounds, res.Party+1, space.Format(res.Agreement))
	fmt.Printf("utilities %.1f %.1f\n", res.Utilities[0], res.Utilities[1])
	// Output:
	// agreement in round 9, accepted by party 2: price=mid, delivery=fast
	// utilities 0.7 0.4
}

// The sorted outcome space of GENIUS's SortedOutcomeSpace and its search.
func ExampleSortedOf() {
	space, ps := parleytest.TwoIssue()
	s, err := geniuscompat.SortedOf(ps[0])
	if err != nil {
		panic(err)
	}
	for i, o := range s.Outcomes {
		fmt.Printf("%d %-25s %.1f\n", i, space.Format(o), s.Util[i])
	}
	fmt.Println("near 0.8:", s.Near(0.8), "near 0.65:", s.Near(0.65))
	// Output:
	// 0 price=low, delivery=fast  1.0
	// 1 price=mid, delivery=fast  0.7
	// 2 price=low, delivery=slow  0.6
	// 3 price=high, delivery=fast 0.4
	// 4 price=mid, delivery=slow  0.3
	// 5 price=high, delivery=slow 0.0
	// near 0.8: 1 near 0.65: 1
}
