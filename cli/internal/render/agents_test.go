package render_test

import (
	"bytes"
	"encoding/json"
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
	var text bytes.Buffer
	render.Agents(&text, j)
	golden.Check(t, "agents", text.Bytes())
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "agents-json", append(b, '\n'))
}
