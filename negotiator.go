package parley

import (
	"context"
	"fmt"
	"math/rand/v2"
)

// ActionKind is what a party does on its turn.
type ActionKind uint8

const (
	// Offer puts a new outcome on the table (a counter-offer).
	Offer ActionKind = iota
	// Accept accepts the offer on the table.
	Accept
	// End walks away: the negotiation ends without agreement.
	End
	// Reject is a vote against a mediator's proposal (mediated protocols;
	// traces only).
	Reject
)

// String returns "offer", "accept", "walk_away" or "reject": the names
// traces and summaries use. Walking away is "walk_away", the same name as
// the Reason it causes.
func (k ActionKind) String() string {
	switch k {
	case Offer:
		return "offer"
	case Accept:
		return "accept"
	case End:
		return "walk_away"
	case Reject:
		return "reject"
	}
	return fmt.Sprintf("ActionKind(%d)", uint8(k))
}

// MarshalText writes the kind's name.
func (k ActionKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Action is a party's move. Outcome is the offer for Offer and ignored
// otherwise.
type Action struct {
	Kind    ActionKind
	Outcome Outcome
}

// OfferOf returns an Offer action for o.
func OfferOf(o Outcome) Action { return Action{Kind: Offer, Outcome: o} }

// AcceptAction returns the Accept action. It is a function, not a variable,
// so that no caller can change what accepting means for everyone else.
func AcceptAction() Action { return Action{Kind: Accept, Outcome: NoOutcome} }

// EndAction returns the End action (walking away).
func EndAction() Action { return Action{Kind: End, Outcome: NoOutcome} }

// OfferRecord is one offer made during a negotiation.
type OfferRecord struct {
	Party   int     // who made it
	Outcome Outcome // what was offered
	Step    int     // the step (turn) it was made in, from 0
	Round   int     // the round it was made in, from 0
	Time    float64 // normalised time when it was made
}

// State is what a seat sees on its turn. Every seat gets its own State from
// the mechanism, refreshed on every turn: the mechanism keeps the
// authoritative standing offer, text, votes and history elsewhere, so what
// a seat writes to its State changes nothing but its own view. The
// mechanism reuses the seat's State between turns: a seat reads it during
// its call and must not keep it or its slices.
type State struct {
	Step     int     // turns taken so far, from 0
	Round    int     // current round, from 0; a round is one turn of every party
	Time     float64 // normalised time in [0,1]
	Deadline int     // rounds allowed (0: only a wall-time limit)
	Parties  int     // number of parties at the table
	Me       int     // the acting party's position in the turn order

	Standing Outcome // the offer on the table, or NoOutcome
	Proposer int     // who made the standing offer, or -1
	Accepts  int     // how many parties have accepted the standing offer so far

	Offers []OfferRecord // every offer made so far, oldest first

	// Mediated protocols only.
	Text  Outcome // the current single negotiating text, or NoOutcome
	Votes []Vote  // the votes on the last proposal, by party (the mediator's view only; nil for voters)
	Final bool    // the vote is the final, binding vote on Text (Standing == Text)
}

// Vote is a party's answer to a mediator's proposal (State.Standing) in a
// mediated protocol, compared with the current text (State.Text).
type Vote struct {
	Accept bool
	// Feedback optionally compares the proposal with the current text for
	// the voter: -1 worse, 0 the same, +1 better.
	Feedback int8
	// Leave walks away from the negotiation.
	Leave bool
}

// LastOfferBy returns the most recent offer made by party p.
func (s *State) LastOfferBy(p int) (OfferRecord, bool) {
	for i := len(s.Offers) - 1; i >= 0; i-- {
		if s.Offers[i].Party == p {
			return s.Offers[i], true
		}
	}
	return OfferRecord{}, false
}

// Session is what a negotiator learns when it joins: its own profile and the
// shape of the negotiation. It never holds another party's preferences.
// Its Names and Profile are the seat's private copies, made for each run:
// the mechanism scores from its own copies, so changing them (raising one's
// own reservation value, say) changes nothing but the seat's own view. The
// utility function is shared and immutable.
type Session struct {
	Party    int        // position in the turn order, from 0
	Names    []string   // every party's name, in turn order (names are public)
	Profile  *Profile   // the party's own preferences (a private copy)
	Deadline int        // rounds allowed (0: only a wall-time limit)
	Clock    Clock      // how the protocol counts time over its turns (zero when it cannot be known ahead)
	Protocol string     // e.g. "sao"
	Rand     *rand.Rand // the party's own seeded random stream

	// Declared is what a mediator may know of the parties' preferences,
	// by party (nil when it sees votes only). Negotiators never get it.
	Declared []*Profile
}

// Negotiator is a seat at the table: an in-process strategy, a remote agent
// or a person. The protocol calls Init once before the first turn and Act on
// each of the party's turns, from one goroutine. ctx carries the per-turn
// deadline for slow (remote, human) negotiators; in-process strategies may
// ignore it. Act must return quickly, must not keep st, and must return
// an error rather than panic.
//
// # Determinism
//
// An in-process Negotiator must be deterministic: given the same Session
// (including the same seed behind Session.Rand) and the same sequence of
// States, it must return the same sequence of Actions. Parley's replays,
// its resumable tournaments and its claim "the same seed gives the same
// trace" rest on this. Concretely, Init and Act must not
//
//   - draw random numbers from anywhere but Session.Rand (not math/rand's
//     global functions, crypto/rand or a generator seeded from the clock);
//   - read the wall clock (time.Now, time.Since) to decide anything: use
//     State.Time and State.Round, which the protocol computes from the
//     deadline, or from its injected clock under a wall-time limit;
//   - depend on the iteration order of a Go map, on goroutine scheduling or
//     on the addresses of values (sort keys before walking a map);
//   - share mutable state with other instances (package-level variables,
//     caches keyed by pointers): two seats of one strategy may run at the
//     same time in other negotiations of a tournament;
//   - keep st, or anything inside it, after Act returns: the protocol
//     reuses its buffers on the next turn (copy what must be remembered).
//
// A seat that breaks the contract does not corrupt the mechanism (seats
// get private views and the mechanism scores from its own copies), but its
// results cannot be replayed. parleytest.TestNegotiator checks the contract
// on two runs with one seed. Remote agents and people are not
// deterministic; traces of their negotiations are records, not replays.
type Negotiator interface {
	Init(ctx context.Context, s *Session) error
	Act(ctx context.Context, st *State) (Action, error)
}

// Finisher is implemented by seats that want to hear how the negotiation
// ended (remote agents and people, mostly). The mechanism calls Finish once
// per run, after the end, with what that seat may know: the public facts
// and its own result, never another party's utility or reservation value.
type Finisher interface {
	Finish(ctx context.Context, e Ending)
}

// Ending is how a negotiation ended, as one seat may know it.
type Ending struct {
	Agreement  Outcome // the agreed outcome, or NoOutcome
	Reason     Reason  // why it ended
	Rounds     int     // rounds begun, from 1
	Steps      int     // turns taken (Result.Steps)
	Time       float64 // normalised time at the end
	Party      int     // who accepted last, walked away or failed; -1 when nobody did
	Utility    float64 // the seat's own utility: of the agreement, or its reservation value (0 for a mediator)
	Discounted float64 // Utility discounted at Time
}

// EndingFor returns what seat p may know of r: the public facts and, when p
// is a party (0 ≤ p < len(r.Utilities)), its own utility; other seats (a
// mediator) get utility 0.
func (r *Result) EndingFor(p int) Ending {
	e := Ending{Agreement: r.Agreement, Reason: r.Reason, Rounds: r.Rounds, Steps: r.Steps, Time: r.Time, Party: r.Party}
	if p >= 0 && p < len(r.Utilities) && p < len(r.Discounted) {
		e.Utility, e.Discounted = r.Utilities[p], r.Discounted[p]
	}
	return e
}

// Reason says why a negotiation ended.
type Reason uint8

const (
	// ReasonAgreement: every party accepted one outcome.
	ReasonAgreement Reason = iota
	// ReasonDeadline: the round or time limit passed without agreement.
	ReasonDeadline
	// ReasonWalkAway: a party ended the negotiation.
	ReasonWalkAway
	// ReasonError: a party failed (invalid action, error, panic, timeout).
	ReasonError
	// ReasonMediatorExit: the mediator stepped back (mediated protocols).
	ReasonMediatorExit
	// ReasonRatificationFailed: an agreement was signed, then a party
	// failed to ratify it (staged protocols).
	ReasonRatificationFailed
)

var reasonNames = newNames("end reason", "agreement", "deadline", "walk_away", "error", "mediator_exit", "ratification_failed")

// String returns the reason's name: "agreement", "deadline", "walk_away",
// "error", "mediator_exit" or "ratification_failed". Every output (text,
// traces, JSON, the results database) uses these names.
func (r Reason) String() string { return reasonNames.name(uint8(r), "Reason") }

// MarshalText writes the reason's name.
func (r Reason) MarshalText() ([]byte, error) { return reasonNames.marshal(uint8(r), "Reason") }

// UnmarshalText reads a name written by MarshalText.
func (r *Reason) UnmarshalText(b []byte) error { return unmarshal(r, ParseReason, b) }

// Reasons returns every Reason, in the order reports list them.
func Reasons() []Reason {
	return []Reason{ReasonAgreement, ReasonDeadline, ReasonWalkAway, ReasonMediatorExit, ReasonRatificationFailed, ReasonError}
}

// ParseReason returns the Reason named s (as written by String).
func ParseReason(s string) (Reason, error) {
	v, err := reasonNames.parse(s)
	return Reason(v), err
}

// Result is how a negotiation ended.
type Result struct {
	Agreement Outcome // the agreed outcome, or NoOutcome
	Reason    Reason  // why it ended
	Rounds    int     // rounds begun, from 1 (the round in which it ended)
	// Steps are the turns taken: every action of the trace (offer,
	// acceptance, vote, walk-away, a mediator's text or exit; a walk-away
	// the hazard forces takes the turn it interrupts), and the turn that
	// failed when Reason is ReasonError. It is the step of the last action,
	// counted from 1, everywhere Parley reports it.
	Steps      int
	Time       float64   // normalised time at the end
	Utilities  []float64 // per party: utility of the agreement, or the reservation value
	Discounted []float64 // the same, discounted at Time
	Party      int       // who accepted last, walked away or failed; -1 at the deadline
	Err        error     // what went wrong, for ReasonError
}

// Agreed reports whether the negotiation ended in agreement.
func (r *Result) Agreed() bool { return r.Reason == ReasonAgreement && r.Agreement != NoOutcome }

// Event is one action in a negotiation's trace.
type Event struct {
	Step    int
	Round   int
	Time    float64
	Party   int
	Action  ActionKind
	Outcome Outcome // the offer, or the accepted outcome
}
