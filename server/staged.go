package server

import (
	"context"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/staged"
)

// negotiateStaged runs a plan of stages (package protocol/staged): the
// scenario's declared protocol, or protocol mediated's one stage. Remote
// seats negotiate in its alternating-offers stages and vote in its
// mediated ones; the mediator is a strategy or a remote seat.
func (n *negotiation) negotiateStaged(ctx context.Context) (*parley.Result, error) {
	req := &n.def.Request
	seats := staged.Seats{Negotiators: n.negotiators(), Voters: make([]parley.Voter, len(n.voters))}
	for i, f := range n.voters {
		switch {
		case n.remotes[i] != nil:
			seats.Voters[i] = n.remotes[i]
		case f != nil:
			seats.Voters[i] = f()
		}
	}
	switch {
	case n.mediator != nil:
		seats.Mediator = n.mediator
	case n.med != nil:
		seats.Mediator = n.med()
	}
	var traceErr error
	pl := *n.plan
	pl.StageStart = func(k, offset int) {
		if err := n.startStage(k, offset); err != nil && traceErr == nil {
			traceErr = err
		}
	}
	pl.Carried = func(k int, start parley.Outcome, locked []int) { n.carried = n.carriedOf(k, start, locked) }
	pl.Trace = func(k int, e parley.Event) {
		if err := n.stagedAction(k, e); err != nil && traceErr == nil {
			traceErr = err
		}
	}
	res, err := staged.Run(ctx, n.ready.Profiles(), n.names, pl, seats, req.Seed)
	if err != nil {
		return nil, err
	}
	if traceErr != nil {
		return nil, traceErr
	}
	r := res.Result
	n.endStage = res.StageName
	return &r, nil
}

// hasMediated reports whether the plan has a mediated stage.
func (n *negotiation) hasMediated() bool {
	for _, st := range n.plan.Stages {
		if st.Mechanism == parley.MechanismMediated {
			return true
		}
	}
	return false
}

// startStage appends the public opening of stage k.
func (n *negotiation) startStage(k, offset int) error {
	n.stage = k
	st := &n.plan.Stages[k]
	e := &Stage{Index: k, CatalogStage: catalogStage(st), Offset: offset, RoundCost: max(st.RoundCost, 1),
		Transition: st.Transition, Carry: st.Carry, OnWalkAwayNext: st.OnWalkAwayNext, Start: st.Start}
	if st.Mechanism == parley.MechanismMediated {
		rule, info, noise, final := st.Rule, st.Info, st.Noise, !st.NoFinalVote
		e.Rule, e.Info, e.Noise, e.FinalVote = &rule, &info, &noise, &final
	}
	e.Carried, n.carried = n.carried, nil
	return n.append(Event{Type: TypeStage, Audience: AudiencePublic, Stage: e})
}

// carriedOf is what stage k opens with from the stage before it
// (staged.Plan.Carried).
func (n *negotiation) carriedOf(k int, start parley.Outcome, locked []int) *Carried {
	c := &Carried{Outcome: -1}
	if k > 0 {
		c.Carry = n.plan.Stages[k-1].Carry
	}
	if start != parley.NoOutcome && n.space.Valid(start) {
		c.Outcome, c.Values = int(start), n.space.Named(start)
	}
	for _, i := range locked {
		c.Locked = append(c.Locked, n.space.Issues[i].Name)
	}
	return c
}

// stagedAction appends an action of stage k, whose party is the stage's
// own index of the participant (-1: the mediator, whose proposals are its
// offers and whose stepping back is its walk-away). In a mediated stage a
// vote (accept or reject) goes to the voter, and to the mediator unless
// its information level is "nothing"; everything else is public.
func (n *negotiation) stagedAction(k int, e parley.Event) error {
	st := &n.plan.Stages[k]
	party := -1
	if e.Party >= 0 {
		party = st.Participants[e.Party]
	}
	if !n.replayed {
		n.srv.metrics.actions.Inc()
	}
	valid := n.space.Valid(e.Outcome)
	if st.Mechanism == parley.MechanismMediated && party >= 0 && (e.Action == parley.Accept || e.Action == parley.Reject) {
		aud := SeatAudience(party)
		if st.Info != parley.InfoNothing {
			aud += "|" + AudienceMediator
		}
		v := &VoteEvent{Stage: k, Step: e.Step, Round: e.Round, Time: e.Time, Party: party, Outcome: -1, Accept: e.Action == parley.Accept}
		if valid {
			v.Outcome = int(e.Outcome)
		}
		typ := TypeReject
		if v.Accept {
			typ = TypeAccept
		}
		return n.append(Event{Type: typ, Audience: aud, Vote: v})
	}
	typ, err := actionType(e.Action)
	if err != nil {
		return err
	}
	ev := &ActionEvent{Stage: k, Step: e.Step, Round: e.Round, Time: e.Time, Party: party, Outcome: -1}
	if e.Action != parley.End && valid {
		ev.Outcome, ev.Values = int(e.Outcome), n.space.Named(e.Outcome)
	}
	return n.append(Event{Type: typ, Audience: AudiencePublic, Action: ev})
}
