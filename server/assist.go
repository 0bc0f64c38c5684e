package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/protocol/mediated"
)

// AssistMediators are the built-in mediators whose next move GET
// /negotiations/{id}/assist suggests, by spec: the Nash-seeking mediator
// (which needs the declared preferences of info declared, full or
// self_report) and the hill-climbing one (which needs only the votes).
func AssistMediators() []string { return []string{"nash", "hillclimb"} }

// assistStream is the rng sub-stream of the negotiation's seed that the
// suggestions' search mediators draw from: a stream of their own, which
// no seat and no mechanism draws from.
const assistStream = 1<<62 + 0xa551

// Assist is the answer of GET /negotiations/{id}/assist: what each
// built-in mediator of AssistMediators would answer to the mediator's
// pending turn (Step), computed from the mediator's lens alone.
type Assist struct {
	Step        int          `json:"step"`
	Kind        string       `json:"kind"` // the turn's kind: "propose" or "adopt"
	Suggestions []Suggestion `json:"suggestions"`
}

// Suggestion is one built-in mediator's answer to the pending turn, in
// the words of an ActionRequest: "offer" (a proposal: Outcome and its
// Values), "final_vote", "walk_away" (stepping back), and on an adopt turn
// "accept" (adopt the proposal) or "reject" (keep the text). Error says
// why this mediator has none (a Nash-seeking mediator without declared
// preferences, say); Action is then empty.
type Suggestion struct {
	Mediator string            `json:"mediator"`
	Action   string            `json:"action,omitempty"`
	Outcome  *int              `json:"outcome,omitempty"`
	Values   map[string]string `json:"values,omitempty"`
	Error    string            `json:"error,omitempty"`
}

// errNoMediatorTurn answers an assist request when the mediator has no
// turn pending.
var errNoMediatorTurn = &apiError{http.StatusConflict, errors.New("the mediator has no turn pending: suggestions are for its turns")}

// assist answers GET /negotiations/{id}/assist, for the mediator's token
// only.
func (s *Server) assist(w http.ResponseWriter, r *http.Request) {
	n, l, err := s.admit(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if l.Kind != LensMediator || n.mediator == nil {
		s.writeError(w, r, errForbidden)
		return
	}
	a, err := n.assist(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// mediatorView is what the mediator's lens shows of the running stage:
// its session, the stage, its turns and the proposals made in it.
type mediatorView struct {
	stage   *Stage
	session *Session
	turns   []*Turn
	offers  []parley.OfferRecord // the mediator's proposals in the stage
	space   *parley.OutcomeSpace
	names   []string // the stage's participants
}

// assist runs each built-in mediator of AssistMediators over the
// mediator's own view of the running stage: a fresh mediator joins with
// the session the mediator's lens shows (its own profile, the declared
// profiles its information level allows, the locked issues), replays
// every earlier turn of the stage with the votes the lens showed (so that
// its search state advances as if it had held the pen, the proposals made
// being the ones it sees), and answers the pending turn. It reads only
// the log as the mediator's lens shows it, and draws from its own random
// stream, so the negotiation's state, streams and trace are untouched.
func (n *negotiation) assist(ctx context.Context) (*Assist, error) {
	m := n.mediator
	m.mu.Lock()
	step, kind := m.waiting, m.kind
	m.mu.Unlock()
	if step < 0 {
		return nil, errNoMediatorTurn
	}
	v, err := n.mediatorView()
	if err != nil {
		return nil, err
	}
	if len(v.turns) == 0 || v.turns[len(v.turns)-1].Step != step || v.turns[len(v.turns)-1].Kind != kind {
		return nil, errNoMediatorTurn // the turn is not shown yet
	}
	a := &Assist{Step: step, Kind: kind, Suggestions: []Suggestion{}}
	for _, spec := range AssistMediators() {
		sg := Suggestion{Mediator: spec}
		if err := n.suggest(ctx, spec, v, &sg); err != nil {
			sg = Suggestion{Mediator: spec, Error: err.Error()}
		}
		a.Suggestions = append(a.Suggestions, sg)
	}
	return a, nil
}

// mediatorView folds the events the mediator's lens shows into its view
// of the running stage.
func (n *negotiation) mediatorView() (*mediatorView, error) {
	evs, _, _, _ := n.since(Lens{Kind: LensMediator}, 0)
	v := &mediatorView{space: n.space}
	for i := range evs {
		e := &evs[i]
		switch {
		case e.Stage != nil:
			v.stage, v.session, v.turns, v.offers = e.Stage, nil, nil, nil
		case e.Session != nil && e.Session.Role == "mediator":
			v.session = e.Session
		case e.Turn != nil:
			v.turns = append(v.turns, e.Turn)
		case e.Type == TypeOffer && e.Action != nil && e.Action.Party < 0:
			x := e.Action
			v.offers = append(v.offers, parley.OfferRecord{Party: -1, Outcome: parley.Outcome(x.Outcome), Step: x.Step, Round: x.Round, Time: x.Time})
		}
	}
	if v.stage == nil || v.session == nil {
		return nil, errNoMediatorTurn
	}
	for _, p := range v.stage.Participants {
		v.names = append(v.names, n.names[p])
	}
	return v, nil
}

// suggest runs the built-in mediator spec over view v and fills in its
// answer to the last turn.
func (n *negotiation) suggest(ctx context.Context, spec string, v *mediatorView, sg *Suggestion) error {
	if n.srv.cfg.Mediator == nil {
		return errors.New("this server has no built-in mediators")
	}
	f, err := n.srv.cfg.Mediator(spec)
	if err != nil {
		return err
	}
	med := f()
	ses, err := v.parleySession(n.def.Request.Seed)
	if err != nil {
		return err
	}
	if l, ok := med.(mediated.Locker); ok && v.stage.Carried != nil && len(v.stage.Carried.Locked) > 0 {
		var locked []int
		for _, name := range v.stage.Carried.Locked {
			locked = append(locked, v.space.Issue(name))
		}
		l.Lock(locked)
	}
	if err := med.Init(ctx, ses); err != nil {
		return err
	}
	caller, _ := med.(mediated.Caller)
	adopter, _ := med.(mediated.Adopter)
	for k, t := range v.turns {
		st := v.state(t)
		last := k == len(v.turns)-1
		if t.Kind == TurnAdopt {
			adopt := adopter != nil && adopter.Adopt(ctx, st)
			if last {
				sg.Action = "reject"
				if adopt {
					sg.Action = "accept"
				}
			}
			continue
		}
		if t.CanCall && caller != nil && caller.CallVote(ctx, st) && last {
			sg.Action = "final_vote"
			return nil
		}
		o, err := med.Propose(ctx, st)
		if err != nil {
			return err
		}
		if !last {
			continue
		}
		if o == parley.NoOutcome {
			sg.Action = "walk_away"
			return nil
		}
		if !v.space.Valid(o) {
			return fmt.Errorf("proposed outcome %d outside the space", o)
		}
		x := int(o)
		sg.Action, sg.Outcome, sg.Values = "offer", &x, v.space.Named(o)
	}
	return nil
}

// parleySession rebuilds the mediator's parley.Session from its session
// event: its own profile and the declared ones, as tables over the space,
// and a random stream of the assist's own.
func (v *mediatorView) parleySession(seed uint64) (*parley.Session, error) {
	s := v.session
	own, err := v.profile("mediator", s.Utilities, s.Reservation, s.RedLines)
	if err != nil {
		return nil, err
	}
	own.Discount, own.Drift, own.Hazard = s.Discount, s.Drift, s.Hazard
	ses := &parley.Session{Party: -1, Names: v.names, Profile: own, Deadline: s.Clock.Rounds, Protocol: "mediated",
		Clock: parley.Clock{Parties: s.Clock.Parties, Rounds: s.Clock.Rounds, Cost: s.Clock.Cost, Offset: s.Clock.Offset, Total: s.Clock.Total, GENIUS: s.Clock.GENIUS},
		Rand:  rng.New(seed, assistStream+uint64(v.stage.Index))}
	for _, d := range s.Declared {
		p, err := v.profile(fmt.Sprintf("declared profile of party %d", d.Party), d.Utilities, d.Reservation, d.RedLines)
		if err != nil {
			return nil, err
		}
		ses.Declared = append(ses.Declared, p)
	}
	return ses, nil
}

// profile rebuilds a profile from its utilities by outcome, reservation
// value and red lines, as a lens shows them.
func (v *mediatorView) profile(what string, u []float64, reservation float64, red []Value) (*parley.Profile, error) {
	if len(u) != v.space.Size() {
		return nil, fmt.Errorf("%s: %d utilities for %d outcomes", what, len(u), v.space.Size())
	}
	p := &parley.Profile{Space: v.space, Utility: parley.UtilityFunc(func(o parley.Outcome) float64 { return u[o] }), Reservation: reservation, Discount: 1}
	for _, x := range red {
		i := v.space.Issue(x.Issue)
		if i < 0 {
			return nil, fmt.Errorf("%s: red line on unknown issue %q", what, x.Issue)
		}
		k, err := v.space.Issues[i].Index(x.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: red line: %w", what, err)
		}
		p.Vetoes = append(p.Vetoes, parley.ValueRef{Issue: i, Value: k})
	}
	return p, nil
}

// state is the parley.State of a mediator's turn as its lens showed it.
func (v *mediatorView) state(t *Turn) *parley.State {
	st := &parley.State{Step: t.Step, Round: t.Round, Time: t.Time, Deadline: v.session.Clock.Rounds, Parties: len(v.names), Me: -1,
		Standing: parley.NoOutcome, Proposer: t.Proposer, Accepts: t.Accepts, Text: parley.NoOutcome}
	if t.Standing >= 0 {
		st.Standing = parley.Outcome(t.Standing)
	}
	if t.Text != nil && *t.Text >= 0 {
		st.Text = parley.Outcome(*t.Text)
	}
	for _, b := range t.Votes {
		st.Votes = append(st.Votes, parley.Vote{Accept: b.Accept, Feedback: b.Feedback, Leave: b.Leave})
	}
	for _, o := range v.offers {
		if o.Step < t.Step {
			st.Offers = append(st.Offers, o)
		}
	}
	return st
}
