package staged_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/staged"
)

// TestSeatsCannotVandalise runs a bilateral stage then a mediated one with
// honest seats, then again with each seat (negotiator, voter, mediator)
// overwriting its State after every call and its session after Init: the
// result must not change, nor the caller's profiles.
func TestSeatsCannotVandalise(t *testing.T) {
	ps, names := fixture(t)
	bil := saoStage("bilateral", 4)
	bil.Carry = parley.CarryBestAcceptable
	plan := staged.Plan{Stages: []parley.Stage{bil, mediatedStage("mediated", 6)}}
	seats := func(vandal int) staged.Seats {
		s := staged.Seats{
			Negotiators: []parley.Negotiator{&parleytest.Conceder{}, &parleytest.Conceder{}, nil},
			Voters:      []mediated.Voter{&parleytest.BetterVoter{}, &parleytest.BetterVoter{}, nil},
			Mediator:    &parleytest.RandomMediator{},
		}
		switch vandal {
		case 0, 1:
			s.Negotiators[vandal] = parleytest.Vandal(s.Negotiators[vandal])
			s.Voters[vandal] = parleytest.VandalVoter(s.Voters[vandal])
		case 2:
			s.Mediator = parleytest.VandalMediator(s.Mediator)
		}
		return s
	}
	outcome := func(r *staged.Result) string {
		return fmt.Sprintf("%d %v %v %d %v %v %v", r.Agreement, r.Reason, r.Ratified, r.Rounds, r.Time, r.Utilities, r.Discounted)
	}
	before := fmt.Sprint(*ps[0], *ps[1], *ps[2])
	for seed := range uint64(5) {
		want, err := staged.Run(context.Background(), ps, names, plan, seats(-1), seed)
		if err != nil {
			t.Fatal(err)
		}
		for v := range 3 {
			got, err := staged.Run(context.Background(), ps, names, plan, seats(v), seed)
			if err != nil {
				t.Fatal(err)
			}
			if outcome(got) != outcome(want) {
				t.Errorf("seed %d: seat %d vandalised: %s, honest %s", seed, v, outcome(got), outcome(want))
			}
		}
	}
	if after := fmt.Sprint(*ps[0], *ps[1], *ps[2]); after != before {
		t.Errorf("the caller's profiles changed:\n%s\n%s", before, after)
	}
}
