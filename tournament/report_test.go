package tournament_test

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"sort"
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
	st := newMemStore()
	if _, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	tl := tournament.NewTally(*st.meta)
	for _, r := range st.sorted() {
		if err := tl.Add(&r); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := tl.Report()
	if err != nil {
		t.Fatal(err)
	}
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
	want := []string{"agreements", "error_causes", "errors", "leaderboard", "meta", "pairwise", "planned", "runs"}
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
	tl := tournament.NewTally(*st.meta)
	for _, r := range st.sorted() {
		if err := tl.Add(&r); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := tl.Report()
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors != 2 || len(rep.ErrorCauses) != 2 || rep.Leaderboard[0].Errors != 2 {
		t.Fatalf("errors %d causes %+v leaderboard %+v", rep.Errors, rep.ErrorCauses, rep.Leaderboard)
	}
	bad := st.sorted()[0]
	bad.Agents = []string{"hardliner", "stranger"}
	if err := tl.Add(&bad); err == nil {
		t.Error("a record of another tournament was accepted")
	}
}
