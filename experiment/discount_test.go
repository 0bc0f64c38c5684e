package experiment

import (
	"context"
	"fmt"
	"testing"

	"github.com/parley-dev/parley/strategy"
)

// TestCeasefireDiscountsMatter: with discount-aware negotiators
// (time-dependent tactics with discount=true, which concede sooner the lower
// their δ), the ceasefire's discount factors change what happens: sweeping
// both parties' δ from 1 (no discounting) to 0.1 raises the agreement rate
// well beyond the two arms' Wilson intervals, and lowering either party's δ
// never lowers it. (With the default pool nothing responds to δ, and every
// cell of such a sweep agrees alike.)
func TestCeasefireDiscountsMatter(t *testing.T) {
	s := ceasefire(t)
	cfg := testConfig(t, 100, 0)
	cfg.Pool.Negotiators = nil
	for _, spec := range []string{"boulware:discount=true", "linear:discount=true", "conceder:discount=true"} {
		f, err := strategy.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Pool.Negotiators = append(cfg.Pool.Negotiators, Negotiator{Name: spec, New: f})
	}
	var ps []Param
	for _, set := range []string{"RU.discount=1,0.5,0.1", "UA.discount=1,0.5,0.1"} {
		p, err := ParseParam(s, set)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	r, err := Sweep(context.Background(), s, ps, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rate := map[string]Estimate{}
	for _, a := range r.Arms {
		rate[a.Name] = a.AgreementRate
	}
	none, both := rate["RU.discount=1 UA.discount=1"], rate["RU.discount=0.1 UA.discount=0.1"]
	if both.Low <= none.High {
		t.Errorf("agreement rate %.3f [%.3f, %.3f] with δ = 0.1 for both is not clearly above %.3f [%.3f, %.3f] without discounting",
			both.Mean, both.Low, both.High, none.Mean, none.Low, none.High)
	}
	ds := []string{"1", "0.5", "0.1"}
	for i, ru := range ds {
		for j, ua := range ds {
			here := rate[fmt.Sprintf("RU.discount=%s UA.discount=%s", ru, ua)]
			if i > 0 {
				if prev := rate[fmt.Sprintf("RU.discount=%s UA.discount=%s", ds[i-1], ua)]; here.Mean < prev.Mean {
					t.Errorf("RU δ %s → %s (UA %s): agreement rate falls from %.3f to %.3f", ds[i-1], ru, ua, prev.Mean, here.Mean)
				}
			}
			if j > 0 {
				if prev := rate[fmt.Sprintf("RU.discount=%s UA.discount=%s", ru, ds[j-1])]; here.Mean < prev.Mean {
					t.Errorf("UA δ %s → %s (RU %s): agreement rate falls from %.3f to %.3f", ds[j-1], ua, ru, prev.Mean, here.Mean)
				}
			}
		}
	}
}
