package experiment

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/scenario"
)

func ceasefire(t testing.TB) *scenario.Scenario {
	t.Helper()
	s, err := catalog.Builtin("ceasefire")
	if err != nil {
		t.Fatal(err)
	}
	if s.Protocol == nil {
		t.Skip("SKIPPING: the built-in ceasefire scenario declares no protocol yet")
	}
	return s
}

func TestParseValues(t *testing.T) {
	res := lookupParam("reservation")
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"0.35:0.65:0.05", []string{"0.35", "0.4", "0.45", "0.5", "0.55", "0.6", "0.65"}},
		{"0:1:0.25", []string{"0", "0.25", "0.5", "0.75", "1"}},
		{"0.1:0.1:0.5", []string{"0.1"}},
		{"0:0.3:0.1", []string{"0", "0.1", "0.2", "0.3"}}, // 0.30000000000000004 is on the grid
		{"0:0.25:0.1", []string{"0", "0.1", "0.2"}},       // 0.25 is not
		{"0.5, 0.25,1", []string{"0.5", "0.25", "1"}},
		{"1e-1", []string{"0.1"}},
	} {
		got, err := parseValues(c.in, res)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("parseValues(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"", "0:1:0", "1:0:0.1", "0:1:-1", "a", "0,,1", "1.5", "-0.1", "0:2:0.5", "0:1:1e-9", "NaN"} {
		if got, err := parseValues(in, res); err == nil {
			t.Errorf("parseValues(%q) = %v, want an error", in, got)
		}
	}
	if _, err := parseValues("1.5", res); err == nil || err.Error() != "value 1.5 outside [0, 1]" {
		t.Errorf("reservation 1.5: %v", err)
	}
	rounds := lookupParam("rounds")
	if _, err := parseValues("10.5", rounds); err == nil {
		t.Error("rounds 10.5: no error")
	}
	if got, err := parseValues("majority,unanimous", lookupParam("rule")); err != nil || len(got) != 2 {
		t.Errorf("rule: %v, %v", got, err)
	}
	// "none", the former name of the votes-only level, reads as "votes".
	if got, err := parseValues("none,self_report,full", lookupParam("info")); err != nil || !reflect.DeepEqual(got, []string{"votes", "self_report", "full"}) {
		t.Errorf("info: %v, %v", got, err)
	}
	if _, err := parseValues("plurality", lookupParam("rule")); err == nil {
		t.Error("rule plurality: no error")
	}
}

func TestParseParam(t *testing.T) {
	s := ceasefire(t)
	for _, c := range []struct {
		spec, key string
		n         int
	}{
		{"UA.reservation=0.35:0.65:0.05", "UA.reservation", 7},
		{"RU.drift=-0.1,0,0.05", "RU.reservation_drift", 3},
		{"US.hazard=0,0.03,0.1", "US.walk_away_hazard", 3},
		{"US.bias=0,0.25,0.5,1", "US.bias", 4},
		{"mediated.rounds=40,80", "mediated.rounds", 2},
		{"mediated.rule=unanimous,majority", "mediated.rule", 2},
		{"mediated.noise=0,0.2", "mediated.noise", 2},
		{"UA.discount=0.8,1", "UA.discount", 2},
		{"mediated.round_cost=1,2,3", "mediated.round_cost", 3},
	} {
		p, err := ParseParam(s, c.spec)
		if err != nil {
			t.Errorf("%s: %v", c.spec, err)
			continue
		}
		if p.Key() != c.key || len(p.Values) != c.n {
			t.Errorf("%s: %s with %v", c.spec, p.Key(), p.Values)
		}
	}
	for _, c := range []struct{ spec, want string }{
		{"XX.reservation=0.5", `no party called "XX"`},
		{"UA.patience=0.5", `unknown parameter "patience"`},
		{"UA.reservation=2", "outside [0, 1]"},
		{"mediated.round_cost=0", "outside [1, 1000]"},
		{"RU.bias=0.5", "mediates no stage"},
		{"nope.rounds=10", `no stage called "nope"`},
		{"UA.rounds=10", `no stage called "UA"`},
		{"reservation=0.5", "is not TARGET.NAME"},
		{"UA.reservation", "want TARGET.NAME=VALUES"},
		{"mediated.info=declared,full", ""}, // valid
		{"bilateral.rule=majority", "mediated stages"},
	} {
		_, err := ParseParam(s, c.spec)
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v", c.spec, err)
			}
			continue
		}
		if err == nil || !errors.Is(err, ErrBadParam) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.spec) {
			t.Errorf("%s: error %v, want one naming the flag and containing %q", c.spec, err, c.want)
		}
	}
}

func TestGridApply(t *testing.T) {
	s := ceasefire(t)
	var ps []Param
	for _, spec := range []string{"US.bias=0,1", "UA.reservation=0.4,0.5,0.6", "mediated.rounds=60"} {
		p, err := ParseParam(s, spec)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	cells, err := Grid(ps)
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 6 || cells[0].Name() != "US.bias=0 UA.reservation=0.4 mediated.rounds=60" ||
		cells[5].Name() != "US.bias=1 UA.reservation=0.6 mediated.rounds=60" {
		t.Fatalf("cells: %d, first %q, last %q", len(cells), cells[0].Name(), cells[len(cells)-1].Name())
	}
	c, err := cells[4].Apply(s) // US.bias=1 UA.reservation=0.5
	if err != nil {
		t.Fatal(err)
	}
	ua := c.Party("UA")
	if c.Parties[ua].Profile.Reservation != 0.5 {
		t.Errorf("UA reservation %v", c.Parties[ua].Profile.Reservation)
	}
	k := c.Protocol.Stage("mediated")
	if got := c.Protocol.Stages[k].MediatorPolicy; got != "biased:bias=1" {
		t.Errorf("policy %q", got)
	}
	if c.Protocol.Stages[k].Rounds != 60 {
		t.Errorf("rounds %d", c.Protocol.Stages[k].Rounds)
	}
	// The original is untouched.
	if s.Parties[ua].Profile == c.Parties[ua].Profile || s.Protocol.Stages[k].MediatorPolicy == "biased:bias=1" {
		t.Error("Apply changed the scenario it was given")
	}
	if m := cells[4].Map(); m["US.bias"] != 1.0 || m["mediated.rounds"] != 60.0 {
		t.Errorf("Map = %v", m)
	}
	if _, err := Grid([]Param{ps[0], ps[0]}); err == nil {
		t.Error("a parameter set twice: no error")
	}
	one, _ := Grid(nil)
	if len(one) != 1 || one[0].Name() != "base" {
		t.Errorf("empty grid: %v", one)
	}
}

// TestRoundCostParam: sweeping a stage's round_cost weighs its rounds on
// the clock: the ceasefire's default (40 bilateral + 80 mediated rounds)
// spans 40 + 3·80 = 280 units with round_cost 3.
func TestRoundCostParam(t *testing.T) {
	s := ceasefire(t)
	p, err := ParseParam(s, "mediated.round_cost=3")
	if err != nil {
		t.Fatal(err)
	}
	was := s.Protocol.Units("")
	if s, err = s.With(p.Setting(p.Values[0])); err != nil {
		t.Fatal(err)
	}
	if got := s.Protocol.Units(""); got != 280 || was != 120 {
		t.Errorf("units %d (was %d), want 280 (was 120)", got, was)
	}
}
