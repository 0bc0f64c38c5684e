package tracefile

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/parley-dev/parley"
)

// StageOf describes stage sg, whose parties are indices of names, over
// space, beginning at global round first: every setting of sg, in the
// form Stage documents. It is the one place a parley.Stage becomes its
// JSON view; Parley is its inverse.
func StageOf(names []string, space *parley.OutcomeSpace, sg *parley.Stage, first int) Stage {
	st := Stage{Name: sg.Name, Mechanism: sg.Mechanism, Rounds: sg.Rounds, FirstRound: first, RoundCost: max(sg.RoundCost, 1),
		Transition: sg.Transition, Carry: sg.Carry, OnWalkAwayNext: sg.OnWalkAwayNext, Start: sg.Start}
	for _, p := range sg.Participants {
		st.Participants = append(st.Participants, names[p])
	}
	if sg.Start.Kind == parley.StartReference {
		st.Reference = Outcome(space, sg.Reference)
	}
	if sg.Mechanism == parley.MechanismMediated {
		if sg.Mediator >= 0 {
			st.MediatingParty = names[sg.Mediator]
		}
		rule, info, noise, final := sg.Rule, sg.Info, sg.Noise, !sg.NoFinalVote
		st.Rule, st.Info, st.Noise, st.FinalVote = &rule, &info, &noise, &final
	}
	return st
}

// Parley returns the parley.Stage that st describes, with its parties
// given as indices of names and its reference outcome read over space:
// running it again runs the stage again. It names the field of any
// party, value or setting it cannot read back.
func (st *Stage) Parley(names []string, space *parley.OutcomeSpace) (parley.Stage, error) {
	sg := parley.Stage{Name: st.Name, Mechanism: st.Mechanism, Mediator: -1, Rounds: st.Rounds, RoundCost: st.RoundCost,
		Transition: st.Transition, Carry: st.Carry, OnWalkAwayNext: st.OnWalkAwayNext, Start: st.Start}
	party := func(field, name string) (int, error) {
		if i := slices.Index(names, name); i >= 0 {
			return i, nil
		}
		return 0, fmt.Errorf("tracefile: stage %q: %s: unknown party %q", st.Name, field, name)
	}
	for k, n := range st.Participants {
		i, err := party("participants["+strconv.Itoa(k)+"]", n)
		if err != nil {
			return parley.Stage{}, err
		}
		sg.Participants = append(sg.Participants, i)
	}
	if st.MediatingParty != "" {
		i, err := party("mediating_party", st.MediatingParty)
		if err != nil {
			return parley.Stage{}, err
		}
		sg.Mediator = i
	}
	if st.Start.Kind == parley.StartReference {
		o, err := ParseOutcome(space, st.Reference)
		if err != nil {
			return parley.Stage{}, fmt.Errorf("tracefile: stage %q: reference: %w", st.Name, err)
		}
		sg.Reference = o
	}
	if st.Mechanism == parley.MechanismMediated {
		if st.Rule == nil || st.Info == nil || st.Noise == nil || st.FinalVote == nil {
			return parley.Stage{}, fmt.Errorf("tracefile: stage %q: a mediated stage needs rule, info, noise and final_vote", st.Name)
		}
		sg.Rule, sg.Info, sg.Noise, sg.NoFinalVote = *st.Rule, *st.Info, *st.Noise, !*st.FinalVote
	}
	return sg, nil
}

// ParseOutcome reads an outcome written by Outcome: issue -> value, a
// number for integer and real issues, the value's name for discrete ones;
// every issue of space must have one.
func ParseOutcome(space *parley.OutcomeSpace, m map[string]any) (parley.Outcome, error) {
	if len(m) != len(space.Issues) {
		return parley.NoOutcome, fmt.Errorf("%d values for %d issues", len(m), len(space.Issues))
	}
	values := make([]int, len(space.Issues))
	for i := range space.Issues {
		is := &space.Issues[i]
		v, ok := m[is.Name]
		var err error
		switch x := v.(type) {
		case string:
			if is.Kind != parley.Discrete {
				err = fmt.Errorf("%q: a name for a numeric issue", x)
				break
			}
			values[i], err = is.Index(x)
		case float64:
			if is.Kind == parley.Discrete {
				err = fmt.Errorf("%v: a number for a discrete issue", x)
				break
			}
			values[i], err = is.IndexOf(x)
		default:
			if !ok {
				err = fmt.Errorf("no value")
			} else {
				err = fmt.Errorf("%v: want a name or a number", v)
			}
		}
		if err != nil {
			return parley.NoOutcome, fmt.Errorf("issue %q: %w", is.Name, err)
		}
	}
	return space.Encode(values)
}
