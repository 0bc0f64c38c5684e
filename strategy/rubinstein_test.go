package strategy_test

import (
	"context"
	"math"
	"strconv"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/strategy"
)

// pie is a one-issue pie cut in steps: value k gives the first party k/steps
// and the second the rest, with discount factors d0 and d1.
func pie(t testing.TB, steps int, d0, d1 float64) []*parley.Profile {
	t.Helper()
	vals := make([]string, steps+1)
	for k := range vals {
		vals[k] = strconv.Itoa(k)
	}
	space, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "share", Values: vals}})
	if err != nil {
		t.Fatal(err)
	}
	share := func(o parley.Outcome) float64 { return float64(o) / float64(steps) }
	return []*parley.Profile{
		{Name: "A", Space: space, Discount: d0, Utility: parley.UtilityFunc(share)},
		{Name: "B", Space: space, Discount: d1, Utility: parley.UtilityFunc(func(o parley.Outcome) float64 { return 1 - share(o) })},
	}
}

// TestRubinsteinSPE: two Rubinstein negotiators agree on the first offer,
// on the subgame-perfect split.
//
//   - "two rounds" is solved by hand: 4 turns at t = 0, ¼, ½, ¾ (end at 1),
//     δ_A = 0.0625 and δ_B = 0.0081, so one turn discounts by 0.5 for A and
//     0.3 for B. Turn 3 (B) can only accept: A offers all of the pie on
//     turn 2, worth 1·δ_A^¾ = 0.125 to A. On turn 1 B must leave A
//     0.125/δ_A^½ = 0.5 (B gets 0.5·δ_B^½ = 0.045); on turn 0 A must leave
//     B 0.045/δ_B^¼ = 0.15, and keeps 0.85.
//   - the other rows have 100 and more rounds, so the finite horizon no
//     longer matters, and per-turn factors d_A, d_B (δ = d^turns): the
//     first proposer's share is Rubinstein's (1 − d_B)/(1 − d_A·d_B), 2/3
//     for d = ½ and 5/7 for d_A = 0.9, d_B = 0.8, both on the pie's grid.
func TestRubinsteinSPE(t *testing.T) {
	tests := []struct {
		name      string
		steps     int
		rounds    int
		dA, dB    float64 // per-turn discount factors
		firstB    bool    // B proposes first
		wantFirst float64 // the first proposer's share
	}{
		{"two rounds", 100, 2, 0.5, 0.3, false, 0.85},
		{"two rounds, B first", 100, 2, 0.3, 0.5, true, 0.85},
		{"symmetric", 3000, 100, 0.5, 0.5, false, 2.0 / 3},
		{"asymmetric", 7000, 200, 0.9, 0.8, false, 5.0 / 7},
		{"asymmetric, B first", 7000, 200, 0.8, 0.9, true, 5.0 / 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			turns := float64(2 * tc.rounds)
			ps := pie(t, tc.steps, math.Pow(tc.dA, turns), math.Pow(tc.dB, turns))
			first := 0
			if tc.firstB {
				ps[0], ps[1] = ps[1], ps[0]
				first = 0 // the profile in seat 0 (B's) proposes first
			}
			negs := []parley.Negotiator{}
			for range 2 {
				r, err := strategy.NewRubinstein(strategy.RubinsteinOptions{OpponentDiscount: 0})
				if err != nil {
					t.Fatal(err)
				}
				negs = append(negs, r)
			}
			// Each knows the other's discount factor.
			negs[0], _ = strategy.NewRubinstein(strategy.RubinsteinOptions{OpponentDiscount: ps[1].Discount})
			negs[1], _ = strategy.NewRubinstein(strategy.RubinsteinOptions{OpponentDiscount: ps[0].Discount})
			trace, res := run(t, ps, tc.rounds, 1, negs...)
			if res.Reason != parley.ReasonAgreement || res.Steps != 2 {
				t.Fatalf("%v after %d turns (trace %v); want the first offer accepted", res.Reason, res.Steps, trace)
			}
			if got := res.Utilities[first]; math.Abs(got-tc.wantFirst) > 1e-9 {
				t.Errorf("first proposer's share %.12f, want %.12f", got, tc.wantFirst)
			}
		})
	}
}

// TestRubinsteinResponds: the equilibrium demand follows the discount
// factors: the more patient the opponent (the higher its δ), the less the
// first proposer keeps, and a proposer facing an opponent that does not
// discount at all, with a deadline, keeps less than half when the opponent
// makes the last offer.
func TestRubinsteinResponds(t *testing.T) {
	share := func(dA, dB float64) float64 {
		ps := pie(t, 1000, math.Pow(dA, 100), math.Pow(dB, 100))
		a, _ := strategy.NewRubinstein(strategy.RubinsteinOptions{OpponentDiscount: ps[1].Discount})
		b, _ := strategy.NewRubinstein(strategy.RubinsteinOptions{OpponentDiscount: ps[0].Discount})
		_, res := run(t, ps, 50, 1, a, b)
		if res.Reason != parley.ReasonAgreement {
			t.Fatalf("dA %v dB %v: %v", dA, dB, res.Reason)
		}
		return res.Utilities[0]
	}
	prev := 1.0
	for _, dB := range []float64{0.5, 0.7, 0.9, 0.95, 0.99} {
		s := share(0.9, dB)
		if s >= prev {
			t.Errorf("d_B = %v: A keeps %v, not less than %v with a less patient B", dB, s, prev)
		}
		prev = s
	}
}

// TestRubinsteinAcceptsOnlyItsValue: against a negotiator that offers a
// fixed split, a Rubinstein negotiator accepts it only when it is worth its
// equilibrium value of the turn.
func TestRubinsteinAcceptsOnlyItsValue(t *testing.T) {
	ps := pie(t, 100, 0.0625, 0.0081) // the hand-solved game: B's value on turn 1 is 0.045
	for _, tc := range []struct {
		offer  int // A's share offered by A on turn 0
		accept bool
	}{{85, true}, {84, true}, {86, false}, {100, false}} {
		b, _ := strategy.NewRubinstein(strategy.RubinsteinOptions{OpponentDiscount: 0.0625})
		a := &parleytest.Scripted{Actions: []parley.Action{parley.OfferOf(parley.Outcome(tc.offer)), parley.EndAction()}}
		m, err := sao.New(ps, []string{"A", "B"}, sao.Options{Deadline: 2})
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.Run(context.Background(), []parley.Negotiator{a, b}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Reason == parley.ReasonAgreement; got != tc.accept {
			t.Errorf("A offers itself %d%%: agreement %v, want %v", tc.offer, got, tc.accept)
		}
	}
}

func TestRubinsteinConformance(t *testing.T) {
	parleytest.TestNegotiator(t, func() parley.Negotiator {
		r, err := strategy.NewRubinstein(strategy.RubinsteinOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return r
	})
}

func TestRubinsteinRefuses(t *testing.T) {
	ps := pie(t, 10, 0.9, 0.9)
	r, _ := strategy.NewRubinstein(strategy.RubinsteinOptions{})
	for _, tc := range []struct {
		name string
		s    *parley.Session
	}{
		{"no profile", &parley.Session{Names: []string{"a", "b"}}},
		{"three parties", &parley.Session{Names: []string{"a", "b", "c"}, Profile: ps[0], Clock: parley.Clock{Parties: 3, Rounds: 5}}},
		{"no deadline", &parley.Session{Names: []string{"a", "b"}, Profile: ps[0], Clock: parley.Clock{Parties: 2}}},
	} {
		if err := r.Init(context.Background(), tc.s); err == nil {
			t.Errorf("%s: Init succeeded", tc.name)
		}
	}
	if _, err := strategy.NewRubinstein(strategy.RubinsteinOptions{OpponentDiscount: 1.5}); err == nil {
		t.Error("OpponentDiscount 1.5 accepted")
	}
}

// TestRubinsteinTwoIssues: the backward induction runs over any
// enumerable space, so a pie cut along two issues (A's utility (2x + y)/30
// for x, y in 0..10, B's the rest) has the same equilibrium split as the
// one-issue pie: 2/3 to the first proposer with per-turn factors ½, on the
// grid of 1/30.
func TestRubinsteinTwoIssues(t *testing.T) {
	vals := make([]string, 11)
	for k := range vals {
		vals[k] = strconv.Itoa(k)
	}
	space, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "x", Values: vals}, {Name: "y", Values: vals}})
	if err != nil {
		t.Fatal(err)
	}
	ua := func(o parley.Outcome) float64 {
		x, y := space.ValueIndex(o, 0), space.ValueIndex(o, 1)
		return float64(2*x+y) / 30
	}
	delta := math.Pow(0.5, 200)
	ps := []*parley.Profile{
		{Name: "A", Space: space, Discount: delta, Utility: parley.UtilityFunc(ua)},
		{Name: "B", Space: space, Discount: delta, Utility: parley.UtilityFunc(func(o parley.Outcome) float64 { return 1 - ua(o) })},
	}
	a, _ := strategy.NewRubinstein(strategy.RubinsteinOptions{})
	b, _ := strategy.NewRubinstein(strategy.RubinsteinOptions{})
	_, res := run(t, ps, 100, 1, a, b)
	if res.Reason != parley.ReasonAgreement || res.Steps != 2 {
		t.Fatalf("%v after %d turns; want the first offer accepted", res.Reason, res.Steps)
	}
	if math.Abs(res.Utilities[0]-2.0/3) > 1e-9 {
		t.Errorf("first proposer's share %.12f, want 2/3", res.Utilities[0])
	}
}
