package strategy

import (
	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy/anac"
	"github.com/parley-dev/parley/strategy/boa"
	"github.com/parley-dev/parley/strategy/geniuscompat"
)

// Factory makes a fresh negotiator for one seat. Each call returns a new
// value, so one Factory can fill many seats and many concurrent runs.
type Factory = func() parley.Negotiator

// negotiators is the table behind Parse and Negotiators.
var negotiators = newNegotiators()

// Negotiators returns the registry of negotiator specs, in display order:
// the classic strategies, BOA compositions (boa:bid=...,om=...,ac=...),
// the competition agents and the GENIUS-compatible family. It is a copy:
// a program may Add its own agents to it.
func Negotiators() *spec.Registry[Factory] { return negotiators.Clone() }

// Parse reads a negotiator spec, name[:key=value,key=value...], and returns
// a factory for it. Names and keys are case-insensitive; a value may hold
// commas inside parentheses (ac=combi(t=0.98)). Errors are *spec.Error
// values naming the spec and the parameter at fault. Negotiators lists the
// names and their parameters.
func Parse(text string) (Factory, error) { return negotiators.Parse(text) }

// acParam is the acceptance condition of the classic strategies.
func acParam(acs *spec.Registry[boa.Acceptance]) spec.Param {
	return spec.Nested("ac", "next", acs,
		"acceptance condition: next, next(a=,b=), const(c=), time(t=0.99), combi(t=0.98), combimax(t=0.98); never below the reservation value")
}

// timeParams are the parameters of a time-dependent strategy with default
// exponent e (e < 0: required).
func timeParams(e float64, acs *spec.Registry[boa.Acceptance]) []spec.Param {
	ep := spec.Float("e", e, 0, 1e6, "concession exponent (0 hardliner, <1 boulware, 1 linear, >1 conceder)")
	if e < 0 {
		ep = spec.Float("e", 0, 0, 1e6, "concession exponent (0 hardliner, <1 boulware, 1 linear, >1 conceder); required").Require()
	}
	return []spec.Param{ep, spec.Float("k", 0, 0, 1, "initial concession k in [0,1]: f(0) = k"),
		spec.Bool("discount", false, "discount-aware: count time as the value discounting has taken, (1 - δ^t)/(1 - δ), so it concedes sooner the lower its δ"),
		spec.Bool("walk", false, "walk away as a decision: leave when continuing (the best offer so far, improving at the rate seen up to its target, taken at the best time, or r at the deadline; discounted) is worth less than r(t) (docs/mediation.md, \"Walk-outs as decisions\")"),
		acParam(acs)}
}

// timeDependent builds a time-dependent factory from the spec's e, k and ac.
func timeDependent(v spec.Values) (Factory, error) {
	opts := TimeDependentOptions{E: v.Float("e"), K: v.Float("k"), Discount: v.Bool("discount"), Walk: v.Bool("walk"), Accept: spec.Built[boa.Acceptance](v, "ac")}
	return func() parley.Negotiator { return NewTimeDependent(opts) }, nil
}

// plain builds the factory of a strategy without parameters.
func plain(f Factory) func(spec.Values) (Factory, error) {
	return func(spec.Values) (Factory, error) { return f, nil }
}

func newNegotiators() *spec.Registry[Factory] {
	type E = spec.Entry[Factory]
	acs := boa.Acceptances()
	es := []E{
		E{Name: "boulware", Doc: "time-dependent (Faratin 1998), e = 0.2: holds firm, concedes near the deadline",
			Params: timeParams(BoulwareE, acs), New: timeDependent},
		E{Name: "linear", Doc: "time-dependent (Faratin 1998), e = 1: concedes at a constant rate",
			Params: timeParams(LinearE, acs), New: timeDependent},
		E{Name: "conceder", Doc: "time-dependent (Faratin 1998), e = 2: concedes early",
			Params: timeParams(ConcederE, acs), New: timeDependent},
		E{Name: "timedep", Doc: "time-dependent (Faratin 1998) with a given e: target = Pmin + (Pmax-Pmin)(1 - k - (1-k) t^(1/e))",
			Params: timeParams(-1, acs), New: timeDependent},
		E{Name: "hardliner", Doc: "always offers its best outcome; accepts only an offer as good (e = 0)",
			New: plain(func() parley.Negotiator { return NewHardliner() })},
		E{Name: "random", Doc: "offers uniformly random outcomes; accepts a rational offer with probability p",
			Params: []spec.Param{spec.Float("p", DefaultPAccept, 0, 1, "probability of accepting an offer worth the reservation value (0: never)")},
			New: func(v spec.Values) (Factory, error) {
				p := v.Float("p")
				if p == 0 {
					p = -1 // RandomOptions: negative means never
				}
				opts := RandomOptions{PAccept: p}
				return func() parley.Negotiator { return NewRandom(opts) }, nil
			}},
		E{Name: "tft", Aliases: []string{"titfortat"}, Doc: "naive tit-for-tat: concedes in its own utility as much as the opponent's last move gave it",
			Params: []spec.Param{acParam(acs)},
			New: func(v spec.Values) (Factory, error) {
				opts := TitForTatOptions{Accept: spec.Built[boa.Acceptance](v, "ac")}
				return func() parley.Negotiator { return NewTitForTat(opts) }, nil
			}},
		E{Name: "rubinstein", Doc: "subgame-perfect equilibrium of alternating offers with discounting (Rubinstein 1982), by backward induction to the deadline; bilateral; assumes a pie (the opponent's utility is 1 - its own)",
			Params: []spec.Param{
				spec.Float("opp_delta", 0, 0, 1, "the opponent's discount factor δ in (0,1] (0: its own)"),
				spec.Float("opp_rv", 0, 0, 1, "the opponent's reservation value"),
			},
			New: func(v spec.Values) (Factory, error) {
				opts := RubinsteinOptions{OpponentDiscount: v.Float("opp_delta"), OpponentReservation: v.Float("opp_rv")}
				if err := opts.Validate(); err != nil {
					return nil, err
				}
				return func() parley.Negotiator { return &Rubinstein{opts: opts} }, nil
			}},
		E{Name: "micro", Doc: "MiCRO (de Jonge 2022): concedes one outcome for each new outcome received",
			New: plain(func() parley.Negotiator { return NewMiCRO(MiCROOptions{}) })},
		// The GENIUS-compatible family (strategy/geniuscompat), bug for
		// bug; docs/genius-compatibility.md says how they differ.
		E{Name: "genius-boulware", Doc: "GENIUS 9.1.9 BoulwareNegotiationParty, exactly (e = 0.2; ignores the reservation value)",
			New: plain(func() parley.Negotiator { return geniuscompat.NewBoulware() })},
		E{Name: "genius-conceder", Doc: "GENIUS 9.1.9 ConcederNegotiationParty, exactly (e = 2; ignores the reservation value)",
			New: plain(func() parley.Negotiator { return geniuscompat.NewConceder() })},
		E{Name: "genius-linear", Doc: "GENIUS 9.1.9 time-dependent party with e = 1, exactly (ignores the reservation value)",
			New: plain(func() parley.Negotiator { return geniuscompat.NewLinear() })},
		E{Name: "genius-hardliner", Doc: "GENIUS 9.1.9 TimeDependentAgentHardliner, exactly: always its best bid, accepts one as good",
			New: plain(func() parley.Negotiator { return geniuscompat.NewHardliner() })},
		boa.Entry(),
	}
	// The competition agents of strategy/anac, with their GuardReservation
	// option (a Parley adaptation, off by default).
	guard := spec.Bool("guard", false,
		"Parley's reservation-value guard: true never accepts or offers below r(t) and ends when nothing reaches it; false (the GENIUS agent) ignores the reservation value where the original does")
	for _, a := range anac.Agents() {
		with := a.WithGuard
		es = append(es, E{Name: a.Name, Doc: a.Summary, Params: []spec.Param{guard},
			New: func(v spec.Values) (Factory, error) {
				g := v.Bool("guard")
				return func() parley.Negotiator { return with(g) }, nil
			}})
	}
	// TestNegotiators checks the table (Validate).
	return spec.NewRegistry("strategy", es...)
}
