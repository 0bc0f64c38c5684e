package results_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/server/results"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
	"github.com/parley-dev/parley/tournament"
	"github.com/parley-dev/parley/tracefile"
)

// TestReplayEvents: the results pages' replay of a staged and of a
// mediated tournament's run reports the stages and events that 'parley
// replay --trace' writes (tournament.Replay.WriteTrace): written through
// the same trace writer, they are the same bytes.
func TestReplayEvents(t *testing.T) {
	ctx := context.Background()
	r := tournament.Resolver{
		Agent:    strategy.Parse,
		Scenario: func(ref string) (*scenario.Scenario, error) { return catalog.Open(ref, catalog.Options{}) },
		Mediator: func(spec string) (func() mediated.Mediator, error) {
			f, err := mediator.ParseMediator(spec)
			return func() mediated.Mediator { return f() }, err
		},
		Voter: func(spec string) (func() mediated.Voter, error) {
			f, err := mediator.ParseVoter(spec)
			return func() mediated.Voter { return f() }, err
		},
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		meta tournament.Meta
	}{
		{"staged", tournament.Meta{Protocol: tournament.ProtocolStaged, Agents: []string{"boulware", "conceder"}, Mediators: []string{"biased:bias=0.25"},
			Voters: []string{"reservation"}, Scenarios: []string{"ceasefire"}, Reps: 1, Seed: 5, Planned: 2}},
		{"mediated", tournament.Meta{Protocol: tournament.ProtocolMediated, Mediators: []string{"hillclimb", "nash"}, Voters: []string{"hillclimber"},
			Scenarios: []string{filepath.Join("..", "testdata", "lunch.yaml")}, Reps: 1, Deadline: 12, Seed: 5, Planned: 2,
			Rule: parley.RuleUnanimous.String(), Info: parley.InfoDeclared.String()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := tournament.Rebuild(tc.meta, r, 0)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, tc.name+".db")
			st, err := sqlite.New(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tournament.Run(ctx, cfg, st, tournament.RunOptions{}); err != nil {
				t.Fatal(err)
			}
			st.Close()
			set, err := results.Open(ctx, []string{path}, results.Options{Resolver: r})
			if err != nil {
				t.Fatal(err)
			}
			defer set.Close()
			for id := range tc.meta.Planned {
				j, err := tournament.JobAt(cfg, id)
				if err != nil {
					t.Fatal(err)
				}
				want, err := tournament.ReplayRun(ctx, cfg, j)
				if err != nil {
					t.Fatal(err)
				}
				var wb bytes.Buffer
				if err := want.WriteTrace(&wb); err != nil {
					t.Fatal(err)
				}
				rp, err := set.Replay(ctx, tc.name, id)
				if err != nil {
					t.Fatal(err)
				}
				var gb bytes.Buffer
				w := tracefile.NewWriter(&gb, want.Scenario.Space, &want.Run.Setup)
				rc := tracefile.NewRecorder(w)
				var stages []int
				res, stage, err := rp.Run(ctx, func(k, offset int) { stages = append(stages, k); rc.Start(k, offset) }, func(k int, e parley.Event) {
					if k < 0 {
						rc.Event(e)
					} else {
						rc.Stage(k, e)
					}
				})
				if err != nil {
					t.Fatal(err)
				}
				if err := w.Result(want.Run); err != nil {
					t.Fatal(err)
				}
				if len(want.Events) == 0 || gb.String() != wb.String() {
					t.Errorf("run %d: the results page's replay:\n%s\nparley replay --trace:\n%s", id, gb.String(), wb.String())
				}
				if len(stages) == 0 || stages[len(stages)-1] >= len(want.Run.Stages) || res.Reason.String() != want.Run.Reason || res.Rounds != want.Run.Rounds ||
					stage != want.Record.Stage {
					t.Errorf("run %d: stages %v, ended %v in round %d (stage %q); parley replay: %s in round %d (stage %q)",
						id, stages, res.Reason, res.Rounds, stage, want.Run.Reason, want.Run.Rounds, want.Record.Stage)
				}
			}
		})
	}
}
