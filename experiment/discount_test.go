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
// never lowers it beyond noise (the paired interval of the difference is
// never wholly below 0). (With the default pool nothing responds to δ, and every
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
	t.Logf("agreement rate %.2f [%.2f, %.2f] without discounting, %.2f [%.2f, %.2f] with δ = 0.1 for both",
		none.Mean, none.Low, none.High, both.Mean, both.Low, both.High)
	if both.Low <= none.High {
		t.Errorf("agreement rate %.3f [%.3f, %.3f] with δ = 0.1 for both is not clearly above %.3f [%.3f, %.3f] without discounting",
			both.Mean, both.Low, both.High, none.Mean, none.Low, none.High)
	}
	// "Never lowers it" up to noise: the paired difference of agreement
	// (lower δ minus higher) never has a Newcombe interval wholly below 0.
	agreeDiff := func(arm, base string) Estimate {
		for _, c := range r.Comparisons {
			if c.Metric != "agreement" {
				continue
			}
			switch {
			case c.Arm == arm && c.Baseline == base:
				return c.Difference
			case c.Arm == base && c.Baseline == arm:
				d := c.Difference
				d.Mean, d.Low, d.High = -d.Mean, -d.High, -d.Low
				return d
			}
		}
		t.Fatalf("no comparison of %s with %s", arm, base)
		return Estimate{}
	}
	ds := []string{"1", "0.5", "0.1"}
	cell := func(ru, ua string) string { return fmt.Sprintf("RU.discount=%s UA.discount=%s", ru, ua) }
	for i, ru := range ds {
		for j, ua := range ds {
			if i > 0 {
				if d := agreeDiff(cell(ru, ua), cell(ds[i-1], ua)); d.High < 0 {
					t.Errorf("RU δ %s → %s (UA %s): agreement rate falls by %.3f [%.3f, %.3f]", ds[i-1], ru, ua, -d.Mean, -d.High, -d.Low)
				}
			}
			if j > 0 {
				if d := agreeDiff(cell(ru, ua), cell(ru, ds[j-1])); d.High < 0 {
					t.Errorf("UA δ %s → %s (RU %s): agreement rate falls by %.3f [%.3f, %.3f]", ds[j-1], ua, ru, -d.Mean, -d.High, -d.Low)
				}
			}
		}
	}
}
