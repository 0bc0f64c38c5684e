package tracefile_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/tracefile"
)

// stageExcluded lists the fields of parley.Stage that a trace does not
// write, with why: none. A field added to parley.Stage must be written
// (StageOf, read back by Stage.Parley) and get a case in TestStageFields,
// or be listed here with its reason.
var stageExcluded = map[string]string{}

// TestStageFields changes every field of parley.Stage in turn and checks
// that the trace's description of the stage changes with it and reads
// back to the same stage, so that a trace says exactly what ran.
func TestStageFields(t *testing.T) {
	space, _ := parleytest.TwoIssue()
	names := []string{"A", "B", "C"}
	base := parley.Stage{Name: "mediated", Mechanism: parley.MechanismMediated, Participants: []int{0, 1}, Mediator: 2, Rounds: 4, RoundCost: 2,
		Transition: parley.Transition{Kind: parley.TransitionStall, K: 2}, Carry: parley.CarryBestAcceptable, OnWalkAwayNext: 0.5,
		Start: parley.Start{Kind: parley.StartReference, Reference: "deal"}, Reference: 3, Rule: parley.RuleMajority, Info: parley.InfoDeclared, Noise: 0.1}
	change := map[string]func(*parley.Stage){
		"Name": func(s *parley.Stage) { s.Name = "other" },
		"Mechanism": func(s *parley.Stage) {
			*s = parley.Stage{Name: s.Name, Mechanism: parley.MechanismAlternatingOffers, Participants: s.Participants, Mediator: -1, Rounds: s.Rounds, RoundCost: 1}
		},
		"Participants":   func(s *parley.Stage) { s.Participants = []int{1, 0} },
		"Mediator":       func(s *parley.Stage) { s.Mediator = -1 },
		"Rounds":         func(s *parley.Stage) { s.Rounds = 5 },
		"RoundCost":      func(s *parley.Stage) { s.RoundCost = 3 },
		"Transition":     func(s *parley.Stage) { s.Transition.K = 3 },
		"Carry":          func(s *parley.Stage) { s.Carry = parley.CarryPartialIssues },
		"OnWalkAwayNext": func(s *parley.Stage) { s.OnWalkAwayNext = 0.25 },
		"Start":          func(s *parley.Stage) { s.Start.Reference = "other" },
		"Reference":      func(s *parley.Stage) { s.Reference = 4 },
		"Rule":           func(s *parley.Stage) { s.Rule = parley.RuleUnanimous },
		"Info":           func(s *parley.Stage) { s.Info, s.Noise = parley.InfoFull, 0 },
		"Noise":          func(s *parley.Stage) { s.Noise = 0.2 },
		"NoFinalVote":    func(s *parley.Stage) { s.NoFinalVote = true },
	}
	view := func(s *parley.Stage) []byte {
		st := tracefile.StageOf(names, space, s, 1)
		b, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		back, err := st.Parley(names, space)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if !reflect.DeepEqual(back, *s) {
			t.Errorf("%s reads back as\n%+v, want\n%+v", b, back, *s)
		}
		return b
	}
	want := view(&base)
	for f := range reflect.TypeFor[parley.Stage]().Fields() {
		if _, ok := stageExcluded[f.Name]; ok {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			ch, ok := change[f.Name]
			if !ok {
				t.Fatalf("parley.Stage.%s: not in the trace's stage (tracefile.StageOf) nor in stageExcluded", f.Name)
			}
			s := base
			s.Participants = append([]int(nil), base.Participants...)
			ch(&s)
			if got := view(&s); bytes.Equal(got, want) {
				t.Errorf("changing %s leaves the stage as %s", f.Name, got)
			}
		})
	}
}

// TestStageParleyErrors: a stage that cannot be read back names its field.
func TestStageParleyErrors(t *testing.T) {
	space, _ := parleytest.TwoIssue()
	names := []string{"A", "B"}
	good := tracefile.StageOf(names, space, &parley.Stage{Name: "m", Mechanism: parley.MechanismMediated, Participants: []int{0, 1}, Mediator: -1, Rounds: 2,
		Start: parley.Start{Kind: parley.StartReference, Reference: "r"}, Reference: 1}, 1)
	for _, tc := range []struct {
		name string
		edit func(*tracefile.Stage)
		want string
	}{
		{"party", func(s *tracefile.Stage) { s.Participants = []string{"A", "Z"} }, `tracefile: stage "m": participants[1]: unknown party "Z"`},
		{"mediating party", func(s *tracefile.Stage) { s.MediatingParty = "Z" }, `tracefile: stage "m": mediating_party: unknown party "Z"`},
		{"reference", func(s *tracefile.Stage) { s.Reference = map[string]any{"price": "free", "delivery": "fast"} }, `tracefile: stage "m": reference: issue "price"`},
		{"rule", func(s *tracefile.Stage) { s.Rule = nil }, `tracefile: stage "m": a mediated stage needs rule, info, noise and final_vote`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := good
			tc.edit(&st)
			_, err := st.Parley(names, space)
			if err == nil || len(err.Error()) < len(tc.want) || err.Error()[:len(tc.want)] != tc.want {
				t.Errorf("error %v, want %s...", err, tc.want)
			}
		})
	}
}
