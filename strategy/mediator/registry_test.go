package mediator_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy/mediator"
)

func TestParse(t *testing.T) {
	good := []struct {
		spec string
		want string // the type's name
	}{
		{"random", "*mediator.Random"},
		{"HillClimb:call=true", "*mediator.HillClimb"},
		{"hillclimbing", "*mediator.HillClimb"},
		{"anneal:t0=0.2", "*mediator.Anneal"},
		{"feedback:call=no", "*mediator.Feedback"},
		{"nash", "*mediator.Seeker"},
		{"ks:call=false", "*mediator.Seeker"},
		{"kalai-smorodinsky", "*mediator.Seeker"},
		{" biased : bias = 0.5 , call=1", "*mediator.Seeker"},
		{"nash:", "*mediator.Seeker"},
	}
	for _, tc := range good {
		f, err := mediator.ParseMediator(tc.spec)
		if err != nil {
			t.Errorf("%q: %v", tc.spec, err)
			continue
		}
		a, b := f(), f()
		if got := typeName(a); got != tc.want || a == b {
			t.Errorf("%q: %s (fresh values: %v)", tc.spec, got, a != b)
		}
	}
	for _, spec := range []string{"hillclimber", "hc", "Annealer:t0=0.1", "reservation", "reservation-aware", "exaggerator:gain=0.2"} {
		f, err := mediator.ParseVoter(spec)
		if err != nil || f() == nil {
			t.Errorf("voter %q: %v", spec, err)
		}
	}
	bad := []struct {
		voter bool
		spec  string
		msg   string
		is    error
	}{
		{false, "oracle", `mediator "oracle": unknown mediator "oracle" (want random, hillclimb, anneal, feedback, nash, ks, biased)`, spec.ErrUnknownName},
		{false, "random:x=1", `mediator "random:x=1": unknown parameter "x" (want none)`, spec.ErrUnknownParam},
		{false, "anneal:t0=hot", `mediator "anneal:t0=hot": parameter "t0": "hot" is not a number`, nil},
		{false, "anneal:t0=-1", `parameter "t0": -1 outside`, nil},
		{false, "biased:bias=1.5", `mediator "biased:bias=1.5": parameter "bias": 1.5 outside [0, 1]`, nil},
		{false, "biased:bias=0.1,bias=0.2", `parameter "bias": given twice`, nil},
		{false, "nash:call", `parameter "call" is not key=value`, nil},
		{false, "nash:call=maybe", `parameter "call": "maybe" is not true or false`, nil},
		{false, "nash:,", `mediator "nash:,": empty parameter`, nil},
		{false, "nash:=1", `mediator "nash:=1": parameter "=1" is not key=value`, nil},
		{false, "biased:bias=f(1,2)", `mediator "biased:bias=f(1,2)": parameter "bias": "f(1,2)" is not a number`, nil},
		{true, "annealer:gain=1", `voter "annealer:gain=1": unknown parameter "gain" (want t0, walk)`, spec.ErrUnknownParam},
		{true, "exaggerator:gain=NaN", `"NaN" is not a number`, nil},
		{true, "nash", `voter "nash": unknown voter`, spec.ErrUnknownName},
	}
	for _, tc := range bad {
		var err error
		if tc.voter {
			_, err = mediator.ParseVoter(tc.spec)
		} else {
			_, err = mediator.ParseMediator(tc.spec)
		}
		var se *spec.Error
		if err == nil || !strings.Contains(err.Error(), tc.msg) || !errors.As(err, &se) || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("%q: %v; want %q", tc.spec, err, tc.msg)
		}
	}
}

// TestRegistries: both tables are valid, in the documented order, and
// every entry builds fresh, non-nil values from its defaults.
func TestRegistries(t *testing.T) {
	meds, vots := mediator.Mediators(), mediator.Voters()
	for _, err := range []error{meds.Validate(), vots.Validate()} {
		if err != nil {
			t.Error(err)
		}
	}
	names := append(meds.Names(), vots.Names()...)
	want := "random hillclimb anneal feedback nash ks biased hillclimber annealer reservation exaggerator"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("names %q, want %q", got, want)
	}
	for _, e := range meds.Entries() {
		f, err := mediator.ParseMediator(e.Name)
		if err != nil || f() == nil {
			t.Errorf("%s: %v", e.Name, err)
		}
	}
	for _, e := range vots.Entries() {
		f, err := mediator.ParseVoter(e.Name)
		if err != nil || f() == nil {
			t.Errorf("%s: %v", e.Name, err)
		}
	}
	meds.Entries()[0].Params = nil
	if err := meds.Add(spec.Entry[mediator.MediatorFactory]{Name: "mine", Doc: "mine",
		New: func(spec.Values) (mediator.MediatorFactory, error) { return nil, nil }}); err != nil {
		t.Fatal(err)
	}
	if _, err := mediator.ParseMediator("mine"); err == nil {
		t.Error("Mediators returns the table itself")
	}
}

func typeName(v any) string { return fmt.Sprintf("%T", v) }

// TestNeedsDeclared: the target-seeking mediators need declared
// preferences; the others work on votes.
func TestNeedsDeclared(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want bool
	}{
		{"nash", true}, {"ks", true}, {"biased:bias=0.25", true}, {"kalai-smorodinsky", true},
		{"hillclimb", false}, {"feedback:call=true", false}, {"random", false}, {"anneal", false},
		{"no-such-mediator", false},
	} {
		if got := mediator.NeedsDeclared(tc.spec); got != tc.want {
			t.Errorf("NeedsDeclared(%q) = %v, want %v", tc.spec, got, tc.want)
		}
	}
}
