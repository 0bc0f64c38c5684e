package cli

import (
	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/cli/internal/render"
)

func (pg *program) newAgentsCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "agents",
		Short: "List the negotiator, mediator, voter and BOA component strategies and their parameters",
		Long: `List the strategies with their parameters: negotiators (--agents of
'parley run', alternating offers), mediators (--mediator, mediated stages) and
voters (--voters, mediated stages), and the BOA components a boa: negotiator
is built from. A spec is NAME or NAME:key=value,key=value, where a value may
be a spec in call form, NAME(key=value,...): e.g. "conceder:e=3",
"boulware:e=0.1,ac=combi(t=0.98)", "boa:bid=linear,om=frequency,ac=const(0.8)"
or "biased:bias=0.5".`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			return render.Agents(c.OutOrStdout(), render.NewAgentsJSON(pg.negotiators, pg.mediators, pg.voters), asJSON)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON: {schema, negotiators, mediators, voters, components} (docs/cli.md)")
	return c
}
