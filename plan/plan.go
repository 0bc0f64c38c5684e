// Package plan turns the protocol a scenario declares (scenario.Protocol:
// stages and variants, docs/scenario-format.md) into a runnable
// staged.Plan, resolving party and reference names to indices and outcomes.
package plan

import (
	"fmt"
	"strings"

	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
)

// FromScenario returns the staged plan of s's protocol: the named variant,
// or with variant "" the stages in their declared order. Party names become
// indices into s.Parties; a mediated stage without a mediator gets
// Mediator -1; start "reference:NAME" becomes the reference's outcome.
// The plan's MediatorPolicy fields carry the stages' mediator specs for the
// caller to build seats from. A scenario without a protocol is an error.
func FromScenario(s *scenario.Scenario, variant string) (staged.Plan, error) {
	if s == nil {
		return staged.Plan{}, fmt.Errorf("plan: no scenario")
	}
	if s.Protocol == nil {
		return staged.Plan{}, fmt.Errorf("plan: scenario %s declares no protocol", s.Name)
	}
	if err := s.Protocol.Validate(s); err != nil {
		return staged.Plan{}, fmt.Errorf("plan: %w", err)
	}
	stages, err := s.Protocol.Resolve(variant)
	if err != nil {
		return staged.Plan{}, fmt.Errorf("plan: %w", err)
	}
	var p staged.Plan
	for _, st := range stages {
		out, err := stage(s, st)
		if err != nil {
			return staged.Plan{}, fmt.Errorf("plan: scenario %s: stage %q: %w", s.Name, st.Name, err)
		}
		p.Stages = append(p.Stages, out)
	}
	return p, nil
}

// Variants returns the names of s's protocol variants in file order (nil
// without a protocol).
func Variants(s *scenario.Scenario) []string {
	if s == nil || s.Protocol == nil {
		return nil
	}
	names := make([]string, len(s.Protocol.Variants))
	for i, v := range s.Protocol.Variants {
		names[i] = v.Name
	}
	return names
}

func stage(s *scenario.Scenario, st scenario.Stage) (staged.Stage, error) {
	out := staged.Stage{Name: st.Name, Mediator: -1, Rounds: st.Rounds, OnWalkAwayNext: st.OnWalkAwayNext,
		Transition:     staged.Transition{Kind: st.Transition.Kind, K: st.Transition.K},
		MediatorPolicy: st.MediatorPolicy}
	if out.Transition.Kind == "" {
		out.Transition.Kind = staged.Deadline
	}
	for _, name := range st.Participants {
		i := s.Party(name)
		if i < 0 {
			return out, fmt.Errorf("no party called %q", name)
		}
		out.Participants = append(out.Participants, i)
	}
	switch st.Carry {
	case "", scenario.CarryNone:
		out.Carry = staged.CarryNone
	case scenario.CarryBestAcceptable:
		out.Carry = staged.CarryBestAcceptable
	case scenario.CarryPartialIssues:
		out.Carry = staged.CarryPartialIssues
	default:
		return out, fmt.Errorf("unknown carry %q", st.Carry)
	}
	switch {
	case st.Start == "", st.Start == scenario.StartCarry:
	case st.Start == scenario.StartRandom:
		out.StartRandom = true
	case strings.HasPrefix(st.Start, scenario.StartReference):
		name := strings.TrimPrefix(st.Start, scenario.StartReference)
		found := false
		for _, r := range s.References {
			if r.Name == name {
				out.StartReference, out.HasStartReference, found = r.Outcome, true, true
				break
			}
		}
		if !found {
			return out, fmt.Errorf("start names no reference %q", name)
		}
	default:
		return out, fmt.Errorf("unknown start %q", st.Start)
	}
	switch st.Mechanism {
	case scenario.MechanismAlternatingOffers:
		out.Mechanism = staged.SAO
		return out, nil
	case scenario.MechanismMediated:
		out.Mechanism = staged.Mediated
	default:
		return out, fmt.Errorf("unknown mechanism %q", st.Mechanism)
	}
	if st.Mediator != "" {
		if out.Mediator = s.Party(st.Mediator); out.Mediator < 0 {
			return out, fmt.Errorf("no party called %q", st.Mediator)
		}
	}
	rule, err := mediated.ParseRule(st.Rule)
	if err != nil {
		return out, err
	}
	info, err := mediated.ParseInfo(st.Info)
	if err != nil {
		return out, err
	}
	out.Mediated = mediated.Options{Rounds: st.Rounds, Rule: rule, Info: info, Noise: st.Noise, NoFinalVote: st.NoFinalVote}
	return out, nil
}
