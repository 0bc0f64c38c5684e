package boa_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/spectest"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy/boa"
)

func TestParse(t *testing.T) {
	spectest.Run(t, "testdata/specs.txt", boa.Parse)
}

func TestParseErrors(t *testing.T) {
	_, err := boa.Parse("bid=boulware(x=3)")
	if !errors.Is(err, spec.ErrUnknownParam) {
		t.Errorf("%v: want ErrUnknownParam", err)
	}
	var se, in *spec.Error
	if !errors.As(err, &se) || se.Param != "bid" || !errors.As(se.Err, &in) || in.Name != "boulware" || in.Param != "x" {
		t.Errorf("%v: want an error for bid, then boulware's parameter x", err)
	}
	if _, err := boa.Parse("om=nope"); !errors.Is(err, spec.ErrUnknownName) {
		t.Errorf("%v: want ErrUnknownName", err)
	}
}

// TestRegistries: every component of the three registries parses with its
// defaults, and with every parameter given explicitly; the roles are the
// parameters of Entry.
func TestRegistries(t *testing.T) {
	roles := map[string]interface {
		Validate() error
		Names() []string
	}{"bid": boa.Biddings(), "om": boa.Models(), "ac": boa.Acceptances()}
	params := map[string][]spec.Param{}
	for _, e := range boa.Biddings().Entries() {
		params["bid="+e.Name] = e.Params
	}
	for _, e := range boa.Models().Entries() {
		params["om="+e.Name] = e.Params
	}
	for _, e := range boa.Acceptances().Entries() {
		params["ac="+e.Name] = e.Params
	}
	for role, r := range roles {
		if err := r.Validate(); err != nil {
			t.Errorf("%s: %v", role, err)
		}
	}
	var got []string
	for _, p := range boa.Entry().Params {
		got = append(got, p.Name)
	}
	if strings.Join(got, ",") != "bid,om,ac" {
		t.Errorf("boa parameters %v, want bid, om, ac", got)
	}
	for key, ps := range params {
		var req, all []string
		for _, p := range ps {
			v := p.Default
			if p.Required {
				v = "0.5"
				req = append(req, p.Name+"="+v)
			}
			all = append(all, p.Name+"="+v)
		}
		s := key
		if len(req) > 0 {
			s += "(" + strings.Join(req, ",") + ")"
		}
		if _, err := boa.Parse(s); err != nil {
			t.Errorf("defaults: %v", err)
		}
		if len(all) > 0 {
			if _, err := boa.Parse(key + "(" + strings.Join(all, ",") + ")"); err != nil {
				t.Errorf("explicit defaults: %v", err)
			}
		}
	}
	for _, want := range []string{"bid=timedep", "om=frequency", "om=bayesian", "ac=next", "ac=const", "ac=time", "ac=combi", "ac=combimax"} {
		if _, ok := params[want]; !ok {
			t.Errorf("the registries lack %s", want)
		}
	}
}

// FuzzParse: Parse never panics, and whatever it accepts makes negotiators
// that pass a negotiation on the two-issue scenario without error.
func FuzzParse(f *testing.F) {
	for _, tc := range spectest.Read(f, "testdata/specs.txt") {
		f.Add(tc.Spec)
	}
	_, ps := parleytest.TwoIssue()
	f.Fuzz(func(t *testing.T, text string) {
		fac, err := boa.Parse(text)
		if err != nil {
			var se *spec.Error
			if !errors.As(err, &se) || se.Spec != text || !strings.HasPrefix(err.Error(), "boa ") {
				t.Fatalf("Parse(%q): error %v is not a spec.Error naming the spec", text, err)
			}
			return
		}
		trace(t, ps, []parley.Negotiator{fac(), fac()}, 1)
	})
}
