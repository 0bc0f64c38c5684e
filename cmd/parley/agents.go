package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/strategy"
)

func newAgentsCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "agents",
		Short: "List the negotiation strategies and their parameters",
		Long: `List the strategies that --agents accepts, with their parameters.
A spec is NAME or NAME:key=value,key=value, e.g. "conceder:e=3" or
"boulware:e=0.1,ac=combi(t=0.98)".`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			list := strategy.List()
			if asJSON {
				e := json.NewEncoder(c.OutOrStdout())
				e.SetIndent("", "  ")
				return e.Encode(list)
			}
			w := c.OutOrStdout()
			for _, in := range list {
				name := in.Name
				if len(in.Aliases) > 0 {
					name += " (" + strings.Join(in.Aliases, ", ") + ")"
				}
				fmt.Fprintf(w, "%s\n    %s\n", name, in.Summary)
				for _, p := range in.Params {
					def := p.Default
					if def == "" {
						def = "required"
					}
					fmt.Fprintf(w, "    %-4s %-10s %s\n", p.Name, "["+def+"]", p.Meaning)
				}
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}
