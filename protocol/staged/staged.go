// Package staged runs a negotiation whose shape changes mid-run: an ordered
// list of stages, each an alternating-offers (package sao) or a mediated
// (package mediated) negotiation among some of the parties, on one global
// clock. The design follows the Russia–Ukraine ceasefire scenario (the
// built-in ceasefire, catalog/scenarios/ceasefire.yaml): the two sides talk
// directly first and, if that fails, a mediator with interests of its own
// takes over.
//
// Time. Stage k starts at the global round where stage k−1 ended and runs
// at most its own Rounds; normalised time is global round / total, where
// total is the sum of the plan's stage rounds. Discounting, reservation
// drift and time-dependent strategies all see this one clock, so a deal
// in the second stage is discounted for the time spent in the first.
//
// Transitions. A stage hands over to the next when its rounds run out
// (parley.TransitionDeadline), when no participant has seen progress for K rounds
// (parley.TransitionStall; progress is an offer from another participant, or a
// new text, better for the participant than any before in the stage), or,
// in alternating offers, when every participant asks to move on in one
// round (parley.TransitionAllRequest, below). A mediated stage whose final vote
// fails, or whose mediator steps back, also hands over. A walk-away ends
// the run, unless the stage's OnWalkAwayNext probability (drawn from the
// seed) sends it on to the next stage. An agreement ends the run and is put
// to ratification.
//
// Carry-over. parley.CarryBestAcceptable hands the next stage the offer or text,
// made during the stage, that every participant found acceptable
// (parley.Profile.Acceptable: within its red lines and worth its drifting
// reservation value) at the time it was made, with the highest Nash
// product over those reservation values: a standing offer every party must
// accept in alternating offers (sao.Options.Start), the starting text of a
// mediated stage. parley.CarryPartialIssues does the same and also locks the
// issues on which the participants' latest offers agree (from an
// alternating-offers stage; a mediated stage locks nothing): a next
// mediated stage gets them in mediated.Options.Locked, with a starting text
// that holds them (the best acceptable offer with the locked values set,
// or else the last offer made); a next alternating-offers stage cannot
// lock issues, so it gets only the best acceptable offer as its standing
// offer. Result.Locked lists the locked issues.
//
// parley.TransitionAllRequest. In an alternating-offers stage with this rule a
// participant's End is a request to move on, not a walk-away. When every
// participant has requested in turn, one full round of turns with nothing
// else in between, the stage hands over. A request that does not complete
// such a round stands in for the party's turn as a repeat of its latest
// offer in the stage (or, with none, of its best outcome within its red
// lines). Only the walk-away hazard (parley.Profile.Hazard) can then end
// such a stage by walking away.
//
// Ratification. An agreement is ratified by every party with probability
// parley.Profile.RatifyProb, each drawn from the seed; if any vote fails,
// the agreement stands in Result.Agreement but every party gets its
// reservation value, and Reason is parley.ReasonRatificationFailed.
package staged

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/sao"
)

// Plan is an ordered list of stages. The global clock's total is the sum
// of the stages' rounds.
type Plan struct {
	// Stages run in order. A stage with parley.StartReference opens with
	// its Reference outcome.
	Stages []parley.Stage
	// HazardWindow is the number of rounds without improvement after which
	// a party with a walk-away hazard (parley.Profile.Hazard) may walk away
	// (sao.Options.HazardWindow, mediated.Options.HazardWindow; 0: their
	// default).
	HazardWindow int
	// Trace, when set, is called with every event of every stage (as the
	// stage's mechanism reports it, Party being the stage's own index of
	// the participant, -1 for the mediator) and the stage's index.
	Trace func(stage int, e parley.Event)
	// StageStart, when set, is called as each stage begins with the
	// stage's index and the global rounds used before it (the stage's
	// round r, counted from 0 as events count it, is global round
	// offset+r), so that traces can show both.
	StageStart func(stage, offset int)
	// Carried, when set, is called as a stage begins (before StageStart)
	// that opens with what the previous stage handed over (parley.Carry):
	// start is the standing offer or starting text carried over
	// (NoOutcome when the stage opens with its own text, random or its
	// Reference, holding only the locked values), locked the issues
	// locked to its values, ascending as the stage locks them (nil when
	// none). A stage that opens with nothing carried over gets no call.
	Carried func(stage int, start parley.Outcome, locked []int)
}

// Rounds returns the plan's total round budget.
func (p *Plan) Rounds() int {
	n := 0
	for _, st := range p.Stages {
		n += st.Rounds
	}
	return n
}

// Units returns the length of the plan's clock: the sum of its stages'
// rounds × round cost (parley.Stage.RoundCost).
func (p *Plan) Units() int {
	n := 0
	for _, st := range p.Stages {
		n += st.Rounds * max(st.RoundCost, 1)
	}
	return n
}

// Validate names the first broken rule of the plan's stages for a
// negotiation among the parties called names over space (nil: start
// references unchecked): parley.CheckStages, the one validator that
// scenario files pass too.
func (p *Plan) Validate(names []string, space *parley.OutcomeSpace) error {
	if err := parley.CheckStages(p.Stages, names, space); err != nil {
		return fmt.Errorf("staged: %w", err)
	}
	if p.HazardWindow < 0 {
		return fmt.Errorf("staged: hazard window %d is negative", p.HazardWindow)
	}
	return nil
}

// Seats are the parties' seats, by party index: a Negotiator for every
// party in an SAO stage, a Voter for every participant of a mediated stage,
// and the Mediator of every mediated stage. Unused entries may be nil. The
// same seat takes part in every stage it belongs to: Run calls Init at the
// start of each.
type Seats struct {
	Negotiators []parley.Negotiator
	Voters      []mediated.Voter
	Mediator    mediated.Mediator
}

// Result is how a staged run ended. The embedded parley.Result is over all
// parties, by party index: Utilities[i] is party i's utility of a ratified
// agreement or else its reservation value at the end time r(t) (parties
// outside the last stage included, such as a mediator), Discounted the
// same discounted at Time; Rounds and Time are on the global clock, Steps
// the turns and votes of every stage; Party is the party (by index) that
// accepted last, walked away, stepped back or failed, or -1. Reason is
// why the run ended: ReasonAgreement (a ratified agreement),
// ReasonDeadline (the last stage ended without agreement, also by its
// transition rule), ReasonWalkAway, ReasonMediatorExit (the last stage's
// mediator stepped back), ReasonRatificationFailed or ReasonError.
type Result struct {
	parley.Result
	// Ratified reports an agreement that every party ratified.
	Ratified bool
	// Stage is the index of the stage in which the run ended, StageName its
	// name.
	Stage     int
	StageName string
	// Locked lists the issues locked by CarryPartialIssues during the run,
	// ascending.
	Locked []int
}

// Seeded streams of a run (rng sub-stream indices). A stage's mechanism
// runs with a seed keyed by the stage's name (stageSeed), not by its
// position, so that the same stage draws the same numbers in every plan
// that contains it.
const (
	streamRatify = 1<<40 + iota
	streamWalk
	streamStart
)

// Run negotiates once through plan's stages: profiles and names are every
// party's, by index; seats holds their seats. Every random choice comes
// from seed. Run returns an error for a misuse (an invalid plan, a missing
// seat, a cancelled ctx); a failing seat ends the run with
// parley.ReasonError.
func Run(ctx context.Context, profiles []*parley.Profile, names []string, plan Plan, seats Seats, seed uint64) (*Result, error) {
	n := len(profiles)
	if len(names) != n {
		return nil, fmt.Errorf("staged: %d names for %d parties", len(names), n)
	}
	if n < 2 {
		return nil, fmt.Errorf("staged: %d parties, need at least 2", n)
	}
	for i, p := range profiles {
		if p == nil || p.Utility == nil || p.Space == nil {
			return nil, fmt.Errorf("staged: party %q: %w", names[i], parley.ErrNoProfile)
		}
		if p.Space != profiles[0].Space {
			return nil, fmt.Errorf("staged: party %q: profile over another outcome space", names[i])
		}
	}
	space := profiles[0].Space
	if err := plan.Validate(names, space); err != nil {
		return nil, err
	}
	if err := checkSeats(plan, seats, names); err != nil {
		return nil, err
	}
	r := &runner{profiles: profiles, names: names, plan: plan, seats: seats, seed: seed, space: space,
		total: plan.Units(), walk: rng.New(seed, streamWalk), starts: rng.New(seed, streamStart)}
	res, err := r.run(ctx)
	if err != nil {
		return nil, err
	}
	r.ratify(res)
	finish(ctx, seats, &res.Result)
	return res, nil
}

func checkSeats(plan Plan, seats Seats, names []string) error {
	for _, st := range plan.Stages {
		for _, i := range st.Participants {
			switch st.Mechanism {
			case parley.MechanismAlternatingOffers:
				if i >= len(seats.Negotiators) || seats.Negotiators[i] == nil {
					return fmt.Errorf("staged: stage %q: party %q has no negotiator", st.Name, names[i])
				}
			case parley.MechanismMediated:
				if i >= len(seats.Voters) || seats.Voters[i] == nil {
					return fmt.Errorf("staged: stage %q: party %q has no voter", st.Name, names[i])
				}
			}
		}
		if st.Mechanism == parley.MechanismMediated && seats.Mediator == nil {
			return fmt.Errorf("staged: stage %q: no mediator", st.Name)
		}
	}
	return nil
}

// runner holds one run's state.
type runner struct {
	profiles []*parley.Profile
	names    []string
	plan     Plan
	seats    Seats
	seed     uint64
	space    *parley.OutcomeSpace
	total    int        // units of the clock (Plan.Units)
	walk     *rand.Rand // walk-away continuation draws
	starts   *rand.Rand // random starting texts drawn by Run

	elapsed int // global rounds used by the stages so far
	used    int // units of the clock used by the stages so far
	steps   int
	locked  []int
}

// carried is what one stage hands the next.
type carried struct {
	start    parley.Outcome
	has      bool
	locked   []int          // issue indices
	lockText parley.Outcome // a text holding the locked values, when locked is not empty
}

func (r *runner) run(ctx context.Context) (*Result, error) {
	var c carried
	for k := range r.plan.Stages {
		st := &r.plan.Stages[k]
		tk := newTracker(r, st)
		op := r.open(st, c)
		if r.plan.Carried != nil && (op.carried || len(op.locked) > 0) {
			start := parley.NoOutcome
			if op.carried {
				start = op.start
			}
			r.plan.Carried(k, start, slices.Clone(op.locked))
		}
		if r.plan.StageStart != nil {
			r.plan.StageStart(k, r.elapsed)
		}
		var sr *parley.Result
		var err error
		if st.Mechanism == parley.MechanismAlternatingOffers {
			sr, err = r.runSAO(ctx, k, st, tk, op)
		} else {
			sr, err = r.runMediated(ctx, k, st, tk, op)
		}
		if err != nil {
			return nil, err
		}
		r.steps += sr.Steps
		end := r.elapsed + sr.Rounds
		last := k == len(r.plan.Stages)-1
		res := &Result{Stage: k, StageName: st.Name}
		res.Result = parley.Result{Agreement: parley.NoOutcome, Reason: sr.Reason, Rounds: end, Steps: r.steps,
			Time: sr.Time, Party: -1, Err: sr.Err}
		if sr.Party >= 0 && sr.Party < len(st.Participants) {
			res.Party = st.Participants[sr.Party]
		} else if sr.Party == -1 && st.Mechanism == parley.MechanismMediated && (sr.Reason == parley.ReasonMediatorExit || sr.Reason == parley.ReasonError) {
			res.Party = st.Mediator
		}
		next := false
		switch {
		case tk.moved: // the stage's transition rule fired
			res.Reason, res.Party, next = parley.ReasonDeadline, -1, true
			end = r.elapsed + tk.movedAt
			res.Rounds = end
		case sr.Reason == parley.ReasonAgreement:
			res.Agreement = sr.Agreement
		case sr.Reason == parley.ReasonDeadline, sr.Reason == parley.ReasonMediatorExit:
			next = true
		case sr.Reason == parley.ReasonWalkAway:
			// One draw per walk-away, so that arms see the same stream.
			next = !last && st.OnWalkAwayNext > 0 && r.walk.Float64() < st.OnWalkAwayNext
		default:
			res.Reason = parley.ReasonError
		}
		r.used += (end - r.elapsed) * max(st.RoundCost, 1)
		r.elapsed = end
		if next && !last {
			c = tk.carry(st.Carry)
			r.lock(c.locked)
			continue
		}
		res.Locked = r.locked
		r.utilities(res)
		return res, nil
	}
	panic("unreachable") // the last stage always returns
}

// lock records locked issues for Result.Locked.
func (r *runner) lock(issues []int) {
	for _, i := range issues {
		if !slices.Contains(r.locked, i) {
			r.locked = append(r.locked, i)
		}
	}
	slices.Sort(r.locked)
}

// stageSeed is the seed of stage k's mechanism: sub-stream stageStream of
// the run's seed for the stage's name and its occurrence among the plan's
// stages of that name (0 for the first). Keying by name rather than by
// position gives a stage the same random draws (noise on declared
// profiles, random proposals, annealing draws) in every plan that contains
// it, so that arms of an experiment that share a stage differ only by
// what they do not share (common random numbers).
func (r *runner) stageSeed(k int) uint64 {
	name := r.plan.Stages[k].Name
	occ := 0
	for _, st := range r.plan.Stages[:k] {
		if st.Name == name {
			occ++
		}
	}
	return rng.Derive(r.seed, stageStream(name, occ))
}

// stageStream is the rng sub-stream index of the occ-th stage (from 0)
// named name in a plan: FNV-1a over the name, mixed with occ, its top bit
// set so that it never meets the run's other streams.
func stageStream(name string, occ int) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= prime
	}
	return (rng.SplitMix64(h^uint64(occ)) | 1<<63)
}

func (r *runner) trace(k int, own func(parley.Event)) func(parley.Event) {
	pt := r.plan.Trace
	switch {
	case pt == nil:
		return own
	case own == nil:
		return func(e parley.Event) { pt(k, e) }
	}
	return func(e parley.Event) { own(e); pt(k, e) }
}

// opening is what a stage opens with: its standing offer or starting
// text (has: one is set; carried: it is what the previous stage handed
// over), and the issues locked to its values.
type opening struct {
	start        parley.Outcome
	has, carried bool
	locked       []int
}

// open returns what stage st opens with, given what the previous stage
// carried (c). A mediated stage with a random start and locked issues
// draws its text here, to set the locked values.
func (r *runner) open(st *parley.Stage, c carried) opening {
	var op opening
	if st.Mechanism == parley.MechanismAlternatingOffers {
		switch {
		case st.Start.Kind == parley.StartReference:
			op.start, op.has = st.Reference, true
		case c.has:
			op.start, op.has, op.carried = c.start, true, true
		}
		return op
	}
	switch {
	case st.Start.Kind == parley.StartReference:
		op.start, op.has = st.Reference, true
	case st.Start.Kind == parley.StartRandom:
		if len(c.locked) > 0 {
			op.start, op.has = parley.Outcome(r.starts.IntN(r.space.Size())), true
		}
	case len(c.locked) > 0:
		op.start, op.has, op.carried = c.lockText, true, true
	case c.has:
		op.start, op.has, op.carried = c.start, true, true
	}
	if len(c.locked) > 0 {
		op.start = r.setValues(op.start, c.lockText, c.locked)
		op.locked = c.locked
	}
	return op
}

func (r *runner) runSAO(ctx context.Context, k int, st *parley.Stage, tk *tracker, op opening) (*parley.Result, error) {
	ps, ns := r.stageParties(st)
	opts := sao.Options{Deadline: st.Rounds, RoundOffset: r.used, TotalRounds: r.total, RoundCost: st.RoundCost,
		HazardWindow: r.plan.HazardWindow, Start: op.start, HasStart: op.has}
	if opts.HasStart {
		tk.opened(opts.Start, float64(r.used)/float64(r.total))
	}
	opts.Trace = r.trace(k, tk.saoEvent)
	m, err := sao.New(ps, ns, opts)
	if err != nil {
		return nil, fmt.Errorf("staged: stage %q: %w", st.Name, err)
	}
	negs := make([]parley.Negotiator, len(st.Participants))
	for j, i := range st.Participants {
		negs[j] = &seat{Negotiator: r.seats.Negotiators[i], tk: tk, me: j}
	}
	res, err := m.Run(ctx, negs, r.stageSeed(k))
	if err != nil {
		return nil, fmt.Errorf("staged: stage %q: %w", st.Name, err)
	}
	return res, nil
}

func (r *runner) runMediated(ctx context.Context, k int, st *parley.Stage, tk *tracker, op opening) (*parley.Result, error) {
	ps, ns := r.stageParties(st)
	opts := mediated.Options{Rounds: st.Rounds, RoundOffset: r.used, TotalRounds: r.total, RoundCost: st.RoundCost,
		Rule: st.Rule, Info: st.Info, Noise: st.Noise, NoFinalVote: st.NoFinalVote, HazardWindow: r.plan.HazardWindow,
		Start: op.start, HasStart: op.has, Locked: op.locked}
	opts.Trace = r.trace(k, nil)
	var med *parley.Profile
	if st.Mediator >= 0 {
		med = r.profiles[st.Mediator]
	}
	m, err := mediated.New(ps, ns, med, opts)
	if err != nil {
		return nil, fmt.Errorf("staged: stage %q: %w", st.Name, err)
	}
	voters := make([]mediated.Voter, len(st.Participants))
	for j, i := range st.Participants {
		voters[j] = &voter{Voter: r.seats.Voters[i], tk: tk, me: j}
	}
	res, err := m.Run(ctx, voters, r.seats.Mediator, r.stageSeed(k))
	if err != nil {
		return nil, fmt.Errorf("staged: stage %q: %w", st.Name, err)
	}
	return res, nil
}

// setValues returns o with the values of the given issues taken from src.
func (r *runner) setValues(o, src parley.Outcome, issues []int) parley.Outcome {
	vals := r.space.Decode(o, nil)
	for _, i := range issues {
		vals[i] = r.space.ValueIndex(src, i)
	}
	out, err := r.space.Encode(vals)
	if err != nil {
		return o // unreachable: the values come from valid outcomes
	}
	return out
}

func (r *runner) stageParties(st *parley.Stage) ([]*parley.Profile, []string) {
	ps := make([]*parley.Profile, len(st.Participants))
	ns := make([]string, len(st.Participants))
	for j, i := range st.Participants {
		ps[j], ns[j] = r.profiles[i], r.names[i]
	}
	return ps, ns
}

// utilities fills in every party's utility at the end of the run.
func (r *runner) utilities(res *Result) {
	n := len(r.profiles)
	res.Utilities, res.Discounted = make([]float64, n), make([]float64, n)
	for i, p := range r.profiles {
		u := p.ReservationAt(res.Time)
		if res.Agreement != parley.NoOutcome {
			u = p.Utility.Utility(res.Agreement)
		}
		res.Utilities[i] = u
		res.Discounted[i] = p.Discounted(u, res.Time)
	}
}

// ratify puts an agreement to every party's ratification: one draw per
// party whose probability is below 1, in party order, all drawn even after
// a failure so that every run uses the stream alike.
func (r *runner) ratify(res *Result) {
	if res.Reason != parley.ReasonAgreement {
		return
	}
	rr := rng.New(r.seed, streamRatify)
	ok := true
	for _, p := range r.profiles {
		if q := p.RatifyProb(res.Agreement); q < 1 && rr.Float64() >= q {
			ok = false
		}
	}
	res.Ratified = ok
	if ok {
		return
	}
	// The signed text stays in Agreement, but nobody is bound by it: the
	// run ends as ratification_failed, so Agreed reports false and every
	// seat's Ending says so.
	res.Reason = parley.ReasonRatificationFailed
	for i, p := range r.profiles {
		u := p.ReservationAt(res.Time)
		res.Utilities[i] = u
		res.Discounted[i] = p.Discounted(u, res.Time)
	}
}

// finish tells every seat that implements parley.Finisher how the run
// ended, once per seat, with what that seat may know (parley.Ending): a
// party's negotiator or voter hears its own result, the mediator none.
func finish(ctx context.Context, seats Seats, res *parley.Result) {
	var done []any
	tell := func(x any, party int) {
		f, ok := x.(parley.Finisher)
		if !ok {
			return
		}
		if reflect.TypeOf(x).Comparable() {
			if slices.Contains(done, x) {
				return
			}
			done = append(done, x)
		}
		func() {
			defer func() { _ = recover() }()
			f.Finish(ctx, res.EndingFor(party))
		}()
	}
	for i, n := range seats.Negotiators {
		if n != nil {
			tell(n, i)
		}
	}
	for i, v := range seats.Voters {
		if v != nil {
			tell(v, i)
		}
	}
	if seats.Mediator != nil {
		tell(seats.Mediator, -1)
	}
}
