package results_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/server/results"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/tournament"
)

// A tournament stored in a database, served read-only: its listing and
// its leaderboard, as parley report prints it.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "results")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "ceasefire.db")

	// parley tournament --agents boulware,conceder,linear --scenarios ceasefire --db ceasefire.db
	r := tournament.Resolver{
		Agent:    func(spec string) (func() parley.Negotiator, error) { return strategy.Parse(spec) },
		Scenario: func(ref string) (*scenario.Scenario, error) { return catalog.Open(ref, catalog.Options{}) },
	}
	cfg, err := tournament.Rebuild(tournament.Meta{Agents: []string{"boulware", "conceder", "linear"}, Scenarios: []string{"ceasefire"},
		Reps: 1, Deadline: 100, Seed: 1, Protocol: tournament.ProtocolSAO, Planned: 6}, r, 0)
	if err != nil {
		log.Fatal(err)
	}
	st, err := sqlite.New(path)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := tournament.Run(ctx, cfg, st, tournament.RunOptions{}); err != nil {
		log.Fatal(err)
	}
	st.Close()

	// parley serve --results ceasefire.db
	set, err := results.Open(ctx, []string{path}, results.Options{Resolver: r})
	if err != nil {
		log.Fatal(err)
	}
	defer set.Close()
	var _ server.Results = set // server.Config{Results: set}
	list, err := set.List(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range list {
		fmt.Printf("%s: %s, %d of %d runs\n", s.Name, s.Kind, s.Done, s.Total)
	}
	rep, err := set.Report(ctx, "ceasefire")
	if err != nil {
		log.Fatal(err)
	}
	var doc struct {
		Schema      string
		Leaderboard []struct {
			Rank  int
			Agent string
		}
	}
	if err := json.Unmarshal(rep.Report, &doc); err != nil {
		log.Fatal(err)
	}
	fmt.Println(doc.Schema)
	for _, s := range doc.Leaderboard {
		fmt.Println(s.Rank, s.Agent)
	}
	// Output:
	// ceasefire: tournament, 6 of 6 runs
	// parley.report/2
	// 1 conceder
	// 2 boulware
	// 3 linear
}
