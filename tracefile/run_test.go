package tracefile_test

import (
	"errors"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/tracefile"
)

// TestSetResult: the run document names who ended a run, by its reason,
// and keys per-party values by party name.
func TestSetResult(t *testing.T) {
	s, err := catalog.Open("../cli/testdata/tournament/market.yaml", catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name             string
		res              parley.Result
		accepted, ended  string
		agreement, error bool
	}{
		{"agreement", parley.Result{Agreement: 3, Reason: parley.ReasonAgreement, Party: 1}, "seller", "", true, false},
		{"walk away", parley.Result{Agreement: parley.NoOutcome, Reason: parley.ReasonWalkAway, Party: 0}, "", "buyer", false, false},
		{"deadline", parley.Result{Agreement: parley.NoOutcome, Reason: parley.ReasonDeadline, Party: -1}, "", "", false, false},
		{"error", parley.Result{Agreement: parley.NoOutcome, Reason: parley.ReasonError, Party: 1, Err: errors.New("boom")}, "", "seller", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := tracefile.NewRun(s, tracefile.ProtocolSAO, []string{"a", "b"}, 5, 10)
			tc.res.Rounds, tc.res.Utilities, tc.res.Discounted = 4, []float64{0.75, 0.5}, []float64{0.7, 0.4}
			j.SetResult(s, &tc.res)
			str := func(p *string) string {
				if p == nil {
					return ""
				}
				return *p
			}
			if str(j.AcceptedBy) != tc.accepted || str(j.EndedBy) != tc.ended || (j.Agreement != nil) != tc.agreement || (j.Error != "") != tc.error {
				t.Errorf("accepted %q, ended %q, agreement %v, error %q", str(j.AcceptedBy), str(j.EndedBy), j.Agreement, j.Error)
			}
			if j.Reason != tc.res.Reason.String() || j.Rounds != 4 || j.Agents["buyer"] != "a" || j.Utilities["seller"] != 0.5 ||
				j.DiscountedUtilities["buyer"] != 0.7 || j.Reservation["seller"] != 0.3 || j.Advantage["buyer"] != 0.75-0.2 {
				t.Errorf("run %+v", j)
			}
		})
	}
}

// TestStaged: the ceasefire's declared stages on the global clock, and a
// failed ratification keeps the signed agreement and the locked issues.
func TestStaged(t *testing.T) {
	s, err := catalog.Builtin("ceasefire")
	if err != nil {
		t.Fatal(err)
	}
	pl, err := plan.FromScenario(s, "")
	if err != nil {
		t.Fatal(err)
	}
	stages := tracefile.StagesOf(s, pl)
	if len(stages) != len(pl.Stages) || stages[0].FirstRound != 1 {
		t.Fatalf("stages %+v", stages)
	}
	for k := 1; k < len(stages); k++ {
		if want := stages[k-1].FirstRound + stages[k-1].Rounds; stages[k].FirstRound != want {
			t.Errorf("stage %d starts in round %d, want %d", k, stages[k].FirstRound, want)
		}
		if stages[k].Mechanism == parley.MechanismMediated && stages[k].MediatingParty != "US" {
			t.Errorf("stage %+v: want US mediating", stages[k])
		}
	}
	j := tracefile.NewRun(s, tracefile.ProtocolStaged, []string{"boulware"}, 1, pl.Rounds())
	res := &staged.Result{Result: parley.Result{Agreement: 7, Reason: parley.ReasonRatificationFailed, Party: -1, Rounds: 50,
		Utilities: make([]float64, 3), Discounted: make([]float64, 3)}, StageName: "mediated", Locked: []int{0}}
	j.SetStagedResult(s, res, 10)
	if j.Reason != "ratification_failed" || j.Agreement == nil || j.Ratified == nil || *j.Ratified || j.Stage != "mediated" || j.StageRound != 10 ||
		len(j.LockedIssues) != 1 || j.LockedIssues[0] != s.Space.Issues[0].Name {
		t.Errorf("run %+v", j)
	}
}
