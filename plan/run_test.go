package plan_test

import (
	"context"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/strategy"
)

// climber accepts a proposal at least as good as the text that crosses
// none of its red lines, and in the final vote an acceptable text.
type climber struct{ p *parley.Profile }

func (v *climber) Init(_ context.Context, s *parley.Session) error { v.p = s.Profile; return nil }

func (v *climber) Vote(_ context.Context, st *parley.State) (parley.Vote, error) {
	if st.Final {
		return parley.Vote{Accept: v.p.Acceptable(st.Text, st.Time)}, nil
	}
	u := v.p.Utility.Utility
	return parley.Vote{Accept: !v.p.Vetoed(st.Standing) && u(st.Standing) >= u(st.Text)}, nil
}

// mutator proposes the text with one issue changed at random.
type mutator struct {
	s    *parley.Session
	vals []int
}

func (m *mutator) Init(_ context.Context, s *parley.Session) error {
	m.s, m.vals = s, make([]int, len(s.Profile.Space.Issues))
	return nil
}

func (m *mutator) Propose(_ context.Context, st *parley.State) (parley.Outcome, error) {
	sp := m.s.Profile.Space
	vals := sp.Decode(st.Text, m.vals)
	i := m.s.Rand.IntN(len(vals))
	vals[i] = m.s.Rand.IntN(sp.Issues[i].Size())
	return sp.Encode(vals)
}

func ceasefireSeats(s *scenario.Scenario) staged.Seats {
	n := len(s.Parties)
	seats := staged.Seats{Negotiators: make([]parley.Negotiator, n), Voters: make([]mediated.Voter, n), Mediator: &mutator{}}
	for i := range n {
		seats.Negotiators[i] = strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.BoulwareE})
		seats.Voters[i] = &climber{}
	}
	return seats
}

// TestCeasefireRuns runs every variant with time-dependent negotiators,
// hill-climbing voters and a random-mutation mediator: the strategies
// respect the red lines (no run fails), and every cause of the end is one
// the variant allows.
func TestCeasefireRuns(t *testing.T) {
	s := ceasefire(t)
	ready, err := s.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	for _, variant := range plan.Variants(s) {
		p, err := plan.FromScenario(s, variant)
		if err != nil {
			t.Fatal(err)
		}
		causes := map[parley.Reason]int{}
		for seed := range uint64(50) {
			res, err := staged.Run(context.Background(), ready.Profiles(), ready.Names(), p, ceasefireSeats(s), seed)
			if err != nil {
				t.Fatal(err)
			}
			if res.Reason == parley.ReasonError {
				t.Fatalf("%s seed %d: %v", variant, seed, res.Err)
			}
			if res.Agreed() {
				for i, pr := range ready.Profiles()[:2] {
					if pr.Vetoed(res.Agreement) {
						t.Fatalf("%s seed %d: agreement crosses %s's red line", variant, seed, s.Parties[i].Name)
					}
				}
			}
			if res.Time > 1 || res.Rounds > p.Rounds() {
				t.Fatalf("%s seed %d: time %v rounds %d beyond the clock", variant, seed, res.Time, res.Rounds)
			}
			causes[res.Reason]++
		}
		t.Logf("%s: %v", variant, causes)
	}
}

func BenchmarkCeasefireRun(b *testing.B) {
	s := ceasefire(b)
	ready, err := s.Prepare()
	if err != nil {
		b.Fatal(err)
	}
	for _, variant := range plan.Variants(s) {
		p, err := plan.FromScenario(s, variant)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(variant, func(b *testing.B) {
			b.ReportAllocs()
			seed := uint64(0)
			for b.Loop() {
				seed++
				if _, err := staged.Run(context.Background(), ready.Profiles(), ready.Names(), p, ceasefireSeats(s), seed); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
