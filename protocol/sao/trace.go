package sao

import (
	"bufio"
	"encoding/json"
	"io"

	"github.com/parley-dev/parley"
)

// TraceLine is one line of a JSON-lines trace.
type TraceLine struct {
	Step    int               `json:"step"`
	Round   int               `json:"round"`
	Time    float64           `json:"time"`
	Party   string            `json:"party"`
	Action  string            `json:"action"`
	Outcome map[string]string `json:"outcome,omitempty"`
}

// JSONTrace writes a negotiation's events as JSON lines (one object per
// action: step, round, time, party, action, outcome). Use its Event method
// as Options.Trace and call Flush at the end. The same run gives the same
// bytes. Events of party -1 (a mediator, in mediated protocols) are
// written as party "mediator".
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
	l := TraceLine{Step: e.Step, Round: e.Round, Time: e.Time, Action: e.Action.String(), Party: party}
	if e.Outcome != parley.NoOutcome {
		l.Outcome = t.space.Named(e.Outcome)
	}
	t.err = t.enc.Encode(&l)
}

// Flush writes buffered lines and returns the first error met.
func (t *JSONTrace) Flush() error {
	if t.err != nil {
		return t.err
	}
	return t.w.Flush()
}
