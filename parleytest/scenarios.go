package parleytest

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/ufun"
)

// TwoIssue returns a buyer-seller scenario of 6 outcomes whose utilities
// are easy to reason about by hand. Issues: price (low, mid, high) and
// delivery (slow, fast); outcome = 2·price + delivery:
//
//	outcome  price  delivery  buyer  seller
//	0        low    slow      0.6    0.2
//	1        low    fast      1.0    0.0
//	2        mid    slow      0.3    0.6
//	3        mid    fast      0.7    0.4
//	4        high   slow      0.0    1.0
//	5        high   fast      0.4    0.8
//
// The buyer is linear-additive with weights price 0.6 (low 1, mid 0.5,
// high 0) and delivery 0.4 (slow 0, fast 1); the seller with price 0.8
// (low 0, mid 0.5, high 1) and delivery 0.2 (slow 1, fast 0). The Pareto
// frontier is 1, 3, 5, 4; 0 is dominated by 3 and 2 by 5. Profiles are
// ufun.Tables of exactly these values; reservation values are 0. Each call
// returns new values.
func TwoIssue() (*parley.OutcomeSpace, []*parley.Profile) {
	space, err := parley.NewOutcomeSpace([]parley.Issue{
		{Name: "price", Values: []string{"low", "mid", "high"}},
		{Name: "delivery", Values: []string{"slow", "fast"}},
	})
	if err != nil {
		panic("parleytest: TwoIssue: " + err.Error()) // a fixed literal: cannot happen
	}
	return space, []*parley.Profile{
		tableProfile(space, "buyer", []float64{0.6, 1.0, 0.3, 0.7, 0.0, 0.4}),
		tableProfile(space, "seller", []float64{0.2, 0.0, 0.6, 0.4, 1.0, 0.8}),
	}
}

func tableProfile(space *parley.OutcomeSpace, name string, u []float64) *parley.Profile {
	t, err := ufun.NewTable(space, parley.UtilityFunc(func(o parley.Outcome) float64 { return u[o] }))
	if err != nil {
		panic("parleytest: " + err.Error()) // a fixed literal: cannot happen
	}
	return &parley.Profile{Name: name, Space: space, Utility: t}
}

// Synthetic returns a space of discrete issues with the given numbers of
// values and two linear-additive profiles drawn from seed, stored as
// ufun.Tables (the space must be enumerable). The second party's
// evaluations mirror the first's with noise, so the parties are mostly
// opposed; weights are drawn independently. Reservation values are 0.
func Synthetic(tb testing.TB, seed uint64, sizes ...int) (*parley.OutcomeSpace, []*parley.Profile) {
	tb.Helper()
	issues := make([]parley.Issue, len(sizes))
	for i, n := range sizes {
		vals := make([]string, n)
		for k := range vals {
			vals[k] = fmt.Sprintf("v%d", k)
		}
		issues[i] = parley.Issue{Name: fmt.Sprintf("i%d", i), Values: vals}
	}
	space, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		tb.Fatalf("parleytest: synthetic: %v", err)
	}
	r := rng.New(seed, 0)
	evals := [2][][]float64{make([][]float64, len(sizes)), make([][]float64, len(sizes))}
	for i, n := range sizes {
		a, b := make([]float64, n), make([]float64, n)
		for k := range a {
			a[k] = r.Float64()
			b[k] = min(max(1-a[k]+0.3*(r.Float64()-0.5), 0), 1)
		}
		evals[0][i], evals[1][i] = a, b
	}
	profiles := make([]*parley.Profile, 2)
	for p := range profiles {
		la, err := ufun.NewLinearAdditive(space, weights(r, len(sizes)), evals[p], 0)
		if err != nil {
			tb.Fatalf("parleytest: synthetic: %v", err)
		}
		t, err := ufun.NewTable(space, la)
		if err != nil {
			tb.Fatalf("parleytest: synthetic: %v", err)
		}
		profiles[p] = &parley.Profile{Name: fmt.Sprintf("p%d", p), Space: space, Utility: t}
	}
	return space, profiles
}

// weights returns n positive weights summing to 1.
func weights(r *rand.Rand, n int) []float64 {
	w := make([]float64, n)
	sum := 0.0
	for i := range w {
		w[i] = 0.1 + r.Float64()
		sum += w[i]
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}
