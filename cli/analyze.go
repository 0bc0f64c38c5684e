package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/cli/internal/render"
)

func newAnalyzeCmd() *cobra.Command {
	var asJSON, points, ignoreRedLines bool
	var profiles, only []string
	c := &cobra.Command{
		Use:   "analyze SCENARIO",
		Short: "Analyse a scenario: Pareto frontier, Nash, Kalai-Smorodinsky, welfare, opposition",
		Long: `Analyse a scenario with every party's (undiscounted) preferences:
the outcome count, the exact Pareto frontier, the Nash point (disagreement
point = reservation values, among outcomes every party finds at least as good
as its reservation value), the Kalai-Smorodinsky point, the maximal social
welfare and the opposition (GENIUS: the distance from (1,...,1) to the nearest
outcome).

Outcomes that cross a party's red line (its vetoes) can never be agreed, so
they are left out of the frontier, the solutions, the welfare and the
opposition (--ignore-red-lines keeps them); "outcomes" still counts the
whole space.

Linear-additive scenarios are solved without enumerating the outcome space
(per-issue Minkowski sums); others are enumerated when they have at most
20 million outcomes.`,
		Example: `  parley analyze ceasefire
  parley analyze ceasefire --parties RU,UA --json
  parley analyze ../shared/scenarios/genius/Energy_anac2012_A`,
		Args: exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			s, err := openScenario(c.ErrOrStderr(), args[0], profiles)
			if err != nil {
				return err
			}
			parties, err := s.PartyIndices(only)
			if err != nil {
				return usageError{fmt.Errorf("--parties: %w", err)}
			}
			profs, names, err := s.PartiesAt(parties)
			if err != nil {
				return err
			}
			rep, err := analysis.AnalyzeWith(s.Space, profs, analysis.Options{IgnoreRedLines: ignoreRedLines})
			if err != nil {
				return err
			}
			j := render.NewAnalyzeJSON(s, names, rep)
			if asJSON {
				return render.JSON(c.OutOrStdout(), j)
			}
			render.Analysis(c.OutOrStdout(), s, rep, j, points)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON (schema in docs/cli.md)")
	c.Flags().BoolVar(&points, "points", false, "list every Pareto point")
	c.Flags().BoolVar(&ignoreRedLines, "ignore-red-lines", false, "analyse every outcome, also those crossing a party's red line (vetoes)")
	c.Flags().StringSliceVar(&only, "parties", nil, "analyse only these parties (default: all), e.g. RU,UA")
	c.Flags().StringSliceVar(&profiles, "profiles", nil, "GENIUS profile files for a domain-file SCENARIO, in party order")
	return c
}
