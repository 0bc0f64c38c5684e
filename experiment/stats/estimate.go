package stats

import (
	"encoding/json"
	"fmt"
)

// Estimate is a mean or a rate with its 95% interval, in the one shape
// every Parley JSON output gives an interval:
//
//	{"mean": 0.61, "low": 0.57, "high": 0.65, "n": 1000}
//
// Low and High are valid only when HasCI, and are written as null
// otherwise (fewer than two values). N is the number of values (runs,
// seats or pairs) the estimate is over.
type Estimate struct {
	Mean, Low, High float64
	N               int
	HasCI           bool
}

// MeanEstimate returns the mean of xs with its t interval at level (see
// Mean); the zero Estimate for no values.
func MeanEstimate(xs []float64, level float64) (Estimate, error) {
	if len(xs) == 0 {
		return Estimate{}, nil
	}
	s, err := Mean(xs, level)
	if err != nil {
		return Estimate{}, err
	}
	return Estimate{Mean: s.Mean, Low: s.CI.Low, High: s.CI.High, N: s.N, HasCI: s.HasCI}, nil
}

// RateEstimate returns the rate k/n with its Wilson interval at level; the
// zero Estimate for n = 0.
func RateEstimate(k, n int, level float64) (Estimate, error) {
	if n == 0 {
		return Estimate{}, nil
	}
	ci, err := Wilson(k, n, level)
	if err != nil {
		return Estimate{}, err
	}
	return Estimate{Mean: float64(k) / float64(n), Low: ci.Low, High: ci.High, N: n, HasCI: true}, nil
}

type estimateJSON struct {
	Mean float64  `json:"mean"`
	Low  *float64 `json:"low"`
	High *float64 `json:"high"`
	N    int      `json:"n"`
}

// MarshalJSON writes {"mean","low","high","n"}, low and high null without
// an interval.
func (e Estimate) MarshalJSON() ([]byte, error) {
	j := estimateJSON{Mean: e.Mean, N: e.N}
	if e.HasCI {
		j.Low, j.High = &e.Low, &e.High
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (e *Estimate) UnmarshalJSON(b []byte) error {
	var j estimateJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("stats: estimate: %w", err)
	}
	if (j.Low == nil) != (j.High == nil) {
		return fmt.Errorf("stats: estimate: low and high must both be given or both be null")
	}
	*e = Estimate{Mean: j.Mean, N: j.N}
	if j.Low != nil {
		e.Low, e.High, e.HasCI = *j.Low, *j.High, true
	}
	return nil
}
