package tournament_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/strategy/mediator"
	"github.com/parley-dev/parley/tournament"
)

func mediators(tb testing.TB, specs ...string) []tournament.Mediator {
	tb.Helper()
	var ms []tournament.Mediator
	for _, s := range specs {
		f, err := mediator.ParseMediator(s)
		if err != nil {
			tb.Fatal(err)
		}
		ms = append(ms, tournament.Mediator{Name: s, New: func() mediated.Mediator { return f() }})
	}
	return ms
}

func voters(tb testing.TB, specs ...string) []tournament.Voter {
	tb.Helper()
	var vs []tournament.Voter
	for _, s := range specs {
		f, err := mediator.ParseVoter(s)
		if err != nil {
			tb.Fatal(err)
		}
		vs = append(vs, tournament.Voter{Name: s, New: func() mediated.Voter { return f() }})
	}
	return vs
}

func mediatedConfig(tb testing.TB, workers int) *tournament.Config {
	return &tournament.Config{Protocol: tournament.ProtocolMediated,
		Mediators: mediators(tb, "hillclimb", "anneal", "nash", "biased:bias=0.5"),
		Voters:    voters(tb, "hillclimber", "annealer"),
		Scenarios: []*scenario.Scenario{synthetic(tb, "syn", 1, 4, 3, 3), twoIssue("tiny")},
		Reps:      2, Deadline: 30, Seed: 11, Workers: workers,
		Rule: mediated.RuleMediator, Info: mediated.InfoDeclared}
}

// TestMediatedTournament checks the enumeration of a mediated tournament
// (every mediator with every voter pool on every scenario, the same seed
// for every mediator) and that its records do not depend on the number of
// workers.
func TestMediatedTournament(t *testing.T) {
	cfg := mediatedConfig(t, 1)
	// 2 scenarios × 4 mediators × 2² voter pools × 2 reps.
	if n := tournament.Count(cfg); n != 2*4*4*2 {
		t.Fatalf("Count = %d, want 64", n)
	}
	// Scenario 0: job id = ((mediator·4 + pool)·1 + 0)·2 + rep.
	j, err := tournament.JobAt(cfg, (2*4+1)*2+1)
	if err != nil {
		t.Fatal(err)
	}
	if j.Mediator != 2 || !slices.Equal(j.Voters, []int{0, 1}) || j.Rep != 1 || j.Agents != nil {
		t.Fatalf("job %+v: want mediator 2, voters [0 1], rep 1, no agents", j)
	}
	j0, _ := tournament.JobAt(cfg, (0*4+1)*2+1)
	if j0.Seed != j.Seed || j0.Mediator != 0 || !slices.Equal(j0.Voters, j.Voters) {
		t.Fatalf("mediators 0 and 2 on the same pool and repetition: seeds %d and %d", j0.Seed, j.Seed)
	}
	run := func(workers int) []tournament.Record {
		st := newMemStore()
		sum, err := tournament.Run(context.Background(), mediatedConfig(t, workers), st, tournament.RunOptions{Worker: "w"})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Ran != 64 || sum.Errors != 0 {
			t.Fatalf("summary %+v", sum)
		}
		if st.meta.Protocol != tournament.ProtocolMediated || !slices.Equal(st.meta.Mediators, []string{"hillclimb", "anneal", "nash", "biased:bias=0.5"}) ||
			st.meta.Rule != "mediator" || st.meta.Info != "declared" {
			t.Fatalf("meta %+v", *st.meta)
		}
		recs := st.sorted()
		for i := range recs {
			recs[i].Elapsed = 0
		}
		return recs
	}
	one, four := run(1), run(4)
	if !reflect.DeepEqual(one, four) {
		t.Fatal("records differ between 1 and 4 workers")
	}
	agreed := 0
	for _, r := range one {
		j, _ := tournament.JobAt(cfg, r.JobID)
		if r.Mediator != cfg.Mediators[j.Mediator].Name || len(r.Voters) != 2 || r.Voters[0] != cfg.Voters[j.Voters[0]].Name || len(r.Agents) != 0 {
			t.Fatalf("record %d: mediator %q voters %v agents %v for job %+v", r.JobID, r.Mediator, r.Voters, r.Agents, j)
		}
		if r.Reason == "agreement" {
			agreed++
			if r.Agreement == nil || !r.HasFairness {
				t.Fatalf("record %d: agreement without outcome or fairness: %+v", r.JobID, r)
			}
		}
	}
	if agreed == 0 {
		t.Fatal("no mediated run agreed")
	}
}

// TestStagedTournament runs negotiators inside the ceasefire's declared
// stages: RU and UA take competitors, the US (which only mediates) none.
func TestStagedTournament(t *testing.T) {
	cfg := func(workers int) *tournament.Config {
		s, err := catalog.Builtin("ceasefire")
		if err != nil {
			t.Fatal(err)
		}
		return &tournament.Config{Protocol: tournament.ProtocolStaged, Competitors: competitors(t, "boulware", "conceder", "linear"),
			Mediators: mediators(t, "biased:bias=0.25"), Voters: voters(t, "reservation"),
			Scenarios: []*scenario.Scenario{s}, Reps: 2, Seed: 5, Workers: workers}
	}
	c := cfg(1)
	// 3·2 ordered pairs of competitors for RU and UA, 2 reps.
	if n := tournament.Count(c); n != 12 {
		t.Fatalf("Count = %d, want 12", n)
	}
	j, _ := tournament.JobAt(c, 3)
	if !slices.Equal(j.Agents, []int{0, 2, -1}) || !slices.Equal(j.Voters, []int{0, 0, 0}) {
		t.Fatalf("job 3: %+v", j)
	}
	run := func(workers int) []tournament.Record {
		st := newMemStore()
		if _, err := tournament.Run(context.Background(), cfg(workers), st, tournament.RunOptions{Worker: "w"}); err != nil {
			t.Fatal(err)
		}
		recs := st.sorted()
		for i := range recs {
			recs[i].Elapsed = 0
		}
		return recs
	}
	one, two := run(1), run(2)
	if !reflect.DeepEqual(one, two) {
		t.Fatal("records differ between 1 and 2 workers")
	}
	for _, r := range one {
		if len(r.Agents) != 3 || r.Agents[2] != "" || r.Agents[0] == "" || r.Mediator != "biased:bias=0.25" {
			t.Fatalf("record %+v", r)
		}
		if r.Reason == "error" {
			t.Fatalf("record %d: %s", r.JobID, r.Error)
		}
	}
}

// TestProtocolConfigErrors checks that combinations that make no sense
// are refused, naming what is wrong.
func TestProtocolConfigErrors(t *testing.T) {
	cease, err := catalog.Builtin("ceasefire")
	if err != nil {
		t.Fatal(err)
	}
	neg := competitors(t, "boulware", "conceder")
	tests := []struct {
		name string
		cfg  *tournament.Config
		want string
	}{
		{"mediated with negotiators", &tournament.Config{Protocol: tournament.ProtocolMediated, Competitors: neg,
			Mediators: mediators(t, "hillclimb"), Voters: voters(t, "hillclimber")}, "takes no negotiators"},
		{"mediated without voters", &tournament.Config{Protocol: tournament.ProtocolMediated, Mediators: mediators(t, "hillclimb")}, "needs voters"},
		{"sao with mediators", &tournament.Config{Competitors: neg, Mediators: mediators(t, "hillclimb")}, "take no mediators"},
		{"staged with two mediators", &tournament.Config{Protocol: tournament.ProtocolStaged, Competitors: neg,
			Mediators: mediators(t, "hillclimb", "nash")}, "at most one mediator"},
		{"rule outside mediated", &tournament.Config{Competitors: neg, Rule: mediated.RuleMajority}, "apply to mediated"},
		{"staged deadline", &tournament.Config{Protocol: tournament.ProtocolStaged, Competitors: neg, Deadline: 10,
			Scenarios: []*scenario.Scenario{cease}}, "set their own rounds"},
		{"staged without protocol", &tournament.Config{Protocol: tournament.ProtocolStaged, Competitors: neg,
			Scenarios: []*scenario.Scenario{twoIssue("tiny")}}, "declares no protocol"},
		{"staged without mediator", &tournament.Config{Protocol: tournament.ProtocolStaged, Competitors: neg,
			Voters: voters(t, "reservation"), Scenarios: []*scenario.Scenario{cease}}, "needs a mediator"},
		{"staged without offers", &tournament.Config{Protocol: tournament.ProtocolStaged, Competitors: neg, Variant: "mediated_from_start",
			Mediators: mediators(t, "hillclimb"), Voters: voters(t, "reservation"), Scenarios: []*scenario.Scenario{cease}}, "no competitor takes a seat"},
		{"variant outside staged", &tournament.Config{Competitors: neg, Variant: "x", Scenarios: []*scenario.Scenario{twoIssue("tiny")}}, "only a staged tournament"},
		{"duplicate voter", &tournament.Config{Protocol: tournament.ProtocolMediated, Mediators: mediators(t, "hillclimb"),
			Voters: voters(t, "hillclimber", "hillclimber")}, `voter "hillclimber" appears twice`},
		{"unknown protocol", &tournament.Config{Protocol: "auction", Competitors: neg}, `protocol "auction"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.cfg.Scenarios) == 0 {
				tt.cfg.Scenarios = []*scenario.Scenario{twoIssue("tiny")}
				tt.cfg.Deadline = max(tt.cfg.Deadline, 10)
			}
			err := tt.cfg.Prepare()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Prepare() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
