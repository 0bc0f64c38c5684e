package experiment

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/spec"
)

// ErrBadParam is wrapped by every error about a sweep parameter (an
// unknown party, stage or parameter, a bad value or range).
var ErrBadParam = errors.New("bad sweep parameter")

// Param is one swept parameter, TARGET.NAME=VALUES: a party's or a stage's
// setting and the values it takes.
type Param struct {
	Spec   string   // as given ("UA.reservation=0.35:0.65:0.05"), for messages
	Target string   // a party or a stage name
	Name   string   // canonical parameter name (aliases resolved)
	Values []string // canonical values: numbers in shortest form, or words
}

// Key returns "TARGET.NAME".
func (p Param) Key() string { return p.Target + "." + p.Name }

// paramKind is one sweep parameter: its typed declaration (name,
// aliases, kind, range or words, meaning), and whether it is a stage's
// setting (else a party's).
type paramKind struct {
	spec.Param
	stage bool
}

// number reports whether the parameter takes numbers.
func (k *paramKind) number() bool { return k.Kind == spec.KindFloat || k.Kind == spec.KindInt }

// words returns the names of values of the protocol vocabulary.
func words[T fmt.Stringer](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.String()
	}
	return out
}

// partyParams and stageParams are every parameter a sweep can vary, of a
// party and of a stage.
var (
	partyParams = []spec.Param{
		{Name: "reservation", Kind: spec.KindFloat, Min: 0, Max: 1, Doc: "the party's reservation value (at t = 0)"},
		{Name: "discount", Kind: spec.KindFloat, Min: 0, Max: 1, Doc: "the party's discount factor δ (0 = none)"},
		{Name: "reservation_drift", Aliases: []string{"drift"}, Kind: spec.KindFloat, Min: -1, Max: 1, Doc: "the party's reservation drift per unit time"},
		{Name: "walk_away_hazard", Aliases: []string{"hazard"}, Kind: spec.KindFloat, Min: 0, Max: 1, Doc: "the party's walk-away probability per no-progress round"},
		{Name: "bias", Kind: spec.KindFloat, Min: 0, Max: 1, Doc: "the mediating party's bias towards its own utility (mediator_policy bias=, in the stages it mediates)"},
		{Name: "report", Kind: spec.KindString, Words: words(parley.Reports()...), Doc: "how the party declares its profile to a mediator with info self_report"},
	}
	stageParams = []spec.Param{
		{Name: "rounds", Kind: spec.KindInt, Min: 1, Max: 1_000_000, Doc: "the stage's round budget (in every variant that uses the stage)"},
		{Name: "round_cost", Kind: spec.KindInt, Min: 1, Max: parley.MaxRoundCost, Doc: "how many units of the one clock a round of the stage takes"},
		{Name: "noise", Kind: spec.KindFloat, Min: 0, Max: 1, Doc: "the noise on declared profiles (info: declared)"},
		{Name: "on_walk_away_next", Kind: spec.KindFloat, Min: 0, Max: 1, Doc: "the probability that a walk-away moves on to the next stage"},
		{Name: "info", Kind: spec.KindString, Words: words(parley.InfoVotes, parley.InfoSelfReport, parley.InfoDeclared, parley.InfoFull, parley.InfoNothing), Doc: "what the mediator sees (every level but declared also sets the noise to 0; none is read as votes)"},
		{Name: "rule", Kind: spec.KindString, Words: words(parley.RuleUnanimous, parley.RuleMajority, parley.RuleMediator), Doc: "the voting rule"},
		{Name: "carry", Kind: spec.KindString, Words: words(parley.CarryNone, parley.CarryBestAcceptable, parley.CarryPartialIssues), Doc: "what the stage hands over"},
	}
)

// lookupParam returns the sweep parameter called name (or an alias), or
// nil.
func lookupParam(name string) *paramKind {
	if p, ok := spec.FindParam(partyParams, name); ok {
		return &paramKind{Param: p}
	}
	if p, ok := spec.FindParam(stageParams, name); ok {
		return &paramKind{Param: p, stage: true}
	}
	return nil
}

func paramNames(stage bool) string {
	ps := partyParams
	if stage {
		ps = stageParams
	}
	ns := make([]string, len(ps))
	for i, p := range ps {
		ns[i] = p.Name
	}
	return strings.Join(ns, ", ")
}

// ParamHelp describes the sweep parameters, one per line, for --help.
func ParamHelp() string {
	var b strings.Builder
	for _, k := range append(append([]spec.Param(nil), partyParams...), stageParams...) {
		who := "PARTY"
		switch {
		case slices.ContainsFunc(stageParams, func(p spec.Param) bool { return p.Name == k.Name }):
			who = "STAGE"
		case k.Name == "bias":
			who = "MEDIATOR"
		}
		name := k.Name
		if len(k.Aliases) > 0 {
			name += " (" + strings.Join(k.Aliases, ", ") + ")"
		}
		vals := ""
		if len(k.Words) > 0 {
			vals = ": " + strings.Join(k.Words, "|")
		}
		fmt.Fprintf(&b, "  %s.%s%s\n      %s\n", who, name, vals, k.Doc)
	}
	return b.String()
}

// maxValues bounds the values of one parameter (a typo in a range step
// should not start a million-cell sweep).
const maxValues = 10_000

// ParseParam reads one --set argument, TARGET.NAME=VALUES, against the
// scenario s: TARGET is a party (for reservation, discount,
// reservation_drift/drift, walk_away_hazard/hazard, report, and bias for
// a party that mediates) or a stage of s's protocol (rounds, noise, info, rule,
// carry, on_walk_away_next); VALUES is a comma-separated list or an
// inclusive range lo:hi:step (hi is included when it lies on the grid
// within 1e-9 of a step). Every value is checked by applying it to a copy
// of s, so a parameter that names nothing or a value out of range fails
// here, before anything runs; the error wraps ErrBadParam.
func ParseParam(s *scenario.Scenario, spec string) (Param, error) {
	bad := func(format string, args ...any) (Param, error) {
		return Param{}, fmt.Errorf("%w %q: %s", ErrBadParam, spec, fmt.Sprintf(format, args...))
	}
	lhs, rhs, ok := strings.Cut(spec, "=")
	if !ok {
		return bad("want TARGET.NAME=VALUES (e.g. UA.reservation=0.4,0.5 or US.bias=0:1:0.25)")
	}
	lhs = strings.TrimSpace(lhs)
	dot := strings.LastIndex(lhs, ".")
	if dot <= 0 || dot == len(lhs)-1 {
		return bad("%q is not TARGET.NAME (a party or stage, a dot, a parameter)", lhs)
	}
	target, name := lhs[:dot], strings.ToLower(lhs[dot+1:])
	k := lookupParam(name)
	if k == nil {
		return bad("unknown parameter %q (party parameters: %s; stage parameters: %s)", name, paramNames(false), paramNames(true))
	}
	p := Param{Spec: spec, Target: target, Name: k.Name}
	if k.stage {
		if s.Protocol == nil {
			return bad("scenario %s declares no protocol, so it has no stage %q", s.Name, target)
		}
		if s.Protocol.Stage(target) < 0 {
			return bad("no stage called %q (have %s)", target, stageList(s.Protocol))
		}
	} else if s.Party(target) < 0 {
		return bad("no party called %q (have %s)", target, strings.Join(s.Names(), ", "))
	}
	if k.Name == "bias" {
		if err := checkBiasTarget(s, target); err != nil {
			return bad("%v", err)
		}
	}
	vals, err := parseValues(rhs, k)
	if err != nil {
		return bad("%v", err)
	}
	p.Values = vals
	for _, v := range vals {
		c := cloneScenario(s)
		if err := apply(c, p, v); err != nil {
			return bad("%v", err)
		}
		if c.Protocol != nil {
			if err := c.Protocol.Validate(c); err != nil {
				return bad("value %s: %v", v, err)
			}
		}
	}
	return p, nil
}

func stageList(pr *scenario.Protocol) string {
	ns := make([]string, len(pr.Stages))
	for i := range pr.Stages {
		ns[i] = pr.Stages[i].Name
	}
	return strings.Join(ns, ", ")
}

// checkBiasTarget checks that party mediates a stage whose policy can take
// a bias.
func checkBiasTarget(s *scenario.Scenario, party string) error {
	if s.Protocol == nil {
		return fmt.Errorf("scenario %s declares no protocol, so %s mediates nothing", s.Name, party)
	}
	n := 0
	for _, st := range s.Protocol.Stages {
		if st.Mechanism == parley.MechanismMediated && st.Mediator == party {
			n++
			if sp, err := spec.Parse(st.MediatorPolicy); err != nil || sp.Name != "biased" {
				return fmt.Errorf("stage %q: %s mediates with policy %q, which has no bias (want biased:bias=...)", st.Name, party, st.MediatorPolicy)
			}
		}
	}
	if n == 0 {
		return fmt.Errorf("party %s mediates no stage of the protocol, so it has no bias", party)
	}
	return nil
}

// parseValues reads a value list or range for parameter k.
func parseValues(rhs string, k *paramKind) ([]string, error) {
	rhs = strings.TrimSpace(rhs)
	if rhs == "" {
		return nil, errors.New("no values")
	}
	var out []string
	if k.number() && strings.Count(rhs, ":") == 2 {
		parts := strings.Split(rhs, ":")
		var x [3]float64
		for i, s := range parts {
			v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("range %q: %q is not a number", rhs, s)
			}
			x[i] = v
		}
		lo, hi, step := x[0], x[1], x[2]
		if step <= 0 {
			return nil, fmt.Errorf("range %q: step %v must be positive", rhs, step)
		}
		if hi < lo {
			return nil, fmt.Errorf("range %q: upper bound %v below lower bound %v", rhs, hi, lo)
		}
		n := math.Floor((hi-lo)/step+1e-9) + 1
		if n > maxValues {
			return nil, fmt.Errorf("range %q has %.0f values, more than %d", rhs, n, maxValues)
		}
		for i := 0; i < int(n); i++ {
			out = append(out, formatValue(lo+float64(i)*step))
		}
	} else {
		for _, s := range strings.Split(rhs, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				return nil, fmt.Errorf("empty value in %q", rhs)
			}
			if k.number() {
				v, err := strconv.ParseFloat(s, 64)
				if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("%q is not a number", s)
				}
				s = formatValue(v)
			}
			if k.Name == "info" {
				if info, err := parley.ParseInfo(s); err == nil {
					s = info.String() // "none", the former name of "votes"
				}
			}
			out = append(out, s)
		}
		if len(out) > maxValues {
			return nil, fmt.Errorf("%d values, more than %d", len(out), maxValues)
		}
	}
	for _, v := range out {
		if _, err := k.Parse(v); err != nil {
			return nil, fmt.Errorf("value %w", err) // value 1.1 outside [0, 1]
		}
	}
	return out, nil
}

// formatValue writes x in shortest form after rounding away the binary
// noise of a range (0.35+0.05·3 = 0.49999999999999994 → "0.5").
func formatValue(x float64) string {
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	if y == 0 {
		y = 0 // no "-0"
	}
	return strconv.FormatFloat(y, 'g', -1, 64)
}

// cloneScenario copies s deeply enough to change its parties' profiles and
// its protocol: the space, utility functions and references are shared.
func cloneScenario(s *scenario.Scenario) *scenario.Scenario {
	c := *s
	c.Parties = make([]scenario.Party, len(s.Parties))
	for i, p := range s.Parties {
		c.Parties[i] = p
		if p.Profile != nil {
			pr := *p.Profile
			c.Parties[i].Profile = &pr
		}
	}
	if s.Protocol != nil {
		pr := scenario.Protocol{Stages: make([]scenario.Stage, len(s.Protocol.Stages)), Variants: make([]scenario.Variant, len(s.Protocol.Variants))}
		for i, st := range s.Protocol.Stages {
			pr.Stages[i] = st
			pr.Stages[i].Participants = append([]string(nil), st.Participants...)
		}
		for i, v := range s.Protocol.Variants {
			pr.Variants[i] = v
			pr.Variants[i].Steps = append([]scenario.VariantStep(nil), v.Steps...)
		}
		c.Protocol = &pr
	}
	return &c
}

// apply sets parameter p to value v in c (a clone).
func apply(c *scenario.Scenario, p Param, v string) error {
	k := lookupParam(p.Name)
	var x float64
	if k.number() {
		var err error
		if x, err = strconv.ParseFloat(v, 64); err != nil {
			return fmt.Errorf("%q is not a number", v)
		}
	}
	if k.stage {
		i := c.Protocol.Stage(p.Target)
		if i < 0 {
			return fmt.Errorf("no stage called %q", p.Target)
		}
		st := &c.Protocol.Stages[i]
		switch k.Name {
		case "rounds":
			st.Rounds = int(x)
			// The stage's rounds win over a variant's override.
			for vi := range c.Protocol.Variants {
				for si := range c.Protocol.Variants[vi].Steps {
					if c.Protocol.Variants[vi].Steps[si].Stage == p.Target {
						c.Protocol.Variants[vi].Steps[si].Rounds = 0
					}
				}
			}
		case "round_cost":
			st.RoundCost = int(x)
		case "noise":
			st.Noise = x
		case "on_walk_away_next":
			st.OnWalkAwayNext = x
		case "info":
			info, err := parley.ParseInfo(v)
			if err != nil {
				return err
			}
			st.Info = info
			if info != parley.InfoDeclared {
				st.Noise = 0 // noise is for declared profiles only
			}
		case "rule":
			rule, err := parley.ParseRule(v)
			if err != nil {
				return err
			}
			st.Rule = rule
		case "carry":
			carry, err := parley.ParseCarry(v)
			if err != nil {
				return err
			}
			st.Carry = carry
			for vi := range c.Protocol.Variants {
				for si := range c.Protocol.Variants[vi].Steps {
					if c.Protocol.Variants[vi].Steps[si].Stage == p.Target {
						c.Protocol.Variants[vi].Steps[si].Carry = nil
					}
				}
			}
		}
		return nil
	}
	i := c.Party(p.Target)
	if i < 0 {
		return fmt.Errorf("no party called %q", p.Target)
	}
	prof := c.Parties[i].Profile
	switch k.Name {
	case "reservation":
		prof.Reservation = x
	case "discount":
		prof.Discount = x
	case "reservation_drift":
		prof.Drift = x
	case "walk_away_hazard":
		prof.Hazard = x
	case "report":
		r, err := parley.ParseReport(v)
		if err != nil {
			return err
		}
		prof.Report = r
	case "bias":
		for si := range c.Protocol.Stages {
			st := &c.Protocol.Stages[si]
			if st.Mechanism == parley.MechanismMediated && st.Mediator == p.Target {
				policy, err := setSpecParam(st.MediatorPolicy, "bias", v)
				if err != nil {
					return fmt.Errorf("stage %q: %w", st.Name, err)
				}
				st.MediatorPolicy = policy
			}
		}
		return nil
	}
	if err := prof.Validate(); err != nil {
		return err
	}
	return nil
}

// setSpecParam returns the mediator spec with parameter key set to v
// (replaced if present, appended otherwise).
func setSpecParam(text, key, v string) (string, error) {
	sp, err := spec.Parse(text)
	if err != nil {
		return "", fmt.Errorf("mediator_policy %q: %w", text, err)
	}
	return sp.With(key, v).String(), nil
}

// Cell is one point of a sweep's grid: a value for every parameter.
type Cell struct {
	Params []Param
	Values []string // Values[i] is the value of Params[i]
}

// Name reads "US.bias=0.25 UA.reservation=0.4" (a lone cell without
// parameters is "base").
func (c Cell) Name() string {
	if len(c.Params) == 0 {
		return "base"
	}
	parts := make([]string, len(c.Params))
	for i, p := range c.Params {
		parts[i] = p.Key() + "=" + c.Values[i]
	}
	return strings.Join(parts, " ")
}

// Map returns parameter → value, numbers as float64.
func (c Cell) Map() map[string]any {
	m := make(map[string]any, len(c.Params))
	for i, p := range c.Params {
		if x, err := strconv.ParseFloat(c.Values[i], 64); err == nil && lookupParam(p.Name).number() {
			m[p.Key()] = x
		} else {
			m[p.Key()] = c.Values[i]
		}
	}
	return m
}

// Apply returns a copy of s with the cell's values set.
func (c Cell) Apply(s *scenario.Scenario) (*scenario.Scenario, error) {
	out := cloneScenario(s)
	for i, p := range c.Params {
		if err := apply(out, p, c.Values[i]); err != nil {
			return nil, fmt.Errorf("experiment: %s: %w", p.Spec, err)
		}
	}
	if out.Protocol != nil {
		if err := out.Protocol.Validate(out); err != nil {
			return nil, fmt.Errorf("experiment: cell %s: %w", c.Name(), err)
		}
	}
	return out, nil
}

// Grid returns every cell of the parameters' cross product, the last
// parameter varying fastest. A parameter given twice fails.
func Grid(params []Param) ([]Cell, error) {
	seen := map[string]bool{}
	total := 1
	for _, p := range params {
		if seen[p.Key()] {
			return nil, fmt.Errorf("%w %q: %s is set twice", ErrBadParam, p.Spec, p.Key())
		}
		seen[p.Key()] = true
		total *= len(p.Values)
		if total > maxValues {
			return nil, fmt.Errorf("%w: the grid has more than %d cells", ErrBadParam, maxValues)
		}
	}
	cells := make([]Cell, total)
	for i := range cells {
		c := Cell{Params: params, Values: make([]string, len(params))}
		x := i
		for j := len(params) - 1; j >= 0; j-- {
			n := len(params[j].Values)
			c.Values[j] = params[j].Values[x%n]
			x /= n
		}
		cells[i] = c
	}
	return cells, nil
}
