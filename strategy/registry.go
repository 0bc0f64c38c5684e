package strategy

import (
	"errors"
	"fmt"
	ispec "github.com/parley-dev/parley/internal/spec"
	"github.com/parley-dev/parley/strategy/anac"
	"github.com/parley-dev/parley/strategy/boa"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy/geniuscompat"
)

// Factory makes a fresh negotiator for one seat. Each call returns a new
// value, so one Factory can fill many seats and many concurrent runs.
type Factory func() parley.Negotiator

// Info describes a strategy name for `parley agents`.
type Info struct {
	Name    string
	Aliases []string
	Summary string
	Params  []Param
}

// Param describes one parameter of a strategy spec.
type Param struct {
	Name    string
	Default string // "" when the parameter is required
	Meaning string
}

// Errors a SpecError may wrap.
var (
	ErrUnknownStrategy  = errors.New("unknown strategy")
	ErrUnknownParameter = errors.New("unknown parameter")
)

// SpecError reports a bad strategy spec, naming the spec and, when one is
// at fault, the parameter.
type SpecError struct {
	Spec  string // the spec as given
	Param string // the parameter at fault, or ""
	Err   error
}

// Error reads `strategy "conceder:x=3": unknown parameter "x" (want e, k,
// ac)` or `strategy "boulware:e=x": parameter "e": "x" is not a number`.
func (e *SpecError) Error() string {
	if e.Param == "" || errors.Is(e.Err, ErrUnknownParameter) {
		return fmt.Sprintf("strategy %q: %v", e.Spec, e.Err)
	}
	return fmt.Sprintf("strategy %q: parameter %q: %v", e.Spec, e.Param, e.Err)
}

// Unwrap returns the underlying error.
func (e *SpecError) Unwrap() error { return e.Err }

// entry is one row of the strategy table.
type entry struct {
	Info
	build func(a *args) (Factory, error)
}

var acParam = Param{Name: "ac", Default: "next",
	Meaning: "acceptance condition: next, next(a=,b=), const(c=), time(t=0.99), combi(t=0.98), combimax(t=0.98); never below the reservation value"}

func timeParams(e string) []Param {
	meaning := "concession exponent (0 hardliner, <1 boulware, 1 linear, >1 conceder)"
	if e == "" {
		meaning += "; required"
	}
	return []Param{
		{Name: "e", Default: e, Meaning: meaning},
		{Name: "k", Default: "0", Meaning: "initial concession k in [0,1]: f(0) = k"},
		{Name: "discount", Default: "false", Meaning: "discount-aware: count time as the value discounting has taken, (1 - δ^t)/(1 - δ), so it concedes sooner the lower its δ"},
		acParam,
	}
}

// strategies is the table behind Parse and List, in display order: the
// classic strategies, BOA compositions, the competition agents and the
// GENIUS-compatible family.
var strategies = append(append(classic, boaEntry), anacEntries()...)

// classic are the strategies of this package and strategy/geniuscompat.
var classic = []entry{
	{Info{Name: "boulware", Summary: "time-dependent (Faratin 1998), e = 0.2: holds firm, concedes near the deadline",
		Params: timeParams("0.2")}, timeDependent(BoulwareE)},
	{Info{Name: "linear", Summary: "time-dependent (Faratin 1998), e = 1: concedes at a constant rate",
		Params: timeParams("1")}, timeDependent(LinearE)},
	{Info{Name: "conceder", Summary: "time-dependent (Faratin 1998), e = 2: concedes early",
		Params: timeParams("2")}, timeDependent(ConcederE)},
	{Info{Name: "timedep", Summary: "time-dependent (Faratin 1998) with a given e: target = Pmin + (Pmax-Pmin)(1 - k - (1-k) t^(1/e))",
		Params: timeParams("")}, timeDependent(-1)},
	{Info{Name: "hardliner", Summary: "always offers its best outcome; accepts only an offer as good (e = 0)"},
		func(*args) (Factory, error) {
			return func() parley.Negotiator { return NewHardliner() }, nil
		}},
	{Info{Name: "random", Summary: "offers uniformly random outcomes; accepts a rational offer with probability p",
		Params: []Param{{Name: "p", Default: "0.1", Meaning: "probability of accepting an offer worth the reservation value (0: never)"}}},
		func(a *args) (Factory, error) {
			p, err := a.number("p", DefaultPAccept, 0, 1)
			if err != nil {
				return nil, err
			}
			if p == 0 {
				p = -1 // RandomOptions: negative means never
			}
			opts := RandomOptions{PAccept: p}
			return func() parley.Negotiator { return NewRandom(opts) }, nil
		}},
	{Info{Name: "tft", Aliases: []string{"titfortat"}, Summary: "naive tit-for-tat: concedes in its own utility as much as the opponent's last move gave it",
		Params: []Param{acParam}},
		func(a *args) (Factory, error) {
			ac, err := a.acceptance()
			if err != nil {
				return nil, err
			}
			opts := TitForTatOptions{Accept: ac}
			return func() parley.Negotiator { return NewTitForTat(opts) }, nil
		}},
	{Info{Name: "rubinstein", Summary: "subgame-perfect equilibrium of alternating offers with discounting (Rubinstein 1982), by backward induction to the deadline; bilateral; assumes a pie (the opponent's utility is 1 - its own)",
		Params: []Param{
			{Name: "opp_delta", Default: "0", Meaning: "the opponent's discount factor δ in (0,1] (0: its own)"},
			{Name: "opp_rv", Default: "0", Meaning: "the opponent's reservation value"},
		}},
		func(a *args) (Factory, error) {
			var opts RubinsteinOptions
			var err error
			if opts.OpponentDiscount, err = a.number("opp_delta", 0, 0, 1); err != nil {
				return nil, err
			}
			if opts.OpponentReservation, err = a.number("opp_rv", 0, 0, 1); err != nil {
				return nil, err
			}
			return func() parley.Negotiator { return &Rubinstein{opts: opts} }, nil
		}},
	{Info{Name: "micro", Summary: "MiCRO (de Jonge 2022): concedes one outcome for each new outcome received"},
		func(*args) (Factory, error) {
			return func() parley.Negotiator { return NewMiCRO(MiCROOptions{}) }, nil
		}},
	// The GENIUS-compatible family (strategy/geniuscompat), bug for bug;
	// docs/genius-compatibility.md says how they differ from the above.
	{Info{Name: "genius-boulware", Summary: "GENIUS 9.1.9 BoulwareNegotiationParty, exactly (e = 0.2; ignores the reservation value)"},
		plain(func() parley.Negotiator { return geniuscompat.NewBoulware() })},
	{Info{Name: "genius-conceder", Summary: "GENIUS 9.1.9 ConcederNegotiationParty, exactly (e = 2; ignores the reservation value)"},
		plain(func() parley.Negotiator { return geniuscompat.NewConceder() })},
	{Info{Name: "genius-linear", Summary: "GENIUS 9.1.9 time-dependent party with e = 1, exactly (ignores the reservation value)"},
		plain(func() parley.Negotiator { return geniuscompat.NewLinear() })},
	{Info{Name: "genius-hardliner", Summary: "GENIUS 9.1.9 TimeDependentAgentHardliner, exactly: always its best bid, accepts one as good"},
		plain(func() parley.Negotiator { return geniuscompat.NewHardliner() })},
}

// boaEntry composes a negotiator from BOA components (strategy/boa); Parse
// hands the whole spec to boa.Parse.
var boaEntry = entry{Info{Name: "boa", Summary: "a negotiator composed of a bidding strategy, an opponent model and an acceptance condition (BOA, Baarslag et al. 2014), e.g. boa:bid=timedep(e=0.2),om=frequency,ac=combi(t=0.98)",
	Params: []Param{
		{Name: "bid", Default: "boulware", Meaning: "bidding: timedep(e=,k=,d=), boulware, linear, conceder, hardliner; with an opponent model, the bid best for the opponent within d of the target"},
		{Name: "om", Default: "none", Meaning: "opponent model: none, frequency(l=,v=) (HardHeaded-style), bayesian(sigma=,c=) (Hindriks and Tykhonov 2008)"},
		{Name: "ac", Default: "next", Meaning: "acceptance: next(a=,b=), const(c=), time(t=), combi(t=), combimax(t=)"},
	}}, nil}

// guardParam is the one parameter of the competition agents: their
// GuardReservation option (a Parley adaptation, off by default).
var guardParam = Param{Name: "guard", Default: "false",
	Meaning: "Parley's reservation-value guard: true never accepts or offers below r(t) and ends when nothing reaches it; false (the GENIUS agent) ignores the reservation value where the original does"}

// anacEntries lists the competition agents of strategy/anac.
func anacEntries() []entry {
	var es []entry
	for _, a := range anac.Agents() {
		with := a.WithGuard
		es = append(es, entry{Info{Name: a.Name, Summary: a.Summary, Params: []Param{guardParam}},
			func(ar *args) (Factory, error) {
				g, err := ar.boolean("guard", false)
				if err != nil {
					return nil, err
				}
				return func() parley.Negotiator { return with(g) }, nil
			}})
	}
	return es
}

// plain builds a factory for a strategy without parameters.
func plain(f Factory) func(*args) (Factory, error) {
	return func(*args) (Factory, error) { return f, nil }
}

// timeDependent builds a time-dependent factory with exponent e (e < 0:
// the spec must give e).
func timeDependent(e float64) func(a *args) (Factory, error) {
	return func(a *args) (Factory, error) {
		var opts TimeDependentOptions
		var err error
		if e < 0 {
			if _, ok := a.kv["e"]; !ok {
				return nil, &SpecError{Spec: a.spec, Param: "e", Err: errors.New("required")}
			}
		}
		if opts.E, err = a.number("e", e, 0, 1e6); err != nil {
			return nil, err
		}
		if opts.K, err = a.number("k", 0, 0, 1); err != nil {
			return nil, err
		}
		if opts.Discount, err = a.boolean("discount", false); err != nil {
			return nil, err
		}
		if opts.Accept, err = a.acceptance(); err != nil {
			return nil, err
		}
		return func() parley.Negotiator { return NewTimeDependent(opts) }, nil
	}
}

// args are the parameters of one spec.
type args struct {
	spec string
	kv   map[string]string
}

// number returns parameter name (def when absent), checked against [lo, hi].
func (a *args) number(name string, def, lo, hi float64) (float64, error) {
	v, ok := a.kv[name]
	if !ok {
		return def, nil
	}
	x, err := parseNumber(v)
	if err != nil {
		return 0, &SpecError{Spec: a.spec, Param: name, Err: err}
	}
	if x < lo || x > hi {
		return 0, &SpecError{Spec: a.spec, Param: name, Err: fmt.Errorf("%v outside [%v, %v]", x, lo, hi)}
	}
	return x, nil
}

// boolean returns parameter name (def when absent): true or false.
func (a *args) boolean(name string, def bool) (bool, error) {
	v, ok := a.kv[name]
	if !ok {
		return def, nil
	}
	switch strings.ToLower(v) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, &SpecError{Spec: a.spec, Param: name, Err: fmt.Errorf("%q is not true or false", v)}
}

// acceptance returns the "ac" parameter (nil when absent: the default).
func (a *args) acceptance() (Acceptance, error) {
	v, ok := a.kv["ac"]
	if !ok {
		return nil, nil
	}
	ac, err := parseAcceptance(v)
	if err != nil {
		return nil, &SpecError{Spec: a.spec, Param: "ac", Err: err}
	}
	return ac, nil
}

// Parse reads a strategy spec, name[:key=value,key=value...], and returns a
// factory for it. Names and keys are case-insensitive; a value may hold
// commas inside parentheses (ac=combi(t=0.98)). See List for the names and
// their parameters.
func Parse(spec string) (Factory, error) {
	name, rest, hasParams := strings.Cut(strings.TrimSpace(spec), ":")
	name = strings.ToLower(strings.TrimSpace(name))
	if name == boaEntry.Name {
		f, err := boa.Parse(rest)
		if err != nil {
			return nil, &SpecError{Spec: spec, Err: err}
		}
		return f, nil
	}
	e := lookup(name)
	if e == nil {
		names := make([]string, len(strategies))
		for i := range strategies {
			names[i] = strategies[i].Name
		}
		return nil, &SpecError{Spec: spec, Err: fmt.Errorf("%w %q (want %s)", ErrUnknownStrategy, name, strings.Join(names, ", "))}
	}
	a := &args{spec: spec, kv: map[string]string{}}
	if hasParams {
		items, err := ispec.Split(rest, "parameter")
		if err != nil {
			return nil, &SpecError{Spec: spec, Err: err}
		}
		for _, it := range items {
			k, v, ok := strings.Cut(it, "=")
			k = strings.ToLower(strings.TrimSpace(k))
			if !ok || k == "" {
				return nil, &SpecError{Spec: spec, Err: fmt.Errorf("parameter %q is not key=value", it)}
			}
			if !e.has(k) {
				return nil, &SpecError{Spec: spec, Param: k, Err: fmt.Errorf("%w %q (want %s)", ErrUnknownParameter, k, e.want())}
			}
			if _, dup := a.kv[k]; dup {
				return nil, &SpecError{Spec: spec, Param: k, Err: errors.New("given twice")}
			}
			a.kv[k] = strings.TrimSpace(v)
		}
	}
	return e.build(a)
}

func lookup(name string) *entry {
	for i := range strategies {
		e := &strategies[i]
		if e.Name == name {
			return e
		}
		for _, al := range e.Aliases {
			if al == name {
				return e
			}
		}
	}
	return nil
}

func (e *entry) has(k string) bool {
	for _, p := range e.Params {
		if p.Name == k {
			return true
		}
	}
	return false
}

func (e *entry) want() string {
	if len(e.Params) == 0 {
		return "none"
	}
	names := make([]string, len(e.Params))
	for i, p := range e.Params {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// List describes every strategy name, in display order.
func List() []Info {
	out := make([]Info, len(strategies))
	for i, e := range strategies {
		out[i] = e.Info
		out[i].Aliases = append([]string(nil), e.Aliases...)
		out[i].Params = append([]Param(nil), e.Params...)
	}
	return out
}
