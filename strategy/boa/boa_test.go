package boa_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/boa"
	"github.com/parley-dev/parley/ufun"
)

var specs = []string{
	"",
	"bid=timedep(e=0.2),om=frequency,ac=combi(t=0.98)",
	"bid=conceder,om=bayesian,ac=combimax(t=0.9)",
	"bid=linear(d=0.1),om=frequency(l=0.3,v=2),ac=next(a=1,b=0.05)",
	"bid=hardliner,ac=const(0.5)",
	"bid=boulware(k=0.1),om=bayesian(sigma=0.3,c=0.5),ac=time(t=0.95)",
}

// TestConformance runs parleytest.TestNegotiator on BOA compositions, on
// the two-issue scenario, a synthetic one with many ties (a plain function,
// not a table) and a three-party one.
func TestConformance(t *testing.T) {
	_, syn := parleytest.Synthetic(t, 11, 3, 3, 2)
	for _, p := range syn {
		p.Utility = coarse(p.Space, p.Utility)
	}
	three := []*parley.Profile{syn[0], syn[1], {Name: "third", Space: syn[0].Space, Utility: syn[0].Utility, Reservation: 0.2}}
	for _, spec := range specs {
		f, err := boa.Parse(spec)
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

// coarse rounds a utility to tenths, as a plain function.
func coarse(space *parley.OutcomeSpace, u parley.UtilityFunction) parley.UtilityFunction {
	v := make([]float64, space.Size())
	for o := range v {
		v[o] = float64(int(u.Utility(parley.Outcome(o))*10+0.5)) / 10
	}
	return parley.UtilityFunc(func(o parley.Outcome) float64 { return v[o] })
}

// trace runs one negotiation and returns its events.
func trace(t *testing.T, profiles []*parley.Profile, negs []parley.Negotiator, seed uint64) []parley.Event {
	t.Helper()
	var ev []parley.Event
	names := make([]string, len(profiles))
	for i := range names {
		names[i] = fmt.Sprint("p", i)
	}
	m, err := sao.New(profiles, names, sao.Options{Deadline: 80, Trace: func(e parley.Event) { ev = append(ev, e) }})
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), negs, seed)
	if err != nil || res.Reason == parley.ReasonError {
		t.Fatalf("run: %v %v", err, res.Err)
	}
	return ev
}

// largeSpace returns two linear-additive profiles over a space too large to
// enumerate (10^8 outcomes), so both agents bid from a seeded sample.
func largeSpace(t *testing.T) []*parley.Profile {
	issues := make([]parley.Issue, 8)
	for i := range issues {
		issues[i] = parley.Issue{Name: fmt.Sprint("i", i), Values: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}}
	}
	space, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		t.Fatal(err)
	}
	r := rng.New(3, 0)
	var ps []*parley.Profile
	for p := range 2 {
		w := make([]float64, 8)
		ev := make([][]float64, 8)
		for i := range w {
			w[i] = 1.0 / 8
			ev[i] = make([]float64, 10)
			for k := range ev[i] {
				ev[i][k] = r.Float64()
			}
		}
		la, err := ufun.NewLinearAdditive(space, w, ev, 0)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, &parley.Profile{Name: fmt.Sprint("p", p), Space: space, Utility: la, Reservation: 0.3})
	}
	return ps
}

// TestEqualsTimeDependent: a BOA agent whose bidding is time-dependent and
// which has no opponent model makes exactly the moves of
// strategy.TimeDependent, acceptance included, on an enumerable space with
// ties and on a sampled one.
func TestEqualsTimeDependent(t *testing.T) {
	_, syn := parleytest.Synthetic(t, 5, 4, 3, 3)
	for _, p := range syn {
		p.Utility = coarse(p.Space, p.Utility)
	}
	syn[0].Reservation = 0.25
	syn[0].Vetoes = []parley.ValueRef{{Issue: 1, Value: 2}}
	_, two := parleytest.TwoIssue()
	large := largeSpace(t)
	cases := []struct {
		spec string
		opts strategy.TimeDependentOptions
	}{
		{"bid=timedep(e=0.2)", strategy.TimeDependentOptions{E: 0.2}},
		{"bid=linear,ac=combi(t=0.9)", strategy.TimeDependentOptions{E: 1, Accept: boa.ACCombi(0.9)}},
		{"bid=conceder(k=0.1),ac=combimax(t=0.8)", strategy.TimeDependentOptions{E: 2, K: 0.1, Accept: boa.ACCombiMax(0.8)}},
		{"bid=hardliner,om=none,ac=const(c=0.5)", strategy.TimeDependentOptions{Accept: boa.ACConst(0.5)}},
		{"bid=timedep(e=0.5),ac=next(a=1.1,b=-0.05)", strategy.TimeDependentOptions{E: 0.5, Accept: boa.ACNext(1.1, -0.05)}},
	}
	for _, c := range cases {
		f, err := boa.Parse(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		for name, ps := range map[string][]*parley.Profile{"synthetic": syn, "two-issue": two, "large": large} {
			t.Run(c.spec+"/"+name, func(t *testing.T) {
				opts := c.opts
				bo := boa.Options{}
				if name == "large" {
					opts.Samples = 2000
					bo.Samples = 2000
				}
				for seed := uint64(1); seed <= 3; seed++ {
					mk := func() parley.Negotiator {
						if name != "large" {
							return f()
						}
						// Parse has no samples parameter: rebuild with the
						// same components and fewer samples.
						b := bo
						b.Bidding = boa.NewTimeDependent(boa.TimeDependentOptions{E: opts.E, K: opts.K})
						b.Accept = boaAC(c.spec)
						return boa.New(b)
					}
					opp := func() parley.Negotiator { return &parleytest.Conceder{} }
					if name == "large" {
						opp = func() parley.Negotiator {
							return strategy.NewTimeDependent(strategy.TimeDependentOptions{E: 1, Samples: 500})
						}
					}
					want := trace(t, ps, []parley.Negotiator{strategy.NewTimeDependent(opts), opp()}, seed)
					got := trace(t, ps, []parley.Negotiator{mk(), opp()}, seed)
					if !slices.Equal(got, want) {
						t.Fatalf("seed %d: BOA trace differs:\n got %v\nwant %v", seed, got, want)
					}
					want = trace(t, ps, []parley.Negotiator{strategy.NewTimeDependent(opts), strategy.NewTimeDependent(opts)}, seed)
					got = trace(t, ps, []parley.Negotiator{mk(), mk()}, seed)
					if !slices.Equal(got, want) {
						t.Fatalf("seed %d: BOA self-play trace differs:\n got %v\nwant %v", seed, got, want)
					}
				}
			})
		}
	}
}

// boaAC returns the acceptance condition of one of TestEqualsTimeDependent's
// specs.
func boaAC(spec string) boa.Acceptance {
	switch spec {
	case "bid=linear,ac=combi(t=0.9)":
		return boa.ACCombi(0.9)
	case "bid=conceder(k=0.1),ac=combimax(t=0.8)":
		return boa.ACCombiMax(0.8)
	case "bid=hardliner,om=none,ac=const(c=0.5)":
		return boa.ACConst(0.5)
	case "bid=timedep(e=0.5),ac=next(a=1.1,b=-0.05)":
		return boa.ACNext(1.1, -0.05)
	}
	return nil
}

// modelFunc is an opponent model given by a function.
type modelFunc func(parley.Outcome) float64

func (modelFunc) Init(*boa.Setup) error              { return nil }
func (modelFunc) Update(parley.OfferRecord)          {}
func (f modelFunc) Utility(o parley.Outcome) float64 { return f(o) }

// TestModelChoice: with an opponent model, time-dependent bidding offers
// the outcome the model likes best within δ above the target. On the
// two-issue scenario the buyer's linear target at t = 0.5 is 0.5; the
// cheapest outcome at or above it is 0 (0.6); with δ = 0.2 the window
// [0.6, 0.8] holds outcomes 0 (0.6) and 3 (0.7), and a model holding the
// seller's true utilities (0.2 and 0.4) picks 3.
func TestModelChoice(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	seller := ps[1].Utility
	cases := []struct {
		name  string
		model boa.OpponentModel
		d     float64
		want  parley.Outcome
	}{
		{"no model", nil, 0.2, 0},
		{"seller's utility", modelFunc(seller.Utility), 0.2, 3},
		{"narrow window", modelFunc(seller.Utility), 0.05, 0},
		// [0.6, 1.1] holds 0, 3 and 1 (seller: 0.2, 0.4, 0.0).
		{"wide window", modelFunc(seller.Utility), 0.5, 3},
		{"model prefers the cheapest", modelFunc(func(o parley.Outcome) float64 { return -seller.Utility(o) }), 0.5, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := boa.New(boa.Options{Bidding: boa.NewTimeDependent(boa.TimeDependentOptions{E: 1, Window: c.d}), Model: c.model})
			if err := n.Init(context.Background(), &parley.Session{Profile: ps[0], Names: []string{"b", "s"}, Rand: rng.New(1, 0)}); err != nil {
				t.Fatal(err)
			}
			a, err := n.Act(context.Background(), &parley.State{Time: 0.5, Parties: 2, Standing: parley.NoOutcome, Proposer: -1})
			if err != nil {
				t.Fatal(err)
			}
			if a.Kind != parley.Offer || a.Outcome != c.want {
				t.Errorf("got %v %d, want an offer of %d", a.Kind, a.Outcome, c.want)
			}
		})
	}
}

// TestRedLines: a BOA agent never offers an outcome across its red lines,
// and never accepts one, whatever its acceptance condition says.
func TestRedLines(t *testing.T) {
	_, ps := parleytest.Synthetic(t, 8, 3, 3, 3)
	ps[0].Vetoes = []parley.ValueRef{{Issue: 0, Value: 1}, {Issue: 2, Value: 0}}
	for _, spec := range []string{"bid=conceder,om=frequency,ac=time(t=0)", "bid=linear,om=bayesian,ac=const(c=0)"} {
		f, err := boa.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		script := make([]parley.Outcome, 40)
		for i := range script {
			script[i] = parley.Outcome(i % ps[0].Space.Size())
		}
		for _, e := range trace(t, ps, []parley.Negotiator{f(), &parleytest.Scripted{Actions: parleytest.Offers(script...)}}, 1) {
			if e.Party == 0 && ps[0].Vetoed(e.Outcome) {
				t.Fatalf("%s: %v on %s crosses a red line", spec, e.Action, ps[0].Space.Format(e.Outcome))
			}
		}
	}
}

func actState(space *parley.OutcomeSpace, n int) *parley.State {
	st := &parley.State{Parties: 2, Me: 0, Deadline: n, Standing: 0, Proposer: 1, Offers: make([]parley.OfferRecord, 0, 4*n)}
	for i := range n {
		st.Offers = append(st.Offers, parley.OfferRecord{Party: i % 2, Outcome: parley.Outcome((i * 7) % space.Size()),
			Step: i, Round: i / 2, Time: float64(i) / float64(n)})
	}
	return st
}

// TestActAllocs: Act allocates nothing, while its opponent model learns
// from a new offer every turn (the Bayesian model's set of seen bids is a
// bitset).
func TestActAllocs(t *testing.T) {
	space, ps := parleytest.Synthetic(t, 2, 4, 4, 4, 3, 3)
	for _, spec := range specs {
		f, err := boa.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		n := f()
		if err := n.Init(context.Background(), &parley.Session{Profile: ps[0], Names: []string{"a", "b"}, Rand: rng.New(1, 0)}); err != nil {
			t.Fatal(err)
		}
		st := actState(space, 200)
		i := 0
		allocs := testing.AllocsPerRun(500, func() {
			st.Time = float64(i%1000) / 1000
			st.Standing = parley.Outcome((i * 13) % space.Size())
			st.Offers = append(st.Offers, parley.OfferRecord{Party: 1, Outcome: st.Standing, Time: st.Time})
			i++
			if _, err := n.Act(context.Background(), st); err != nil {
				t.Fatal(err)
			}
		})
		t.Logf("%q: %v allocations per Act", spec, allocs)
		if allocs != 0 {
			t.Errorf("%q: %v allocations per Act, want 0", spec, allocs)
		}
	}
}

// TestBadOptions: bad options fail at Init with the field named.
func TestBadOptions(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	s := &parley.Session{Profile: ps[0], Names: []string{"a", "b"}, Rand: rng.New(1, 0)}
	for _, c := range []struct {
		opts boa.Options
		want string
	}{
		{boa.Options{Samples: -1}, "boa: Samples = -1 is negative"},
		{boa.Options{Bidding: boa.NewTimeDependent(boa.TimeDependentOptions{E: -1})}, "boa: time-dependent: E = -1, want a finite e ≥ 0"},
		{boa.Options{Model: boa.NewFrequency(boa.FrequencyOptions{Learn: 2})}, "boa: frequency model: Learn = 2 outside [0,1)"},
		{boa.Options{Model: boa.NewBayesian(boa.BayesianOptions{Concession: 1})}, "boa: bayesian model: Concession = 1 outside [0,1)"},
	} {
		err := boa.New(c.opts).Init(context.Background(), s)
		if err == nil || err.Error() != c.want {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
	var zero boa.Negotiator
	if _, err := zero.Act(context.Background(), &parley.State{}); err == nil {
		t.Error("Act before Init: no error")
	}
	if err := zero.Init(context.Background(), s); err != nil {
		t.Errorf("a zero Negotiator: %v", err)
	}
}
