package server

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/parley-dev/parley"
)

// errNotYourTurn is the error of an action sent when the seat has no turn
// with that step.
var errNotYourTurn = errors.New("not your turn (or not this step)")

// remoteSeat is a seat played from outside: a remote program or a person
// acting through the API with the seat's token. It is a parley.Negotiator,
// driven by the same protocol loop as in-process strategies: each turn it
// publishes a turn event, persists the log and waits for the seat's
// action, its disconnection past the grace period or the turn's deadline.
type remoteSeat struct {
	n       *negotiation
	party   int
	actions chan parley.Action // the action of the awaited turn (buffered)
	fail    chan error         // a disconnection past the grace period (buffered)

	mu      sync.Mutex
	waiting int // the step awaited, or -1
	conns   int // open streams with the seat's token
	lost    *time.Timer
}

var _ parley.Negotiator = (*remoteSeat)(nil)

func newRemoteSeat(n *negotiation, party int) *remoteSeat {
	return &remoteSeat{n: n, party: party, actions: make(chan parley.Action, 1), fail: make(chan error, 1), waiting: -1}
}

// Init publishes the seat's session: its own profile, to it alone.
func (s *remoteSeat) Init(_ context.Context, ses *parley.Session) error {
	return s.n.append(Event{Type: TypeSession, Audience: SeatAudience(s.party), Session: s.n.sessionOf(ses)})
}

// Act publishes the turn, persists the log, and waits for the seat.
func (s *remoteSeat) Act(ctx context.Context, st *parley.State) (parley.Action, error) {
	select { // a late action of an earlier turn
	case <-s.actions:
	default:
	}
	t := &Turn{Step: st.Step, Round: st.Round, Time: st.Time, Standing: int(st.Standing), Proposer: st.Proposer, Accepts: st.Accepts,
		TimeoutMS: s.n.turnTimeoutMS()}
	if st.Standing == parley.NoOutcome {
		t.Standing = -1
	}
	if err := s.n.append(Event{Type: TypeTurn, Audience: SeatAudience(s.party), Turn: t}); err != nil {
		return parley.Action{}, err
	}
	s.mu.Lock()
	s.waiting = st.Step
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.waiting = -1
		s.mu.Unlock()
	}()
	if err := s.n.flush(ctx); err != nil {
		return parley.Action{}, err
	}
	select {
	case a := <-s.actions:
		return a, nil
	case err := <-s.fail:
		return parley.Action{}, err
	case <-ctx.Done():
		if d, ok := ctx.Deadline(); ok && !d.After(s.n.srv.now()) {
			return parley.Action{}, fmt.Errorf("missed the turn deadline of %v", s.n.srv.cfg.TurnTimeout)
		}
		return parley.Action{}, ctx.Err()
	}
}

// submit hands the seat's action for turn step to the waiting Act.
func (s *remoteSeat) submit(step int, a parley.Action) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.waiting != step {
		return errNotYourTurn
	}
	s.waiting = -1
	s.actions <- a // buffered, and emptied before every turn
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
		case s.fail <- fmt.Errorf("disconnected for more than the grace period of %v", grace):
		default:
		}
	})
}
