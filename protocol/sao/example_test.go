package sao_test

import (
	"context"
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/sao"
)

// firm offers its favourite outcome until its patience runs out, then
// accepts whatever is on the table.
type firm struct {
	best     parley.Outcome
	patience int
}

func (f *firm) Init(context.Context, *parley.Session) error { return nil }
func (f *firm) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if st.Round >= f.patience && st.Standing != parley.NoOutcome {
		return parley.AcceptAction(), nil
	}
	return parley.OfferOf(f.best), nil
}

func Example() {
	space, _ := parley.NewOutcomeSpace([]parley.Issue{{Name: "price", Kind: parley.Integer, Min: 10, Max: 20}})
	seller := &parley.Profile{Name: "seller", Space: space, Discount: 0.9,
		Utility: parley.UtilityFunc(func(o parley.Outcome) float64 { return float64(o) / 10 })}
	buyer := &parley.Profile{Name: "buyer", Space: space,
		Utility: parley.UtilityFunc(func(o parley.Outcome) float64 { return 1 - float64(o)/10 })}

	m, _ := sao.New([]*parley.Profile{seller, buyer}, []string{"seller", "buyer"}, sao.Options{Deadline: 10})
	res, _ := m.Run(context.Background(), []parley.Negotiator{&firm{best: 10, patience: 99}, &firm{best: 0, patience: 3}}, 1)
	// The buyer accepts on its turn in round 4: step 7 of 2·10, t = 0.35,
	// and 0.9^0.35 = 0.964.
	fmt.Println(res.Reason, "on", space.Format(res.Agreement), "in round", res.Rounds)
	fmt.Printf("seller %.3f (discounted %.3f at t=%.2f), buyer %.3f\n", res.Utilities[0], res.Discounted[0], res.Time, res.Utilities[1])
	// Output:
	// agreement on price=20 in round 4
	// seller 1.000 (discounted 0.964 at t=0.35), buyer 0.000
}
