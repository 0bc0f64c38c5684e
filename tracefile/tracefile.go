// Package tracefile is the JSON form of one negotiation: what ran (Setup),
// how it ended (Run, the document 'parley run --json' prints) and its
// trace file, JSON lines of a Header, one Event per action and a Result.
// One Writer writes the traces of every protocol: alternating offers,
// mediated and staged runs, whose events carry their stage. docs/cli.md
// documents the schemas (parley.run/3, parley.trace/3).
package tracefile

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
)

// Schema names of the documents.
const (
	SchemaRun   = "parley.run/3"
	SchemaTrace = "parley.trace/3"
)

// Protocol names of Setup.Protocol.
const (
	ProtocolSAO      = "sao"      // alternating offers
	ProtocolStaged   = "staged"   // a scenario's declared stages
	ProtocolMediated = "mediated" // single-text mediation alone (a tournament's)
)

// Setup is what ran: the part of a Run that a trace's Header repeats, so
// that a trace file stands alone.
type Setup struct {
	Scenario string `json:"scenario"`
	// Protocol is "sao" (alternating offers), "staged" (the scenario's
	// declared stages) or "mediated" (single-text mediation among all the
	// parties, as a mediated tournament runs it: one mediated stage named
	// MediatedStage); Variant the --variant that chose the stages
	// (omitted: the declared stages in order).
	Protocol string            `json:"protocol"`
	Variant  string            `json:"variant,omitempty"`
	Parties  []string          `json:"parties"`
	Agents   map[string]string `json:"agents"`
	// Voters are the voter strategies of mediated stages; Mediator is the
	// strategy spec of the mediator that ran (a --mediator given, else the
	// scenario's mediator_policy or its default, plan.MediatorPolicy; the
	// mediating party, if any, is Stages[k].MediatingParty); Stages are
	// the stages as they ran, every setting of each (Stage).
	Voters   map[string]string `json:"voters,omitempty"`
	Mediator string            `json:"mediator,omitempty"`
	Stages   []Stage           `json:"stages,omitempty"`
	Seed     uint64            `json:"seed"`
	Deadline int               `json:"deadline"`
	Timing   string            `json:"timing"`
}

// Stage describes one stage of a staged protocol as it ran: every
// setting of the parley.Stage that ran it (StageOf builds one from it,
// Parley reads one back), in the words of a scenario file's stages, with
// its parties by name and its place on the run's global clock. Settings
// that only a mediated stage has (Rule, Info, Noise, FinalVote) are set
// for mediated stages, and written even where they hold the default,
// and omitted for alternating-offers stages.
type Stage struct {
	Name         string           `json:"name"`
	Mechanism    parley.Mechanism `json:"mechanism"`
	Participants []string         `json:"participants"`
	Rounds       int              `json:"rounds"`
	// FirstRound is the stage's first round on the global clock, from 1.
	FirstRound int `json:"first_round"`
	// RoundCost is how many units of the plan's clock a round takes (at
	// least 1).
	RoundCost      int               `json:"round_cost"`
	Transition     parley.Transition `json:"transition"`
	Carry          parley.Carry      `json:"carry"`
	OnWalkAwayNext float64           `json:"on_walk_away_next"`
	// Start is how the stage opened; for a reference start, Reference is
	// the reference's outcome, issue -> value as Outcome writes it.
	Start     parley.Start   `json:"start"`
	Reference map[string]any `json:"reference,omitempty"`
	// MediatingParty is the party that mediates a mediated stage (omitted
	// for a mediator without interests of its own, whose strategy is
	// Setup.Mediator).
	MediatingParty string       `json:"mediating_party,omitempty"`
	Rule           *parley.Rule `json:"rule,omitempty"`
	Info           *parley.Info `json:"info,omitempty"`
	Noise          *float64     `json:"noise,omitempty"`
	FinalVote      *bool        `json:"final_vote,omitempty"`
}

// Run is how a negotiation went (schema parley.run/3): the --json output
// of 'parley run' and the result line of its trace. Per-party values are
// objects keyed by party name; rounds count from 1.
type Run struct {
	Schema string `json:"schema"`
	Setup

	// Reason is why the negotiation ended (parley.Reason names).
	Reason string `json:"reason"`
	// Stage is the stage in which a staged run ended and StageRound the
	// round within it; Rounds is the global round in which the run ended,
	// from 1.
	Stage      string  `json:"stage,omitempty"`
	StageRound int     `json:"stage_round,omitempty"`
	Rounds     int     `json:"rounds"`
	Steps      int     `json:"steps"`
	Time       float64 `json:"time"`
	// Agreement is the agreed outcome (also the signed one when Reason is
	// ratification_failed), issue -> value (numbers for numeric issues);
	// null without one.
	Agreement map[string]any `json:"agreement"`
	Ratified  *bool          `json:"ratified,omitempty"`

	Utilities           map[string]float64 `json:"utilities"`
	DiscountedUtilities map[string]float64 `json:"discounted_utilities"`
	Reservation         map[string]float64 `json:"reservation"`
	Advantage           map[string]float64 `json:"advantage"`

	AcceptedBy   *string  `json:"accepted_by"`
	EndedBy      *string  `json:"ended_by"`
	Error        string   `json:"error,omitempty"`
	LockedIssues []string `json:"locked_issues,omitempty"`

	Metrics        *analysis.Metrics `json:"metrics"`
	MetricsParties []string          `json:"metrics_parties"`
	AnalysisError  string            `json:"analysis_error,omitempty"`
}

// Header is the first line of a trace file: what ran.
type Header struct {
	Schema string `json:"schema"`
	Type   string `json:"type"` // "header"
	Setup
	Issues []string `json:"issues"`
}

// Event is one action of a trace. Round counts from 1 on the run's global
// clock. Step (the turn, from 1) is set in alternating-offers runs; Stage
// and StageRound (from 1 within the stage) in staged ones. Action is the
// parley.ActionKind's name; Outcome is issue -> value, a number for
// integer and real issues, omitted without one.
type Event struct {
	Type       string         `json:"type"` // "event"
	Stage      string         `json:"stage,omitempty"`
	StageRound int            `json:"stage_round,omitempty"`
	Step       int            `json:"step,omitempty"`
	Round      int            `json:"round"`
	Time       float64        `json:"time"`
	Party      string         `json:"party"`
	Action     string         `json:"action"`
	Outcome    map[string]any `json:"outcome,omitempty"`
}

// Result is the last line of a trace file: the Run, with "type": "result".
type Result struct {
	Type string `json:"type"` // "result"
	*Run
}

// Entry is an event of a run as a mechanism reports it, with its stage
// (an index of Setup.Stages; -1 in a run without stages) and the global
// rounds before that stage began.
type Entry struct {
	Stage, Offset int
	parley.Event
}

// PartyName names the party of an entry: in a stage, its participant
// (Entry.Party is stage-local) or, for -1, the stage's mediating party;
// "mediator" for a mediator that is no party.
func (s *Setup) PartyName(e Entry) string {
	if e.Stage < 0 || e.Stage >= len(s.Stages) {
		if e.Party >= 0 && e.Party < len(s.Parties) {
			return s.Parties[e.Party]
		}
		return "mediator"
	}
	st := &s.Stages[e.Stage]
	if e.Party < 0 {
		if st.MediatingParty != "" {
			return st.MediatingParty
		}
		return "mediator"
	}
	if e.Party < len(st.Participants) {
		return st.Participants[e.Party]
	}
	return strconv.Itoa(e.Party)
}

// Outcome returns o as issue name -> value (a number for integer and real
// issues, the value's name for discrete ones), or nil for NoOutcome.
func Outcome(space *parley.OutcomeSpace, o parley.Outcome) map[string]any {
	if !space.Valid(o) {
		return nil
	}
	m := make(map[string]any, len(space.Issues))
	for i := range space.Issues {
		is := &space.Issues[i]
		if k := space.ValueIndex(o, i); is.Kind == parley.Discrete {
			m[is.Name] = is.Value(k)
		} else {
			m[is.Name] = is.Number(k)
		}
	}
	return m
}

// Writer writes a trace file: NewWriter writes the header, Event one line
// per action, Result the last line. The same run gives the same bytes. The
// first error sticks: Result returns it.
type Writer struct {
	w     *bufio.Writer
	enc   *json.Encoder
	space *parley.OutcomeSpace
	setup *Setup
	err   error
}

// NewWriter writes the header of a run of setup over space to w and
// returns the writer of its other lines. The writer keeps setup and space:
// neither may change until Result.
func NewWriter(w io.Writer, space *parley.OutcomeSpace, setup *Setup) *Writer {
	bw := bufio.NewWriter(w)
	t := &Writer{w: bw, enc: json.NewEncoder(bw), space: space, setup: setup}
	h := Header{Schema: SchemaTrace, Type: "header", Setup: *setup}
	for i := range space.Issues {
		h.Issues = append(h.Issues, space.Issues[i].Name)
	}
	t.err = t.enc.Encode(&h)
	return t
}

// Event writes one action.
func (t *Writer) Event(e Entry) {
	if t.err != nil {
		return
	}
	l := Event{Type: "event", Round: e.Offset + e.Round + 1, Time: e.Time, Party: t.setup.PartyName(e), Action: e.Action.String(),
		Outcome: Outcome(t.space, e.Outcome)}
	if e.Stage >= 0 && e.Stage < len(t.setup.Stages) {
		l.Stage, l.StageRound = t.setup.Stages[e.Stage].Name, e.Round+1
	} else {
		l.Step = e.Step + 1
	}
	t.err = t.enc.Encode(&l)
}

// Result writes the result line and flushes; it returns the first error
// met writing the trace.
func (t *Writer) Result(r *Run) error {
	if t.err == nil {
		t.err = t.enc.Encode(Result{Type: "result", Run: r})
	}
	if t.err == nil {
		t.err = t.w.Flush()
	}
	return t.err
}

// Write writes the whole trace of a finished run j over space to w: its
// header, its events in order and its result line, as a Writer does.
func Write(w io.Writer, space *parley.OutcomeSpace, j *Run, events []Entry) error {
	t := NewWriter(w, space, &j.Setup)
	for _, e := range events {
		t.Event(e)
	}
	return t.Result(j)
}

// MaxLine is the longest line Read accepts, in bytes.
const MaxLine = 1 << 20

// Read reads a trace file: its header, its events and its result. It
// checks the schema and the order of the lines (a header, events, a
// result) and names the line of any error.
func Read(r io.Reader) (*Header, []Event, *Run, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	var (
		h      *Header
		events []Event
		run    *Run
	)
	for n := 1; sc.Scan(); n++ {
		var kind struct {
			Type string `json:"type"`
		}
		line := sc.Bytes()
		if err := json.Unmarshal(line, &kind); err != nil {
			return nil, nil, nil, fmt.Errorf("tracefile: line %d: %w", n, err)
		}
		var err error
		switch {
		case run != nil:
			err = errors.New("a line after the result")
		case kind.Type == "header" && h == nil && n == 1:
			h = new(Header)
			if err = json.Unmarshal(line, h); err == nil && h.Schema != SchemaTrace {
				err = fmt.Errorf("schema %q, want %q", h.Schema, SchemaTrace)
			}
		case h == nil:
			err = fmt.Errorf("a %q line before the header", kind.Type)
		case kind.Type == "event":
			var e Event
			err = json.Unmarshal(line, &e)
			events = append(events, e)
		case kind.Type == "result":
			run = new(Run)
			err = json.Unmarshal(line, run)
		default:
			err = fmt.Errorf("type %q: want header, event or result", kind.Type)
		}
		if err != nil {
			return nil, nil, nil, fmt.Errorf("tracefile: line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, nil, fmt.Errorf("tracefile: %w", err)
	}
	if h == nil {
		return nil, nil, nil, errors.New("tracefile: no header")
	}
	if run == nil {
		return nil, nil, nil, errors.New("tracefile: no result line (a trace cut short?)")
	}
	return h, events, run, nil
}
