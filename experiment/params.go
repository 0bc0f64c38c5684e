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

// lookupParam returns the sweep parameter called name (or an alias), or
// nil: a scenario setting (scenario.Settings).
func lookupParam(name string) *scenario.Setting {
	if k, ok := scenario.LookupSetting(name); ok {
		return &k
	}
	return nil
}

// ParamHelp describes the sweep parameters, one per line, for --help.
func ParamHelp() string {
	var b strings.Builder
	for _, k := range scenario.Settings() {
		who := "PARTY"
		switch {
		case k.Stage:
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
	if !strings.Contains(spec, "=") {
		return bad("want TARGET.NAME=VALUES (e.g. UA.reservation=0.4,0.5 or US.bias=0:1:0.25)")
	}
	target, k, rhs, err := s.SplitSetting(spec)
	if err != nil {
		return bad("%v", err)
	}
	p := Param{Spec: spec, Target: target, Name: k.Name}
	vals, err := parseValues(rhs, &k)
	if err != nil {
		return bad("%v", err)
	}
	p.Values = vals
	for _, v := range vals {
		if _, err := s.With(p.Setting(v)); err != nil {
			return bad("value %s: %v", v, errors.Unwrap(err))
		}
	}
	return p, nil
}

// Setting returns the scenario setting TARGET.NAME=v of the parameter.
func (p Param) Setting(v string) string { return p.Key() + "=" + v }

// parseValues reads a value list or range for parameter k.
func parseValues(rhs string, k *scenario.Setting) ([]string, error) {
	rhs = strings.TrimSpace(rhs)
	if rhs == "" {
		return nil, errors.New("no values")
	}
	var out []string
	if k.Number() && strings.Count(rhs, ":") == 2 {
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
			if k.Number() {
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
		if x, err := strconv.ParseFloat(c.Values[i], 64); err == nil && lookupParam(p.Name).Number() {
			m[p.Key()] = x
		} else {
			m[p.Key()] = c.Values[i]
		}
	}
	return m
}

// Settings returns the cell as scenario settings, TARGET.NAME=VALUE.
func (c Cell) Settings() []string {
	out := make([]string, len(c.Params))
	for i, p := range c.Params {
		out[i] = p.Setting(c.Values[i])
	}
	return out
}

// Apply returns a copy of s with the cell's values set.
func (c Cell) Apply(s *scenario.Scenario) (*scenario.Scenario, error) {
	out, err := s.With(c.Settings()...)
	if err != nil {
		return nil, fmt.Errorf("experiment: cell %s: %w", c.Name(), err)
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
