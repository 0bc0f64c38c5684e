package tournament_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tournament"
)

// armsConfig is a tournament of three arms on the ceasefire: talks only,
// mediation from the start, and talks then mediation with a changed
// reservation value.
func armsConfig(t *testing.T, workers int) *tournament.Config {
	t.Helper()
	s, err := catalog.Builtin("ceasefire")
	if err != nil {
		t.Fatal(err)
	}
	return &tournament.Config{Protocol: tournament.ProtocolStaged, Competitors: competitors(t, "boulware", "conceder", "linear"),
		Mediators: mediators(t, "hillclimb"), Voters: voters(t, "reservation", "hillclimber"),
		Scenarios: []*scenario.Scenario{s}, Reps: 4, Seed: 9, Workers: workers,
		Arms: []tournament.Arm{
			{Name: "talks", Variant: "bilateral_only"},
			{Name: "mediation", Variant: "mediated_from_start", Set: []string{"mediated.info=votes"}, Mediator: "hillclimb"},
			{Name: "both", Variant: "bilateral_then_mediated", Set: []string{"UA.reservation=0.4", "mediated.info=votes"}, Mediator: "hillclimb"},
		}}
}

// TestArms: runs are ordered by run, then arm; run r has the same seed and
// the same strategies in every arm (common random numbers); the records
// name their arm and stage, do not depend on the number of workers, and
// see each arm's settings.
func TestArms(t *testing.T) {
	c := armsConfig(t, 1)
	if n := tournament.Count(c); n != 12 {
		t.Fatalf("Count = %d, want 3 arms x 4 runs", n)
	}
	if got := c.Seated(); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("Seated = %v, want RU and UA (the US only mediates)", got)
	}
	for run := range 4 {
		var first tournament.Job
		for arm := range 3 {
			j, err := tournament.JobAt(c, int64(run*3+arm))
			if err != nil {
				t.Fatal(err)
			}
			if j.Arm != arm || j.Rep != run {
				t.Fatalf("job %d: arm %d run %d", j.ID, j.Arm, j.Rep)
			}
			if arm == 0 {
				first = j
				continue
			}
			if j.Seed != first.Seed || !slices.Equal(j.Agents, first.Agents) || !slices.Equal(j.Voters, first.Voters) {
				t.Fatalf("run %d: arm %d (%+v) and arm 0 (%+v) differ in seed or strategies", run, arm, j, first)
			}
		}
		// RU and UA are seated; the US, which only mediates, is not.
		if first.Agents[2] != -1 || first.Agents[0] < 0 || first.Agents[1] < 0 || first.Voters[2] != -1 {
			t.Fatalf("run %d: %+v", run, first)
		}
	}
	run := func(workers int) []tournament.Record {
		st := newMemStore()
		if _, err := tournament.Run(context.Background(), armsConfig(t, workers), st, tournament.RunOptions{Worker: "w"}); err != nil {
			t.Fatal(err)
		}
		recs := st.sorted()
		for i := range recs {
			recs[i].Elapsed = 0
		}
		return recs
	}
	one, three := run(1), run(3)
	if !reflect.DeepEqual(one, three) {
		t.Fatal("records differ between 1 and 3 workers")
	}
	for _, r := range one {
		arm := []string{"talks", "mediation", "both"}[r.JobID%3]
		if r.Arm != arm || r.Stage == "" || r.Time <= 0 || r.Reason == "error" {
			t.Fatalf("record %+v", r)
		}
		if (arm == "talks") != (r.Mediator == "") {
			t.Errorf("record %d of arm %s: mediator %q", r.JobID, arm, r.Mediator)
		}
		if arm == "talks" && r.Stage != "bilateral" || arm == "mediation" && r.Stage != "mediated" {
			t.Errorf("record %d of arm %s ended in stage %s", r.JobID, arm, r.Stage)
		}
	}
	m, err := armsConfig(t, 1).Meta()
	if err != nil || len(m.Arms) != 3 || m.Arms[2].Set[0] != "UA.reservation=0.4" {
		t.Fatalf("meta arms %+v, %v", m.Arms, err)
	}
}

// TestArmsErrors: a tournament of arms names what is wrong with an arm.
func TestArmsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*tournament.Config)
		want string
	}{
		{"bad setting", func(c *tournament.Config) { c.Arms[0].Set = []string{"UA.reservation=2"} }, `arm "talks": scenario ceasefire: setting "UA.reservation=2"`},
		{"bad variant", func(c *tournament.Config) { c.Arms[0].Variant = "nope" }, `arm "talks"`},
		{"mediator missing", func(c *tournament.Config) { c.Arms[1].Mediator = "nash" }, `mediator "nash" is not among the tournament's mediators`},
		{"mediator without stage", func(c *tournament.Config) { c.Arms[0].Mediator = "hillclimb" }, `no mediated stage for its mediator`},
		{"duplicate arm", func(c *tournament.Config) { c.Arms[1].Name = "talks" }, `arm "talks" appears twice`},
		{"not staged", func(c *tournament.Config) { c.Protocol = tournament.ProtocolSAO }, "set the protocol to staged"},
		{"variant", func(c *tournament.Config) { c.Variant = "bilateral_only" }, "each arm's variant"},
		{"two scenarios", func(c *tournament.Config) { c.Scenarios = append(c.Scenarios, c.Scenarios[0]) }, "one scenario, not 2"},
		{"no voters", func(c *tournament.Config) { c.Voters = nil }, "needs voters"},
		{"deadline", func(c *tournament.Config) { c.Deadline = 10 }, "stages set their own"},
		{"negative reps", func(c *tournament.Config) { c.Reps = -1 }, "reps -1 is negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := armsConfig(t, 1)
			tc.edit(c)
			if err := c.Prepare(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Prepare = %v, want %q", err, tc.want)
			}
		})
	}
}
