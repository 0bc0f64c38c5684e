package tournament_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tournament"
)

// TestReportByHand checks the report of the tiny tournament with
// self-play. Runs (buyer, seller) on TwoIssue, deadline 10:
//
//	(hardliner, hardliner): each insists on its best: deadline, (0, 0)
//	(hardliner, yes):       (1, 0)
//	(yes, hardliner):       (0, 1)
//	(yes, yes):             yes offers 3, yes accepts: (0.7, 0.4)
//
// hardliner's seats: 0, 0, 1, 1 (mean 0.5, agreement 2/4); yes's: 0, 0,
// 0.7, 0.4 (mean 0.275, agreement 4/4). Pairs by (role, opponent):
// buyer vs hardliner 0 - 0, buyer vs yes 1 - 0.7, seller vs hardliner
// 0 - 0, seller vs yes 1 - 0.4: two non-zero differences, both positive,
// W+ = 1 + 2 = 3, exact two-sided p = 2·(1/4) = 0.5.
func TestReportByHand(t *testing.T) {
	cfg := &tournament.Config{
		Competitors: append(competitors(t, "hardliner"), tournament.Competitor{Name: "yes", New: func() parley.Negotiator { return yes{} }}),
		Scenarios:   []*scenario.Scenario{twoIssue("tiny")}, Deadline: 10, SelfPlay: true}
	rep := runReport(t, cfg)
	if rep.Planned != 4 || rep.Runs != 4 || rep.Errors != 0 || rep.Agreements != 3 {
		t.Fatalf("report totals %+v", rep)
	}
	lb := rep.Leaderboard
	if len(lb) != 2 || lb[0].Agent != "hardliner" || lb[1].Agent != "yes" || lb[0].Rank != 1 || lb[1].Rank != 2 {
		t.Fatalf("leaderboard %+v", lb)
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	near("hardliner utility", lb[0].Utility.Mean, 0.5)
	near("yes utility", lb[1].Utility.Mean, 0.275)
	near("hardliner advantage", lb[0].Advantage.Mean, 0.5)
	near("hardliner agreement", lb[0].AgreementRate.Mean, 0.5)
	near("yes agreement", lb[1].AgreementRate.Mean, 1)
	near("yes welfare", lb[1].Welfare, (1+1+1.1+1.1)/4)
	// t interval of {0,0,1,1}: mean 0.5, sd 1/√3, t(0.975, 3) = 3.182446.
	half := 3.182446305284263 * (1 / math.Sqrt(3)) / 2
	near("hardliner CI low", lb[0].Utility.Low, 0.5-half)
	near("hardliner CI high", lb[0].Utility.High, 0.5+half)
	if lb[0].Seats != 4 || lb[1].Seats != 4 || !lb[0].Utility.HasCI {
		t.Errorf("seats %d %d", lb[0].Seats, lb[1].Seats)
	}
	if len(rep.Pairwise) != 1 {
		t.Fatalf("pairwise %+v", rep.Pairwise)
	}
	c := rep.Pairwise[0]
	if c.A != "hardliner" || c.B != "yes" || c.Pairs != 4 || c.WPlus != 3 || c.WMinus != 0 || c.Significant {
		t.Errorf("comparison %+v", c)
	}
	near("mean diff", c.MeanDiff, 0.225)
	near("p", c.P, 0.5)
	near("p holm", c.PHolm, 0.5)

	// The JSON form has the documented top-level keys.
	b, _ := json.Marshal(rep)
	var raw map[string]any
	json.Unmarshal(b, &raw)
	var keys []string
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := []string{"agreements", "collapsed_repetitions", "distinct_runs", "error_causes", "errors", "leaderboard", "meta", "metrics_notes", "pairwise", "planned", "runs"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("JSON keys %v, want %v", keys, want)
	}
}

func TestReportErrorsAndForeignRecords(t *testing.T) {
	cfg := &tournament.Config{
		Competitors: append(competitors(t, "hardliner"), tournament.Competitor{Name: "failing", New: func() parley.Negotiator { return failing{} }}),
		Scenarios:   []*scenario.Scenario{twoIssue("tiny")}, Deadline: 10}
	st := newMemStore()
	if _, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	rep := tally(t, st)
	if rep.Errors != 2 || len(rep.ErrorCauses) != 2 || rep.Leaderboard[0].Errors != 2 {
		t.Fatalf("errors %d causes %+v leaderboard %+v", rep.Errors, rep.ErrorCauses, rep.Leaderboard)
	}
	bad := st.sorted()[0]
	bad.Agents = []string{"hardliner", "stranger"}
	if err := tournament.NewTally(*st.tmeta()).Add(&bad); err == nil {
		t.Error("a record of another tournament was accepted")
	}
}

// TestReportCollapsesDeterministicRepetitions: the tournament of
// TestReportByHand is deterministic (hardliner and yes ignore the seed),
// so 20 repetitions carry no more information than one: the report must
// count 4 distinct runs, give the same leaderboard intervals and the same
// pairwise test as with one repetition, and say that 76 repetitions were
// collapsed (issue 8, item 13).
func TestReportCollapsesDeterministicRepetitions(t *testing.T) {
	report := func(reps int) *tournament.Report {
		cfg := &tournament.Config{
			Competitors: append(competitors(t, "hardliner"), tournament.Competitor{Name: "yes", New: func() parley.Negotiator { return yes{} }}),
			Scenarios:   []*scenario.Scenario{twoIssue("tiny")}, Deadline: 10, SelfPlay: true, Reps: reps}
		return runReport(t, cfg)
	}
	one, many := report(1), report(20)
	if many.Runs != 80 || many.Distinct != 4 || many.Collapsed != 76 || many.Agreements != 60 {
		t.Fatalf("runs %d distinct %d collapsed %d agreements %d; want 80, 4, 76, 60", many.Runs, many.Distinct, many.Collapsed, many.Agreements)
	}
	if one.Distinct != 4 || one.Collapsed != 0 {
		t.Fatalf("one repetition: distinct %d collapsed %d", one.Distinct, one.Collapsed)
	}
	if !reflect.DeepEqual(one.Leaderboard, many.Leaderboard) {
		t.Errorf("leaderboard with 20 identical repetitions:\n%+v\nwith one:\n%+v", many.Leaderboard, one.Leaderboard)
	}
	if !reflect.DeepEqual(one.Pairwise, many.Pairwise) || len(many.Pairwise) != 1 || many.Pairwise[0].Pairs != 4 {
		t.Errorf("pairwise with 20 identical repetitions %+v, with one %+v", many.Pairwise, one.Pairwise)
	}
}

// TestTallyCollapsesOnlyIdenticalPairings works a tally by hand. Agents a
// and b, one scenario, 3 repetitions: (a, b) gave the same record three
// times (one sample); (b, a) gave three different ones (three samples);
// of (a, a) only repetitions 0 and 1 are stored, identical (one sample,
// settled by Report). So 8 runs, 5 distinct, 3 collapsed; a has seats
// 1 (as buyer vs b) + 3 (as seller vs b) + 2 (self-play) = 6; b has 1 + 3 = 4.
func TestTallyCollapsesOnlyIdenticalPairings(t *testing.T) {
	m := tournament.Meta{Agents: []string{"a", "b"}, Scenarios: []string{"s"}, Reps: 3, Deadline: 10, SelfPlay: true, Planned: 12}
	rec := func(id int64, rep int, agents []string, ua, ub float64) tournament.Record {
		return tournament.Record{JobID: id, Scenario: "s", Rep: rep, Agents: agents, Utilities: []float64{ua, ub},
			Discounted: []float64{ua, ub}, Advantage: []float64{ua, ub}, Rounds: 5, Reason: "agreement",
			Agreement: map[string]string{"x": "1"}, Welfare: ua + ub, Worker: fmt.Sprint("w", id)}
	}
	recs := []tournament.Record{
		rec(0, 0, []string{"a", "a"}, 0.5, 0.5), rec(1, 1, []string{"a", "a"}, 0.5, 0.5),
		rec(3, 0, []string{"a", "b"}, 0.6, 0.4), rec(4, 1, []string{"a", "b"}, 0.6, 0.4), rec(5, 2, []string{"a", "b"}, 0.6, 0.4),
		rec(6, 0, []string{"b", "a"}, 0.3, 0.7), rec(7, 1, []string{"b", "a"}, 0.2, 0.8), rec(8, 2, []string{"b", "a"}, 0.1, 0.9),
	}
	// Any order: the pairings settle when complete or at Report.
	tl := tournament.NewTally(m)
	for _, i := range []int{5, 0, 6, 3, 2, 1, 7, 4} {
		if err := tl.Add(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := tl.Report()
	if err != nil {
		t.Fatal(err)
	}
	if rep.Runs != 8 || rep.Distinct != 5 || rep.Collapsed != 3 {
		t.Fatalf("runs %d distinct %d collapsed %d; want 8, 5, 3", rep.Runs, rep.Distinct, rep.Collapsed)
	}
	seats := map[string]int{}
	means := map[string]float64{}
	for _, s := range rep.Leaderboard {
		seats[s.Agent], means[s.Agent] = s.Seats, s.Utility.Mean
	}
	// a: 0.6, then 0.7, 0.8, 0.9, then 0.5, 0.5; b: 0.4, then 0.3, 0.2, 0.1.
	if seats["a"] != 6 || seats["b"] != 4 || math.Abs(means["a"]-4.0/6) > 1e-12 || math.Abs(means["b"]-0.25) > 1e-12 {
		t.Fatalf("seats %v means %v; want a 6 at 2/3, b 4 at 0.25", seats, means)
	}
}

// TestTournamentPlaysUnanalysableScenario: a 10¹⁰-outcome non-linear space
// cannot be analysed, but 'parley run' plays it, so a tournament must too:
// the runs are stored with MetricsNote saying why the Pareto and Nash
// distances are not available, and the report lists the scenario (issue
// 8, item 12).
func TestTournamentPlaysUnanalysableScenario(t *testing.T) {
	issues := make([]parley.Issue, 10)
	for i := range issues {
		issues[i] = parley.Issue{Name: fmt.Sprintf("i%d", i), Values: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}}
	}
	space, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		t.Fatal(err)
	}
	// Not additive: the product of two issues' values.
	u := func(flip bool) parley.UtilityFunction {
		return parley.UtilityFunc(func(o parley.Outcome) float64 {
			a, b := float64(space.ValueIndex(o, 0)), float64(space.ValueIndex(o, 1))
			if flip {
				a, b = 9-a, 9-b
			}
			return a * b / 81
		})
	}
	big := &scenario.Scenario{Name: "big", Source: "test:big", Space: space, Parties: []scenario.Party{
		{Name: "buyer", Role: scenario.Negotiator, Profile: &parley.Profile{Name: "buyer", Space: space, Utility: u(false), Reservation: 0.1}},
		{Name: "seller", Role: scenario.Negotiator, Profile: &parley.Profile{Name: "seller", Space: space, Utility: u(true), Reservation: 0.2}},
	}}
	cfg := &tournament.Config{
		Competitors: append(competitors(t, "hardliner"), tournament.Competitor{Name: "yes", New: func() parley.Negotiator { return yes{} }}),
		Scenarios:   []*scenario.Scenario{big, twoIssue("tiny")}, Deadline: 10, Reps: 2}
	st := newMemStore()
	sum, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{})
	if err != nil {
		t.Fatalf("tournament refused the scenario: %v", err)
	}
	if sum.Ran != 8 || sum.Errors != 0 {
		t.Fatalf("summary %+v", sum)
	}
	// Through a queue whose wire drops the note, as NATS does: the
	// coordinator restores it.
	q := newFakeQueue(t, cfg)
	defer q.Close()
	remote := newMemStore()
	if _, err := tournament.Run(context.Background(), cfg, remote, tournament.RunOptions{Queue: noteless{q}}); err != nil {
		t.Fatal(err)
	}
	for _, r := range remote.sorted() {
		if want := st.trecs()[r.JobID].MetricsNote; r.MetricsNote != want {
			t.Errorf("run %d through the queue: metrics note %q, want %q", r.JobID, r.MetricsNote, want)
		}
	}
	tl := tournament.NewTally(*st.tmeta())
	for _, r := range st.sorted() {
		if r.Scenario == "test:big" {
			if !strings.Contains(r.MetricsNote, "too large") || r.HasNash || r.ParetoDistance != 0 {
				t.Errorf("run %d on the big scenario: metrics note %q, has nash %v, pareto %v", r.JobID, r.MetricsNote, r.HasNash, r.ParetoDistance)
			}
			if want := r.Utilities[0] + r.Utilities[1]; math.Abs(r.Welfare-want) > 1e-12 {
				t.Errorf("run %d: welfare %v, want %v", r.JobID, r.Welfare, want)
			}
		} else if r.MetricsNote != "" || !r.HasNash {
			t.Errorf("run %d on the tiny scenario: metrics note %q, has nash %v", r.JobID, r.MetricsNote, r.HasNash)
		}
		if err := tl.Add(&r); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := tl.Report()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.MetricsNotes) != 1 || rep.MetricsNotes[0].Scenario != "test:big" || !strings.Contains(rep.MetricsNotes[0].Note, "too large") {
		t.Fatalf("metrics notes %+v", rep.MetricsNotes)
	}
	for _, s := range rep.Leaderboard {
		// Each competitor meets the other in two roles per scenario. On the
		// tiny one both pairings are deterministic (2 repetitions, 1 seat
		// each), and only there are metrics available. On the big one the
		// hardliner's opening offer is a random one of its many best
		// outcomes, which yes accepts: (hardliner, yes) gives 2 distinct
		// runs, (yes, hardliner) 1. So 5 seats each, 2 with metrics.
		if s.Seats != 5 || s.MetricsSeats != 2 || s.NashSeats != 2 {
			t.Errorf("%s: seats %d, with metrics %d, with Nash %d; want 5, 2, 2", s.Agent, s.Seats, s.MetricsSeats, s.NashSeats)
		}
	}
}

// noteless passes a queue's results on without MetricsNote, which the NATS
// wire does not carry.
type noteless struct{ *fakeQueue }

func (q noteless) Results(ctx context.Context) (<-chan tournament.Record, error) {
	in, err := q.fakeQueue.Results(ctx)
	if err != nil {
		return nil, err
	}
	out := make(chan tournament.Record)
	go func() {
		defer close(out)
		for {
			select {
			case r := <-in:
				r.MetricsNote = ""
				select {
				case out <- r:
				case <-ctx.Done():
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}
