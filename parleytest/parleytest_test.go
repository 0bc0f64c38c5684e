package parleytest_test

import (
	"context"
	"slices"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
)

func TestTwoIssue(t *testing.T) {
	space, ps := parleytest.TwoIssue()
	tests := []struct {
		price, delivery string
		buyer, seller   float64
	}{
		{"low", "slow", 0.6, 0.2},
		{"low", "fast", 1.0, 0.0},
		{"mid", "slow", 0.3, 0.6},
		{"mid", "fast", 0.7, 0.4},
		{"high", "slow", 0.0, 1.0},
		{"high", "fast", 0.4, 0.8},
	}
	if space.Size() != len(tests) {
		t.Fatalf("size %d, want %d", space.Size(), len(tests))
	}
	for i, tc := range tests {
		o, err := space.Parse(map[string]string{"price": tc.price, "delivery": tc.delivery})
		if err != nil || int(o) != i {
			t.Fatalf("%s/%s: outcome %d, %v; want %d", tc.price, tc.delivery, o, err, i)
		}
		if b, s := ps[0].Utility.Utility(o), ps[1].Utility.Utility(o); b != tc.buyer || s != tc.seller {
			t.Errorf("outcome %d: utilities %v, %v; want %v, %v", i, b, s, tc.buyer, tc.seller)
		}
	}
}

func TestSynthetic(t *testing.T) {
	space, ps := parleytest.Synthetic(t, 3, 4, 4, 3)
	if space.Size() != 48 || len(ps) != 2 {
		t.Fatalf("size %d with %d profiles, want 48 and 2", space.Size(), len(ps))
	}
	_, again := parleytest.Synthetic(t, 3, 4, 4, 3)
	for o := range parley.Outcome(space.Size()) {
		for p := range ps {
			u := ps[p].Utility.Utility(o)
			if u < 0 || u > 1 {
				t.Fatalf("party %d outcome %d: utility %v outside [0,1]", p, o, u)
			}
			if u != again[p].Utility.Utility(o) {
				t.Fatalf("party %d outcome %d: not reproducible from the seed", p, o)
			}
		}
	}
}

// TestConcederTrace hand-checks the Conceder (buyer) against a script: the
// buyer's target is 1 - t with t = step/8.
func TestConcederTrace(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	seller := &parleytest.Scripted{Actions: parleytest.Offers(4, 5, 3)}
	var got []parley.Event
	m, err := sao.New(ps, []string{"buyer", "seller"}, sao.Options{Deadline: 4,
		Trace: func(e parley.Event) { got = append(got, e) }})
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), []parley.Negotiator{&parleytest.Conceder{}, seller}, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []parley.Event{
		{Step: 0, Round: 0, Time: 0, Party: 0, Action: parley.Offer, Outcome: 1},     // target 1
		{Step: 1, Round: 0, Time: 0.125, Party: 1, Action: parley.Offer, Outcome: 4}, // script
		{Step: 2, Round: 1, Time: 0.25, Party: 0, Action: parley.Offer, Outcome: 1},  // target 0.75: 0.7 is short
		{Step: 3, Round: 1, Time: 0.375, Party: 1, Action: parley.Offer, Outcome: 5}, // script
		{Step: 4, Round: 2, Time: 0.5, Party: 0, Action: parley.Offer, Outcome: 0},   // target 0.5: 0.6
		{Step: 5, Round: 2, Time: 0.625, Party: 1, Action: parley.Offer, Outcome: 3}, // script
		{Step: 6, Round: 3, Time: 0.75, Party: 0, Action: parley.Accept, Outcome: 3}, // 0.7 >= 0.25
	}
	if !slices.Equal(got, want) {
		t.Errorf("trace\n got %+v\nwant %+v", got, want)
	}
	if !res.Agreed() || res.Agreement != 3 || res.Rounds != 4 {
		t.Errorf("result %+v, want agreement on 3 in round 4", res)
	}
	if !slices.Equal(seller.Seen, []parley.Outcome{1, 1, 0}) {
		t.Errorf("seller saw %v, want [1 1 0]", seller.Seen)
	}
}

func TestScriptedRepeatsLast(t *testing.T) {
	s := &parleytest.Scripted{Actions: parleytest.Offers(2, 3)}
	ctx := context.Background()
	if err := s.Init(ctx, nil); err != nil {
		t.Fatal(err)
	}
	st := &parley.State{Standing: parley.NoOutcome}
	var got []parley.Outcome
	for range 4 {
		a, _ := s.Act(ctx, st)
		got = append(got, a.Outcome)
	}
	if !slices.Equal(got, []parley.Outcome{2, 3, 3, 3}) {
		t.Errorf("offers %v, want [2 3 3 3]", got)
	}
	if a, _ := (&parleytest.Scripted{}).Act(ctx, st); a.Kind != parley.End {
		t.Errorf("empty script: %v, want end", a.Kind)
	}
}

func TestConcederConforms(t *testing.T) {
	parleytest.TestNegotiator(t, func() parley.Negotiator { return &parleytest.Conceder{} })
	_, ps := parleytest.Synthetic(t, 1, 3, 3, 2)
	three := append(ps, ps[0])
	parleytest.TestNegotiator(t, func() parley.Negotiator { return &parleytest.Conceder{} }, three...)
}

// TestMechanismsTreatSeatsAsAdversaries runs the seat checks on Parley's
// own mechanisms, on the tiny scenario and on one with red lines.
func TestMechanismsTreatSeatsAsAdversaries(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	parleytest.TestSAO(t)
	parleytest.TestMediated(t)
	red := make([]*parley.Profile, len(ps))
	for i, p := range ps {
		q := *p
		q.Reservation = 0.3
		q.Vetoes = []parley.ValueRef{{Issue: 0, Value: i}}
		q.Ratification = []parley.Ratification{{Value: parley.ValueRef{Issue: 1, Value: 0}, P: 0.5}}
		red[i] = &q
	}
	t.Run("red-lines", func(t *testing.T) {
		parleytest.TestSAO(t, red...)
		parleytest.TestMediated(t, red...)
	})
}
