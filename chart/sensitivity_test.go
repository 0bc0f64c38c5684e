package chart

import (
	"bytes"
	"testing"
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
