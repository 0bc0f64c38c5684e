package experiment

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/tournament"
)

// Kinds of Design.
const (
	KindSequencing = "sequencing"
	KindSweep      = "sweep"
)

// A Design is an experiment asked for by kind, as the commands 'parley
// experiment sequencing' and 'parley experiment sweep' ask: which
// variants of the scenario's protocol to run and which parameters to vary.
type Design struct {
	// Kind is KindSequencing (every declared variant, or Variants, at
	// matched information: SequencingArms) or KindSweep (every cell of
	// the grid of Params, on each of Variants: Sweep).
	Kind string
	// Variants are protocol variants of the scenario, in order.
	Variants []string
	// Params are parameter specs, TARGET.NAME=VALUES (ParseParam): a
	// sweep's grid, or the factors crossed with a sequencing's arms.
	Params []string
	// NeedsDeclared reports whether a mediator_policy spec needs the
	// parties' declared preferences (SequencingArms; nil: none does).
	NeedsDeclared func(spec string) bool
}

// Stored returns the Design stored as sd with an experiment's runs
// (tournament.Meta.Design) and needsDeclared, to make its report again.
func Stored(sd tournament.Design, needsDeclared func(spec string) bool) Design {
	return Design{Kind: sd.Kind, Variants: slices.Clone(sd.Variants), Params: slices.Clone(sd.Params), NeedsDeclared: needsDeclared}
}

// params parses and checks d's parameters on s.
func (d Design) params(s *scenario.Scenario) ([]Param, error) {
	if s.Protocol == nil {
		return nil, fmt.Errorf("experiment %s: scenario %s declares no protocol (see docs/scenario-format.md, \"Protocol\")", d.Kind, s.Name)
	}
	if err := CheckVariants(s, d.Variants); err != nil {
		return nil, err
	}
	if d.Kind == KindSweep && len(d.Params) == 0 {
		return nil, &spec.FieldError{Field: "Params", Err: errors.New("no parameters to sweep")}
	}
	var params []Param
	for _, text := range d.Params {
		p, err := ParseParam(s, text)
		if err != nil {
			return nil, &spec.FieldError{Field: "Params", Err: err}
		}
		params = append(params, p)
	}
	if len(params) > 0 {
		if _, err := Grid(params); err != nil {
			return nil, &spec.FieldError{Field: "Params", Err: err}
		}
	}
	return params, nil
}

// Check reports what is wrong with d on s (a *spec.FieldError for a bad
// variant or parameter, or a sweep without parameters), before anything
// runs.
func (d Design) Check(s *scenario.Scenario) error {
	_, err := d.params(s)
	return err
}

// Run checks d and runs it on s with cfg: a sequencing experiment's report
// says at which information its arms ran (Report.Information). cfg.Store
// keeps d with the runs (tournament.Meta.Design, Stored), so that the
// report can be made again from the store alone.
func (d Design) Run(ctx context.Context, s *scenario.Scenario, cfg Config) (*Report, error) {
	params, err := d.params(s)
	if err != nil {
		return nil, err
	}
	cfg.design = &tournament.Design{Kind: d.Kind, Variants: slices.Clone(d.Variants), Params: slices.Clone(d.Params)}
	if d.Kind == KindSweep {
		return Sweep(ctx, s, params, d.Variants, cfg)
	}
	ts, info, err := SequencingArms(s, d.Variants, params, d.NeedsDeclared)
	if err != nil {
		return nil, fmt.Errorf("experiment %s: %w", d.Kind, err)
	}
	rep, err := Run(ctx, KindSequencing, s, ts, cfg)
	if err != nil {
		return nil, err
	}
	rep.Information = info
	return rep, nil
}

// CheckVariants reports a variant that s's protocol does not declare, as
// a *spec.FieldError for "Variants" naming the declared ones.
func CheckVariants(s *scenario.Scenario, variants []string) error {
	for _, v := range variants {
		if s.Protocol.Variant(v) == nil {
			return &spec.FieldError{Field: "Variants", Err: fmt.Errorf("scenario %s has no variant %q (have %s)", s.Name, v, variantNames(s))}
		}
	}
	return nil
}

// CheckRobustness reports what keeps a robustness analysis of s over
// variants from running: a scenario without protocol variants, a
// variant s does not declare (a *spec.FieldError for "Variants") or
// assumptions that do not parse (a *spec.FieldError for "Assumptions").
func CheckRobustness(s *scenario.Scenario, variants []string) error {
	if s.Protocol == nil || len(s.Protocol.Variants) == 0 {
		return fmt.Errorf("experiment robustness: scenario %s declares no protocol variants to compare (see docs/scenario-format.md, \"Protocol\")", s.Name)
	}
	if err := CheckVariants(s, variants); err != nil {
		return err
	}
	if _, err := Assumptions(s); err != nil {
		return &spec.FieldError{Field: "Assumptions", Err: err}
	}
	return nil
}

// variantNames lists the variants s declares ("none" without any).
func variantNames(s *scenario.Scenario) string {
	var ns []string
	for _, v := range s.Protocol.Variants {
		ns = append(ns, v.Name)
	}
	if len(ns) == 0 {
		return "none"
	}
	return strings.Join(ns, ", ")
}

// NewPool builds the strategy pool of the negotiator and voter specs
// (DefaultNegotiators and DefaultVoters when empty), resolved by
// negotiator and voter; a spec they refuse is a *spec.FieldError for
// "Negotiators" or "Voters".
func NewPool(negotiators, voters []string, negotiator func(string) (func() parley.Negotiator, error), voter func(string) (func() mediated.Voter, error)) (Pool, error) {
	var pool Pool
	if len(negotiators) == 0 {
		negotiators = DefaultNegotiators()
	}
	for _, text := range negotiators {
		f, err := negotiator(text)
		if err != nil {
			return pool, &spec.FieldError{Field: "Negotiators", Err: err}
		}
		pool.Negotiators = append(pool.Negotiators, Negotiator{Name: text, New: f})
	}
	if len(voters) == 0 {
		voters = DefaultVoters()
	}
	for _, text := range voters {
		f, err := voter(text)
		if err != nil {
			return pool, &spec.FieldError{Field: "Voters", Err: err}
		}
		pool.Voters = append(pool.Voters, Voter{Name: text, New: f})
	}
	return pool, nil
}

// RunErrors summarises the runs of r that ended in error (reason
// "error": a misconfiguration or a failing strategy, counted as a failure
// to agree): their number and, per arm with any, "ARM: N, the first
// ERROR", joined by "; ".
func (r *Report) RunErrors() (int, string) {
	total := 0
	var arms []string
	for i := range r.Arms {
		a := &r.Arms[i]
		if n := a.Breakdown[parley.ReasonError]; n > 0 {
			total += n
			arms = append(arms, fmt.Sprintf("%s: %d, the first %s", a.Name, n, a.FirstError))
		}
	}
	return total, strings.Join(arms, "; ")
}
