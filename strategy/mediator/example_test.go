package mediator_test

import (
	"context"
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/strategy/mediator"
	"github.com/parley-dev/parley/ufun"
)

func Example() {
	space, _ := parley.NewOutcomeSpace([]parley.Issue{
		{Name: "border", Values: []string{"north", "middle", "south"}},
		{Name: "monitors", Values: []string{"none", "some", "many"}},
	})
	// North likes the border south and few monitors, South the reverse,
	// but both care about the border more than about monitors.
	north, _ := ufun.NewLinearAdditive(space, []float64{0.7, 0.3}, [][]float64{{0, 0.6, 1}, {1, 0.7, 0}}, 0)
	south, _ := ufun.NewLinearAdditive(space, []float64{0.6, 0.4}, [][]float64{{1, 0.7, 0}, {0, 0.8, 1}}, 0)
	ps := []*parley.Profile{
		{Name: "North", Space: space, Utility: north, Reservation: 0.3},
		{Name: "South", Space: space, Utility: south, Reservation: 0.3},
	}

	// A trusted mediator (full information) seeks the Nash point; the
	// parties vote as hill-climbers, from a text both dislike.
	med, _ := mediator.ParseMediator("nash")
	voter, _ := mediator.ParseVoter("hillclimber")
	start, _ := space.Parse(map[string]string{"border": "north", "monitors": "none"})
	m, _ := mediated.New(ps, []string{"North", "South"}, nil, mediated.Options{
		Rounds: 20, Info: parley.InfoFull, Start: start, HasStart: true})
	res, _ := m.Run(context.Background(), []mediated.Voter{voter(), voter()}, med(), 1)
	fmt.Printf("%v in round %d on %s: North %.2f, South %.2f\n",
		res.Reason, res.Rounds, space.Format(res.Agreement), res.Utilities[0], res.Utilities[1])
	// Output:
	// agreement in round 1 on border=middle, monitors=some: North 0.63, South 0.74
}
