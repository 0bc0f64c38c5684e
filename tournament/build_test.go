package tournament_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
	"github.com/parley-dev/parley/tournament"
)

// testResolver resolves strategy, mediator and voter specs through their
// registries and the scenario references "two" and "three" (twoIssue,
// threeParty); it counts the scenarios it opens.
func testResolver(opened *int) tournament.Resolver {
	return tournament.Resolver{
		Agent: strategy.Parse,
		Scenario: func(ref string) (*scenario.Scenario, error) {
			*opened++
			switch ref {
			case "two":
				return twoIssue(ref), nil
			case "three":
				return threeParty(ref), nil
			}
			return nil, fmt.Errorf("no scenario %q (secret: hunter2)", ref)
		},
		Mediator: func(spec string) (func() mediated.Mediator, error) {
			f, err := mediator.ParseMediator(spec)
			if err != nil {
				return nil, err
			}
			return func() mediated.Mediator { return f() }, nil
		},
		Voter: func(spec string) (func() mediated.Voter, error) {
			f, err := mediator.ParseVoter(spec)
			if err != nil {
				return nil, err
			}
			return func() mediated.Voter { return f() }, nil
		},
		GeniusTiming: func(spec string) bool { return strings.HasPrefix(spec, "genius-") },
		DefaultVoter: "reservation",
	}
}

// flags is a Spec as the flags of 'parley tournament' give it by default.
func flags() tournament.Spec {
	return tournament.Spec{Reps: 1, Deadline: 100, Seed: 1, Limit: "1m", DB: "x.db"}
}

// given reports the keys as given on the command line.
func given(keys ...string) func(string) bool {
	return func(k string) bool {
		for _, g := range keys {
			if g == k {
				return true
			}
		}
		return false
	}
}

// TestMerge: a flag given on the command line overrides the file; the
// file overrides a flag's default; a setting neither gives keeps the
// flag's default.
func TestMerge(t *testing.T) {
	f, err := tournament.ParseFile("t.yaml", []byte("agents: [boulware, conceder]\nreps: 3\nseed: 9\nself_play: true\n"))
	if err != nil {
		t.Fatal(err)
	}
	fl := flags()
	fl.Reps, fl.Agents, fl.Scenarios = 5, []string{"linear"}, []string{"two"}
	in := f.Merge(fl, given("reps"))
	want := flags()
	want.Agents, want.Scenarios, want.Reps, want.Seed, want.SelfPlay = []string{"boulware", "conceder"}, []string{"two"}, 5, 9, true
	if !reflect.DeepEqual(in.Spec, want) {
		t.Errorf("merged %+v, want %+v", in.Spec, want)
	}
}

// TestLoad reads a tournament file under the flags, or the flags alone,
// and names a file it cannot read.
func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.yaml")
	if err := os.WriteFile(path, []byte("agents: [boulware, conceder]\nreps: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fl := flags()
	fl.Reps, fl.Agents = 5, []string{"linear"}
	in, err := tournament.Load(path, fl, given("reps"))
	if err != nil {
		t.Fatal(err)
	}
	if in.Reps != 5 || !reflect.DeepEqual(in.Agents, []string{"boulware", "conceder"}) {
		t.Errorf("file under flags: %+v", in.Spec)
	}
	if in, err := tournament.Load("", fl, nil); err != nil || !reflect.DeepEqual(in.Spec, fl) {
		t.Errorf("flags alone: %+v, %v", in, err)
	}
	if _, err := tournament.Load(path+".none", fl, nil); err == nil || !strings.Contains(err.Error(), "t.yaml.none") {
		t.Errorf("a missing file: %v", err)
	}
}

// TestBuildErrors: Build's errors name the flag, or point at the file's
// line and field, for the setting at fault.
func TestBuildErrors(t *testing.T) {
	file := func(text string) *tournament.Input {
		f, err := tournament.ParseFile("t.yaml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return f.Merge(flags(), nil)
	}
	flagged := func(edit func(*tournament.Spec), keys ...string) *tournament.Input {
		s := flags()
		s.Agents, s.Scenarios = []string{"boulware", "conceder"}, []string{"two"}
		edit(&s)
		return tournament.FromFlags(s, given(keys...))
	}
	for _, tc := range []struct {
		name string
		in   *tournament.Input
		want string
	}{
		{"unknown agent in file", file("agents: [boulware, bolware]\nscenarios: [two]\n"), "tournament: t.yaml:1:20: agents[1]: "},
		{"agent twice", file("agents: [boulware, boulware]\nscenarios: [two]\n"), `t.yaml:1:20: agents[1]: agent "boulware" is listed twice`},
		{"scenario in file", file("agents: [boulware]\nscenarios: [two, nope]\n"), "t.yaml:2:18: scenarios[1]: no scenario"},
		{"reps flag", flagged(func(s *tournament.Spec) { s.Reps = 0 }, "reps"), "tournament: --reps: 0 repetitions: want at least 1"},
		{"self-play flag", flagged(func(s *tournament.Spec) {
			s.Agents, s.Mediators, s.Voters = nil, []string{"nash"}, []string{"hillclimber"}
		}, "self_play"),
			"tournament: --self-play: applies to negotiators, not to a mediated tournament"},
		{"voters under sao", flagged(func(s *tournament.Spec) { s.Voters = []string{"hillclimber"} }, "voters"), "tournament: --voters: applies to mediated and staged"},
		{"limit", flagged(func(s *tournament.Spec) { s.Limit = "soon" }), `tournament: --limit: limit "soon": want a duration`},
		{"timing", flagged(func(s *tournament.Spec) { s.Timing = "fast" }), `tournament: --timing: "fast": want auto, steps or genius`},
		{"no db", flagged(func(s *tournament.Spec) { s.DB = "" }), "tournament: no results database"},
		{"staged without protocol", flagged(func(s *tournament.Spec) { s.Protocol = "staged" }), "tournament: --scenarios: scenario two declares no protocol"},
		{"mediator under rule", flagged(func(s *tournament.Spec) {
			s.Agents, s.Mediators, s.Voters, s.Rule = nil, []string{"anneal"}, []string{"hillclimber"}, "unanimous"
		}, "rule"), `tournament: --rule: unanimous: mediator "anneal" adopts rejected proposals only under rule "mediator": under "unanimous" it would run as hill-climbing`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var opened int
			r := testResolver(&opened)
			r.AsDesigned = func(m mediated.Mediator, rule parley.Rule) bool { return false }
			_, _, err := tournament.Build(tc.in, r)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) && !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// TestBuildRebuild: a tournament built from a Spec, stored as its Meta and
// rebuilt from it is the same tournament.
func TestBuildRebuild(t *testing.T) {
	for _, s := range []tournament.Spec{
		{Agents: []string{"boulware", "conceder", "genius-boulware"}, Scenarios: []string{"two", "three"}, Reps: 2, Deadline: 30, Seed: 7, Limit: "0", DB: "x.db", Shard: "1/2"},
		{Mediators: []string{"nash", "hillclimb"}, Voters: []string{"hillclimber"}, Scenarios: []string{"two"}, Reps: 1, Deadline: 20, Seed: 3, DB: "x.db",
			Rule: "majority", Noise: 0},
	} {
		var opened int
		r := testResolver(&opened)
		in := tournament.FromFlags(s, nil)
		if s.Shard == "" {
			in = &tournament.Input{Spec: s} // the zero Input's origin: flags, none given
		}
		cfg, shard, err := tournament.Build(in, r)
		if err != nil {
			t.Fatal(err)
		}
		if s.Shard != "" && shard.Count != 2 {
			t.Errorf("shard %+v, want 1/2", shard)
		}
		m, err := cfg.Meta()
		if err != nil {
			t.Fatal(err)
		}
		re, err := tournament.Rebuild(m, r, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		got, err := re.Meta()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, m) || re.Limit != time.Second {
			t.Errorf("rebuilt %+v (limit %v), want %+v", got, re.Limit, m)
		}
		for i, c := range re.Competitors {
			if c.GeniusTiming != strings.HasPrefix(c.Name, "genius-") {
				t.Errorf("competitor %d %s: GeniusTiming %v", i, c.Name, c.GeniusTiming)
			}
		}
	}
}

// TestRebuildErrors: an entrant that does not load is a RebuildError
// naming it, whose cause stays in Err; a tournament that now plans
// another number of runs is an error.
func TestRebuildErrors(t *testing.T) {
	var opened int
	r := testResolver(&opened)
	m := tournament.Meta{Agents: []string{"boulware", "conceder"}, Scenarios: []string{"two"}, Reps: 1, Deadline: 10, Seed: 1,
		Protocol: tournament.ProtocolSAO, Planned: 2}
	if _, err := tournament.Rebuild(m, r, 0); err != nil {
		t.Fatal(err)
	}
	bad := m
	bad.Scenarios = []string{"/etc/passwd"}
	_, err := tournament.Rebuild(bad, r, 0)
	var re *tournament.RebuildError
	if !errors.As(err, &re) || re.Role != "scenario" || re.Name != "/etc/passwd" || !strings.Contains(re.Err.Error(), "hunter2") {
		t.Errorf("got %#v, want a RebuildError for the scenario", err)
	}
	if want := `scenario "/etc/passwd" of the stored tournament: no scenario`; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %q", err, want)
	}
	bad = m
	bad.Mediators = []string{"nash"}
	noMed := r
	noMed.Mediator = nil
	if _, err := tournament.Rebuild(bad, noMed, 0); !errors.As(err, &re) || re.Role != "mediator" {
		t.Errorf("no mediator resolver: got %v", err)
	}
	bad = m
	bad.Planned = 3
	if _, err := tournament.Rebuild(bad, r, 0); err == nil || !strings.Contains(err.Error(), "plans 3 runs but its agents and scenarios now give 2") {
		t.Errorf("count: got %v", err)
	}
	bad = m
	bad.Protocol = "auction"
	if _, err := tournament.Rebuild(bad, r, 0); err == nil || errors.As(err, &re) {
		t.Errorf("protocol: got %v, want a plain error", err)
	}
}

// TestParseTimingLimit: the text forms of a tournament's timing and limit.
func TestParseTimingLimit(t *testing.T) {
	for in, want := range map[string]tournament.Timing{"": tournament.TimingAuto, "Auto": tournament.TimingAuto, " steps": tournament.TimingSteps, "GENIUS": tournament.TimingGENIUS} {
		if got, err := tournament.ParseTiming(in); err != nil || got != want {
			t.Errorf("ParseTiming(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := tournament.ParseTiming("fast"); err == nil {
		t.Error("ParseTiming(fast) succeeded")
	}
	for in, want := range map[string]time.Duration{"": 0, "0": 0, "30s": 30 * time.Second, "2m": 2 * time.Minute} {
		if got, err := tournament.ParseLimit(in); err != nil || got != want {
			t.Errorf("ParseLimit(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"soon", "-1s"} {
		if _, err := tournament.ParseLimit(in); err == nil {
			t.Errorf("ParseLimit(%q) succeeded", in)
		}
	}
}

// TestRecordDiff: records of one run differ in the fields named, not in
// where or how fast they ran.
func TestRecordDiff(t *testing.T) {
	a := tournament.Record{JobID: 3, Reason: "agreement", Utilities: []float64{0.5, 0.6}, Worker: "a:1", Elapsed: time.Second}
	b := a
	b.Worker, b.Elapsed, b.Utilities = "b:2", 2*time.Second, []float64{0.5, 0.6}
	if d := a.Diff(b); d != "" {
		t.Errorf("same run: %q", d)
	}
	b.Reason, b.Rounds = "deadline", 4
	if d, want := a.Diff(b), "Rounds: stored 0, replayed 4; Reason: stored agreement, replayed deadline"; d != want {
		t.Errorf("got %q, want %q", d, want)
	}
}

// TestBuildDefaultMediator: a staged tournament that names no mediator
// seats the one its scenarios' mediated stages name, and
// plan.DefaultMediatorPolicy where they name none.
func TestBuildDefaultMediator(t *testing.T) {
	for _, tc := range []struct {
		name  string
		strip bool
		want  string
	}{
		{"named", false, "biased:bias=0.25"},
		{"unnamed", true, plan.DefaultMediatorPolicy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var opened int
			r := testResolver(&opened)
			r.Scenario = func(ref string) (*scenario.Scenario, error) {
				s, err := catalog.Builtin(ref)
				if err == nil && tc.strip {
					for i := range s.Protocol.Stages {
						s.Protocol.Stages[i].MediatorPolicy = ""
					}
				}
				return s, err
			}
			cfg, _, err := tournament.Build(&tournament.Input{Spec: tournament.Spec{Protocol: "staged", Agents: []string{"boulware", "conceder"},
				Scenarios: []string{"ceasefire"}, Reps: 1, Deadline: 100, Seed: 1, DB: "x.db"}}, r)
			if err != nil {
				t.Fatal(err)
			}
			if len(cfg.Mediators) != 1 || cfg.Mediators[0].Name != tc.want {
				t.Errorf("mediators %+v, want %s", cfg.Mediators, tc.want)
			}
		})
	}
}
