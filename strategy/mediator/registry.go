package mediator

import (
	"math"

	"github.com/parley-dev/parley/spec"
)

// MediatorFactory makes a fresh mediator for one run. Each call returns a
// new value, so one factory can serve many concurrent runs. It is the
// constructor type every resolver of mediator specs returns
// (tournament.Resolver, session.Resolver, server.Config), as
// strategy.Factory is for negotiators.
type MediatorFactory = func() Mediator

// VoterFactory makes a fresh voter for one seat.
type VoterFactory = func() Voter

// callParam is the call parameter of the hill-climbing mediators, with
// default def.
func callParam(def bool) spec.Param {
	return spec.Bool("call", def, "call the final vote early when there is nothing better to propose (true/false)")
}

// mediators and voters are the tables behind ParseMediator and ParseVoter.
var (
	mediators = spec.NewRegistry("mediator", mediatorEntries()...)
	voters    = spec.NewRegistry("voter", voterEntries()...)
)

// Mediators returns the registry of mediator specs, in display order. It is
// a copy: a program may Add its own mediators to it.
func Mediators() *spec.Registry[MediatorFactory] { return mediators.Clone() }

// Voters returns the registry of voter specs, in display order (a copy).
func Voters() *spec.Registry[VoterFactory] { return voters.Clone() }

func mediatorEntries() []spec.Entry[MediatorFactory] {
	type E = spec.Entry[MediatorFactory]
	return []E{
		{Name: "random", Doc: "proposes a random single-issue change of the text every round (GENIUS RandomFlippingMediator)",
			New: func(spec.Values) (MediatorFactory, error) {
				return func() Mediator { return NewRandom() }, nil
			}},
		{Name: "hillclimb", Aliases: []string{"hillclimbing"}, Doc: "proposes the text's single-issue neighbours in random order, keeps what the rule adopts (NegMAS HillClimbingSTMechanism)",
			Params: []spec.Param{callParam(false)},
			New: func(v spec.Values) (MediatorFactory, error) {
				call := v.Bool("call")
				return func() Mediator { return NewHillClimb(call) }, nil
			}},
		{Name: "anneal", Aliases: []string{"annealing"}, Doc: "annealing mediator (Klein et al. 2002): adopts proposals some parties reject with probability exp(-f/T), T falling to 0; needs rule mediator",
			Params: []spec.Param{spec.Float("t0", DefaultMediatorT0, 0, math.MaxFloat64, "initial temperature, in units of the fraction of parties rejecting")},
			New: func(v spec.Values) (MediatorFactory, error) {
				t0 := v.Float("t0")
				return func() Mediator { return NewAnneal(t0) }, nil
			}},
		{Name: "feedback", Doc: "learns each party's value orders from feedback and changes one issue at a time (Aydoğan et al. 2014)",
			Params: []spec.Param{callParam(false)},
			New: func(v spec.Values) (MediatorFactory, error) {
				call := v.Bool("call")
				return func() Mediator { return NewFeedback(call) }, nil
			}},
		{Name: "nash", Doc: "moves the text towards the Nash point of the declared preferences; needs info declared or full",
			Params: []spec.Param{callParam(true)}, New: seeker(SolutionNash)},
		{Name: "ks", Aliases: []string{"kalai-smorodinsky"}, Doc: "moves the text towards the Kalai–Smorodinsky point of the declared preferences; needs info declared or full",
			Params: []spec.Param{callParam(true)}, New: seeker(SolutionKS)},
		{Name: "biased", Doc: "seeks argmax (1-bias)·Nash product + bias·own utility over outcomes the parties should accept; needs info declared or full",
			Params: []spec.Param{spec.Float("bias", 0.25, 0, 1, "weight α of the mediator's own utility, in [0,1]"), callParam(true)},
			New:    seeker(SolutionBiased)},
	}
}

// seeker builds a Seeker factory sharing one plan cache.
func seeker(sol Solution) func(v spec.Values) (MediatorFactory, error) {
	return func(v spec.Values) (MediatorFactory, error) {
		opts := SeekerOptions{Solution: sol, NoCall: !v.Bool("call")}
		if sol == SolutionBiased {
			opts.Bias = v.Float("bias")
		}
		cache := &planCache{}
		return func() Mediator {
			s := NewSeeker(opts)
			s.cache = cache
			return s
		}, nil
	}
}

func voterEntries() []spec.Entry[VoterFactory] {
	type E = spec.Entry[VoterFactory]
	es := []E{
		{Name: "hillclimber", Aliases: []string{"hc", "hill-climber"}, Doc: "accepts a proposal iff it is at least as good as the text (Klein et al. 2003)",
			New: func(spec.Values) (VoterFactory, error) {
				return func() Voter { return NewHillClimber() }, nil
			}},
		{Name: "annealer", Doc: "also accepts a worse proposal with probability exp(Δ/T), T falling to 0 (Klein et al. 2003)",
			Params: []spec.Param{spec.Float("t0", DefaultT0, 0, math.MaxFloat64, "initial temperature, in utility units")},
			New: func(v spec.Values) (VoterFactory, error) {
				t0 := v.Float("t0")
				return func() Voter { return NewAnnealer(t0) }, nil
			}},
		{Name: "reservation", Aliases: []string{"reservation-aware"}, Doc: "hill-climber that never accepts a proposal below its reservation value r(t)",
			New: func(spec.Values) (VoterFactory, error) {
				return func() Voter { return NewReservation() }, nil
			}},
		{Name: "exaggerator", Doc: "strategic: rejects every proposal that is not a large gain for it",
			Params: []spec.Param{spec.Float("gain", DefaultGain, 0, 1, "smallest gain in utility it accepts")},
			New: func(v spec.Values) (VoterFactory, error) {
				g := v.Float("gain")
				return func() Voter { return NewExaggerator(g) }, nil
			}},
	}
	for i := range es {
		es[i] = walkable(es[i])
	}
	return es
}

// walkParam is the walk parameter every voter takes.
var walkParam = spec.Bool("walk", false, "walk away as a decision: leave when continuing (the best text so far, improving at the rate seen, taken at the best time, or r at the deadline; discounted) is worth less than r(t) (docs/mediation.md, \"Walk-outs as decisions\")")

// walkable adds the walk parameter to a voter entry: walk=true wraps the
// voter in a Walker.
func walkable(e spec.Entry[VoterFactory]) spec.Entry[VoterFactory] {
	e.Params = append(append([]spec.Param(nil), e.Params...), walkParam)
	build := e.New
	e.New = func(v spec.Values) (VoterFactory, error) {
		f, err := build(v)
		if err != nil || !v.Bool("walk") {
			return f, err
		}
		return func() Voter { return NewWalker(f()) }, nil
	}
	return e
}

// ParseMediator reads a mediator spec, name[:key=value,...] (names and keys
// case-insensitive), and returns a factory. Errors are *spec.Error values.
// See Mediators.
func ParseMediator(text string) (MediatorFactory, error) { return mediators.Parse(text) }

// ParseVoter reads a voter spec, name[:key=value,...], and returns a
// factory. See Voters.
func ParseVoter(text string) (VoterFactory, error) { return voters.Parse(text) }

// NeedsDeclared reports whether the mediator spec text names a mediator
// that needs the parties' declared preferences (Session.Declared: info
// self_report, declared or full), as nash, ks and biased do; false for any
// other mediator and for a spec that does not parse.
func NeedsDeclared(text string) bool {
	f, err := ParseMediator(text)
	if err != nil {
		return false
	}
	_, ok := f().(*Seeker)
	return ok
}
