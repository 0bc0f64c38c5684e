package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/ufun"
)

// base is a small valid scenario that the error cases below break one
// field at a time.
const base = `name: t
issues:
  - name: colour
    values: [red, green]
  - name: size
    type: integer
    min: 1
    max: 3
parties:
  - name: A
    weights: {colour: 1, size: 1}
    values:
      colour: {red: 1, green: 0}
      size: {1: 0, 2: 0.5, 3: 1}
  - name: B
    weights: {colour: 1, size: 1}
    values:
      colour: {red: 0, green: 1}
    linear:
      size: {at_min: 1, at_max: 0}
references:
  mid: {colour: red, size: 2}
`

func TestBaseParses(t *testing.T) {
	s, err := Parse("base.yaml", []byte(base), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse("constraint.yaml", []byte(strings.Replace(base, bBlock, cBlock("", ""), 1)), "yaml"); err != nil {
		t.Fatal(err)
	}
	// Weights {1, 1} are normalised to {0.5, 0.5}; size 2 sits halfway.
	mid := s.References[0].Outcome
	for i, want := range []float64{0.5*1 + 0.5*0.5, 0.5*0 + 0.5*0.5} {
		if got := s.Parties[i].Profile.Utility.Utility(mid); math.Abs(got-want) > parley.Eps {
			t.Errorf("%s: U(mid) = %v, want %v", s.Parties[i].Name, got, want)
		}
	}
}

// lineOf returns the 1-based line of src holding the first occurrence of sub.
func lineOf(t *testing.T, src, sub string) int {
	t.Helper()
	i := strings.Index(src, sub)
	if i < 0 {
		t.Fatalf("marker %q not in the source", sub)
	}
	return strings.Count(src[:i], "\n") + 1
}

// bBlock is party B of base; cBlock is a constraint profile for B, with
// old replaced by new.
const bBlock = `  - name: B
    weights: {colour: 1, size: 1}
    values:
      colour: {red: 0, green: 1}
    linear:
      size: {at_min: 1, at_max: 0}
`

func cBlock(old, new string) string {
	c := `  - name: B
    model: constraint
    max: 10
    rects:
      - utility: 5
        where: {colour: [red, green], size: [1, 2]}
`
	if !strings.Contains(c, old) {
		panic(fmt.Sprintf("%q not in the constraint block", old))
	}
	return strings.Replace(c, old, new, 1)
}

func TestParseErrorsYAML(t *testing.T) {
	tests := []struct {
		name     string
		old, new string   // replace the first old in base by new ("" old: append new)
		at       string   // the error must name the line holding this text
		want     []string // and contain these
	}{
		{"unknown field", "", "vetoes: {UA: [x]}\n", "vetoes", []string{`unknown field "vetoes"`, "> ", "^"}},
		{"unknown party field", "  - name: B\n", "  - name: B\n    reservation_drfit: -0.1\n", "reservation_drfit", []string{`unknown field "reservation_drfit"`}},
		{"unknown protocol field", "", "protocol: {stages: [], stagez: 1}\n", "stagez", []string{`unknown field "stagez"`}},
		{"unknown issue field", "    type: integer\n", "    type: integer\n    unit: kg\n", "unit", []string{`unknown field "unit"`}},
		{"weight for unknown issue", "{colour: 1, size: 1}", "{colour: 1, size: 1, terrtory: 1}", "terrtory",
			[]string{"parties[0].weights.terrtory", `party "A": weight for unknown issue "terrtory"`}},
		{"missing weight", "weights: {colour: 1, size: 1}", "weights: {colour: 1}", "weights: {colour: 1}",
			[]string{"parties[0].weights", `party "A": no weight for issue "size"`}},
		{"negative weight", "{colour: 1, size: 1}", "{colour: 1, size: -1}", "size: -1",
			[]string{"parties[0].weights.size", `weight -1 for issue "size" is negative`}},
		{"all-zero weights", "{colour: 1, size: 1}", "{colour: 0, size: 0}", "colour: 0, size: 0",
			[]string{"parties[0].weights", `party "A": weights are all zero`}},
		{"no weights", "    weights: {colour: 1, size: 1}\n", "", "- name: A",
			[]string{"parties[0]", `party "A": no weights`}},
		{"value the issue lacks", "{red: 1, green: 0}", "{red: 1, green: 0, blue: 1}", "blue",
			[]string{"parties[0].values.colour.blue", `party "A": issue "colour" has no value "blue"`}},
		{"missing value", "{red: 1, green: 0}", "{red: 1}", "colour: {red: 1}",
			[]string{"parties[0].values.colour", `party "A": issue "colour": no utility for value "green"`}},
		{"numeric value the issue lacks", "{1: 0, 2: 0.5, 3: 1}", "{1: 0, 2: 0.5, 3: 1, 4: 1}", "4: 1",
			[]string{"parties[0].values.size", `issue "size" has no value "4"`}},
		{"numeric value listed twice", "{1: 0, 2: 0.5, 3: 1}", "{1: 0, 2: 0.5, 3: 1, 1.0: 1}", "1.0: 1",
			[]string{`duplicate key "1"`, "parties[0].values.size"}},
		{"utility above 1", "{red: 1, green: 0}", "{red: 1, green: 1.5}", "green: 1.5",
			[]string{"parties[0].values.colour.green", `utility 1.5 of value "green" outside [0,1]`}},
		{"no utilities for a weighted issue", "      size: {1: 0, 2: 0.5, 3: 1}\n", "", "values:\n      colour: {red: 1",
			[]string{"parties[0].values", `no utilities for issue "size"`}},
		{"utilities for unknown issue", "      size: {1: 0, 2: 0.5, 3: 1}\n", "      size: {1: 0, 2: 0.5, 3: 1}\n      shape: {round: 1}\n", "shape",
			[]string{"parties[0].values.shape", `utilities for unknown issue "shape"`}},
		{"reservation above 1", "  - name: A\n", "  - name: A\n    reservation: 1.5\n", "reservation: 1.5",
			[]string{"parties[0].reservation", `party "A": reservation 1.5 outside [0,1]`}},
		{"negative reservation", "  - name: B\n", "  - name: B\n    reservation: -0.1\n", "reservation: -0.1",
			[]string{"parties[1].reservation", `party "B": reservation -0.1 outside [0,1]`}},
		{"zero discount", "  - name: A\n", "  - name: A\n    discount: 0\n", "discount: 0",
			[]string{"parties[0].discount", `discount 0 outside (0,1]`}},
		{"reservation not a number", "  - name: A\n", "  - name: A\n    reservation: high\n", "reservation: high",
			[]string{"parties[0].reservation", `"high" is not a number`}},
		{"empty issue", "values: [red, green]", "values: []", "- name: colour",
			[]string{"issues[0]", `issue "colour" has no values`}},
		{"issue without values", "    values: [red, green]\n", "", "- name: colour",
			[]string{"issues[0]", `issue "colour" has no values`}},
		{"discrete value listed twice", "[red, green]", "[red, green, red]", "[red, green, red]",
			[]string{"issues[0].values[2]", `issue "colour": value "red" listed twice`}},
		{"empty value", "[red, green]", `[red, ""]`, `[red, ""]`,
			[]string{"issues[0].values[1]", `issue "colour": value 2 is empty`}},
		{"issue listed twice", "  - name: size\n", "  - name: colour\n", "  - name: colour\n    type",
			[]string{"issues[1].name", `issue "colour" appears twice`}},
		{"unknown issue type", "type: integer", "type: complex", "type: complex",
			[]string{"issues[1].type", `unknown issue kind "complex"`}},
		{"integer max below min", "    max: 3\n", "    max: 0\n", "max: 0",
			[]string{"issues[1].max", `max 0 is below min 1`}},
		{"integer bound not integer", "    max: 3\n", "    max: 3.5\n", "max: 3.5",
			[]string{"issues[1].max", `max 3.5 is not an integer`}},
		{"integer issue too large", "    max: 3\n", "    max: 3000000\n", "max: 3000000",
			[]string{"issues[1].max", `more than the limit`}},
		{"issues too large together", "    max: 3\n", "    max: 999000\n  - name: big\n    type: real\n    min: 0\n    max: 1\n    steps: 2000\n", "- name: big",
			[]string{"issues[2]", `the issues up to "big" have 1001002 values together, more than the limit of 1000000`}},

		{"real issue without steps", "type: integer", "type: real", "- name: size",
			[]string{"issues[1]", `a real issue needs steps`}},
		{"min on a discrete issue", "    values: [red, green]\n", "    values: [red, green]\n    min: 0\n", "min: 0",
			[]string{"issues[0].min", `min is for integer and real issues`}},
		{"no issues", "issues:\n", "issuez:\n", "issuez", []string{`unknown field "issuez"`}},
		{"unknown role", "  - name: B\n", "  - name: B\n    role: arbiter\n", "role: arbiter",
			[]string{"parties[1].role", `party "B": unknown role "arbiter"`}},
		{"unknown model", "  - name: B\n", "  - name: B\n    model: neural\n", "model: neural",
			[]string{"parties[1].model", `unknown model "neural"`}},
		{"linear on a discrete issue", "      size: {at_min: 1, at_max: 0}\n", "      size: {at_min: 1, at_max: 0}\n      colour: {at_min: 1, at_max: 0}\n", "colour: {at_min",
			[]string{"parties[1].linear.colour", `issue "colour" is discrete`}},
		{"linear without at_max", "{at_min: 1, at_max: 0}", "{at_min: 1}", "size: {at_min: 1}",
			[]string{"parties[1].linear.size", `need at_min and at_max`}},
		{"agreement bonus of 1", "  - name: B\n", "  - name: B\n    agreement_bonus: 1\n", "agreement_bonus: 1",
			[]string{"parties[1].agreement_bonus", `agreement_bonus 1 outside [0,1)`}},
		{"party listed twice", "  - name: B\n", "  - name: A\n", "  - name: A\n    weights: {colour: 1, size: 1}\n    values:\n      colour: {red: 0",
			[]string{"parties[1].name", `party "A" appears twice`}},
		{"one party", "  - name: B\n    weights: {colour: 1, size: 1}\n    values:\n      colour: {red: 0, green: 1}\n    linear:\n      size: {at_min: 1, at_max: 0}\n", "", "parties:",
			[]string{"1 parties, need at least 2"}},
		{"negative deadline", "", "deadline: -5\n", "deadline", []string{"deadline -5 is negative"}},
		{"reference value the issue lacks", "{colour: red, size: 2}", "{colour: red, size: 7}", "size: 7",
			[]string{"references.mid.size", `issue "size": 7 is not an integer in [1, 3]`}},
		{"reference missing an issue", "{colour: red, size: 2}", "{colour: red}", "mid:",
			[]string{"references.mid", `reference "mid": no value for issue "size"`}},
		{"reference to unknown issue", "{colour: red, size: 2}", "{colour: red, size: 2, shape: round}", "shape",
			[]string{"references.mid.shape", `reference "mid": unknown issue "shape"`}},
		{"duplicate key", "{colour: 1, size: 1}", "{colour: 1, colour: 2, size: 1}", "colour: 1, colour: 2", []string{`"colour" already defined`}},
		{"syntax error", "[red, green]", "[red, green", "", []string{"scenario: bad.yaml:"}},
		{"constraint without max", bBlock, cBlock("    max: 10\n", ""), "- name: B", []string{"parties[1]", `party "B": a constraint profile needs max`}},
		{"constraint max 0", bBlock, cBlock("max: 10", "max: 0"), "max: 0", []string{"parties[1].max", `max 0 must be a positive number`}},
		{"constraint without rects", bBlock, cBlock("    rects:\n      - utility: 5\n        where: {colour: [red, green], size: [1, 2]}\n", ""), "- name: B",
			[]string{"parties[1].rects", `needs rects`}},
		{"rect without utility", bBlock, cBlock("- utility: 5\n        where", "- where"), "- where", []string{"parties[1].rects[0]", `rect 1 has no utility`}},
		{"rect on unknown issue", bBlock, cBlock("size: [1, 2]", "shape: [1, 2]"), "shape", []string{"parties[1].rects[0].where.shape", `rect 1: unknown issue "shape"`}},
		{"rect bound not a value", bBlock, cBlock("size: [1, 2]", "size: [1, 9]"), "size: [1, 9]", []string{"parties[1].rects[0].where.size[1]", `9 is not an integer in [1, 3]`}},
		{"rect bound not a scalar", bBlock, cBlock("size: [1, 2]", "size: [1, [2]]"), "size: [1, [2]]", []string{"parties[1].rects[0].where.size[1]", `is not a value`}},
		{"rect with one bound", bBlock, cBlock("size: [1, 2]", "size: [1]"), "size: [1]", []string{"parties[1].rects[0].where.size", `needs [lo, hi], got 1 values`}},
		{"rect utilities overflow", bBlock, cBlock("      - utility: 5\n", "      - utility: 1e308\n      - utility: -1e308\n"), "-1e308",
			[]string{"parties[1].rects[1].utility", `rect utilities up to rect 2 overflow`}},
		{"rect empty range", bBlock, cBlock("[red, green]", "[green, red]"), "[green, red]", []string{"parties[1].rects[0].where.colour", `empty range [green, red]`}},
		{"weights in a constraint profile", bBlock, cBlock("    max: 10\n", "    max: 10\n    weights: {colour: 1, size: 1}\n"), "weights: {colour: 1, size: 1}\n    rects",
			[]string{"parties[1].weights", `weights belong to model: linear-additive`}},
		{"rects in a linear profile", "  - name: B\n", "  - name: B\n    rects: []\n", "rects: []", []string{"parties[1].rects", `rects belong to model: constraint`}},
		{"YAML tag", "values: [red, green]", "values: !!seq [red, green]", "!!seq", []string{"YAML tag !!seq is not supported"}},
		{"two documents", "", "---\nname: u\n", "name: u", []string{"more than one YAML document"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := base + tc.new
			if tc.old != "" {
				if !strings.Contains(base, tc.old) {
					t.Fatalf("%q not in base", tc.old)
				}
				src = strings.Replace(base, tc.old, tc.new, 1)
			}
			_, err := Parse("bad.yaml", []byte(src), "yaml")
			if err == nil {
				t.Fatalf("no error for\n%s", src)
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %T, want *Error: %v", err, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "scenario: bad.yaml:") {
				t.Errorf("error does not start with the file name and line:\n%s", msg)
			}
			if tc.at != "" {
				line := lineOf(t, src, tc.at)
				if se.Line != line || !strings.Contains(msg, fmt.Sprintf("bad.yaml:%d:", line)) {
					t.Errorf("error names line %d, want %d:\n%s\nsource:\n%s", se.Line, line, msg, src)
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
		})
	}
}

func TestTooManyCells(t *testing.T) {
	var b strings.Builder
	b.WriteString("issues:\n  - {name: n, type: integer, min: 1, max: 999999}\nparties:\n")
	for i := range 33 {
		fmt.Fprintf(&b, "  - {name: p%d, model: constraint, max: 1, rects: [{utility: 1}]}\n", i)
	}
	_, err := Parse("big.yaml", []byte(b.String()), "yaml")
	want := `scenario: big.yaml:3:1: parties: 33 parties over 999999 issue values make more than 32000000 utilities`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v, want %s", err, want)
	}
}

// baseJSON is base as JSON, one field per line.
const baseJSON = `{
  "name": "t",
  "issues": [
    {"name": "colour", "values": ["red", "green"]},
    {"name": "size", "type": "integer", "min": 1, "max": 3}
  ],
  "parties": [
    {
      "name": "A",
      "weights": {"colour": 1, "size": 1},
      "values": {
        "colour": {"red": 1, "green": 0},
        "size": {"1": 0, "2": 0.5, "3": 1}
      }
    },
    {
      "name": "B",
      "weights": {"colour": 1, "size": 1},
      "values": {"colour": {"red": 0, "green": 1}},
      "linear": {"size": {"at_min": 1, "at_max": 0}}
    }
  ],
  "references": {"mid": {"colour": "red", "size": 2}}
}
`

func TestParseErrorsJSON(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		at       string
		want     []string
	}{
		{"unknown field", `"name": "B",`, `"name": "B", "vetos": {},`, `"vetos"`,
			[]string{"parties[1].vetos", `unknown field "vetos"`}},
		{"veto on an unknown value", `"name": "B",`, `"name": "B", "vetoes": {"colour": ["blue"]},`, `"vetoes"`,
			[]string{"parties[1].vetoes.colour[0]", `party "B": veto: issue "colour" has no value "blue"`}},
		{"field in the wrong case", `"name": "t",`, `"Name": "t",`, `"Name"`,
			[]string{"Name", `unknown field "Name"`}},
		{"weight for unknown issue", `{"colour": 1, "size": 1}`, `{"colour": 1, "size": 1, "terrtory": 1}`, `"terrtory"`,
			[]string{"parties[0].weights.terrtory", `party "A": weight for unknown issue "terrtory"`}},
		{"reservation outside", `"name": "B",`, `"name": "B", "reservation": 2,`, `"reservation"`,
			[]string{"parties[1].reservation", `reservation 2 outside [0,1]`}},
		{"type error", `"name": "B",`, `"name": "B", "reservation": "high",`, `"reservation"`,
			[]string{"parties[1].reservation", `is not a number`}},
		{"duplicate key", `"name": "B",`, `"name": "B", "name": "C",`, `"name": "B", "name"`,
			[]string{"parties[1].name", `key "name" appears twice`}},
		{"discrete value listed twice", `["red", "green"]`, `["red", "green", "red"]`, `["red", "green", "red"]`,
			[]string{"issues[0].values[2]", `value "red" listed twice`}},
		{"syntax error", `"name": "t",`, `"name": "t"`, `"issues"`, []string{"invalid character"}},
		{"trailing data", "", "{}", "{}", []string{"after the top-level object"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := baseJSON + tc.new
			if tc.old != "" {
				src = strings.Replace(baseJSON, tc.old, tc.new, 1)
			}
			_, err := Parse("bad.json", []byte(src), "json")
			if err == nil {
				t.Fatalf("no error for\n%s", src)
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %T, want *Error: %v", err, err)
			}
			msg := err.Error()
			line := lineOf(t, src, tc.at)
			if se.Line != line || !strings.Contains(msg, fmt.Sprintf("bad.json:%d:", line)) {
				t.Errorf("error names line %d, want %d:\n%s", se.Line, line, msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
		})
	}
}

func TestParseJSONMatchesYAML(t *testing.T) {
	y, err := Parse("base.yaml", []byte(base), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	j, err := Parse("base.json", []byte(baseJSON), "json")
	if err != nil {
		t.Fatal(err)
	}
	sameUtilities(t, y, j)

	// testdata/mixed.json is testdata/mixed.yaml as WriteJSON writes it.
	my, err := Read("testdata/mixed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mj, err := Read("testdata/mixed.json")
	if err != nil {
		t.Fatal(err)
	}
	sameUtilities(t, my, mj)
}

func TestDefaults(t *testing.T) {
	src := strings.Replace(base, "name: t\n", "", 1)
	s, err := Parse("dir/defaults.yaml", []byte(src), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "defaults" || s.Source != "dir/defaults.yaml" {
		t.Errorf("name %q source %q, want defaults and dir/defaults.yaml", s.Name, s.Source)
	}
	for _, p := range s.Parties {
		if p.Role != Negotiator || p.Profile.Reservation != 0 || p.Profile.Discount != 1 || p.Profile.Name != p.Name {
			t.Errorf("%s: role %q reservation %v discount %v profile %q; want negotiator, 0, 1, %s",
				p.Name, p.Role, p.Profile.Reservation, p.Profile.Discount, p.Profile.Name, p.Name)
		}
	}
	if s.Deadline != 0 {
		t.Errorf("deadline %d, want 0", s.Deadline)
	}
}

// TestMixedUtilities checks the fixture against hand-computed utilities.
func TestMixedUtilities(t *testing.T) {
	s, err := Read("testdata/mixed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Space.Size(); got != 4*5*4 {
		t.Fatalf("size %d, want 80", got)
	}
	tests := []struct {
		colour, quantity, price string
		buyer, seller, anac     float64
	}{
		// buyer: weights 2:1:1 -> .5/.25/.25.
		// seller: .3 + .7·(.2·colour + .3·linear(.2→1 over 1..5) + .5·linear(0→1 over .5..2)).
		// anac: rect 30 if quantity in 2..4 and colour in green.."blue sky";
		// 20 unless price in 1..2; always 10; divided by 60.
		{"green", "3", "1.5", .5*.3 + .25*.5 + .25*.1, .3 + .7*(.2*1+.3*.6+.5*(2./3)), (30 + 0 + 10) / 60.},
		{"red", "1", "0.5", .5*1 + 0 + .25*1, .3 + .7*(.2*.1+.3*.2+0), (0 + 20 + 10) / 60.},
		{"blue sky", "4", "0.5", .5*.6 + .25*.875 + .25*1, .3 + .7*(.2*.5+.3*.8+0), (30 + 20 + 10) / 60.},
		{"1", "5", "2", 0 + .25*1 + 0, .3 + .7*(.2*.7+.3*1+.5*1), 10 / 60.},
	}
	for _, tc := range tests {
		o, err := s.Space.Parse(map[string]string{"colour": tc.colour, "quantity": tc.quantity, "price": tc.price})
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []float64{tc.buyer, tc.seller, tc.anac} {
			if got := s.Parties[i].Profile.Utility.Utility(o); math.Abs(got-want) > 1e-12 {
				t.Errorf("%s at %s: %v, want %v", s.Parties[i].Name, s.Space.Format(o), got, want)
			}
		}
	}
	if _, ok := s.Parties[2].Profile.Utility.(*ufun.Constraint); !ok {
		t.Errorf("anac: %T, want *ufun.Constraint", s.Parties[2].Profile.Utility)
	}
	if s.Parties[1].Role != Mediator {
		t.Errorf("seller role %q, want mediator", s.Parties[1].Role)
	}
	if got := fmt.Sprint(s.References); got != "[{cheap_red 16} {dear_one 63}]" {
		t.Errorf("references %s", got)
	}
}

// sameUtilities fails unless a and b agree on everything a file holds,
// and on every outcome's utility for every party within parley.Eps.
func sameUtilities(t *testing.T, a, b *Scenario) {
	t.Helper()
	if a.Space.Size() != b.Space.Size() || len(a.Parties) != len(b.Parties) {
		t.Fatalf("size %d vs %d, %d vs %d parties", a.Space.Size(), b.Space.Size(), len(a.Parties), len(b.Parties))
	}
	for i := range a.Space.Issues {
		x, y := a.Space.Issues[i], b.Space.Issues[i]
		if fmt.Sprint(x) != fmt.Sprint(y) {
			t.Fatalf("issue %d: %v vs %v", i, x, y)
		}
	}
	if a.Name != b.Name || a.Description != b.Description || a.Deadline != b.Deadline {
		t.Errorf("name/description/deadline %q %q %d vs %q %q %d", a.Name, a.Description, a.Deadline, b.Name, b.Description, b.Deadline)
	}
	if fmt.Sprint(a.References) != fmt.Sprint(b.References) {
		t.Errorf("references %v vs %v", a.References, b.References)
	}
	if !reflect.DeepEqual(a.Protocol, b.Protocol) {
		t.Errorf("protocol %+v vs %+v", a.Protocol, b.Protocol)
	}
	for i := range a.Parties {
		p, q := a.Parties[i], b.Parties[i]
		if p.Name != q.Name || p.Role != q.Role || p.Profile.Reservation != q.Profile.Reservation ||
			p.Profile.DiscountFactor() != q.Profile.DiscountFactor() {
			t.Errorf("party %d: %s %s %v %v vs %s %s %v %v", i, p.Name, p.Role, p.Profile.Reservation, p.Profile.Discount,
				q.Name, q.Role, q.Profile.Reservation, q.Profile.Discount)
		}
		if !sameRealism(p.Profile, q.Profile) {
			t.Errorf("party %s: realism %s vs %s", p.Name, realism(p.Profile), realism(q.Profile))
		}
		for o := range a.Space.Size() {
			u, v := p.Profile.Utility.Utility(parley.Outcome(o)), q.Profile.Utility.Utility(parley.Outcome(o))
			if math.Abs(u-v) > parley.Eps {
				t.Fatalf("%s at %s: %v vs %v", p.Name, a.Space.Format(parley.Outcome(o)), u, v)
			}
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, file := range []string{"testdata/mixed.yaml", ceasefireFile} {
		orig, err := Read(file)
		if err != nil {
			t.Fatal(err)
		}
		if file == ceasefireFile {
			// Writers must see through precomputed tables.
			prep, err := orig.Prepare()
			if err != nil {
				t.Fatal(err)
			}
			tabled := *orig
			tabled.Parties = slices.Clone(orig.Parties)
			for i := range tabled.Parties {
				tabled.Parties[i].Profile = prep.Profile(i)
			}
			orig = &tabled
		}
		for _, w := range []struct {
			format string
			write  func(*bytes.Buffer, *Scenario) error
		}{
			{"yaml", func(b *bytes.Buffer, s *Scenario) error { return WriteYAML(b, s) }},
			{"json", func(b *bytes.Buffer, s *Scenario) error { return WriteJSON(b, s) }},
		} {
			t.Run(file+"->"+w.format, func(t *testing.T) {
				var b bytes.Buffer
				if err := w.write(&b, orig); err != nil {
					t.Fatal(err)
				}
				back, err := Parse("written."+w.format, b.Bytes(), w.format)
				if err != nil {
					t.Fatalf("%v\n%s", err, b.String())
				}
				sameUtilities(t, orig, back)
				// Writing again gives the same bytes.
				var b2 bytes.Buffer
				if err := w.write(&b2, back); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(b.Bytes(), b2.Bytes()) {
					t.Errorf("second write differs:\n%s\n---\n%s", b.String(), b2.String())
				}
			})
		}
	}
}

// TestRoundTripYAMLToJSON goes YAML -> write JSON -> read -> write YAML ->
// read, checking utilities at the end.
func TestRoundTripYAMLToJSON(t *testing.T) {
	orig, err := Read("testdata/mixed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var j bytes.Buffer
	if err := WriteJSON(&j, orig); err != nil {
		t.Fatal(err)
	}
	mid, err := Parse("mid.json", j.Bytes(), "json")
	if err != nil {
		t.Fatal(err)
	}
	var y bytes.Buffer
	if err := WriteYAML(&y, mid); err != nil {
		t.Fatal(err)
	}
	back, err := Parse("back.yaml", y.Bytes(), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	sameUtilities(t, orig, back)
}

// TestWriteAwkwardValues checks that values YAML would misread when
// written plain (numbers, booleans, null, quotes, newlines) survive.
func TestWriteAwkwardValues(t *testing.T) {
	values := []string{"yes", "No", "true", "null", "~", "1", "1.50", "0x10", "1e3", ".inf", "-", "- x", "a: b", "#x",
		"'q", `"`, "a\nb", "[x", "{", "é", "\t", "*a", "&a", "!t", "%", "@", "`", " lead", "trail ", "e5", "y", "<&>", "\u2028"}
	sp, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "odd: name", Values: values}, {Name: "n", Kind: parley.Real, Min: -1e-300, Max: 1e300, Steps: 3}})
	if err != nil {
		t.Fatal(err)
	}
	ev := make([]float64, len(values))
	for k := range ev {
		ev[k] = float64(k) / float64(len(ev)-1)
	}
	s := &Scenario{Name: "yes", Description: "line 1\n  line 2: \"quoted\"\n", Space: sp,
		References: []Reference{{Name: "no", Outcome: 7}}}
	for _, name := range []string{"true", "1"} {
		u, err := ufun.NewLinearAdditive(sp, []float64{0.3, 0.7}, [][]float64{ev, {0.1, 1e-300, 1}}, 0)
		if err != nil {
			t.Fatal(err)
		}
		s.Parties = append(s.Parties, Party{Name: name, Role: Negotiator, Profile: &parley.Profile{Name: name, Space: sp, Utility: u, Reservation: 1e-7}})
	}
	for _, format := range []string{"yaml", "json"} {
		var b bytes.Buffer
		write := WriteYAML
		if format == "json" {
			write = WriteJSON
		}
		if err := write(&b, s); err != nil {
			t.Fatal(err)
		}
		back, err := Parse("awkward."+format, b.Bytes(), format)
		if err != nil {
			t.Fatalf("%v\n%s", err, b.String())
		}
		sameUtilities(t, s, back)
	}
}

// TestRoundTripExact writes profiles whose weights sum to 1 only within
// ufun's tolerance and whose numeric utilities are nearly linear, and
// expects every utility back bit for bit.
func TestRoundTripExact(t *testing.T) {
	sp, err := parley.NewOutcomeSpace([]parley.Issue{
		{Name: "a", Values: []string{"x", "y"}},
		{Name: "b", Kind: parley.Real, Min: 0, Max: 1, Steps: 4},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := &Scenario{Name: "exact", Space: sp}
	for i, ev := range [][]float64{{0, 1.0 / 3, 2.0 / 3, 1}, {0.1, 0.2, 0.3 + 1e-15, 0.4}} {
		u, err := ufun.NewLinearAdditive(sp, []float64{0.3, 0.7 - 5e-7}, [][]float64{{1, 0.1}, ev}, 0.01)
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprint("p", i)
		s.Parties = append(s.Parties, Party{Name: name, Profile: &parley.Profile{Name: name, Space: sp, Utility: u}})
	}
	for _, format := range []string{"yaml", "json"} {
		var b bytes.Buffer
		write := WriteYAML
		if format == "json" {
			write = WriteJSON
		}
		if err := write(&b, s); err != nil {
			t.Fatal(err)
		}
		back, err := Parse("exact."+format, b.Bytes(), format)
		if err != nil {
			t.Fatal(err)
		}
		for i := range s.Parties {
			for o := range sp.Size() {
				u := s.Parties[i].Profile.Utility.Utility(parley.Outcome(o))
				v := back.Parties[i].Profile.Utility.Utility(parley.Outcome(o))
				if u != v {
					t.Errorf("%s: p%d at %s: %v became %v\n%s", format, i, sp.Format(parley.Outcome(o)), u, v, b.String())
				}
			}
		}
	}
}

func TestWriteUnsupportedUtility(t *testing.T) {
	s, err := Parse("base.yaml", []byte(base), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	s.Parties[1].Profile.Utility = parley.UtilityFunc(func(parley.Outcome) float64 { return 0.5 })
	err = WriteYAML(&bytes.Buffer{}, s)
	if err == nil || !strings.Contains(err.Error(), `party "B": cannot write a utility function of type parley.UtilityFunc`) {
		t.Errorf("err = %v", err)
	}
}

func TestReadErrors(t *testing.T) {
	if _, err := Read("testdata/mixed.toml"); err == nil || !strings.Contains(err.Error(), `unknown extension ".toml"`) {
		t.Errorf("toml: %v", err)
	}
	if _, err := Read("testdata/missing.yaml"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	if _, err := Parse("x", []byte("name: x"), "xml"); err == nil || !strings.Contains(err.Error(), `unknown format "xml"`) {
		t.Errorf("xml: %v", err)
	}
	for _, src := range []string{"", "- 1\n", "just text\n", "{}", "name: x\n", "# only a comment\n\nname: x\n"} {
		_, err := Parse("odd.yaml", []byte(src), "yaml")
		var se *Error
		if !errors.As(err, &se) || se.File != "odd.yaml" || se.Line == 0 {
			t.Errorf("%q: %v", src, err)
		}
	}
	for _, src := range []string{"", "[1]", "nul", "{", `{"name": 1}`} {
		_, err := Parse("odd.json", []byte(src), "json")
		var se *Error
		if !errors.As(err, &se) || se.File != "odd.json" || se.Line == 0 {
			t.Errorf("%q: %v", src, err)
		}
	}
}
