package staged_test

import (
	"context"
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/staged"
)

// Two parties talk directly for 4 rounds, then a mediator with interests
// of its own proposes texts for 4 more, starting from the best offer both
// found acceptable; one clock runs over all 8 rounds.
func Example() {
	sp, _ := parley.NewOutcomeSpace([]parley.Issue{{Name: "x", Values: []string{"a", "b", "c"}}, {Name: "y", Values: []string{"p", "q"}}})
	table := func(u ...float64) parley.UtilityFunction {
		return parley.UtilityFunc(func(o parley.Outcome) float64 { return u[o] })
	}
	profiles := []*parley.Profile{
		{Name: "A", Space: sp, Utility: table(1, .8, .6, .5, .2, 0), Reservation: 0.4, Discount: 0.9},
		{Name: "B", Space: sp, Utility: table(0, .3, .5, .7, .8, 1), Reservation: 0.4, Discount: 0.8},
		{Name: "M", Space: sp, Utility: table(.2, .4, .9, 1, .5, .3), Reservation: 0.1},
	}
	plan := staged.Plan{Stages: []parley.Stage{
		{Name: "bilateral", Participants: []int{0, 1}, Mechanism: parley.MechanismAlternatingOffers, Rounds: 4, Carry: parley.CarryBestAcceptable},
		{Name: "mediated", Participants: []int{0, 1}, Mediator: 2, Mechanism: parley.MechanismMediated, Rounds: 4},
	}}
	seats := staged.Seats{
		Negotiators: []parley.Negotiator{&script{acts: offers(0, 2)}, &script{acts: offers(5, 3)}, nil},
		Voters:      []mediated.Voter{&hill{leave: -1}, &hill{leave: -1}, nil},
		Mediator:    &proposer{props: []int{2, 1, 3}},
	}
	res, err := staged.Run(context.Background(), profiles, []string{"A", "B", "M"}, plan, seats, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s in stage %s on %s at t = %v\n", res.Reason, res.StageName, sp.Format(res.Agreement), res.Time)
	fmt.Printf("utilities %.2f, discounted %.2f\n", res.Utilities, res.Discounted)
	// Output:
	// agreement in stage mediated on x=b, y=q at t = 1
	// utilities [0.50 0.70 1.00], discounted [0.45 0.56 1.00]
}
