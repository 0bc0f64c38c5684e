package experiment

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/scenario"
)

// The information condition of a sequencing experiment.
//
// Direct negotiators in an alternating-offers stage know nothing of each
// other's preferences but the offers they see. A mediator that reads the
// parties' profiles (info declared or full) is therefore an informed
// planner against blind agents, and a comparison of the two says more
// about information than about sequencing. By default the sequencing
// experiment compares its arms at matched information: every mediated
// stage runs at info votes, so that the mediator, like the negotiators,
// learns the parties' preferences only from their behaviour (votes, as the
// negotiators learn from offers). A factor on a stage's info
// (--factor mediated.info=votes,self_report,declared,full) crosses the
// arms with the levels instead and reports every cell.
//
// A mediator policy that needs declared preferences (Config.NeedsDeclared:
// nash, ks and biased among the built-in ones) cannot run on votes alone;
// at a level that gives no profiles (votes, nothing) its stage runs
// VotesMediatorPolicy instead, and the arm's Mediator says so.

// VotesMediatorPolicy is the mediator that replaces a policy needing
// declared preferences at a level that gives none: the feedback mediator
// (Aydoğan et al. 2014), which learns each party's value orders from its
// votes, as an opponent model learns from offers, and calls the final vote
// when it has nothing left to propose.
const VotesMediatorPolicy = "feedback:call=true"

// MatchedInfo is the information level of the mediated stages in the
// default sequencing experiment.
const MatchedInfo = parley.InfoVotes

// SequencingArms returns the arms of a sequencing experiment on s: every
// variant in variants (nil: every declared variant, in file order), at
// matched information (MatchedInfo), or, with factors, crossed with every
// cell of the factors' grid (Grid): for each cell in grid order, every
// variant, in arms named "VARIANT CELL" ("bilateral_only
// mediated.info=votes"). Mediated stages that no factor sets to an info
// level run at MatchedInfo. needsDeclared reports whether
// a mediator policy spec needs declared preferences (nil: none does); such
// a policy is replaced by VotesMediatorPolicy in the stages that give the
// mediator no profiles. The returned text states the information
// condition, for the report's header (Report.Information).
func SequencingArms(s *scenario.Scenario, variants []string, factors []Param, needsDeclared func(spec string) bool) ([]Treatment, string, error) {
	if s.Protocol == nil || len(s.Protocol.Variants) == 0 {
		return nil, "", fmt.Errorf("experiment: scenario %s declares no protocol variants to compare (protocol.variants)", s.Name)
	}
	if len(variants) == 0 {
		for _, v := range s.Protocol.Variants {
			variants = append(variants, v.Name)
		}
	}
	for _, v := range variants {
		if s.Protocol.Variant(v) == nil {
			return nil, "", fmt.Errorf("experiment: scenario %s has no protocol variant %q", s.Name, v)
		}
	}
	cells, err := Grid(factors)
	if err != nil {
		return nil, "", err
	}
	// The mediated stages whose info is not a factor run at MatchedInfo.
	var matched []string
	for _, st := range s.Protocol.Stages {
		if st.Mechanism != parley.MechanismMediated {
			continue
		}
		if !slices.ContainsFunc(factors, func(p Param) bool { return p.Target == st.Name && p.Name == "info" }) {
			matched = append(matched, st.Name)
		}
	}
	var baseSet []string
	for _, name := range matched {
		baseSet = append(baseSet, name+".info="+MatchedInfo.String())
	}
	var ts []Treatment
	replaced := map[string]bool{}
	for _, c := range cells {
		for _, v := range variants {
			set := append(slices.Clone(baseSet), c.Settings()...)
			cs, err := s.With(set...)
			if err != nil {
				return nil, "", fmt.Errorf("experiment: %w", err)
			}
			more, policies := votesOnly(cs, needsDeclared)
			for _, p := range policies {
				replaced[p] = true
			}
			set = append(set, more...)
			name := v
			if len(factors) > 0 {
				name += " " + c.Name()
			}
			ts = append(ts, Treatment{Name: name, Variant: v, Params: c.Map(), Set: set})
		}
	}
	return ts, informationText(s, factors, matched, replaced), nil
}

// votesOnly returns the settings that replace, in the mediated stages of
// s that give the mediator no profiles, a mediator policy that needs them
// by VotesMediatorPolicy, and the policies they replace.
func votesOnly(s *scenario.Scenario, needsDeclared func(string) bool) (settings, policies []string) {
	if needsDeclared == nil {
		return nil, nil
	}
	for _, st := range s.Protocol.Stages {
		if st.Mechanism != parley.MechanismMediated || (st.Info != parley.InfoVotes && st.Info != parley.InfoNothing) {
			continue
		}
		if st.MediatorPolicy != "" && needsDeclared(st.MediatorPolicy) {
			policies = append(policies, st.MediatorPolicy)
			settings = append(settings, st.Name+".mediator_policy="+VotesMediatorPolicy)
		}
	}
	return settings, policies
}

// informationText states the information condition of a sequencing
// experiment in one line.
func informationText(s *scenario.Scenario, factors []Param, matched []string, replaced map[string]bool) string {
	var parts []string
	for _, p := range factors {
		parts = append(parts, "factor "+p.Key()+"="+strings.Join(p.Values, ","))
	}
	if len(matched) > 0 {
		declared := make([]string, len(matched))
		for i, name := range matched {
			declared[i] = s.Protocol.Stages[s.Protocol.Stage(name)].Info.String()
		}
		parts = append(parts, fmt.Sprintf("matched: the mediator sees votes only, as the direct negotiators see offers only (%s.info=%s, where the scenario declares %s)",
			strings.Join(matched, ","), MatchedInfo, strings.Join(declared, ",")))
	}
	if len(replaced) > 0 {
		ps := make([]string, 0, len(replaced))
		for p := range replaced {
			ps = append(ps, p)
		}
		slices.Sort(ps)
		parts = append(parts, fmt.Sprintf("without profiles %s (which needs them) is replaced by %s", strings.Join(ps, ", "), VotesMediatorPolicy))
	}
	if len(parts) == 0 {
		return "as declared by the scenario (no mediated stage)"
	}
	return strings.Join(parts, "; ")
}
