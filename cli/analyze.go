package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tracefile"
)

// AnalyzeJSON is the --json output of 'parley analyze' (schema
// parley.analyze/2, docs/cli.md): per-party values are objects keyed by
// party name; every solution point gives its utilities and its outcome.
type AnalyzeJSON struct {
	Schema           string             `json:"schema"`
	Scenario         string             `json:"scenario"`
	Parties          []string           `json:"parties"`
	Outcomes         int                `json:"outcomes"`
	Reservation      map[string]float64 `json:"reservation"`
	Pareto           ParetoJSON         `json:"pareto"`
	Nash             *PointJSON         `json:"nash"`
	KalaiSmorodinsky *PointJSON         `json:"kalai_smorodinsky"`
	MaxWelfare       WelfareJSON        `json:"max_welfare"`
	Opposition       float64            `json:"opposition"`
}

// ParetoJSON is the frontier: its size and every point's utilities.
type ParetoJSON struct {
	Size   int                  `json:"size"`
	Points []map[string]float64 `json:"points"`
}

// PointJSON is a solution point: its utilities and its outcome (issue to
// value, numbers for numeric issues).
type PointJSON struct {
	Utilities map[string]float64 `json:"utilities"`
	Outcome   map[string]any     `json:"outcome"`
}

// WelfareJSON is the maximal social welfare and an outcome reaching it.
type WelfareJSON struct {
	Welfare float64 `json:"welfare"`
	PointJSON
}

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
			parties, err := selectParties(s, only)
			if err != nil {
				return err
			}
			profs := make([]*parley.Profile, len(parties))
			names := make([]string, len(parties))
			for k, i := range parties {
				profs[k], names[k] = s.Parties[i].Profile, s.Parties[i].Name
			}
			rep, err := analysis.AnalyzeWith(s.Space, profs, analysis.Options{IgnoreRedLines: ignoreRedLines})
			if err != nil {
				return err
			}
			j := analyzeJSON(s, names, rep)
			if asJSON {
				e := json.NewEncoder(c.OutOrStdout())
				e.SetIndent("", "  ")
				return e.Encode(j)
			}
			printAnalysis(c.OutOrStdout(), s, rep, j, points)
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

func selectParties(s *scenario.Scenario, only []string) ([]int, error) {
	if len(only) == 0 {
		idx := make([]int, len(s.Parties))
		for i := range idx {
			idx[i] = i
		}
		return idx, nil
	}
	var idx []int
	for _, n := range only {
		i := s.Party(strings.TrimSpace(n))
		if i < 0 {
			return nil, usageError{fmt.Errorf("--parties: scenario %s has no party %q (have %s)", s.Name, n, strings.Join(s.Names(), ", "))}
		}
		idx = append(idx, i)
	}
	return idx, nil
}

func analyzeJSON(s *scenario.Scenario, names []string, rep *analysis.Report) *AnalyzeJSON {
	point := func(p analysis.Point) PointJSON {
		return PointJSON{Utilities: byParty(names, p.U), Outcome: tracefile.Outcome(s.Space, p.Outcome)}
	}
	j := &AnalyzeJSON{Schema: schemaAnalyze, Scenario: s.Name, Parties: names, Outcomes: rep.Outcomes,
		Reservation: byParty(names, rep.Reservation),
		Pareto:      ParetoJSON{Size: len(rep.Frontier), Points: make([]map[string]float64, len(rep.Frontier))},
		MaxWelfare:  WelfareJSON{Welfare: rep.Welfare, PointJSON: point(rep.MaxWelfare)},
		Opposition:  rep.Opposition}
	for k, p := range rep.Frontier {
		j.Pareto.Points[k] = byParty(names, p.U)
	}
	if rep.Nash != nil {
		p := point(*rep.Nash)
		j.Nash = &p
	}
	if rep.KalaiSmorodinsky != nil {
		p := point(*rep.KalaiSmorodinsky)
		j.KalaiSmorodinsky = &p
	}
	return j
}

func vec(names []string, u []float64) string {
	parts := make([]string, len(u))
	for i := range u {
		parts[i] = fmt.Sprintf("%s %.3f", names[i], u[i])
	}
	return strings.Join(parts, ", ")
}

func printAnalysis(w io.Writer, s *scenario.Scenario, rep *analysis.Report, j *AnalyzeJSON, points bool) {
	fmt.Fprintf(w, "Scenario %s: %d issues, %d outcomes\n", s.Name, len(s.Space.Issues), rep.Outcomes)
	if rep.ExcludedValues > 0 {
		fmt.Fprintf(w, "Red lines: %d values vetoed; %d outcomes cross none (the analysis below is over those)\n", rep.ExcludedValues, rep.Feasible)
	}
	fmt.Fprintf(w, "Parties and reservation values: %s\n", vec(j.Parties, rep.Reservation))
	fmt.Fprintf(w, "Pareto frontier: %d points (%s)\n", len(rep.Frontier), rep.Method)
	if points {
		for _, p := range rep.Frontier {
			fmt.Fprintf(w, "  %s   %s\n", vec(j.Parties, p.U), s.Space.Format(p.Outcome))
		}
	}
	outcome := func(o parley.Outcome) {
		if !s.Space.Valid(o) {
			return
		}
		rows := make([][]string, len(s.Space.Issues))
		for i := range s.Space.Issues {
			is := &s.Space.Issues[i]
			rows[i] = []string{is.Name, is.Value(s.Space.ValueIndex(o, i))}
		}
		table(w, rows)
	}
	if rep.Nash != nil {
		fmt.Fprintf(w, "Nash point: %s\n", vec(j.Parties, rep.Nash.U))
		outcome(rep.Nash.Outcome)
	} else {
		fmt.Fprintln(w, "Nash point: none (no outcome is individually rational for every party)")
	}
	if rep.KalaiSmorodinsky != nil {
		fmt.Fprintf(w, "Kalai-Smorodinsky point: %s\n", vec(j.Parties, rep.KalaiSmorodinsky.U))
		outcome(rep.KalaiSmorodinsky.Outcome)
	} else {
		fmt.Fprintln(w, "Kalai-Smorodinsky point: none")
	}
	fmt.Fprintf(w, "Maximal social welfare: %.3f at %s\n", rep.Welfare, vec(j.Parties, rep.MaxWelfare.U))
	outcome(rep.MaxWelfare.Outcome)
	fmt.Fprintf(w, "Opposition: %.3f\n", rep.Opposition)
}
