package scenario

import (
	"fmt"
	"math"
	"strings"
)

// MaxAssumptions bounds the assumptions: block of a scenario file (a
// global sensitivity analysis runs k+2 parameter points per base sample,
// so a few dozen assumptions is already a very large design).
const MaxAssumptions = 64

// Assumption is one uncertain number of a scenario with the range it may
// take: the ranges a global sensitivity analysis samples (parley
// experiment robustness). Name is in the experiment's sweep grammar,
// TARGET.NAME: a party or a stage of the protocol, a dot and a numeric
// parameter (UA.reservation, RU.walk_away_hazard, mediated.noise). The
// scenario package checks that TARGET names a party or a stage; the
// experiment package checks the parameter and both ends of the range
// against the scenario before anything runs.
type Assumption struct {
	Name    string
	Lo, Hi  float64 // the range, Lo < Hi
	Integer bool    // the parameter takes whole numbers (Lo and Hi are whole)
	Note    string  // where the range comes from, free text
}

// Target returns the part of the name before its last dot (a party or a
// stage), and Param the part after it.
func (a Assumption) Target() string {
	t, _ := splitAssumption(a.Name)
	return t
}

// Param returns the parameter part of the name (after its last dot).
func (a Assumption) Param() string {
	_, p := splitAssumption(a.Name)
	return p
}

func splitAssumption(name string) (target, param string) {
	i := strings.LastIndex(name, ".")
	if i < 0 {
		return "", name
	}
	return name[:i], name[i+1:]
}

// fileAssumption is one entry of the file's assumptions: list.
type fileAssumption struct {
	Name    string    `yaml:"name" json:"name"`
	Range   []float64 `yaml:"range" json:"range"`
	Integer bool      `yaml:"integer" json:"integer"`
	Note    string    `yaml:"note" json:"note"`
}

// assumptions converts and checks the file's assumptions: list against
// the scenario s (its parties and protocol already read).
func (l *loader) assumptions(s *Scenario, fas []fileAssumption) ([]Assumption, error) {
	ap := path{}.key("assumptions")
	if len(fas) > MaxAssumptions {
		return nil, l.x.errorf(ap, "%d assumptions, more than the limit of %d (scenario.MaxAssumptions)", len(fas), MaxAssumptions)
	}
	var out []Assumption
	seen := map[string]int{}
	for i, fa := range fas {
		q := ap.at(i)
		a, msg, field := checkAssumption(s, fa)
		if msg != "" {
			if field != "" {
				q = q.key(field)
			}
			return nil, l.x.errorf(q, "%s", msg)
		}
		if j, ok := seen[a.Name]; ok {
			return nil, l.x.errorf(q.key("name"), "assumption %q appears twice (entries %d and %d)", a.Name, j+1, i+1)
		}
		seen[a.Name] = i
		out = append(out, a)
	}
	return out, nil
}

// checkAssumption converts one entry, returning a message and the field
// it is about when the entry is invalid.
func checkAssumption(s *Scenario, fa fileAssumption) (a Assumption, msg, field string) {
	name := strings.TrimSpace(fa.Name)
	if name == "" {
		return a, "an assumption needs a name, TARGET.NAME (e.g. UA.reservation or mediated.noise)", ""
	}
	if !validText(name) || !validText(fa.Note) {
		return a, fmt.Sprintf("assumption %q: not valid UTF-8", name), "name"
	}
	target, param := splitAssumption(name)
	if target == "" || param == "" {
		return a, fmt.Sprintf("assumption %q is not TARGET.NAME (a party or a stage, a dot, a parameter)", name), "name"
	}
	if s.Party(target) < 0 && (s.Protocol == nil || s.Protocol.Stage(target) < 0) {
		have := strings.Join(s.Names(), ", ")
		if s.Protocol != nil {
			for _, st := range s.Protocol.Stages {
				have += ", " + st.Name
			}
		}
		return a, fmt.Sprintf("assumption %q: no party or stage called %q (have %s)", name, target, have), "name"
	}
	if len(fa.Range) != 2 {
		return a, fmt.Sprintf("assumption %q: range has %d numbers, want [lo, hi]", name, len(fa.Range)), "range"
	}
	lo, hi := fa.Range[0], fa.Range[1]
	if math.IsNaN(lo) || math.IsInf(lo, 0) || math.IsNaN(hi) || math.IsInf(hi, 0) {
		return a, fmt.Sprintf("assumption %q: range [%v, %v] is not finite", name, lo, hi), "range"
	}
	if !(lo < hi) {
		return a, fmt.Sprintf("assumption %q: range [%v, %v]: lo must be below hi", name, lo, hi), "range"
	}
	if fa.Integer && (lo != math.Trunc(lo) || hi != math.Trunc(hi) || math.Abs(lo) > maxExactInt || math.Abs(hi) > maxExactInt) {
		return a, fmt.Sprintf("assumption %q: integer range [%v, %v] has ends that are not whole numbers", name, lo, hi), "range"
	}
	return Assumption{Name: name, Lo: lo, Hi: hi, Integer: fa.Integer, Note: fa.Note}, "", ""
}

// validText reports whether s can be written back (valid UTF-8).
func validText(s string) bool { return checkText("", s) == nil }

// encodeAssumptions writes the assumptions: list.
func encodeAssumptions(s *Scenario) ([]any, error) {
	out := make([]any, len(s.Assumptions))
	for i, a := range s.Assumptions {
		if !validText(a.Name) || !validText(a.Note) {
			return nil, fmt.Errorf("scenario: write %s: assumption %q is not valid UTF-8", s.Name, a.Name)
		}
		if !(a.Lo < a.Hi) || math.IsInf(a.Lo, 0) || math.IsInf(a.Hi, 0) {
			return nil, fmt.Errorf("scenario: write %s: assumption %q: range [%v, %v] is not lo < hi", s.Name, a.Name, a.Lo, a.Hi)
		}
		m := &omap{}
		m.set("name", a.Name)
		m.set("range", flowList{a.Lo, a.Hi})
		if a.Integer {
			m.set("integer", true)
		}
		if a.Note != "" {
			m.set("note", a.Note)
		}
		out[i] = m
	}
	return out, nil
}
