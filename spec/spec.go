// Package spec reads and writes the specs that name a configured strategy,
// "name:key=value,key=value", and holds Registry, the one table of named,
// parameterised constructors behind every spec in Parley: negotiators,
// BOA components, mediators and voters. Sweep parameters of experiments
// use its typed Param, and the packages that check options report a bad
// one as a FieldError.
//
// A value may itself be a spec in call form, name(key=value,...), and so
// hold commas inside parentheses:
//
//	boulware:e=0.1,ac=combi(t=0.98)
//	boa:bid=timedep(e=0.2),om=frequency,ac=const(0.8)
//
// Names and keys are case-insensitive (Parse lower-cases them) and hold
// no space; values are kept as written, trimmed. In call form a lone
// argument without a key is positional: it sets the entry's first
// parameter (const(0.8)).
package spec

import (
	"errors"
	"fmt"
	"strings"
)

// Spec is one parsed spec: a name and its arguments in the order given.
type Spec struct {
	Name string
	Args []Arg
}

// Arg is one argument of a spec: Key is "" for a positional argument
// (call form only). Value is raw text: a nested spec stays text until a
// Registry reads it for a parameter of KindSpec.
type Arg struct {
	Key, Value string
}

// reserved are the characters a name or key may not hold.
const reserved = ":=(),"

// Parse reads a spec in colon form, name or name:key=value,..., or in call
// form, name(key=value,...) or name(value); "name:" and "name()" are
// "name". An empty argument, an argument that is not key=value (except a
// lone positional one in call form), unbalanced parentheses and a bad name
// or key are errors. Parse does not check names or keys against anything:
// Registry does.
func Parse(text string) (Spec, error) {
	s := strings.TrimSpace(text)
	if err := balanced(s); err != nil {
		return Spec{}, err
	}
	i := strings.IndexAny(s, ":(")
	if i < 0 {
		name, err := checkName(s, "name")
		if err != nil {
			return Spec{}, err
		}
		return Spec{Name: name}, nil
	}
	name, err := checkName(s[:i], "name")
	if err != nil {
		return Spec{}, err
	}
	if s[i] == ':' {
		if strings.TrimSpace(s[i+1:]) == "" {
			return Spec{Name: name}, nil // "boa:" is "boa"
		}
		return withArgs(name, s[i+1:], false)
	}
	if end := matching(s, i); end != len(s)-1 {
		return Spec{}, fmt.Errorf("text %q after the closing parenthesis", s[end+1:])
	}
	body := s[i+1 : len(s)-1]
	if strings.TrimSpace(body) == "" {
		return Spec{Name: name}, nil
	}
	return withArgs(name, body, true)
}

// withArgs returns the spec name with the arguments of body.
func withArgs(name, body string, call bool) (Spec, error) {
	args, err := parseArgs(body, call)
	if err != nil {
		return Spec{}, err
	}
	return Spec{Name: name, Args: args}, nil
}

// parseArgs reads a comma-separated argument list (call: in parentheses).
func parseArgs(body string, call bool) ([]Arg, error) {
	items, err := Split(body, "parameter")
	if err != nil {
		return nil, err
	}
	args := make([]Arg, 0, len(items))
	for _, it := range items {
		k, v, ok := strings.Cut(it, "=")
		if !ok && call && len(items) == 1 {
			return []Arg{{Value: it}}, nil
		}
		key, err := checkName(k, "key")
		if !ok || err != nil {
			if call {
				return nil, fmt.Errorf("argument %q is not key=value", it)
			}
			return nil, fmt.Errorf("parameter %q is not key=value", it)
		}
		args = append(args, Arg{Key: key, Value: strings.TrimSpace(v)})
	}
	return args, nil
}

// checkName trims and lower-cases a name or key and checks it is not
// empty and holds no space and none of the reserved characters.
func checkName(s, what string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("empty " + what)
	}
	if strings.ContainsAny(s, reserved+" \t\r\n") {
		return "", fmt.Errorf("%s %q holds a space or one of %s", what, s, reserved)
	}
	return strings.ToLower(s), nil
}

// balanced reports unbalanced parentheses in s.
func balanced(s string) error {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth--; depth < 0 {
				return errors.New("unbalanced ')'")
			}
		}
	}
	if depth > 0 {
		return errors.New("unbalanced '('")
	}
	return nil
}

// matching returns the index of the parenthesis closing the one at open
// (s is balanced).
func matching(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return len(s)
}

// String writes s in colon form (name:key=value,...), or in call form when
// an argument is positional; Parse reads it back as s.
func (s Spec) String() string {
	for _, a := range s.Args {
		if a.Key == "" {
			return s.Call()
		}
	}
	if len(s.Args) == 0 {
		return s.Name
	}
	return s.Name + ":" + s.args()
}

// Call writes s in call form, name(key=value,...), as a value nested in
// another spec; Parse reads it back as s.
func (s Spec) Call() string {
	if len(s.Args) == 0 {
		return s.Name
	}
	return s.Name + "(" + s.args() + ")"
}

func (s Spec) args() string {
	var b strings.Builder
	for i, a := range s.Args {
		if i > 0 {
			b.WriteByte(',')
		}
		if a.Key != "" {
			b.WriteString(a.Key)
			b.WriteByte('=')
		}
		b.WriteString(a.Value)
	}
	return b.String()
}

// Get returns the value of the argument key (lower case), if given.
func (s Spec) Get(key string) (string, bool) {
	for _, a := range s.Args {
		if a.Key == key {
			return a.Value, true
		}
	}
	return "", false
}

// With returns a copy of s with argument key set to value: replaced where
// given, appended otherwise.
func (s Spec) With(key, value string) Spec {
	out := Spec{Name: s.Name, Args: make([]Arg, 0, len(s.Args)+1)}
	set := false
	for _, a := range s.Args {
		if a.Key == key {
			if set {
				continue
			}
			a.Value, set = value, true
		}
		out.Args = append(out.Args, a)
	}
	if !set {
		out.Args = append(out.Args, Arg{Key: key, Value: value})
	}
	return out
}

// Split splits s at the commas outside parentheses and trims the items.
// An empty item is an error naming it as item ("parameter", "spec", ...);
// so are unbalanced parentheses.
func Split(s, item string) ([]string, error) {
	if err := balanced(s); err != nil {
		return nil, err
	}
	items := topLevel(s)
	for _, it := range items {
		if it == "" {
			return nil, errors.New("empty " + item)
		}
	}
	return items, nil
}

// SplitList splits a comma-separated list of specs, as given to --agents:
// the commas outside parentheses separate specs, except before an item
// that is a bare key=value, which continues the spec before it
// ("boulware:e=0.1,ac=next,conceder" is two specs). Empty items are
// skipped; unbalanced parentheses are an error.
func SplitList(list string) ([]string, error) {
	if err := balanced(list); err != nil {
		return nil, fmt.Errorf("spec list %q: %w", list, err)
	}
	var specs []string
	for _, it := range topLevel(list) {
		if it == "" {
			continue
		}
		if k, _, ok := strings.Cut(it, "="); ok && len(specs) > 0 && !strings.ContainsAny(k, ":(") {
			specs[len(specs)-1] += "," + it
			continue
		}
		specs = append(specs, it)
	}
	return specs, nil
}

// SplitLists splits each of values with SplitList and joins the specs,
// as a repeatable flag's values are read: a value that does not split
// (unbalanced parentheses) is kept whole, so that parsing it as a spec
// reports the spec at fault.
func SplitLists(values []string) []string {
	var specs []string
	for _, v := range values {
		list, err := SplitList(v)
		if err != nil {
			list = []string{v}
		}
		specs = append(specs, list...)
	}
	return specs
}

// topLevel splits s at the commas outside parentheses and trims the items.
func topLevel(s string) []string {
	var items []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				items = append(items, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(items, strings.TrimSpace(s[start:]))
}
