package sao

import (
	"bufio"
	"encoding/json"
	"io"

	"github.com/parley-dev/parley"
)

// TraceLine is one event line of a JSON-lines trace. Step and Round count
// from 1, as every user-facing output counts them (parley.Event counts
// from 0): the last line's step is the result's Steps, its round the
// result's Rounds. Action is the parley.ActionKind's name; Outcome is
// issue -> value, a number for integer and real issues.
type TraceLine struct {
	Type    string         `json:"type"` // "event"
	Step    int            `json:"step"`
	Round   int            `json:"round"`
	Time    float64        `json:"time"`
	Party   string         `json:"party"`
	Action  string         `json:"action"`
	Outcome map[string]any `json:"outcome,omitempty"`
}

// JSONTrace writes a negotiation's events as JSON lines (one TraceLine per
// action). Use its Event method as Options.Trace and call Flush at the
// end. The same run gives the same bytes. Events of party -1 (a mediator,
// in mediated protocols) are written as party "mediator".
type JSONTrace struct {
	w     *bufio.Writer
	enc   *json.Encoder
	space *parley.OutcomeSpace
	names []string
	err   error
}

// NewJSONTrace returns a trace writer for the given space and party names.
func NewJSONTrace(w io.Writer, space *parley.OutcomeSpace, names []string) *JSONTrace {
	bw := bufio.NewWriter(w)
	return &JSONTrace{w: bw, enc: json.NewEncoder(bw), space: space, names: names}
}

// Event writes e as one line.
func (t *JSONTrace) Event(e parley.Event) {
	if t.err != nil {
		return
	}
	party := "mediator"
	if e.Party >= 0 && e.Party < len(t.names) {
		party = t.names[e.Party]
	}
	l := TraceLine{Type: "event", Step: e.Step + 1, Round: e.Round + 1, Time: e.Time, Action: e.Action.String(), Party: party,
		Outcome: valuesOf(t.space, e.Outcome)}
	t.err = t.enc.Encode(&l)
}

// valuesOf returns o as issue name -> value (a number for integer and real
// issues, the value's name otherwise), or nil for NoOutcome.
func valuesOf(space *parley.OutcomeSpace, o parley.Outcome) map[string]any {
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

// Flush writes buffered lines and returns the first error met.
func (t *JSONTrace) Flush() error {
	if t.err != nil {
		return t.err
	}
	return t.w.Flush()
}
