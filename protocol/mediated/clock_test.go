package mediated_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
)

// TestSessionClock: the Clock every seat gets tells the time of each round
// of mediation as the protocol counts it (one turn per round), on its own
// and on a longer clock, and its End is the time of the final vote.
func TestSessionClock(t *testing.T) {
	_, ps := twoIssue(t)
	for _, o := range []mediated.Options{{Rounds: 6}, {Rounds: 4, RoundOffset: 3, TotalRounds: 9}} {
		var errs []string
		clockOf := func(who string, s *parley.Session) func(st *parley.State) {
			return func(st *parley.State) {
				want := s.Clock.At(st.Round)
				if st.Final {
					want = s.Clock.End()
				}
				if st.Time != want {
					errs = append(errs, fmt.Sprintf("%s, round %d (final %v): State.Time %v, Clock says %v", who, st.Round, st.Final, st.Time, want))
				}
			}
		}
		vs := make([]mediated.Voter, len(ps))
		for i := range vs {
			var check func(*parley.State)
			vs[i] = &voter{init: func(s *parley.Session) error { check = clockOf(fmt.Sprint("voter ", i), s); return nil },
				vote: func(st *parley.State) (parley.Vote, error) { check(st); return parley.Vote{Accept: true}, nil }}
		}
		var check func(*parley.State)
		med := &script{props: []parley.Outcome{1, 2, 3, 4, 5, 0}, init: func(s *parley.Session) error {
			check = clockOf("mediator", s)
			return nil
		}}
		res := run(t, ps, nil, o, vs, &checking{script: med, check: func(st *parley.State) { check(st) }})
		if res.Reason != parley.ReasonAgreement {
			t.Fatalf("%+v: %v %v", o, res.Reason, res.Err)
		}
		if len(errs) > 0 {
			t.Errorf("%+v: %s", o, strings.Join(errs, "; "))
		}
	}
}

// checking is a script mediator that calls check on every State it gets.
type checking struct {
	*script
	check func(*parley.State)
}

func (c *checking) Propose(ctx context.Context, st *parley.State) (parley.Outcome, error) {
	c.check(st)
	return c.script.Propose(ctx, st)
}
