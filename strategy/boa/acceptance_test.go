package boa_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy/boa"
)

// ladder returns the buyer's outcomes of TwoIssue.
func ladder(t *testing.T) *boa.Outcomes {
	t.Helper()
	_, ps := parleytest.TwoIssue()
	var l boa.Outcomes
	if err := l.Init(&parley.Session{Profile: ps[0], Rand: rand.New(rand.NewPCG(1, 2))}, 0); err != nil {
		t.Fatal(err)
	}
	return &l
}

func TestAcceptance(t *testing.T) {
	// Buyer utilities of TwoIssue: 4:0 2:0.3 5:0.4 0:0.6 3:0.7 1:1.
	outs := ladder(t)
	rec := func(party int, o parley.Outcome, t float64) parley.OfferRecord {
		return parley.OfferRecord{Party: party, Outcome: o, Time: t}
	}
	// The seller offered 0.7, 0.6, 0.4 at t = 0.90, 0.93, 0.95; the buyer
	// (party 0) offered 1 in between.
	history := []parley.OfferRecord{rec(1, 3, 0.90), rec(0, 1, 0.91), rec(1, 0, 0.93), rec(0, 1, 0.94), rec(1, 5, 0.95)}
	state := func(t float64) *parley.State {
		return &parley.State{Time: t, Parties: 2, Me: 0, Standing: 5, Proposer: 1, Offers: history}
	}
	ctx := func(t, offer, next float64) *boa.Context {
		return &boa.Context{State: state(t), Outcomes: outs, Offer: 5, OfferUtility: offer, Next: parley.NoOutcome, NextUtility: next}
	}
	tests := []struct {
		name string
		ac   boa.Acceptance
		c    *boa.Context
		want bool
	}{
		{"next: equal", boa.ACNext(1, 0), ctx(0.5, 0.7, 0.7), true},
		{"next: ulp below", boa.ACNext(1, 0), ctx(0.5, 0.1+0.2, 0.3), true},
		{"next: below", boa.ACNext(1, 0), ctx(0.5, 0.6, 0.7), false},
		{"next(a=1.1,b=0)", boa.ACNext(1.1, 0), ctx(0.5, 0.65, 0.7), true},
		{"next(a=1,b=0.05)", boa.ACNext(1, 0.05), ctx(0.5, 0.64, 0.7), false},
		{"next(a=1,b=0.1)", boa.ACNext(1, 0.1), ctx(0.5, 0.64, 0.7), true},
		{"const: above", boa.ACConst(0.8), ctx(0.1, 0.8, 1), true},
		{"const: below", boa.ACConst(0.8), ctx(0.99, 0.79, 0.8), false},
		{"time: before", boa.ACTime(0.99), ctx(0.98, 0, 1), false},
		{"time: at", boa.ACTime(0.99), ctx(0.99, 0, 1), true},
		{"combi: next", boa.ACCombi(0.98), ctx(0.5, 0.7, 0.7), true},
		{"combi: time", boa.ACCombi(0.98), ctx(0.98, 0, 1), true},
		{"combi: neither", boa.ACCombi(0.98), ctx(0.97, 0.4, 1), false},
		// t = 0.96: window [0.92, 0.96] holds the seller's 0.6 and 0.4.
		{"combimax: better offer in window", boa.ACCombiMax(0.95), ctx(0.96, 0.4, 1), false},
		{"combimax: before T", boa.ACCombiMax(0.97), ctx(0.96, 0.6, 1), false},
		// t = 0.94: window [0.88, 0.94] holds 0.7 and 0.6.
		{"combimax: window best", boa.ACCombiMax(0.9), ctx(0.94, 0.7, 1), true},
		{"combimax: below window best", boa.ACCombiMax(0.9), ctx(0.94, 0.65, 1), false},
		// t = 0.98: window [0.96, 0.98] is empty of seller offers.
		{"combimax: empty window", boa.ACCombiMax(0.98), ctx(0.98, 0.4, 1), true},
		{"combimax: next", boa.ACCombiMax(0.98), ctx(0.5, 1, 1), true},
		{"any: none", boa.ACAny(), ctx(1, 1, 0), false},
		{"any: second", boa.ACAny(boa.ACConst(0.9), boa.ACTime(0.5)), ctx(0.6, 0, 1), true},
		{"func adapter", boa.AcceptanceFunc(func(c *boa.Context) bool { return c.OfferUtility > 0.5 }), ctx(0, 0.6, 1), true},
	}
	for _, tc := range tests {
		if got := tc.ac.Accept(tc.c); got != tc.want {
			t.Errorf("%s: accept = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestParseAcceptance(t *testing.T) {
	c := &boa.Context{State: &parley.State{Time: 0.985}, OfferUtility: 0.5, NextUtility: 0.9}
	tests := []struct {
		spec string
		want bool // on c
		err  string
	}{
		{spec: "next", want: false},
		{spec: "next(a=1,b=0.4)", want: true},
		{spec: "NEXT( a = 2 )", want: true},
		{spec: "const(c=0.5)", want: true},
		{spec: "const(0.6)", want: false},
		{spec: "time", want: false},
		{spec: "time(t=0.98)", want: true},
		{spec: "combi", want: true},
		{spec: "combi(0.99)", want: false},
		{spec: "combimax(t=0.99)", want: false},
		{spec: "", err: `acceptance condition "": empty name`},
		{spec: "never", err: `acceptance condition "never": unknown acceptance condition "never" (want next, const, time, combi, combimax)`},
		{spec: "const", err: `acceptance condition "const": parameter "c": required: a number in [0, 1]`},
		{spec: "const(x=1)", err: `acceptance condition "const(x=1)": unknown parameter "x" (want c)`},
		{spec: "time(t=2)", err: `acceptance condition "time(t=2)": parameter "t": 2 outside [0, 1]`},
		{spec: "time(t=abc)", err: `acceptance condition "time(t=abc)": parameter "t": "abc" is not a number`},
		{spec: "next(1,2)", err: `acceptance condition "next(1,2)": argument "1" is not key=value`},
		{spec: "next(a=1,a=2)", err: `acceptance condition "next(a=1,a=2)": parameter "a": given twice`},
		{spec: "next(a=1", err: `acceptance condition "next(a=1": unbalanced '('`},
		{spec: "next((a=1))", err: `acceptance condition "next((a=1))": argument "(a=1)" is not key=value`},
		{spec: "next(a=1,)", err: `acceptance condition "next(a=1,)": empty parameter`},
		{spec: "time(t=NaN)", err: `acceptance condition "time(t=NaN)": parameter "t": "NaN" is not a number`},
	}
	for _, tc := range tests {
		ac, err := boa.ParseAcceptance(tc.spec)
		if tc.err != "" {
			var se *spec.Error
			if err == nil || err.Error() != tc.err || !errors.As(err, &se) || se.Spec != tc.spec {
				t.Errorf("%q: error %v, want %s", tc.spec, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.spec, err)
			continue
		}
		if got := ac.Accept(c); got != tc.want {
			t.Errorf("%q: accept = %v, want %v", tc.spec, got, tc.want)
		}
	}
}
