package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/scenario"
)

// openScenario loads a scenario argument (built-in name or path) and prints
// the loader's warnings (what it found odd but accepted) to stderr, one
// line each.
func openScenario(stderr io.Writer, arg string, profiles []string) (*scenario.Scenario, error) {
	s, err := catalog.Open(arg, catalog.Options{Profiles: profiles})
	if err != nil {
		return nil, err
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(stderr, "parley: warning:", w)
	}
	return s, nil
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
			rows, err := render.ScenarioRows()
			if err != nil {
				return err
			}
			return render.Scenarios(c.OutOrStdout(), rows, asJSON)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON: {schema, scenarios} (docs/cli.md)")
	return c
}
