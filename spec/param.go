package spec

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Kind is the type of a parameter's value.
type Kind uint8

// The kinds of parameter values.
const (
	KindFloat  Kind = iota + 1 // a finite number in [Min, Max]
	KindInt                    // an integer in [Min, Max]
	KindBool                   // true/false (also yes/no, on/off, 1/0)
	KindString                 // any text, or one of Words
	KindSpec                   // a nested spec, built by Of
)

var kindNames = [...]string{KindFloat: "number", KindInt: "integer", KindBool: "boolean", KindString: "string", KindSpec: "spec"}

// String names the kind as `parley agents` shows it.
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Param declares one typed parameter of a registry entry (or a sweep
// parameter of an experiment). Build one with Float, Int, Bool, Text or
// Nested; a zero Param is invalid.
type Param struct {
	Name    string   // lower case, without any of ":=(),"
	Aliases []string // other names accepted for it
	Kind    Kind
	// Default is the value when the parameter is not given, as written in
	// a spec; it must itself be valid. Required parameters have none.
	Default  string
	Required bool
	// Min and Max bound a KindFloat or KindInt value (inclusive).
	Min, Max float64
	// Words are the values a KindString parameter allows (nil: any).
	Words []string
	// Of builds the value of a KindSpec parameter (a *Registry).
	Of Resolver
	// Doc says what the parameter means, for `parley agents`.
	Doc string
}

// Resolver builds a nested spec's value; *Registry implements it.
type Resolver interface {
	What() string    // what the specs name: "acceptance condition", ...
	Names() []string // the names it knows, in display order
	resolve(text string) (any, error)
}

// Float declares a number parameter with default def in [lo, hi].
func Float(name string, def, lo, hi float64, doc string) Param {
	return Param{Name: name, Kind: KindFloat, Default: formatFloat(def), Min: lo, Max: hi, Doc: doc}
}

// Int declares an integer parameter with default def in [lo, hi].
func Int(name string, def, lo, hi int, doc string) Param {
	return Param{Name: name, Kind: KindInt, Default: strconv.Itoa(def), Min: float64(lo), Max: float64(hi), Doc: doc}
}

// Bool declares a true/false parameter with default def.
func Bool(name string, def bool, doc string) Param {
	return Param{Name: name, Kind: KindBool, Default: strconv.FormatBool(def), Doc: doc}
}

// Text declares a text parameter with default def; when words are given
// the value must be one of them.
func Text(name, def, doc string, words ...string) Param {
	return Param{Name: name, Kind: KindString, Default: def, Words: words, Doc: doc}
}

// Nested declares a parameter whose value is a spec of another registry,
// in call form (ac=combi(t=0.98)), with default def.
func Nested(name, def string, of Resolver, doc string) Param {
	return Param{Name: name, Kind: KindSpec, Default: def, Of: of, Doc: doc}
}

// Require returns p without a default: a spec must give it.
func (p Param) Require() Param {
	p.Default, p.Required = "", true
	return p
}

// Allowed describes the values p takes: "[0, 1]", "true or false", "one of
// a, b", "an acceptance condition (next, const, ...)".
func (p Param) Allowed() string {
	switch p.Kind {
	case KindFloat:
		return fmt.Sprintf("a number in [%v, %v]", p.Min, p.Max)
	case KindInt:
		return fmt.Sprintf("an integer in [%v, %v]", p.Min, p.Max)
	case KindBool:
		return "true or false"
	case KindSpec:
		if p.Of != nil {
			return fmt.Sprintf("a %s (%s)", p.Of.What(), strings.Join(p.Of.Names(), ", "))
		}
	case KindString:
		if len(p.Words) > 0 {
			return "one of " + strings.Join(p.Words, ", ")
		}
	}
	return "any text"
}

// Parse reads a value of p: float64, int, bool, string, or for KindSpec
// what p.Of builds. Errors say what is allowed.
func (p Param) Parse(text string) (any, error) {
	v := strings.TrimSpace(text)
	switch p.Kind {
	case KindFloat, KindInt:
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%q is not a number", v)
		}
		if p.Kind == KindInt && x != math.Trunc(x) {
			return nil, fmt.Errorf("%q is not an integer", v)
		}
		if x < p.Min || x > p.Max {
			return nil, fmt.Errorf("%v outside [%v, %v]", x, p.Min, p.Max)
		}
		if p.Kind == KindInt {
			return int(x), nil
		}
		return x, nil
	case KindBool:
		switch strings.ToLower(v) {
		case "true", "yes", "on", "1":
			return true, nil
		case "false", "no", "off", "0":
			return false, nil
		}
		return nil, fmt.Errorf("%q is not true or false", v)
	case KindString:
		if len(p.Words) > 0 && !slices.Contains(p.Words, v) {
			return nil, fmt.Errorf("%q: want one of %s", v, strings.Join(p.Words, ", "))
		}
		return v, nil
	case KindSpec:
		if p.Of == nil {
			return nil, errors.New("no registry for a nested spec")
		}
		return p.Of.resolve(v)
	}
	return nil, fmt.Errorf("parameter %q has no kind", p.Name)
}

// check reports a badly declared parameter.
func (p Param) check() error {
	for _, n := range append([]string{p.Name}, p.Aliases...) {
		if c, err := checkName(n, "parameter name"); err != nil || c != n {
			return fmt.Errorf("parameter name %q: want lower case without %q", n, reserved)
		}
	}
	switch p.Kind {
	case KindFloat, KindInt:
		if !(p.Min <= p.Max) {
			return fmt.Errorf("parameter %q: empty range [%v, %v]", p.Name, p.Min, p.Max)
		}
	case KindSpec:
		if p.Of == nil {
			return fmt.Errorf("parameter %q: a nested spec without Of", p.Name)
		}
	case KindBool, KindString:
	default:
		return fmt.Errorf("parameter %q: no kind", p.Name)
	}
	if p.Doc == "" {
		return fmt.Errorf("parameter %q: no doc", p.Name)
	}
	if p.Required {
		if p.Default != "" {
			return fmt.Errorf("parameter %q: required, yet default %q", p.Name, p.Default)
		}
		return nil
	}
	if _, err := p.Parse(p.Default); err != nil {
		return fmt.Errorf("parameter %q: default: %w", p.Name, err)
	}
	return nil
}

// FindParam returns the parameter of ps called name (or one of its
// aliases).
func FindParam(ps []Param, name string) (Param, bool) {
	i := find(ps, name, func(p *Param) (string, []string) { return p.Name, p.Aliases })
	if i < 0 {
		return Param{}, false
	}
	return ps[i], true
}

// find returns the index of the element of list whose name or an alias is
// name, or -1.
func find[E any](list []E, name string, names func(*E) (string, []string)) int {
	for i := range list {
		n, aliases := names(&list[i])
		if n == name || slices.Contains(aliases, name) {
			return i
		}
	}
	return -1
}

// formatFloat writes x in shortest form.
func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
