package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/scenario"
)

// openScenario loads a scenario argument (built-in name or path) and prints
// the loader's warnings to stderr.
func openScenario(stderr io.Writer, arg string, profiles []string) (*scenario.Scenario, error) {
	s, err := catalog.Open(arg, catalog.Options{Profiles: profiles})
	if err != nil {
		return nil, err
	}
	printWarnings(stderr, s)
	return s, nil
}

// printWarnings prints what the reader of s found odd but accepted, one
// line each.
func printWarnings(stderr io.Writer, s *scenario.Scenario) {
	for _, w := range s.Warnings {
		fmt.Fprintln(stderr, "parley: warning:", w)
	}
}

func newScenariosCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "scenarios",
		Short: "List the built-in scenarios",
		Long: `List the built-in scenarios with their parties and outcome counts.
Any other scenario is given by path (see 'parley --help').`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			type row struct {
				Name        string   `json:"name"`
				Parties     []string `json:"parties"`
				Issues      int      `json:"issues"`
				Outcomes    int      `json:"outcomes"`
				Description string   `json:"description"`
			}
			var rows []row
			for _, n := range catalog.Names() {
				s, err := catalog.Builtin(n)
				if err != nil {
					return err
				}
				rows = append(rows, row{n, s.Names(), len(s.Space.Issues), s.Space.Size(), firstLine(s.Description)})
			}
			if asJSON {
				return render.JSON(c.OutOrStdout(), struct {
					Schema    string `json:"schema"`
					Scenarios []row  `json:"scenarios"`
				}{schemaScenarios, rows})
			}
			w := tabwriter.NewWriter(c.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tPARTIES\tISSUES\tOUTCOMES\tDESCRIPTION")
			for _, r := range rows {
				fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%s\n", r.Name, strings.Join(r.Parties, ","), r.Issues, r.Outcomes, r.Description)
			}
			return w.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON: {schema, scenarios} (docs/cli.md)")
	return c
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ".\n"); i >= 0 {
		return s[:i+1]
	}
	return s
}
