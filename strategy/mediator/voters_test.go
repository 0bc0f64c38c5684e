package mediator_test

import (
	"context"
	"math"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/strategy/mediator"
)

// On parleytest.TwoIssue (outcome = 2·price + delivery) the buyer's
// utilities are .6 1 .3 .7 0 .4.
func TestVoters(t *testing.T) {
	type call struct {
		text, prop parley.Outcome
		final      bool
		round      int
		t          float64
		accept     bool
		feedback   int8
	}
	tests := []struct {
		name  string
		voter mediator.Voter
		res   float64
		drift float64
		veto  bool // the buyer vetoes delivery = slow (outcomes 0, 2, 4)
		calls []call
	}{
		{name: "hillclimber", voter: mediator.NewHillClimber(), calls: []call{
			{text: 0, prop: 1, accept: true, feedback: 1},   // .6 → 1
			{text: 1, prop: 0, accept: false, feedback: -1}, // 1 → .6
			{text: 3, prop: 3, accept: true, feedback: 0},
			{text: 3, prop: 5, final: true, accept: true}, // final: the text, r = 0
		}},
		{name: "hillclimber with a red line", voter: mediator.NewHillClimber(), veto: true, calls: []call{
			{text: 3, prop: 2, accept: false, feedback: -1}, // vetoed, though .3 < .7 anyway
			{text: 4, prop: 5, accept: true, feedback: 1},   // out of its red line: 0 → .4
			{text: 0, prop: 2, accept: false, feedback: 0},  // both vetoed: worth -1 each
			{text: 1, prop: 0, final: true, accept: true},
			{text: 0, prop: 1, final: true, accept: false}, // final text crosses the red line
		}},
		{name: "hillclimber final vote below reservation", voter: mediator.NewHillClimber(), res: 0.5, drift: -0.3, calls: []call{
			{text: 5, final: true, t: 0.5, accept: true},  // .4 ≥ .5 - .3·.5 = .35
			{text: 5, final: true, t: 0.1, accept: false}, // .4 < .47
		}},
		{name: "reservation", voter: mediator.NewReservation(), res: 0.5, calls: []call{
			{text: 2, prop: 5, accept: false, feedback: 1}, // .3 → .4: better, but below .5
			{text: 2, prop: 0, accept: true, feedback: 1},  // .3 → .6
			{text: 0, prop: 3, accept: true, feedback: 1},
			{text: 0, prop: 2, accept: false, feedback: -1},
		}},
		{name: "exaggerator", voter: mediator.NewExaggerator(0.35), calls: []call{
			{text: 0, prop: 3, accept: false, feedback: -1}, // +.1: not enough
			{text: 2, prop: 1, accept: true, feedback: 1},   // +.7
			{text: 0, prop: 1, accept: true, feedback: 1},   // +.4
			{text: 1, prop: 0, accept: false, feedback: -1},
			{text: 3, final: true, accept: true},
		}},
		{name: "annealer at the end is a hill-climber", voter: mediator.NewAnnealer(10), calls: []call{
			{text: 1, prop: 0, round: 10, accept: false, feedback: -1},
			{text: 0, prop: 1, round: 10, accept: true, feedback: 1},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, ps := parleytest.TwoIssue()
			p := ps[0]
			p.Reservation, p.Drift = tc.res, tc.drift
			if tc.veto {
				p.Vetoes = []parley.ValueRef{{Issue: 1, Value: 0}}
			}
			if err := tc.voter.Init(context.Background(), &parley.Session{Profile: p, Deadline: 10, Rand: rng.New(1, 2)}); err != nil {
				t.Fatal(err)
			}
			for _, c := range tc.calls {
				st := &parley.State{Text: c.text, Standing: c.prop, Final: c.final, Round: c.round, Time: c.t}
				if c.final {
					st.Standing = c.text
				}
				v, err := tc.voter.Vote(context.Background(), st)
				if err != nil || v.Accept != c.accept || v.Feedback != c.feedback || v.Leave {
					t.Errorf("%+v: got %+v, %v", c, v, err)
				}
			}
		})
	}
}

// TestAnnealerProbability: a proposal Δ = -0.1 worse is accepted with
// probability exp(Δ/T), T = T0·(1 - r/R).
func TestAnnealerProbability(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	a := mediator.NewAnnealer(0.2)
	if err := a.Init(context.Background(), &parley.Session{Profile: ps[0], Deadline: 100, Rand: rng.New(3, 0)}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		round int
		want  float64
	}{{0, math.Exp(-0.1 / 0.2)}, {50, math.Exp(-0.1 / 0.1)}, {75, math.Exp(-0.1 / 0.05)}} {
		const N = 20000
		yes := 0
		// Text 3 (.7), proposal 0 (.6).
		st := &parley.State{Text: 3, Standing: 0, Round: tc.round}
		for range N {
			v, _ := a.Vote(context.Background(), st)
			if v.Accept {
				yes++
			}
			if v.Feedback != -1 {
				t.Fatal("feedback not truthful")
			}
		}
		if got := float64(yes) / N; math.Abs(got-tc.want) > 0.015 {
			t.Errorf("round %d: accepts %.3f, want %.3f", tc.round, got, tc.want)
		}
	}
}

func TestVoterErrors(t *testing.T) {
	for _, v := range []mediator.Voter{mediator.NewHillClimber(), mediator.NewAnnealer(0), mediator.NewReservation(), mediator.NewExaggerator(0)} {
		if _, err := v.Vote(context.Background(), &parley.State{}); err == nil {
			t.Errorf("%T: Vote before Init: no error", v)
		}
		if err := v.Init(context.Background(), &parley.Session{}); err == nil {
			t.Errorf("%T: Init without a profile: no error", v)
		}
	}
	_, ps := parleytest.TwoIssue()
	if err := mediator.NewAnnealer(-1).Init(context.Background(), &parley.Session{Profile: ps[0], Rand: rng.New(1, 1)}); err == nil {
		t.Error("negative temperature: no error")
	}
	if err := mediator.NewAnnealer(0).Init(context.Background(), &parley.Session{Profile: ps[0]}); err == nil {
		t.Error("annealer without a random stream: no error")
	}
	if err := mediator.NewExaggerator(-1).Init(context.Background(), &parley.Session{Profile: ps[0]}); err == nil {
		t.Error("negative gain: no error")
	}
}
