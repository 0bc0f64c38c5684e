package session_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/staged"
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

// TestStagedTraceRoundTrip: the header of a staged run's trace says
// exactly what ran. For each of the ceasefire's variants, its stages read
// back (tracefile.Stage.Parley) as the plan that ran, and running that
// plan again, with the seats and seed the header names, writes the same
// trace bytes.
func TestStagedTraceRoundTrip(t *testing.T) {
	s := open(t, "ceasefire")
	r := resolver()
	for _, variant := range append([]string{""}, plan.Variants(s)...) {
		t.Run(variant, func(t *testing.T) {
			var first bytes.Buffer
			o := session.Options{Agents: []string{"boulware", "conceder"}, Variant: variant, Seed: 5,
				OpenTrace: func() (io.Writer, error) { return &first, nil }}
			out, err := session.Run(context.Background(), s, o, r)
			if err != nil {
				t.Fatal(err)
			}
			h, _, _, err := tracefile.Read(bytes.NewReader(first.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			var pl staged.Plan
			for k := range h.Stages {
				st, err := h.Stages[k].Parley(h.Parties, s.Space)
				if err != nil {
					t.Fatal(err)
				}
				ran := out.Plan.Stages[k]
				ran.RoundCost = max(ran.RoundCost, 1) // 0 means 1
				if !reflect.DeepEqual(st, ran) {
					t.Errorf("stage %d reads back as\n%+v, want\n%+v", k, st, ran)
				}
				pl.Stages = append(pl.Stages, st)
			}
			// Run the plan read back, with the header's seats.
			n := len(h.Parties)
			seats := staged.Seats{Negotiators: make([]parley.Negotiator, n), Voters: make([]mediated.Voter, n)}
			agents, voters := make([]string, n), make([]string, n)
			for i, p := range h.Parties {
				agents[i], voters[i] = h.Agents[p], h.Voters[p]
				nf, err := r.Negotiator(agents[i])
				if err != nil {
					t.Fatal(err)
				}
				vf, err := r.Voter(voters[i])
				if err != nil {
					t.Fatal(err)
				}
				seats.Negotiators[i], seats.Voters[i] = nf(), vf()
			}
			mf, err := r.Mediator(h.Mediator)
			if err != nil {
				t.Fatal(err)
			}
			seats.Mediator = mf()
			ready, err := s.Prepare()
			if err != nil {
				t.Fatal(err)
			}
			var again bytes.Buffer
			j := tracefile.NewStagedRun(s, pl, h.Variant, agents, voters, h.Mediator, h.Seed)
			w := tracefile.NewWriter(&again, s.Space, &j.Setup)
			rc := tracefile.NewRecorder(w)
			pl.StageStart, pl.Trace = rc.Start, rc.Stage
			res, err := staged.Run(context.Background(), ready.Profiles(), ready.Names(), pl, seats, h.Seed)
			if err != nil {
				t.Fatal(err)
			}
			j.SetStagedOutcome(s, ready.Space(), ready.Profiles(), pl, res, res.Rounds-rc.Offsets[res.Stage])
			if err := w.Result(j); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first.Bytes(), again.Bytes()) {
				t.Errorf("the plan read back from the trace wrote another trace:\n%s\nthen\n%s", first.String(), again.String())
			}
		})
	}
}
