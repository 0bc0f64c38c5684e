package strategy_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy"
)

// TestTimeDependentWalks: with walk=true a time-dependent negotiator (A on
// a 100-step pie, reservation 0.4, linear) leaves only when continuing is
// worth less than r(t), and never when it is worth more (hand-computed).
func TestTimeDependentWalks(t *testing.T) {
	type offer struct{ u, at float64 } // B's offer, worth u to A, at time at
	for _, tc := range []struct {
		name         string
		delta, drift float64
		walk         bool
		offers       []offer
		want         []parley.ActionKind // A's answer to each offer
	}{
		// A hardliner offers A 0.2 throughout. With δ = 0.5, continuing
		// is worth max(r(1)·0.5^0.8, 0.2) = max(0.23, 0.2) < 0.4: A leaves
		// as soon as it has an estimate (two offers).
		{"discounting, a hardliner", 0.5, 0, true, []offer{{0.2, 0.1}, {0.2, 0.2}}, []parley.ActionKind{parley.Offer, parley.End}},
		// Without the walk rule it stays.
		{"no walk rule", 0.5, 0, false, []offer{{0.2, 0.1}, {0.2, 0.2}, {0.2, 0.9}}, []parley.ActionKind{parley.Offer, parley.Offer, parley.Offer}},
		// Without discounting or drift leaving is never better.
		{"no discounting", 1, 0, true, []offer{{0.2, 0.1}, {0.2, 0.2}, {0.2, 0.9}}, []parley.ActionKind{parley.Offer, parley.Offer, parley.Offer}},
		// A conceding opponent: 0.2 then 0.5, rate 3 per unit time, so A
		// expects its own target 0.88 (0.4 + 0.6·0.8) after another
		// 0.127, worth 0.88·0.5^0.127 = 0.81 ≥ 0.4: it stays.
		{"discounting, a conceder", 0.5, 0, true, []offer{{0.2, 0.1}, {0.5, 0.2}}, []parley.ActionKind{parley.Offer, parley.Offer}},
		// War fatigue: r(0.2) = 0.36 and r(1) = 0.2; nothing better than
		// 0.2 expected: take the outside option while it is worth more.
		{"eroding alternative", 1, -0.2, true, []offer{{0.2, 0.1}, {0.2, 0.2}}, []parley.ActionKind{parley.Offer, parley.End}},
		// A rising alternative (drift +0.2, δ = 0.9): r(0.2) = 0.44, and
		// waiting is worth r(1)·0.9^0.8 = 0.6·0.919 = 0.55.
		{"rising alternative", 0.9, 0.2, true, []offer{{0.2, 0.1}, {0.2, 0.2}}, []parley.ActionKind{parley.Offer, parley.Offer}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := pie(t, 100, tc.delta, 1)
			ps[0].Reservation, ps[0].Drift = 0.4, tc.drift
			td := strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.LinearE, Walk: tc.walk})
			s := &parley.Session{Names: []string{"A", "B"}, Profile: ps[0], Rand: rand.New(rand.NewPCG(1, 2)),
				Deadline: 10, Clock: parley.Clock{Parties: 2, Rounds: 10}}
			if err := td.Init(context.Background(), s); err != nil {
				t.Fatal(err)
			}
			for i, o := range tc.offers {
				st := &parley.State{Time: o.at, Standing: parley.Outcome(o.u * 100), Proposer: 1, Me: 0, Parties: 2, Deadline: 10}
				a, err := td.Act(context.Background(), st)
				if err != nil {
					t.Fatal(err)
				}
				if a.Kind != tc.want[i] {
					t.Errorf("offer %d (%v at t = %v): %v, want %v", i, o.u, o.at, a.Kind, tc.want[i])
				}
			}
		})
	}
}
