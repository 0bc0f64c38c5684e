package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
)

func newConceder() parley.Negotiator { return &parleytest.Conceder{} }

// runWith runs the command in-process with options.
func runWith(t *testing.T, opts []Option, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := Run(context.Background(), args, &out, &errb, opts...)
	return out.String() + errb.String(), err
}

func TestOptionErrors(t *testing.T) {
	voter := func() mediated.Voter { return nil }
	for _, tc := range []struct {
		name string
		opts []Option
		want string
	}{
		{"empty", []Option{WithNegotiator("", "x", newConceder)}, `strategy "": want a lower-case name`},
		{"upper case", []Option{WithNegotiator("Mine", "x", newConceder)}, `strategy "Mine": want a lower-case name`},
		{"spec syntax", []Option{WithNegotiator("a:b", "x", newConceder)}, `strategy "a:b": want a lower-case name`},
		{"built-in", []Option{WithNegotiator("boulware", "x", newConceder)}, `strategy "boulware": name taken by "boulware"`},
		{"alias", []Option{WithNegotiator("tft", "x", newConceder)}, `strategy "tft": name taken`},
		{"twice", []Option{WithNegotiator("mine", "x", newConceder), WithNegotiator("mine", "x", newConceder)}, `strategy "mine": name taken by "mine"`},
		{"no doc", []Option{WithNegotiator("mine", "", newConceder)}, `strategy "mine": no doc`},
		{"nil", []Option{WithNegotiator("mine", "x", nil)}, `strategy "mine": no New`},
		{"built-in mediator", []Option{WithMediator("nash", "x", func() mediated.Mediator { return nil })}, `mediator "nash": name taken`},
		{"built-in voter", []Option{WithVoter("annealer", "x", voter)}, `voter "annealer": name taken`},
		{"bad parameter", []Option{WithNegotiatorEntry(spec.Entry[strategy.Factory]{Name: "mine", Doc: "x", Params: []spec.Param{spec.Float("e", 5, 0, 1, "e")},
			New: func(spec.Values) (strategy.Factory, error) { return newConceder, nil }})}, `strategy "mine"`},
		{"zero", []Option{{}}, "zero Option"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runWith(t, tc.opts, "agents")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestWithNegotiator: a registered negotiator is listed by agents, plays
// in run, tournament and replay, and its spec takes no parameters.
func TestWithNegotiator(t *testing.T) {
	var made atomic.Int64
	opts := []Option{WithNegotiator("mine", "a test conceder", func() parley.Negotiator { made.Add(1); return newConceder() })}
	out, err := runWith(t, opts, "agents", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var list render.AgentsJSON
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if last := list.Negotiators[len(list.Negotiators)-1]; last.Name != "mine" || last.Summary != "a test conceder" {
		t.Errorf("agents --json: last negotiator %+v, want mine", last)
	}
	market := filepath.Join("testdata", "tournament", "market.yaml")
	if out, err = runWith(t, opts, "run", market, "--agents", "mine,boulware"); err != nil || !strings.Contains(out, "buyer   mine") {
		t.Fatalf("run with mine: %v\n%s", err, out)
	}
	if made.Load() == 0 {
		t.Error("run did not construct the registered negotiator")
	}
	if _, err = runWith(t, nil, "run", market, "--agents", "mine,boulware"); err == nil || !strings.Contains(err.Error(), `unknown strategy "mine"`) {
		t.Errorf("run without the option: %v, want unknown strategy", err)
	}
	if _, err = runWith(t, opts, "run", market, "--agents", "mine:e=2,boulware"); err == nil || !strings.Contains(err.Error(), `strategy "mine:e=2": unknown parameter "e" (want none)`) {
		t.Errorf("mine:e=2: %v, want an unknown parameter", err)
	}
	if _, err = runWith(t, opts, "run", market, "--agents", "nobody,boulware"); err == nil || !strings.Contains(err.Error(), "agentgg, mine)") {
		t.Errorf("unknown name: %v, want the registered names listed", err)
	}
	db := filepath.Join(t.TempDir(), "r.db")
	if out, err = runWith(t, opts, "tournament", "--agents", "mine,boulware", "--scenarios", market, "--db", db, "-q"); err != nil {
		t.Fatalf("tournament: %v\n%s", err, out)
	}
	if out, err = runWith(t, opts, "report", db); err != nil || !strings.Contains(out, "mine") {
		t.Fatalf("report: %v\n%s", err, out)
	}
	if out, err = runWith(t, opts, "replay", db, "1"); err != nil || !strings.Contains(out, "mine") {
		t.Fatalf("replay: %v\n%s", err, out)
	}
	if _, err = runWith(t, nil, "replay", db, "1"); err == nil || !strings.Contains(err.Error(), `"mine"`) {
		t.Errorf("replay without the option: %v, want an unknown agent", err)
	}
	before := made.Load()
	if out, err = runWith(t, opts, "bench", market, "--agents", "mine,boulware", "--duration", "10ms", "-q", "--json"); err != nil {
		t.Fatalf("bench: %v\n%s", err, out)
	}
	if out, err = runWith(t, opts, "experiment", "sequencing", "ceasefire", "--negotiators", "mine", "--runs", "2", "--json"); err != nil || !strings.Contains(out, `"mine"`) {
		t.Fatalf("experiment: %v\n%s", err, out)
	}
	if made.Load() == before {
		t.Error("bench and experiment did not construct the registered negotiator")
	}
	// A worker rebuilds the tournament's agents from their specs.
	p, err := newProgram(opts)
	if err != nil {
		t.Fatal(err)
	}
	if f, err := p.resolver(nil).Agent("mine"); err != nil || f == nil {
		t.Errorf("worker resolver: %v", err)
	}
}

// TestWithMediatorAndVoter: registered mediators and voters seat in a
// mediated run.
func TestWithMediatorAndVoter(t *testing.T) {
	nash, err := mediator.ParseMediator("nash")
	if err != nil {
		t.Fatal(err)
	}
	annealer, err := mediator.ParseVoter("annealer")
	if err != nil {
		t.Fatal(err)
	}
	var meds, vots atomic.Int64
	opts := []Option{
		WithMediator("mymed", "nash, counted", func() mediated.Mediator { meds.Add(1); return nash() }),
		WithVoter("myvoter", "annealer, counted", func() mediated.Voter { vots.Add(1); return annealer() }),
	}
	args := []string{"run", "ceasefire", "--variant", "mediated_from_start"}
	got, err := runWith(t, opts, append(args, "--voters", "myvoter", "--mediator", "mymed")...)
	if err != nil {
		t.Fatalf("%v\n%s", err, got)
	}
	if meds.Load() == 0 || vots.Load() == 0 {
		t.Errorf("constructed %d mediators and %d voters, want some of each", meds.Load(), vots.Load())
	}
	want, err := runWith(t, nil, append(args, "--voters", "annealer", "--mediator", "nash")...)
	if err != nil {
		t.Fatal(err)
	}
	r := strings.NewReplacer("mymed", "nash", "myvoter", "annealer")
	// The names differ in length, so compare words, not columns.
	if strings.Join(strings.Fields(r.Replace(got)), " ") != strings.Join(strings.Fields(want), " ") {
		t.Errorf("the registered copies ran differently from nash and annealer:\n%s\nwant\n%s", got, want)
	}
}

// TestWithNegotiatorEntry: a registered negotiator with a parameter reads
// it from its spec, with its default, and rejects a bad value.
func TestWithNegotiatorEntry(t *testing.T) {
	var got []float64
	e := spec.Entry[strategy.Factory]{Name: "mine", Doc: "a conceder with an exponent", Params: []spec.Param{spec.Float("e", 1, 0, 10, "exponent")},
		New: func(v spec.Values) (strategy.Factory, error) {
			got = append(got, v.Float("e"))
			return newConceder, nil
		}}
	opts := []Option{WithNegotiatorEntry(e)}
	market := filepath.Join("testdata", "tournament", "market.yaml")
	for _, agents := range []string{"mine:e=2.5,boulware", "mine,boulware"} {
		if out, err := runWith(t, opts, "run", market, "--agents", agents); err != nil {
			t.Fatalf("%s: %v\n%s", agents, err, out)
		}
	}
	if len(got) != 2 || got[0] != 2.5 || got[1] != 1 {
		t.Errorf("built with e = %v, want [2.5 1]", got)
	}
	if _, err := runWith(t, opts, "run", market, "--agents", "mine:e=11,boulware"); err == nil || !strings.Contains(err.Error(), `parameter "e"`) {
		t.Errorf("e=11: %v, want an out-of-range parameter", err)
	}
	out, err := runWith(t, opts, "agents")
	if err != nil || !strings.Contains(out, "mine\n    a conceder with an exponent") {
		t.Errorf("agents: %v\n%s", err, out)
	}
}
