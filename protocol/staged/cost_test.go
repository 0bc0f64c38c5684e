package staged_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/staged"
)

// TestRoundCost: a stage's RoundCost weighs its rounds on the one clock.
// The plan of TestTwoStages with each mediated round costing 3 units: the
// clock has 4·1 + 4·3 = 16 units. Stage 1's turn s is at s/(16·2), so its
// last turn (7) is at 7/32; stage 2's round r is at (4 + 3r)/16 and its
// final vote at (4 + 12)/16 = 1. A's discount is counted on that clock:
// with the same script, the agreement on 3 is worth .5·0.9 to A as before,
// and the earlier rounds are earlier in time than without the cost.
func TestRoundCost(t *testing.T) {
	ps, names := fixture(t)
	a := &script{acts: offers(0, 2, 2, 2)}
	b := &script{acts: offers(5, 3, 3, 3)}
	va, vb := &hill{leave: -1}, &hill{leave: -1}
	med := &proposer{props: []int{2, 1, 3, 3}}
	bil := saoStage("bilateral", 4)
	bil.Carry = parley.CarryBestAcceptable
	m := mediatedStage("mediated", 4)
	m.RoundCost = 3
	plan := staged.Plan{Stages: []parley.Stage{bil, m}}
	if plan.Units() != 16 || plan.Rounds() != 8 {
		t.Fatalf("units %d rounds %d, want 16 and 8", plan.Units(), plan.Rounds())
	}
	res, err := staged.Run(context.Background(), ps, names, plan, seatsFor(map[int]*script{0: a, 1: b}, map[int]*hill{0: va, 1: vb}, med), 1)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Agreed() || res.Agreement != 3 || res.Rounds != 8 || res.Time != 1 {
		t.Fatalf("result %+v, want an agreement on 3 after 8 rounds at t = 1", res)
	}
	for k, tt := range a.times {
		if want := float64(2*k) / 32; !near(tt, want) {
			t.Errorf("A's turn %d at t = %v, want %v", k, tt, want)
		}
	}
	wantTimes := []float64{4. / 16, 7. / 16, 10. / 16, 13. / 16, 1}
	if fmt.Sprint(va.times) != fmt.Sprint(wantTimes) {
		t.Errorf("A's votes at %v, want %v", va.times, wantTimes)
	}
	if c := med.sess.Clock; c.Cost != 3 || c.Offset != 4 || c.Total != 16 || !near(c.At(1), 7./16) {
		t.Errorf("the mediator's clock %+v", c)
	}
	if !near(res.Discounted[0], .5*.9) {
		t.Errorf("A's discounted utility %v, want %v", res.Discounted[0], .5*.9)
	}
}

func TestRoundCostChecked(t *testing.T) {
	ps, names := fixture(t)
	m := mediatedStage("mediated", 4)
	m.RoundCost = -1
	_, err := staged.Run(context.Background(), ps, names, staged.Plan{Stages: []parley.Stage{m}},
		seatsFor(nil, map[int]*hill{0: {leave: -1}, 1: {leave: -1}}, &proposer{props: []int{1}}), 1)
	if err == nil {
		t.Fatal("a negative round cost ran")
	}
}
