package render

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/parley-dev/parley/bench"
	"github.com/parley-dev/parley/catalog"
)

// Schema names of 'parley scenarios --json' and 'parley bench --json'.
const (
	SchemaScenarios = "parley.scenarios/2"
	SchemaBench     = "parley.bench/2"
)

// ScenarioRow is one built-in scenario as 'parley scenarios' lists it.
type ScenarioRow struct {
	Name        string   `json:"name"`
	Parties     []string `json:"parties"`
	Issues      int      `json:"issues"`
	Outcomes    int      `json:"outcomes"`
	Description string   `json:"description"`
}

// ScenarioRows returns the rows of the built-in scenarios, by name, with
// the first sentence (or line) of each description.
func ScenarioRows() ([]ScenarioRow, error) {
	var rows []ScenarioRow
	for _, n := range catalog.Names() {
		s, err := catalog.Builtin(n)
		if err != nil {
			return nil, err
		}
		desc := strings.TrimSpace(s.Description)
		if i := strings.IndexAny(desc, ".\n"); i >= 0 {
			desc = desc[:i+1]
		}
		rows = append(rows, ScenarioRow{n, s.Names(), len(s.Space.Issues), s.Space.Size(), desc})
	}
	return rows, nil
}

// Scenarios prints the rows as 'parley scenarios' does, as JSON
// ({schema, scenarios}) when asJSON.
func Scenarios(w io.Writer, rows []ScenarioRow, asJSON bool) error {
	if asJSON {
		return JSON(w, struct {
			Schema    string        `json:"schema"`
			Scenarios []ScenarioRow `json:"scenarios"`
		}{SchemaScenarios, rows})
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPARTIES\tISSUES\tOUTCOMES\tDESCRIPTION")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", r.Name, strings.Join(r.Parties, ","), r.Issues, r.Outcomes, r.Description)
	}
	return tw.Flush()
}

// Bench prints the measurements as 'parley bench' does, as JSON ({schema,
// scenarios}) when asJSON.
func Bench(w io.Writer, rows []bench.Result, asJSON bool) error {
	if asJSON {
		return JSON(w, struct {
			Schema    string         `json:"schema"`
			Scenarios []bench.Result `json:"scenarios"`
		}{SchemaBench, rows})
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\toutcomes\tload ms\tprepare ms\tpareto ms\tpareto pts\tnegotiations\trounds/s\tsteps/s\tallocs/round\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.1f\t%.3f\t%d\t%d\t%.0f\t%.0f\t%.4f\t\n", r.Scenario, r.Outcomes, r.LoadMs, r.PrepareMs,
			r.ParetoMs, r.ParetoPoints, r.Negotiations, r.RoundsPerSec, r.StepsPerSec, r.AllocsPerRound)
	}
	return tw.Flush()
}
