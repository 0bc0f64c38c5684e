package cli

import (
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/bench"
	"github.com/parley-dev/parley/cli/internal/progress"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/session"
	"github.com/parley-dev/parley/spec"
)

func (pg *program) newBenchCmd() *cobra.Command {
	var o bench.Options // Deadline and Duration from the flags
	var agents, profiles []string
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
			var rows []bench.Result
			// The bar moves between phases only, redrawn on request: nothing
			// of it runs while a phase is measured.
			bar := progress.New(c.Context(), c.ErrOrStderr(), quiet, "bench", " phases")
			if bar != nil {
				bar.Manual = make(chan any, 1)
			}
			for k, a := range args {
				o.Open = func() (*scenario.Scenario, error) { return openScenario(io.Discard, a, profiles) }
				o.Seats = func(parties int) ([]func() parley.Negotiator, error) {
					fs, _, err := session.Seats(spec.SplitLists(agents), parties, pg.negotiators.Parse)
					return fs, usage("bench", err)
				}
				o.Phase = func(phase int) {
					bar.Update(int64(k*bench.Phases+phase), int64(len(args)*bench.Phases))
					bar.Refresh()
				}
				r, err := bench.Measure(c.Context(), o)
				if err != nil {
					bar.Finish(false)
					return err
				}
				rows = append(rows, r)
			}
			bar.Finish(true)
			return render.Bench(c.OutOrStdout(), rows, asJSON)
		},
	}
	c.Flags().StringArrayVar(&agents, "agents", []string{"boulware,conceder"}, "strategy specs, one per party (repeated when shorter)")
	c.Flags().StringSliceVar(&profiles, "profiles", nil, "GENIUS profile files for a domain-file SCENARIO")
	c.Flags().IntVar(&o.Deadline, "deadline", 1000, "rounds per negotiation")
	c.Flags().DurationVar(&o.Duration, "duration", 2*time.Second, "how long to run negotiations per scenario")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON: {schema, scenarios} (docs/cli.md)")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, quietHelp)
	return c
}
