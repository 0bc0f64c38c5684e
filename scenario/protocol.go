package scenario

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/spec"
)

// Protocol is a scenario's declared protocol: ordered stages, each run by
// one mechanism on one global clock, and named variants that reorder the
// stages or override their settings (docs/scenario-format.md, "Protocol").
// It is plain data: package plan turns it into a runnable staged plan.
type Protocol struct {
	// Question is the question the variants are there to answer, in one
	// line ("Does a mediator help more from the start, or only after direct
	// talks?"); "" for none. `parley run` prints it with a short answer.
	Question string
	// Compare names the variants whose comparison answers Question, in
	// display order (nil: every variant).
	Compare []string
	// Stages in the default order; the default run uses all of them.
	Stages []Stage
	// Variants in file order.
	Variants []Variant
}

// Stage is one stage of a protocol, with parties and references named.
// Its words (mechanism, transition, carry, start, rule, info) are the
// typed vocabulary of package parley; zero values are the defaults, the
// mechanism excepted, which is required.
type Stage struct {
	Name         string
	Participants []string // party names, at least two
	Mechanism    parley.Mechanism
	Rounds       int // the stage's round budget, > 0
	RoundCost    int // units of the protocol's clock one round takes (0 means 1; parley.Stage.RoundCost)
	Transition   parley.Transition
	Carry        parley.Carry
	// OnWalkAwayNext is the probability that the run moves on to the next
	// stage when a participant walks away in this one (0: the run ends).
	OnWalkAwayNext float64
	// Start is the opening text or standing offer: carry (the default:
	// what the previous stage carried, if anything), random (mediated
	// only) or reference:NAME.
	Start parley.Start

	// Mediated stages only.
	Mediator string // the mediating party's name; "" for a mediator without interests
	Rule     parley.Rule
	Info     parley.Info
	Noise    float64 // InfoDeclared: standard deviation of the noise on declared utilities
	// MediatorPolicy is the mediator strategy spec of the stage, e.g.
	// "biased:bias=0.25"; package plan reads it for the seat that
	// mediates (plan.MediatorPolicy).
	MediatorPolicy string
	NoFinalVote    bool // skip the final unanimous vote on the text
}

// Variant is a named sequence of stages with per-stage overrides.
type Variant struct {
	Name  string
	Steps []VariantStep
}

// VariantStep is one stage of a variant; zero and nil fields keep the
// stage's own setting.
type VariantStep struct {
	Stage      string // the name of a stage of Protocol.Stages
	Rounds     int
	Transition *parley.Transition
	Carry      *parley.Carry
	Start      *parley.Start
}

// Variant returns the variant called name, or nil.
func (p *Protocol) Variant(name string) *Variant {
	for i := range p.Variants {
		if p.Variants[i].Name == name {
			return &p.Variants[i]
		}
	}
	return nil
}

// Stage returns the index of the stage called name, or -1.
func (p *Protocol) Stage(name string) int {
	for i := range p.Stages {
		if p.Stages[i].Name == name {
			return i
		}
	}
	return -1
}

// Resolve returns the stages of the named variant, in order, with its
// overrides applied; "" is the default (every stage in order). The stages
// are copies: changing them leaves p alone.
func (p *Protocol) Resolve(variant string) ([]Stage, error) {
	if variant == "" {
		out := make([]Stage, len(p.Stages))
		for i, st := range p.Stages {
			out[i] = st
			out[i].Participants = append([]string(nil), st.Participants...)
		}
		return out, nil
	}
	v := p.Variant(variant)
	if v == nil {
		names := make([]string, len(p.Variants))
		for i := range p.Variants {
			names[i] = p.Variants[i].Name
		}
		return nil, fmt.Errorf("scenario: protocol: unknown variant %q (have %s)", variant, strings.Join(names, ", "))
	}
	out := make([]Stage, len(v.Steps))
	for i, step := range v.Steps {
		k := p.Stage(step.Stage)
		if k < 0 {
			return nil, fmt.Errorf("scenario: protocol: variant %q: unknown stage %q", variant, step.Stage)
		}
		out[i] = applyStep(p.Stages[k], step)
	}
	return out, nil
}

// applyStep returns st with the overrides of step.
func applyStep(st Stage, step VariantStep) Stage {
	st.Participants = append([]string(nil), st.Participants...)
	if step.Rounds != 0 {
		st.Rounds = step.Rounds
	}
	if step.Transition != nil {
		st.Transition = *step.Transition
	}
	if step.Carry != nil {
		st.Carry = *step.Carry
	}
	if step.Start != nil {
		st.Start = *step.Start
	}
	return st
}

// Units returns the length of the named variant's clock ("" for the
// default): the sum over its stages of rounds × round cost
// (parley.Stage.RoundCost), or 0 when it does not exist. Variants with
// equal Units spend the same negotiating time.
func (p *Protocol) Units(variant string) int {
	stages, err := p.Resolve(variant)
	if err != nil {
		return 0
	}
	n := 0
	for _, st := range stages {
		n += st.Rounds * max(st.RoundCost, 1)
	}
	return n
}

// Rounds returns the total round budget of the named variant ("" for the
// default), or 0 when it does not exist.
func (p *Protocol) Rounds(variant string) int {
	stages, err := p.Resolve(variant)
	if err != nil {
		return 0
	}
	n := 0
	for _, st := range stages {
		n += st.Rounds
	}
	return n
}

// Validate checks the protocol against its scenario s (party and
// reference names): every rule of docs/scenario-format.md, "Protocol".
// The error names the field, as "protocol.stages[1].mediator: ...".
func (p *Protocol) Validate(s *Scenario) error {
	if fe := p.check(s); fe != nil {
		return fmt.Errorf("scenario %s: %s: %s", s.Name, fe.path, fe.msg)
	}
	return nil
}

// Plan returns the stages of the named variant ("" for the default) with
// party and reference names resolved to indices and outcomes, as package
// protocol/staged runs them. It checks only what resolving needs (the
// names); Validate, which a loaded scenario has passed, checks the rest.
func (p *Protocol) Plan(s *Scenario, variant string) ([]parley.Stage, error) {
	stages, err := p.Resolve(variant)
	if err != nil {
		return nil, err
	}
	at := path{}.key("protocol").key("stages")
	if variant != "" {
		at = path{}.key("protocol").key("variants").key(variant)
	}
	out := make([]parley.Stage, len(stages))
	for i := range stages {
		st, fe := resolveNames(s, at.at(i), &stages[i])
		if fe != nil {
			return nil, fmt.Errorf("scenario %s: %s: %s", s.Name, fe.path, fe.msg)
		}
		out[i] = st
	}
	return out, nil
}

// fieldError is a broken rule and the field it is about.
type fieldError struct {
	path path
	msg  string
}

func ferr(p path, format string, args ...any) *fieldError {
	return &fieldError{p, fmt.Sprintf(format, args...)}
}

// check returns the first broken rule, in file order.
func (p *Protocol) check(s *Scenario) *fieldError {
	pp := path{}.key("protocol")
	sp := pp.key("stages")
	if len(p.Stages) == 0 {
		return ferr(sp, "%v", parley.ErrNoStages)
	}
	seen := map[string]int{}
	for i := range p.Stages {
		st := &p.Stages[i]
		q := sp.at(i)
		if strings.TrimSpace(st.Name) == "" {
			return ferr(q, "stage %d has no name", i+1)
		}
		if j, ok := seen[st.Name]; ok {
			return ferr(q.key("name"), "stage %q appears twice (stages %d and %d)", st.Name, j+1, i+1)
		}
		seen[st.Name] = i
		if _, fe := resolve(s, q, st); fe != nil {
			return fe
		}
	}
	vp := pp.key("variants")
	vseen := map[string]bool{}
	for _, v := range p.Variants {
		q := vp.key(v.Name)
		if strings.TrimSpace(v.Name) == "" {
			return ferr(q, "variant with an empty name")
		}
		if vseen[v.Name] {
			return ferr(q, "variant %q appears twice", v.Name)
		}
		vseen[v.Name] = true
		if len(v.Steps) == 0 {
			return ferr(q, "variant %q has no stages", v.Name)
		}
		for j, step := range v.Steps {
			r := q.at(j)
			k := p.Stage(step.Stage)
			if k < 0 {
				return ferr(r.key("stage"), "variant %q: unknown stage %q (have %s)", v.Name, step.Stage, stageNames(p))
			}
			if step.Rounds < 0 {
				return ferr(r.key("rounds"), "variant %q: stage %q: rounds %d is negative", v.Name, step.Stage, step.Rounds)
			}
			st := applyStep(p.Stages[k], step)
			// The overrides must leave a valid stage; report against the
			// variant's fields where they caused the problem.
			if _, fe := resolve(s, r, &st); fe != nil {
				return &fieldError{fe.path, fmt.Sprintf("variant %q: %s", v.Name, fe.msg)}
			}
		}
	}
	if len(p.Compare) > 0 && p.Question == "" {
		return ferr(pp.key("compare"), "compare without a question (protocol.question)")
	}
	cq := pp.key("compare")
	for j, name := range p.Compare {
		if p.Variant(name) == nil {
			return ferr(cq.at(j), "compare: unknown variant %q (have %s)", name, variantNames(p))
		}
		if slices.Contains(p.Compare[:j], name) {
			return ferr(cq.at(j), "compare: variant %q listed twice", name)
		}
	}
	return nil
}

func variantNames(p *Protocol) string {
	names := make([]string, len(p.Variants))
	for i := range p.Variants {
		names[i] = p.Variants[i].Name
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

func stageNames(p *Protocol) string {
	names := make([]string, len(p.Stages))
	for i := range p.Stages {
		names[i] = p.Stages[i].Name
	}
	return strings.Join(names, ", ")
}

// resolve returns st with its names resolved, checked by
// parley.Stage.Check (the one validator of a stage); a broken rule is
// reported at q (a stage or a variant step: a field the variant step does
// not set is reported at the step).
func resolve(s *Scenario, q path, st *Stage) (parley.Stage, *fieldError) {
	out, fe := resolveNames(s, q, st)
	if fe != nil {
		return out, fe
	}
	if e := out.Check(s.Names(), s.Space); e != nil {
		fq := q
		if e.Field != "" {
			fq = fq.key(e.Field)
		}
		if e.Item >= 0 {
			fq = fq.at(e.Item)
		}
		return out, &fieldError{fq, e.Msg}
	}
	return out, nil
}

// resolveNames returns st with its party and reference names resolved to
// indices and outcomes, and checks what only names can break (and the
// syntax of the mediator policy).
func resolveNames(s *Scenario, q path, st *Stage) (parley.Stage, *fieldError) {
	name := st.Name
	out := parley.Stage{Name: name, Mechanism: st.Mechanism, Mediator: -1, Rounds: st.Rounds, RoundCost: st.RoundCost,
		Transition: st.Transition, Carry: st.Carry, OnWalkAwayNext: st.OnWalkAwayNext, Start: st.Start,
		Rule: st.Rule, Info: st.Info, Noise: st.Noise, NoFinalVote: st.NoFinalVote}
	pq := q.key("participants")
	for j, n := range st.Participants {
		i := s.Party(n)
		if i < 0 {
			return out, ferr(pq.at(j), "stage %q: no party called %q (have %s)", name, n, strings.Join(s.Names(), ", "))
		}
		out.Participants = append(out.Participants, i)
	}
	ao := st.Mechanism == parley.MechanismAlternatingOffers
	for _, f := range []struct {
		field string
		set   bool
	}{{"mediator", st.Mediator != ""}, {"mediator_policy", st.MediatorPolicy != ""}} {
		if ao && f.set {
			return out, ferr(q.key(f.field), "stage %q: %s is for mediated stages (an alternating_offers stage has no mediator: list every party that talks among the participants)", name, f.field)
		}
	}
	if st.Mediator != "" {
		if out.Mediator = s.Party(st.Mediator); out.Mediator < 0 {
			return out, ferr(q.key("mediator"), "stage %q: no party called %q (have %s)", name, st.Mediator, strings.Join(s.Names(), ", "))
		}
	}
	if st.MediatorPolicy != "" {
		if fe := checkSpec(q.key("mediator_policy"), name, st.MediatorPolicy); fe != nil {
			return out, fe
		}
	}
	if st.Start.Kind == parley.StartReference {
		found := false
		for _, r := range s.References {
			if r.Name == st.Start.Reference {
				out.Reference, found = r.Outcome, true
				break
			}
		}
		if !found {
			return out, ferr(q.key("start"), "stage %q: start names no reference %q", name, st.Start.Reference)
		}
	}
	return out, nil
}

// checkSpec checks the syntax of a mediator strategy spec ("name" or
// "name:key=value,key=value", package spec); the names are checked where
// the strategies live.
func checkSpec(q path, stage, text string) *fieldError {
	if _, err := spec.Parse(text); err != nil {
		return ferr(q, "stage %q: mediator_policy %q: want name or name:key=value,...: %v", stage, text, err)
	}
	return nil
}
