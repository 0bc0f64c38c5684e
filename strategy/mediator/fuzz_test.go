package mediator_test

import (
	"testing"

	"github.com/parley-dev/parley/strategy/mediator"
)

// FuzzParse: any spec either fails with a SpecError or gives a factory of
// fresh, non-nil strategies; it never panics.
func FuzzParse(f *testing.F) {
	for _, in := range mediator.ListMediators() {
		f.Add(in.Name)
		for _, p := range in.Params {
			f.Add(in.Name + ":" + p.Name + "=" + p.Default)
		}
	}
	for _, in := range mediator.ListVoters() {
		f.Add(in.Name)
		for _, p := range in.Params {
			f.Add(in.Name + ":" + p.Name + "=" + p.Default)
		}
	}
	f.Add("biased:bias=0.5,call=false")
	f.Add("anneal:t0=1e308")
	f.Add(":,=")
	f.Fuzz(func(t *testing.T, spec string) {
		if mf, err := mediator.ParseMediator(spec); err == nil {
			if mf() == nil {
				t.Fatalf("%q: nil mediator", spec)
			}
		} else if _, ok := err.(*mediator.SpecError); !ok {
			t.Fatalf("%q: %T %v", spec, err, err)
		}
		if vf, err := mediator.ParseVoter(spec); err == nil {
			if vf() == nil {
				t.Fatalf("%q: nil voter", spec)
			}
		} else if _, ok := err.(*mediator.SpecError); !ok {
			t.Fatalf("%q: %T %v", spec, err, err)
		}
	})
}
