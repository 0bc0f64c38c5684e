package experiment

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/scenario"
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

// paramKind describes one parameter name.
type paramKind struct {
	name    string
	aliases []string
	stage   bool // a stage's setting (else a party's)
	number  bool // numeric values in [lo, hi]
	integer bool
	lo, hi  float64
	words   []string // allowed values of a non-numeric parameter
	meaning string
}

// paramKinds is every parameter a sweep can vary.
var paramKinds = []paramKind{
	{name: "reservation", number: true, lo: 0, hi: 1, meaning: "the party's reservation value (at t = 0)"},
	{name: "discount", number: true, lo: 0, hi: 1, meaning: "the party's discount factor δ (0 = none)"},
	{name: "reservation_drift", aliases: []string{"drift"}, number: true, lo: -1, hi: 1, meaning: "the party's reservation drift per unit time"},
	{name: "walk_away_hazard", aliases: []string{"hazard"}, number: true, lo: 0, hi: 1, meaning: "the party's walk-away probability per no-progress round"},
	{name: "bias", number: true, lo: 0, hi: 1, meaning: "the mediating party's bias towards its own utility (mediator_policy bias=, in the stages it mediates)"},
	{name: "rounds", stage: true, number: true, integer: true, lo: 1, hi: 1_000_000, meaning: "the stage's round budget (in every variant that uses the stage)"},
	{name: "noise", stage: true, number: true, lo: 0, hi: 1, meaning: "the noise on declared profiles (info: declared)"},
	{name: "on_walk_away_next", stage: true, number: true, lo: 0, hi: 1, meaning: "the probability that a walk-away moves on to the next stage"},
	{name: "info", stage: true, words: words(parley.InfoNone, parley.InfoDeclared, parley.InfoFull, parley.InfoNothing), meaning: "what the mediator sees (none and full also set the noise to 0)"},
	{name: "rule", stage: true, words: words(parley.RuleUnanimous, parley.RuleMajority, parley.RuleMediator), meaning: "the voting rule"},
	{name: "carry", stage: true, words: words(parley.CarryNone, parley.CarryBestAcceptable, parley.CarryPartialIssues), meaning: "what the stage hands over"},
}

// words returns the names of values of the protocol vocabulary.
func words[T fmt.Stringer](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.String()
	}
	return out
}

func lookupParam(name string) *paramKind {
	for i := range paramKinds {
		k := &paramKinds[i]
		if k.name == name {
			return k
		}
		for _, a := range k.aliases {
			if a == name {
				return k
			}
		}
	}
	return nil
}

func paramNames(stage bool) string {
	var ns []string
	for _, k := range paramKinds {
		if k.stage == stage {
			ns = append(ns, k.name)
		}
	}
	return strings.Join(ns, ", ")
}

// ParamHelp describes the sweep parameters, one per line, for --help.
func ParamHelp() string {
	var b strings.Builder
	for _, k := range paramKinds {
		who := "PARTY"
		switch {
		case k.stage:
			who = "STAGE"
		case k.name == "bias":
			who = "MEDIATOR"
		}
		name := k.name
		if len(k.aliases) > 0 {
			name += " (" + strings.Join(k.aliases, ", ") + ")"
		}
		vals := ""
		if len(k.words) > 0 {
			vals = ": " + strings.Join(k.words, "|")
		}
		fmt.Fprintf(&b, "  %s.%s%s\n      %s\n", who, name, vals, k.meaning)
	}
	return b.String()
}

// maxValues bounds the values of one parameter (a typo in a range step
// should not start a million-cell sweep).
const maxValues = 10_000

// ParseParam reads one --set argument, TARGET.NAME=VALUES, against the
// scenario s: TARGET is a party (for reservation, discount,
// reservation_drift/drift, walk_away_hazard/hazard, and bias for a party
// that mediates) or a stage of s's protocol (rounds, noise, info, rule,
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
	p := Param{Spec: spec, Target: target, Name: k.name}
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
	if k.name == "bias" {
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
			if name, _, _ := strings.Cut(st.MediatorPolicy, ":"); strings.TrimSpace(name) != "biased" {
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
	if k.number && strings.Count(rhs, ":") == 2 {
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
			if k.number {
				v, err := strconv.ParseFloat(s, 64)
				if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("%q is not a number", s)
				}
				s = formatValue(v)
			}
			out = append(out, s)
		}
		if len(out) > maxValues {
			return nil, fmt.Errorf("%d values, more than %d", len(out), maxValues)
		}
	}
	for _, v := range out {
		if k.number {
			x, _ := strconv.ParseFloat(v, 64)
			if x < k.lo || x > k.hi {
				return nil, fmt.Errorf("value %s outside [%v, %v]", v, k.lo, k.hi)
			}
			if k.integer && x != math.Trunc(x) {
				return nil, fmt.Errorf("value %s is not an integer", v)
			}
			continue
		}
		ok := false
		for _, w := range k.words {
			ok = ok || w == v
		}
		if !ok {
			return nil, fmt.Errorf("value %q: want one of %s", v, strings.Join(k.words, ", "))
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
	if k.number {
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
		switch k.name {
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
	switch k.name {
	case "reservation":
		prof.Reservation = x
	case "discount":
		prof.Discount = x
	case "reservation_drift":
		prof.Drift = x
	case "walk_away_hazard":
		prof.Hazard = x
	case "bias":
		for si := range c.Protocol.Stages {
			st := &c.Protocol.Stages[si]
			if st.Mechanism == parley.MechanismMediated && st.Mediator == p.Target {
				spec, err := setSpecParam(st.MediatorPolicy, "bias", v)
				if err != nil {
					return fmt.Errorf("stage %q: %w", st.Name, err)
				}
				st.MediatorPolicy = spec
			}
		}
		return nil
	}
	if err := prof.Validate(); err != nil {
		return err
	}
	return nil
}

// setSpecParam returns the strategy spec with parameter key set to v
// (replaced if present, appended otherwise).
func setSpecParam(spec, key, v string) (string, error) {
	name, params, has := strings.Cut(strings.TrimSpace(spec), ":")
	if strings.TrimSpace(name) == "" {
		return "", fmt.Errorf("empty mediator_policy %q", spec)
	}
	var kept []string
	if has {
		for kv := range strings.SplitSeq(params, ",") {
			k, _, _ := strings.Cut(kv, "=")
			if strings.EqualFold(strings.TrimSpace(k), key) {
				continue
			}
			kept = append(kept, strings.TrimSpace(kv))
		}
	}
	kept = append(kept, key+"="+v)
	return name + ":" + strings.Join(kept, ","), nil
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
		if x, err := strconv.ParseFloat(c.Values[i], 64); err == nil && lookupParam(p.Name).number {
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
