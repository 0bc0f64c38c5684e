// Package plan turns the protocol a scenario declares (scenario.Protocol:
// stages and variants, docs/scenario-format.md) into a runnable
// staged.Plan, and says which mediator strategy its mediated stages ask
// for.
package plan

import (
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
)

// FromScenario returns the staged plan of s's protocol: the named variant,
// or with variant "" the stages in their declared order, with party and
// reference names resolved (scenario.Protocol.Plan). It does not check the
// protocol again: a loaded scenario has passed scenario.Protocol.Validate,
// and staged.Run holds a plan built in Go to the same rules
// (parley.Stage.Check). A scenario without a protocol is an error.
func FromScenario(s *scenario.Scenario, variant string) (staged.Plan, error) {
	if s == nil {
		return staged.Plan{}, fmt.Errorf("plan: no scenario")
	}
	if s.Protocol == nil {
		return staged.Plan{}, fmt.Errorf("plan: scenario %s declares no protocol", s.Name)
	}
	stages, err := s.Protocol.Plan(s, variant)
	if err != nil {
		return staged.Plan{}, fmt.Errorf("plan: %w", err)
	}
	return staged.Plan{Stages: stages}, nil
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

// DefaultMediatorPolicy is the mediator of mediated stages that name no
// mediator_policy: a hill-climbing mediator, which needs nothing but
// votes. MediatorPolicy is the one place it applies.
const DefaultMediatorPolicy = "hillclimb"

// MediatorPolicy returns the mediator strategy spec (mediator_policy) of
// the mediated stages of s's protocol variant ("" for the default): one
// seat mediates every mediated stage of a run, so stages that name
// different specs are an error. When no mediated stage names one it
// returns DefaultMediatorPolicy, and "" when there is no mediated stage.
func MediatorPolicy(s *scenario.Scenario, variant string) (string, error) {
	if s == nil || s.Protocol == nil {
		return "", nil
	}
	stages, err := s.Protocol.Resolve(variant)
	if err != nil {
		return "", fmt.Errorf("plan: %w", err)
	}
	spec, from, mediated := "", "", false
	for _, st := range stages {
		mediated = mediated || st.Mechanism == parley.MechanismMediated
		if st.Mechanism != parley.MechanismMediated || st.MediatorPolicy == "" {
			continue
		}
		if spec != "" && st.MediatorPolicy != spec {
			return "", fmt.Errorf("plan: scenario %s: mediated stages %q and %q name different mediator policies (%q, %q), but one mediator seat serves them all",
				s.Name, from, st.Name, spec, st.MediatorPolicy)
		}
		spec, from = st.MediatorPolicy, st.Name
	}
	if spec == "" && mediated {
		spec = DefaultMediatorPolicy
	}
	return spec, nil
}
