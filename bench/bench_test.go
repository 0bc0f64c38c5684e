package bench_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/bench"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/scenario"
)

func twoIssue() (*scenario.Scenario, error) {
	space, profiles := parleytest.TwoIssue()
	return &scenario.Scenario{Name: "two-issue", Space: space, Parties: []scenario.Party{
		{Name: "buyer", Profile: profiles[0]}, {Name: "seller", Profile: profiles[1]}}}, nil
}

func conceders(parties int) ([]func() parley.Negotiator, error) {
	fs := make([]func() parley.Negotiator, parties)
	for i := range fs {
		fs[i] = func() parley.Negotiator { return &parleytest.Conceder{} }
	}
	return fs, nil
}

// TestMeasure: Measure reports the scenario's size and frontier, runs
// negotiations and reports its phases in order.
func TestMeasure(t *testing.T) {
	var phases []int
	r, err := bench.Measure(context.Background(), bench.Options{Open: twoIssue, Seats: conceders, Deadline: 20, Duration: 10 * time.Millisecond,
		Phase: func(p int) { phases = append(phases, p) }})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := twoIssue()
	front, err := analysis.Frontier(s.Space, []parley.UtilityFunction{s.Parties[0].Profile.Utility, s.Parties[1].Profile.Utility})
	if err != nil {
		t.Fatal(err)
	}
	if r.Scenario != "two-issue" || r.Outcomes != s.Space.Size() || r.ParetoPoints != len(front) || r.Negotiations == 0 || r.RoundsPerSec <= 0 {
		t.Errorf("got %+v", r)
	}
	if want := []int{0, 1, 2, 3, bench.Phases}; !reflect.DeepEqual(phases, want) {
		t.Errorf("phases %v, want %v", phases, want)
	}
}

// TestMeasureErrors: a scenario that does not load and seats that cannot
// be made are Measure's errors.
func TestMeasureErrors(t *testing.T) {
	bad := errors.New("bad")
	if _, err := bench.Measure(context.Background(), bench.Options{Open: func() (*scenario.Scenario, error) { return nil, bad }, Seats: conceders}); !errors.Is(err, bad) {
		t.Errorf("open: got %v", err)
	}
	seats := func(int) ([]func() parley.Negotiator, error) { return nil, bad }
	if _, err := bench.Measure(context.Background(), bench.Options{Open: twoIssue, Seats: seats}); !errors.Is(err, bad) {
		t.Errorf("seats: got %v", err)
	}
	if _, err := bench.Measure(context.Background(), bench.Options{}); err == nil {
		t.Error("no Open: no error")
	}
}
