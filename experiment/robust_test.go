package experiment

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/parley-dev/parley/scenario"
)

// TestRobustnessCeasefire runs the analysis end to end on the built-in
// ceasefire with tiny settings: the same seed gives the same bytes (and
// whatever the number of workers), the design has N·(k+2) points in the
// declared ranges, and the report's shares and indices are consistent.
func TestRobustnessCeasefire(t *testing.T) {
	s := ceasefire(t)
	arms := []string{"bilateral_only", "mediated_from_start", "bilateral_then_mediated"}
	cfg := RobustnessConfig{Samples: 3, Bootstrap: 20, Variants: arms, Config: testConfig(t, 4, 1)}
	var prev []byte
	var calls int
	var last [2]int64
	for _, w := range []int{1, 2} {
		cfg.Workers = w
		cfg.Progress = func(done, total int64) { calls++; last = [2]int64{done, total} }
		r, err := Robustness(context.Background(), s, cfg)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if prev != nil && !bytes.Equal(b, prev) {
			t.Fatalf("workers %d: the report changed", w)
		}
		prev = b
		k := len(s.Assumptions)
		if r.Points != 3*(k+2) || len(r.PointResults) != r.Points {
			t.Fatalf("%d points (%d results), want %d", r.Points, len(r.PointResults), 3*(k+2))
		}
		nArms := len(arms)
		if !slices.Equal(r.Arms, arms) || r.Errors != 0 {
			t.Fatalf("arms %v, %d errors; want %v", r.Arms, r.Errors, arms)
		}
		// The arms run at matched information, stated as for the
		// scenario as declared (not a point's values).
		if _, info, err := SequencingArms(s, arms, nil, cfg.NeedsDeclared); err != nil || r.Information != info || !strings.Contains(info, "matched") {
			t.Errorf("information %q, want %q (%v)", r.Information, info, err)
		}
		if want := int64(r.Points * nArms * 4); last != [2]int64{want, want} {
			t.Errorf("last progress %v, want %d of %d", last, want, want)
		}
		for _, p := range r.PointResults {
			for i, a := range r.Assumptions {
				if p.Values[i] < a.Low || p.Values[i] > a.High {
					t.Fatalf("point %d: %s = %v outside [%v, %v]", p.Index, a.Name, p.Values[i], a.Low, a.High)
				}
			}
			if len(p.Agreement) != nArms || len(p.Welfare) != nArms {
				t.Fatalf("point %d: %d agreement rates, want %d", p.Index, len(p.Agreement), nArms)
			}
		}
		// AB_i differs from A in column i only.
		for i := range k {
			for j := range 3 {
				a, ab := r.PointResults[j].Values, r.PointResults[(2+i)*3+j].Values
				for c := range k {
					if c != i && ab[c] != a[c] {
						t.Fatalf("AB_%d row %d column %d: %v, A has %v", i, j, c, ab[c], a[c])
					}
				}
			}
		}
		pairs := nArms * (nArms - 1) / 2
		if len(r.Orderings) != 2*pairs || len(r.Indices) != 2*pairs {
			t.Fatalf("%d orderings and %d index sets, want %d", len(r.Orderings), len(r.Indices), 2*pairs)
		}
		for _, o := range r.Orderings {
			if o.SignificantAbove.Mean > o.Above.Mean || o.SignificantBelow.Mean > o.Below.Mean || o.SignificantAbove.N != 6 {
				t.Errorf("%s %s vs %s: significant shares %v, %v exceed the shares %v, %v", o.Metric, o.Arm, o.Other,
					o.SignificantAbove.Mean, o.SignificantBelow.Mean, o.Above.Mean, o.Below.Mean)
			}
			if n := int(o.Above.Mean*6+0.5) + int(o.Below.Mean*6+0.5) + o.Ties; n != 6 || o.Points != 6 {
				t.Errorf("%s %s vs %s: shares %v + %v and %d ties over %d points", o.Metric, o.Arm, o.Other, o.Above.Mean, o.Below.Mean, o.Ties, o.Points)
			}
		}
		for _, c := range r.Indices {
			if c.Defined && len(c.Effects) != k {
				t.Errorf("%s %s − %s: %d effects, want %d", c.Metric, c.Arm, c.Other, len(c.Effects), k)
			}
			// At matched information the biased policy is replaced, so
			// the bias changes nothing; with the same run seeds at every
			// point, its indices are exactly 0.
			for _, e := range c.Effects {
				if e.Assumption == "US.bias" && (e.First.Mean != 0 || e.Total.Mean != 0) {
					t.Errorf("%s %s − %s: US.bias has S = %v, ST = %v, want exactly 0", c.Metric, c.Arm, c.Other, e.First.Mean, e.Total.Mean)
				}
			}
		}
	}
	if calls == 0 {
		t.Error("no progress reported")
	}
	var r RobustnessReport
	if err := json.Unmarshal(prev, &r); err != nil {
		t.Fatal(err)
	}
	if r.Schema != RobustnessSchema {
		t.Errorf("schema %q", r.Schema)
	}
	cfg.Seed = 2
	other, err := Robustness(context.Background(), s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(other); bytes.Equal(b, prev) {
		t.Error("seeds 1 and 2 gave the same report")
	}
	var tb, cb bytes.Buffer
	if err := WriteRobustnessTable(&tb, other); err != nil {
		t.Fatal(err)
	}
	if err := WriteRobustnessCSV(&cb, other); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ORDERINGS", "SOBOL INDICES", "US.bias", "bilateral_only"} {
		if !strings.Contains(tb.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, tb.String())
		}
	}
	if lines := strings.Count(cb.String(), "\n"); lines != other.Points+1 {
		t.Errorf("CSV has %d lines, want %d", lines, other.Points+1)
	}
}

// TestAssumptionsChecked: an assumption is checked as a sweep parameter
// with both ends of its range before anything runs.
func TestAssumptionsChecked(t *testing.T) {
	base := ceasefire(t)
	for _, c := range []struct {
		a    scenario.Assumption
		want string
	}{
		{scenario.Assumption{Name: "UA.height", Lo: 0, Hi: 1}, "unknown parameter"},
		{scenario.Assumption{Name: "UA.reservation", Lo: 0.5, Hi: 1.5}, "outside"},
		{scenario.Assumption{Name: "mediated.info", Lo: 0, Hi: 1}, ""},
		{scenario.Assumption{Name: "mediated.rounds", Lo: 10, Hi: 20}, "integer: true"},
		{scenario.Assumption{Name: "RU.bias", Lo: 0, Hi: 1}, "mediates no stage"},
	} {
		s := *base
		s.Assumptions = []scenario.Assumption{c.a}
		_, err := Assumptions(&s)
		if err == nil || !errors.Is(err, ErrBadParam) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want ErrBadParam with %q", c.a.Name, err, c.want)
		}
	}
	s := *base
	s.Assumptions = []scenario.Assumption{{Name: "RU.hazard", Lo: 0, Hi: 0.1}, {Name: "RU.walk_away_hazard", Lo: 0, Hi: 0.1}}
	if _, err := Assumptions(&s); err == nil || !strings.Contains(err.Error(), "same parameter") {
		t.Errorf("an alias twice: %v", err)
	}
	s.Assumptions = []scenario.Assumption{{Name: "mediated.rounds", Lo: 10, Hi: 12, Integer: true}}
	as, err := Assumptions(&s)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		u    float64
		want string
	}{{0, "10"}, {0.33, "10"}, {0.34, "11"}, {0.67, "12"}, {0.999999, "12"}} {
		if got := as[0].value(c.u); got != c.want {
			t.Errorf("integer [10, 12] at u=%v: %s, want %s", c.u, got, c.want)
		}
	}
	s.Assumptions = nil
	if _, err := Robustness(context.Background(), &s, RobustnessConfig{Samples: 2, Config: testConfig(t, 1, 1)}); err == nil || !strings.Contains(err.Error(), "no assumptions") {
		t.Errorf("no assumptions: %v", err)
	}
	if _, err := Robustness(context.Background(), base, RobustnessConfig{Samples: 1, Config: testConfig(t, 1, 1)}); err == nil {
		t.Error("1 base sample did not fail")
	}
	if _, err := Robustness(context.Background(), base, RobustnessConfig{Samples: 2, Variants: []string{"nope"}, Config: testConfig(t, 1, 1)}); err == nil || !strings.Contains(err.Error(), `no protocol variant "nope"`) {
		t.Errorf("unknown variant: %v", err)
	}
}

// TestSignificant: a point's paired tests become signs of arm − other,
// whichever of the two the report took as the baseline.
func TestSignificant(t *testing.T) {
	r := &Report{Comparisons: []Comparison{
		{Arm: "b", Baseline: "a", Metric: "agreement", PHolm: 0.01, Difference: Estimate{Mean: -0.2}},
		{Arm: "b", Baseline: "a", Metric: "welfare", PHolm: 0.2, Difference: Estimate{Mean: 0.1}},
		{Arm: "c", Baseline: "a", Metric: "welfare", PHolm: 0.049, Difference: Estimate{Mean: 0.1}},
		{Arm: "c", Baseline: "a", Metric: "utility", Party: "RU", PHolm: 0.001, Difference: Estimate{Mean: 0.3}},
		{Arm: "c", Baseline: "a", Metric: "ratified", PHolm: 0.001, Difference: Estimate{Mean: 0.3}},
	}}
	got := significant(r)
	for _, c := range []struct {
		metric    string
		arm, base string
		want      int
	}{
		{"agreement", "a", "b", 1}, {"agreement", "b", "a", -1},
		{"welfare", "a", "b", 0}, {"welfare", "b", "a", 0},
		{"welfare", "c", "a", 1}, {"welfare", "a", "c", -1},
		{"agreement", "a", "c", 0},
	} {
		if g := got[c.metric][[2]string{c.arm, c.base}]; g != c.want {
			t.Errorf("%s %s vs %s: %d, want %d", c.metric, c.arm, c.base, g, c.want)
		}
	}
	if len(got) != 2 {
		t.Errorf("metrics %v, want agreement and welfare only", got)
	}
}

// TestRobustnessCancelled: a cancelled context stops the analysis with
// its error.
func TestRobustnessCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Robustness(ctx, ceasefire(t), RobustnessConfig{Samples: 2, Config: testConfig(t, 2, 1)})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}
