package tournament_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley"
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
		Rule: parley.RuleMediator, Info: parley.InfoDeclared}
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
		if st.tmeta().Protocol != tournament.ProtocolMediated || !slices.Equal(st.tmeta().Mediators, []string{"hillclimb", "anneal", "nash", "biased:bias=0.5"}) ||
			st.tmeta().Rule != "mediator" || st.tmeta().Info != "declared" {
			t.Fatalf("meta %+v", *st.tmeta())
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
		{"rule outside mediated", &tournament.Config{Competitors: neg, Rule: parley.RuleMajority}, "apply to mediated"},
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

// TestMediatorReport checks the mediators' leaderboard on hand-made
// records: B's four repetitions are one record (a deterministic mediator),
// which counts once; A's vary and count four times; the pairs are by
// scenario, voter pool and repetition.
func TestMediatorReport(t *testing.T) {
	m := tournament.Meta{Scenarios: []string{"s", "big"}, Reps: 4, Deadline: 10, Planned: 16, Protocol: tournament.ProtocolMediated,
		Mediators: []string{"A", "B"}, Voters: []string{"v"}}
	rec := func(id int64, med string, rep int, agreed bool, welfare, fair float64, rounds int) tournament.Record {
		r := tournament.Record{JobID: id, Scenario: "s", Rep: rep, Agents: []string{}, Mediator: med, Voters: []string{"v", "v"},
			Utilities: []float64{welfare / 2, welfare / 2}, Discounted: []float64{welfare / 2, welfare / 2}, Advantage: []float64{0, 0},
			Rounds: rounds, Reason: "deadline", Welfare: welfare, Fairness: fair, HasFairness: true, NashDistance: 1 - welfare/2, HasNash: true}
		if agreed {
			r.Reason = "agreement"
		}
		return r
	}
	recs := []tournament.Record{
		rec(0, "A", 0, true, 1.6, 0.6, 10), rec(1, "A", 1, true, 1.6, 0.6, 10), rec(2, "A", 2, false, 0.4, 0, 10), rec(3, "A", 3, true, 1.2, 0.4, 20),
		rec(4, "B", 0, false, 0.4, 0, 10), rec(5, "B", 1, false, 0.4, 0, 10), rec(6, "B", 2, false, 0.4, 0, 10), rec(7, "B", 3, false, 0.4, 0, 10),
	}
	// A scenario that could not be analysed: welfare only.
	big := rec(8, "A", 0, true, 1, 0, 5)
	big.Scenario, big.HasNash, big.HasFairness, big.MetricsNote = "big", false, false, "too large to enumerate"
	recs = append(recs, big)
	tl := tournament.NewTally(m)
	for i := range recs {
		if err := tl.Add(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	r, err := tl.Report()
	if err != nil {
		t.Fatal(err)
	}
	if r.Runs != 9 || r.Collapsed != 3 || r.Distinct != 6 || len(r.Leaderboard) != 0 {
		t.Fatalf("runs %d collapsed %d distinct %d leaderboard %d", r.Runs, r.Collapsed, r.Distinct, len(r.Leaderboard))
	}
	if len(r.Mediators) != 2 || r.Mediators[0].Mediator != "A" || r.Mediators[1].Mediator != "B" {
		t.Fatalf("mediators %+v", r.Mediators)
	}
	a, b := r.Mediators[0], r.Mediators[1]
	near := func(x, y float64) bool { return x-y < 1e-12 && y-x < 1e-12 }
	switch {
	case a.Runs != 5 || b.Runs != 1:
		t.Errorf("runs A %d, B %d; want 5 and 1", a.Runs, b.Runs)
	case !near(a.AgreementRate.Mean, 4.0/5) || !near(b.AgreementRate.Mean, 0):
		t.Errorf("agreement A %v, B %v", a.AgreementRate, b.AgreementRate)
	case !near(a.Welfare.Mean, (1.6+1.6+0.4+1.2+1)/5) || a.Welfare.N != 5:
		t.Errorf("welfare A %+v", a.Welfare)
	case a.NashDistance.N != 4 || a.Fairness.N != 4 || !near(a.Fairness.Mean, (0.6+0.6+0+0.4)/4):
		t.Errorf("nash %+v fairness %+v: the unanalysed scenario must be left out", a.NashDistance, a.Fairness)
	case a.Rounds.N != 4 || !near(a.Rounds.Mean, (10+10+20+5)/4.0) || b.Rounds.N != 0:
		t.Errorf("rounds A %+v B %+v", a.Rounds, b.Rounds)
	}
	if len(r.MetricsNotes) != 1 || r.MetricsNotes[0].Scenario != "big" {
		t.Errorf("metrics notes %+v", r.MetricsNotes)
	}
	got := map[string]tournament.MediatorComparison{}
	for _, c := range r.MediatorPairwise {
		got[c.Metric] = c
	}
	// Pairs: scenario s, repetitions 0..3 (B's collapsed repetitions pair
	// with A's, which differ); no rounds pairs (B never agreed).
	if c := got[tournament.MetricWelfare]; c.A != "A" || c.B != "B" || c.Pairs != 4 || !near(c.MeanDiff, (1.2+1.2+0+0.8)/4) || c.Test != "wilcoxon" {
		t.Errorf("welfare comparison %+v", c)
	}
	if c := got[tournament.MetricAgreement]; c.Pairs != 4 || c.Test != "mcnemar" || !near(c.MeanDiff, 0.75) {
		t.Errorf("agreement comparison %+v", c)
	}
	if _, ok := got[tournament.MetricRounds]; ok {
		t.Errorf("rounds compared without a pair in which both agreed")
	}
}

// TestMediatedTournamentReport runs a mediated tournament and reports it:
// every mediator is ranked and every two are compared on every metric.
func TestMediatedTournamentReport(t *testing.T) {
	r := runReport(t, mediatedConfig(t, 2))
	if len(r.Mediators) != 4 || r.Runs != 64 {
		t.Fatalf("%d mediators, %d runs", len(r.Mediators), r.Runs)
	}
	for _, m := range r.Mediators {
		if m.Runs == 0 || m.Welfare.N != m.Runs {
			t.Errorf("standing %+v", m)
		}
	}
	if n := len(r.MediatorPairwise); n < 5*6 {
		t.Errorf("%d comparisons, want at least 30 (5 metrics always paired × 6 pairs)", n)
	}
}

// TestMediatedResume interrupts a mediated tournament and resumes it: the
// records are those of an uninterrupted run.
func TestMediatedResume(t *testing.T) {
	config := func() *tournament.Config {
		cfg := mediatedConfig(t, 2)
		cfg.Reps = 200 // 6,400 runs: more than finish before the cancel
		return cfg
	}
	st := newMemStore()
	ctx, cancel := context.WithCancel(context.Background())
	sum, err := tournament.Run(ctx, config(), st, tournament.RunOptions{Progress: func(done, _ int64) {
		if done > 0 {
			cancel()
		}
	}, Flush: time.Millisecond})
	cancel()
	if !errors.Is(err, context.Canceled) || sum.Ran == 0 || sum.Ran >= 6400 {
		t.Fatalf("interrupted run: %+v, %v", sum, err)
	}
	if _, err := tournament.Run(context.Background(), config(), st, tournament.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	full := newMemStore()
	if _, err := tournament.Run(context.Background(), config(), full, tournament.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	got, want := st.sorted(), full.sorted()
	if len(got) != len(want) {
		t.Fatalf("%d records after resuming, %d uninterrupted", len(got), len(want))
	}
	for i := range got {
		got[i].Elapsed, want[i].Elapsed = 0, 0
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("run %d differs after resuming:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// TestMediatedSettingsChecked: a mediated tournament's rule, information
// level and noise are checked before anything runs.
func TestMediatedSettingsChecked(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*tournament.Config)
		want string
	}{
		{"rule", func(c *tournament.Config) { c.Rule = parley.Rule(9) }, "rule"},
		{"info", func(c *tournament.Config) { c.Info = parley.Info(9) }, "info"},
		{"noise", func(c *tournament.Config) { c.Noise = -1 }, "noise"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := mediatedConfig(t, 1)
			tc.set(cfg)
			err := cfg.Prepare()
			if err == nil || !strings.Contains(strings.ToLower(err.Error()), tc.want) {
				t.Fatalf("Prepare = %v, want an error naming the %s", err, tc.want)
			}
		})
	}
}
