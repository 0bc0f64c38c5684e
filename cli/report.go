package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/chart"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/tournament"
)

func newReportCmd() *cobra.Command {
	var asJSON, asCSV bool
	var plotFile string
	c := &cobra.Command{
		Use:   "report DB",
		Short: "Print the leaderboard and pairwise tests of a tournament database",
		Long: `Print the leaderboard of the tournament stored in DB: per agent, the mean
utility it obtained and its advantage over its reservation value with 95%
t intervals, its agreement rate (Wilson 95% interval), the mean distance of
its runs' outcomes to the Pareto frontier and to the Nash point ("n/a" on
scenarios too large to analyse, which are listed with the reason), their
mean welfare and its runs that ended in error. Runs that ended in error
count at the reservation values.

The statistics count distinct runs: when every stored repetition of a
pairing (a scenario and an agent per party) gave the same record, as a
deterministic pairing does whatever its seed, the pairing counts once, not
once per repetition; the report says how many repetitions it collapsed.

Then every two agents are compared by a two-sided Wilcoxon signed-rank test
on utility over paired runs (the same scenario, role, opponents and
repetition: only agents that met the same opponents in the same role are
comparable, which for two agents needs --self-play), with Holm's correction
over all the pairs.

For a tournament of mediators (--mediators) it prints the mediators'
leaderboard instead: agreement rate, welfare, distances to the Nash point
and the Pareto frontier, fairness (the smallest normalised advantage of the
parties) and rounds to agreement, each with its 95% interval ("n/a" where
no run has it), and every two mediators compared on every metric over runs
paired by scenario, voter pool, repetition and seed (McNemar on agreement,
Wilcoxon signed-rank on the rest, Holm-adjusted per metric).

--json prints the report as JSON (planned, runs, errors, agreements,
leaderboard, pairwise, error_causes, meta, and mediators and
mediator_pairwise for mediators: docs/tournaments.md); --csv prints the
leaderboard as CSV (one row per mediator and metric for mediators); --plot draws mean utility and advantage per
agent with their intervals to a PNG, SVG or PDF file (by its extension).`,
		Example: `  parley report results.db
  parley report results.db --json
  parley report results.db --csv > leaderboard.csv
  parley report results.db --plot leaderboard.png`,
		Args: exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if asJSON && asCSV {
				return usageError{fmt.Errorf("%s: --json and --csv exclude each other", c.CommandPath())}
			}
			if err := checkPlot("report", plotFile); err != nil {
				return err
			}
			st, err := sqlite.OpenReadOnly(args[0])
			if err != nil {
				return err
			}
			defer st.Close()
			rep, err := reportOf(c.Context(), st)
			if err != nil {
				return err
			}
			if plotFile != "" && rep.Meta.Protocol == tournament.ProtocolMediated {
				return usageError{fmt.Errorf("report: --plot: %s holds a tournament of mediators; --plot draws negotiators' leaderboards only", args[0])}
			}
			if err := savePlot(c.ErrOrStderr(), "report", plotFile, func() (chart.Figure, error) { return chart.LeaderboardOf(rep), nil }); err != nil {
				return err
			}
			return render.WriteReport(c.OutOrStdout(), rep, asJSON, asCSV)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	c.Flags().BoolVar(&asCSV, "csv", false, "print the leaderboard as CSV")
	c.Flags().StringVar(&plotFile, "plot", "", "draw mean utility and advantage per agent "+plotFlagHelp)
	return c
}

// reportOf is the report of the database's tournament (sqlite's Report),
// or for an experiment's database an error that says how to get its
// report.
func reportOf(ctx context.Context, st *sqlite.Store) (*tournament.Report, error) {
	rep, err := st.Report(ctx)
	if ee := new(tournament.ExperimentError); errors.As(err, &ee) {
		return nil, fmt.Errorf("report: %s holds an experiment (arms %s): its report is the experiment's; run the 'parley experiment' command that wrote it again with --db %s (it runs only what is missing)",
			st.Path(), strings.Join(ee.Arms, ", "), st.Path())
	}
	return rep, err
}
