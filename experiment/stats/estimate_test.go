package stats

import (
	"encoding/json"
	"testing"
)

// Every interval Parley prints as JSON has the shape {"mean","low","high","n"},
// low and high null without an interval, and reads back unchanged.
func TestEstimateJSON(t *testing.T) {
	tests := []struct {
		e    Estimate
		want string
	}{
		{Estimate{Mean: 0.5, Low: 0.25, High: 0.75, N: 4, HasCI: true}, `{"mean":0.5,"low":0.25,"high":0.75,"n":4}`},
		{Estimate{Mean: 0.5, N: 1}, `{"mean":0.5,"low":null,"high":null,"n":1}`},
		{Estimate{}, `{"mean":0,"low":null,"high":null,"n":0}`},
	}
	for _, tc := range tests {
		b, err := json.Marshal(tc.e)
		if err != nil || string(b) != tc.want {
			t.Errorf("Marshal(%+v) = %s, %v; want %s", tc.e, b, err, tc.want)
		}
		var back Estimate
		if err := json.Unmarshal(b, &back); err != nil || back != tc.e {
			t.Errorf("Unmarshal(%s) = %+v, %v", b, back, err)
		}
	}
	var e Estimate
	if err := json.Unmarshal([]byte(`{"mean":1,"low":0.5,"n":3}`), &e); err == nil {
		t.Error("an interval with only a low end was accepted")
	}
}

func TestRateAndMeanEstimate(t *testing.T) {
	r, err := RateEstimate(5, 10, Level95)
	if err != nil || r.Mean != 0.5 || r.N != 10 || !r.HasCI || !(r.Low < 0.5 && 0.5 < r.High) {
		t.Fatalf("RateEstimate(5, 10) = %+v, %v", r, err)
	}
	m, err := MeanEstimate([]float64{1, 2, 3}, Level95)
	if err != nil || m.Mean != 2 || m.N != 3 || !m.HasCI || !(m.Low < 2 && 2 < m.High) {
		t.Fatalf("MeanEstimate = %+v, %v", m, err)
	}
	if z, err := MeanEstimate(nil, Level95); err != nil || z != (Estimate{}) {
		t.Fatalf("MeanEstimate(nil) = %+v, %v", z, err)
	}
}
