package mediator_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy/mediator"
)

// TestWalker: a voter with walk=true leaves only when continuing is worth
// less than r(t) (hand-computed), and otherwise votes as its inner voter.
func TestWalker(t *testing.T) {
	vals := make([]string, 101)
	for k := range vals {
		vals[k] = strconv.Itoa(k)
	}
	space, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "share", Values: vals}})
	if err != nil {
		t.Fatal(err)
	}
	share := parley.UtilityFunc(func(o parley.Outcome) float64 { return float64(o) / 100 })
	type text struct{ u, at float64 } // the text, worth u to the voter, at time at
	for _, tc := range []struct {
		name         string
		delta, drift float64
		texts        []text
		want         []bool // Leave, per vote
	}{
		// The text stays at 0.2: continuing is worth max(r(1)·0.5^0.8, 0.2)
		// = 0.23 < 0.4 once it has two observations.
		{"discounting, a stuck text", 0.5, 0, []text{{0.2, 0.1}, {0.2, 0.2}}, []bool{false, true}},
		// Without discounting or drift nobody leaves.
		{"no discounting", 1, 0, []text{{0.2, 0.1}, {0.2, 0.2}, {0.2, 0.9}}, []bool{false, false, false}},
		// The text improves by 0.3 in 0.1: it expects 1 after another
		// 0.167, worth 0.5^0.167 = 0.89 ≥ 0.4.
		{"discounting, an improving text", 0.5, 0, []text{{0.2, 0.1}, {0.5, 0.2}}, []bool{false, false}},
		// War fatigue: r(0.2) = 0.36 > r(1) = 0.2 and 0.2 expected.
		{"eroding alternative", 1, -0.2, []text{{0.2, 0.1}, {0.2, 0.2}}, []bool{false, true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &parley.Profile{Name: "v", Space: space, Utility: share, Reservation: 0.4, Discount: tc.delta, Drift: tc.drift}
			f, err := mediator.ParseVoter("hillclimber:walk=true")
			if err != nil {
				t.Fatal(err)
			}
			v := f()
			if err := v.Init(context.Background(), &parley.Session{Profile: p, Names: []string{"v", "w"}, Deadline: 10,
				Clock: parley.Clock{Parties: 1, Rounds: 10}}); err != nil {
				t.Fatal(err)
			}
			for i, x := range tc.texts {
				txt := parley.Outcome(x.u * 100)
				st := &parley.State{Time: x.at, Text: txt, Standing: txt + 1, Parties: 2, Deadline: 10}
				vote, err := v.Vote(context.Background(), st)
				if err != nil {
					t.Fatal(err)
				}
				if vote.Leave != tc.want[i] {
					t.Errorf("vote %d (text %v at t = %v): leave %v, want %v", i, x.u, x.at, vote.Leave, tc.want[i])
				}
				if !vote.Leave && !vote.Accept {
					t.Errorf("vote %d: the inner hill-climber should accept a better proposal", i)
				}
			}
			// The final vote is never a walk-out.
			st := &parley.State{Time: 1, Text: 20, Standing: 20, Final: true, Parties: 2, Deadline: 10}
			if vote, err := v.Vote(context.Background(), st); err != nil || vote.Leave {
				t.Errorf("final vote: %+v, %v", vote, err)
			}
		})
	}
}
