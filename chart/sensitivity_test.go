package chart

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/parley-dev/parley/experiment"
	"github.com/parley-dev/parley/experiment/stats"
)

// TestSensitivity draws a sensitivity figure in every format and rejects
// a contrast with the wrong number of indices.
func TestSensitivity(t *testing.T) {
	s := &Sensitivity{Title: "robustness", Assumptions: []string{"UA.reservation", "US.bias"}, Contrasts: []SensitivityContrast{
		{Name: "a − b", Indices: []Interval{{0.6, 0.5, 0.7, true}, {0.1, -0.05, 0.2, true}}},
		{Name: "a − c", Indices: []Interval{{0.3, 0.2, 0.4, true}, {0, 0, 0, false}}},
	}}
	for _, format := range []Format{PNG, SVG, PDF} {
		var b bytes.Buffer
		if err := Write(&b, format, s); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if err := checkHeader(format, b.Bytes()); err != nil {
			t.Error(err)
		}
	}
	bad := &Sensitivity{Assumptions: []string{"x"}, Contrasts: []SensitivityContrast{{Name: "a", Indices: nil}}}
	if err := Write(&bytes.Buffer{}, PNG, bad); err == nil {
		t.Error("a contrast without indices: no error")
	}
	if err := Write(&bytes.Buffer{}, PNG, &Sensitivity{}); err == nil {
		t.Error("nothing to draw: no error")
	}
}

// TestSensitivityOf keeps the agreement contrasts that vary, in order,
// with each assumption's total-effect interval, and refuses a report
// with none.
func TestSensitivityOf(t *testing.T) {
	e := func(m float64) stats.Estimate {
		return stats.Estimate{Mean: m, Low: m - 0.1, High: m + 0.1, HasCI: true}
	}
	rep := &experiment.RobustnessReport{Scenario: "ceasefire", Samples: 8, Points: 32, Runs: 20, Seed: 3,
		Assumptions: []experiment.AssumptionRange{{Name: "UA.reservation"}, {Name: "US.bias"}},
		Indices: []experiment.ContrastIndices{
			{Metric: experiment.MetricAgreement, Arm: "a", Other: "b", Defined: true,
				Effects: []experiment.AssumptionEffect{{Total: e(0.6)}, {Total: e(0.2)}}},
			{Metric: experiment.MetricAgreement, Arm: "a", Other: "c"}, // constant: left out
			{Metric: "welfare", Arm: "a", Other: "b", Defined: true,
				Effects: []experiment.AssumptionEffect{{Total: e(0.1)}, {Total: e(0.1)}}},
		}}
	s, err := SensitivityOf(rep)
	if err != nil {
		t.Fatal(err)
	}
	want := &Sensitivity{
		Title:       "robustness ceasefire: 8 base samples, 32 points, 20 runs per arm per point, seed 3",
		Subtitle:    "total-effect Sobol index of each assumption on the difference of agreement rates between two arms, bootstrap 95% CIs",
		Assumptions: []string{"UA.reservation", "US.bias"},
		Contrasts:   []SensitivityContrast{{Name: "a − b", Indices: []Interval{IntervalOf(e(0.6)), IntervalOf(e(0.2))}}},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got %+v\nwant %+v", s, want)
	}
	rep.Indices = rep.Indices[1:]
	if _, err := SensitivityOf(rep); err == nil {
		t.Error("no varying agreement contrast: no error")
	}
}
