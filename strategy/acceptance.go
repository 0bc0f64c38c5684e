package strategy

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/parley-dev/parley"
)

// Context is what an acceptance condition sees when a strategy weighs the
// offer on the table. Utilities are the party's own, undiscounted (with a
// discount factor both sides of every comparison would be scaled by the same
// δ^t).
type Context struct {
	// State is the turn's state, owned by the mechanism: read it during
	// the call only.
	State *parley.State
	// Utility is the party's own utility function.
	Utility parley.UtilityFunction
	// Offer is u(x_opp), the utility of the offer on the table.
	Offer float64
	// Next is u(x_next), the utility of the bid the strategy would send
	// if it did not accept.
	Next float64
	// Reservation is the party's reservation value at State.Time, r(t)
	// (parley.Profile.ReservationAt). The strategies in this package
	// refuse an offer below it, or across one of the party's red lines,
	// whatever the condition says: conditions need not check.
	Reservation float64
}

// Acceptance decides whether to accept the offer on the table. Strategies
// call it on their turn, when another party's offer stands, before making a
// counter-offer; it must not keep c.State and must not allocate.
type Acceptance interface {
	Accept(c Context) bool
}

// AcceptanceFunc adapts a function to Acceptance.
type AcceptanceFunc func(c Context) bool

// Accept calls f(c).
func (f AcceptanceFunc) Accept(c Context) bool { return f(c) }

// ACNext is AC_next(α, β) (Baarslag, Hindriks and Jonker 2014, DSS
// 60:68-77; GENIUS AC_Next): accept iff α·u(x_opp) + β ≥ u(x_next). The
// classic condition is ACNext(1, 0): the offer is at least as good as the
// bid I would send.
func ACNext(alpha, beta float64) AcceptanceFunc {
	return func(c Context) bool { return parley.AtLeast(alpha*c.Offer+beta, c.Next) }
}

// ACConst is AC_const(c): accept iff u(x_opp) ≥ c.
func ACConst(c float64) AcceptanceFunc {
	return func(x Context) bool { return parley.AtLeast(x.Offer, c) }
}

// ACTime is AC_time(T): accept any offer once the normalised time t ≥ T.
func ACTime(T float64) AcceptanceFunc {
	return func(c Context) bool { return c.State != nil && c.State.Time >= T }
}

// ACAny accepts when any of the conditions does (checked in order).
func ACAny(conds ...Acceptance) AcceptanceFunc {
	conds = append([]Acceptance(nil), conds...)
	return func(c Context) bool {
		for _, a := range conds {
			if a.Accept(c) {
				return true
			}
		}
		return false
	}
}

// ACCombi is AC_combi(T) = AC_next(1, 0) ∨ AC_time(T) (GENIUS AC_Combi).
func ACCombi(T float64) AcceptanceFunc { return ACAny(ACNext(1, 0), ACTime(T)) }

// ACCombiMax is AC_combi(T, MAX^W), the best condition in Baarslag et al.
// 2014: AC_next(1, 0), or t ≥ T and u(x_opp) is at least the best utility
// among the offers the other parties made in the window [t-(1-t), t] (the
// remaining time mirrored back, as GENIUS AC_CombiMaxInWindow).
func ACCombiMax(T float64) AcceptanceFunc {
	next := ACNext(1, 0)
	return func(c Context) bool {
		if next(c) {
			return true
		}
		st := c.State
		if st == nil || st.Time < T || c.Utility == nil {
			return false
		}
		lo := st.Time - (1 - st.Time)
		best := math.Inf(-1)
		for i := len(st.Offers) - 1; i >= 0 && st.Offers[i].Time >= lo; i-- {
			if r := &st.Offers[i]; r.Party != st.Me {
				best = max(best, c.Utility.Utility(r.Outcome))
			}
		}
		return parley.AtLeast(c.Offer, best)
	}
}

// Default times of the time-based conditions, when a spec leaves them out:
// GENIUS uses T = 0.98 for AC_Combi and AC_CombiMaxInWindow.
const (
	defaultACTime  = 0.99
	defaultACCombi = 0.98
)

// ParseAcceptance reads an acceptance spec: a name, optionally followed by
// parameters in parentheses, as key=value pairs or one positional value:
//
//	next, next(a=1,b=0.05)   AC_next(α, β)      (defaults a=1, b=0)
//	const(c=0.8), const(0.8) AC_const(c)        (c required)
//	time(t=0.99)             AC_time(T)         (default t=0.99)
//	combi(t=0.98)            AC_next ∨ AC_time  (default t=0.98)
//	combimax(t=0.98)         AC_combi(T, MAX^W) (default t=0.98)
func ParseAcceptance(spec string) (Acceptance, error) {
	ac, err := parseAcceptance(spec)
	if err != nil {
		return nil, fmt.Errorf("strategy: acceptance %q: %w", spec, err)
	}
	return ac, nil
}

// parseAcceptance is ParseAcceptance with errors that do not repeat the
// spec.
func parseAcceptance(spec string) (Acceptance, error) {
	name, args, err := splitCall(spec)
	if err != nil {
		return nil, err
	}
	var keys []string
	switch name {
	case "next":
		keys = []string{"a", "b"}
	case "const":
		keys = []string{"c"}
	case "time", "combi", "combimax":
		keys = []string{"t"}
	default:
		return nil, fmt.Errorf("unknown condition %q (want next, const, time, combi, combimax)", name)
	}
	vals := map[string]float64{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			if len(args) != 1 {
				return nil, fmt.Errorf("argument %q is not key=value", a)
			}
			k, v = keys[0], a
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if !slices.Contains(keys, k) {
			return nil, fmt.Errorf("unknown parameter %q (want %s)", k, strings.Join(keys, ", "))
		}
		if _, dup := vals[k]; dup {
			return nil, fmt.Errorf("parameter %q given twice", k)
		}
		x, err := parseNumber(v)
		if err != nil {
			return nil, fmt.Errorf("parameter %q: %w", k, err)
		}
		vals[k] = x
	}
	get := func(k string, def float64) float64 {
		if v, ok := vals[k]; ok {
			return v
		}
		return def
	}
	for _, k := range []string{"c", "t"} {
		if v, ok := vals[k]; ok && (v < 0 || v > 1) {
			return nil, fmt.Errorf("parameter %q: %v outside [0,1]", k, v)
		}
	}
	switch name {
	case "next":
		return ACNext(get("a", 1), get("b", 0)), nil
	case "const":
		c, ok := vals["c"]
		if !ok {
			return nil, errors.New(`parameter "c" is required`)
		}
		return ACConst(c), nil
	case "time":
		return ACTime(get("t", defaultACTime)), nil
	case "combi":
		return ACCombi(get("t", defaultACCombi)), nil
	default: // combimax
		return ACCombiMax(get("t", defaultACCombi)), nil
	}
}

// splitCall splits "name(a,b)" into the lower-case name and its arguments.
func splitCall(s string) (string, []string, error) {
	s = strings.TrimSpace(s)
	open := strings.IndexByte(s, '(')
	if open < 0 {
		if strings.ContainsAny(s, ")=,") {
			return "", nil, errors.New("malformed condition")
		}
		if s == "" {
			return "", nil, errors.New("empty condition")
		}
		return strings.ToLower(s), nil, nil
	}
	if !strings.HasSuffix(s, ")") {
		return "", nil, errors.New("missing closing parenthesis")
	}
	name := strings.ToLower(strings.TrimSpace(s[:open]))
	body := s[open+1 : len(s)-1]
	if strings.ContainsAny(body, "()") {
		return "", nil, errors.New("nested parentheses")
	}
	if name == "" {
		return "", nil, errors.New("no condition name")
	}
	if strings.TrimSpace(body) == "" {
		return name, nil, nil
	}
	args := strings.Split(body, ",")
	for i := range args {
		args[i] = strings.TrimSpace(args[i])
		if args[i] == "" {
			return "", nil, errors.New("empty argument")
		}
	}
	return name, args, nil
}

// parseNumber reads a finite float.
func parseNumber(v string) (float64, error) {
	x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%q is not a number", v)
	}
	return x, nil
}
