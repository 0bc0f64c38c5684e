package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
)

// agentInfo is one row of 'parley agents' (negotiator, mediator or voter).
type agentInfo struct {
	Name    string      `json:"name"`
	Aliases []string    `json:"aliases,omitempty"`
	Summary string      `json:"summary"`
	Params  []paramInfo `json:"params"`
}

type paramInfo struct {
	Name    string `json:"name"`
	Default string `json:"default"`
	Meaning string `json:"meaning"`
}

func newAgentsCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "agents",
		Short: "List the negotiator, mediator and voter strategies and their parameters",
		Long: `List the strategies with their parameters: negotiators (--agents of
'parley run', alternating offers), mediators (--mediator, mediated stages) and
voters (--voters, mediated stages). A spec is NAME or NAME:key=value,key=value,
e.g. "conceder:e=3", "boulware:e=0.1,ac=combi(t=0.98)" or "biased:bias=0.5".`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			var negs, meds, vots []agentInfo
			for _, in := range strategy.List() {
				a := agentInfo{Name: in.Name, Aliases: in.Aliases, Summary: in.Summary, Params: []paramInfo{}}
				for _, p := range in.Params {
					a.Params = append(a.Params, paramInfo{p.Name, p.Default, p.Meaning})
				}
				negs = append(negs, a)
			}
			conv := func(list []mediator.Info) []agentInfo {
				var out []agentInfo
				for _, in := range list {
					a := agentInfo{Name: in.Name, Aliases: in.Aliases, Summary: in.Summary, Params: []paramInfo{}}
					for _, p := range in.Params {
						a.Params = append(a.Params, paramInfo{p.Name, p.Default, p.Meaning})
					}
					out = append(out, a)
				}
				return out
			}
			meds, vots = conv(mediator.ListMediators()), conv(mediator.ListVoters())
			if asJSON {
				e := json.NewEncoder(c.OutOrStdout())
				e.SetIndent("", "  ")
				return e.Encode(map[string][]agentInfo{"negotiators": negs, "mediators": meds, "voters": vots})
			}
			w := c.OutOrStdout()
			section(w, "NEGOTIATORS (--agents)", negs)
			section(w, "MEDIATORS (--mediator)", meds)
			section(w, "VOTERS (--voters)", vots)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON: {negotiators, mediators, voters}")
	return c
}

func section(w io.Writer, title string, list []agentInfo) {
	fmt.Fprintf(w, "%s\n\n", title)
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
			fmt.Fprintf(w, "    %-6s %-10s %s\n", p.Name, "["+def+"]", p.Meaning)
		}
	}
	fmt.Fprintln(w)
}
