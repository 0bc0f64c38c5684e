package scenario

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// assumptionsBlock declares assumptions on protoBase's parties and stages.
const assumptionsBlock = `assumptions:
  - name: A.reservation
    range: [0.2, 0.6]
    note: "a survey"
  - {name: mediation.noise, range: [0, 0.2]}
  - {name: talks.rounds, range: [5, 15], integer: true}
`

// assumeBase is protoBase with assumptions.
var assumeBase = protoBase + assumptionsBlock

func TestAssumptionsParse(t *testing.T) {
	s, err := Parse("a.yaml", []byte(assumeBase), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []Assumption{
		{Name: "A.reservation", Lo: 0.2, Hi: 0.6, Note: "a survey"},
		{Name: "mediation.noise", Lo: 0, Hi: 0.2},
		{Name: "talks.rounds", Lo: 5, Hi: 15, Integer: true},
	}
	if !reflect.DeepEqual(s.Assumptions, want) {
		t.Fatalf("assumptions %+v, want %+v", s.Assumptions, want)
	}
	if s.Assumptions[1].Target() != "mediation" || s.Assumptions[1].Param() != "noise" {
		t.Errorf("mediation.noise splits into %q and %q", s.Assumptions[1].Target(), s.Assumptions[1].Param())
	}
	if !strings.Contains(strings.Join(s.Extras(), "; "), "assumption ranges") {
		t.Errorf("Extras %v does not name the assumptions (GENIUS cannot hold them)", s.Extras())
	}
	// Round trip through both formats.
	for _, out := range []string{"yaml", "json"} {
		var b bytes.Buffer
		write := WriteYAML
		if out == "json" {
			write = WriteJSON
		}
		if err := write(&b, s); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "assumptions") {
			t.Fatalf("%s: no assumptions written:\n%s", out, b.String())
		}
		back, err := Parse("back."+out, b.Bytes(), out)
		if err != nil {
			t.Fatalf("%s: %v\n%s", out, err, b.String())
		}
		if !reflect.DeepEqual(back.Assumptions, s.Assumptions) {
			t.Errorf("%s: assumptions %+v became %+v", out, s.Assumptions, back.Assumptions)
		}
	}
}

func TestAssumptionsErrors(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		at       string
		want     []string
	}{
		{"no name", "  - {name: mediation.noise, range: [0, 0.2]}", "  - {range: [0, 0.2]}", "{range: [0, 0.2]}",
			[]string{"assumptions[1]", "needs a name"}},
		{"no dot", "name: mediation.noise", "name: noise", "{name: noise",
			[]string{"assumptions[1].name", `"noise" is not TARGET.NAME`}},
		{"unknown target", "name: mediation.noise", "name: mediator.noise", "mediator.noise",
			[]string{"assumptions[1].name", `no party or stage called "mediator" (have A, B, C, talks, mediation)`}},
		{"one number", "range: [0, 0.2]", "range: [0.2]", "range: [0.2]",
			[]string{"assumptions[1].range", "range has 1 numbers, want [lo, hi]"}},
		{"reversed", "range: [0, 0.2]", "range: [0.2, 0]", "range: [0.2, 0]",
			[]string{"assumptions[1].range", "lo must be below hi"}},
		{"empty", "range: [0, 0.2]", "range: [0.2, 0.2]", "range: [0.2, 0.2]",
			[]string{"assumptions[1].range", "lo must be below hi"}},
		{"not finite", "range: [0, 0.2]", "range: [0, .inf]", "range: [0, .inf]",
			[]string{"assumptions[1].range", "not finite"}},
		{"not a number", "range: [0, 0.2]", "range: [0, high]", "high",
			[]string{"assumptions[1].range"}},
		{"integer with fractions", "range: [5, 15]", "range: [5.5, 15]", "range: [5.5, 15]",
			[]string{"assumptions[2].range", "not whole numbers"}},
		{"twice", "name: mediation.noise", "name: A.reservation", "name: A.reservation, range: [0, 0.2]",
			[]string{"assumptions[1].name", `"A.reservation" appears twice (entries 1 and 2)`}},
		{"unknown field", "integer: true}", "integer: true, unit: rounds}", "unit",
			[]string{"unknown field"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(assumeBase, tc.old) {
				t.Fatalf("%q not in the source", tc.old)
			}
			src := strings.Replace(assumeBase, tc.old, tc.new, 1)
			checkFileError(t, src, tc.at, tc.want)
		})
	}
	var many strings.Builder
	many.WriteString("assumptions:\n")
	for range MaxAssumptions + 1 {
		many.WriteString("  - {name: A.reservation, range: [0, 1]}\n")
	}
	_, err := Parse("many.yaml", []byte(protoBase+many.String()), "yaml")
	if err == nil || !strings.Contains(err.Error(), "more than the limit") {
		t.Errorf("%d assumptions: %v", MaxAssumptions+1, err)
	}
}

// TestCeasefireAssumptions: the built-in ceasefire declares its assumption
// ranges, each with a note saying where it comes from, and each range
// holds the scenario's own value.
func TestCeasefireAssumptions(t *testing.T) {
	s, err := Read(ceasefireFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Assumptions) < 6 {
		t.Fatalf("%d assumptions", len(s.Assumptions))
	}
	for _, a := range s.Assumptions {
		if a.Note == "" {
			t.Errorf("%s: no note on where the range comes from", a.Name)
		}
		i := s.Party(a.Target())
		if i < 0 {
			continue
		}
		p := s.Parties[i].Profile
		var v float64
		switch a.Param() {
		case "reservation":
			v = p.Reservation
		case "reservation_drift":
			v = p.Drift
		case "walk_away_hazard":
			v = p.Hazard
		default:
			continue
		}
		if v < a.Lo || v > a.Hi {
			t.Errorf("%s: the scenario's value %v lies outside its range [%v, %v]", a.Name, v, a.Lo, a.Hi)
		}
	}
}

// checkFileError parses the YAML src, which must fail with an *Error on
// the line where at first appears, whose message holds every want.
func checkFileError(t *testing.T, src, at string, want []string) {
	t.Helper()
	_, err := Parse("bad.yaml", []byte(src), "yaml")
	if err == nil {
		t.Fatalf("no error for\n%s", src)
	}
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("error %T, want *Error: %v", err, err)
	}
	msg := err.Error()
	if line := lineOf(t, src, at); se.Line != line {
		t.Errorf("error names line %d, want %d:\n%s", se.Line, line, msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error lacks %q:\n%s", w, msg)
		}
	}
}
