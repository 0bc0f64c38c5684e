package parleytest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
)

// keeper keeps the State of its previous turn and reads it: the bug the
// poisoned-State check must catch.
type keeper struct {
	Conceder
	kept *parley.State
}

func (k *keeper) Init(ctx context.Context, s *parley.Session) error {
	k.kept = nil
	return k.Conceder.Init(ctx, s)
}

func (k *keeper) Act(ctx context.Context, st *parley.State) (parley.Action, error) {
	prev := k.kept
	k.kept = st
	if prev != nil && prev.Standing != parley.NoOutcome && prev.Proposer != prev.Me {
		return parley.OfferOf(prev.Standing), nil // re-offer what stood last turn
	}
	return k.Conceder.Act(ctx, st)
}

// sticky forgets to reset in Init.
type sticky struct {
	Conceder
	turns int
}

func (s *sticky) Act(ctx context.Context, st *parley.State) (parley.Action, error) {
	s.turns++
	if s.turns > 3 {
		return parley.OfferOf(0), nil
	}
	return s.Conceder.Act(ctx, st)
}

// clock draws from a source shared across instances: not seed-determined.
type clock struct{ Conceder }

var ticks int

func (c *clock) Act(ctx context.Context, st *parley.State) (parley.Action, error) {
	ticks++
	return parley.OfferOf(parley.Outcome(ticks % 6)), nil
}

// panicky panics without a profile.
type panicky struct{ Conceder }

func (p *panicky) Init(ctx context.Context, s *parley.Session) error {
	_ = s.Profile.Space // nil Profile: panics
	return p.Conceder.Init(ctx, s)
}

func TestChecksCatchBugs(t *testing.T) {
	_, ps := TwoIssue()
	names := []string{"a", "b"}
	tests := []struct {
		name string
		f    func() parley.Negotiator
		want string
	}{
		{"keeps state", func() parley.Negotiator { return &keeper{} }, "poisoned"},
		{"no reset", func() parley.Negotiator { return &sticky{} }, "initialising the same negotiators again"},
		{"not seeded", func() parley.Negotiator { return &clock{} }, "fresh negotiators gave another trace"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var errs []string
			for _, opp := range opponents(ps[0].Space, tc.f) {
				if err := checkSeat(tc.f, opp.make, ps, names, 0); err != nil {
					errs = append(errs, err.Error())
				}
			}
			if !strings.Contains(fmt.Sprint(errs), tc.want) {
				t.Errorf("errors %q, want one mentioning %q", errs, tc.want)
			}
		})
	}
	errs := checkBadInput(func() parley.Negotiator { return &panicky{} })
	if len(errs) == 0 || !strings.Contains(errs[0].Error(), "panicked") {
		t.Errorf("bad input errors %v, want a panic reported", errs)
	}
	if errs := checkBadInput(func() parley.Negotiator { return &Conceder{} }); len(errs) != 0 {
		t.Errorf("Conceder: %v", errs)
	}
}

// keepVoter keeps the State it was handed and votes, next time, by the
// text it saw last time: a bug TestVoter must catch.
type keepVoter struct {
	BetterVoter
	last *parley.State
}

func (k *keepVoter) Vote(ctx context.Context, st *parley.State) (parley.Vote, error) {
	if k.last != nil && k.last.Text != st.Text {
		return parley.Vote{Accept: true}, nil
	}
	k.last = st
	return k.BetterVoter.Vote(ctx, st)
}

// keepMediator proposes by the round it saw in the previous call.
type keepMediator struct {
	RandomMediator
	last *parley.State
}

func (k *keepMediator) Propose(ctx context.Context, st *parley.State) (parley.Outcome, error) {
	if k.last != nil {
		o := parley.Outcome((k.last.Round + 1) % 2)
		k.last = st
		return o, nil
	}
	k.last = st
	return k.RandomMediator.Propose(ctx, st)
}

func TestRoleChecksCatchBugs(t *testing.T) {
	_, ps := TwoIssue()
	voter := func(poisoned bool) ([]mediated.Voter, mediated.Mediator) {
		var v mediated.Voter = &keepVoter{}
		if poisoned {
			v = &poisonVoter{inner: v}
		}
		return []mediated.Voter{v, &BetterVoter{}}, &RandomMediator{}
	}
	if err := checkRole(ps, mediated.Options{}, voter); err == nil || !strings.Contains(err.Error(), "overwritten") {
		t.Errorf("a voter that keeps its State: error %v, want one about overwritten states", err)
	}
	med := func(poisoned bool) ([]mediated.Voter, mediated.Mediator) {
		var m mediated.Mediator = &keepMediator{}
		if poisoned {
			m = &poisonMediator{inner: m}
		}
		return []mediated.Voter{&BetterVoter{}, &BetterVoter{}}, m
	}
	if err := checkRole(ps, mediated.Options{}, med); err == nil || !strings.Contains(err.Error(), "overwritten") {
		t.Errorf("a mediator that keeps its State: error %v, want one about overwritten states", err)
	}
}

func (k *keepVoter) Init(ctx context.Context, s *parley.Session) error {
	k.last = nil
	return k.BetterVoter.Init(ctx, s)
}

func (k *keepMediator) Init(ctx context.Context, s *parley.Session) error {
	k.last = nil
	return k.RandomMediator.Init(ctx, s)
}
