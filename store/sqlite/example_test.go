package sqlite_test

import (
	"context"
	"fmt"

	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/tournament"
)

// A tournament streamed into a database (here in memory; give a file path
// to keep it), then read back.
func Example() {
	ctx := context.Background()
	space, profiles := parleytest.TwoIssue()
	sc := &scenario.Scenario{Name: "two-issue", Space: space, Parties: []scenario.Party{
		{Name: "buyer", Profile: profiles[0]}, {Name: "seller", Profile: profiles[1]}}}
	cfg := &tournament.Config{Scenarios: []*scenario.Scenario{sc}, Reps: 50, Deadline: 10, Seed: 1}
	for _, spec := range []string{"boulware", "conceder", "hardliner"} {
		f, _ := strategy.Parse(spec)
		cfg.Competitors = append(cfg.Competitors, tournament.Competitor{Name: spec, New: f})
	}
	st, err := sqlite.New(":memory:")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	sum, err := tournament.Run(ctx, cfg, st, tournament.RunOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	n, _ := st.Count(ctx)
	fmt.Printf("ran %d of %d, %d stored\n", sum.Ran, sum.Planned, n)
	r, _ := st.Record(ctx, 100)
	fmt.Println(r.Agents, r.Reason, r.Agreement, r.Utilities)
	// Output:
	// ran 300 of 300, 300 stored
	// [conceder boulware] agreement map[delivery:fast price:high] [0.4 0.8]
}
