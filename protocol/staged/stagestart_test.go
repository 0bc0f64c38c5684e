package staged_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/staged"
)

// StageStart reports each stage's start on the global clock: the talks
// stall after 3 of their 6 rounds, so the second stage starts after 3
// global rounds, and its first round (1 in the stage) is global round 4,
// the round the run ends in.
func TestStageStart(t *testing.T) {
	ps, names := fixture(t)
	a := &script{acts: offers(0, 0, 0, 2)}
	b := &script{acts: offers(5, 5, 5, -1)}
	s1 := saoStage("talks", 6)
	s1.Transition = parley.Transition{Kind: parley.TransitionStall, K: 2}
	plan := staged.Plan{Stages: []parley.Stage{s1, saoStage("again", 4)}}
	var starts []string
	plan.StageStart = func(k, offset int) { starts = append(starts, fmt.Sprintf("%d@%d", k, offset)) }
	res, err := staged.Run(context.Background(), ps, names, plan, seatsFor(map[int]*script{0: a, 1: b}, nil, nil), 1)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(starts) != "[0@0 1@3]" || res.Rounds != 4 {
		t.Fatalf("stage starts %v, run ended in round %d; want [0@0 1@3] and 4", starts, res.Rounds)
	}
}

// Carried reports what each stage opens with from the one before: with
// carry partial_issues (TestPartialIssues' talks: only 2 is acceptable to
// both, and the latest offers agree on y) the mediated stage opens with
// text 2 and issue y locked; with best_acceptable into alternating offers
// the standing offer 3 (TestTwoStages' talks); with carry none, nothing.
func TestCarried(t *testing.T) {
	ps, names := fixture(t)
	for _, tc := range []struct {
		name   string
		acts   [2][]int
		carry  parley.Carry
		second parley.Stage
		want   string
	}{
		{"partial into mediation", [2][]int{{2}, {4}}, parley.CarryPartialIssues, mediatedStage("mediation", 2), "[1:2[1]]"},
		{"best into talks", [2][]int{{0, 2, 2, 2}, {5, 3, 3, 3}}, parley.CarryBestAcceptable, saoStage("again", 2), "[1:3[]]"},
		{"none", [2][]int{{0, 2, 2, 2}, {5, 3, 3, 3}}, parley.CarryNone, mediatedStage("mediation", 2), "[]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s1 := saoStage("talks", len(tc.acts[0]))
			s1.Carry = tc.carry
			plan := staged.Plan{Stages: []parley.Stage{s1, tc.second}}
			var got []string
			plan.Carried = func(k int, start parley.Outcome, locked []int) {
				got = append(got, fmt.Sprintf("%d:%d%v", k, start, locked))
			}
			a, b := &script{acts: offers(tc.acts[0]...)}, &script{acts: offers(tc.acts[1]...)}
			seats := seatsFor(map[int]*script{0: a, 1: b}, map[int]*hill{0: {leave: -1}, 1: {leave: -1}}, &proposer{props: []int{-1}})
			if _, err := staged.Run(context.Background(), ps, names, plan, seats, 3); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != tc.want {
				t.Errorf("carried %v, want %s", got, tc.want)
			}
		})
	}
}
