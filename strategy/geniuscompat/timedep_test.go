package geniuscompat_test

import (
	"context"
	"math"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/strategy/geniuscompat"
)

// TestTarget checks 1 − ((R−1)/(D+1))^(1/e) at t = R/(D+1) (the figures of
// genius-timedep.md §1.2: Boulware's last target at D = 100 is 0.0948).
func TestTarget(t *testing.T) {
	tests := []struct {
		e        float64
		r, d     int
		want     float64
		tolerant bool // want is the exact formula, the target computes t − offset
	}{
		{geniuscompat.BoulwareE, 1, 100, 1, false},
		{geniuscompat.ConcederE, 1, 100, 1, false},
		{geniuscompat.LinearE, 1, 1000, 1, false},
		{geniuscompat.BoulwareE, 100, 100, 1 - math.Pow(99.0/101, 5), true},
		{geniuscompat.BoulwareE, 1000, 1000, 1 - math.Pow(999.0/1001, 5), true},
		{geniuscompat.ConcederE, 100, 100, 1 - math.Sqrt(99.0/101), true},
		{geniuscompat.LinearE, 3, 4, 1 - 2.0/5, true},
		{0, 50, 100, 1, false},
	}
	for _, tc := range tests {
		td := geniuscompat.NewTimeDependent(tc.e)
		got := td.Target(float64(tc.r)/float64(tc.d+1), tc.d)
		if tc.tolerant && math.Abs(got-tc.want) > 1e-15 || !tc.tolerant && got != tc.want {
			t.Errorf("e=%v: target in round %d of %d = %v, want %v", tc.e, tc.r, tc.d, got, tc.want)
		}
	}
	// Without a round deadline there is no offset.
	if got := geniuscompat.NewLinear().Target(0.25, 0); got != 0.75 {
		t.Errorf("linear at t = 0.25 without deadline: %v, want 0.75", got)
	}
}

// act initialises n for the buyer of parleytest.TwoIssue and asks it to act
// in round r of 4 with standing offer standing from the seller (NoOutcome:
// none).
func act(t *testing.T, n parley.Negotiator, p *parley.Profile, r int, standing parley.Outcome) parley.Action {
	t.Helper()
	if err := n.Init(context.Background(), &parley.Session{Profile: p, Names: []string{"buyer", "seller"}, Deadline: 4}); err != nil {
		t.Fatal(err)
	}
	st := &parley.State{Round: r - 1, Step: 2 * (r - 1), Time: float64(r) / 5, Deadline: 4, Parties: 2, Me: 0,
		Standing: standing, Proposer: 1}
	if standing == parley.NoOutcome {
		st.Proposer = -1
	}
	a, err := n.Act(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// The buyer of TwoIssue sorts 1 (1.0), 3 (0.7), 0 (0.6), 5 (0.4), 2 (0.3),
// 4 (0.0). A linear party with D = 4 aims at 1, 0.8, 0.6, 0.4 in rounds
// 1-4 and so plans 1, 3, 0, 5; it accepts only an offer worth strictly more
// than its plan.
func TestTimeDependentAct(t *testing.T) {
	tests := []struct {
		round    int
		standing parley.Outcome
		discount float64
		want     parley.Action
	}{
		{1, parley.NoOutcome, 1, parley.OfferOf(1)},
		{1, 3, 1, parley.OfferOf(1)},
		{2, 4, 1, parley.OfferOf(3)},
		{2, 3, 1, parley.OfferOf(3)}, // equal to the plan: no accept
		{2, 3, 0.5, parley.OfferOf(3)},
		{2, 1, 1, parley.AcceptAction()},
		{3, 3, 1, parley.AcceptAction()}, // 0.7 > 0.6
		{3, 0, 1, parley.OfferOf(0)},
		{4, 5, 1, parley.OfferOf(5)},
		{4, 0, 0.5, parley.AcceptAction()},
	}
	for _, tc := range tests {
		_, ps := parleytest.TwoIssue()
		ps[0].Discount = tc.discount
		got := act(t, geniuscompat.NewLinear(), ps[0], tc.round, tc.standing)
		if got != tc.want {
			t.Errorf("round %d, standing %d, discount %v: %v, want %v", tc.round, tc.standing, tc.discount, got, tc.want)
		}
	}
}

// The Hardliner always plans its best outcome (1) and accepts an offer worth
// as much (non-strict), at any time.
func TestHardlinerAct(t *testing.T) {
	tests := []struct {
		round    int
		standing parley.Outcome
		want     parley.Action
	}{
		{1, parley.NoOutcome, parley.OfferOf(1)},
		{1, 3, parley.OfferOf(1)},
		{4, 5, parley.OfferOf(1)},
		{2, 1, parley.AcceptAction()},
	}
	for _, tc := range tests {
		_, ps := parleytest.TwoIssue()
		ps[0].Reservation = 0.65 // Pmin = 0.65 changes nothing: p = Pmax
		got := act(t, geniuscompat.NewHardliner(), ps[0], tc.round, tc.standing)
		if got != tc.want {
			t.Errorf("round %d, standing %d: %v, want %v", tc.round, tc.standing, got, tc.want)
		}
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	for _, n := range []parley.Negotiator{geniuscompat.NewBoulware(), geniuscompat.NewHardliner()} {
		if _, err := n.Act(ctx, &parley.State{}); err == nil {
			t.Errorf("%T: Act before Init: no error", n)
		}
		if err := n.Init(ctx, &parley.Session{}); err == nil {
			t.Errorf("%T: Init without profile: no error", n)
		}
	}
	_, ps := parleytest.TwoIssue()
	for _, e := range []float64{-1, math.NaN(), math.Inf(1)} {
		if err := geniuscompat.NewTimeDependent(e).Init(ctx, &parley.Session{Profile: ps[0]}); err == nil {
			t.Errorf("e = %v: no error", e)
		}
	}
}

func TestConformance(t *testing.T) {
	_, syn := parleytest.Synthetic(t, 5, 3, 4, 2)
	for name, f := range map[string]func() parley.Negotiator{
		"boulware":  func() parley.Negotiator { return geniuscompat.NewBoulware() },
		"conceder":  func() parley.Negotiator { return geniuscompat.NewConceder() },
		"linear":    func() parley.Negotiator { return geniuscompat.NewLinear() },
		"hardliner": func() parley.Negotiator { return geniuscompat.NewHardliner() },
	} {
		t.Run(name, func(t *testing.T) {
			parleytest.TestNegotiator(t, f)
			parleytest.TestNegotiator(t, f, syn...)
		})
	}
}

func TestActAllocatesNothing(t *testing.T) {
	space, ps := parleytest.Synthetic(t, 2, 4, 4, 4, 3, 3)
	for _, n := range []parley.Negotiator{geniuscompat.NewBoulware(), geniuscompat.NewConceder(),
		geniuscompat.NewLinear(), geniuscompat.NewHardliner()} {
		if err := n.Init(context.Background(), &parley.Session{Profile: ps[0], Deadline: 1000}); err != nil {
			t.Fatal(err)
		}
		st := &parley.State{Parties: 2, Deadline: 1000, Proposer: 1}
		i := 0
		allocs := testing.AllocsPerRun(1000, func() {
			st.Round = i % 1000
			st.Time = float64(st.Round+1) / 1001
			st.Standing = parley.Outcome(i % space.Size())
			i++
			if _, err := n.Act(context.Background(), st); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%T: %v allocations per Act, want 0", n, allocs)
		}
	}
}
