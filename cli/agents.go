package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy/boa"
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
// Type names its JSON type: "number", "integer", "boolean" or "string" (a
// nested spec such as combi(t=0.98) is a string); Min and Max bound a
// number, Values lists the words a string allows or the names a nested
// spec may take.
type paramInfo struct {
	Name     string   `json:"name"`
	Type     string   `json:"type"`
	Default  any      `json:"default"`
	Required bool     `json:"required"`
	Min      *float64 `json:"min,omitempty"`
	Max      *float64 `json:"max,omitempty"`
	Values   []string `json:"values,omitempty"`
	Meaning  string   `json:"meaning"`
	text     string   // the default as written in specs ("" when required)
}

// agentInfos describes the entries of a registry for 'parley agents'.
func agentInfos[T any](r *spec.Registry[T]) []agentInfo {
	var out []agentInfo
	for _, e := range r.Entries() {
		a := agentInfo{Name: e.Name, Aliases: e.Aliases, Summary: e.Doc, Params: []paramInfo{}}
		for _, p := range e.Params {
			a.Params = append(a.Params, newParam(p))
		}
		out = append(out, a)
	}
	return out
}

// newParam types a parameter's default for JSON.
func newParam(p spec.Param) paramInfo {
	pi := paramInfo{Name: p.Name, Type: p.Kind.String(), Required: p.Required, Meaning: p.Doc, text: p.Default}
	switch p.Kind {
	case spec.KindFloat, spec.KindInt:
		lo, hi := p.Min, p.Max
		pi.Min, pi.Max = &lo, &hi
	case spec.KindString:
		pi.Values = p.Words
	case spec.KindSpec:
		pi.Type, pi.Values = "string", p.Of.Names()
	}
	if !p.Required {
		if v, err := p.Parse(p.Default); err == nil && p.Kind != spec.KindSpec {
			pi.Default = v
		} else {
			pi.Default = p.Default
		}
	}
	return pi
}

// AgentsJSON is the --json output of 'parley agents' (schema
// parley.agents/2, docs/cli.md).
type AgentsJSON struct {
	Schema      string      `json:"schema"`
	Negotiators []agentInfo `json:"negotiators"`
	Mediators   []agentInfo `json:"mediators"`
	Voters      []agentInfo `json:"voters"`
	Components  components  `json:"components"`
}

// components are the BOA components (boa:bid=,om=,ac=); the acceptance
// conditions are also the ac= of the time-dependent and tit-for-tat
// negotiators.
type components struct {
	Bid []agentInfo `json:"bid"`
	OM  []agentInfo `json:"om"`
	AC  []agentInfo `json:"ac"`
}

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
			negs := agentInfos(pg.negotiators)
			meds, vots := agentInfos(pg.mediators), agentInfos(pg.voters)
			comps := components{agentInfos(boa.Biddings()), agentInfos(boa.Models()), agentInfos(boa.Acceptances())}
			if asJSON {
				e := json.NewEncoder(c.OutOrStdout())
				e.SetIndent("", "  ")
				e.SetEscapeHTML(false)
				return e.Encode(AgentsJSON{Schema: schemaAgents, Negotiators: negs, Mediators: meds, Voters: vots, Components: comps})
			}
			w := c.OutOrStdout()
			section(w, "NEGOTIATORS (--agents)", negs)
			section(w, "MEDIATORS (--mediator)", meds)
			section(w, "VOTERS (--voters)", vots)
			section(w, "BOA BIDDING STRATEGIES (boa:bid=NAME(key=value,...))", comps.Bid)
			section(w, "BOA OPPONENT MODELS (boa:om=NAME(...))", comps.OM)
			section(w, "ACCEPTANCE CONDITIONS (boa:ac=NAME(...); also ac= of boulware, linear, conceder, timedep, tft)", comps.AC)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON: {schema, negotiators, mediators, voters, components} (docs/cli.md)")
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
