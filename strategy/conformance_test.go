package strategy_test

import (
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/strategy"
)

// TestConformance runs parleytest.TestNegotiator on every strategy, on the
// two-issue scenario, a synthetic one with ties broken at random, and a
// three-party one.
func TestConformance(t *testing.T) {
	specs := []string{"boulware", "linear", "conceder", "timedep:e=0.5,k=0.1", "hardliner", "random", "random:p=1",
		"tft", "tft:ac=combimax(t=0.9)", "micro", "linear:ac=combi(t=0.9)", "conceder:ac=const(c=0.5)",
		"boulware:ac=time(t=0.95)", "boulware:ac=combimax(t=0.9)", "conceder:discount=true"}
	_, syn := parleytest.Synthetic(t, 11, 3, 3, 2)
	// Utilities rounded to tenths (many ties), given as plain functions
	// (not tables), so Init builds the tables.
	for _, p := range syn {
		p.Utility = coarse(p.Space, p.Utility)
	}
	three := []*parley.Profile{syn[0], syn[1],
		{Name: "third", Space: syn[0].Space, Utility: syn[0].Utility, Reservation: 0.2}}
	for _, spec := range specs {
		f, err := strategy.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(spec, func(t *testing.T) {
			parleytest.TestNegotiator(t, f)
			parleytest.TestNegotiator(t, f, syn...)
			parleytest.TestNegotiator(t, f, three...)
		})
	}
}

// coarse rounds a utility to tenths, as a table.
func coarse(space *parley.OutcomeSpace, u parley.UtilityFunction) parley.UtilityFunction {
	v := make([]float64, space.Size())
	for o := range v {
		v[o] = float64(int(u.Utility(parley.Outcome(o))*10+0.5)) / 10
	}
	return parley.UtilityFunc(func(o parley.Outcome) float64 { return v[o] })
}
