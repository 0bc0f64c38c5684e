package sao_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/sao"
)

// timesSeen records the normalised time of every turn.
type timesSeen struct {
	script
	times []float64
}

func (s *timesSeen) Act(ctx context.Context, st *parley.State) (parley.Action, error) {
	s.times = append(s.times, st.Time)
	return s.script.Act(ctx, st)
}

func TestTiming(t *testing.T) {
	u := []float64{1, 0.5, 0.2, 0}
	tests := []struct {
		name         string
		opts         sao.Options
		want0, want1 []float64 // times seen by party 0 and 1
		endTime      float64
	}{
		// Steps: turn s of 2 parties × 3 rounds sees s/6.
		{"steps", sao.Options{Deadline: 3}, []float64{0, 2. / 6, 4. / 6}, []float64{1. / 6, 3. / 6, 5. / 6}, 1},
		// GENIUS DiscreteTimeline: round R (from 1) sees R/(D+1) on both turns; no agreement ends at D/(D+1).
		{"genius", sao.Options{Deadline: 3, Timing: sao.TimingGENIUS}, []float64{0.25, 0.5, 0.75}, []float64{0.25, 0.5, 0.75}, 0.75},
		// A stage of rounds 10..12 out of 20: t = (10·2 + s)/(20·2).
		{"global clock", sao.Options{Deadline: 3, RoundOffset: 10, TotalRounds: 20}, []float64{20. / 40, 22. / 40, 24. / 40}, []float64{21. / 40, 23. / 40, 25. / 40}, 13. / 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := tiny(t, []float64{0.4, 0.2}, []float64{0.5, 1}, u, u)
			m, err := sao.New(ps, names(2), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			a := &timesSeen{script: script{acts: []parley.Action{offer(0)}}}
			b := &timesSeen{script: script{acts: []parley.Action{offer(3)}}}
			r, err := m.Run(context.Background(), []parley.Negotiator{a, b}, 1)
			if err != nil {
				t.Fatal(err)
			}
			near := func(x, y []float64) bool {
				for i := range x {
					if math.Abs(x[i]-y[i]) > 1e-15 {
						return false
					}
				}
				return len(x) == len(y)
			}
			if !near(a.times, tc.want0) || !near(b.times, tc.want1) {
				t.Fatalf("times %v %v, want %v %v", a.times, b.times, tc.want0, tc.want1)
			}
			if math.Abs(r.Time-tc.endTime) > 1e-15 || math.Abs(r.Discounted[0]-0.4*math.Pow(0.5, tc.endTime)) > 1e-12 {
				t.Fatalf("end time %v discounted %v, want %v", r.Time, r.Discounted[0], tc.endTime)
			}
		})
	}
}

func TestStartOfferNeedsEveryone(t *testing.T) {
	u := []float64{1, 0.5, 0.2, 0}
	ps := tiny(t, []float64{0, 0, 0}, []float64{1, 1, 1}, u, u, u)
	m, err := sao.New(ps, names(3), sao.Options{Deadline: 5, Start: 2, HasStart: true})
	if err != nil {
		t.Fatal(err)
	}
	acc := func() parley.Negotiator { return &script{acts: []parley.Action{accept}} }
	r, err := m.Run(context.Background(), []parley.Negotiator{acc(), acc(), acc()}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r.Reason != parley.ReasonAgreement || r.Agreement != 2 || r.Steps != 3 {
		t.Fatalf("got %v on %d after %d steps; want agreement on the carried offer after all three accept", r.Reason, r.Agreement, r.Steps)
	}
}

func TestRedLineAndDrift(t *testing.T) {
	u := []float64{1, 0.5, 0.2, 0}
	ps := tiny(t, []float64{0.5, 0.5}, []float64{1, 1}, u, u)
	ps[1].Vetoes = []parley.ValueRef{{Issue: 0, Value: 1}}
	ps[0].Drift = -0.3
	m, err := sao.New(ps, names(2), sao.Options{Deadline: 4})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := m.Run(context.Background(), []parley.Negotiator{&script{acts: []parley.Action{offer(1)}}, &script{acts: []parley.Action{accept}}}, 1)
	if r.Reason != parley.ReasonError || !strings.Contains(r.Err.Error(), "red line") {
		t.Fatalf("accepting a vetoed outcome: %v %v", r.Reason, r.Err)
	}
	r, _ = m.Run(context.Background(), []parley.Negotiator{&script{acts: []parley.Action{offer(0)}}, &script{acts: []parley.Action{offer(3)}}}, 1)
	// No agreement at t = 1: party 0's reservation has drifted to 0.5 − 0.3.
	if r.Reason != parley.ReasonDeadline || math.Abs(r.Utilities[0]-0.2) > 1e-12 || r.Utilities[1] != 0.5 {
		t.Fatalf("drift: %v %v", r.Reason, r.Utilities)
	}
}

func TestHazard(t *testing.T) {
	u := []float64{1, 0.5, 0.2, 0}
	walk := 0
	runs := 400
	for seed := 0; seed < runs; seed++ {
		ps := tiny(t, []float64{0, 0}, []float64{1, 1}, u, u)
		ps[1].Hazard = 0.5
		m, err := sao.New(ps, names(2), sao.Options{Deadline: 3, HazardWindow: 1})
		if err != nil {
			t.Fatal(err)
		}
		// Party 0 repeats one offer: party 1 sees progress in round 0 only,
		// so it may walk away at the start of round 2 (then 3 is the deadline).
		r, _ := m.Run(context.Background(), []parley.Negotiator{&script{acts: []parley.Action{offer(3)}}, &script{acts: []parley.Action{offer(0)}}}, uint64(seed))
		if r.Reason == parley.ReasonWalkAway {
			if r.Party != 1 || r.Rounds != 3 {
				t.Fatalf("walk-away by %d in round %d", r.Party, r.Rounds)
			}
			walk++
		}
	}
	if walk < runs*35/100 || walk > runs*65/100 {
		t.Fatalf("%d of %d runs walked away with hazard 0.5 at one chance", walk, runs)
	}
	// The same seed gives the same draw.
	ps := tiny(t, []float64{0, 0}, []float64{1, 1}, u, u)
	ps[1].Hazard = 0.5
	m, _ := sao.New(ps, names(2), sao.Options{Deadline: 50, HazardWindow: 1})
	negs := []parley.Negotiator{&script{acts: []parley.Action{offer(3)}}, &script{acts: []parley.Action{offer(0)}}}
	a, _ := m.Run(context.Background(), negs, 9)
	ra, sa := a.Rounds, a.Reason
	b, _ := m.Run(context.Background(), negs, 9)
	if ra != b.Rounds || sa != b.Reason {
		t.Fatal("hazard draws are not fixed by the seed")
	}
}
