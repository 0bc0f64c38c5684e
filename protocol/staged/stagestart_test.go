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
