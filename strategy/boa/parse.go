package boa

import (
	"errors"
	"fmt"
	ispec "github.com/parley-dev/parley/internal/spec"
	"math"
	"strconv"
	"strings"

	"github.com/parley-dev/parley"
)

// Component describes one named component for `parley agents`.
type Component struct {
	Role    string // "bid", "om" or "ac"
	Name    string
	Summary string
	Params  []Param
}

// Param describes one parameter of a component.
type Param struct {
	Name    string
	Default string // "" when the parameter is required
	Meaning string
}

// Errors a SpecError may wrap.
var (
	ErrUnknownComponent = errors.New("unknown component")
	ErrUnknownParameter = errors.New("unknown parameter")
)

// SpecError reports a bad BOA spec, naming the spec and, when one is at
// fault, the role (bid, om, ac), the component and the parameter.
type SpecError struct {
	Spec  string // the spec as given
	Role  string // "bid", "om", "ac", or ""
	Name  string // the component's name, or ""
	Param string // the parameter at fault, or ""
	Err   error
}

// Error reads `boa: spec "bid=timedep(e=x)": bid timedep: parameter "e":
// "x" is not a number`.
func (e *SpecError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "boa: spec %q", e.Spec)
	if e.Role != "" {
		b.WriteString(": ")
		b.WriteString(e.Role)
		if e.Name != "" {
			b.WriteByte(' ')
			b.WriteString(e.Name)
		}
	}
	if e.Param != "" && !errors.Is(e.Err, ErrUnknownParameter) {
		fmt.Fprintf(&b, ": parameter %q", e.Param)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying error.
func (e *SpecError) Unwrap() error { return e.Err }

// Roles of the components in a spec, in spec order.
var roles = []string{"bid", "om", "ac"}

// entry is one row of the component table.
type entry struct {
	Component
	build func(a *args) (any, error) // func() Bidding, func() OpponentModel or Acceptance
}

func windowParam() Param {
	return Param{Name: "d", Default: "0.02", Meaning: "window δ above the target in which the opponent model chooses"}
}

func timeDep(e float64) func(a *args) (any, error) {
	return func(a *args) (any, error) {
		var o TimeDependentOptions
		var err error
		if e < 0 {
			if o.E, err = a.required("e", 0, 1e6); err != nil {
				return nil, err
			}
		} else {
			o.E = e
		}
		if o.K, err = a.number("k", 0, 0, 1); err != nil {
			return nil, err
		}
		if o.Window, err = a.number("d", DefaultWindow, 0, 1); err != nil {
			return nil, err
		}
		return func() Bidding { return NewTimeDependent(o) }, nil
	}
}

var (
	kParam = Param{Name: "k", Default: "0", Meaning: "initial concession k in [0,1]: f(0) = k"}
	tParam = func(def string) Param {
		return Param{Name: "t", Default: def, Meaning: "time T in [0,1] after which the time part applies"}
	}
)

// components is the table behind Parse and Info, in display order.
var components = []entry{
	{Component{Role: "bid", Name: "timedep", Summary: "time-dependent (Faratin 1998): target = Pmin + (Pmax-Pmin)(1 - k - (1-k) t^(1/e)); with a model, the bid it likes best within δ above the target (OMS BestBid)",
		Params: []Param{{Name: "e", Meaning: "concession exponent (0 hardliner, <1 boulware, 1 linear, >1 conceder); required"}, kParam, windowParam()}}, timeDep(-1)},
	{Component{Role: "bid", Name: "boulware", Summary: "time-dependent with e = 0.2", Params: []Param{kParam, windowParam()}}, timeDep(0.2)},
	{Component{Role: "bid", Name: "linear", Summary: "time-dependent with e = 1", Params: []Param{kParam, windowParam()}}, timeDep(1)},
	{Component{Role: "bid", Name: "conceder", Summary: "time-dependent with e = 2", Params: []Param{kParam, windowParam()}}, timeDep(2)},
	{Component{Role: "bid", Name: "hardliner", Summary: "always the best outcome (e = 0); with a model, the one it likes best within δ of the best",
		Params: []Param{windowParam()}}, timeDep(0)},

	{Component{Role: "om", Name: "none", Summary: "no opponent model"},
		func(*args) (any, error) { return func() OpponentModel { return nil }, nil }},
	{Component{Role: "om", Name: "frequency", Summary: "HardHeaded frequency model (ANAC 2011): value counts, weights grow for issues the opponent keeps unchanged",
		Params: []Param{{Name: "l", Default: "0.2", Meaning: "learning coefficient in (0,1)"}, {Name: "v", Default: "1", Meaning: "count added per offered value"}}},
		func(a *args) (any, error) {
			var o FrequencyOptions
			var err error
			if o.Learn, err = a.number("l", 0.2, 1e-9, 0.999999); err != nil {
				return nil, err
			}
			if o.Addition, err = a.number("v", 1, 1e-9, 1e6); err != nil {
				return nil, err
			}
			return func() OpponentModel { return NewFrequency(o) }, nil
		}},
	{Component{Role: "om", Name: "bayesian", Summary: "scalable Bayesian model (Hindriks & Tykhonov 2008): per-issue weight ranks and evaluation shapes, opponent assumed to concede linearly",
		Params: []Param{{Name: "sigma", Default: "0.25", Meaning: "standard deviation of the likelihood, relative"}, {Name: "c", Default: "0.3", Meaning: "assumed concession: the opponent's bid at time t is worth 1 - c t to it"}}},
		func(a *args) (any, error) {
			var o BayesianOptions
			var err error
			if o.Sigma, err = a.number("sigma", defaultSigma, 1e-6, 100); err != nil {
				return nil, err
			}
			if o.Concession, err = a.number("c", defaultConcession, 0.001, 0.999); err != nil {
				return nil, err
			}
			return func() OpponentModel { return NewBayesian(o) }, nil
		}},

	{Component{Role: "ac", Name: "next", Summary: "AC_next: accept iff a·u(offer) + b ≥ u(my next bid)",
		Params: []Param{{Name: "a", Default: "1", Meaning: "scale α"}, {Name: "b", Default: "0", Meaning: "offset β"}}},
		func(a *args) (any, error) {
			x, err := a.number("a", 1, -1e6, 1e6)
			if err != nil {
				return nil, err
			}
			y, err := a.number("b", 0, -1e6, 1e6)
			if err != nil {
				return nil, err
			}
			return ACNext(x, y), nil
		}},
	{Component{Role: "ac", Name: "const", Summary: "AC_const: accept iff u(offer) ≥ c",
		Params: []Param{{Name: "c", Meaning: "utility threshold in [0,1]; required"}}},
		func(a *args) (any, error) {
			c, err := a.required("c", 0, 1)
			if err != nil {
				return nil, err
			}
			return ACConst(c), nil
		}},
	{Component{Role: "ac", Name: "time", Summary: "AC_time: accept anything once t ≥ T", Params: []Param{tParam("0.99")}},
		func(a *args) (any, error) {
			t, err := a.number("t", 0.99, 0, 1)
			if err != nil {
				return nil, err
			}
			return ACTime(t), nil
		}},
	{Component{Role: "ac", Name: "combi", Summary: "AC_combi: AC_next or t ≥ T", Params: []Param{tParam("0.98")}},
		func(a *args) (any, error) {
			t, err := a.number("t", 0.98, 0, 1)
			if err != nil {
				return nil, err
			}
			return ACCombi(t), nil
		}},
	{Component{Role: "ac", Name: "combimax", Summary: "AC_combi(T, MAX^W): AC_next, or t ≥ T and the offer is the best of the last (1-t) window",
		Params: []Param{tParam("0.98")}},
		func(a *args) (any, error) {
			t, err := a.number("t", 0.98, 0, 1)
			if err != nil {
				return nil, err
			}
			return ACCombiMax(t), nil
		}},
}

// Info describes every component, by role (bid, om, ac) and then in
// display order. Defaults: bid=boulware, om=none, ac=next.
func Info() []Component {
	out := make([]Component, len(components))
	for i, e := range components {
		out[i] = e.Component
		out[i].Params = append([]Param(nil), e.Params...)
	}
	return out
}

// Parse reads a BOA spec and returns a factory of negotiators. The spec is
// a comma-separated list of role=component, with an optional "boa:"
// prefix; a component is a name, optionally followed by parameters in
// parentheses (key=value pairs, or one value for the first parameter):
//
//	bid=timedep(e=0.2),om=frequency,ac=combi(t=0.98)
//	boa:bid=conceder,om=bayesian(c=0.5),ac=const(0.8)
//
// Roles left out take their defaults: bid=boulware, om=none, ac=next. Info
// lists every component and parameter. Names and keys are
// case-insensitive. Errors are *SpecError values naming the role,
// component and parameter at fault. Each call of the factory returns a
// Negotiator with fresh components.
func Parse(spec string) (func() parley.Negotiator, error) {
	body := strings.TrimSpace(spec)
	if pre, rest, ok := strings.Cut(body, ":"); ok && strings.EqualFold(strings.TrimSpace(pre), "boa") {
		body = rest
	}
	var newBid func() Bidding
	var newOM func() OpponentModel
	var ac Acceptance
	given := map[string]bool{}
	if strings.TrimSpace(body) != "" {
		items, err := ispec.Split(body, "item")
		if err != nil {
			return nil, &SpecError{Spec: spec, Err: err}
		}
		for _, it := range items {
			role, val, ok := strings.Cut(it, "=")
			role = strings.ToLower(strings.TrimSpace(role))
			if !ok || role == "" {
				return nil, &SpecError{Spec: spec, Err: fmt.Errorf("%q is not role=component", it)}
			}
			if !isRole(role) {
				return nil, &SpecError{Spec: spec, Err: fmt.Errorf("%w %q (want bid, om, ac)", ErrUnknownComponent, role)}
			}
			if given[role] {
				return nil, &SpecError{Spec: spec, Role: role, Err: errors.New("given twice")}
			}
			given[role] = true
			v, err := build(spec, role, val)
			if err != nil {
				return nil, err
			}
			switch role {
			case "bid":
				newBid = v.(func() Bidding)
			case "om":
				newOM = v.(func() OpponentModel)
			default:
				ac = v.(Acceptance)
			}
		}
	}
	return func() parley.Negotiator {
		o := Options{Accept: ac}
		if newBid != nil {
			o.Bidding = newBid()
		}
		if newOM != nil {
			o.Model = newOM()
		}
		return New(o)
	}, nil
}

func isRole(r string) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

// build parses one component of role from its text.
func build(spec, role, text string) (any, error) {
	name, list, err := splitCall(text)
	if err != nil {
		return nil, &SpecError{Spec: spec, Role: role, Err: err}
	}
	var e *entry
	var names []string
	for i := range components {
		if components[i].Role == role {
			names = append(names, components[i].Name)
			if components[i].Name == name {
				e = &components[i]
			}
		}
	}
	if e == nil {
		return nil, &SpecError{Spec: spec, Role: role, Err: fmt.Errorf("%w %q (want %s)", ErrUnknownComponent, name, strings.Join(names, ", "))}
	}
	a := &args{spec: spec, role: role, name: name, kv: map[string]string{}}
	for _, it := range list {
		k, v, ok := strings.Cut(it, "=")
		if !ok {
			if len(list) != 1 || len(e.Params) == 0 {
				return nil, a.fail("", fmt.Errorf("argument %q is not key=value", it))
			}
			k, v = e.Params[0].Name, it
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if !e.has(k) {
			return nil, a.fail(k, fmt.Errorf("%w %q (want %s)", ErrUnknownParameter, k, e.want()))
		}
		if _, dup := a.kv[k]; dup {
			return nil, a.fail(k, errors.New("given twice"))
		}
		a.kv[k] = strings.TrimSpace(v)
	}
	return e.build(a)
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

// args are the parameters of one component.
type args struct {
	spec, role, name string
	kv               map[string]string
}

func (a *args) fail(param string, err error) error {
	return &SpecError{Spec: a.spec, Role: a.role, Name: a.name, Param: param, Err: err}
}

// number returns parameter name (def when absent), checked against [lo, hi].
func (a *args) number(name string, def, lo, hi float64) (float64, error) {
	v, ok := a.kv[name]
	if !ok {
		return def, nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, a.fail(name, fmt.Errorf("%q is not a number", v))
	}
	if x < lo || x > hi {
		return 0, a.fail(name, fmt.Errorf("%v outside [%v, %v]", x, lo, hi))
	}
	return x, nil
}

// required is number for a parameter without a default.
func (a *args) required(name string, lo, hi float64) (float64, error) {
	if _, ok := a.kv[name]; !ok {
		return 0, a.fail(name, errors.New("required"))
	}
	return a.number(name, 0, lo, hi)
}

// splitCall splits "name(a,b)" into the lower-case name and its arguments.
func splitCall(s string) (string, []string, error) {
	s = strings.TrimSpace(s)
	open := strings.IndexByte(s, '(')
	if open < 0 {
		if strings.ContainsAny(s, ")=,") {
			return "", nil, fmt.Errorf("malformed component %q", s)
		}
		if s == "" {
			return "", nil, errors.New("empty component")
		}
		return strings.ToLower(s), nil, nil
	}
	if !strings.HasSuffix(s, ")") {
		return "", nil, fmt.Errorf("component %q: missing closing parenthesis", s)
	}
	name := strings.ToLower(strings.TrimSpace(s[:open]))
	body := s[open+1 : len(s)-1]
	if strings.ContainsAny(body, "()") {
		return "", nil, fmt.Errorf("component %q: nested parentheses", s)
	}
	if name == "" {
		return "", nil, fmt.Errorf("component %q: no name", s)
	}
	if strings.TrimSpace(body) == "" {
		return name, nil, nil
	}
	list := strings.Split(body, ",")
	for i := range list {
		list[i] = strings.TrimSpace(list[i])
		if list[i] == "" {
			return "", nil, fmt.Errorf("component %q: empty argument", s)
		}
	}
	return name, list, nil
}
