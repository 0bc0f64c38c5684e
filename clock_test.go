package parley_test

import (
	"testing"

	"github.com/parley-dev/parley"
)

func TestClock(t *testing.T) {
	tests := []struct {
		name       string
		c          parley.Clock
		at         map[int]float64
		start, end float64
	}{
		// 2 parties, 4 rounds: 8 turns, turn s at s/8.
		{"turns", parley.Clock{Parties: 2, Rounds: 4}, map[int]float64{0: 0, 1: 0.125, 7: 0.875}, 0, 1},
		// GENIUS: round R (from 1) at R/(D+1), both turns of a round alike.
		{"genius", parley.Clock{Parties: 2, Rounds: 4, GENIUS: true}, map[int]float64{0: 0.2, 1: 0.2, 2: 0.4, 7: 0.8}, 0, 0.8},
		// The second stage of a 10-round clock, rounds 6 to 10.
		{"stage", parley.Clock{Parties: 2, Rounds: 5, Offset: 5, Total: 10}, map[int]float64{0: 0.5, 1: 0.55, 9: 0.95}, 0.5, 1},
		{"stage genius", parley.Clock{Parties: 2, Rounds: 5, Offset: 5, Total: 10, GENIUS: true}, map[int]float64{0: 6.0 / 11, 9: 10.0 / 11}, 5.0 / 11, 10.0 / 11},
		// A stage whose rounds cost 3 units, after 4 units, of 16: round r
		// (one turn each) at (4+3r)/16, its end at 16/16.
		{"cost", parley.Clock{Parties: 1, Rounds: 4, Cost: 3, Offset: 4, Total: 16}, map[int]float64{0: 0.25, 1: 7.0 / 16, 3: 13.0 / 16}, 0.25, 1},
		// Two parties, cost 2, the whole clock: turn s at 2s/(8·2).
		{"cost turns", parley.Clock{Parties: 2, Rounds: 4, Cost: 2}, map[int]float64{0: 0, 1: 0.125, 7: 0.875}, 0, 1},
		{"cost genius", parley.Clock{Parties: 2, Rounds: 4, Cost: 2, GENIUS: true}, map[int]float64{0: 2.0 / 9, 7: 8.0 / 9}, 0, 8.0 / 9},
		// No round deadline: times cannot be known ahead.
		{"wall time", parley.Clock{Parties: 2}, map[int]float64{0: 0, 5: 0}, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := tc.c.Ticker()
			for s, want := range tc.at {
				if got := tc.c.At(s); got != want {
					t.Errorf("At(%d) = %v, want %v", s, got, want)
				}
			}
			for s := range 3 * max(tc.c.Turns(), 4) {
				if got, want := k.At(s), tc.c.At(s); got != want {
					t.Errorf("Ticker.At(%d) = %v, Clock.At = %v", s, got, want)
				}
			}
			if got := tc.c.Start(); got != tc.start {
				t.Errorf("Start() = %v, want %v", got, tc.start)
			}
			if got := tc.c.End(); got != tc.end {
				t.Errorf("End() = %v, want %v", got, tc.end)
			}
		})
	}
}
