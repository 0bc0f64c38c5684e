package render_test

import (
	"bytes"
	"testing"

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

// TestRecord prints hand-made records of mediated and staged runs, as
// 'parley replay' does.
func TestRecord(t *testing.T) {
	s := market(t)
	var b bytes.Buffer
	render.Record(&b, s, &tournament.Record{Mediator: "nash", Voters: []string{"hillclimber", "annealer"}, Reason: "agreement", Rounds: 12,
		Utilities: []float64{0.625, 0.5}, Advantage: []float64{0.125, -0.25}})
	render.Record(&b, s, &tournament.Record{Agents: []string{"boulware", ""}, Reason: "error", Rounds: 3, Error: "seller: boom",
		Utilities: []float64{0.1, 0.2}, Advantage: []float64{0, 0}})
	golden.Check(t, "record", b.Bytes())
}
