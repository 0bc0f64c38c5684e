package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tracefile"
)

// SchemaAnalyze is the schema of AnalyzeJSON.
const SchemaAnalyze = "parley.analyze/2"

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

// NewAnalyzeJSON returns the --json output of 'parley analyze' for the
// analysis rep of the named parties of s.
func NewAnalyzeJSON(s *scenario.Scenario, names []string, rep *analysis.Report) *AnalyzeJSON {
	point := func(p analysis.Point) PointJSON {
		return PointJSON{Utilities: tracefile.ByParty(names, p.U), Outcome: tracefile.Outcome(s.Space, p.Outcome)}
	}
	j := &AnalyzeJSON{Schema: SchemaAnalyze, Scenario: s.Name, Parties: names, Outcomes: rep.Outcomes,
		Reservation: tracefile.ByParty(names, rep.Reservation),
		Pareto:      ParetoJSON{Size: len(rep.Frontier), Points: make([]map[string]float64, len(rep.Frontier))},
		MaxWelfare:  WelfareJSON{Welfare: rep.Welfare, PointJSON: point(rep.MaxWelfare)},
		Opposition:  rep.Opposition}
	for k, p := range rep.Frontier {
		j.Pareto.Points[k] = tracefile.ByParty(names, p.U)
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

// Analysis writes the analysis rep of s as text (every Pareto point with
// points).
func Analysis(w io.Writer, s *scenario.Scenario, rep *analysis.Report, j *AnalyzeJSON, points bool) {
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
		Table(w, rows)
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
