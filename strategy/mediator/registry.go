package mediator

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MediatorFactory makes a fresh mediator for one run. Each call returns a
// new value, so one factory can serve many concurrent runs.
type MediatorFactory func() Mediator

// VoterFactory makes a fresh voter for one seat.
type VoterFactory func() Voter

// Info describes a mediator or voter name for listings.
type Info struct {
	Name    string
	Aliases []string
	Summary string
	Params  []Param
}

// Param describes one parameter of a spec.
type Param struct {
	Name    string
	Default string
	Meaning string
}

// Errors a SpecError may wrap.
var (
	ErrUnknownStrategy  = errors.New("unknown strategy")
	ErrUnknownParameter = errors.New("unknown parameter")
)

// SpecError reports a bad mediator or voter spec, naming the spec and,
// when one is at fault, the parameter.
type SpecError struct {
	Role  string // "mediator" or "voter"
	Spec  string // the spec as given
	Param string // the parameter at fault, or ""
	Err   error
}

// Error reads `mediator "anneal:x=1": unknown parameter "x" (want t0)` or
// `voter "annealer:t0=x": parameter "t0": "x" is not a number`.
func (e *SpecError) Error() string {
	if e.Param == "" || errors.Is(e.Err, ErrUnknownParameter) {
		return fmt.Sprintf("%s %q: %v", e.Role, e.Spec, e.Err)
	}
	return fmt.Sprintf("%s %q: parameter %q: %v", e.Role, e.Spec, e.Param, e.Err)
}

// Unwrap returns the underlying error.
func (e *SpecError) Unwrap() error { return e.Err }

type entry[F any] struct {
	Info
	build func(a *args) (F, error)
}

var callParam = func(def string) Param {
	return Param{Name: "call", Default: def, Meaning: "call the final vote early when there is nothing better to propose (true/false)"}
}

var mediators = []entry[MediatorFactory]{
	{Info{Name: "random", Summary: "proposes a random single-issue change of the text every round (GENIUS RandomFlippingMediator)"},
		func(*args) (MediatorFactory, error) {
			return func() Mediator { return NewRandom() }, nil
		}},
	{Info{Name: "hillclimb", Aliases: []string{"hillclimbing"}, Summary: "proposes the text's single-issue neighbours in random order, keeps what the rule adopts (NegMAS HillClimbingSTMechanism)",
		Params: []Param{callParam("false")}},
		func(a *args) (MediatorFactory, error) {
			call, err := a.boolean("call", false)
			if err != nil {
				return nil, err
			}
			return func() Mediator { return NewHillClimb(call) }, nil
		}},
	{Info{Name: "anneal", Aliases: []string{"annealing"}, Summary: "annealing mediator (Klein et al. 2002): adopts proposals some parties reject with probability exp(-f/T), T falling to 0; needs rule mediator",
		Params: []Param{{Name: "t0", Default: strconv.FormatFloat(DefaultMediatorT0, 'g', -1, 64), Meaning: "initial temperature, in units of the fraction of parties rejecting"}}},
		func(a *args) (MediatorFactory, error) {
			t0, err := a.number("t0", DefaultMediatorT0, 0, math.MaxFloat64)
			if err != nil {
				return nil, err
			}
			return func() Mediator { return NewAnneal(t0) }, nil
		}},
	{Info{Name: "feedback", Summary: "learns each party's value orders from feedback and changes one issue at a time (Aydoğan et al. 2014)",
		Params: []Param{callParam("false")}},
		func(a *args) (MediatorFactory, error) {
			call, err := a.boolean("call", false)
			if err != nil {
				return nil, err
			}
			return func() Mediator { return NewFeedback(call) }, nil
		}},
	{Info{Name: "nash", Summary: "moves the text towards the Nash point of the declared preferences; needs info declared or full",
		Params: []Param{callParam("true")}},
		seeker(SolutionNash)},
	{Info{Name: "ks", Aliases: []string{"kalai-smorodinsky"}, Summary: "moves the text towards the Kalai–Smorodinsky point of the declared preferences; needs info declared or full",
		Params: []Param{callParam("true")}},
		seeker(SolutionKS)},
	{Info{Name: "biased", Summary: "seeks argmax (1-bias)·Nash product + bias·own utility over outcomes the parties should accept; needs info declared or full",
		Params: []Param{{Name: "bias", Default: "0.25", Meaning: "weight α of the mediator's own utility, in [0,1]"}, callParam("true")}},
		seeker(SolutionBiased)},
}

// seeker builds a Seeker factory sharing one plan cache.
func seeker(sol Solution) func(a *args) (MediatorFactory, error) {
	return func(a *args) (MediatorFactory, error) {
		opts := SeekerOptions{Solution: sol}
		var err error
		if sol == SolutionBiased {
			if opts.Bias, err = a.number("bias", 0.25, 0, 1); err != nil {
				return nil, err
			}
		}
		call, err := a.boolean("call", true)
		if err != nil {
			return nil, err
		}
		opts.NoCall = !call
		cache := &planCache{}
		return func() Mediator {
			s := NewSeeker(opts)
			s.cache = cache
			return s
		}, nil
	}
}

var voters = []entry[VoterFactory]{
	{Info{Name: "hillclimber", Aliases: []string{"hc", "hill-climber"}, Summary: "accepts a proposal iff it is at least as good as the text (Klein et al. 2003)"},
		func(*args) (VoterFactory, error) {
			return func() Voter { return NewHillClimber() }, nil
		}},
	{Info{Name: "annealer", Summary: "also accepts a worse proposal with probability exp(Δ/T), T falling to 0 (Klein et al. 2003)",
		Params: []Param{{Name: "t0", Default: strconv.FormatFloat(DefaultT0, 'g', -1, 64), Meaning: "initial temperature, in utility units"}}},
		func(a *args) (VoterFactory, error) {
			t0, err := a.number("t0", DefaultT0, 0, math.MaxFloat64)
			if err != nil {
				return nil, err
			}
			return func() Voter { return NewAnnealer(t0) }, nil
		}},
	{Info{Name: "reservation", Aliases: []string{"reservation-aware"}, Summary: "hill-climber that never accepts a proposal below its reservation value r(t)"},
		func(*args) (VoterFactory, error) {
			return func() Voter { return NewReservation() }, nil
		}},
	{Info{Name: "exaggerator", Summary: "strategic: rejects every proposal that is not a large gain for it",
		Params: []Param{{Name: "gain", Default: strconv.FormatFloat(DefaultGain, 'g', -1, 64), Meaning: "smallest gain in utility it accepts"}}},
		func(a *args) (VoterFactory, error) {
			g, err := a.number("gain", DefaultGain, 0, 1)
			if err != nil {
				return nil, err
			}
			return func() Voter { return NewExaggerator(g) }, nil
		}},
}

// ParseMediator reads a mediator spec, name[:key=value,...] (names and keys
// case-insensitive), and returns a factory. See ListMediators.
func ParseMediator(spec string) (MediatorFactory, error) { return parse("mediator", mediators, spec) }

// ParseVoter reads a voter spec, name[:key=value,...], and returns a
// factory. See ListVoters.
func ParseVoter(spec string) (VoterFactory, error) { return parse("voter", voters, spec) }

// ListMediators describes every mediator name, in display order.
func ListMediators() []Info { return list(mediators) }

// ListVoters describes every voter name, in display order.
func ListVoters() []Info { return list(voters) }

func list[F any](es []entry[F]) []Info {
	out := make([]Info, len(es))
	for i, e := range es {
		out[i] = e.Info
		out[i].Aliases = append([]string(nil), e.Aliases...)
		out[i].Params = append([]Param(nil), e.Params...)
	}
	return out
}

func parse[F any](role string, es []entry[F], spec string) (F, error) {
	var zero F
	name, rest, hasParams := strings.Cut(strings.TrimSpace(spec), ":")
	name = strings.ToLower(strings.TrimSpace(name))
	var e *entry[F]
	for i := range es {
		if es[i].Name == name {
			e = &es[i]
		}
		for _, al := range es[i].Aliases {
			if al == name {
				e = &es[i]
			}
		}
	}
	if e == nil {
		names := make([]string, len(es))
		for i := range es {
			names[i] = es[i].Name
		}
		return zero, &SpecError{Role: role, Spec: spec, Err: fmt.Errorf("%w %q (want %s)", ErrUnknownStrategy, name, strings.Join(names, ", "))}
	}
	a := &args{role: role, spec: spec, kv: map[string]string{}}
	if hasParams {
		for _, it := range strings.Split(rest, ",") {
			k, v, ok := strings.Cut(it, "=")
			k = strings.ToLower(strings.TrimSpace(k))
			if !ok || k == "" {
				return zero, &SpecError{Role: role, Spec: spec, Err: fmt.Errorf("parameter %q is not key=value", strings.TrimSpace(it))}
			}
			known := false
			for _, p := range e.Params {
				known = known || p.Name == k
			}
			if !known {
				want := make([]string, len(e.Params))
				for i, p := range e.Params {
					want[i] = p.Name
				}
				w := strings.Join(want, ", ")
				if w == "" {
					w = "none"
				}
				return zero, &SpecError{Role: role, Spec: spec, Param: k, Err: fmt.Errorf("%w %q (want %s)", ErrUnknownParameter, k, w)}
			}
			if _, dup := a.kv[k]; dup {
				return zero, &SpecError{Role: role, Spec: spec, Param: k, Err: errors.New("given twice")}
			}
			a.kv[k] = strings.TrimSpace(v)
		}
	}
	return e.build(a)
}

// args are the parameters of one spec.
type args struct {
	role, spec string
	kv         map[string]string
}

func (a *args) number(name string, def, lo, hi float64) (float64, error) {
	v, ok := a.kv[name]
	if !ok {
		return def, nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, &SpecError{Role: a.role, Spec: a.spec, Param: name, Err: fmt.Errorf("%q is not a number", v)}
	}
	if x < lo || x > hi {
		return 0, &SpecError{Role: a.role, Spec: a.spec, Param: name, Err: fmt.Errorf("%v outside [%v, %v]", x, lo, hi)}
	}
	return x, nil
}

func (a *args) boolean(name string, def bool) (bool, error) {
	v, ok := a.kv[name]
	if !ok {
		return def, nil
	}
	switch strings.ToLower(v) {
	case "true", "yes", "on", "1":
		return true, nil
	case "false", "no", "off", "0":
		return false, nil
	}
	return false, &SpecError{Role: a.role, Spec: a.spec, Param: name, Err: fmt.Errorf("%q is not true or false", v)}
}
