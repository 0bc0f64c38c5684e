package scenario

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/spec"
)

// Setting is one parameter of a scenario that can be changed by name, as
// TARGET.NAME=VALUE: a party's (TARGET a party) or a stage's (TARGET a
// stage of the protocol). Experiments vary settings (a sweep's grid, an
// information factor, a robustness analysis's assumptions), and a
// tournament of arms (tournament.Arm) names each arm's scenario as the
// settings that make it from the loaded one, so that any worker can
// rebuild it.
type Setting struct {
	spec.Param
	Stage bool // a stage's setting, else a party's
}

// Number reports whether the setting takes numbers.
func (k Setting) Number() bool { return k.Kind == spec.KindFloat || k.Kind == spec.KindInt }

// words returns the names of values of the protocol vocabulary.
func words[T fmt.Stringer](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.String()
	}
	return out
}

// Settings returns every setting, the parties' first, in help order.
func Settings() []Setting {
	party := []spec.Param{
		{Name: "reservation", Kind: spec.KindFloat, Min: 0, Max: 1, Doc: "the party's reservation value (at t = 0)"},
		{Name: "discount", Kind: spec.KindFloat, Min: 0, Max: 1, Doc: "the party's discount factor δ (0 = none)"},
		{Name: "reservation_drift", Aliases: []string{"drift"}, Kind: spec.KindFloat, Min: -1, Max: 1, Doc: "the party's reservation drift per unit time"},
		{Name: "walk_away_hazard", Aliases: []string{"hazard"}, Kind: spec.KindFloat, Min: 0, Max: 1, Doc: "the party's walk-away probability per no-progress round"},
		{Name: "bias", Kind: spec.KindFloat, Min: 0, Max: 1, Doc: "the mediating party's bias towards its own utility (mediator_policy bias=, in the stages it mediates)"},
		{Name: "report", Kind: spec.KindString, Words: words(parley.Reports()...), Doc: "how the party declares its profile to a mediator with info self_report"},
	}
	stage := []spec.Param{
		{Name: "rounds", Kind: spec.KindInt, Min: 1, Max: 1_000_000, Doc: "the stage's round budget (in every variant that uses the stage)"},
		{Name: "round_cost", Kind: spec.KindInt, Min: 1, Max: parley.MaxRoundCost, Doc: "how many units of the one clock a round of the stage takes"},
		{Name: "noise", Kind: spec.KindFloat, Min: 0, Max: 1, Doc: "the noise on declared profiles (info: declared)"},
		{Name: "on_walk_away_next", Kind: spec.KindFloat, Min: 0, Max: 1, Doc: "the probability that a walk-away moves on to the next stage"},
		{Name: "info", Kind: spec.KindString, Words: words(parley.InfoVotes, parley.InfoSelfReport, parley.InfoDeclared, parley.InfoFull, parley.InfoNothing), Doc: "what the mediator sees (every level but declared also sets the noise to 0; none is read as votes)"},
		{Name: "rule", Kind: spec.KindString, Words: words(parley.RuleUnanimous, parley.RuleMajority, parley.RuleMediator), Doc: "the voting rule"},
		{Name: "carry", Kind: spec.KindString, Words: words(parley.CarryNone, parley.CarryBestAcceptable, parley.CarryPartialIssues), Doc: "what the stage hands over"},
		{Name: "mediator_policy", Kind: spec.KindString, Doc: "the mediator strategy spec of a mediated stage (a spec with a comma cannot be one of a list of values)"},
	}
	out := make([]Setting, 0, len(party)+len(stage))
	for _, p := range party {
		out = append(out, Setting{Param: p})
	}
	for _, p := range stage {
		out = append(out, Setting{Param: p, Stage: true})
	}
	return out
}

// LookupSetting returns the setting called name (or one of its aliases).
func LookupSetting(name string) (Setting, bool) {
	for _, k := range Settings() {
		if k.Name == name || containsString(k.Aliases, name) {
			return k, true
		}
	}
	return Setting{}, false
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// settingNames lists the names of the party's or the stages' settings.
func settingNames(stage bool) string {
	var ns []string
	for _, k := range Settings() {
		if k.Stage == stage {
			ns = append(ns, k.Name)
		}
	}
	return strings.Join(ns, ", ")
}

// SplitSetting reads "TARGET.NAME=VALUE" (VALUE as written, maybe a list)
// into its target, the setting and the value text.
func (s *Scenario) SplitSetting(text string) (target string, k Setting, value string, err error) {
	lhs, rhs, ok := strings.Cut(text, "=")
	if !ok {
		return "", Setting{}, "", fmt.Errorf("want TARGET.NAME=VALUE (e.g. UA.reservation=0.4 or mediated.info=votes)")
	}
	lhs = strings.TrimSpace(lhs)
	dot := strings.LastIndex(lhs, ".")
	if dot <= 0 || dot == len(lhs)-1 {
		return "", Setting{}, "", fmt.Errorf("%q is not TARGET.NAME (a party or stage, a dot, a parameter)", lhs)
	}
	target, name := lhs[:dot], strings.ToLower(lhs[dot+1:])
	k, ok = LookupSetting(name)
	if !ok {
		return "", Setting{}, "", fmt.Errorf("unknown parameter %q (party parameters: %s; stage parameters: %s)", name, settingNames(false), settingNames(true))
	}
	if k.Stage {
		if s.Protocol == nil {
			return "", Setting{}, "", fmt.Errorf("scenario %s declares no protocol, so it has no stage %q", s.Name, target)
		}
		if s.Protocol.Stage(target) < 0 {
			names := make([]string, len(s.Protocol.Stages))
			for i := range s.Protocol.Stages {
				names[i] = s.Protocol.Stages[i].Name
			}
			return "", Setting{}, "", fmt.Errorf("no stage called %q (have %s)", target, strings.Join(names, ", "))
		}
	} else if s.Party(target) < 0 {
		return "", Setting{}, "", fmt.Errorf("no party called %q (have %s)", target, strings.Join(s.Names(), ", "))
	}
	if k.Name == "bias" {
		if err := s.checkBiasTarget(target); err != nil {
			return "", Setting{}, "", err
		}
	}
	return target, k, strings.TrimSpace(rhs), nil
}

// With returns a copy of s with the settings applied in order, each
// "TARGET.NAME=VALUE" with one value (see Settings): the copy's parties'
// profiles and protocol are its own, its space and utility functions are
// shared with s (settings change neither). The protocol is validated
// again after the last setting.
func (s *Scenario) With(settings ...string) (*Scenario, error) {
	c := s.cloneSettable()
	for _, text := range settings {
		target, k, v, err := c.SplitSetting(text)
		if err == nil {
			_, err = k.Parse(v)
		}
		if err == nil {
			err = c.set(target, k, v)
		}
		if err != nil {
			return nil, fmt.Errorf("scenario %s: setting %q: %w", s.Name, text, err)
		}
	}
	if c.Protocol != nil {
		if err := c.Protocol.Validate(c); err != nil {
			return nil, fmt.Errorf("scenario %s: settings %s: %w", s.Name, strings.Join(settings, " "), err)
		}
	}
	return c, nil
}

// cloneSettable copies s deeply enough to change its parties' profiles and
// its protocol: the space, utility functions and references are shared.
func (s *Scenario) cloneSettable() *Scenario {
	c := *s
	c.Parties = make([]Party, len(s.Parties))
	for i, p := range s.Parties {
		c.Parties[i] = p
		if p.Profile != nil {
			pr := *p.Profile
			c.Parties[i].Profile = &pr
		}
	}
	if s.Protocol != nil {
		pr := Protocol{Stages: make([]Stage, len(s.Protocol.Stages)), Variants: make([]Variant, len(s.Protocol.Variants))}
		for i, st := range s.Protocol.Stages {
			pr.Stages[i] = st
			pr.Stages[i].Participants = append([]string(nil), st.Participants...)
		}
		for i, v := range s.Protocol.Variants {
			pr.Variants[i] = v
			pr.Variants[i].Steps = append([]VariantStep(nil), v.Steps...)
		}
		c.Protocol = &pr
	}
	return &c
}

// checkBiasTarget checks that party mediates a stage whose policy can take
// a bias.
func (s *Scenario) checkBiasTarget(party string) error {
	if s.Protocol == nil {
		return fmt.Errorf("scenario %s declares no protocol, so %s mediates nothing", s.Name, party)
	}
	n := 0
	for _, st := range s.Protocol.Stages {
		if st.Mechanism == parley.MechanismMediated && st.Mediator == party {
			n++
			if sp, err := spec.Parse(st.MediatorPolicy); err != nil || sp.Name != "biased" {
				return fmt.Errorf("stage %q: %s mediates with policy %q, which has no bias (want biased:bias=...)", st.Name, party, st.MediatorPolicy)
			}
		}
	}
	if n == 0 {
		return fmt.Errorf("party %s mediates no stage of the protocol, so it has no bias", party)
	}
	return nil
}

// set sets setting k of target to v in s, a copy of its own
// (cloneSettable); v has been checked by k.Parse.
func (s *Scenario) set(target string, k Setting, v string) error {
	var x float64
	if k.Number() {
		var err error
		if x, err = strconv.ParseFloat(v, 64); err != nil {
			return fmt.Errorf("%q is not a number", v)
		}
	}
	if k.Stage {
		i := s.Protocol.Stage(target)
		if i < 0 {
			return fmt.Errorf("no stage called %q", target)
		}
		st := &s.Protocol.Stages[i]
		switch k.Name {
		case "rounds":
			st.Rounds = int(x)
			// The stage's rounds win over a variant's override.
			s.eachStep(target, func(s *VariantStep) { s.Rounds = 0 })
		case "round_cost":
			st.RoundCost = int(x)
		case "noise":
			st.Noise = x
		case "on_walk_away_next":
			st.OnWalkAwayNext = x
		case "info":
			info, err := parley.ParseInfo(v)
			if err != nil {
				return err
			}
			st.Info = info
			if info != parley.InfoDeclared {
				st.Noise = 0 // noise is for declared profiles only
			}
		case "rule":
			rule, err := parley.ParseRule(v)
			if err != nil {
				return err
			}
			st.Rule = rule
		case "carry":
			carry, err := parley.ParseCarry(v)
			if err != nil {
				return err
			}
			st.Carry = carry
			s.eachStep(target, func(s *VariantStep) { s.Carry = nil })
		case "mediator_policy":
			if st.Mechanism != parley.MechanismMediated {
				return fmt.Errorf("stage %q is not mediated, so it has no mediator policy", target)
			}
			if _, err := spec.Parse(v); err != nil {
				return fmt.Errorf("mediator_policy %q: %w", v, err)
			}
			st.MediatorPolicy = v
		}
		return nil
	}
	i := s.Party(target)
	if i < 0 {
		return fmt.Errorf("no party called %q", target)
	}
	prof := s.Parties[i].Profile
	switch k.Name {
	case "reservation":
		prof.Reservation = x
	case "discount":
		prof.Discount = x
	case "reservation_drift":
		prof.Drift = x
	case "walk_away_hazard":
		prof.Hazard = x
	case "report":
		r, err := parley.ParseReport(v)
		if err != nil {
			return err
		}
		prof.Report = r
	case "bias":
		for si := range s.Protocol.Stages {
			st := &s.Protocol.Stages[si]
			if st.Mechanism == parley.MechanismMediated && st.Mediator == target {
				sp, err := spec.Parse(st.MediatorPolicy)
				if err != nil {
					return fmt.Errorf("stage %q: mediator_policy %q: %w", st.Name, st.MediatorPolicy, err)
				}
				st.MediatorPolicy = sp.With("bias", v).String()
			}
		}
		return nil
	}
	return prof.Validate()
}

// eachStep calls f on every variant step that runs the stage called name.
func (s *Scenario) eachStep(name string, f func(*VariantStep)) {
	for vi := range s.Protocol.Variants {
		for si := range s.Protocol.Variants[vi].Steps {
			if s.Protocol.Variants[vi].Steps[si].Stage == name {
				f(&s.Protocol.Variants[vi].Steps[si])
			}
		}
	}
}
