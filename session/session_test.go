package session_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/session"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
	"github.com/parley-dev/parley/tracefile"
)

// resolver resolves the built-in agents.
func resolver() session.Resolver {
	negs, meds, vots := strategy.Negotiators(), mediator.Mediators(), mediator.Voters()
	return session.Resolver{
		Negotiator: func(s string) (func() parley.Negotiator, error) { return negs.Parse(s) },
		Voter: func(s string) (func() mediated.Voter, error) {
			f, err := vots.Parse(s)
			return f, err
		},
		Mediator: func(s string) (func() mediated.Mediator, error) {
			if s == "" {
				s = "hillclimb"
			}
			f, err := meds.Parse(s)
			return f, err
		},
		AsDesigned: mediator.AsDesigned,
	}
}

func open(t *testing.T, name string) *scenario.Scenario {
	t.Helper()
	s, err := catalog.Open(name, catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// given reports the flags as given.
func given(flags ...string) func(string) bool {
	return func(f string) bool { return slices.Contains(flags, f) }
}

// TestOptionErrors checks that options that do not fit the scenario are
// *OptionError naming the option, before anything runs.
func TestOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		o    session.Options
		want string
	}{
		{"no agents", session.Options{}, "no agents given"},
		{"too many agents", session.Options{Agents: []string{"boulware", "conceder", "linear", "tft"}}, "4 agents for 3 parties"},
		{"unknown agent", session.Options{Agents: []string{"nobody"}}, "nobody"},
		{"deadline on staged", session.Options{Agents: []string{"boulware"}, Deadline: 5, Given: given("deadline")},
			"run: --deadline applies to plain alternating offers"},
		{"voters on sao", session.Options{Agents: []string{"boulware"}, Protocol: session.ProtocolSAO, Voters: []string{"reservation"}, Given: given("voters")},
			"run: --voters goes with the scenario's declared protocol, not --protocol sao"},
		{"zero deadline given", session.Options{Agents: []string{"boulware"}, Protocol: session.ProtocolSAO, Given: given("deadline")},
			"run: --deadline 0: want at least 1 round (leave it out for the scenario's deadline)"},
		{"bad protocol", session.Options{Agents: []string{"boulware"}, Protocol: "chess"}, `run: --protocol "chess": want auto, sao or staged`},
		{"bad timing", session.Options{Agents: []string{"boulware"}, Protocol: session.ProtocolSAO, Timing: "slow"}, `run: --timing "slow": want steps or genius`},
		{"unknown variant", session.Options{Agents: []string{"boulware"}, Variant: "nowhere"}, "variants:"},
		{"too many voters", session.Options{Agents: []string{"boulware"}, Voters: []string{"reservation", "reservation", "reservation", "reservation"}},
			"run: 4 voters for 3 parties"},
	}
	s := open(t, "ceasefire")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opened := false
			tt.o.OpenTrace = func() (io.Writer, error) { opened = true; return io.Discard, nil }
			_, err := session.Run(context.Background(), s, tt.o, resolver())
			var oe *session.OptionError
			if !errors.As(err, &oe) {
				t.Fatalf("got %v, want an *OptionError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q, want it to contain %q", err, tt.want)
			}
			if opened {
				t.Error("the trace was opened before the options were checked")
			}
		})
	}
}

// TestRun runs both protocols twice with one seed: the same trace bytes,
// which read back as the returned run.
func TestRun(t *testing.T) {
	s := open(t, "ceasefire")
	for _, o := range []session.Options{
		{Agents: []string{"boulware", "conceder"}, Protocol: session.ProtocolSAO, Deadline: 30, Seed: 7},
		{Agents: []string{"boulware", "conceder"}, Seed: 7},
	} {
		t.Run(o.Protocol, func(t *testing.T) {
			var traces [2]bytes.Buffer
			var outs [2]*session.Outcome
			for i := range traces {
				o.OpenTrace = func() (io.Writer, error) { return &traces[i], nil }
				out, err := session.Run(context.Background(), s, o, resolver())
				if err != nil {
					t.Fatal(err)
				}
				outs[i] = out
			}
			if !bytes.Equal(traces[0].Bytes(), traces[1].Bytes()) {
				t.Fatal("the same seed gave different traces")
			}
			_, events, run, err := tracefile.Read(&traces[0])
			if err != nil {
				t.Fatal(err)
			}
			out := outs[0]
			if len(events) != len(out.Events) || run.Reason != out.Run.Reason || run.Rounds != out.Run.Rounds || run.Protocol != out.Run.Protocol {
				t.Errorf("trace: %d events, result %q, protocol %q; outcome: %d events, result %q, protocol %q",
					len(events), run.Reason, run.Protocol, len(out.Events), out.Run.Reason, out.Run.Protocol)
			}
			if (out.Staged != nil) != (o.Protocol == "") {
				t.Errorf("staged result %v for protocol %q", out.Staged != nil, o.Protocol)
			}
			if err := out.Failure(); err != nil {
				t.Errorf("Failure: %v", err)
			}
		})
	}
}
