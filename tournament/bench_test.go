package tournament_test

import (
	"context"
	"testing"
	"time"

	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tournament"
)

// benchRunner runs the jobs of a boulware-conceder tournament on a
// 360-outcome synthetic scenario (100 rounds) one after another on one
// Runner: the cost of a negotiation with its record and metrics, without
// storage.
func benchRunner(b *testing.B, limit time.Duration) {
	benchConfig(b, &tournament.Config{Competitors: competitors(b, "boulware", "conceder"),
		Scenarios: []*scenario.Scenario{synthetic(b, "syn", 1, 6, 5, 4, 3)}, Reps: 1000, Deadline: 100, Limit: limit})
}

// benchConfig runs the jobs of cfg, in id order and round again, on one
// Runner.
func benchConfig(b *testing.B, cfg *tournament.Config) {
	r, err := tournament.NewRunner(cfg, tournament.RunnerOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	n := tournament.Count(cfg)
	ctx := context.Background()
	b.ReportAllocs()
	id := int64(0)
	for b.Loop() {
		j, _ := tournament.JobAt(cfg, id%n)
		if _, err := r.Run(ctx, j); err != nil {
			b.Fatal(err)
		}
		id++
	}
}

func BenchmarkRunner(b *testing.B)      { benchRunner(b, 0) }
func BenchmarkRunnerLimit(b *testing.B) { benchRunner(b, time.Minute) }

// BenchmarkRunnerMediated is BenchmarkRunner for single-text mediation:
// a hill-climbing mediator with hill-climbing voters, 100 rounds.
func BenchmarkRunnerMediated(b *testing.B) {
	benchConfig(b, &tournament.Config{Protocol: tournament.ProtocolMediated, Mediators: mediators(b, "hillclimb"), Voters: voters(b, "hillclimber"),
		Scenarios: []*scenario.Scenario{synthetic(b, "syn", 1, 6, 5, 4, 3)}, Reps: 1000, Deadline: 100})
}
