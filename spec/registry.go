package spec

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Entry is one name of a registry: what `parley agents` lists and how a
// spec naming it becomes a value. A user registering an agent fills one:
//
//	spec.Entry[strategy.Factory]{
//		Name: "mine", Doc: "my agent",
//		Params: []spec.Param{spec.Float("e", 0.5, 0, 10, "concession exponent")},
//		New: func(v spec.Values) (strategy.Factory, error) {
//			e := v.Float("e")
//			return func() parley.Negotiator { return NewMine(e) }, nil
//		},
//	}
type Entry[T any] struct {
	Name    string   // lower case, without any of ":=(),"
	Aliases []string // other names for it
	Doc     string   // one line for listings
	Params  []Param
	// New builds the value from the checked parameters (defaults filled
	// in). An error it returns is reported as the spec's.
	New func(v Values) (T, error)
}

// Plain returns the entry of a constructor f that takes no parameters,
// so that name is its whole spec: New returns f as an F. A nil f gives an
// entry without New, which Registry.Add refuses.
func Plain[F ~func() T, T any](name, doc string, f func() T) Entry[F] {
	e := Entry[F]{Name: name, Doc: doc}
	if f != nil {
		e.New = func(Values) (F, error) { return F(f), nil }
	}
	return e
}

// Values are the parameters of one spec, checked against their Param
// declarations and typed, defaults filled in. A getter asked for a name
// the entry does not declare, or of the wrong kind, returns the zero value.
type Values struct {
	vals  map[string]any
	given map[string]bool
}

// Float returns a KindFloat parameter.
func (v Values) Float(name string) float64 { x, _ := v.vals[name].(float64); return x }

// Int returns a KindInt parameter.
func (v Values) Int(name string) int { x, _ := v.vals[name].(int); return x }

// Bool returns a KindBool parameter.
func (v Values) Bool(name string) bool { x, _ := v.vals[name].(bool); return x }

// Text returns a KindString parameter.
func (v Values) Text(name string) string { x, _ := v.vals[name].(string); return x }

// Given reports whether the spec gave the parameter (rather than its
// default).
func (v Values) Given(name string) bool { return v.given[name] }

// Built returns the value a KindSpec parameter's registry built, as T.
func Built[T any](v Values, name string) T {
	x, _ := v.vals[name].(T)
	return x
}

// Registry is a table of named, parameterised constructors of T, and the
// one reader of their specs. Its zero value is not usable: use
// NewRegistry. A Registry is safe for concurrent Parse once built; Add
// must not run concurrently with anything else.
type Registry[T any] struct {
	what    string
	entries []Entry[T]
}

// NewRegistry returns a registry of what ("strategy", "mediator", ...),
// holding entries in display order. It does not check them: Validate
// does, and Add checks each new one.
func NewRegistry[T any](what string, entries ...Entry[T]) *Registry[T] {
	return &Registry[T]{what: what, entries: slices.Clone(entries)}
}

// What returns what the registry's specs name.
func (r *Registry[T]) What() string { return r.what }

// Clone returns a copy that Add can extend without changing r.
func (r *Registry[T]) Clone() *Registry[T] {
	return &Registry[T]{what: r.what, entries: slices.Clone(r.entries)}
}

// Add appends e after checking it: a valid, unused name and aliases,
// well-declared parameters whose defaults parse, and a New.
func (r *Registry[T]) Add(e Entry[T]) error {
	if err := r.check(e, len(r.entries)); err != nil {
		return err
	}
	r.entries = append(r.entries, e)
	return nil
}

// Validate checks every entry as Add would.
func (r *Registry[T]) Validate() error {
	for i, e := range r.entries {
		if err := r.check(e, i); err != nil {
			return err
		}
	}
	return nil
}

// check checks e against the entries before index n.
func (r *Registry[T]) check(e Entry[T], n int) error {
	for _, name := range append([]string{e.Name}, e.Aliases...) {
		if c, err := checkName(name, "name"); err != nil || c != name {
			return fmt.Errorf("spec: %s %q: want a lower-case name without %q", r.what, name, reserved)
		}
		if i := find(r.entries[:n], name, entryNames[T]); i >= 0 {
			return fmt.Errorf("spec: %s %q: name taken by %q", r.what, name, r.entries[i].Name)
		}
	}
	if e.Doc == "" {
		return fmt.Errorf("spec: %s %q: no doc", r.what, e.Name)
	}
	if e.New == nil {
		return fmt.Errorf("spec: %s %q: no New", r.what, e.Name)
	}
	for i, p := range e.Params {
		if err := p.check(); err != nil {
			return fmt.Errorf("spec: %s %q: %w", r.what, e.Name, err)
		}
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			if _, dup := FindParam(e.Params[:i], n); dup {
				return fmt.Errorf("spec: %s %q: parameter %q declared twice", r.what, e.Name, n)
			}
		}
	}
	return nil
}

func entryNames[T any](e *Entry[T]) (string, []string) { return e.Name, e.Aliases }

// Lookup returns the entry called name or one of its aliases (lower case).
func (r *Registry[T]) Lookup(name string) (Entry[T], bool) {
	i := find(r.entries, name, entryNames[T])
	if i < 0 {
		return Entry[T]{}, false
	}
	return r.entry(i), true
}

// Entries returns every entry, in display order (copies).
func (r *Registry[T]) Entries() []Entry[T] {
	out := make([]Entry[T], len(r.entries))
	for i := range r.entries {
		out[i] = r.entry(i)
	}
	return out
}

func (r *Registry[T]) entry(i int) Entry[T] {
	e := r.entries[i]
	e.Aliases = slices.Clone(e.Aliases)
	e.Params = slices.Clone(e.Params)
	return e
}

// Names returns the entries' names, in display order.
func (r *Registry[T]) Names() []string {
	ns := make([]string, len(r.entries))
	for i, e := range r.entries {
		ns[i] = e.Name
	}
	return ns
}

// Parse reads a spec (see package doc) and builds its value. Errors are
// *Error values naming the spec and, when one is at fault, the parameter;
// they wrap ErrUnknownName or ErrUnknownParam where a name is unknown.
func (r *Registry[T]) Parse(text string) (T, error) {
	s, err := Parse(text)
	if err != nil {
		var zero T
		return zero, &Error{What: r.what, Spec: text, Err: err}
	}
	return r.build(s, text)
}

// Build builds the value of a parsed spec; errors name it as s.String().
func (r *Registry[T]) Build(s Spec) (T, error) { return r.build(s, s.String()) }

func (r *Registry[T]) resolve(text string) (any, error) {
	v, err := r.Parse(text)
	if err != nil {
		return nil, err
	}
	return v, nil
}

func (r *Registry[T]) build(s Spec, text string) (T, error) {
	var zero T
	i := find(r.entries, s.Name, entryNames[T])
	if i < 0 {
		return zero, &Error{What: r.what, Spec: text, Err: &unknownError{r.what, s.Name, r.Names()}}
	}
	e := &r.entries[i]
	fail := func(param string, err error) (T, error) {
		return zero, &Error{What: r.what, Spec: text, Name: e.Name, Param: param, Err: err}
	}
	v := Values{vals: make(map[string]any, len(e.Params)), given: make(map[string]bool, len(s.Args))}
	for _, a := range s.Args {
		key := a.Key
		if key == "" {
			if len(e.Params) == 0 {
				return fail("", fmt.Errorf("argument %q is not key=value", a.Value))
			}
			key = e.Params[0].Name
		}
		p, ok := FindParam(e.Params, key)
		if !ok {
			return fail(key, &unknownError{"parameter", key, paramNames(e.Params)})
		}
		if v.given[p.Name] {
			return fail(p.Name, errors.New("given twice"))
		}
		x, err := p.Parse(a.Value)
		if err != nil {
			return fail(p.Name, err)
		}
		v.vals[p.Name], v.given[p.Name] = x, true
	}
	for _, p := range e.Params {
		if v.given[p.Name] {
			continue
		}
		if p.Required {
			return fail(p.Name, fmt.Errorf("required: %s", p.Allowed()))
		}
		x, err := p.Parse(p.Default)
		if err != nil {
			return fail(p.Name, fmt.Errorf("default %q: %w", p.Default, err))
		}
		v.vals[p.Name] = x
	}
	out, err := e.New(v)
	if err != nil {
		var se *Error
		if errors.As(err, &se) && se.Spec == text {
			return zero, err
		}
		return fail("", err)
	}
	return out, nil
}

func paramNames(ps []Param) []string {
	ns := make([]string, len(ps))
	for i, p := range ps {
		ns[i] = p.Name
	}
	return ns
}

// Errors an *Error may wrap.
var (
	ErrUnknownName  = errors.New("unknown name")
	ErrUnknownParam = errors.New("unknown parameter")
)

// unknownError reads `unknown strategy "x" (want a, b)`.
type unknownError struct {
	what, name string
	want       []string
}

func (e *unknownError) Error() string {
	want := strings.Join(e.want, ", ")
	if want == "" {
		want = "none"
	}
	return fmt.Sprintf("unknown %s %q (want %s)", e.what, e.name, want)
}

func (e *unknownError) Is(target error) bool {
	if e.what == "parameter" {
		return target == ErrUnknownParam
	}
	return target == ErrUnknownName
}

// Error reports a bad spec. Err may be another *Error, for a nested spec
// given as the value of Param.
type Error struct {
	What  string // what the registry's specs name: "strategy", "mediator", ...
	Spec  string // the spec as given
	Name  string // the entry the spec names, once known
	Param string // the parameter at fault, or ""
	Err   error
}

// Error reads `strategy "boulware:e=x": parameter "e": "x" is not a
// number`, or for a nested spec `strategy "linear:ac=combi(x=1)":
// parameter "ac": combi: unknown parameter "x" (want t)`.
func (e *Error) Error() string {
	return fmt.Sprintf("%s %q: %s", e.What, e.Spec, e.detail())
}

// detail is the message after the spec.
func (e *Error) detail() string {
	var b strings.Builder
	if u, ok := e.Err.(*unknownError); e.Param != "" && !(ok && u.what == "parameter") {
		fmt.Fprintf(&b, "parameter %q: ", e.Param)
	}
	if in, ok := e.Err.(*Error); ok {
		if in.Name != "" {
			b.WriteString(in.Name + ": ")
		}
		b.WriteString(in.detail())
	} else {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }
