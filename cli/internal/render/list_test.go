package render_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/parley-dev/parley/bench"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/internal/golden"
	"github.com/parley-dev/parley/tournament"
)

// TestScenarios prints the built-in scenarios as a table and as JSON.
func TestScenarios(t *testing.T) {
	rows, err := render.ScenarioRows()
	if err != nil {
		t.Fatal(err)
	}
	for name, asJSON := range map[string]bool{"scenarios": false, "scenarios-json": true} {
		var b bytes.Buffer
		if err := render.Scenarios(&b, rows, asJSON); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, name, b.Bytes())
	}
}

// TestBench prints hand-made measurements as a table and as JSON.
func TestBench(t *testing.T) {
	rows := []bench.Result{
		{Scenario: "ceasefire", Outcomes: 58320, LoadMs: 1.234, PrepareMs: 12.5, ParetoMs: 0.4567, ParetoPoints: 31, ParetoMethod: "minkowski",
			Negotiations: 1200, RoundsPerSec: 5.1e6, StepsPerSec: 1.02e7, AllocsPerRound: 0},
		{Scenario: "market", Outcomes: 200, LoadMs: 0.05, PrepareMs: 0.1, ParetoMs: 0.001, ParetoPoints: 9, ParetoMethod: "enumerate",
			Negotiations: 99, RoundsPerSec: 123456.7, StepsPerSec: 246913.4, AllocsPerRound: 0.00012},
	}
	for name, asJSON := range map[string]bool{"bench": false, "bench-json": true} {
		var b bytes.Buffer
		if err := render.Bench(&b, rows, asJSON); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, name, b.Bytes())
	}
}

// TestTournamentSummary words the summary line of a tournament, of a
// shard and with another process's duplicates.
func TestTournamentSummary(t *testing.T) {
	sum := tournament.Summary{Planned: 40, Selected: 20, Ran: 15, Skipped: 4, Duplicates: 1, Errors: 2, Elapsed: 1500 * time.Millisecond}
	for _, tc := range []struct {
		shard tournament.Shard
		dups  int64
		want  string
	}{
		{tournament.Shard{}, 0, "tournament: 20 runs: ran 15 in 1.50s (10/s), 4 already stored, 2 errors; results in r.db"},
		{tournament.Shard{Index: 1, Count: 2}, 1,
			"tournament: 20 runs of shard 1/2 (40 in the tournament): ran 15 in 1.50s (10/s), 4 already stored, 1 run here but stored first by another process, 2 errors; results in r.db"},
	} {
		s := sum
		s.Duplicates = tc.dups
		if got := render.TournamentSummary(s, tc.shard, "r.db"); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}
