package tournament

import (
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/scenario"
)

// Resolver turns the names a tournament gives its entrants (strategy specs
// and scenario references, as a Spec or a Meta holds them) into entrants:
// Build uses it to make a Config from a Spec, Rebuild to make one again
// from a stored Meta (for a replay, or on a remote worker). Its functions
// may be called from several goroutines.
//
// The names may come from someone other than the operator (a job on a
// queue, a shared database): Scenario must refuse a reference the operator
// did not allow without reading it, and an error's text may quote a file,
// so Rebuild's callers show it only to the operator (RebuildError).
type Resolver struct {
	// Agent returns the constructor of a strategy spec (a Competitor's
	// Name).
	Agent func(spec string) (func() parley.Negotiator, error)
	// Scenario returns the scenario of a reference, or an error for a
	// reference that may not be loaded. The tournament prepares a copy of
	// it (Config.Prepare) and does not modify it.
	Scenario func(ref string) (*scenario.Scenario, error)
	// Mediator and Voter return the constructors of mediator and voter
	// specs; without them, a tournament that names any is refused.
	Mediator func(spec string) (func() mediated.Mediator, error)
	Voter    func(spec string) (func() mediated.Voter, error)
	// GeniusTiming, when set, tells which agent specs expect GENIUS's
	// round timing (Competitor.GeniusTiming). Everything that rebuilds a
	// tournament must agree with what built it.
	GeniusTiming func(spec string) bool

	// DefaultVoter is the spec Build gives the voters of the mediated
	// stages of a staged tournament when the Spec names no voter (the
	// mediator of stages that name none is plan.MediatorPolicy's).
	DefaultVoter string
	// AsDesigned, when set, reports whether a mediator runs as designed
	// under an adoption rule (as session.Resolver's): Build refuses a
	// mediator of a mediated tournament that would run as another
	// strategy under the tournament's rule, with an error placed at the
	// Spec's rule.
	AsDesigned func(m mediated.Mediator, rule parley.Rule) bool
}

// A RebuildError is Rebuild's error about one entrant of a stored
// tournament that did not load, or about the tournament as a whole that
// could not be prepared. Role and Name name what failed as the Meta names
// it; Err is the cause, which may quote a file: show it to the operator
// only, and Role and Name to whoever sent the Meta.
type RebuildError struct {
	// Role is "agent", "scenario", "mediator" or "voter", or "" for the
	// tournament as a whole (Config.Prepare failed).
	Role string
	// Name is the entrant's spec or scenario reference ("" for the
	// tournament).
	Name string
	// Err is the cause (for an entrant with no Resolver function, one
	// saying so).
	Err error
}

// Error reads "ROLE "NAME" of the stored tournament: ERR", or Err's text
// for the tournament as a whole.
func (e *RebuildError) Error() string {
	if e.Role == "" {
		return e.Err.Error()
	}
	return fmt.Sprintf("%s %q of the stored tournament: %v", e.Role, e.Name, e.Err)
}

// Unwrap returns the cause.
func (e *RebuildError) Unwrap() error { return e.Err }

// Rebuild makes the stored tournament m again: its agents, mediators and
// voters from their specs and its scenarios from their references, through
// r, with limit as Config.Limit. The result is prepared (Config.Prepare)
// and plans m.Planned negotiations, or Rebuild returns an error: a
// *RebuildError for an entrant that does not load (a nil constructor or
// scenario counts as an error) or a tournament that does not prepare, and
// an error naming only m's own values otherwise (a bad protocol, rule or
// information level, or another count of negotiations).
func Rebuild(m Meta, r Resolver, limit time.Duration) (*Config, error) {
	cfg := &Config{Reps: m.Reps, Deadline: m.Deadline, Seed: m.Seed, SelfPlay: m.SelfPlay, Timing: m.Timing, Limit: limit,
		Variant: m.Variant, Noise: m.Noise, Arms: m.Arms, Design: m.Design}
	var err error
	if cfg.Protocol, err = ParseProtocol(string(m.Protocol)); err != nil {
		return nil, fmt.Errorf("the stored tournament: %w", err)
	}
	if m.Rule != "" {
		if cfg.Rule, err = parley.ParseRule(m.Rule); err != nil {
			return nil, fmt.Errorf("the stored tournament: %w", err)
		}
	}
	if m.Info != "" {
		if cfg.Info, err = parley.ParseInfo(m.Info); err != nil {
			return nil, fmt.Errorf("the stored tournament: %w", err)
		}
	}
	for _, spec := range m.Mediators {
		f, err := resolve("mediator", spec, r.Mediator)
		if err != nil {
			return nil, err
		}
		cfg.Mediators = append(cfg.Mediators, Mediator{Name: spec, New: f})
	}
	for _, spec := range m.Voters {
		f, err := resolve("voter", spec, r.Voter)
		if err != nil {
			return nil, err
		}
		cfg.Voters = append(cfg.Voters, Voter{Name: spec, New: f})
	}
	for _, spec := range m.Agents {
		f, err := resolve("agent", spec, r.Agent)
		if err != nil {
			return nil, err
		}
		cfg.Competitors = append(cfg.Competitors, r.competitor(spec, f))
	}
	for _, ref := range m.Scenarios {
		sc, err := resolve("scenario", ref, r.Scenario)
		if err != nil {
			return nil, err
		}
		cfg.Scenarios = append(cfg.Scenarios, sc)
		cfg.ScenarioRefs = append(cfg.ScenarioRefs, ref)
	}
	if err := cfg.Prepare(); err != nil {
		return nil, &RebuildError{Err: err}
	}
	if n := Count(cfg); n != m.Planned {
		return nil, fmt.Errorf("the stored tournament plans %d runs but its agents and scenarios now give %d (did a scenario change?)", m.Planned, n)
	}
	return cfg, nil
}

// errNoResolver is the cause of an entrant whose role the Resolver has no
// function for.
var errNoResolver = errors.New("the resolver has no function for it")

// resolve loads one entrant of a stored tournament through f, as a
// *RebuildError on failure.
func resolve[T any](role, name string, f func(string) (T, error)) (T, error) {
	v, err := load(f, name)
	if err != nil {
		return v, &RebuildError{Role: role, Name: name, Err: err}
	}
	return v, nil
}

// load loads one entrant through f (T is a func or a pointer): no f, or a
// nil answer, is an error.
func load[T any](f func(string) (T, error), name string) (T, error) {
	var zero T
	if f == nil {
		return zero, errNoResolver
	}
	v, err := f(name)
	if rv := reflect.ValueOf(&v).Elem(); err == nil && rv.IsNil() {
		err = errors.New("not found")
		if rv.Kind() == reflect.Func {
			err = errors.New("no constructor")
		}
	}
	if err != nil {
		return zero, err
	}
	return v, nil
}

// competitor is the Competitor of an agent spec.
func (r Resolver) competitor(spec string, f func() parley.Negotiator) Competitor {
	c := Competitor{Name: spec, New: f}
	if r.GeniusTiming != nil {
		c.GeniusTiming = r.GeniusTiming(spec)
	}
	return c
}
