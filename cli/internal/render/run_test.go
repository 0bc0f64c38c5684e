package render_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/session"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
)

// TestRun prints a run as JSON, as a summary, and under its scenario's
// question in short or in full.
func TestRun(t *testing.T) {
	s, err := catalog.Open("ceasefire", catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Protocol == nil || s.Protocol.Question == "" {
		t.Skip("SKIPPING: the built-in ceasefire scenario asks no question")
	}
	negs, meds, vots := strategy.Negotiators(), mediator.Mediators(), mediator.Voters()
	res := session.Resolver{
		Negotiator: func(x string) (func() parley.Negotiator, error) { return negs.Parse(x) },
		Voter:      func(x string) (func() mediated.Voter, error) { f, err := vots.Parse(x); return f, err },
		Mediator: func(x string) (func() mediated.Mediator, error) {
			if x == "" {
				x = "hillclimb"
			}
			f, err := meds.Parse(x)
			return f, err
		},
	}
	run := func(o session.Options) *session.Outcome {
		o.Agents = []string{"boulware", "conceder"}
		r, err := session.Run(context.Background(), s, o, res)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	sao, staged := run(session.Options{Protocol: session.ProtocolSAO, Deadline: 20}), run(session.Options{})
	print := func(r *session.Outcome, asJSON, full bool) (string, bool) {
		var b bytes.Buffer
		q, err := render.Run(&b, s, r, asJSON, 6, full)
		if err != nil {
			t.Fatal(err)
		}
		return b.String(), q
	}
	var summary, brief, jsonOut bytes.Buffer
	render.Summary(&summary, s, sao.Run, sao.Events, 6)
	if got, q := print(sao, false, false); got != summary.String() || q {
		t.Errorf("alternating offers: got question %v and\n%s\nwant the summary\n%s", q, got, summary.String())
	}
	if err := render.JSON(&jsonOut, staged.Run); err != nil {
		t.Fatal(err)
	}
	if got, q := print(staged, true, false); got != jsonOut.String() || q {
		t.Errorf("--json: got question %v and %.80q..., want the JSON", q, got)
	}
	render.Brief(&brief, s, staged.Run, staged.Events)
	got, q := print(staged, false, false)
	if !q || !strings.HasPrefix(got, "Question: ") || !strings.HasSuffix(got, "\n\n"+brief.String()) {
		t.Errorf("question: got question %v and\n%s\nwant the question, then the brief account", q, got)
	}
	summary.Reset()
	render.Summary(&summary, s, staged.Run, staged.Events, 6)
	if got, q := print(staged, false, true); !q || !strings.HasSuffix(got, "\n\n"+summary.String()) {
		t.Errorf("question, full: got question %v and\n%s\nwant the question, then the summary", q, got)
	}
}
