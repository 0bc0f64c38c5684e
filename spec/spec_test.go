package spec

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Spec
		err  string
	}{
		{"boulware", Spec{Name: "boulware"}, ""},
		{" Boulware : E = 0.3 , ac = combi( 0.97 )", Spec{"boulware", []Arg{{"e", "0.3"}, {"ac", "combi( 0.97 )"}}}, ""},
		{"boa:bid=timedep(e=0.2),om=frequency,ac=combi(t=0.98)", Spec{"boa", []Arg{{"bid", "timedep(e=0.2)"}, {"om", "frequency"}, {"ac", "combi(t=0.98)"}}}, ""},
		{"combi(t=0.98)", Spec{"combi", []Arg{{"t", "0.98"}}}, ""},
		{"const(0.8)", Spec{"const", []Arg{{"", "0.8"}}}, ""},
		{"next()", Spec{Name: "next"}, ""},
		{"a:k=f(g(1,2),3),b=1", Spec{"a", []Arg{{"k", "f(g(1,2),3)"}, {"b", "1"}}}, ""},
		{"a:k=", Spec{"a", []Arg{{"k", ""}}}, ""},
		{"", Spec{}, "empty name"},
		{":e=1", Spec{}, "empty name"},
		{"boulware:", Spec{Name: "boulware"}, ""},
		{"boulware: ,", Spec{}, "empty parameter"},
		{"boulware:e=0.2,,k=0", Spec{}, "empty parameter"},
		{"boulware:e", Spec{}, `parameter "e" is not key=value`},
		{"const(a,b)", Spec{}, `argument "a" is not key=value`},
		{"a=b", Spec{}, `name "a=b" holds a space or one of :=(),`},
		{"hill climb", Spec{}, `name "hill climb" holds a space or one of :=(),`},
		{"a:x y=1", Spec{}, `parameter "x y=1" is not key=value`},
		{"x:combi(t=1)", Spec{}, `parameter "combi(t=1)" is not key=value`},
		{"combi(t=0.98", Spec{}, "unbalanced '('"},
		{"combi)t=0.98(", Spec{}, "unbalanced ')'"},
		{"f(a)g(b)", Spec{}, `text "g(b)" after the closing parenthesis`},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("Parse(%q) error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Parse(%q) = %#v, %v; want %#v", tc.in, got, err, tc.want)
		}
	}
}

func TestFormat(t *testing.T) {
	s := Spec{"boa", []Arg{{"bid", "timedep(e=0.2)"}, {"ac", "combi(t=0.98)"}}}
	if got := s.String(); got != "boa:bid=timedep(e=0.2),ac=combi(t=0.98)" {
		t.Errorf("String = %q", got)
	}
	if got := s.Call(); got != "boa(bid=timedep(e=0.2),ac=combi(t=0.98))" {
		t.Errorf("Call = %q", got)
	}
	if got := (Spec{"const", []Arg{{"", "0.8"}}}).String(); got != "const(0.8)" {
		t.Errorf("positional String = %q", got)
	}
	w := s.With("ac", "next").With("om", "none")
	if got := w.String(); got != "boa:bid=timedep(e=0.2),ac=next,om=none" {
		t.Errorf("With = %q", got)
	}
	if v, ok := w.Get("om"); !ok || v != "none" {
		t.Errorf("Get(om) = %q, %v", v, ok)
	}
	if s.String() != "boa:bid=timedep(e=0.2),ac=combi(t=0.98)" {
		t.Errorf("With changed its receiver")
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  string
	}{
		{"e=0.2", []string{"e=0.2"}, ""},
		{" e=0.2 , ac=combi(t=0.98,w=2) ", []string{"e=0.2", "ac=combi(t=0.98,w=2)"}, ""},
		{"a=f(g(1,2),3),b=1", []string{"a=f(g(1,2),3)", "b=1"}, ""},
		{"", nil, "empty parameter"},
		{"a=1,,b=2", nil, "empty parameter"},
		{"a=f(1", nil, "unbalanced '('"},
		{"a=f)1(", nil, "unbalanced ')'"},
	}
	for _, tc := range tests {
		got, err := Split(tc.in, "parameter")
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("Split(%q) error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("Split(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestSplitLists(t *testing.T) {
	tests := []struct {
		in   []string
		want []string
	}{
		{nil, nil},
		{[]string{"boulware,conceder"}, []string{"boulware", "conceder"}},
		{[]string{"boulware:e=0.1,ac=next,conceder:e=3"}, []string{"boulware:e=0.1,ac=next", "conceder:e=3"}},
		{[]string{"linear:ac=combimax(t=0.98),micro"}, []string{"linear:ac=combimax(t=0.98)", "micro"}},
		{[]string{"boulware", "tft"}, []string{"boulware", "tft"}},
		{[]string{"boulware,", "", ",tft"}, []string{"boulware", "tft"}},
		{[]string{"boa:bid=timedep(e=0.2),om=frequency,tft"}, []string{"boa:bid=timedep(e=0.2),om=frequency", "tft"}},
		// Unbalanced: kept whole, beside the values that split.
		{[]string{"linear:ac=combi(t=1,micro", "a,b"}, []string{"linear:ac=combi(t=1,micro", "a", "b"}},
	}
	for _, tc := range tests {
		if got := SplitLists(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SplitLists(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSplitList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  string
	}{
		{"boulware,conceder", []string{"boulware", "conceder"}, ""},
		{"boulware:e=0.1,ac=next,conceder:e=3", []string{"boulware:e=0.1,ac=next", "conceder:e=3"}, ""},
		{"linear:ac=combimax(t=0.98),micro", []string{"linear:ac=combimax(t=0.98)", "micro"}, ""},
		{"boa:bid=timedep(e=0.2),om=frequency,ac=const(0.8),tft", []string{"boa:bid=timedep(e=0.2),om=frequency,ac=const(0.8)", "tft"}, ""},
		{"linear,combi(t=0.9)", []string{"linear", "combi(t=0.9)"}, ""},
		{" boulware , ,tft ", []string{"boulware", "tft"}, ""},
		{"", nil, ""},
		{"boulware:ac=combi(t=1,conceder", nil, `spec list "boulware:ac=combi(t=1,conceder": unbalanced '('`},
	}
	for _, tc := range tests {
		got, err := SplitList(tc.in)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("SplitList(%q) error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("SplitList(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// testRegistries are a small nested pair: agents with a nested condition.
func testRegistries() (*Registry[string], *Registry[string]) {
	conds := NewRegistry("condition",
		Entry[string]{Name: "next", Doc: "next", Params: []Param{Float("a", 1, -10, 10, "scale")},
			New: func(v Values) (string, error) { return "next", nil }},
		Entry[string]{Name: "const", Doc: "const", Params: []Param{Float("c", 0, 0, 1, "threshold").Require()},
			New: func(v Values) (string, error) { return "const", nil }},
	)
	agents := NewRegistry("agent",
		Entry[string]{Name: "tough", Aliases: []string{"hard"}, Doc: "tough",
			Params: []Param{
				Float("e", 0.2, 0, 1e6, "exponent"),
				Int("n", 3, 1, 10, "count"),
				Bool("guard", false, "guard"),
				Text("mode", "a", "mode", "a", "b"),
				Nested("ac", "next", conds, "acceptance"),
			},
			New: func(v Values) (string, error) {
				if v.Float("e") == 7 {
					return "", errors.New("seven is unlucky")
				}
				return strings.Join([]string{formatFloat(v.Float("e")), formatFloat(float64(v.Int("n"))),
					map[bool]string{true: "guard", false: "open"}[v.Bool("guard")], v.Text("mode"), Built[string](v, "ac")}, " "), nil
			}},
		Entry[string]{Name: "plain", Doc: "plain", New: func(Values) (string, error) { return "plain", nil }},
	)
	return agents, conds
}

func TestRegistry(t *testing.T) {
	agents, conds := testRegistries()
	for _, r := range []*Registry[string]{agents, conds} {
		if err := r.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct{ in, want, err string }{
		{"tough", "0.2 3 open a next", ""},
		{"HARD:e=1,n=10,guard=yes,mode=b,ac=const(0.5)", "1 10 guard b const", ""},
		{"tough(e=1)", "1 3 open a next", ""},
		{"tough(2)", "2 3 open a next", ""},
		{"plain", "plain", ""},
		{"nope", "", `agent "nope": unknown agent "nope" (want tough, plain)`},
		{"tough:x=1", "", `agent "tough:x=1": unknown parameter "x" (want e, n, guard, mode, ac)`},
		{"plain:x=1", "", `agent "plain:x=1": unknown parameter "x" (want none)`},
		{"plain(1)", "", `agent "plain(1)": argument "1" is not key=value`},
		{"tough:e=x", "", `agent "tough:e=x": parameter "e": "x" is not a number`},
		{"tough:e=-1", "", `agent "tough:e=-1": parameter "e": -1 outside [0, 1e+06]`},
		{"tough:n=2.5", "", `agent "tough:n=2.5": parameter "n": "2.5" is not an integer`},
		{"tough:n=11", "", `agent "tough:n=11": parameter "n": 11 outside [1, 10]`},
		{"tough:guard=maybe", "", `agent "tough:guard=maybe": parameter "guard": "maybe" is not true or false`},
		{"tough:mode=c", "", `agent "tough:mode=c": parameter "mode": "c": want one of a, b`},
		{"tough:e=1,e=2", "", `agent "tough:e=1,e=2": parameter "e": given twice`},
		{"tough:ac=nope", "", `agent "tough:ac=nope": parameter "ac": unknown condition "nope" (want next, const)`},
		{"tough:ac=const", "", `agent "tough:ac=const": parameter "ac": const: parameter "c": required: a number in [0, 1]`},
		{"tough:ac=const(c=2)", "", `agent "tough:ac=const(c=2)": parameter "ac": const: parameter "c": 2 outside [0, 1]`},
		{"tough:ac=next(x=1)", "", `agent "tough:ac=next(x=1)": parameter "ac": next: unknown parameter "x" (want a)`},
		{"tough:ac=next(a)b", "", `agent "tough:ac=next(a)b": parameter "ac": text "b" after the closing parenthesis`},
		{"tough:e=7", "", `agent "tough:e=7": seven is unlucky`},
		{"tough:", "0.2 3 open a next", ""},
		{"tough:,", "", `agent "tough:,": empty parameter`},
	}
	for _, tc := range tests {
		got, err := agents.Parse(tc.in)
		if tc.err != "" {
			var se *Error
			if err == nil || err.Error() != tc.err || !errors.As(err, &se) || se.Spec != tc.in {
				t.Errorf("Parse(%q) error %v\nwant %s", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := agents.Parse("nope"); !errors.Is(err, ErrUnknownName) || errors.Is(err, ErrUnknownParam) {
		t.Errorf("%v: want ErrUnknownName only", err)
	}
	if _, err := agents.Parse("tough:ac=next(x=1)"); !errors.Is(err, ErrUnknownParam) {
		t.Errorf("%v: want ErrUnknownParam", err)
	}
}

func TestAdd(t *testing.T) {
	agents, _ := testRegistries()
	ok := Entry[string]{Name: "mine", Doc: "mine", New: func(Values) (string, error) { return "mine", nil }}
	mine := agents.Clone()
	if err := mine.Add(ok); err != nil {
		t.Fatal(err)
	}
	if got, err := mine.Parse("mine"); err != nil || got != "mine" {
		t.Errorf("Parse(mine) = %q, %v", got, err)
	}
	if _, found := agents.Lookup("mine"); found {
		t.Error("Add to a clone changed the original")
	}
	bad := func(f func(e *Entry[string])) Entry[string] {
		e := ok
		e.Name = "other"
		f(&e)
		return e
	}
	for _, tc := range []struct {
		e   Entry[string]
		err string
	}{
		{bad(func(e *Entry[string]) { e.Name = "tough" }), `name taken by "tough"`},
		{bad(func(e *Entry[string]) { e.Aliases = []string{"hard"} }), `name taken by "tough"`},
		{bad(func(e *Entry[string]) { e.Name = "Other" }), `want a lower-case name`},
		{bad(func(e *Entry[string]) { e.Name = "a:b" }), `want a lower-case name`},
		{bad(func(e *Entry[string]) { e.Doc = "" }), `no doc`},
		{bad(func(e *Entry[string]) { e.New = nil }), `no New`},
		{bad(func(e *Entry[string]) { e.Params = []Param{Float("x", 2, 0, 1, "x")} }), `default: 2 outside [0, 1]`},
		{bad(func(e *Entry[string]) { e.Params = []Param{Float("x", 0, 1, 0, "x")} }), `empty range`},
		{bad(func(e *Entry[string]) { e.Params = []Param{Bool("x", true, "x"), Bool("x", true, "y")} }), `declared twice`},
		{bad(func(e *Entry[string]) { e.Params = []Param{Bool("x", true, "")} }), `no doc`},
		{bad(func(e *Entry[string]) { e.Params = []Param{{Name: "x", Doc: "x"}} }), `no kind`},
		{bad(func(e *Entry[string]) { e.Params = []Param{Nested("x", "next", nil, "x")} }), `without Of`},
	} {
		if err := mine.Add(tc.e); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("Add(%s): %v, want %q", tc.e.Name, err, tc.err)
		}
	}
	es := agents.Entries()
	es[0].Params[0].Name = "changed"
	if e, _ := agents.Lookup("tough"); e.Params[0].Name != "e" {
		t.Error("Entries returns the table itself")
	}
}

// FuzzParse: Parse never panics; what it reads, String and Call write back
// so that Parse reads the same spec; a registry reading it (nested specs
// included) fails only with an *Error naming the spec.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"boulware", " Boulware : E = 0.3 , ac = combi( 0.97 )", "boa:bid=timedep(e=0.2),om=frequency,ac=const(0.8)",
		"const(0.8)", "next()", "a:k=f(g(1,2),3),b=1", "boulware:", "x(", ")", "next(=)", "f(a)g(b)", "a:k=", "tough:ac=const(c=2)",
		"tough(e=1,n=2,guard=on,mode=b,ac=next(a=-1))", "hard:ac=next(a)b",
	} {
		f.Add(s)
	}
	agents, _ := testRegistries()
	f.Fuzz(func(t *testing.T, text string) {
		s, err := Parse(text)
		if _, rerr := agents.Parse(text); rerr != nil {
			var se *Error
			if !errors.As(rerr, &se) || se.Spec != text {
				t.Fatalf("registry error %v does not name the spec %q", rerr, text)
			}
		}
		if err != nil {
			return
		}
		for _, out := range []string{s.String(), s.Call()} {
			again, err := Parse(out)
			if err != nil || !reflect.DeepEqual(again, s) {
				t.Fatalf("%q → %#v → %q → %#v, %v", text, s, out, again, err)
			}
		}
		for _, a := range s.Args {
			if n, err := Parse(a.Value); err == nil {
				if again, err := Parse(n.Call()); err != nil || !reflect.DeepEqual(again, n) {
					t.Fatalf("nested %q → %#v → %q → %#v, %v", a.Value, n, n.Call(), again, err)
				}
			}
		}
	})
}

// TestFieldError: the text names the field and, when given, the value;
// errors.Is reaches the cause.
func TestFieldError(t *testing.T) {
	cause := errors.New("need at least 1")
	for _, tc := range []struct {
		e    *FieldError
		want string
	}{
		{&FieldError{Field: "Runs", Value: "0", Err: cause}, "Runs 0: need at least 1"},
		{&FieldError{Field: "Runs", Err: cause}, "Runs: need at least 1"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
		if !errors.Is(tc.e, cause) {
			t.Errorf("%v does not unwrap to its cause", tc.e)
		}
	}
}
