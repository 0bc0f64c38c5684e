package cli

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
)

// An Option configures the command: it registers a program's own agents
// (WithNegotiator, WithMediator, WithVoter) beside the built-in ones.
type Option struct {
	apply func(*program) error
}

// WithNegotiator registers a negotiator under name, so that every command
// accepts name wherever it takes a negotiator spec (run --agents,
// tournament --agents and its file's agents:, experiment --negotiators,
// bench --agents, replay and worker, which rebuild stored tournaments) and
// 'parley agents' lists it with summary. newNegotiator makes a fresh
// negotiator for each seat; it takes no spec parameters, so "name" is its
// whole spec.
//
// name is lower case letters, digits, '-' and '_', and must not be a
// built-in negotiator's name or alias or one registered already: Main and
// Run then return an error before running anything. A registered
// negotiator must follow parley.Negotiator's contract (parleytest's
// TestNegotiator checks it): same seed, same moves.
func WithNegotiator(name, summary string, newNegotiator func() parley.Negotiator) Option {
	return Option{func(pg *program) error {
		_, err := strategy.Parse(name)
		return register(pg, &pg.negotiators, "negotiator", name, summary, newNegotiator, !errors.Is(err, strategy.ErrUnknownStrategy))
	}}
}

// WithMediator registers a mediator under name for the mediated stages of
// run --mediator and of experiments (a stage's mediator_policy), listed by
// 'parley agents'. Its rules are WithNegotiator's.
func WithMediator(name, summary string, newMediator func() mediated.Mediator) Option {
	return Option{func(pg *program) error {
		_, err := mediator.ParseMediator(name)
		return register(pg, &pg.mediators, "mediator", name, summary, newMediator, !errors.Is(err, mediator.ErrUnknownStrategy))
	}}
}

// WithVoter registers a voter under name for the mediated stages of run
// --voters and experiment --voters, listed by 'parley agents'. Its rules
// are WithNegotiator's.
func WithVoter(name, summary string, newVoter func() mediated.Voter) Option {
	return Option{func(pg *program) error {
		_, err := mediator.ParseVoter(name)
		return register(pg, &pg.voters, "voter", name, summary, newVoter, !errors.Is(err, mediator.ErrUnknownStrategy))
	}}
}

// register adds an agent of a role to list once its name is checked.
func register[F any](pg *program, list *[]custom[F], role, name, summary string, f F, builtin bool) error {
	if any(f) == nil || reflect.ValueOf(f).IsNil() {
		return fmt.Errorf("cli: %s %q: nil constructor", role, name)
	}
	if err := pg.claim(role, name, builtin); err != nil {
		return err
	}
	*list = append(*list, custom[F]{name, summary, f})
	return nil
}

// program is one configuration of the command: the agents its options
// registered. Commands find agents through it, never through a global.
type program struct {
	negotiators []custom[func() parley.Negotiator]
	mediators   []custom[func() mediated.Mediator]
	voters      []custom[func() mediated.Voter]
	names       map[string]bool // role + "/" + name, for duplicates
}

// custom is one registered agent.
type custom[F any] struct {
	name, summary string
	make          F
}

func newProgram(opts []Option) (*program, error) {
	pg := &program{names: map[string]bool{}}
	for _, o := range opts {
		if o.apply == nil {
			return nil, errors.New("cli: zero Option")
		}
		if err := o.apply(pg); err != nil {
			return nil, err
		}
	}
	return pg, nil
}

// claim checks that name is a valid, free name for a role.
func (pg *program) claim(role, name string, builtin bool) error {
	if name == "" {
		return fmt.Errorf("cli: %s name is empty", role)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return fmt.Errorf("cli: %s name %q: want lower case letters, digits, '-' and '_'", role, name)
		}
	}
	if builtin {
		return fmt.Errorf("cli: %s %q is built in; choose another name", role, name)
	}
	if pg.names[role+"/"+name] {
		return fmt.Errorf("cli: %s %q is registered twice", role, name)
	}
	pg.names[role+"/"+name] = true
	return nil
}

// findCustom returns the registered agent a spec names, if any: a
// registered agent's spec is its name alone (case-insensitive).
func findCustom[F any](role string, list []custom[F], spec string) (F, bool, error) {
	name, params, hasParams := strings.Cut(strings.TrimSpace(spec), ":")
	name = strings.ToLower(strings.TrimSpace(name))
	for _, c := range list {
		if c.name == name {
			if hasParams {
				var zero F
				return zero, true, fmt.Errorf("%s %q takes no parameters (got %q)", role, name, params)
			}
			return c.make, true, nil
		}
	}
	var zero F
	return zero, false, nil
}

// negotiator returns a factory for a negotiator spec: a registered
// negotiator, else a built-in one (strategy.Parse).
func (pg *program) negotiator(spec string) (strategy.Factory, error) {
	if f, ok, err := findCustom("negotiator", pg.negotiators, spec); ok {
		return f, err
	}
	f, err := strategy.Parse(spec)
	if errors.Is(err, strategy.ErrUnknownStrategy) && len(pg.negotiators) > 0 {
		names := make([]string, len(pg.negotiators))
		for i, c := range pg.negotiators {
			names[i] = c.name
		}
		return nil, fmt.Errorf("%w; registered: %s", err, strings.Join(names, ", "))
	}
	return f, err
}

// mediator returns a factory for a mediator spec: a registered mediator,
// else a built-in one (mediator.ParseMediator).
func (pg *program) mediator(spec string) (func() mediated.Mediator, error) {
	if f, ok, err := findCustom("mediator", pg.mediators, spec); ok {
		return f, err
	}
	f, err := mediator.ParseMediator(spec)
	if err != nil {
		return nil, err
	}
	return func() mediated.Mediator { return f() }, nil
}

// voter returns a factory for a voter spec: a registered voter, else a
// built-in one (mediator.ParseVoter).
func (pg *program) voter(spec string) (func() mediated.Voter, error) {
	if f, ok, err := findCustom("voter", pg.voters, spec); ok {
		return f, err
	}
	f, err := mediator.ParseVoter(spec)
	if err != nil {
		return nil, err
	}
	return func() mediated.Voter { return f() }, nil
}
