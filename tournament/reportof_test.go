package tournament_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tournament"
)

// TestReportOf reports a stored tournament as a tally of its records
// does, and refuses a store without a tournament or with an experiment.
func TestReportOf(t *testing.T) {
	ctx := context.Background()
	cfg := &tournament.Config{
		Competitors: append(competitors(t, "hardliner"), tournament.Competitor{Name: "yes", New: func() parley.Negotiator { return yes{} }}),
		Scenarios:   []*scenario.Scenario{twoIssue("tiny")}, Deadline: 10, SelfPlay: true}
	var st tournament.MemStore
	if _, err := tournament.Run(ctx, cfg, &st, tournament.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := tournament.ReportOf(ctx, &st)
	if err != nil {
		t.Fatal(err)
	}
	if want := runReport(t, cfg); !reflect.DeepEqual(got, want) {
		t.Errorf("ReportOf = %+v\nwant %+v", got, want)
	}
	if _, err := tournament.ReportOf(ctx, &tournament.MemStore{}); !errors.Is(err, tournament.ErrNoTournament) {
		t.Errorf("empty store: got %v, want ErrNoTournament", err)
	}
	m, _, _ := st.Meta(ctx)
	m.Arms = []tournament.Arm{{Name: "a"}, {Name: "b"}}
	var arms tournament.MemStore
	if _, err := arms.Open(ctx, m); err != nil {
		t.Fatal(err)
	}
	var ee *tournament.ExperimentError
	if _, err := tournament.ReportOf(ctx, &arms); !errors.As(err, &ee) || !reflect.DeepEqual(ee.Arms, []string{"a", "b"}) {
		t.Errorf("experiment: got %v, want an ExperimentError naming arms a and b", err)
	}
}
