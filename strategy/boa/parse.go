package boa

import (
	"slices"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/spec"
)

// The component registries, read by Parse and by the "ac" parameter of
// package strategy's negotiators. Each public accessor returns a copy.
var (
	biddings    = newBiddings()
	models      = newModels()
	acceptances = newAcceptances()
	boaEntry    = newEntry()
	negotiators = spec.NewRegistry("boa", boaEntry)
)

// Biddings returns the registry of bidding strategies (the bid= of a BOA
// spec): timedep, boulware, linear, conceder, hardliner.
func Biddings() *spec.Registry[func() Bidding] { return biddings.Clone() }

// Models returns the registry of opponent models (the om= of a BOA spec):
// none, frequency, bayesian.
func Models() *spec.Registry[func() OpponentModel] { return models.Clone() }

// Acceptances returns the registry of acceptance conditions (the ac= of a
// BOA spec and of package strategy's negotiators): next, const, time,
// combi, combimax.
func Acceptances() *spec.Registry[Acceptance] { return acceptances.Clone() }

// Entry returns the registry entry "boa": a negotiator composed of
// bid=, om= and ac= components, for package strategy's table.
func Entry() spec.Entry[func() parley.Negotiator] {
	e := boaEntry
	e.Params = slices.Clone(e.Params)
	return e
}

func windowParam() spec.Param {
	return spec.Float("d", DefaultWindow, 0, 1, "window δ above the target in which the opponent model chooses")
}

var kParam = spec.Float("k", 0, 0, 1, "initial concession k in [0,1]: f(0) = k")

func tParam(def float64) spec.Param {
	return spec.Float("t", def, 0, 1, "time T in [0,1] after which the time part applies")
}

// timeDep builds a TimeDependent bidding with exponent e (e < 0: the spec
// gives e).
func timeDep(e float64) func(v spec.Values) (func() Bidding, error) {
	return func(v spec.Values) (func() Bidding, error) {
		o := TimeDependentOptions{E: e, K: v.Float("k"), Window: v.Float("d")}
		if e < 0 {
			o.E = v.Float("e")
		}
		return func() Bidding { return NewTimeDependent(o) }, nil
	}
}

func newBiddings() *spec.Registry[func() Bidding] {
	type E = spec.Entry[func() Bidding]
	return spec.NewRegistry("bidding strategy",
		E{Name: "timedep", Doc: "time-dependent (Faratin 1998): target = Pmin + (Pmax-Pmin)(1 - k - (1-k) t^(1/e)); with a model, the bid it likes best within δ above the target (OMS BestBid)",
			Params: []spec.Param{spec.Float("e", 0, 0, 1e6, "concession exponent (0 hardliner, <1 boulware, 1 linear, >1 conceder); required").Require(), kParam, windowParam()},
			New:    timeDep(-1)},
		E{Name: "boulware", Doc: "time-dependent with e = 0.2", Params: []spec.Param{kParam, windowParam()}, New: timeDep(0.2)},
		E{Name: "linear", Doc: "time-dependent with e = 1", Params: []spec.Param{kParam, windowParam()}, New: timeDep(1)},
		E{Name: "conceder", Doc: "time-dependent with e = 2", Params: []spec.Param{kParam, windowParam()}, New: timeDep(2)},
		E{Name: "hardliner", Doc: "always the best outcome (e = 0); with a model, the one it likes best within δ of the best",
			Params: []spec.Param{windowParam()}, New: timeDep(0)},
	)
}

func newModels() *spec.Registry[func() OpponentModel] {
	type E = spec.Entry[func() OpponentModel]
	return spec.NewRegistry("opponent model",
		E{Name: "none", Doc: "no opponent model",
			New: func(spec.Values) (func() OpponentModel, error) { return func() OpponentModel { return nil }, nil }},
		E{Name: "frequency", Doc: "HardHeaded frequency model (ANAC 2011): value counts, weights grow for issues the opponent keeps unchanged",
			Params: []spec.Param{
				spec.Float("l", 0.2, 1e-9, 0.999999, "learning coefficient in (0,1)"),
				spec.Float("v", 1, 1e-9, 1e6, "count added per offered value"),
			},
			New: func(v spec.Values) (func() OpponentModel, error) {
				o := FrequencyOptions{Learn: v.Float("l"), Addition: v.Float("v")}
				return func() OpponentModel { return NewFrequency(o) }, nil
			}},
		E{Name: "bayesian", Doc: "scalable Bayesian model (Hindriks & Tykhonov 2008): per-issue weight ranks and evaluation shapes, opponent assumed to concede linearly",
			Params: []spec.Param{
				spec.Float("sigma", defaultSigma, 1e-6, 100, "standard deviation of the likelihood, relative"),
				spec.Float("c", defaultConcession, 0.001, 0.999, "assumed concession: the opponent's bid at time t is worth 1 - c t to it"),
			},
			New: func(v spec.Values) (func() OpponentModel, error) {
				o := BayesianOptions{Sigma: v.Float("sigma"), Concession: v.Float("c")}
				return func() OpponentModel { return NewBayesian(o) }, nil
			}},
	)
}

// Default times of the time-based acceptance conditions, when a spec
// leaves them out: GENIUS uses T = 0.98 for AC_Combi and
// AC_CombiMaxInWindow.
const (
	defaultACTime  = 0.99
	defaultACCombi = 0.98
)

func newAcceptances() *spec.Registry[Acceptance] {
	type E = spec.Entry[Acceptance]
	return spec.NewRegistry("acceptance condition",
		E{Name: "next", Doc: "AC_next: accept iff a·u(offer) + b ≥ u(my next bid)",
			Params: []spec.Param{spec.Float("a", 1, -1e6, 1e6, "scale α"), spec.Float("b", 0, -1e6, 1e6, "offset β")},
			New:    func(v spec.Values) (Acceptance, error) { return ACNext(v.Float("a"), v.Float("b")), nil }},
		E{Name: "const", Doc: "AC_const: accept iff u(offer) ≥ c",
			Params: []spec.Param{spec.Float("c", 0, 0, 1, "utility threshold in [0,1]; required").Require()},
			New:    func(v spec.Values) (Acceptance, error) { return ACConst(v.Float("c")), nil }},
		E{Name: "time", Doc: "AC_time: accept anything once t ≥ T", Params: []spec.Param{tParam(defaultACTime)},
			New: func(v spec.Values) (Acceptance, error) { return ACTime(v.Float("t")), nil }},
		E{Name: "combi", Doc: "AC_combi: AC_next or t ≥ T", Params: []spec.Param{tParam(defaultACCombi)},
			New: func(v spec.Values) (Acceptance, error) { return ACCombi(v.Float("t")), nil }},
		E{Name: "combimax", Doc: "AC_combi(T, MAX^W): AC_next, or t ≥ T and the offer is the best of the last (1-t) window",
			Params: []spec.Param{tParam(defaultACCombi)},
			New:    func(v spec.Values) (Acceptance, error) { return ACCombiMax(v.Float("t")), nil }},
	)
}

func newEntry() spec.Entry[func() parley.Negotiator] {
	return spec.Entry[func() parley.Negotiator]{
		Name: "boa",
		Doc:  "a negotiator composed of a bidding strategy, an opponent model and an acceptance condition (BOA, Baarslag et al. 2014), e.g. boa:bid=timedep(e=0.2),om=frequency,ac=combi(t=0.98)",
		Params: []spec.Param{
			spec.Nested("bid", "boulware", biddings, "bidding: timedep(e=,k=,d=), boulware, linear, conceder, hardliner; with an opponent model, the bid best for the opponent within d of the target"),
			spec.Nested("om", "none", models, "opponent model: none, frequency(l=,v=) (HardHeaded-style), bayesian(sigma=,c=) (Hindriks and Tykhonov 2008)"),
			spec.Nested("ac", "next", acceptances, "acceptance: next(a=,b=), const(c=), time(t=), combi(t=), combimax(t=)"),
		},
		New: func(v spec.Values) (func() parley.Negotiator, error) {
			newBid := spec.Built[func() Bidding](v, "bid")
			newOM := spec.Built[func() OpponentModel](v, "om")
			ac := spec.Built[Acceptance](v, "ac")
			return func() parley.Negotiator {
				return New(Options{Bidding: newBid(), Model: newOM(), Accept: ac})
			}, nil
		},
	}
}

// Parse reads a BOA spec and returns a factory of negotiators. The spec is
// the registry entry "boa" (see Entry) with or without its "boa:" prefix:
// a comma-separated list of role=component, where a component is a name,
// optionally followed by parameters in parentheses (key=value pairs, or
// one value for the first parameter):
//
//	bid=timedep(e=0.2),om=frequency,ac=combi(t=0.98)
//	boa:bid=conceder,om=bayesian(c=0.5),ac=const(0.8)
//
// Roles left out take their defaults: bid=boulware, om=none, ac=next.
// Biddings, Models and Acceptances list every component and parameter.
// Names and keys are case-insensitive. Errors are *spec.Error values
// naming the spec, the role (as the parameter) and, nested, the component
// and its parameter at fault. Each call of the factory returns a
// Negotiator with fresh components.
func Parse(text string) (func() parley.Negotiator, error) {
	body := strings.TrimSpace(text)
	if pre, rest, ok := strings.Cut(body, ":"); ok && strings.EqualFold(strings.TrimSpace(pre), boaEntry.Name) {
		body = strings.TrimSpace(rest)
	}
	full := boaEntry.Name
	if body != "" {
		full += ":" + body
	}
	f, err := negotiators.Parse(full)
	if se, ok := err.(*spec.Error); ok {
		se.Spec = text // name the spec as given
	}
	return f, err
}

// ParseAcceptance reads an acceptance spec: a name, optionally followed by
// parameters in parentheses, as key=value pairs or one positional value:
//
//	next, next(a=1,b=0.05)   AC_next(α, β)      (defaults a=1, b=0)
//	const(c=0.8), const(0.8) AC_const(c)        (c required)
//	time(t=0.99)             AC_time(T)         (default t=0.99)
//	combi(t=0.98)            AC_next ∨ AC_time  (default t=0.98)
//	combimax(t=0.98)         AC_combi(T, MAX^W) (default t=0.98)
func ParseAcceptance(text string) (Acceptance, error) { return acceptances.Parse(text) }
