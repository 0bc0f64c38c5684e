package parleytest_test

import (
	"context"
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
)

// A scripted seller against the Conceder on the two-issue scenario.
func Example() {
	space, profiles := parleytest.TwoIssue()
	seller := &parleytest.Scripted{Actions: parleytest.Offers(4, 5, 3)}
	m, err := sao.New(profiles, []string{"buyer", "seller"}, sao.Options{
		Deadline: 4,
		Trace: func(e parley.Event) {
			fmt.Printf("round %d party %d %-6s %s\n", e.Round, e.Party, e.Action, space.Format(e.Outcome))
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := m.Run(context.Background(), []parley.Negotiator{&parleytest.Conceder{}, seller}, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Reason, res.Utilities)
	// Output:
	// round 0 party 0 offer  price=low, delivery=fast
	// round 0 party 1 offer  price=high, delivery=slow
	// round 1 party 0 offer  price=low, delivery=fast
	// round 1 party 1 offer  price=high, delivery=fast
	// round 2 party 0 offer  price=low, delivery=slow
	// round 2 party 1 offer  price=mid, delivery=fast
	// round 3 party 0 accept price=mid, delivery=fast
	// agreement [0.7 0.4]
}
