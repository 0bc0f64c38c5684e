package cli

import (
	"errors"
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
)

// An Option configures the command: it registers a program's own agents
// (WithNegotiator, WithMediator, WithVoter, or with spec parameters
// WithNegotiatorEntry, WithMediatorEntry, WithVoterEntry) beside the
// built-in ones.
type Option struct {
	apply func(*program) error
}

// WithNegotiator registers a negotiator under name, so that every command
// accepts name wherever it takes a negotiator spec (run --agents,
// tournament --agents and its file's agents:, experiment --negotiators,
// bench --agents, replay and worker, which rebuild stored tournaments) and
// 'parley agents' lists it with doc. newNegotiator makes a fresh
// negotiator for each seat; it takes no spec parameters, so "name" is its
// whole spec (WithNegotiatorEntry registers one with parameters).
//
// name is lower case, without any of ":=(),", and must not be a built-in
// negotiator's name or alias or one registered already, and doc must not
// be empty: Main and Run then return an error before running anything. A
// registered negotiator must follow parley.Negotiator's contract
// (parleytest's TestNegotiator checks it): same seed, same moves.
func WithNegotiator(name, doc string, newNegotiator func() parley.Negotiator) Option {
	return WithNegotiatorEntry(spec.Plain[strategy.Factory](name, doc, newNegotiator))
}

// WithNegotiatorEntry registers a negotiator whose specs take parameters
// (name:key=value,...), declared and built as e says (spec.Entry). Its
// rules are WithNegotiator's.
func WithNegotiatorEntry(e spec.Entry[strategy.Factory]) Option {
	return Option{func(pg *program) error { return pg.negotiators.Add(e) }}
}

// WithMediator registers a mediator under name for the mediated stages of
// run --mediator and of experiments (a stage's mediator_policy), listed by
// 'parley agents'. Its rules are WithNegotiator's.
func WithMediator(name, doc string, newMediator func() mediated.Mediator) Option {
	return WithMediatorEntry(spec.Plain[mediator.MediatorFactory](name, doc, newMediator))
}

// WithMediatorEntry registers a mediator whose specs take parameters.
func WithMediatorEntry(e spec.Entry[mediator.MediatorFactory]) Option {
	return Option{func(pg *program) error { return pg.mediators.Add(e) }}
}

// WithVoter registers a voter under name for the mediated stages of run
// --voters and experiment --voters, listed by 'parley agents'. Its rules
// are WithNegotiator's.
func WithVoter(name, doc string, newVoter func() mediated.Voter) Option {
	return WithVoterEntry(spec.Plain[mediator.VoterFactory](name, doc, newVoter))
}

// WithVoterEntry registers a voter whose specs take parameters.
func WithVoterEntry(e spec.Entry[mediator.VoterFactory]) Option {
	return Option{func(pg *program) error { return pg.voters.Add(e) }}
}

// program is one configuration of the command: the registries of
// negotiators, mediators and voters, built-in and registered by its
// options. Commands find agents through it, never through a global.
type program struct {
	negotiators *spec.Registry[strategy.Factory]
	mediators   *spec.Registry[mediator.MediatorFactory]
	voters      *spec.Registry[mediator.VoterFactory]
}

func newProgram(opts []Option) (*program, error) {
	pg := &program{negotiators: strategy.Negotiators(), mediators: mediator.Mediators(), voters: mediator.Voters()}
	for _, o := range opts {
		if o.apply == nil {
			return nil, errors.New("cli: zero Option")
		}
		if err := o.apply(pg); err != nil {
			return nil, fmt.Errorf("cli: %w", err)
		}
	}
	return pg, nil
}
