package main

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/experiment"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/strategy/mediator"
	"github.com/parley-dev/parley/tournament"
)

// tournamentProtocol decides the tournament's protocol (--protocol, or
// mediated for --mediators without --agents) and rejects the settings that
// do not apply to it, naming the flag (or the file's field).
func tournamentProtocol(s *tournamentSpec, agents, meds []string) (tournament.Protocol, error) {
	var proto tournament.Protocol
	switch p := strings.ToLower(strings.TrimSpace(s.Protocol)); p {
	case "", "auto":
		proto = tournament.ProtocolSAO
		if len(meds) > 0 && len(agents) == 0 {
			proto = tournament.ProtocolMediated
		}
	default:
		var err error
		if proto, err = tournament.ParseProtocol(p); err != nil {
			return "", s.errorAt("protocol", "$.protocol", fmt.Errorf("%q: want sao, mediated or staged", s.Protocol))
		}
	}
	refuse := func(key, why string) error {
		if !s.given(key) {
			return nil
		}
		return s.errorAt(key, "$."+key, errors.New(why))
	}
	var errs []error
	switch proto {
	case tournament.ProtocolSAO:
		const why = "applies to mediated and staged tournaments (--protocol mediated or staged), not to alternating offers"
		if len(meds) > 0 {
			errs = append(errs, refuse("mediators", why+" (give --agents for negotiators, or leave --agents out for a tournament of mediators)"))
		}
		errs = append(errs, refuse("voters", why), refuse("variant", "applies to staged tournaments (--protocol staged)"),
			refuse("rule", "applies to mediated tournaments (--protocol mediated)"), refuse("info", "applies to mediated tournaments (--protocol mediated)"),
			refuse("noise", "applies to mediated tournaments (--protocol mediated)"))
	case tournament.ProtocolMediated:
		if len(agents) > 0 {
			errs = append(errs, refuse("agents", "a mediated tournament's competitors are its --mediators, voting with --voters: it takes no negotiators"))
		}
		if len(meds) == 0 {
			return "", usageError{errors.New("tournament: --protocol mediated: no mediators: give --mediators a,b,... (see 'parley agents')")}
		}
		errs = append(errs, refuse("timing", "applies to alternating offers only"), refuse("self_play", "applies to negotiators, not to a mediated tournament"),
			refuse("variant", "applies to staged tournaments (--protocol staged)"))
	case tournament.ProtocolStaged:
		errs = append(errs, refuse("deadline", "a staged protocol's stages set their own rounds"), refuse("timing", "applies to alternating offers only"),
			refuse("rule", "a staged protocol's stages set their own rule"), refuse("info", "a staged protocol's stages set their own information level"),
			refuse("noise", "a staged protocol's stages set their own noise"))
		if len(meds) > 1 {
			errs = append(errs, s.errorAt("mediators", "$.mediators", fmt.Errorf("%d mediators: a staged tournament's agents compete under one mediator", len(meds))))
		}
	}
	for _, err := range errs {
		if err != nil {
			return "", err
		}
	}
	return proto, nil
}

// mediationSeats fills the tournament's mediators, voters and mediated
// options from the spec.
func mediationSeats(s *tournamentSpec, cfg *tournament.Config, meds, voters []string) error {
	switch cfg.Protocol {
	case tournament.ProtocolSAO:
		return nil
	case tournament.ProtocolMediated:
		rule, info := s.Rule, s.Info
		if strings.TrimSpace(rule) == "" {
			rule = parley.RuleMediator.String()
		}
		if strings.TrimSpace(info) == "" {
			info = parley.InfoDeclared.String()
		}
		var err error
		if cfg.Rule, err = parley.ParseRule(rule); err != nil {
			return s.errorAt("rule", "$.rule", err)
		}
		if cfg.Info, err = parley.ParseInfo(info); err != nil {
			return s.errorAt("info", "$.info", err)
		}
		if cfg.Noise = s.Noise; math.IsNaN(s.Noise) || math.IsInf(s.Noise, 0) || s.Noise < 0 {
			return s.errorAt("noise", "$.noise", fmt.Errorf("%v: want a non-negative number", s.Noise))
		}
		if s.Noise > 0 && cfg.Info != parley.InfoDeclared {
			return s.errorAt("noise", "$.noise", fmt.Errorf("%v: noise perturbs declared profiles: it needs --info declared, not %s", s.Noise, cfg.Info))
		}
		if len(voters) == 0 {
			return usageError{errors.New("tournament: a mediated tournament needs voters: give --voters a,b,... (see 'parley agents')")}
		}
	case tournament.ProtocolStaged:
		mediatedStage := false
		for i, sc := range cfg.Scenarios {
			if sc.Protocol == nil {
				return s.errorAt("scenarios", fmt.Sprintf("$.scenarios[%d]", i),
					fmt.Errorf("scenario %s declares no protocol to run staged (see docs/scenario-format.md, \"Protocol\")", cfg.ScenarioRefs[i]))
			}
			pl, err := plan.FromScenario(sc, cfg.Variant)
			if err != nil {
				return s.errorAt("variant", "$.variant", fmt.Errorf("%w (variants: %s)", err, strings.Join(plan.Variants(sc), ", ")))
			}
			for _, st := range pl.Stages {
				mediatedStage = mediatedStage || st.Mechanism == parley.MechanismMediated
			}
			policy, err := plan.MediatorPolicy(sc, cfg.Variant)
			if err != nil {
				return s.errorAt("scenarios", fmt.Sprintf("$.scenarios[%d]", i), err)
			}
			if !s.given("mediators") && mediatedStage {
				switch {
				case len(meds) == 0 && policy == "":
					meds = []string{experiment.DefaultMediatorPolicy}
				case len(meds) == 0:
					meds = []string{policy}
				case policy != "" && policy != meds[0]:
					return usageError{fmt.Errorf("tournament: the scenarios' mediated stages declare different mediators (%s, %s): choose one with --mediators", meds[0], policy)}
				}
			}
		}
		if !mediatedStage {
			if err := s.refuseUnused("mediators", meds); err != nil {
				return err
			}
			if err := s.refuseUnused("voters", voters); err != nil {
				return err
			}
			return nil
		}
		if len(voters) == 0 {
			voters = []string{defaultVoter}
		}
	}
	for i, spec := range meds {
		spec = strings.TrimSpace(spec)
		f, err := mediator.ParseMediator(spec)
		if err != nil {
			return s.errorAt("mediators", fmt.Sprintf("$.mediators[%d]", i), err)
		}
		if cfg.Protocol == tournament.ProtocolMediated && cfg.Rule != parley.RuleMediator {
			if _, ok := f().(*mediator.Anneal); ok {
				return s.errorAt("rule", "$.rule", fmt.Errorf("%s: mediator %q adopts rejected proposals only under rule %q: under %q it would run as hill-climbing", cfg.Rule, spec, parley.RuleMediator, cfg.Rule))
			}
		}
		cfg.Mediators = append(cfg.Mediators, tournament.Mediator{Name: spec, New: func() mediated.Mediator { return f() }})
	}
	for i, spec := range voters {
		spec = strings.TrimSpace(spec)
		f, err := mediator.ParseVoter(spec)
		if err != nil {
			return s.errorAt("voters", fmt.Sprintf("$.voters[%d]", i), err)
		}
		cfg.Voters = append(cfg.Voters, tournament.Voter{Name: spec, New: func() mediated.Voter { return f() }})
	}
	return nil
}

// refuseUnused rejects mediators or voters given for staged protocols
// without a mediated stage.
func (s *tournamentSpec) refuseUnused(key string, specs []string) error {
	if len(specs) == 0 {
		return nil
	}
	return s.errorAt(key, "$."+key, errors.New("the scenarios' staged protocols have no mediated stage"))
}
