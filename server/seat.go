package server

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
)

// errNotYourTurn is the error of an action sent when the seat has no turn
// with that step.
var errNotYourTurn = errors.New("not your turn (or not this step)")

// remoteSeat is a seat played from outside: a remote program or a person
// acting through the API with the seat's token. It is a parley.Negotiator
// and a parley.Voter (party ≥ 0), or a parley.Mediator (party -1), driven
// by the same protocol loops as in-process strategies: each turn it
// publishes a turn event, persists the log and waits for the seat's
// answer, its disconnection past the grace period or the turn's deadline.
type remoteSeat struct {
	n       *negotiation
	party   int         // the party, or -1 for the mediator
	answers chan answer // the answer to the awaited turn (buffered)
	fail    chan error  // a disconnection past the grace period (buffered)

	// A seat with a fallback strategy (fallback, and voter in mediated
	// stages) is taken over by it when it fails (gone says why), for the
	// rest of the negotiation; the protocol's goroutine only.
	fallback      func() parley.Negotiator
	voter         func() parley.Voter
	gone          *seatFailure
	session       *parley.Session // its current session, for the fallbacks' Init
	replaced      parley.Negotiator
	negFor        *parley.Session // the session replaced joined with
	replacedVoter parley.Voter
	voterFor      *parley.Session
	// early is a remote mediator's answer to the turn CallVote published
	// for the next round, with its error; Propose returns it.
	early    *answer
	earlyErr error
	calling  bool // the turn being published may call the final vote

	mu       sync.Mutex
	waiting  int    // the step awaited, or -1
	kind     string // the kind of the awaited turn
	callable bool   // the awaited turn may call the final vote
	conns    int    // open streams with the seat's token
	lost     *time.Timer
}

var (
	_ parley.Negotiator = (*remoteSeat)(nil)
	_ parley.Voter      = (*remoteSeat)(nil)
	_ parley.Mediator   = (*remoteSeat)(nil)
	_ mediated.Caller   = (*remoteSeat)(nil)
	_ mediated.Adopter  = (*remoteSeat)(nil)
)

func newRemoteSeat(n *negotiation, party int) *remoteSeat {
	return &remoteSeat{n: n, party: party, answers: make(chan answer, 1), fail: make(chan error, 1), waiting: -1}
}

// audience is the audience of the seat's private events.
func (s *remoteSeat) audience() string {
	if s.party < 0 {
		return AudienceMediator
	}
	return SeatAudience(s.party)
}

// Init publishes the seat's session: its own profile (and a mediator's
// declared profiles), to it alone.
// A seat taken over by its fallback stays taken over for the rest of the
// negotiation: in a staged protocol the replacement joins each later
// stage with that stage's session.
func (s *remoteSeat) Init(ctx context.Context, ses *parley.Session) error {
	s.session = ses
	if s.gone != nil {
		return nil // its fallback joins when it first plays in this stage
	}
	return s.n.append(Event{Type: TypeSession, Audience: s.audience(), Session: s.n.sessionOf(s, ses)})
}

// Act publishes an alternating-offers turn and waits for the seat's
// action.
func (s *remoteSeat) Act(ctx context.Context, st *parley.State) (parley.Action, error) {
	if s.gone != nil {
		neg, err := s.fallbackNegotiator(ctx)
		if err != nil {
			return parley.Action{}, err
		}
		return neg.Act(ctx, st)
	}
	a, err := s.turn(ctx, TurnAct, st)
	var f *seatFailure
	if err != nil && s.fallback != nil && errors.As(err, &f) {
		if err := s.replace(f); err != nil {
			return parley.Action{}, err
		}
		return s.Act(ctx, st)
	}
	return a.act, err
}

// fallbackNegotiator returns the negotiator that plays a seat taken over,
// joined to the current session.
func (s *remoteSeat) fallbackNegotiator(ctx context.Context) (parley.Negotiator, error) {
	if s.replaced == nil || s.negFor != s.session {
		s.replaced = s.fallback()
		if err := s.replaced.Init(ctx, s.session); err != nil {
			return nil, fmt.Errorf("%s; its fallback failed to join: %w", s.gone, err)
		}
		s.negFor = s.session
	}
	return s.replaced, nil
}

// fallbackVoter returns the voter that votes for a seat taken over,
// joined to the current session.
func (s *remoteSeat) fallbackVoter(ctx context.Context) (parley.Voter, error) {
	if s.voter == nil {
		return nil, fmt.Errorf("%s (no fallback voter)", s.gone)
	}
	if s.replacedVoter == nil || s.voterFor != s.session {
		s.replacedVoter = s.voter()
		if err := s.replacedVoter.Init(ctx, s.session); err != nil {
			return nil, fmt.Errorf("%s; its fallback voter failed to join: %w", s.gone, err)
		}
		s.voterFor = s.session
	}
	return s.replacedVoter, nil
}

// seatFailure is a remote seat's failure that its fallback may take over:
// a missed deadline or a disconnection.
type seatFailure struct{ msg string }

func (f *seatFailure) Error() string { return f.msg }

// replace hands the seat to its fallback strategies for the rest of the
// negotiation, and publishes the replacement.
func (s *remoteSeat) replace(cause *seatFailure) error {
	s.gone = cause
	return s.n.append(Event{Type: TypeReplaced, Audience: AudiencePublic, Replaced: &Replaced{Party: s.party, Cause: cause.msg}})
}

// Vote publishes a vote on a proposal and waits for the seat's vote.
func (s *remoteSeat) Vote(ctx context.Context, st *parley.State) (parley.Vote, error) {
	if s.gone != nil {
		v, err := s.fallbackVoter(ctx)
		if err != nil {
			return parley.Vote{}, err
		}
		return v.Vote(ctx, st)
	}
	a, err := s.turn(ctx, TurnVote, st)
	var f *seatFailure
	if err != nil && s.fallback != nil && errors.As(err, &f) {
		if err := s.replace(f); err != nil {
			return parley.Vote{}, err
		}
		return s.Vote(ctx, st)
	}
	return a.vote, err
}

// Propose publishes the mediator's turn and waits for its proposal, unless
// the mediator already answered this round's turn when CallVote asked.
func (s *remoteSeat) Propose(ctx context.Context, st *parley.State) (parley.Outcome, error) {
	if s.early != nil {
		a, err := *s.early, s.earlyErr
		s.early, s.earlyErr = nil, nil
		return a.prop, err
	}
	a, err := s.turn(ctx, TurnPropose, st)
	return a.prop, err
}

// Adopt is asked by the mediated protocol under rule mediator when not
// every party accepted the proposal: it publishes an adopt turn (the votes
// as the mediator's information level shows them) and returns whether the
// mediator adopts it. Adopt cannot fail; a seat that fails here fails its
// next turn, which the protocol then ends with reason error.
func (s *remoteSeat) Adopt(ctx context.Context, st *parley.State) bool {
	if s.party >= 0 {
		return false
	}
	a, err := s.turn(ctx, TurnAdopt, st)
	if err != nil {
		s.early, s.earlyErr = &answer{prop: parley.NoOutcome}, err
		return false
	}
	return a.adopt
}

// CallVote is asked by the mediated protocol after every round but the
// last: it publishes the mediator's propose turn for the next round early,
// with can_call set, so that the mediator either calls the final vote on
// the text (final_vote) or proposes, in one turn a round as before; the
// proposal (or the seat's failure) is what the next Propose returns.
func (s *remoteSeat) CallVote(ctx context.Context, st *parley.State) bool {
	if s.party >= 0 || s.session == nil || st.Round+1 >= s.session.Clock.Rounds || s.early != nil {
		return false // (s.early: an adopt turn already failed)
	}
	next := *st
	next.Round, next.Time = st.Round+1, s.session.Clock.At(st.Round+1)
	s.calling = true
	a, err := s.turn(ctx, TurnPropose, &next)
	s.calling = false
	if err == nil && a.call {
		return true
	}
	s.early, s.earlyErr = &a, err
	return false
}

// outcomeOrNone is o as clients see it: -1 for NoOutcome.
func outcomeOrNone(o parley.Outcome) int {
	if o == parley.NoOutcome {
		return -1
	}
	return int(o)
}

// turn publishes a turn of the given kind, persists the log, and waits
// for the seat's answer under the turn's deadline (the protocol's, else
// the negotiation's turn_timeout, else the server's TurnTimeout).
func (s *remoteSeat) turn(ctx context.Context, kind string, st *parley.State) (answer, error) {
	select { // a late answer to an earlier turn
	case <-s.answers:
	default:
	}
	n := s.n
	t := &Turn{Kind: kind, Stage: n.stage, Step: st.Step, Round: st.Round, Time: st.Time, Standing: outcomeOrNone(st.Standing),
		Proposer: n.global(st.Proposer), Accepts: st.Accepts, TimeoutMS: n.turnTimeoutMS()}
	if kind != TurnAct {
		text := outcomeOrNone(st.Text)
		t.Text, t.Final = &text, st.Final
	}
	t.CanCall = s.calling
	if kind == TurnPropose || kind == TurnAdopt {
		for _, v := range st.Votes {
			t.Votes = append(t.Votes, Ballot{Accept: v.Accept, Feedback: v.Feedback, Leave: v.Leave})
		}
	}
	if err := n.append(Event{Type: TypeTurn, Audience: s.audience(), Turn: t}); err != nil {
		return answer{}, err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, n.turn)
		defer cancel()
	}
	s.mu.Lock()
	s.waiting, s.kind, s.callable = st.Step, kind, s.calling
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.waiting = -1
		s.mu.Unlock()
	}()
	if err := n.flush(ctx); err != nil {
		return answer{}, err
	}
	select {
	case a := <-s.answers:
		n.taken(a.at)
		return a, nil
	case err := <-s.fail:
		return answer{}, err
	case <-ctx.Done():
		if d, ok := ctx.Deadline(); ok && !d.After(time.Now()) && n.srv.ctx.Err() == nil {
			return answer{}, &seatFailure{fmt.Sprintf("missed the turn deadline of %v", n.turn)}
		}
		return answer{}, ctx.Err()
	}
}

// submit hands the seat's answer to turn step to the waiting turn.
func (s *remoteSeat) submit(req *ActionRequest) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.waiting != req.Step || s.waiting < 0 {
		return &apiError{409, errNotYourTurn}
	}
	a, err := req.answer(s.kind, s.n.space)
	if err != nil {
		return badRequest(err)
	}
	if a.call && !s.callable {
		return badRequest(errors.New("final_vote: this turn does not let the mediator call the vote (can_call is false)"))
	}
	a.at = s.n.srv.now()
	s.waiting = -1
	s.answers <- a // buffered, and emptied before every turn
	return nil
}

// connect counts an open stream of the seat; it stops a pending
// disconnection.
func (s *remoteSeat) connect() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns++
	if s.lost != nil {
		s.lost.Stop()
		s.lost = nil
	}
}

// disconnect counts a closed stream; when the seat has none left, it
// fails unless it reconnects within the grace period.
func (s *remoteSeat) disconnect() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns--
	if s.conns > 0 || !s.n.running() {
		return
	}
	grace := s.n.srv.cfg.Grace
	s.lost = time.AfterFunc(grace, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.conns > 0 {
			return
		}
		select {
		case s.fail <- &seatFailure{fmt.Sprintf("disconnected for more than the grace period of %v", grace)}:
		default:
		}
	})
}
