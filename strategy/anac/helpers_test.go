package anac_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/ufun"
)

// ladderSpace returns a one-issue space of len(u) values and a profile in
// which value k is worth u[k].
func ladderSpace(t testing.TB, u ...float64) (*parley.OutcomeSpace, *parley.Profile) {
	t.Helper()
	vals := make([]string, len(u))
	for k := range vals {
		vals[k] = fmt.Sprintf("v%d", k)
	}
	space, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "x", Values: vals}})
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ufun.NewTable(space, parley.UtilityFunc(func(o parley.Outcome) float64 { return u[o] }))
	if err != nil {
		t.Fatal(err)
	}
	return space, &parley.Profile{Name: "me", Space: space, Utility: tab}
}

// percent returns the utilities 0, 0.01, ..., 1 (101 outcomes; outcome k
// is worth k/100).
func percent() []float64 {
	u := make([]float64, 101)
	for k := range u {
		u[k] = float64(k) / 100
	}
	return u
}

// session returns a session for party 0 of two with the given seed.
func session(p *parley.Profile, seed uint64, deadline int) *parley.Session {
	return &parley.Session{Party: 0, Names: []string{"me", "them"}, Profile: p, Deadline: deadline,
		Protocol: "sao", Rand: rng.New(seed, 0)}
}

// turn is one turn of party 0 against party 1 in a bilateral negotiation:
// the opponent's offers so far (the last one standing) and the time.
type turn struct {
	offers []parley.Outcome
	t      float64
	round  int
}

// state builds party 0's State for a turn; the party's own offers are
// interleaved before each opponent offer.
func (tn turn) state(deadline int) *parley.State {
	st := &parley.State{Time: tn.t, Round: tn.round, Deadline: deadline, Parties: 2, Me: 0,
		Standing: parley.NoOutcome, Proposer: -1}
	for i, o := range tn.offers {
		st.Offers = append(st.Offers, parley.OfferRecord{Party: 1, Outcome: o, Step: 2*i + 1, Round: i})
	}
	if n := len(tn.offers); n > 0 {
		st.Standing, st.Proposer = tn.offers[n-1], 1
	}
	return st
}

func act(t *testing.T, n parley.Negotiator, st *parley.State) parley.Action {
	t.Helper()
	a, err := n.Act(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
