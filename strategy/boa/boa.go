package boa

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/parley-dev/parley"
)

// Setup is what a component gets at Init: the party's session and its own
// outcomes, sorted and within its red lines. The Negotiator owns both; a
// component may keep them until the next Init.
type Setup struct {
	Session  *parley.Session
	Outcomes *Outcomes
}

// Context is what a component sees on a turn. The Negotiator owns it and
// refills it every turn: components read it during the call only and must
// not keep it, its State or the State's slices.
type Context struct {
	// State is the turn's state, owned by the mechanism.
	State *parley.State
	// Outcomes are the party's own outcomes in ascending utility, within
	// its red lines.
	Outcomes *Outcomes
	// Model is the opponent model, or nil when the agent has none. It has
	// seen every offer of the other parties up to this turn.
	Model OpponentModel
	// Rand is the party's seeded random stream (Session.Rand).
	Rand *rand.Rand
	// Reservation is r(t), the reservation value at State.Time
	// (parley.Profile.ReservationAt).
	Reservation float64
	// Offer is the offer on the table if another party made it, else
	// parley.NoOutcome; OfferUtility is its own (undiscounted) utility.
	Offer        parley.Outcome
	OfferUtility float64
	// Next is the bid the agent will send if it does not accept, and
	// NextUtility its own utility (set for the acceptance condition only).
	// Package strategy's negotiators pick among equally good bids only
	// after the condition has decided: they set NextUtility and leave Next
	// parley.NoOutcome.
	Next        parley.Outcome
	NextUtility float64
}

// Bidding decides what to offer (the B of BOA). The Negotiator calls Init
// once per negotiation and Bid on each of its turns, after the opponent
// model has seen the new offers and before the acceptance condition runs.
// Bid returns an outcome from c.Outcomes (within the red lines), or
// parley.NoOutcome to end the negotiation. Bid must not allocate.
type Bidding interface {
	Init(s *Setup) error
	Bid(c *Context) parley.Outcome
}

// OpponentModel estimates the other parties' utility (the O of BOA). The
// Negotiator calls Init once per negotiation and Update with every offer
// another party makes, in order, before it asks for a bid. Utility
// estimates the opponent's utility of o in [0, 1] (higher is better for the
// opponent); it must be cheap and must not allocate. With several
// opponents one model pools their offers.
type OpponentModel interface {
	Init(s *Setup) error
	Update(r parley.OfferRecord)
	Utility(o parley.Outcome) float64
}

// Acceptance decides whether to accept the offer on the table (the A of
// BOA). The Negotiator calls it on its turn, when another party's offer
// stands, with c.Next set to the bid it would send otherwise. It must not
// keep c and must not allocate. Whatever it says, the Negotiator refuses
// an offer across the party's red lines or below r(t).
type Acceptance interface {
	Accept(c *Context) bool
}

// AcceptanceFunc adapts a function to Acceptance.
type AcceptanceFunc func(c *Context) bool

// Accept calls f(c).
func (f AcceptanceFunc) Accept(c *Context) bool { return f(c) }

// Options configure a Negotiator. Components belong to one Negotiator: give
// each Negotiator its own (Parse returns a factory that does).
type Options struct {
	// Bidding chooses the bids; nil means a Boulware TimeDependent (e = 0.2).
	Bidding Bidding
	// Model is the opponent model; nil means none.
	Model OpponentModel
	// Accept is the acceptance condition; nil means ACNext(1, 0).
	Accept Acceptance
	// Samples is the number of outcomes to sample when the space is too
	// large to enumerate (default DefaultSamples).
	Samples int
}

// Validate names the first bad field.
func (o *Options) Validate() error {
	if o.Samples < 0 {
		return fmt.Errorf("boa: Samples = %d is negative", o.Samples)
	}
	return nil
}

// Negotiator composes a bidding strategy, an opponent model and an
// acceptance condition into a parley.Negotiator, as the BOA framework of
// Baarslag, Hindriks, Hendrikx, Dirkzwager and Jonker ("Decoupling
// negotiating agents to explore the space of negotiation strategies",
// 2014; GENIUS negotiator/boaframework/agent/BOAagent.java). On each turn
// it
//
//  1. ends the negotiation if no outcome within its red lines is worth its
//     reservation value r(t);
//  2. feeds the opponent model every offer the other parties made since
//     its last turn;
//  3. asks the bidding strategy for its next bid;
//  4. if another party's offer stands, asks the acceptance condition
//     (which sees the next bid, so AC_next works) and accepts if it agrees
//     and the offer is parley.Profile.Acceptable (within the red lines,
//     worth r(t));
//  5. otherwise offers the bid.
//
// Act allocates nothing when its components do not.
type Negotiator struct {
	opts Options
	bid  Bidding
	om   OpponentModel
	ac   Acceptance

	outs  Outcomes
	setup Setup
	ctx   Context
	seen  int // records of State.Offers already given to the model
	ready bool
}

var _ parley.Negotiator = (*Negotiator)(nil)

// New returns a BOA negotiator; the options are checked at Init.
func New(opts Options) *Negotiator {
	return &Negotiator{opts: opts, bid: opts.Bidding, om: opts.Model, ac: opts.Accept}
}

// Init sorts the party's outcomes and initialises the components.
func (n *Negotiator) Init(_ context.Context, s *parley.Session) error {
	n.ready = false
	if n.bid == nil { // a zero Negotiator
		n.bid = NewTimeDependent(TimeDependentOptions{E: 0.2})
	}
	if n.ac == nil {
		n.ac = ACNext(1, 0)
	}
	if err := n.opts.Validate(); err != nil {
		return err
	}
	if err := n.outs.Init(s, n.opts.Samples); err != nil {
		return err
	}
	n.setup = Setup{Session: s, Outcomes: &n.outs}
	if n.om != nil {
		if err := n.om.Init(&n.setup); err != nil {
			return err
		}
	}
	if err := n.bid.Init(&n.setup); err != nil {
		return err
	}
	n.ctx = Context{Outcomes: &n.outs, Model: n.om, Rand: s.Rand}
	n.seen = 0
	n.ready = true
	return nil
}

// Act runs one BOA turn (see Negotiator).
func (n *Negotiator) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if !n.ready {
		return parley.Action{}, ErrNotReady
	}
	r := n.outs.Reservation(st.Time)
	if n.outs.Len() == 0 || !parley.AtLeast(n.outs.Best(), r) {
		return parley.EndAction(), nil // nothing within the red lines is worth r(t)
	}
	if n.seen > len(st.Offers) {
		n.seen = 0
	}
	if n.om != nil {
		for _, rec := range st.Offers[n.seen:] {
			if rec.Party != st.Me {
				n.om.Update(rec)
			}
		}
	}
	n.seen = len(st.Offers)
	c := &n.ctx
	c.State, c.Reservation = st, r
	c.Offer, c.OfferUtility = parley.NoOutcome, 0
	c.Next, c.NextUtility = parley.NoOutcome, 0
	if st.Standing != parley.NoOutcome && st.Proposer != st.Me {
		c.Offer, c.OfferUtility = st.Standing, n.outs.Func().Utility(st.Standing)
	}
	next := n.bid.Bid(c)
	if next == parley.NoOutcome {
		c.State = nil
		return parley.EndAction(), nil
	}
	p := n.outs.Profile()
	if !p.Space.Valid(next) || p.Vetoed(next) {
		c.State = nil
		return parley.Action{}, errors.New("boa: bidding chose an outcome outside the space or across a red line")
	}
	c.Next, c.NextUtility = next, n.outs.Func().Utility(next)
	accept := c.Offer != parley.NoOutcome && n.outs.Acceptable(c.Offer, c.OfferUtility, st.Time) && n.ac.Accept(c)
	c.State = nil // do not keep the mechanism's state
	if accept {
		return parley.AcceptAction(), nil
	}
	return parley.OfferOf(next), nil
}
