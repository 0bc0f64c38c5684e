package tournament_test

import (
	"context"
	"errors"
	"fmt"
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

// TestSummaryStopped explains an interrupted and a failed run to whoever
// resumes it.
func TestSummaryStopped(t *testing.T) {
	s := tournament.Summary{Selected: 10, Skipped: 2, Ran: 3, Duplicates: 1}
	boom := errors.New("boom")
	for _, tt := range []struct {
		s    tournament.Summary
		err  error
		want string
	}{
		{s, fmt.Errorf("run: %w", context.Canceled), "tournament: interrupted after storing 3 runs (6 of 10 now stored in r.db): run the same command to continue"},
		{s, boom, "boom\ntournament: 6 of 10 runs are stored in r.db: run the same command to continue"},
		{tournament.Summary{}, boom, "boom"},
	} {
		got := tt.s.Stopped(tt.err, "r.db")
		if got.Error() != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
		if !errors.Is(got, tt.err) && tt.err == boom {
			t.Errorf("%v does not wrap %v", got, tt.err)
		}
	}
}
