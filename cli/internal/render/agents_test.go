package render_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/internal/golden"
	"github.com/parley-dev/parley/spec"
)

// TestAgents lists a made-up registry with a parameter of every kind, as
// text and as JSON.
func TestAgents(t *testing.T) {
	newInt := func(spec.Values) (int, error) { return 0, nil }
	acs := spec.NewRegistry("acceptance condition", spec.Entry[int]{Name: "next", Doc: "accept what beats my next offer", New: newInt})
	r := spec.NewRegistry("strategy",
		spec.Entry[int]{Name: "plain", Doc: "no parameters", New: newInt},
		spec.Entry[int]{Name: "full", Aliases: []string{"all", "every"}, Doc: "one parameter of each kind", New: newInt, Params: []spec.Param{
			spec.Float("e", 0.5, 0, 10, "concession exponent"),
			spec.Int("n", 3, 1, 9, "how many"),
			spec.Bool("guard", false, "guard the reservation value"),
			spec.Text("mode", "fast", "how to go", "fast", "slow"),
			spec.Nested("ac", "next", acs, "acceptance condition"),
			spec.Text("name", "", "who").Require(),
		}})
	j := &render.AgentsJSON{Schema: render.SchemaAgents, Negotiators: render.AgentInfos(r), Mediators: render.AgentInfos(r)[:1],
		Components: render.Components{AC: render.AgentInfos(acs)}}
	var text, js bytes.Buffer
	if err := render.Agents(&text, j, false); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "agents", text.Bytes())
	if err := render.Agents(&js, j, true); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "agents-json", js.Bytes())
}

// TestNewAgentsJSON lists the three registries in their sections and the
// BOA components beside them.
func TestNewAgentsJSON(t *testing.T) {
	newInt := func(spec.Values) (int, error) { return 0, nil }
	reg := func(names ...string) *spec.Registry[int] {
		var es []spec.Entry[int]
		for _, n := range names {
			es = append(es, spec.Entry[int]{Name: n, Doc: n, New: newInt})
		}
		return spec.NewRegistry("x", es...)
	}
	j := render.NewAgentsJSON(reg("n1", "n2"), reg("m1"), reg("v1"))
	names := func(as []render.AgentInfo) (out []string) {
		for _, a := range as {
			out = append(out, a.Name)
		}
		return out
	}
	if j.Schema != render.SchemaAgents || !slices.Equal(names(j.Negotiators), []string{"n1", "n2"}) || !slices.Equal(names(j.Mediators), []string{"m1"}) ||
		!slices.Equal(names(j.Voters), []string{"v1"}) {
		t.Errorf("got %+v", j)
	}
	if !slices.Contains(names(j.Components.Bid), "timedep") || !slices.Contains(names(j.Components.OM), "frequency") || !slices.Contains(names(j.Components.AC), "next") {
		t.Errorf("components %v %v %v", names(j.Components.Bid), names(j.Components.OM), names(j.Components.AC))
	}
}
