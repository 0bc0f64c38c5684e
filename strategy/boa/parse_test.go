package boa_test

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/strategy/boa"
)

type specCase struct {
	spec, err string
}

// readSpecs reads testdata/specs.txt.
func readSpecs(tb testing.TB) []specCase {
	tb.Helper()
	f, err := os.Open("testdata/specs.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var cases []specCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		spec, want, _ := strings.Cut(line, " -> ")
		cases = append(cases, specCase{spec, want})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return cases
}

func TestParse(t *testing.T) {
	for _, tc := range readSpecs(t) {
		f, err := boa.Parse(tc.spec)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("Parse(%q): error %v\nwant %s", tc.spec, err, tc.err)
			}
			var se *boa.SpecError
			if !errors.As(err, &se) || se.Spec != tc.spec {
				t.Errorf("Parse(%q): %T does not name the spec", tc.spec, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.spec, err)
			continue
		}
		if a, b := f(), f(); a == nil || a == b {
			t.Errorf("Parse(%q): the factory must return a new negotiator each call", tc.spec)
		}
	}
}

func TestParseErrors(t *testing.T) {
	_, err := boa.Parse("bid=boulware(x=3)")
	if !errors.Is(err, boa.ErrUnknownParameter) {
		t.Errorf("%v: want ErrUnknownParameter", err)
	}
	var se *boa.SpecError
	if !errors.As(err, &se) || se.Role != "bid" || se.Name != "boulware" || se.Param != "x" {
		t.Errorf("%v: want a SpecError for bid boulware, parameter x", err)
	}
	if _, err := boa.Parse("om=nope"); !errors.Is(err, boa.ErrUnknownComponent) {
		t.Errorf("%v: want ErrUnknownComponent", err)
	}
}

// TestInfo: every component Info lists parses with its defaults, and every
// parameter with a default parses when given it explicitly.
func TestInfo(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range boa.Info() {
		if c.Summary == "" {
			t.Errorf("%s %s: no summary", c.Role, c.Name)
		}
		key := c.Role + "=" + c.Name
		if seen[key] {
			t.Errorf("%s listed twice", key)
		}
		seen[key] = true
		var req, all []string
		for _, p := range c.Params {
			if p.Meaning == "" {
				t.Errorf("%s: parameter %s has no meaning", key, p.Name)
			}
			v := p.Default
			if v == "" {
				v = "0.5"
				req = append(req, p.Name+"="+v)
			}
			all = append(all, p.Name+"="+v)
		}
		spec := key
		if len(req) > 0 {
			spec += "(" + strings.Join(req, ",") + ")"
		}
		if _, err := boa.Parse(spec); err != nil {
			t.Errorf("defaults: %v", err)
		}
		if len(all) > 0 {
			if _, err := boa.Parse(key + "(" + strings.Join(all, ",") + ")"); err != nil {
				t.Errorf("explicit defaults: %v", err)
			}
		}
	}
	for _, want := range []string{"bid=timedep", "om=frequency", "om=bayesian", "ac=next", "ac=const", "ac=time", "ac=combi", "ac=combimax"} {
		if !seen[want] {
			t.Errorf("Info does not list %s", want)
		}
	}
}

// FuzzParse: Parse never panics, and whatever it accepts makes negotiators
// that pass a negotiation on the two-issue scenario without error.
func FuzzParse(f *testing.F) {
	for _, tc := range readSpecs(f) {
		f.Add(tc.spec)
	}
	_, ps := parleytest.TwoIssue()
	f.Fuzz(func(t *testing.T, spec string) {
		fac, err := boa.Parse(spec)
		if err != nil {
			var se *boa.SpecError
			if !errors.As(err, &se) || se.Spec != spec || !strings.HasPrefix(err.Error(), "boa: ") {
				t.Fatalf("Parse(%q): error %v is not a SpecError naming the spec", spec, err)
			}
			return
		}
		trace(t, ps, []parley.Negotiator{fac(), fac()}, 1)
	})
}
