// Package session runs one negotiation of a scenario, as 'parley run'
// does: by plain alternating offers, or by the protocol the scenario
// declares (its stages, or one of its variants), with a negotiator, voter
// and mediator spec per seat resolved through a Resolver. It returns the
// run in the form every output uses (tracefile.Run and its events) and
// writes the JSON-lines trace as the run goes.
//
// Errors name the option at fault by its 'parley run' flag (--agents,
// --voters, ...); those that are the caller's mistake, not a failure of
// the run, are *OptionError.
package session

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/tracefile"
)

// Values of Options.Protocol.
const (
	ProtocolAuto   = "auto"
	ProtocolSAO    = tracefile.ProtocolSAO
	ProtocolStaged = tracefile.ProtocolStaged
)

// Values of Options.Timing.
const (
	TimingSteps  = "steps"
	TimingGenius = "genius"
)

// DefaultDeadline is the round limit of alternating offers when neither
// Options.Deadline nor the scenario gives one.
const DefaultDeadline = 100

// DefaultVoter votes in mediated stages when Options.Voters is empty.
const DefaultVoter = "reservation"

// A Resolver turns specs into agents. Negotiator and Voter are required;
// Mediator is required for a declared protocol with a mediated stage (it
// receives plan.MediatorPolicy's spec: plan.DefaultMediatorPolicy for
// stages that name no mediator_policy). AsDesigned,
// if set, reports whether mediator m works as designed under rule (an
// annealing mediator needs parley.RuleMediator); Run rejects a mediator
// that would not.
type Resolver struct {
	Negotiator func(spec string) (func() parley.Negotiator, error)
	Voter      func(spec string) (func() mediated.Voter, error)
	Mediator   func(spec string) (func() mediated.Mediator, error)
	AsDesigned func(m mediated.Mediator, rule parley.Rule) bool
}

// Options are one run's settings, the flags of 'parley run'. The zero
// value runs the scenario's declared protocol if it has one, else
// alternating offers for the scenario's deadline, with seed 0.
type Options struct {
	// Agents are the negotiators' specs, one per party in order; a shorter
	// list is repeated. At least one is required.
	Agents []string
	// Voters are the specs of the voters of mediated stages, one per
	// party in order, repeated (default DefaultVoter).
	Voters []string
	// Mediator is the mediator spec of mediated stages (default: the
	// stage's mediator_policy).
	Mediator string
	// Protocol is ProtocolAuto (or ""), ProtocolSAO or ProtocolStaged.
	Protocol string
	// Variant is a protocol variant the scenario declares ("": its
	// stages in order).
	Variant string
	// Deadline, TimeLimit and Timing set alternating offers' rounds
	// (0: the scenario's, else DefaultDeadline), wall-time limit (0:
	// none) and clock (TimingSteps, TimingGenius, or "": genius when
	// every agent is genius-*).
	Deadline  int
	TimeLimit time.Duration
	Timing    string
	// Seed fixes every random choice.
	Seed uint64
	// Given reports whether an option was set explicitly, by its flag
	// name ("agents", "deadline", ...), so that an option given with its
	// default value is still checked; nil means none was.
	Given func(flag string) bool
	// OpenTrace, if not nil, is called once the options are checked,
	// just before the run, for the writer of the run's JSON-lines trace (a
	// header, every event, the result line), which Run writes as the run
	// goes. The caller closes what it opened.
	OpenTrace func() (io.Writer, error)
}

// set reports whether flag was given explicitly.
func (o *Options) set(flag string) bool { return o.Given != nil && o.Given(flag) }

// An OptionError reports options that do not fit the scenario or each
// other: the caller's mistake, not a failure of the run.
type OptionError struct{ Err error }

// Error returns the error describing the mistake.
func (e *OptionError) Error() string { return e.Err.Error() }

// Unwrap returns the error describing the mistake.
func (e *OptionError) Unwrap() error { return e.Err }

// optionErr wraps err in an *OptionError.
func optionErr(err error) error { return &OptionError{Err: err} }

// An Outcome is one finished run.
type Outcome struct {
	// Run is the run as every output shows it (tracefile's JSON).
	Run *tracefile.Run
	// Events are the run's events in order.
	Events []tracefile.Entry
	// Result is how the negotiation ended.
	Result *parley.Result
	// Specs are the negotiators' specs by party.
	Specs []string
	// Staged is the result of the declared protocol when it ran (nil for
	// alternating offers); Plan is then its plan and StageRound the round
	// within the final stage.
	Staged     *staged.Result
	Plan       staged.Plan
	StageRound int
}

// Failure is the error of a run that ended in error (every party paid
// its reservation value), nil for any other ending.
func (o *Outcome) Failure() error {
	if o.Result.Reason != parley.ReasonError {
		return nil
	}
	return fmt.Errorf("run: the negotiation ended in error: %w", o.Result.Err)
}

// IsGeniusSpec reports whether spec names one of the GENIUS-compatible
// agents (strategy/geniuscompat), whose names start with "genius-".
func IsGeniusSpec(spec string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(spec)), "genius-")
}

// Seats builds one negotiator factory per party from the specs, cycling
// through the list when it is shorter than the party count, and returns
// the factories and each party's spec.
func Seats(specs []string, parties int, negotiator func(string) (func() parley.Negotiator, error)) ([]func() parley.Negotiator, []string, error) {
	if len(specs) == 0 {
		return nil, nil, optionErr(errors.New("no agents given"))
	}
	if len(specs) > parties {
		return nil, nil, optionErr(fmt.Errorf("%d agents for %d parties", len(specs), parties))
	}
	fs := make([]func() parley.Negotiator, parties)
	names := make([]string, parties)
	for i := range fs {
		spec := specs[i%len(specs)]
		f, err := negotiator(spec)
		if err != nil {
			return nil, nil, optionErr(err)
		}
		fs[i], names[i] = f, spec
	}
	return fs, names, nil
}

// trace writes a run's trace to its Options.Trace (nothing without one).
type trace struct{ w *tracefile.Writer }

func newTrace(open func() (io.Writer, error), space *parley.OutcomeSpace, j *tracefile.Run) (trace, error) {
	if open == nil {
		return trace{}, nil
	}
	w, err := open()
	if err != nil {
		return trace{}, fmt.Errorf("run: trace: %w", err)
	}
	return trace{tracefile.NewWriter(w, space, &j.Setup)}, nil
}

// result writes the result line.
func (t trace) result(j *tracefile.Run) error {
	if t.w == nil {
		return nil
	}
	if err := t.w.Result(j); err != nil {
		return fmt.Errorf("run: trace: %w", err)
	}
	return nil
}
