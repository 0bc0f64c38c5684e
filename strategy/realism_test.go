package strategy_test

import (
	"context"
	"math"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/boa"
)

// TestTimeDependentRealism: red lines and a drifting reservation value on
// the buyer of parleytest.TwoIssue (utilities 0:.6 1:1 2:.3 3:.7 4:0 5:.4).
// The buyer vetoes price = low (outcomes 0 and 1), so its best outcome is 3
// (.7) and its worst 4 (0); r(t) = 0.2 + 0.2t.
func TestTimeDependentRealism(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	buyer := ps[0]
	buyer.Reservation, buyer.Drift = 0.2, 0.2
	buyer.Vetoes = []parley.ValueRef{{Issue: 0, Value: 0}}
	td := strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.LinearE, Accept: boa.ACConst(0)})
	if err := td.Init(context.Background(), &parley.Session{Profile: buyer, Names: []string{"b", "s"}, Rand: rng.New(1, 0)}); err != nil {
		t.Fatal(err)
	}
	// Pmin = r(t), Pmax = .7: target(t) = r(t) + (.7 − r(t))(1 − t).
	for _, tc := range []struct{ t, want float64 }{{0, 0.7}, {0.5, 0.3 + 0.4*0.5}, {1, 0.4}} {
		if got := td.Target(tc.t); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Target(%v) = %v, want %v", tc.t, got, tc.want)
		}
	}
	for _, tc := range []struct {
		t        float64
		standing parley.Outcome
		want     parley.Action
	}{
		{0, parley.NoOutcome, parley.OfferOf(3)}, // best within the red lines, not 1
		{1, parley.NoOutcome, parley.OfferOf(5)}, // target .4
		{0, 1, parley.OfferOf(3)},                // worth 1, but across a red line
		{0.5, 2, parley.AcceptAction()},          // .3 ≥ r(.5) = .3
		{0.6, 2, parley.OfferOf(3)},              // .3 < r(.6) = .32; target .32 + .38·.4 = .472
	} {
		st := &parley.State{Time: tc.t, Parties: 2, Me: 0, Standing: tc.standing, Proposer: 1}
		if tc.standing == parley.NoOutcome {
			st.Proposer = -1
		}
		a, err := td.Act(context.Background(), st)
		if err != nil || a != tc.want {
			t.Errorf("t=%v standing %d: %+v %v, want %+v", tc.t, tc.standing, a, err, tc.want)
		}
	}
}

// TestFutile: a strategy with nothing acceptable ends the negotiation,
// whether every outcome crosses a red line or r(t) rose above its best.
func TestFutile(t *testing.T) {
	for _, spec := range []string{"boulware", "hardliner", "tft", "micro", "random"} {
		f, err := strategy.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		_, ps := parleytest.TwoIssue()
		p := ps[0]
		p.Vetoes = []parley.ValueRef{{Issue: 1, Value: 0}, {Issue: 1, Value: 1}} // both deliveries
		n := f()
		if err := n.Init(context.Background(), &parley.Session{Profile: p, Names: []string{"b", "s"}, Rand: rng.New(1, 0)}); err != nil {
			t.Fatal(err)
		}
		a, err := n.Act(context.Background(), &parley.State{Parties: 2, Standing: 3, Proposer: 1})
		if err != nil || a.Kind != parley.End {
			t.Errorf("%s, all vetoed: %+v %v, want End", spec, a, err)
		}
		if spec == "random" {
			continue // a baseline: it never stops for a high reservation
		}
		_, ps = parleytest.TwoIssue()
		p = ps[0]
		p.Reservation, p.Drift = 0.3, 0.8 // r(t) = .3 + .8t: above the best (.7) after t = 0.5
		p.Vetoes = []parley.ValueRef{{Issue: 0, Value: 0}}
		n = f()
		if err := n.Init(context.Background(), &parley.Session{Profile: p, Names: []string{"b", "s"}, Rand: rng.New(1, 0)}); err != nil {
			t.Fatal(err)
		}
		if a, _ := n.Act(context.Background(), &parley.State{Time: 0.25, Parties: 2, Standing: 4, Proposer: 1}); a.Kind != parley.Offer {
			t.Errorf("%s at t = 0.25: %+v, want an offer", spec, a)
		}
		if a, _ := n.Act(context.Background(), &parley.State{Time: 0.75, Parties: 2, Standing: 3, Proposer: 1}); a.Kind != parley.End {
			t.Errorf("%s at t = 0.75: %+v, want End", spec, a)
		}
	}
}

// TestRealismInRuns: over many negotiations with red lines and drifting
// reservation values, no strategy offers an outcome across its red lines
// or accepts one that is not acceptable to it at the time.
func TestRealismInRuns(t *testing.T) {
	specs := []string{"boulware", "linear", "conceder", "hardliner", "tft", "micro", "random", "random:p=0.9",
		"boulware:ac=combi(t=0.5)", "conceder:ac=combimax(t=0.5)", "linear:ac=const(c=0.1)"}
	for _, drift := range []float64{-0.3, 0.3} {
		for _, spec := range specs {
			f, err := strategy.Parse(spec)
			if err != nil {
				t.Fatal(err)
			}
			opp, err := strategy.Parse("random:p=0.5")
			if err != nil {
				t.Fatal(err)
			}
			for seed := range uint64(10) {
				_, ps := parleytest.Synthetic(t, seed, 4, 4, 3, 3)
				for i, p := range ps {
					p.Reservation, p.Drift = 0.35, drift
					p.Vetoes = []parley.ValueRef{{Issue: i, Value: 1}, {Issue: 2, Value: 2 - i}}
				}
				trace, res := run(t, ps, 40, seed, f(), opp())
				if res.Reason == parley.ReasonError {
					t.Fatalf("%s drift %v seed %d: %v", spec, drift, seed, res.Err)
				}
				standing := parley.NoOutcome
				for _, e := range trace {
					if e.Party == 0 {
						switch e.Action {
						case parley.Offer:
							if ps[0].Vetoed(e.Outcome) {
								t.Fatalf("%s drift %v seed %d: offered %d across its red lines", spec, drift, seed, e.Outcome)
							}
						case parley.Accept:
							if !ps[0].Acceptable(standing, e.Time) {
								t.Fatalf("%s drift %v seed %d: accepted %d (u %v, r(%v) = %v)", spec, drift, seed, standing,
									ps[0].Utility.Utility(standing), e.Time, ps[0].ReservationAt(e.Time))
							}
						}
					}
					if e.Action == parley.Offer {
						standing = e.Outcome
					}
				}
			}
		}
	}
}

// TestRealismAllocatesNothing: red lines and drift keep Act free of
// allocations.
func TestRealismAllocatesNothing(t *testing.T) {
	space, ps := parleytest.Synthetic(t, 2, 4, 4, 4, 3, 3)
	p := ps[0]
	p.Drift = -0.2
	p.Reservation = 0.3
	p.Vetoes = []parley.ValueRef{{Issue: 0, Value: 1}, {Issue: 3, Value: 0}}
	for _, spec := range []string{"boulware", "conceder:ac=combimax(t=0.5)", "tft", "micro", "random"} {
		f, err := strategy.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		n := f()
		if err := n.Init(context.Background(), &parley.Session{Profile: p, Names: []string{"a", "b"}, Rand: rng.New(1, 0)}); err != nil {
			t.Fatal(err)
		}
		st := state(space, 200)
		i := 0
		allocs := testing.AllocsPerRun(1000, func() {
			st.Time = float64(i%1000) / 1000
			st.Standing = parley.Outcome(i % space.Size())
			i++
			if _, err := n.Act(context.Background(), st); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per Act, want 0", spec, allocs)
		}
	}
}
