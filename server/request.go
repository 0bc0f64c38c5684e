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
	"time"

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
	// SeatGeniusWeb is a GeniusWeb party reached at a URL, with the server
	// acting as its GeniusWeb run server (protocol sao).
	SeatGeniusWeb = "geniusweb"
)

// Protocols the server runs.
const (
	// ProtocolSAO is stacked alternating offers (package protocol/sao).
	ProtocolSAO = "sao"
	// ProtocolStaged is the scenario's declared protocol, or one of its
	// variants: stages of alternating offers and of mediation (packages
	// plan and protocol/staged).
	ProtocolStaged = "staged"
	// ProtocolMediated is single-text mediation (package
	// protocol/mediated): every party votes on the proposals of a
	// mediator without interests of its own.
	ProtocolMediated = "mediated"
)

// DefaultVoter is the voter spec of a strategy seat in mediated stages
// when the seat names none (as parley run's --voters).
const DefaultVoter = "reservation"

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
	// MaxTurnTimeout bounds a negotiation's turn_timeout, in seconds (a day).
	MaxTurnTimeout = 24 * 60 * 60
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
	// Protocol is "sao" (the default), "mediated" or "staged".
	Protocol string `json:"protocol,omitempty"`
	// Rule and Info are the voting rule ("unanimous", "majority",
	// "mediator") and the mediator's information level ("votes",
	// "declared", "full", "nothing", "self_report") of protocol mediated
	// (defaults unanimous and votes; parley.Rule, parley.Info).
	Rule string `json:"rule,omitempty"`
	Info string `json:"info,omitempty"`
	// Variant is a protocol variant the scenario declares ("staged" only;
	// default: its stages in order).
	Variant string `json:"variant,omitempty"`
	// Mediator is the mediator's seat of protocol mediated, or in the
	// mediated stages of a staged protocol (default: the strategy the
	// stages' mediator_policy names, else the server's default mediator).
	Mediator *Seat `json:"mediator,omitempty"`
	// Deadline is the rounds allowed (default: the scenario's, else 100).
	Deadline int `json:"deadline,omitempty"`
	// Seed fixes every random choice (default 1).
	Seed uint64 `json:"seed,omitempty"`
	// TurnTimeout is how many seconds each remote seat (a person, a
	// program, a GeniusWeb party or a remote mediator) has for a turn
	// (default: the server's Config.TurnTimeout; at most MaxTurnTimeout).
	// A person reading nine issues needs minutes where a program needs
	// milliseconds, so the negotiation, not only the server, chooses.
	TurnTimeout int `json:"turn_timeout,omitempty"`
	// Seats are the parties' seats, in the scenario's party order.
	Seats []Seat `json:"seats"`
}

// Seat is one seat of a negotiation.
type Seat struct {
	Kind string `json:"kind"`           // SeatStrategy, SeatRemote or SeatGeniusWeb
	URL  string `json:"url,omitempty"`  // SeatGeniusWeb: the party's URL
	Spec string `json:"spec,omitempty"` // SeatStrategy: the strategy spec (the mediator's, for the mediator seat)
	// Voter is a strategy seat's voter spec for mediated stages (default
	// DefaultVoter), or a remote seat's fallback voter (see Fallback).
	Voter string `json:"voter,omitempty"`
	// Fallback is a remote seat's replacement (protocols sao and staged):
	// a strategy spec that takes the seat over, for the rest of the
	// negotiation, when it misses a turn's deadline or stays disconnected
	// past the grace period, instead of the negotiation ending with reason
	// error. In a staged protocol's mediated stages the seat's Voter
	// (default DefaultVoter) votes for it.
	Fallback string `json:"fallback,omitempty"`
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
	case r.Protocol != "" && r.Protocol != ProtocolSAO && r.Protocol != ProtocolStaged && r.Protocol != ProtocolMediated:
		return fmt.Errorf("protocol: %q is not served (want %s, %s or %s)", r.Protocol, ProtocolSAO, ProtocolMediated, ProtocolStaged)
	case r.Protocol != ProtocolStaged && r.Variant != "":
		return fmt.Errorf("variant: only with protocol %s", ProtocolStaged)
	case r.Protocol != ProtocolStaged && r.Protocol != ProtocolMediated && r.Mediator != nil:
		return fmt.Errorf("mediator: only with protocol %s or %s", ProtocolMediated, ProtocolStaged)
	case r.Protocol != ProtocolMediated && (r.Rule != "" || r.Info != ""):
		return fmt.Errorf("rule and info: only with protocol %s (a staged protocol's stages declare their own)", ProtocolMediated)
	case r.Deadline < 0 || r.Deadline > MaxDeadline:
		return fmt.Errorf("deadline: %d rounds outside 1..%d (0: the scenario's)", r.Deadline, MaxDeadline)
	case r.TurnTimeout < 0 || r.TurnTimeout > MaxTurnTimeout:
		return fmt.Errorf("turn_timeout: %d seconds outside 1..%d (0: the server's)", r.TurnTimeout, MaxTurnTimeout)
	case len(r.Seats) == 0:
		return errors.New("seats: none given (one per party, in order)")
	}
	for i, s := range r.Seats {
		if err := s.validate(r.Protocol); err != nil {
			return fmt.Errorf("seats[%d]: %w", i, err)
		}
	}
	if r.Mediator != nil {
		if err := r.Mediator.validate(""); err != nil {
			return fmt.Errorf("mediator: %w", err)
		}
		if r.Mediator.Kind == SeatGeniusWeb {
			return errors.New("mediator: a GeniusWeb party cannot mediate")
		}
		if r.Mediator.Voter != "" {
			return errors.New("mediator: the mediator seat takes no voter spec")
		}
	}
	return nil
}

// validate checks a seat of a negotiation by protocol ("" for the
// mediator's seat).
func (s *Seat) validate(protocol string) error {
	sao := protocol == "" || protocol == ProtocolSAO
	if s.URL != "" && s.Kind != SeatGeniusWeb {
		return fmt.Errorf("a url is for %s seats", SeatGeniusWeb)
	}
	if s.Fallback != "" && (protocol == ProtocolMediated || s.Kind != SeatRemote) {
		return fmt.Errorf("a fallback is for remote seats of protocols %s and %s", ProtocolSAO, ProtocolStaged)
	}
	if s.Kind == SeatGeniusWeb && !sao {
		return fmt.Errorf("a GeniusWeb party speaks alternating offers only (protocol %s)", ProtocolSAO)
	}
	switch s.Kind {
	case SeatStrategy:
		switch {
		case protocol == ProtocolMediated && s.Spec != "":
			return fmt.Errorf("protocol %s has no alternating offers: a strategy seat only votes (give voter, default %s, not spec)", ProtocolMediated, DefaultVoter)
		case protocol != ProtocolMediated && strings.TrimSpace(s.Spec) == "":
			return errors.New("a strategy seat needs a spec")
		case s.Voter != "" && (protocol == "" || protocol == ProtocolSAO):
			return fmt.Errorf("a voter spec is for protocols %s and %s", ProtocolMediated, ProtocolStaged)
		}
	case SeatRemote:
		switch {
		case s.Spec != "":
			return errors.New("a remote seat takes no spec")
		case s.Voter != "" && (s.Fallback == "" || protocol != ProtocolStaged):
			return fmt.Errorf("a remote seat's voter is its fallback's in the mediated stages of protocol %s (with a fallback)", ProtocolStaged)
		}
	case SeatGeniusWeb:
		if s.URL == "" {
			return errors.New("a geniusweb seat needs the party's url")
		}
		if s.Spec != "" || s.Voter != "" || s.Fallback != "" {
			return errors.New("a geniusweb seat takes only a url")
		}
	default:
		return fmt.Errorf("kind %q (want %s, %s or %s)", s.Kind, SeatStrategy, SeatRemote, SeatGeniusWeb)
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
// message a seat sends on its stream: its answer to its turn Step, in
// the words of parley.ActionKind. The actions of a turn of kind "act" are
// offer (with Outcome, by index, or Values, by issue), accept and
// walk_away; of a turn of kind "vote" accept, reject and walk_away
// (leaving), with an optional Feedback (-1 worse, 0 the same, +1 better
// than the text); of a turn of kind "propose" (the mediator's) offer (the
// proposal, with Outcome or Values), walk_away (stepping back) and, on a
// turn whose Turn.CanCall is set, final_vote (calling the final vote on
// the text now, protocol/mediated's Caller); of a turn of kind "adopt"
// (the mediator's, under rule mediator, after a proposal that not every
// party accepted) accept (the proposal becomes the text) or reject.
type ActionRequest struct {
	Step     int               `json:"step"`
	Action   string            `json:"action"`
	Outcome  *int              `json:"outcome,omitempty"`
	Values   map[string]string `json:"values,omitempty"`
	Feedback int8              `json:"feedback,omitempty"`
}

// Turn kinds.
const (
	TurnAct     = "act"     // an alternating-offers turn
	TurnVote    = "vote"    // a vote on a mediator's proposal
	TurnPropose = "propose" // the mediator's proposal
	TurnAdopt   = "adopt"   // the mediator's decision on a proposal not every party accepted (rule mediator)
)

// answer is a seat's answer to one turn: the field its kind uses.
type answer struct {
	act   parley.Action
	vote  parley.Vote
	prop  parley.Outcome
	call  bool      // a mediator's final_vote
	adopt bool      // a mediator's decision to adopt the proposal
	at    time.Time // when the server received it
}

// ActionFinalVote is a mediator's answer to a propose turn that lets it
// call the final vote (Turn.CanCall): every party votes on the text now,
// as in the final vote, and a unanimous vote ends the negotiation in
// agreement; a failed vote does not end it.
const ActionFinalVote = "final_vote"

// outcome returns the request's outcome, by index or by values. An
// outcome outside the space is passed on: the protocol ends the
// negotiation with reason error naming the seat, as for any invalid
// action.
func (a *ActionRequest) outcome(space *parley.OutcomeSpace) (parley.Outcome, error) {
	switch {
	case a.Outcome != nil && a.Values != nil:
		return 0, fmt.Errorf("%s: give outcome or values, not both", a.Action)
	case a.Outcome != nil:
		return parley.Outcome(*a.Outcome), nil
	case a.Values != nil:
		o, err := space.Parse(a.Values)
		if err != nil {
			return 0, fmt.Errorf("%s: values: %w", a.Action, err)
		}
		return o, nil
	}
	return 0, fmt.Errorf("%s: give outcome or values", a.Action)
}

// answer returns the answer the request gives to a turn of kind kind over
// space.
func (a *ActionRequest) answer(kind string, space *parley.OutcomeSpace) (answer, error) {
	want := map[string]string{TurnAct: "offer, accept or walk_away", TurnVote: "accept, reject or walk_away", TurnPropose: "offer, walk_away or final_vote", TurnAdopt: "accept (adopt the proposal) or reject"}[kind]
	bare := func() error {
		if a.Outcome != nil || a.Values != nil {
			return fmt.Errorf("%s: takes no outcome or values", a.Action)
		}
		if a.Feedback != 0 && kind != TurnVote {
			return fmt.Errorf("%s: feedback is for votes", a.Action)
		}
		return nil
	}
	if a.Feedback < -1 || a.Feedback > 1 {
		return answer{}, fmt.Errorf("feedback %d: want -1, 0 or 1", a.Feedback)
	}
	switch {
	case a.Action == "":
		return answer{}, fmt.Errorf("action: missing (want %s)", want)
	case kind == TurnAct && a.Action == TypeOffer:
		o, err := a.outcome(space)
		return answer{act: parley.OfferOf(o)}, err
	case kind == TurnAct && a.Action == TypeAccept:
		return answer{act: parley.AcceptAction()}, bare()
	case kind == TurnAct && a.Action == TypeWalkAway:
		return answer{act: parley.EndAction()}, bare()
	case kind == TurnVote && (a.Action == TypeAccept || a.Action == TypeReject || a.Action == TypeWalkAway):
		v := parley.Vote{Accept: a.Action == TypeAccept, Leave: a.Action == TypeWalkAway, Feedback: a.Feedback}
		return answer{vote: v}, bare()
	case kind == TurnPropose && a.Action == TypeOffer:
		o, err := a.outcome(space)
		return answer{prop: o}, err
	case kind == TurnPropose && a.Action == TypeWalkAway:
		return answer{prop: parley.NoOutcome}, bare()
	case kind == TurnPropose && a.Action == ActionFinalVote:
		return answer{prop: parley.NoOutcome, call: true}, bare()
	case kind == TurnAdopt && (a.Action == TypeAccept || a.Action == TypeReject):
		return answer{adopt: a.Action == TypeAccept}, bare()
	}
	return answer{}, fmt.Errorf("action: %q on a %s turn (want %s)", a.Action, kind, want)
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
