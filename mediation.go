package parley

import "context"

// Voter is a party's seat in a mediated negotiation (protocol/mediated;
// strategies in strategy/mediator). The mechanism calls Init once per run,
// then Vote once per proposal, from one goroutine. During Vote,
// st.Standing is the proposal and st.Text the current text; when st.Final
// is set the vote is the binding final vote on the text (Standing ==
// Text). A voter must not keep st, must return quickly and must return an
// error rather than panic (a panic is caught and ends the run with
// ReasonError). Accepting an outcome that crosses the voter's own red line
// (Profile.Vetoed) is an error.
//
// A Voter is bound by the determinism contract of Negotiator: the same
// Session (and seed) and the same sequence of States give the same votes;
// randomness only from Session.Rand; no wall clock, map order, shared
// mutable state or kept States in its decisions. parleytest.TestVoter
// checks it.
//
// Voter is declared here, where the mechanism that calls it and the
// strategies that implement it meet, so that neither imports the other.
type Voter interface {
	Init(ctx context.Context, s *Session) error
	Vote(ctx context.Context, st *State) (Vote, error)
}

// Mediator holds the pen in a mediated negotiation. The mechanism calls
// Init once per run and Propose once per round, from one goroutine. During
// Propose, st.Text is the current text, st.Standing the previous proposal
// (NoOutcome in the first round) and st.Votes the votes on it, by party
// (as the stage's Info allows); st.Me is -1. Propose returns the next
// proposal, or NoOutcome to step back (the run ends with
// ReasonMediatorExit). A proposal outside the space, or one that changes a
// locked issue, is an error. The same rules as for Voter apply to errors,
// panics and keeping st.
//
// A Mediator is bound by the determinism contract of Negotiator: the same
// Session (with the same seed, and the same Declared profiles under its
// information level) and the same sequence of States (texts, proposals and
// the votes it may see) give the same proposals. Search mediators
// (annealing, hill-climbing) draw only from Session.Rand, and ties between
// equally good texts are broken by outcome index, never by map order.
// parleytest.TestMediator checks it.
type Mediator interface {
	Init(ctx context.Context, s *Session) error
	Propose(ctx context.Context, st *State) (Outcome, error)
}
