package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy/boa"
)

// AgentInfo is one row of 'parley agents' (negotiator, mediator or voter).
type AgentInfo struct {
	Name    string      `json:"name"`
	Aliases []string    `json:"aliases,omitempty"`
	Summary string      `json:"summary"`
	Params  []ParamInfo `json:"params"`
}

// ParamInfo is one parameter of a strategy. In JSON its default is typed
// (a number, true/false, or a string; null for a required parameter) and
// Type names its JSON type: "number", "integer", "boolean" or "string" (a
// nested spec such as combi(t=0.98) is a string); Min and Max bound a
// number, Values lists the words a string allows or the names a nested
// spec may take.
type ParamInfo struct {
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

// AgentInfos describes the entries of a registry for 'parley agents'.
func AgentInfos[T any](r *spec.Registry[T]) []AgentInfo {
	var out []AgentInfo
	for _, e := range r.Entries() {
		a := AgentInfo{Name: e.Name, Aliases: e.Aliases, Summary: e.Doc, Params: []ParamInfo{}}
		for _, p := range e.Params {
			a.Params = append(a.Params, newParam(p))
		}
		out = append(out, a)
	}
	return out
}

// newParam types a parameter's default for JSON.
func newParam(p spec.Param) ParamInfo {
	pi := ParamInfo{Name: p.Name, Type: p.Kind.String(), Required: p.Required, Meaning: p.Doc, text: p.Default}
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
	Negotiators []AgentInfo `json:"negotiators"`
	Mediators   []AgentInfo `json:"mediators"`
	Voters      []AgentInfo `json:"voters"`
	Components  Components  `json:"components"`
}

// Components are the BOA components (boa:bid=,om=,ac=); the acceptance
// conditions are also the ac= of the time-dependent and tit-for-tat
// negotiators.
type Components struct {
	Bid []AgentInfo `json:"bid"`
	OM  []AgentInfo `json:"om"`
	AC  []AgentInfo `json:"ac"`
}

// SchemaAgents is the schema of AgentsJSON.
const SchemaAgents = "parley.agents/2"

// NewAgentsJSON lists the negotiators, mediators and voters of the
// registries and the BOA components.
func NewAgentsJSON[N, M, V any](negotiators *spec.Registry[N], mediators *spec.Registry[M], voters *spec.Registry[V]) *AgentsJSON {
	return &AgentsJSON{Schema: SchemaAgents, Negotiators: AgentInfos(negotiators), Mediators: AgentInfos(mediators), Voters: AgentInfos(voters),
		Components: Components{Bid: AgentInfos(boa.Biddings()), OM: AgentInfos(boa.Models()), AC: AgentInfos(boa.Acceptances())}}
}

// Agents writes the listing of 'parley agents' as JSON (asJSON) or as
// text: every section's entries with their aliases, summary and
// parameters ([default] and meaning).
func Agents(w io.Writer, j *AgentsJSON, asJSON bool) error {
	if asJSON {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		e.SetEscapeHTML(false)
		return e.Encode(j)
	}
	section(w, "NEGOTIATORS (--agents)", j.Negotiators)
	section(w, "MEDIATORS (--mediator)", j.Mediators)
	section(w, "VOTERS (--voters)", j.Voters)
	section(w, "BOA BIDDING STRATEGIES (boa:bid=NAME(key=value,...))", j.Components.Bid)
	section(w, "BOA OPPONENT MODELS (boa:om=NAME(...))", j.Components.OM)
	section(w, "ACCEPTANCE CONDITIONS (boa:ac=NAME(...); also ac= of boulware, linear, conceder, timedep, tft)", j.Components.AC)
	return nil
}

func section(w io.Writer, title string, list []AgentInfo) {
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
			for _, l := range TableLines(rows) {
				fmt.Fprintf(w, "  %s\n", l)
			}
		}
	}
	fmt.Fprintln(w)
}
