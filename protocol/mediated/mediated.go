// Package mediated implements single-text mediation (Klein, Faratin, Sayama
// and Bar-Yam, "Negotiating Complex Contracts", Group Decision and
// Negotiation 12(2), 2003; Raiffa's one-text procedure): a mediator holds one negotiating
// text and proposes changes to it; the parties vote on every proposal, and a
// proposal the acceptance rule approves becomes the new text. At the end the
// parties vote once more, on the text itself, and a unanimous final vote
// makes it the agreement.
//
// The two roles it calls, Voter and Mediator, are parley.Voter and
// parley.Mediator (declared at the root, where this package and the
// strategies meet); the package declares three optional mediator
// capabilities (Adopter, Caller, Locker), which strategies satisfy
// structurally, without importing it. The voting rule and information
// level are parley.Rule and parley.Info, the words of a scenario's
// mediated stage. For in-process strategies a run allocates only when it
// starts: rounds allocate nothing.
package mediated

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/internal/seat"
)

// Voter is a party's seat: parley.Voter, declared at the root where this
// package and the strategies that implement it meet.
type Voter = parley.Voter

// Mediator holds the pen: parley.Mediator, declared at the root where this
// package and the strategies that implement it meet.
type Mediator = parley.Mediator

// Adopter is implemented by mediators that decide, under parley.RuleMediator,
// whether a proposal that not every party accepted becomes the text (an
// annealing mediator). The mechanism calls Adopt after the votes, with
// st.Standing the proposal and st.Votes the votes on it; a unanimous
// proposal is adopted without asking.
type Adopter interface {
	Adopt(ctx context.Context, st *parley.State) bool
}

// Caller is implemented by mediators that may call the final vote early,
// when they have nothing better to propose. The mechanism asks after every
// round (st.Votes hold the round's votes, st.Text the text after it); when
// CallVote returns true every party votes on the text as in the final vote,
// and a unanimous vote ends the run in agreement at the end of that round.
// A failed early vote does not end the run. With Options.NoFinalVote the
// mechanism never asks.
type Caller interface {
	CallVote(ctx context.Context, st *parley.State) bool
}

// Locker is implemented by mediators that want to know which issues are
// locked (Options.Locked), so as to leave them alone. The mechanism calls
// Lock before Init in every run with the mediator's own copy of the list,
// reused between runs: changing it changes nothing but that copy, and it
// must not be kept after the run.
type Locker interface {
	Lock(issues []int)
}

// Options configure a Mechanism. Rounds is required; every other zero value
// is a default.
type Options struct {
	// Rounds is the number of proposals in this negotiation (or stage).
	Rounds int
	// RoundOffset and TotalRounds place the negotiation on a longer clock
	// (a stage of a staged protocol), in units of which each round takes
	// RoundCost (0 means 1; parley.Clock): round r, from 0, is at
	// normalised time t = (RoundOffset + RoundCost·r)/TotalRounds, and the
	// final vote at (RoundOffset + RoundCost·Rounds)/TotalRounds.
	// TotalRounds 0 means RoundCost·Rounds.
	RoundOffset, TotalRounds, RoundCost int
	// Rule says which proposals become the text (default parley.RuleUnanimous).
	Rule parley.Rule
	// Info says what the mediator sees of the parties' preferences
	// (default parley.InfoVotes: votes only).
	Info parley.Info
	// Noise is the standard deviation σ of the noise on declared profiles
	// (parley.InfoDeclared), drawn afresh in every run from the run's
	// seed. For a linear-additive profile (parley.Additive, also behind a
	// prepared table) each issue's share of the weights and every value's
	// evaluation, relative to the best value of its issue, are perturbed
	// by N(0, σ) (clipped; the weights keep their sum), and the declared
	// profile is still linear-additive; any other profile has every
	// outcome's utility perturbed and clipped to [0,1]. The declared
	// reservation value is perturbed by N(0, σ) (clipped to [0,1]), each
	// red line is dropped with probability σ, and with probability σ one
	// false red line is added on a uniformly drawn value.
	Noise float64
	// Start, when HasStart is set, is the starting text (carried over from
	// an earlier stage, or a reference text); otherwise the text starts as
	// a uniformly random outcome drawn from the run's seed.
	Start    parley.Outcome
	HasStart bool
	// Locked lists issues (indices into the space) fixed to the starting
	// text's values: a proposal that changes one is a mediator error.
	Locked []int
	// NoFinalVote skips the final vote: the text is then the agreement if
	// some vote adopted it during the run (and it crosses no party's red
	// line). By default a final unanimous vote (State.Final) decides.
	NoFinalVote bool
	// HazardWindow is the number of rounds without the text improving for
	// a party after which a voter with a walk-away hazard
	// (Profile.Hazard) walks away, and a mediator with one steps back,
	// with that probability per round (default 5, as in package sao).
	HazardWindow int
	// Trace, when set, is called with every action: a proposal as Party
	// -1, Action Offer; a vote as Party = the voter, Action Accept or
	// Reject, Outcome the proposal (or, in a final vote, the text); a
	// voter leaving as Action End; the mediator stepping back as Party -1,
	// Action End. The final vote is traced with Round = Rounds, and a vote
	// called early (Caller) with the round it follows.
	Trace func(parley.Event)
}

// Validate names the first bad option (the space-dependent ones, Start and
// Locked, are checked by New).
func (o *Options) Validate() error {
	switch {
	case o.Rounds <= 0:
		return fmt.Errorf("mediated: rounds = %d, want at least 1", o.Rounds)
	case o.RoundOffset < 0 || o.TotalRounds < 0 || o.RoundCost < 0:
		return errors.New("mediated: negative round offset, total rounds or round cost")
	case o.TotalRounds > 0 && o.RoundOffset+max(o.RoundCost, 1)*o.Rounds > o.TotalRounds:
		return fmt.Errorf("mediated: units %d..%d exceed the total of %d", o.RoundOffset, o.RoundOffset+max(o.RoundCost, 1)*o.Rounds, o.TotalRounds)
	case o.Rule > parley.RuleMediator:
		return fmt.Errorf("mediated: unknown rule %d", o.Rule)
	case o.Info > parley.InfoSelfReport:
		return fmt.Errorf("mediated: unknown information level %d", o.Info)
	case math.IsNaN(o.Noise) || math.IsInf(o.Noise, 0) || o.Noise < 0:
		return fmt.Errorf("mediated: noise %v, want a non-negative number", o.Noise)
	case o.HazardWindow < 0:
		return fmt.Errorf("mediated: hazard window %d is negative", o.HazardWindow)
	}
	return nil
}

// Seeded streams (rng sub-stream indices) of a run.
const (
	streamVoter    = 1 << 33 // + voter index
	streamMediator = 1<<33 - 1
	streamMech     = 1 << 34 // starting text and hazards
	streamNoise    = 1<<34 + 1
)

// Mechanism runs single-text mediations between fixed profiles. It keeps
// its buffers between runs; it is not safe for concurrent use (use one
// Mechanism per goroutine).
type Mechanism struct {
	opts     Options
	profiles []*parley.Profile
	names    []string
	med      *parley.Profile // the mediator's profile, or a no-interest stub
	space    *parley.OutcomeSpace
	total    int
	endT     float64
	tick     parley.Ticker // the clock, prepared (Clock.Ticker)

	state    parley.State // authoritative: seats see copies (views)
	views    seat.Views   // voters, then the mediator
	copies   seat.Copies  // voters, then the mediator
	declCopy seat.Copies  // the mediator's copies of the true profiles (parley.InfoFull)
	declOut  []*parley.Profile
	votes    []parley.Vote
	sessions []parley.Session // voters, then the mediator
	pcgs     []rand.PCG
	rands    []*rand.Rand
	mech     rand.PCG
	mechRand *rand.Rand
	noise    rand.PCG

	lockVals  []int
	lockCopy  []int // the Locker's copy of opts.Locked
	hazard    bool
	hazardWin int
	best      []float64 // per voter, then the mediator: best text utility so far
	improved  []int     // the last round in which the text improved for it

	base []*parley.Profile // Declared (copied per run): the true profiles, or the self-reports
	decl []declSource      // per voter with noisy declared profiles: how to perturb its profile

	calling uint8 // the seat's call that is running (rounds' recover)
}

// New returns a mechanism for the given voters' profiles (in voting order)
// and names. mediator is the mediator's own profile (its interests, and its
// Hazard of stepping back); nil means a mediator without interests, whose
// session then holds a stub profile over the same space with utility 0
// everywhere, so that it still learns the space.
func New(profiles []*parley.Profile, names []string, mediator *parley.Profile, opts Options) (*Mechanism, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if err := parley.CheckParties(profiles, names); err != nil {
		return nil, fmt.Errorf("mediated: %w", err)
	}
	space := profiles[0].Space
	if mediator == nil {
		mediator = &parley.Profile{Name: "mediator", Space: space,
			Utility: parley.UtilityFunc(func(parley.Outcome) float64 { return 0 })}
	} else if mediator.Utility == nil || mediator.Space != space {
		return nil, errors.New("mediated: mediator profile without utility or over another outcome space")
	}
	if opts.HasStart && !space.Valid(opts.Start) {
		return nil, fmt.Errorf("mediated: start text: %w", space.Check(opts.Start))
	}
	seen := make(map[int]bool, len(opts.Locked))
	for _, i := range opts.Locked {
		if i < 0 || i >= len(space.Issues) {
			return nil, fmt.Errorf("mediated: locked issue %d outside the %d issues", i, len(space.Issues))
		}
		if seen[i] {
			return nil, fmt.Errorf("mediated: locked issue %q given twice", space.Issues[i].Name)
		}
		seen[i] = true
	}
	opts.Locked = append([]int(nil), opts.Locked...) // the caller's slice may change later
	n := len(profiles)
	own := make([]*parley.Profile, n)
	for i, p := range profiles {
		own[i] = seat.Clone(p)
	}
	profiles, mediator = own, seat.Clone(mediator)
	names = append([]string(nil), names...)
	m := &Mechanism{opts: opts, profiles: profiles, names: names, med: mediator, space: space,
		total: opts.TotalRounds, votes: make([]parley.Vote, n),
		sessions: make([]parley.Session, n+1), pcgs: make([]rand.PCG, n+1), rands: make([]*rand.Rand, n+1),
		lockVals: make([]int, len(opts.Locked)), hazardWin: opts.HazardWindow,
		best: make([]float64, n+1), improved: make([]int, n+1)}
	if m.total == 0 {
		m.total = max(opts.RoundCost, 1) * opts.Rounds
	}
	m.endT = m.clock().End()
	m.tick = m.clock().Ticker()
	if m.hazardWin == 0 {
		m.hazardWin = 5
	}
	for i := range m.rands {
		m.rands[i] = rand.New(&m.pcgs[i])
	}
	m.mechRand = rand.New(&m.mech)
	for _, p := range profiles {
		m.hazard = m.hazard || p.Hazard > 0
	}
	m.hazard = m.hazard || mediator.Hazard > 0
	m.state.Votes = make([]parley.Vote, n)
	m.state.Offers = make([]parley.OfferRecord, 0, opts.Rounds)
	m.views.Reset(n+1, opts.Rounds)
	m.copies.Reset(n + 1)
	m.declCopy.Reset(n)
	m.declOut = make([]*parley.Profile, n)
	switch {
	case opts.Info == parley.InfoDeclared && opts.Noise > 0:
		m.decl = make([]declSource, n)
		for i, p := range profiles {
			m.decl[i] = newDeclSource(space, p.Utility)
		}
	case opts.Info == parley.InfoDeclared || opts.Info == parley.InfoFull:
		m.base = profiles
	case opts.Info == parley.InfoSelfReport:
		m.base = make([]*parley.Profile, n)
		for i, p := range profiles {
			d := newDeclSource(space, p.Utility)
			m.base[i] = report(space, p, &d)
		}
	}
	return m, nil
}

// time returns the normalised time of round r (from 0).
func (m *Mechanism) time(r int) float64 { return m.tick.At(r) }

// clock is the Clock the seats get: one "turn" per round of mediation, so
// Clock.At(r) is time(r) and Clock.End the time of the final vote.
func (m *Mechanism) clock() parley.Clock {
	return parley.Clock{Parties: 1, Rounds: m.opts.Rounds, Cost: m.opts.RoundCost, Offset: m.opts.RoundOffset, Total: m.total}
}

// Run mediates once: voters[i] votes for profiles[i], med holds the text.
// Every random choice (the starting text, hazards, noise, and the seats'
// Session.Rand streams) comes from seed: the same seed gives the same run.
// Run returns an error only for a misuse (wrong number of seats, a nil
// seat, a cancelled ctx); a failing voter or mediator ends the run with
// parley.ReasonError, Result.Party naming the voter (-1 for the mediator)
// and Result.Err saying what went wrong.
//
// The voters' sessions have Party = their index and Names = the voters'
// names; the mediator's session has Party = -1, the same Names, Profile =
// its own profile (see New), and Declared as Options.Info says.
func (m *Mechanism) Run(ctx context.Context, voters []Voter, med Mediator, seed uint64) (*parley.Result, error) {
	n := len(m.profiles)
	if len(voters) != n {
		return nil, fmt.Errorf("mediated: %d voters for %d parties", len(voters), n)
	}
	if med == nil {
		return nil, errors.New("mediated: no mediator")
	}
	for i, v := range voters {
		if v == nil {
			return nil, fmt.Errorf("mediated: party %q: no voter", m.names[i])
		}
	}
	res := &parley.Result{Agreement: parley.NoOutcome, Party: -1,
		Utilities: make([]float64, n), Discounted: make([]float64, n)}
	st := &m.state

	rng.Reseed(&m.mech, seed, streamMech)
	start := m.opts.Start
	if !m.opts.HasStart {
		start = parley.Outcome(m.mechRand.IntN(m.space.Size()))
	}
	for j, i := range m.opts.Locked {
		m.lockVals[j] = m.space.ValueIndex(start, i)
	}
	m.views.Reset(n+1, cap(st.Offers))
	*st = parley.State{Deadline: m.opts.Rounds, Parties: n, Me: -1, Standing: parley.NoOutcome, Proposer: -1,
		Text: start, Votes: st.Votes, Offers: st.Offers[:0]}
	clear(st.Votes)

	// Sessions: the mediator first (Lock, then Init), then the voters.
	ms := &m.sessions[n]
	rng.Reseed(&m.pcgs[n], seed, streamMediator)
	*ms = parley.Session{Party: -1, Names: m.copies.Names(n, m.names), Profile: m.copies.Profile(n, m.med), Deadline: m.opts.Rounds,
		Clock: m.clock(), Protocol: "mediated", Rand: m.rands[n], Declared: m.declared(seed)}
	for _, d := range ms.Declared {
		if d != nil {
			d.Space = ms.Profile.Space // the mediator's own copy of the space
		}
	}
	if err := m.initMediator(ctx, med, ms); err != nil {
		res.Err = fmt.Errorf("mediated: mediator: init: %w", err)
		m.end(res, parley.ReasonError, -1, 0, m.time(0))
		return res, nil
	}
	for i, v := range voters {
		rng.Reseed(&m.pcgs[i], seed, streamVoter+uint64(i))
		m.sessions[i] = parley.Session{Party: i, Names: m.copies.Names(i, m.names), Profile: m.copies.Profile(i, m.profiles[i]), Deadline: m.opts.Rounds,
			Clock: m.clock(), Protocol: "mediated", Rand: m.rands[i]}
		if err := protect(func() error { return v.Init(ctx, &m.sessions[i]) }); err != nil {
			res.Err = fmt.Errorf("mediated: party %q: init: %w", m.names[i], err)
			m.end(res, parley.ReasonError, i, 0, m.time(0))
			return res, nil
		}
	}
	if m.hazard {
		for i, p := range m.profiles {
			m.best[i], m.improved[i] = p.Utility.Utility(start), 0
		}
		m.best[n], m.improved[n] = m.med.Utility.Utility(start), 0
	}
	if err := m.rounds(ctx, voters, med, res, start); err != nil {
		return nil, err
	}
	return res, nil
}

// rounds plays the run's rounds and its final vote into res; it returns an
// error only when ctx is cancelled. A seat that panics (the mediator in
// Propose, Adopt or CallVote, a voter in Vote) ends the run with
// parley.ReasonError at its own call, as an error it returned would: the
// one deferred recover here stands for one per call (m.calling says which
// seat's call was running; any other panic, say in a Trace callback, goes
// on up).
func (m *Mechanism) rounds(ctx context.Context, voters []Voter, med Mediator, res *parley.Result, start parley.Outcome) error {
	st := &m.state
	n := len(m.profiles)
	m.calling = callNone
	defer func() {
		c := m.calling
		if c == callNone {
			return
		}
		m.calling = callNone
		m.seatPanic(res, c, recover())
	}()
	adopter, _ := med.(Adopter)
	caller, _ := med.(Caller)
	if m.opts.NoFinalVote {
		caller = nil
	}
	adopted := false // some vote adopted the text (NoFinalVote)

	for r := 0; r < m.opts.Rounds; r++ {
		t := m.time(r)
		if r&255 == 255 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("mediated: %w", err)
			}
		}
		st.Round, st.Time, st.Me, st.Final = r, t, -1, false
		if m.hazard && r > 0 {
			if w := m.hazardDraw(r); w >= 0 {
				why := parley.ReasonWalkAway
				if w == n {
					w, why = -1, parley.ReasonMediatorExit
				}
				m.traceEnd(st, w)
				m.end(res, why, w, r+1, t)
				return nil
			}
		}

		prop, err := m.propose(ctx, med, st)
		if err == nil && prop != parley.NoOutcome {
			err = m.checkProposal(prop, start)
		}
		if err != nil {
			res.Err = fmt.Errorf("mediated: mediator: %w", err)
			st.Step++ // the turn that failed counts, as in protocol sao
			m.end(res, parley.ReasonError, -1, r+1, t)
			return nil
		}
		if prop == parley.NoOutcome {
			m.traceEnd(st, -1)
			m.end(res, parley.ReasonMediatorExit, -1, r+1, t)
			return nil
		}
		m.trace(st, -1, parley.Offer, prop)
		st.Offers = append(st.Offers, parley.OfferRecord{Party: -1, Outcome: prop, Step: st.Step, Round: r, Time: t})
		st.Step++
		st.Standing = prop

		accepts, stop := m.poll(ctx, voters, st, res, r)
		if stop {
			return nil
		}
		ok := accepts == n
		switch {
		case ok:
		case m.opts.Rule == parley.RuleMajority:
			ok = 2*accepts > n
		case m.opts.Rule == parley.RuleMediator && adopter != nil:
			ok = m.ask(ctx, adopter.Adopt, callAdopt, st)
		}
		if ok {
			st.Text, adopted = prop, true
			if m.hazard {
				m.progress(prop, r)
			}
		}
		st.Me = -1
		if caller != nil {
			if m.ask(ctx, caller.CallVote, callCallVote, st) && m.finalVote(ctx, voters, st, res, r, m.time(r+1)) {
				return nil
			}
		}
	}

	R := m.opts.Rounds
	if m.opts.NoFinalVote {
		if adopted && !m.vetoed(st.Text) {
			res.Agreement = st.Text
			m.end(res, parley.ReasonAgreement, -1, R, m.endT)
		} else {
			m.end(res, parley.ReasonDeadline, -1, R, m.endT)
		}
		return nil
	}
	if !m.finalVote(ctx, voters, st, res, R, m.endT) {
		m.end(res, parley.ReasonDeadline, -1, R, m.endT)
	}
	return nil
}

// poll collects every voter's vote on st.Standing. It returns the number
// of accepts, and stop = true when the run ended (res filled in).
func (m *Mechanism) poll(ctx context.Context, voters []Voter, st *parley.State, res *parley.Result, r int) (accepts int, stop bool) {
	for i, v := range voters {
		st.Me = i
		view := m.views.Of(i, st)
		view.Accepts = 0 // a count of the others' votes: the mediator's to know
		vote, err := m.vote(ctx, v, view)
		if err == nil && vote.Accept && m.profiles[i].Vetoed(st.Standing) {
			err = errors.New("accepted an outcome that crosses its own red line")
		}
		if err != nil {
			res.Err = fmt.Errorf("mediated: party %q: %w", m.names[i], err)
			st.Step++ // the turn that failed counts, as in protocol sao
			m.end(res, parley.ReasonError, i, r+1, st.Time)
			return 0, true
		}
		if vote.Leave {
			m.traceEnd(st, i)
			m.end(res, parley.ReasonWalkAway, i, r+1, st.Time)
			return 0, true
		}
		kind := parley.Reject
		if vote.Accept {
			kind = parley.Accept
			accepts++
		}
		m.trace(st, i, kind, st.Standing)
		st.Step++
		m.votes[i] = vote
	}
	copy(st.Votes, m.votes)
	st.Accepts = accepts
	if m.opts.Info == parley.InfoNothing {
		clear(st.Votes)
		st.Accepts = 0
	}
	return accepts, false
}

// finalVote puts the text to a binding vote at time t (traced as round r).
// It returns true when the run ended: in agreement, or because a voter
// failed or left (res filled in). A vote that simply fails returns false.
func (m *Mechanism) finalVote(ctx context.Context, voters []Voter, st *parley.State, res *parley.Result, r int, t float64) bool {
	st.Round, st.Time, st.Final, st.Standing = r, t, true, st.Text
	accepts, stop := m.poll(ctx, voters, st, res, r)
	st.Final = false
	if stop {
		return true
	}
	if accepts < len(voters) {
		return false
	}
	res.Agreement = st.Text
	m.end(res, parley.ReasonAgreement, -1, min(r+1, m.opts.Rounds), t)
	return true
}

// end fills in res for a run that ended in round rounds (from 1) at time t.
func (m *Mechanism) end(res *parley.Result, why parley.Reason, party, rounds int, t float64) {
	res.Reason, res.Party, res.Rounds, res.Steps, res.Time = why, party, max(rounds, 1), m.state.Step, t
	for i, p := range m.profiles {
		u := p.ReservationAt(t)
		if why == parley.ReasonAgreement {
			u = p.Utility.Utility(res.Agreement)
		}
		res.Utilities[i] = u
		res.Discounted[i] = p.Discounted(u, t)
	}
}

// checkProposal reports a proposal outside the space or one that changes a
// locked issue.
func (m *Mechanism) checkProposal(o, start parley.Outcome) error {
	if !m.space.Valid(o) {
		return fmt.Errorf("invalid proposal: %w", m.space.Check(o))
	}
	for j, i := range m.opts.Locked {
		if m.space.ValueIndex(o, i) != m.lockVals[j] {
			return fmt.Errorf("proposal changes locked issue %q", m.space.Issues[i].Name)
		}
	}
	return nil
}

// vetoed reports whether o crosses any voter's red line.
func (m *Mechanism) vetoed(o parley.Outcome) bool {
	for _, p := range m.profiles {
		if p.Vetoed(o) {
			return true
		}
	}
	return false
}

// progress records that the text became o in round r.
func (m *Mechanism) progress(o parley.Outcome, r int) {
	n := len(m.profiles)
	for i := 0; i <= n; i++ {
		p := m.med
		if i < n {
			p = m.profiles[i]
		}
		if p.Hazard == 0 {
			continue
		}
		if u := p.Utility.Utility(o); u > m.best[i]+parley.Eps {
			m.best[i], m.improved[i] = u, r
		}
	}
}

// hazardDraw draws, at the start of round r, whether a voter (in order)
// walks away or the mediator (returned as len(profiles)) steps back after
// the hazard window without progress; it returns -1 when nobody does.
func (m *Mechanism) hazardDraw(r int) int {
	n := len(m.profiles)
	for i := 0; i <= n; i++ {
		p := m.med
		if i < n {
			p = m.profiles[i]
		}
		if p.Hazard > 0 && r-m.improved[i] >= m.hazardWin && m.mechRand.Float64() < p.Hazard {
			return i
		}
	}
	return -1
}

// traceEnd traces party's walk-away (-1: the mediator's exit) and counts
// it as a step, as every traced action is (parley.Result.Steps).
func (m *Mechanism) traceEnd(st *parley.State, party int) {
	m.trace(st, party, parley.End, parley.NoOutcome)
	st.Step++
}

func (m *Mechanism) trace(st *parley.State, party int, kind parley.ActionKind, o parley.Outcome) {
	if m.opts.Trace != nil {
		m.opts.Trace(parley.Event{Step: st.Step, Round: st.Round, Time: st.Time, Party: party, Action: kind, Outcome: o})
	}
}

// protect runs f, turning a panic into an error.
func protect(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}

func (m *Mechanism) initMediator(ctx context.Context, med Mediator, s *parley.Session) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	if l, ok := med.(Locker); ok {
		// The mediator's own copy: unlocking an issue by writing to it
		// must not reach checkProposal.
		m.lockCopy = append(m.lockCopy[:0], m.opts.Locked...)
		l.Lock(m.lockCopy[:len(m.lockCopy):len(m.lockCopy)])
	}
	return med.Init(ctx, s)
}

// Seats' calls during the rounds, for rounds' one recover: which one is
// running (Mechanism.calling).
const (
	callNone uint8 = iota
	callPropose
	callVote
	callAdopt
	callCallVote
)

// seatPanic ends the run for the seat whose call c panicked with r, as
// the error it would have returned does: at st.Round and st.Time, the
// round and time the call was shown, with a failed turn (a proposal or a
// vote) counted as a step.
func (m *Mechanism) seatPanic(res *parley.Result, c uint8, r any) {
	st := &m.state
	party := -1
	switch c {
	case callPropose:
		res.Err = fmt.Errorf("mediated: mediator: panic: %v", r)
		st.Step++ // the turn that failed counts, as in protocol sao
	case callVote:
		party = st.Me
		res.Err = fmt.Errorf("mediated: party %q: panic: %v", m.names[party], r)
		st.Step++
	case callAdopt:
		res.Err = fmt.Errorf("mediated: mediator: adopt: panic: %v", r)
	case callCallVote:
		res.Err = fmt.Errorf("mediated: mediator: call vote: panic: %v", r)
	}
	st.Final = false
	m.end(res, parley.ReasonError, party, st.Round+1, st.Time)
}

// The per-round calls mark which seat is running for rounds' recover.

func (m *Mechanism) propose(ctx context.Context, med Mediator, st *parley.State) (parley.Outcome, error) {
	view := m.mediatorView(st)
	m.calling = callPropose
	o, err := med.Propose(ctx, view)
	m.calling = callNone
	return o, err
}

// mediatorView is the mediator's private copy of st, with the votes it may
// see (none under parley.InfoNothing: poll has cleared them).
func (m *Mechanism) mediatorView(st *parley.State) *parley.State {
	return m.views.OfWithVotes(len(m.profiles), st, st.Votes)
}

func (m *Mechanism) vote(ctx context.Context, v Voter, st *parley.State) (parley.Vote, error) {
	m.calling = callVote
	vote, err := v.Vote(ctx, st)
	m.calling = callNone
	return vote, err
}

// ask puts the mediator's yes-or-no call c (Adopt, CallVote) to q on its
// view of st.
func (m *Mechanism) ask(ctx context.Context, q func(context.Context, *parley.State) bool, c uint8, st *parley.State) bool {
	view := m.mediatorView(st)
	m.calling = c
	ok := q(ctx, view)
	m.calling = callNone
	return ok
}
