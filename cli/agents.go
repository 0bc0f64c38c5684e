package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/cli/internal/render"
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

// paramInfo is one parameter of a strategy. In JSON its default is typed
// (a number, true/false, or a string; null for a required parameter) and
// Type names its JSON type: "number", "boolean" or "string".
type paramInfo struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Default  any    `json:"default"`
	Required bool   `json:"required"`
	Meaning  string `json:"meaning"`
	text     string // the default as written in specs ("" when required)
}

// newParam types a parameter's default as written in specs.
func newParam(name, def, meaning string) paramInfo {
	p := paramInfo{Name: name, Meaning: meaning, text: def}
	switch {
	case def == "":
		p.Type, p.Required = "string", true
	case def == "true" || def == "false":
		p.Type, p.Default = "boolean", def == "true"
	default:
		if x, err := strconv.ParseFloat(def, 64); err == nil {
			p.Type, p.Default = "number", x
		} else {
			p.Type, p.Default = "string", def
		}
	}
	return p
}

// AgentsJSON is the --json output of 'parley agents' (schema
// parley.agents/2, docs/cli.md).
type AgentsJSON struct {
	Schema      string      `json:"schema"`
	Negotiators []agentInfo `json:"negotiators"`
	Mediators   []agentInfo `json:"mediators"`
	Voters      []agentInfo `json:"voters"`
}

func (pg *program) newAgentsCmd() *cobra.Command {
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
					a.Params = append(a.Params, newParam(p.Name, p.Default, p.Meaning))
				}
				negs = append(negs, a)
			}
			conv := func(list []mediator.Info) []agentInfo {
				var out []agentInfo
				for _, in := range list {
					a := agentInfo{Name: in.Name, Aliases: in.Aliases, Summary: in.Summary, Params: []paramInfo{}}
					for _, p := range in.Params {
						a.Params = append(a.Params, newParam(p.Name, p.Default, p.Meaning))
					}
					out = append(out, a)
				}
				return out
			}
			meds, vots = conv(mediator.ListMediators()), conv(mediator.ListVoters())
			negs = append(negs, customInfo(pg.negotiators)...)
			meds = append(meds, customInfo(pg.mediators)...)
			vots = append(vots, customInfo(pg.voters)...)
			if asJSON {
				e := json.NewEncoder(c.OutOrStdout())
				e.SetIndent("", "  ")
				e.SetEscapeHTML(false)
				return e.Encode(AgentsJSON{Schema: schemaAgents, Negotiators: negs, Mediators: meds, Voters: vots})
			}
			w := c.OutOrStdout()
			section(w, "NEGOTIATORS (--agents)", negs)
			section(w, "MEDIATORS (--mediator)", meds)
			section(w, "VOTERS (--voters)", vots)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON: {schema, negotiators, mediators, voters} (docs/cli.md)")
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
		var rows [][]string
		for _, p := range in.Params {
			def := p.text
			if def == "" {
				def = "required"
			}
			rows = append(rows, []string{p.Name, "[" + def + "]", p.Meaning})
		}
		if len(rows) > 0 {
			for _, l := range render.TableLines(rows) {
				fmt.Fprintf(w, "  %s\n", l)
			}
		}
	}
	fmt.Fprintln(w)
}

// customInfo lists registered agents (no parameters), after the built-in
// ones.
func customInfo[F any](list []custom[F]) []agentInfo {
	var out []agentInfo
	for _, c := range list {
		out = append(out, agentInfo{Name: c.name, Summary: c.summary, Params: []paramInfo{}})
	}
	return out
}
