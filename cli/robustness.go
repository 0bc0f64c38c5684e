package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/chart"
	"github.com/parley-dev/parley/experiment"
	"github.com/parley-dev/parley/scenario"
)

func (pg *program) newRobustnessCmd() *cobra.Command {
	var f armFlags
	var rc experiment.RobustnessConfig // Samples and Bootstrap from the flags
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
			cmd := cmdName(c)
			if rc.Bootstrap < 1 { // 0 would silently mean experiment.DefaultBootstrap
				return usageError{fmt.Errorf("%s: --bootstrap %d: need at least 1 resample", cmd, rc.Bootstrap)}
			}
			rc.Config = f.cfg
			if err := rc.Validate(); err != nil {
				return usage(cmd, err)
			}
			check := func(s *scenario.Scenario) error { return usage(cmd, experiment.CheckRobustness(s, rc.Variants)) }
			return pg.runArms(c, args[0], &f, check, func(ctx context.Context, s *scenario.Scenario, cfg experiment.Config) (*armReport, error) {
				rc.Config = cfg
				rep, err := experiment.Robustness(ctx, s, rc)
				if err != nil {
					return nil, err
				}
				return &armReport{rep, bind(experiment.WriteRobustnessTable, rep), func() (chart.Figure, error) { return chart.SensitivityOf(rep) },
					[]reportFile{{"--csv", f.csv, bind(experiment.WriteRobustnessCSV, rep)}}, rep.Errors, "; the first: " + rep.FirstError}, nil
			})
		},
	}
	c.Flags().IntVar(&rc.Samples, "samples", 64, "base sample size N: the analysis runs N·(k+2) parameter points for k assumptions")
	c.Flags().IntVar(&rc.Bootstrap, "bootstrap", experiment.DefaultBootstrap, "bootstrap resamples behind the CIs of the Sobol indices")
	f.add(c, armHelp{runs: "runs per arm at each point (seeds 0..runs-1 derived from --seed)", seed: "random seed: fixes the design and every run",
		json: "print the report as JSON (schema parley.robustness/1 in docs/cli.md)", csv: "write one CSV row per parameter point to this file",
		plot:     "draw the total-effect indices of the agreement contrasts",
		variants: "protocol variants to run as arms, in order (default: the protocol's compare list, else every declared variant)"}, false, &rc.Variants)
	return c
}
