package cli

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/cli/internal/progress"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/protocol/sao"
)

// BenchJSON is one scenario's line of 'parley bench --json'.
type BenchJSON struct {
	Scenario       string  `json:"scenario"`
	Outcomes       int     `json:"outcomes"`
	LoadMs         float64 `json:"load_ms"`
	PrepareMs      float64 `json:"prepare_ms"`
	ParetoMs       float64 `json:"pareto_ms"`
	ParetoPoints   int     `json:"pareto_points"`
	ParetoMethod   string  `json:"pareto_method"`
	Negotiations   int     `json:"negotiations"`
	RoundsPerSec   float64 `json:"rounds_per_sec"`
	StepsPerSec    float64 `json:"steps_per_sec"`
	AllocsPerRound float64 `json:"allocs_per_round"`
}

func (pg *program) newBenchCmd() *cobra.Command {
	var agents, profiles []string
	var deadline int
	var dur time.Duration
	var asJSON, quiet bool
	c := &cobra.Command{
		Use:   "bench [SCENARIO...]",
		Short: "Measure loading, Pareto and alternating-offers speed on scenarios",
		Long: `Measure, for each scenario (default: the built-in ceasefire):
  load      time to read the scenario (median of repeated loads)
  prepare   time to precompute utility tables and sorted indices
  pareto    time to compute the exact Pareto frontier (fastest of repeated runs)
  rounds/s  alternating-offers rounds per second on one goroutine, running
            negotiations back to back with a reused mechanism (a round is one
            turn of every party; steps are single turns), and the heap
            allocations per round.
Results go in docs/benchmarks.md; nothing here asserts a speed.`,
		Example: `  parley bench ../shared/scenarios/genius/EnglandZimbabwe_anac2010 ../shared/scenarios/genius/Energy_anac2012_A
  parley bench ceasefire --agents boulware,conceder,linear --deadline 1000 --duration 5s`,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"ceasefire"}
			}
			var rows []BenchJSON
			// The bar moves between phases only, redrawn on request: nothing
			// of it runs while a phase is measured.
			bar := progress.New(c.Context(), c.ErrOrStderr(), quiet, "bench", " phases")
			if bar != nil {
				bar.Manual = make(chan any, 1)
			}
			for k, a := range args {
				r, err := pg.benchOne(c.Context(), a, profiles, splitAgents(agents), deadline, dur, func(phase int) {
					bar.Update(int64(k*benchPhases+phase), int64(len(args)*benchPhases))
					bar.Refresh()
				})
				if err != nil {
					bar.Finish(false)
					return err
				}
				rows = append(rows, r)
			}
			bar.Finish(true)
			if asJSON {
				return render.JSON(c.OutOrStdout(), struct {
					Schema    string      `json:"schema"`
					Scenarios []BenchJSON `json:"scenarios"`
				}{schemaBench, rows})
			}
			w := tabwriter.NewWriter(c.OutOrStdout(), 0, 4, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(w, "scenario\toutcomes\tload ms\tprepare ms\tpareto ms\tpareto pts\tnegotiations\trounds/s\tsteps/s\tallocs/round\t")
			for _, r := range rows {
				fmt.Fprintf(w, "%s\t%d\t%.2f\t%.1f\t%.3f\t%d\t%d\t%.0f\t%.0f\t%.4f\t\n", r.Scenario, r.Outcomes, r.LoadMs, r.PrepareMs,
					r.ParetoMs, r.ParetoPoints, r.Negotiations, r.RoundsPerSec, r.StepsPerSec, r.AllocsPerRound)
			}
			return w.Flush()
		},
	}
	c.Flags().StringArrayVar(&agents, "agents", []string{"boulware,conceder"}, "strategy specs, one per party (repeated when shorter)")
	c.Flags().StringSliceVar(&profiles, "profiles", nil, "GENIUS profile files for a domain-file SCENARIO")
	c.Flags().IntVar(&deadline, "deadline", 1000, "rounds per negotiation")
	c.Flags().DurationVar(&dur, "duration", 2*time.Second, "how long to run negotiations per scenario")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON: {schema, scenarios} (docs/cli.md)")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, quietHelp)
	return c
}

// benchPhases is the number of phases of benchOne: load, pareto,
// prepare, negotiate.
const benchPhases = 4

// benchOne measures one scenario, calling phase with the number of phases
// done before each phase (0 to 3) and at the end (4).
func (pg *program) benchOne(ctx context.Context, arg string, profiles, agents []string, deadline int, dur time.Duration, phase func(int)) (BenchJSON, error) {
	phase(0)
	var loads []time.Duration
	start := time.Now()
	for len(loads) < 5 || (time.Since(start) < 500*time.Millisecond && len(loads) < 50) {
		t0 := time.Now()
		if _, err := openScenario(io.Discard, arg, profiles); err != nil {
			return BenchJSON{}, err
		}
		loads = append(loads, time.Since(t0))
	}
	slices.Sort(loads)
	s, err := openScenario(io.Discard, arg, profiles)
	if err != nil {
		return BenchJSON{}, err
	}
	r := BenchJSON{Scenario: s.Name, Outcomes: s.Space.Size(), LoadMs: ms(loads[len(loads)/2])}
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
			return BenchJSON{}, fmt.Errorf("bench %s: pareto: %w", s.Name, err)
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
		return BenchJSON{}, err
	}
	factories, _, err := pg.seats(agents, len(s.Parties))
	if err != nil {
		return BenchJSON{}, err
	}
	m, err := sao.New(ready.Profiles(), ready.Names(), sao.Options{Deadline: deadline})
	if err != nil {
		return BenchJSON{}, err
	}
	negs := make([]parley.Negotiator, len(factories))
	for i, f := range factories {
		negs[i] = f()
	}
	// The first run builds the shared sorted indices: count it as preparation.
	if _, err := m.Run(ctx, negs, 0); err != nil {
		return BenchJSON{}, err
	}
	r.PrepareMs = ms(time.Since(t0))
	phase(3)

	var rounds, steps int
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start = time.Now()
	for seed := uint64(1); time.Since(start) < dur; seed++ {
		res, err := m.Run(ctx, negs, seed)
		if err != nil {
			return BenchJSON{}, err
		}
		if res.Reason == parley.ReasonError {
			return BenchJSON{}, fmt.Errorf("bench %s: %w", s.Name, res.Err)
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
	phase(4)
	return r, nil
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }
