package tracefile_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/golden"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/tracefile"
)

// saoTrace runs two Conceders on parleytest.TwoIssue and writes its trace.
func saoTrace(t testing.TB) []byte {
	space, profiles := parleytest.TwoIssue()
	names := []string{"buyer", "seller"}
	setup := &tracefile.Setup{Scenario: "two-issue", Protocol: tracefile.ProtocolSAO, Parties: names,
		Agents: map[string]string{"buyer": "conceder", "seller": "conceder"}, Seed: 3, Deadline: 4, Timing: "steps"}
	var b bytes.Buffer
	w := tracefile.NewWriter(&b, space, setup)
	m, err := sao.New(profiles, names, sao.Options{Deadline: 4, Trace: func(e parley.Event) { w.Event(tracefile.Entry{Stage: -1, Event: e}) }})
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), []parley.Negotiator{&parleytest.Conceder{}, &parleytest.Conceder{}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	run := &tracefile.Run{Schema: tracefile.SchemaRun, Setup: *setup, Reason: res.Reason.String(), Rounds: res.Rounds, Steps: res.Steps,
		Time: res.Time, Agreement: tracefile.Outcome(space, res.Agreement), MetricsParties: names}
	if err := w.Result(run); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// stagedTrace writes the trace of a made-up staged run: two rounds of
// direct talks between A and B, then a mediated stage where C mediates.
func stagedTrace(t testing.TB) []byte {
	space, _ := parleytest.TwoIssue()
	setup := &tracefile.Setup{Scenario: "made-up", Protocol: tracefile.ProtocolStaged, Parties: []string{"A", "B", "C"},
		Agents: map[string]string{"A": "boulware", "B": "conceder", "C": "boulware"}, Voters: map[string]string{"A": "reservation", "B": "reservation", "C": "reservation"},
		Mediator: "nash", Seed: 1, Deadline: 4, Timing: "steps", Stages: []tracefile.Stage{
			tracefile.StageOf([]string{"A", "B", "C"}, space, &parley.Stage{Name: "direct", Mechanism: parley.MechanismAlternatingOffers, Participants: []int{0, 1},
				Mediator: -1, Rounds: 2, Transition: parley.Transition{Kind: parley.TransitionStall, K: 1}, Carry: parley.CarryBestAcceptable, OnWalkAwayNext: 0.5}, 1),
			tracefile.StageOf([]string{"A", "B", "C"}, space, &parley.Stage{Name: "mediated", Mechanism: parley.MechanismMediated, Participants: []int{0, 1},
				Mediator: 2, Rounds: 2, RoundCost: 2, Start: parley.Start{Kind: parley.StartReference, Reference: "deal"}, Reference: 3,
				Rule: parley.RuleMajority, Info: parley.InfoDeclared, Noise: 0.1, NoFinalVote: true}, 3),
		}}
	var b bytes.Buffer
	w := tracefile.NewWriter(&b, space, setup)
	for _, e := range []tracefile.Entry{
		{Stage: 0, Event: parley.Event{Step: 0, Round: 0, Time: 0, Party: 0, Action: parley.Offer, Outcome: 1}},
		{Stage: 0, Event: parley.Event{Step: 1, Round: 0, Time: 0.25, Party: 1, Action: parley.Offer, Outcome: 4}},
		{Stage: 0, Event: parley.Event{Step: 2, Round: 1, Time: 0.5, Party: 0, Action: parley.End, Outcome: parley.NoOutcome}},
		{Stage: 1, Offset: 2, Event: parley.Event{Round: 0, Time: 0.75, Party: -1, Action: parley.Offer, Outcome: 3}},
		{Stage: 1, Offset: 2, Event: parley.Event{Round: 0, Time: 0.75, Party: 0, Action: parley.Accept, Outcome: 3}},
		{Stage: 1, Offset: 2, Event: parley.Event{Round: 0, Time: 0.75, Party: 1, Action: parley.Reject, Outcome: 3}},
	} {
		w.Event(e)
	}
	if err := w.Result(&tracefile.Run{Schema: tracefile.SchemaRun, Setup: *setup, Reason: "deadline", Stage: "mediated", StageRound: 2, Rounds: 4}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWriter(t *testing.T) {
	golden.Check(t, "sao", saoTrace(t))
	golden.Check(t, "staged", stagedTrace(t))
}

func TestReadRoundTrip(t *testing.T) {
	for _, data := range [][]byte{saoTrace(t), stagedTrace(t)} {
		h, events, run, err := tracefile.Read(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(h.Setup, run.Setup) || h.Issues[0] != "price" {
			t.Errorf("header %+v does not match the result's setup %+v", h.Setup, run.Setup)
		}
		if n := strings.Count(string(data), `"type":"event"`); len(events) != n || n == 0 {
			t.Errorf("read %d events of %d", len(events), n)
		}
		if h.Protocol == tracefile.ProtocolStaged && (events[3].Party != "C" || events[3].Stage != "mediated" || events[3].Round != 3 || events[3].Step != 0) {
			t.Errorf("the mediator's proposal: %+v, want party C in stage mediated, round 3, no step", events[3])
		}
	}
}

func TestReadErrors(t *testing.T) {
	good := string(saoTrace(t))
	lines := strings.SplitAfter(good, "\n")
	header, event, result := lines[0], lines[1], lines[len(lines)-2]
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "no header"},
		{"not JSON", "{x\n", "line 1"},
		{"event first", event, `line 1: a "event" line before the header`},
		{"bad schema", strings.Replace(header, "parley.trace/3", "parley.trace/9", 1), `line 1: schema "parley.trace/9"`},
		{"cut short", header + event, "no result line"},
		{"after result", header + result + event, "line 3: a line after the result"},
		{"unknown type", header + `{"type":"note"}` + "\n", `line 2: type "note"`},
		{"bad event", header + `{"type":"event","round":"x"}` + "\n", "line 2"},
		{"too long", header + `{"type":"event","party":"` + strings.Repeat("x", tracefile.MaxLine) + "\"}\n", "too long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := tracefile.Read(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"sao", "staged"} {
		b, err := os.ReadFile(filepath.Join("testdata", name+".golden"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, events, run, err := tracefile.Read(bytes.NewReader(data))
		if err == nil && (h == nil || run == nil || len(events) > bytes.Count(data, []byte("\n"))+1) {
			t.Fatalf("Read accepted %q but returned header %v, %d events, result %v", data, h, len(events), run)
		}
	})
}
