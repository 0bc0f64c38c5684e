package tournament_test

import (
	"context"
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
	"github.com/parley-dev/parley/tournament"
)

// A Boulware and a Conceder meet in both roles on the two-issue scenario,
// twice: four negotiations, each fixed by the seed and its id.
func Example() {
	space, profiles := parleytest.TwoIssue()
	sc := &scenario.Scenario{Name: "two-issue", Space: space, Parties: []scenario.Party{
		{Name: "buyer", Profile: profiles[0]}, {Name: "seller", Profile: profiles[1]}}}
	cfg := &tournament.Config{Scenarios: []*scenario.Scenario{sc}, Reps: 2, Deadline: 10, Seed: 1}
	for _, spec := range []string{"boulware", "conceder"} {
		f, err := strategy.Parse(spec)
		if err != nil {
			fmt.Println(err)
			return
		}
		cfg.Competitors = append(cfg.Competitors, tournament.Competitor{Name: spec, New: f})
	}
	fmt.Println(tournament.Count(cfg), "negotiations")
	for id := range tournament.Count(cfg) {
		j, err := tournament.JobAt(cfg, id)
		if err != nil {
			fmt.Println(err)
			return
		}
		rec, err := tournament.RunNegotiation(context.Background(), cfg, j, tournament.RunnerOptions{})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("run %d rep %d %v: %s in round %d, utilities %v\n", id, rec.Rep, rec.Agents, rec.Reason, rec.Rounds, rec.Utilities)
	}
	// Output:
	// 4 negotiations
	// run 0 rep 0 [boulware conceder]: agreement in round 9, utilities [0.7 0.4]
	// run 1 rep 1 [boulware conceder]: agreement in round 9, utilities [0.7 0.4]
	// run 2 rep 0 [conceder boulware]: agreement in round 9, utilities [0.4 0.8]
	// run 3 rep 1 [conceder boulware]: agreement in round 9, utilities [0.4 0.8]
}

// Two mediators compete on the two-issue scenario: each meets the four
// voter pools (every assignment of a hill-climber or an annealer to the
// buyer and the seller) with the same seeds. The Nash-seeking mediator
// calls the vote on the Nash point, (0.4, 0.8), whoever votes.
func Example_mediators() {
	space, profiles := parleytest.TwoIssue()
	sc := &scenario.Scenario{Name: "two-issue", Space: space, Parties: []scenario.Party{
		{Name: "buyer", Profile: profiles[0]}, {Name: "seller", Profile: profiles[1]}}}
	cfg := &tournament.Config{Protocol: tournament.ProtocolMediated, Scenarios: []*scenario.Scenario{sc}, Deadline: 10, Seed: 1,
		Rule: parley.RuleMediator, Info: parley.InfoDeclared}
	for _, spec := range []string{"hillclimb", "nash"} {
		f, err := mediator.ParseMediator(spec)
		if err != nil {
			fmt.Println(err)
			return
		}
		cfg.Mediators = append(cfg.Mediators, tournament.Mediator{Name: spec, New: func() mediated.Mediator { return f() }})
	}
	for _, spec := range []string{"hillclimber", "annealer"} {
		f, err := mediator.ParseVoter(spec)
		if err != nil {
			fmt.Println(err)
			return
		}
		cfg.Voters = append(cfg.Voters, tournament.Voter{Name: spec, New: func() mediated.Voter { return f() }})
	}
	fmt.Println(tournament.Count(cfg), "mediations")
	for id := range tournament.Count(cfg) {
		j, err := tournament.JobAt(cfg, id)
		if err != nil {
			fmt.Println(err)
			return
		}
		rec, err := tournament.RunNegotiation(context.Background(), cfg, j, tournament.RunnerOptions{})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("run %d %s %v seed %d: %s, utilities %v\n", id, rec.Mediator, rec.Voters, j.Seed%1000, rec.Reason, rec.Utilities)
	}
	// Output:
	// 8 mediations
	// run 0 hillclimb [hillclimber hillclimber] seed 759: agreement, utilities [0.7 0.4]
	// run 1 hillclimb [hillclimber annealer] seed 633: agreement, utilities [0.6 0.2]
	// run 2 hillclimb [annealer hillclimber] seed 274: agreement, utilities [0 1]
	// run 3 hillclimb [annealer annealer] seed 270: agreement, utilities [0.3 0.6]
	// run 4 nash [hillclimber hillclimber] seed 759: agreement, utilities [0.4 0.8]
	// run 5 nash [hillclimber annealer] seed 633: agreement, utilities [0.4 0.8]
	// run 6 nash [annealer hillclimber] seed 274: agreement, utilities [0.4 0.8]
	// run 7 nash [annealer annealer] seed 270: agreement, utilities [0.4 0.8]
}
