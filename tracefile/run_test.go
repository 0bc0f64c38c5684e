package tracefile_test

import (
	"errors"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
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
