package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/chart"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/experiment"
	"github.com/parley-dev/parley/scenario"
)

// robustnessFlags are the flags of `parley experiment robustness`.
type robustnessFlags struct {
	armFlags
	samples, bootstrap int
}

func (pg *program) newRobustnessCmd() *cobra.Command {
	var f robustnessFlags
	c := &cobra.Command{
		Use:   "robustness SCENARIO --samples N",
		Short: "Global sensitivity analysis: which arm ordering holds over the scenario's assumption ranges",
		Long: `Sample the ranges the scenario declares for its uncertain numbers (its
assumptions: list, docs/scenario-format.md) and run the sequencing
experiment's arms at every point, at matched information as 'parley
experiment sequencing' runs them by default, to show how much of the
assumption space supports each ordering of the arms, and which
assumptions drive the answer.

The design is Saltelli's (Saltelli et al. 2010): two matrices A and B of N
points each (--samples N), the halves of one Latin hypercube drawn from
--seed, and for each of the k assumptions the matrix AB_i (A with column i
from B): N·(k+2) points in all. At each point the arms (--variants, or the
variants the protocol compares to answer its question, protocol.compare,
or else every declared variant) run --runs times, on the same run seeds
as at every other point.

Reported, for the agreement rate and the mean welfare of the arms:
  - for each pair of arms, the share of the 2N points of A and B at which
    one arm's estimate is above the other's, with a Wilson 95% CI that
    treats the points as the sample, and the share at which the point's
    own paired test finds it at p < 0.05 (Holm-adjusted);
  - for each contrast (the difference between two arms), each assumption's
    first-order Sobol index S (Saltelli et al. 2010) and total-effect index
    ST (Jansen 1999), with percentile bootstrap 95% CIs over the N base
    samples (--bootstrap resamples).

--plot draws the total-effect indices of the agreement contrasts.

Each parameter point is a tournament of arms run by the tournament runner:
--queue runs the points' runs on 'parley worker' processes (one point after
another), with the same report as a local run.`,
		Example: `  parley experiment robustness ceasefire --samples 64 --runs 200
  parley experiment robustness ceasefire --samples 64 --variants bilateral_then_mediated,bilateral_then_mediated_carry_none
  parley experiment robustness ceasefire --samples 8 --runs 20 --json
  parley experiment robustness ceasefire --samples 32 --csv points.csv --plot sobol.png`,
		Args: exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			return pg.runRobustness(c.Context(), c.OutOrStdout(), c.ErrOrStderr(), args[0], f)
		},
	}
	fl := c.Flags()
	fl.IntVar(&f.samples, "samples", 64, "base sample size N: the analysis runs N·(k+2) parameter points for k assumptions")
	fl.IntVar(&f.bootstrap, "bootstrap", experiment.DefaultBootstrap, "bootstrap resamples behind the CIs of the Sobol indices")
	fl.IntVar(&f.runs, "runs", 200, "runs per arm at each point (seeds 0..runs-1 derived from --seed)")
	fl.Uint64Var(&f.seed, "seed", 1, "random seed: fixes the design and every run")
	fl.IntVar(&f.workers, "workers", 0, "parallel workers (default: all cores); results do not depend on it")
	fl.BoolVar(&f.asJSON, "json", false, "print the report as JSON (schema parley.robustness/1 in docs/cli.md)")
	fl.StringVar(&f.csv, "csv", "", "write one CSV row per parameter point to this file")
	fl.StringVar(&f.plot, "plot", "", "draw the total-effect indices of the agreement contrasts "+plotFlagHelp)
	fl.StringArrayVar(&f.negotiators, "negotiators", nil, "alternating-offers strategy pool (default: "+strings.Join(experiment.DefaultNegotiators(), ",")+")")
	fl.StringArrayVar(&f.voters, "voters", nil, "mediated-stage voter pool (default: "+strings.Join(experiment.DefaultVoters(), ",")+")")
	fl.StringSliceVar(&f.variants, "variants", nil, "protocol variants to run as arms, in order (default: the protocol's compare list, else every declared variant)")
	fl.BoolVar(&f.allowErrors, "allow-errors", false, "exit 0 even when runs end in error (they count as failures to agree)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, quietHelp)
	f.batch.add(c, false)
	return c
}

func (pg *program) runRobustness(ctx context.Context, out, errOut io.Writer, arg string, f robustnessFlags) error {
	const cmd = "experiment robustness"
	switch {
	case f.samples < 2:
		return usageError{fmt.Errorf("%s: --samples %d: need at least 2 base samples", cmd, f.samples)}
	case f.bootstrap < 1:
		return usageError{fmt.Errorf("%s: --bootstrap %d: need at least 1 resample", cmd, f.bootstrap)}
	}
	s, base, bar, closeBatch, err := pg.startArms(ctx, errOut, cmd, arg, &f.armFlags, func(s *scenario.Scenario) error {
		return experimentUsage(cmd, "", experiment.CheckRobustness(s, f.variants))
	})
	if err != nil {
		return err
	}
	defer closeBatch()
	cfg := experiment.RobustnessConfig{Samples: f.samples, Bootstrap: f.bootstrap, Variants: f.variants, Config: base}
	rep, err := experiment.Robustness(ctx, s, cfg)
	bar.Finish(err == nil)
	if err != nil {
		return err
	}
	if f.csv != "" {
		if err := writeFile(f.csv, func(w io.Writer) error { return experiment.WriteRobustnessCSV(w, rep) }); err != nil {
			return fmt.Errorf("%s: --csv: %w", cmd, err)
		}
	}
	if f.plot != "" {
		fig, err := chart.SensitivityOf(rep)
		if err != nil {
			return fmt.Errorf("%s: --plot: %w", cmd, err)
		}
		if err := savePlot(errOut, cmd, f.plot, fig); err != nil {
			return err
		}
	}
	if f.asJSON {
		err = render.JSON(out, rep)
	} else {
		err = experiment.WriteRobustnessTable(out, rep)
	}
	if err != nil {
		return err
	}
	return runErrors(errOut, cmd, rep.Errors, "; the first: "+rep.FirstError, f.allowErrors)
}
