package tournament_test

import (
	"context"
	"fmt"

	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/strategy"
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
