package mediated_test

import (
	"context"
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
)

// honest accepts a proposal at least as good as the text, and the final
// text when it is worth its reservation value.
type honest struct{ p *parley.Profile }

func (h honest) Init(context.Context, *parley.Session) error { return nil }
func (h honest) Vote(_ context.Context, st *parley.State) (parley.Vote, error) {
	if st.Final {
		return parley.Vote{Accept: h.p.Acceptable(st.Text, st.Time)}, nil
	}
	return parley.Vote{Accept: h.p.Utility.Utility(st.Standing) >= h.p.Utility.Utility(st.Text)}, nil
}

// drafts proposes a fixed list of drafts, one per round.
type drafts []parley.Outcome

func (d drafts) Init(context.Context, *parley.Session) error { return nil }
func (d drafts) Propose(_ context.Context, st *parley.State) (parley.Outcome, error) {
	return d[st.Round], nil
}

func Example() {
	// Two binary issues; the outcome index is 2·a + b.
	space, _ := parley.NewOutcomeSpace([]parley.Issue{
		{Name: "a", Values: []string{"no", "yes"}},
		{Name: "b", Values: []string{"no", "yes"}},
	})
	table := func(u ...float64) parley.UtilityFunction {
		return parley.UtilityFunc(func(o parley.Outcome) float64 { return u[o] })
	}
	p1 := &parley.Profile{Name: "P1", Space: space, Utility: table(0.2, 0.6, 0.1, 0.9), Reservation: 0.5}
	p2 := &parley.Profile{Name: "P2", Space: space, Utility: table(0.3, 0.1, 0.8, 0.7), Reservation: 0.5}

	m, _ := mediated.New([]*parley.Profile{p1, p2}, []string{"P1", "P2"}, nil, mediated.Options{
		Rounds: 3, Start: 0, HasStart: true, // start from a=no, b=no
		Trace: func(e parley.Event) {
			if e.Party >= 0 && e.Round < 3 {
				fmt.Printf("round %d: P%d %v %s\n", e.Round, e.Party+1, e.Action, space.Format(e.Outcome))
			}
		},
	})
	// a=no,b=yes is vetoed by P2; a=yes,b=yes is better for both.
	res, _ := m.Run(context.Background(), []mediated.Voter{honest{p1}, honest{p2}}, drafts{1, 3, 2}, 1)
	fmt.Println(res.Reason, "on", space.Format(res.Agreement), res.Utilities)
	// Output:
	// round 0: P1 accept a=no, b=yes
	// round 0: P2 reject a=no, b=yes
	// round 1: P1 accept a=yes, b=yes
	// round 1: P2 accept a=yes, b=yes
	// round 2: P1 reject a=yes, b=no
	// round 2: P2 accept a=yes, b=no
	// agreement on a=yes, b=yes [0.9 0.7]
}
