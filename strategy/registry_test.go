package strategy_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/spectest"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/boa"
)

func TestParse(t *testing.T) {
	spectest.Run(t, "testdata/specs.txt", strategy.Parse)
}

func TestParseErrors(t *testing.T) {
	_, err := strategy.Parse("conceder:x=3")
	if !errors.Is(err, spec.ErrUnknownParam) {
		t.Errorf("%v: want ErrUnknownParam", err)
	}
	var se *spec.Error
	if !errors.As(err, &se) || se.Param != "x" {
		t.Errorf("%v: want a spec.Error for parameter x", err)
	}
	if _, err := strategy.Parse("nope"); !errors.Is(err, spec.ErrUnknownName) {
		t.Errorf("%v: want ErrUnknownName", err)
	}
}

// TestParseValues checks that parameters reach the negotiator: each spec
// plays the buyer of TwoIssue against a seller offering 4 for 5 rounds.
func TestParseValues(t *testing.T) {
	tests := []struct {
		Spec string
		want []parley.Outcome
	}{
		{"boulware", []parley.Outcome{1, 1, 1, 1, 3}},
		{"timedep:e=1", []parley.Outcome{1, 1, 0, 5, 2}},
		{"linear:k=0.5", []parley.Outcome{0, 5, 2, 2, 2}}, // targets 0.5, 0.4, 0.3, 0.2, 0.1
		{"conceder:e=1", []parley.Outcome{1, 1, 0, 5, 2}},
		{"hardliner", []parley.Outcome{1, 1, 1, 1, 1}},
	}
	for _, tc := range tests {
		f, err := strategy.Parse(tc.Spec)
		if err != nil {
			t.Fatal(err)
		}
		_, ps := parleytest.TwoIssue()
		trace, _ := run(t, ps, 5, 1, f(), &parleytest.Scripted{Actions: parleytest.Offers(4)})
		if got := offersBy(trace, 0); !slices.Equal(got, tc.want) {
			t.Errorf("%s: offers %v, want %v", tc.Spec, got, tc.want)
		}
	}
	// ac=time(t=0.5): the buyer accepts outcome 2 (0.3, above rv 0) at t = 0.6.
	f, err := strategy.Parse("boulware:ac=time(t=0.5)")
	if err != nil {
		t.Fatal(err)
	}
	_, ps := parleytest.TwoIssue()
	_, res := run(t, ps, 5, 1, f(), &parleytest.Scripted{Actions: parleytest.Offers(2)})
	if !res.Agreed() || res.Time != 0.6 {
		t.Errorf("boulware:ac=time(t=0.5): %+v, want agreement at t = 0.6", res)
	}
}

func TestNegotiators(t *testing.T) {
	r := strategy.Negotiators()
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	entries := r.Entries()
	names := map[string]bool{}
	for _, e := range entries {
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			names[n] = true
			if _, err := strategy.Parse(n); err != nil && n != "timedep" {
				t.Errorf("Parse(%q): %v", n, err)
			}
		}
		for _, p := range e.Params {
			if p.Required {
				continue
			}
			s := e.Name + ":" + p.Name + "=" + p.Default
			if e.Name == "timedep" && p.Name != "e" {
				s += ",e=1"
			}
			if _, err := strategy.Parse(s); err != nil {
				t.Errorf("%s: default of %s: %v", e.Name, p.Name, err)
			}
		}
	}
	for _, n := range []string{"boulware", "linear", "conceder", "timedep", "hardliner", "random", "tft", "titfortat", "micro",
		"genius-boulware", "genius-conceder", "genius-linear", "genius-hardliner", "boa", "agentk"} {
		if !names[n] {
			t.Errorf("%s missing from Negotiators", n)
		}
	}
	if err := r.Add(spec.Entry[strategy.Factory]{Name: "boulware", Doc: "again", New: func(spec.Values) (strategy.Factory, error) { return nil, nil }}); err == nil {
		t.Error("Add accepted a second boulware")
	}
	if err := r.Add(spec.Entry[strategy.Factory]{Name: "mine", Doc: "mine", New: func(spec.Values) (strategy.Factory, error) { return nil, nil }}); err != nil {
		t.Error(err)
	}
	if _, ok := strategy.Negotiators().Lookup("mine"); ok {
		t.Error("Negotiators returns the table itself")
	}
}

func FuzzParse(f *testing.F) {
	for _, tc := range spectest.Read(f, "testdata/specs.txt") {
		f.Add(tc.Spec)
	}
	_, ps := parleytest.TwoIssue()
	f.Fuzz(func(t *testing.T, text string) {
		fac, err := strategy.Parse(text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "strategy ") {
				t.Fatalf("error %q lacks the strategy prefix", err)
			}
			return
		}
		// A spec that parses must give a working negotiator.
		_, res := run(t, ps, 5, 1, fac(), &parleytest.Conceder{})
		if res.Reason == parley.ReasonError {
			t.Fatalf("%q: %v", text, res.Err)
		}
	})
}

// TestParseGuard: the competition agents' guard parameter reaches their
// GuardReservation option. The party's reservation value (0.95) is above
// every outcome (worth at most 0.9): with guard=true each agent ends the
// negotiation on its first turn; by default, or with guard=false, it
// opens with an offer, as its GENIUS original does.
func TestParseGuard(t *testing.T) {
	for _, name := range []string{"agentk", "hardheaded", "nicetft", "cuhkagent", "atlas3", "ponpoko", "agentgg"} {
		for _, tc := range []struct {
			Spec string
			want parley.ActionKind
		}{{name, parley.Offer}, {name + ":guard=false", parley.Offer}, {name + ":guard=true", parley.End}, {name + ":guard=yes", parley.End}} {
			f, err := strategy.Parse(tc.Spec)
			if err != nil {
				t.Fatal(err)
			}
			_, ps := parleytest.TwoIssue()
			u := ps[0].Utility
			ps[0].Utility = parley.UtilityFunc(func(o parley.Outcome) float64 { return 0.9 * u.Utility(o) })
			ps[0].Reservation = 0.95
			trace, _ := run(t, ps, 5, 1, f(), &parleytest.Scripted{Actions: parleytest.Offers(4)})
			if len(trace) == 0 || trace[0].Party != 0 || trace[0].Action != tc.want {
				t.Errorf("%s: first event %v, want %v by party 0", tc.Spec, trace, tc.want)
			}
		}
	}
}

// TestParseDefaults: a spec's defaults build the same negotiator as the
// zero options (nil acceptance, BOA's default components): the same trace
// for the same seed, against a conceder on a synthetic scenario.
func TestParseDefaults(t *testing.T) {
	_, ps := parleytest.Synthetic(t, 3, 3, 4, 2)
	for _, tc := range []struct {
		spec string
		want strategy.Factory
	}{
		{"boulware", func() parley.Negotiator {
			return strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.BoulwareE})
		}},
		{"conceder:k=0.1", func() parley.Negotiator {
			return strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.ConcederE, K: 0.1})
		}},
		{"linear:ac=combi", func() parley.Negotiator {
			return strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.LinearE, Accept: boa.ACCombi(0.98)})
		}},
		{"tft", func() parley.Negotiator { return strategy.NewTitForTat(strategy.TitForTatOptions{}) }},
		{"boa", func() parley.Negotiator { return boa.New(boa.Options{}) }},
		{"boa:om=frequency", func() parley.Negotiator { return boa.New(boa.Options{Model: boa.NewFrequency(boa.FrequencyOptions{})}) }},
	} {
		f, err := strategy.Parse(tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		for seed := uint64(1); seed <= 3; seed++ {
			got, _ := run(t, ps, 40, seed, f(), &parleytest.Conceder{})
			want, _ := run(t, ps, 40, seed, tc.want(), &parleytest.Conceder{})
			if !slices.Equal(got, want) {
				t.Errorf("%s, seed %d: trace\n%v\nwant\n%v", tc.spec, seed, got, want)
			}
		}
	}
}
