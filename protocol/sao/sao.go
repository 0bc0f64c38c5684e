// Package sao implements the stacked alternating offers protocol (SAOP) for
// two or more parties, as in GeniusWeb's geniusweb.protocol.session.saop:
// parties act in a fixed turn order; on its turn a party accepts the offer on
// the table, makes a counter-offer or ends the negotiation; there is an
// agreement when every party other than the proposer has accepted the
// standing offer in turn.
//
// One Mechanism drives any parley.Negotiator (an in-process strategy, a
// remote agent or a person). For in-process strategies a run allocates only
// when it starts: the rounds themselves allocate nothing.
package sao

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/internal/seat"
)

// Options configure a Mechanism. The zero value is not valid: a Deadline
// (rounds) or a TimeLimit is required.
type Options struct {
	// Deadline is the number of rounds; a round is one turn of every party.
	Deadline int
	// TimeLimit optionally ends the negotiation after this much wall time;
	// normalised time is then the larger of the round and wall-clock
	// fractions. Wall time makes runs depend on speed: leave it zero for
	// reproducible runs.
	TimeLimit time.Duration
	// TurnTimeout, when positive, gives each turn a context with this
	// deadline (for remote agents and people); a party that has not acted
	// by then fails with a timeout.
	TurnTimeout time.Duration
	// Trace, when set, is called with every action.
	Trace func(parley.Event)
	// Now is the clock for TimeLimit and TurnTimeout (default time.Now).
	Now func() time.Time

	// Timing chooses how normalised time is counted (default TimingSteps).
	Timing Timing
	// RoundOffset and TotalRounds place this negotiation on a longer clock
	// (a stage of a staged protocol): time counts from RoundOffset units
	// out of TotalRounds, each round of this negotiation taking RoundCost
	// units (0 means 1; parley.Clock). TotalRounds 0 means
	// RoundCost·Deadline.
	RoundOffset, TotalRounds, RoundCost int
	// Start, when set (not NoOutcome; the zero value 0 is an outcome, so set
	// NoOutcome or leave HasStart false), is an offer already on the table
	// when the negotiation opens (carried over from an earlier stage): every
	// party must accept it for an agreement.
	Start    parley.Outcome
	HasStart bool
	// HazardWindow is the number of rounds without progress after which a
	// party with a walk-away hazard (Profile.Hazard) may walk away, with
	// that probability per round (default 5). Progress for a party is an
	// offer from another party better for it than any before.
	HazardWindow int
}

// Timing is a way of counting normalised time.
type Timing uint8

const (
	// TimingSteps: after s turns of n parties with a deadline of D rounds,
	// t = s/(n·D); the deadline is t = 1.
	TimingSteps Timing = iota
	// TimingGENIUS: every turn of round R (from 1) sees t = R/(D+1), and a
	// negotiation without agreement ends at t = D/(D+1), as GENIUS's
	// DiscreteTimeline does.
	TimingGENIUS
)

// Validate names the first bad option.
func (o *Options) Validate() error {
	if o.Deadline < 0 {
		return fmt.Errorf("sao: deadline %d rounds is negative", o.Deadline)
	}
	if o.Deadline == 0 && o.TimeLimit <= 0 {
		return errors.New("sao: no deadline: set rounds or a time limit")
	}
	if o.TimeLimit < 0 || o.TurnTimeout < 0 {
		return errors.New("sao: negative time limit")
	}
	if o.RoundOffset < 0 || o.TotalRounds < 0 || o.RoundCost < 0 || o.HazardWindow < 0 {
		return errors.New("sao: negative round offset, total, round cost or hazard window")
	}
	if o.TotalRounds > 0 && o.RoundOffset+max(o.RoundCost, 1)*o.Deadline > o.TotalRounds {
		return fmt.Errorf("sao: units %d..%d exceed the total of %d", o.RoundOffset, o.RoundOffset+max(o.RoundCost, 1)*o.Deadline, o.TotalRounds)
	}
	if o.Timing > TimingGENIUS {
		return fmt.Errorf("sao: unknown timing %d", o.Timing)
	}
	return nil
}

// Mechanism runs alternating-offers negotiations between fixed profiles. It
// keeps its buffers between runs; it is not safe for concurrent use (use one
// Mechanism per goroutine).
type Mechanism struct {
	opts     Options
	profiles []*parley.Profile
	names    []string
	space    *parley.OutcomeSpace

	state    parley.State // authoritative: seats see copies (views)
	views    seat.Views
	copies   seat.Copies
	sessions []parley.Session
	pcgs     []rand.PCG
	rands    []*rand.Rand

	hazard    bool     // some party has a walk-away hazard
	hz        rand.PCG // the mechanism's own stream, for hazards
	hzRand    *rand.Rand
	best      []float64 // per party: best utility offered to it so far
	improved  []int     // per party: the last round with progress
	hazardWin int

	acting bool // a seat's Act is running (turns' recover)
}

// New returns a mechanism for the given profiles, in turn order. The
// mechanism scores from its own copies of the profiles, made here; each
// seat gets a private copy in every run.
func New(profiles []*parley.Profile, names []string, opts Options) (*Mechanism, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if err := parley.CheckParties(profiles, names); err != nil {
		return nil, fmt.Errorf("sao: %w", err)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.HasStart && !profiles[0].Space.Valid(opts.Start) {
		return nil, fmt.Errorf("sao: start offer: %w", profiles[0].Space.Check(opts.Start))
	}
	n := len(profiles)
	own := make([]*parley.Profile, n)
	for i, p := range profiles {
		own[i] = seat.Clone(p)
	}
	profiles = own
	names = append([]string(nil), names...)
	m := &Mechanism{opts: opts, profiles: profiles, names: names, space: profiles[0].Space,
		sessions: make([]parley.Session, n), pcgs: make([]rand.PCG, n), rands: make([]*rand.Rand, n),
		best: make([]float64, n), improved: make([]int, n), hazardWin: opts.HazardWindow}
	m.hzRand = rand.New(&m.hz)
	if m.hazardWin == 0 {
		m.hazardWin = 5
	}
	for _, p := range profiles {
		m.hazard = m.hazard || p.Hazard > 0
	}
	for i := range m.rands {
		m.rands[i] = rand.New(&m.pcgs[i])
	}
	m.state.Offers = make([]parley.OfferRecord, 0, opts.Deadline*n)
	m.views.Reset(n, opts.Deadline*n)
	m.copies.Reset(n)
	return m, nil
}

// Run negotiates once with the given seats (one per profile, in turn order)
// and returns the result. Every random choice of the negotiators comes from
// Session.Rand, derived from seed: the same seed gives the same run. Run
// returns an error only for a misuse (wrong number of seats, cancelled ctx);
// a failing negotiator ends the negotiation with parley.ReasonError.
func (m *Mechanism) Run(ctx context.Context, negs []parley.Negotiator, seed uint64) (*parley.Result, error) {
	n := len(m.profiles)
	if len(negs) != n {
		return nil, fmt.Errorf("sao: %d negotiators for %d parties", len(negs), n)
	}
	res := &parley.Result{Agreement: parley.NoOutcome, Party: -1,
		Utilities: make([]float64, n), Discounted: make([]float64, n)}
	for i := range negs {
		rng.Reseed(&m.pcgs[i], seed, uint64(i))
		m.sessions[i] = parley.Session{Party: i, Names: m.copies.Names(i, m.names), Profile: m.copies.Profile(i, m.profiles[i]),
			Deadline: m.opts.Deadline, Clock: m.clock(), Protocol: "sao", Rand: m.rands[i]}
		if err := m.init(ctx, negs[i], &m.sessions[i]); err != nil {
			// A failed start pays every party its reservation value at t = 0
			// (with its offset on a longer clock), as any other ending
			// without agreement does.
			m.end(res, parley.ReasonError, i, 0, m.startTime())
			res.Err = fmt.Errorf("sao: party %q: init: %w", m.names[i], err)
			m.finish(ctx, negs, res)
			return res, nil
		}
	}
	st := &m.state
	m.views.Reset(n, cap(st.Offers))
	*st = parley.State{Deadline: m.opts.Deadline, Parties: n, Standing: parley.NoOutcome, Proposer: -1,
		Offers: st.Offers[:0], Text: parley.NoOutcome}
	need := n - 1 // acceptances that make an agreement
	if m.opts.HasStart {
		st.Standing, need = m.opts.Start, n
	}
	if m.hazard {
		rng.Reseed(&m.hz, seed, 1<<32)
		for i := range m.best {
			m.best[i], m.improved[i] = -1, -1
		}
	}
	if err := m.turns(ctx, negs, res, need); err != nil {
		return nil, err
	}
	m.finish(ctx, negs, res)
	return res, nil
}

// turns plays the negotiation's turns into res until it ends; it returns
// an error only when ctx is cancelled. A seat that panics in Act ends the
// negotiation with parley.ReasonError at its turn: the one deferred
// recover here stands for one per turn (m.acting says whether the panic
// came from a seat's Act; any other panic goes on up).
func (m *Mechanism) turns(ctx context.Context, negs []parley.Negotiator, res *parley.Result, need int) (err error) {
	st := &m.state
	m.acting = false
	defer func() {
		if !m.acting {
			return
		}
		m.acting = false
		r := recover()
		m.end(res, parley.ReasonError, st.Me, st.Step+1, st.Time)
		res.Err = fmt.Errorf("sao: party %q: panic: %v", m.names[st.Me], r)
	}()
	n := len(m.profiles)
	deadline, timeLimit, timed := m.opts.Deadline, m.opts.TimeLimit, m.opts.TurnTimeout > 0
	var start time.Time
	if timeLimit > 0 {
		start = m.opts.Now()
	}
	clock := m.clock()
	endT := clock.End()
	tick := clock.Ticker()
	// round and p are step/n and step%n, counted.
	for step, round, p := 0, 0, 0; ; step, p = step+1, p+1 {
		if p == n {
			p, round = 0, round+1
		}
		t := 0.0
		if deadline > 0 {
			if round >= deadline {
				m.end(res, parley.ReasonDeadline, -1, step, endT)
				return nil
			}
			t = tick.At(step)
		}
		if timeLimit > 0 {
			wt := float64(m.opts.Now().Sub(start)) / float64(timeLimit)
			if wt >= 1 {
				m.end(res, parley.ReasonDeadline, -1, step, 1)
				return nil
			}
			t = max(t, wt)
		}
		if m.hazard && p == 0 && round > 0 {
			if w := m.hazardWalk(round); w >= 0 {
				if m.opts.Trace != nil {
					m.opts.Trace(parley.Event{Step: step, Round: round, Time: t, Party: w, Action: parley.End, Outcome: parley.NoOutcome})
				}
				// The walk-away takes the turn it interrupts: a step, as
				// every traced action is (parley.Result.Steps).
				m.end(res, parley.ReasonWalkAway, w, step+1, t)
				return nil
			}
		}
		if step&255 == 255 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("sao: %w", err)
			}
		}
		st.Step, st.Round, st.Time, st.Me = step, round, t, p
		var a parley.Action
		var err error
		m.acting = true
		if timed {
			a, err = m.timedAct(ctx, negs[p], m.views.Of(p, st))
		} else {
			a, err = negs[p].Act(ctx, m.views.Of(p, st))
		}
		m.acting = false
		if err != nil {
			m.end(res, parley.ReasonError, p, step+1, t)
			res.Err = fmt.Errorf("sao: party %q: %w", m.names[p], err)
			return nil
		}
		switch a.Kind {
		case parley.Offer:
			if !m.space.Valid(a.Outcome) {
				m.end(res, parley.ReasonError, p, step+1, t)
				res.Err = fmt.Errorf("sao: party %q: invalid offer: %w", m.names[p], m.space.Check(a.Outcome))
				return nil
			}
			st.Standing, st.Proposer, st.Accepts, need = a.Outcome, p, 0, n-1
			st.Offers = append(st.Offers, parley.OfferRecord{Party: p, Outcome: a.Outcome, Step: step, Round: round, Time: t})
			if m.hazard {
				m.progress(p, a.Outcome, round)
			}
		case parley.Accept:
			if st.Standing == parley.NoOutcome {
				m.end(res, parley.ReasonError, p, step+1, t)
				res.Err = fmt.Errorf("sao: party %q: accepted with no offer on the table", m.names[p])
				return nil
			}
			if pr := m.profiles[p]; len(pr.Vetoes) > 0 && pr.Vetoed(st.Standing) {
				m.end(res, parley.ReasonError, p, step+1, t)
				res.Err = fmt.Errorf("sao: party %q: accepted an outcome that crosses its own red line", m.names[p])
				return nil
			}
			st.Accepts++
		case parley.End:
		default:
			m.end(res, parley.ReasonError, p, step+1, t)
			res.Err = fmt.Errorf("sao: party %q: unknown action %v", m.names[p], a.Kind)
			return nil
		}
		if m.opts.Trace != nil {
			o := a.Outcome
			if a.Kind == parley.Accept {
				o = st.Standing
			}
			m.opts.Trace(parley.Event{Step: step, Round: round, Time: t, Party: p, Action: a.Kind, Outcome: o})
		}
		if a.Kind == parley.End {
			m.end(res, parley.ReasonWalkAway, p, step+1, t)
			return nil
		}
		if a.Kind == parley.Accept && st.Accepts == need {
			res.Agreement = st.Standing
			m.end(res, parley.ReasonAgreement, p, step+1, t)
			return nil
		}
	}
}

// clock returns how the negotiation counts time (the zero Rounds without
// a round deadline).
func (m *Mechanism) clock() parley.Clock {
	if m.opts.Deadline == 0 {
		return parley.Clock{Parties: len(m.profiles)}
	}
	return parley.Clock{Parties: len(m.profiles), Rounds: m.opts.Deadline, Cost: m.opts.RoundCost, Offset: m.opts.RoundOffset,
		Total: m.opts.TotalRounds, GENIUS: m.opts.Timing == TimingGENIUS}
}

// startTime is the normalised time at which the negotiation opens.
func (m *Mechanism) startTime() float64 { return m.clock().Start() }

// end fills in res for a negotiation that ended after steps turns at time t.
func (m *Mechanism) end(res *parley.Result, why parley.Reason, party, steps int, t float64) {
	n := len(m.profiles)
	res.Reason, res.Party, res.Steps, res.Time = why, party, steps, t
	res.Rounds = (max(steps, 1)-1)/n + 1
	for i, p := range m.profiles {
		u := p.ReservationAt(t)
		if why == parley.ReasonAgreement {
			u = p.Utility.Utility(res.Agreement)
		}
		res.Utilities[i] = u
		res.Discounted[i] = p.Discounted(u, t)
	}
}

// progress records that party p offered o in round r: every other party
// for which o beats all earlier offers has made progress.
func (m *Mechanism) progress(p int, o parley.Outcome, r int) {
	for i, pr := range m.profiles {
		if i == p || pr.Hazard == 0 {
			continue
		}
		if u := pr.Utility.Utility(o); u > m.best[i]+parley.Eps {
			m.best[i], m.improved[i] = u, r
		}
	}
}

// hazardWalk draws, at the start of round r, whether a party that has seen
// no progress in the last HazardWindow completed rounds walks away; it
// returns the party or -1.
func (m *Mechanism) hazardWalk(r int) int {
	for i, pr := range m.profiles {
		if pr.Hazard > 0 && r-1-m.improved[i] >= m.hazardWin && m.hzRand.Float64() < pr.Hazard {
			return i
		}
	}
	return -1
}

func (m *Mechanism) init(ctx context.Context, n parley.Negotiator, s *parley.Session) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	if m.opts.TurnTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, m.opts.TurnTimeout)
		defer cancel()
	}
	return n.Init(ctx, s)
}

// timedAct asks n for its action within TurnTimeout, turning an overrun
// turn into an error (a panic is turns' to recover).
func (m *Mechanism) timedAct(ctx context.Context, n parley.Negotiator, st *parley.State) (parley.Action, error) {
	tctx, cancel := context.WithDeadline(ctx, m.opts.Now().Add(m.opts.TurnTimeout))
	defer cancel()
	a, err := n.Act(tctx, st)
	if err == nil && tctx.Err() != nil {
		err = fmt.Errorf("turn timed out after %v", m.opts.TurnTimeout)
	}
	return a, err
}

// finish tells every seat that implements parley.Finisher what it may know
// of the end: the public facts and its own result.
func (m *Mechanism) finish(ctx context.Context, negs []parley.Negotiator, res *parley.Result) {
	for i, n := range negs {
		if f, ok := n.(parley.Finisher); ok {
			func() {
				defer func() { _ = recover() }()
				f.Finish(ctx, res.EndingFor(i))
			}()
		}
	}
}
