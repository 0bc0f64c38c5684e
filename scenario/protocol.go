package scenario

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/parley-dev/parley/spec"
)

// Protocol is a scenario's declared protocol: ordered stages, each run by
// one mechanism on one global clock, and named variants that reorder the
// stages or override their settings (docs/scenario-format.md, "Protocol").
// It is plain data: package plan turns it into a runnable staged plan.
type Protocol struct {
	// Stages in the default order; the default run uses all of them.
	Stages []Stage
	// Variants in file order.
	Variants []Variant
}

// Mechanism names of a stage.
const (
	MechanismAlternatingOffers = "alternating_offers"
	MechanismMediated          = "mediated"
)

// Transition kinds: when a stage hands over to the next one.
const (
	// TransitionDeadline: the stage's rounds run out (the default).
	TransitionDeadline = "deadline"
	// TransitionStall: no progress (no new best offer or text for any
	// participant) for K rounds.
	TransitionStall = "stall"
	// TransitionAllRequest: every participant asks to move on in one round
	// (alternating offers only: each participant's End in one round).
	TransitionAllRequest = "all_request"
)

// What a stage hands over to the next.
const (
	CarryNone           = "none"
	CarryBestAcceptable = "best_acceptable"
	CarryPartialIssues  = "partial_issues"
)

// Voting rules of a mediated stage.
const (
	RuleUnanimous = "unanimous"
	RuleMajority  = "majority"
	RuleMediator  = "mediator"
)

// What the mediator of a mediated stage sees of the parties' preferences.
const (
	InfoNone     = "none"
	InfoDeclared = "declared"
	InfoFull     = "full"
	InfoNothing  = "nothing" // not even the votes
)

// Start texts. StartReference is a prefix: "reference:NAME".
const (
	StartCarry     = "carry"
	StartRandom    = "random"
	StartReference = "reference:"
)

// Stage is one stage of a protocol. Empty strings mean the defaults
// (mechanism excepted, which is required).
type Stage struct {
	Name         string
	Participants []string // party names, at least two
	Mechanism    string   // MechanismAlternatingOffers or MechanismMediated
	Rounds       int      // the stage's round budget, > 0
	Transition   Transition
	Carry        string // CarryNone (default), CarryBestAcceptable or CarryPartialIssues
	// OnWalkAwayNext is the probability that the run moves on to the next
	// stage when a participant walks away in this one (0: the run ends).
	OnWalkAwayNext float64
	// Start is the opening text or standing offer: StartCarry (default:
	// what the previous stage carried, if anything), StartRandom (mediated
	// only) or StartReference+NAME.
	Start string

	// Mediated stages only.
	Mediator       string  // the mediating party's name; "" for a mediator without interests
	Rule           string  // RuleUnanimous (default), RuleMajority or RuleMediator
	Info           string  // InfoNone (default: votes only), InfoDeclared, InfoFull or InfoNothing
	Noise          float64 // InfoDeclared: standard deviation of the noise on declared utilities
	MediatorPolicy string  // a mediator strategy spec, e.g. "biased:bias=0.25"
	NoFinalVote    bool    // skip the final unanimous vote on the text
}

// Transition is a stage's transition rule.
type Transition struct {
	Kind string // TransitionDeadline (default, also ""), TransitionStall or TransitionAllRequest
	K    int    // TransitionStall: rounds without progress
}

// String writes the rule as in a scenario file: "deadline", "stall:5",
// "all_request".
func (t Transition) String() string {
	switch t.Kind {
	case "":
		return TransitionDeadline
	case TransitionStall:
		return TransitionStall + ":" + strconv.Itoa(t.K)
	}
	return t.Kind
}

// ParseTransition reads "deadline", "stall:K" or "all_request".
func ParseTransition(s string) (Transition, error) {
	switch s {
	case "", TransitionDeadline:
		return Transition{Kind: TransitionDeadline}, nil
	case TransitionAllRequest:
		return Transition{Kind: TransitionAllRequest}, nil
	}
	if k, ok := strings.CutPrefix(s, TransitionStall+":"); ok {
		n, err := strconv.Atoi(k)
		if err != nil {
			return Transition{}, fmt.Errorf("transition %q: %q is not an integer number of rounds", s, k)
		}
		return Transition{Kind: TransitionStall, K: n}, nil
	}
	if s == TransitionStall {
		return Transition{}, fmt.Errorf("transition %q needs a number of rounds (stall:K)", s)
	}
	return Transition{}, fmt.Errorf("unknown transition %q (want deadline, stall:K or all_request)", s)
}

// Variant is a named sequence of stages with per-stage overrides.
type Variant struct {
	Name  string
	Steps []VariantStep
}

// VariantStep is one stage of a variant; zero fields keep the stage's own
// setting.
type VariantStep struct {
	Stage      string // the name of a stage of Protocol.Stages
	Rounds     int
	Transition Transition
	Carry      string
	Start      string
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
	if step.Transition.Kind != "" {
		st.Transition = step.Transition
	}
	if step.Carry != "" {
		st.Carry = step.Carry
	}
	if step.Start != "" {
		st.Start = step.Start
	}
	return st
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
		return ferr(sp, "no stages (a protocol needs at least one)")
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
		if fe := checkStage(s, q, st); fe != nil {
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
			if step.Transition.Kind != "" {
				if fe := checkTransitionKind(r.key("transition"), step.Transition); fe != nil {
					return fe
				}
			}
			if step.Carry != "" && !validCarry(step.Carry) {
				return ferr(r.key("carry"), "variant %q: unknown carry %q (want none, best_acceptable or partial_issues)", v.Name, step.Carry)
			}
			st := applyStep(p.Stages[k], step)
			// The overrides must leave a valid stage; report against the
			// variant's fields where they caused the problem.
			if fe := checkStage(s, r, &st); fe != nil {
				return &fieldError{fe.path, fmt.Sprintf("variant %q: %s", v.Name, fe.msg)}
			}
		}
	}
	return nil
}

func stageNames(p *Protocol) string {
	names := make([]string, len(p.Stages))
	for i := range p.Stages {
		names[i] = p.Stages[i].Name
	}
	return strings.Join(names, ", ")
}

func validCarry(c string) bool {
	switch c {
	case "", CarryNone, CarryBestAcceptable, CarryPartialIssues:
		return true
	}
	return false
}

func checkTransitionKind(q path, t Transition) *fieldError {
	switch t.Kind {
	case "", TransitionDeadline, TransitionAllRequest:
		return nil
	case TransitionStall:
		if t.K < 1 {
			return ferr(q, "stall:%d can never fire: K must be at least 1 round", t.K)
		}
		return nil
	}
	return ferr(q, "unknown transition %q (want deadline, stall:K or all_request)", t.Kind)
}

// checkStage checks one stage at q (a stage or a variant step: a field
// the variant step does not set is reported at the step).
func checkStage(s *Scenario, q path, st *Stage) *fieldError {
	name := st.Name
	mediated := false
	switch st.Mechanism {
	case MechanismAlternatingOffers:
	case MechanismMediated:
		mediated = true
	case "":
		return ferr(q, "stage %q: no mechanism (want %s or %s)", name, MechanismAlternatingOffers, MechanismMediated)
	default:
		return ferr(q.key("mechanism"), "stage %q: unknown mechanism %q (want %s or %s)", name, st.Mechanism, MechanismAlternatingOffers, MechanismMediated)
	}
	pq := q.key("participants")
	if len(st.Participants) < 2 {
		return ferr(pq, "stage %q: %d participants, need at least 2", name, len(st.Participants))
	}
	in := map[string]int{}
	for j, n := range st.Participants {
		if s.Party(n) < 0 {
			return ferr(pq.at(j), "stage %q: no party called %q (have %s)", name, n, strings.Join(s.Names(), ", "))
		}
		if k, ok := in[n]; ok {
			return ferr(pq.at(j), "stage %q: party %q listed twice (participants %d and %d)", name, n, k+1, j+1)
		}
		in[n] = j
	}
	if st.Rounds <= 0 {
		return ferr(q.key("rounds"), "stage %q: rounds %d, need at least 1", name, st.Rounds)
	}
	tq := q.key("transition")
	if fe := checkTransitionKind(tq, st.Transition); fe != nil {
		return fe
	}
	switch st.Transition.Kind {
	case TransitionStall:
		if st.Transition.K >= st.Rounds {
			return ferr(tq, "stage %q: stall:%d can never fire in a stage of %d rounds (K must be below the rounds)", name, st.Transition.K, st.Rounds)
		}
	case TransitionAllRequest:
		if mediated {
			return ferr(tq, "stage %q: all_request is for alternating_offers stages (in a mediated stage a voter that leaves walks away)", name)
		}
	}
	if !validCarry(st.Carry) {
		return ferr(q.key("carry"), "stage %q: unknown carry %q (want none, best_acceptable or partial_issues)", name, st.Carry)
	}
	if p := st.OnWalkAwayNext; math.IsNaN(p) || p < 0 || p > 1 {
		return ferr(q.key("on_walk_away_next"), "stage %q: probability %v outside [0,1]", name, p)
	}
	switch {
	case st.Start == "", st.Start == StartCarry:
	case st.Start == StartRandom:
		if !mediated {
			return ferr(q.key("start"), "stage %q: start random is for mediated stages (an alternating_offers stage opens with the carried offer or a reference)", name)
		}
	case strings.HasPrefix(st.Start, StartReference):
		ref := strings.TrimPrefix(st.Start, StartReference)
		found := false
		for _, r := range s.References {
			found = found || r.Name == ref
		}
		if !found {
			return ferr(q.key("start"), "stage %q: start names no reference %q", name, ref)
		}
	default:
		return ferr(q.key("start"), "stage %q: unknown start %q (want carry, random or reference:NAME)", name, st.Start)
	}
	if !mediated {
		for _, f := range []struct {
			field string
			set   bool
		}{
			{"mediator", st.Mediator != ""}, {"rule", st.Rule != ""}, {"info", st.Info != ""},
			{"noise", st.Noise != 0}, {"mediator_policy", st.MediatorPolicy != ""}, {"final_vote", st.NoFinalVote},
		} {
			if f.set {
				return ferr(q.key(f.field), "stage %q: %s is for mediated stages (an alternating_offers stage has no mediator: list every party that talks among the participants)", name, f.field)
			}
		}
		return nil
	}
	if st.Mediator != "" {
		if s.Party(st.Mediator) < 0 {
			return ferr(q.key("mediator"), "stage %q: no party called %q (have %s)", name, st.Mediator, strings.Join(s.Names(), ", "))
		}
		if j, ok := in[st.Mediator]; ok {
			return ferr(q.key("mediator"), "stage %q: mediator %q is also participant %d: a mediator proposes and does not vote", name, st.Mediator, j+1)
		}
	}
	switch st.Rule {
	case "", RuleUnanimous, RuleMajority, RuleMediator:
	default:
		return ferr(q.key("rule"), "stage %q: unknown rule %q (want unanimous, majority or mediator)", name, st.Rule)
	}
	switch st.Info {
	case "", InfoNone, InfoDeclared, InfoFull, InfoNothing:
	default:
		return ferr(q.key("info"), "stage %q: unknown info %q (want none, declared, full or nothing)", name, st.Info)
	}
	if math.IsNaN(st.Noise) || st.Noise < 0 || st.Noise > 1 {
		return ferr(q.key("noise"), "stage %q: noise %v outside [0,1]", name, st.Noise)
	}
	if st.Noise != 0 && st.Info != InfoDeclared {
		return ferr(q.key("noise"), "stage %q: noise is for info: declared (the mediator sees noisy declared profiles)", name)
	}
	if st.MediatorPolicy != "" {
		if fe := checkSpec(q.key("mediator_policy"), name, st.MediatorPolicy); fe != nil {
			return fe
		}
	}
	return nil
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
