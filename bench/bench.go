// Package bench measures how fast Parley handles a scenario: loading it,
// preparing its utility tables, computing its Pareto frontier and running
// alternating-offers negotiations ('parley bench'; docs/benchmarks.md
// holds the figures). It reports measurements and asserts no speed.
package bench

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/scenario"
)

// Result is one scenario's measurements, a line of 'parley bench --json'.
type Result struct {
	Scenario string `json:"scenario"`
	Outcomes int    `json:"outcomes"`
	// LoadMs is the median time to load the scenario, PrepareMs the time
	// to prepare it and build its sorted indices (the first negotiation),
	// ParetoMs the fastest computation of its Pareto frontier, which has
	// ParetoPoints points (ParetoMethod: the analysis's method).
	LoadMs       float64 `json:"load_ms"`
	PrepareMs    float64 `json:"prepare_ms"`
	ParetoMs     float64 `json:"pareto_ms"`
	ParetoPoints int     `json:"pareto_points"`
	ParetoMethod string  `json:"pareto_method"`
	// Negotiations were run back to back on one goroutine with a reused
	// mechanism, at RoundsPerSec rounds (a turn of every party) and
	// StepsPerSec single turns a second, with AllocsPerRound heap
	// allocations a round.
	Negotiations   int     `json:"negotiations"`
	RoundsPerSec   float64 `json:"rounds_per_sec"`
	StepsPerSec    float64 `json:"steps_per_sec"`
	AllocsPerRound float64 `json:"allocs_per_round"`
}

// Options say what Measure measures.
type Options struct {
	// Open loads the scenario (required); Measure times it.
	Open func() (*scenario.Scenario, error)
	// Seats returns one negotiator constructor per party of a scenario
	// of that many parties (required).
	Seats func(parties int) ([]func() parley.Negotiator, error)
	// Deadline is the rounds of each negotiation; Duration how long to
	// run negotiations.
	Deadline int
	Duration time.Duration
	// Phase, when set, is called with the number of phases done (of
	// Phases) before each phase and at the end.
	Phase func(done int)
}

// Phases is the number of phases of Measure: load, Pareto, prepare,
// negotiate.
const Phases = 4

// Measure measures one scenario.
func Measure(ctx context.Context, o Options) (Result, error) {
	if o.Open == nil || o.Seats == nil {
		return Result{}, errors.New("bench: Options without Open or Seats")
	}
	phase := o.Phase
	if phase == nil {
		phase = func(int) {}
	}
	phase(0)
	var loads []time.Duration
	start := time.Now()
	for len(loads) < 5 || (time.Since(start) < 500*time.Millisecond && len(loads) < 50) {
		t0 := time.Now()
		if _, err := o.Open(); err != nil {
			return Result{}, err
		}
		loads = append(loads, time.Since(t0))
	}
	slices.Sort(loads)
	s, err := o.Open()
	if err != nil {
		return Result{}, err
	}
	r := Result{Scenario: s.Name, Outcomes: s.Space.Size(), LoadMs: ms(loads[len(loads)/2])}
	phase(1)

	ufs := make([]parley.UtilityFunction, len(s.Parties))
	for i, p := range s.Parties {
		ufs[i] = p.Profile.Utility
	}
	best := time.Duration(1<<63 - 1)
	start = time.Now()
	for n := 0; n < 3 || (time.Since(start) < time.Second && n < 1000); n++ {
		t0 := time.Now()
		front, err := analysis.Frontier(s.Space, ufs)
		if err != nil {
			return Result{}, fmt.Errorf("bench %s: pareto: %w", s.Name, err)
		}
		best = min(best, time.Since(t0))
		r.ParetoPoints = len(front)
	}
	r.ParetoMs = ms(best)
	if rep, err := analysis.Analyze(s.Space, s.Profiles()); err == nil {
		r.ParetoMethod = string(rep.Method)
	}

	phase(2)
	t0 := time.Now()
	ready, err := s.Prepare()
	if err != nil {
		return Result{}, err
	}
	factories, err := o.Seats(len(s.Parties))
	if err != nil {
		return Result{}, err
	}
	m, err := sao.New(ready.Profiles(), ready.Names(), sao.Options{Deadline: o.Deadline})
	if err != nil {
		return Result{}, err
	}
	negs := make([]parley.Negotiator, len(factories))
	for i, f := range factories {
		negs[i] = f()
	}
	// The first run builds the shared sorted indices: count it as preparation.
	if _, err := m.Run(ctx, negs, 0); err != nil {
		return Result{}, err
	}
	r.PrepareMs = ms(time.Since(t0))
	phase(3)

	var rounds, steps int
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start = time.Now()
	for seed := uint64(1); time.Since(start) < o.Duration; seed++ {
		res, err := m.Run(ctx, negs, seed)
		if err != nil {
			return Result{}, err
		}
		if res.Reason == parley.ReasonError {
			return Result{}, fmt.Errorf("bench %s: %w", s.Name, res.Err)
		}
		rounds += res.Rounds
		steps += res.Steps
		r.Negotiations++
	}
	el := time.Since(start).Seconds()
	runtime.ReadMemStats(&after)
	r.RoundsPerSec = float64(rounds) / el
	r.StepsPerSec = float64(steps) / el
	r.AllocsPerRound = float64(after.Mallocs-before.Mallocs) / float64(max(rounds, 1))
	phase(Phases)
	return r, nil
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }
