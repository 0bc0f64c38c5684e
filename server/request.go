package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"testing/fstest"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/scenario/genius"
	"github.com/parley-dev/parley/scenario/geniusweb"
)

// Seat kinds.
const (
	// SeatStrategy is a built-in strategy, given by its spec ("boulware").
	SeatStrategy = "strategy"
	// SeatRemote is a remote agent or a person, acting with the seat's token.
	SeatRemote = "remote"
)

// ProtocolSAO is the one protocol the server runs so far: stacked
// alternating offers (package protocol/sao).
const ProtocolSAO = "sao"

// Limits of a create request.
const (
	// MaxFiles bounds the files of an uploaded scenario.
	MaxFiles = 64
	// MaxCreateBody bounds the body of a create request: a scenario of
	// MaxFileSize in JSON string escapes, and the rest.
	MaxCreateBody = 2*scenario.MaxFileSize + 1<<16
	// MaxTableOutcomes bounds the outcome space of a negotiation with a
	// remote seat, which receives its utilities as a table.
	MaxTableOutcomes = 1 << 17
	// MaxDeadline bounds the rounds of a negotiation.
	MaxDeadline = 1 << 20
)

// CreateRequest is the body of POST /negotiations.
type CreateRequest struct {
	// Scenario is a built-in scenario's name; Files an uploaded one
	// (exactly one of the two).
	Scenario string `json:"scenario,omitempty"`
	// Files maps file names to their text: one Parley .yaml/.yml/.json
	// file, the .xml files of a GENIUS scenario (domain and profiles), or
	// the .json profiles of a GeniusWeb scenario.
	Files map[string]string `json:"files,omitempty"`
	// Protocol is "sao" (the default).
	Protocol string `json:"protocol,omitempty"`
	// Deadline is the rounds allowed (default: the scenario's, else 100).
	Deadline int `json:"deadline,omitempty"`
	// Seed fixes every random choice (default 1).
	Seed uint64 `json:"seed,omitempty"`
	// Seats are the parties' seats, in the scenario's party order.
	Seats []Seat `json:"seats"`
}

// Seat is one seat of a negotiation.
type Seat struct {
	Kind string `json:"kind"`           // SeatStrategy or SeatRemote
	Spec string `json:"spec,omitempty"` // SeatStrategy: the strategy spec
}

// decodeJSON decodes exactly one JSON value from r into v, refusing
// unknown fields and trailing data.
func decodeJSON(r io.Reader, v any) error {
	d := json.NewDecoder(r)
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return jsonError(err)
	}
	if d.More() {
		return errors.New("trailing data after the JSON value")
	}
	if _, err := d.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// jsonError words a decoding error with its place.
func jsonError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("invalid JSON at byte %d: %v", se.Offset, se)
	case errors.As(err, &te):
		return fmt.Errorf("field %q: want %s, got JSON %s (byte %d)", te.Field, te.Type, te.Value, te.Offset)
	case errors.Is(err, io.EOF):
		return errors.New("empty body (want a JSON object)")
	}
	return err
}

// validate checks the request's own fields; the seats are checked against
// the scenario when it is loaded.
func (r *CreateRequest) validate() error {
	switch {
	case r.Scenario == "" && len(r.Files) == 0:
		return errors.New("scenario: give a built-in scenario's name or files")
	case r.Scenario != "" && len(r.Files) > 0:
		return errors.New("scenario and files: give one, not both")
	case len(r.Files) > MaxFiles:
		return fmt.Errorf("files: %d files, at most %d", len(r.Files), MaxFiles)
	case r.Protocol != "" && r.Protocol != ProtocolSAO:
		return fmt.Errorf("protocol: %q is not served yet (want %s)", r.Protocol, ProtocolSAO)
	case r.Deadline < 0 || r.Deadline > MaxDeadline:
		return fmt.Errorf("deadline: %d rounds outside 1..%d (0: the scenario's)", r.Deadline, MaxDeadline)
	case len(r.Seats) == 0:
		return errors.New("seats: none given (one per party, in order)")
	}
	for i, s := range r.Seats {
		switch s.Kind {
		case SeatStrategy:
			if strings.TrimSpace(s.Spec) == "" {
				return fmt.Errorf("seats[%d]: a strategy seat needs a spec", i)
			}
		case SeatRemote:
			if s.Spec != "" {
				return fmt.Errorf("seats[%d]: a remote seat takes no spec", i)
			}
		default:
			return fmt.Errorf("seats[%d]: kind %q (want %s or %s)", i, s.Kind, SeatStrategy, SeatRemote)
		}
	}
	return nil
}

// loadScenario reads the request's scenario: a built-in one, or the
// uploaded files through the readers of package scenario.
func (r *CreateRequest) loadScenario() (*scenario.Scenario, error) {
	if r.Scenario != "" {
		return catalog.Builtin(r.Scenario)
	}
	fsys := fstest.MapFS{}
	exts := map[string]int{}
	var only string
	for name, text := range r.Files {
		if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
			return nil, fmt.Errorf("files: name %q: want a plain file name", name)
		}
		if len(text) > scenario.MaxFileSize {
			return nil, fmt.Errorf("files: %s: %d bytes, more than the limit of %d", name, len(text), scenario.MaxFileSize)
		}
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
		exts[strings.ToLower(path.Ext(name))]++
		only = name
	}
	switch {
	case len(r.Files) == 1:
		ext := strings.ToLower(path.Ext(only))
		switch ext {
		case ".yaml", ".yml":
			return scenario.Parse(only, []byte(r.Files[only]), "yaml")
		case ".json":
			return scenario.Parse(only, []byte(r.Files[only]), "json")
		}
		return nil, fmt.Errorf("files: %s: one file must be a Parley .yaml, .yml or .json scenario", only)
	case exts[".xml"] == len(r.Files):
		return genius.ReadFS(fsys, ".")
	case exts[".json"] == len(r.Files):
		return geniusweb.ReadFS(fsys, ".")
	}
	return nil, errors.New("files: several files must be all .xml (GENIUS) or all .json (GeniusWeb profiles)")
}

// issuesOf returns the space's issues as clients see them.
func issuesOf(space *parley.OutcomeSpace) []Issue {
	out := make([]Issue, len(space.Issues))
	for i := range space.Issues {
		is := &space.Issues[i]
		vs := make([]string, is.Size())
		for k := range vs {
			vs[k] = is.Value(k)
		}
		out[i] = Issue{Name: is.Name, Values: vs}
	}
	return out
}

// ActionRequest is the body of POST /negotiations/{id}/actions, and a
// message a seat sends on its stream: its action for turn Step. An offer
// gives the outcome by index (Outcome) or by its values (Values).
type ActionRequest struct {
	Step    int               `json:"step"`
	Action  string            `json:"action"` // "offer", "accept" or "walk_away"
	Outcome *int              `json:"outcome,omitempty"`
	Values  map[string]string `json:"values,omitempty"`
}

// action returns the parley.Action the request asks for over space. An
// outcome outside the space is passed on: the protocol ends the
// negotiation with reason error naming the seat, as for any invalid
// action.
func (a *ActionRequest) action(space *parley.OutcomeSpace) (parley.Action, error) {
	switch a.Action {
	case TypeAccept, TypeWalkAway:
		if a.Outcome != nil || a.Values != nil {
			return parley.Action{}, fmt.Errorf("%s: takes no outcome or values", a.Action)
		}
		if a.Action == TypeAccept {
			return parley.AcceptAction(), nil
		}
		return parley.EndAction(), nil
	case TypeOffer:
		switch {
		case a.Outcome != nil && a.Values != nil:
			return parley.Action{}, errors.New("offer: give outcome or values, not both")
		case a.Outcome != nil:
			return parley.OfferOf(parley.Outcome(*a.Outcome)), nil
		case a.Values != nil:
			o, err := space.Parse(a.Values)
			if err != nil {
				return parley.Action{}, fmt.Errorf("offer: values: %w", err)
			}
			return parley.OfferOf(o), nil
		}
		return parley.Action{}, errors.New("offer: give outcome or values")
	case "":
		return parley.Action{}, errors.New("action: missing (want offer, accept or walk_away)")
	}
	return parley.Action{}, fmt.Errorf("action: %q (want offer, accept or walk_away)", a.Action)
}

// compactJSON is json.Marshal for the log's records.
func compactJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
