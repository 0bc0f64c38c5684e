package parley_test

import (
	"encoding"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
)

// word is one value of the protocol vocabulary and its one spelling.
type word struct {
	v    encoding.TextMarshaler
	text string
}

// vocabulary lists every value of every type with its text, and for each
// type a fresh pointer to unmarshal into and its Parse function.
var vocabulary = []struct {
	name  string
	words []word
	fresh func() encoding.TextUnmarshaler
	parse func(string) (any, error)
	want  string // the allowed values, as errors list them
}{
	{"mechanism", []word{{parley.MechanismAlternatingOffers, "alternating_offers"}, {parley.MechanismMediated, "mediated"}},
		func() encoding.TextUnmarshaler { return new(parley.Mechanism) },
		func(s string) (any, error) { return parley.ParseMechanism(s) }, "alternating_offers or mediated"},
	{"transition", []word{
		{parley.Transition{}, "deadline"},
		{parley.Transition{Kind: parley.TransitionStall, K: 5}, "stall:5"},
		{parley.Transition{Kind: parley.TransitionAllRequest}, "all_request"},
	}, func() encoding.TextUnmarshaler { return new(parley.Transition) },
		func(s string) (any, error) { return parley.ParseTransition(s) }, "deadline, stall:K or all_request"},
	{"carry", []word{{parley.CarryNone, "none"}, {parley.CarryBestAcceptable, "best_acceptable"}, {parley.CarryPartialIssues, "partial_issues"}},
		func() encoding.TextUnmarshaler { return new(parley.Carry) },
		func(s string) (any, error) { return parley.ParseCarry(s) }, "none, best_acceptable or partial_issues"},
	{"start", []word{
		{parley.Start{}, "carry"},
		{parley.Start{Kind: parley.StartRandom}, "random"},
		{parley.Start{Kind: parley.StartReference, Reference: "us_28_point"}, "reference:us_28_point"},
	}, func() encoding.TextUnmarshaler { return new(parley.Start) },
		func(s string) (any, error) { return parley.ParseStart(s) }, "carry, random or reference:NAME"},
	{"rule", []word{{parley.RuleUnanimous, "unanimous"}, {parley.RuleMajority, "majority"}, {parley.RuleMediator, "mediator"}},
		func() encoding.TextUnmarshaler { return new(parley.Rule) },
		func(s string) (any, error) { return parley.ParseRule(s) }, "unanimous, majority or mediator"},
	{"info", []word{{parley.InfoVotes, "votes"}, {parley.InfoDeclared, "declared"}, {parley.InfoFull, "full"}, {parley.InfoNothing, "nothing"}, {parley.InfoSelfReport, "self_report"}},
		func() encoding.TextUnmarshaler { return new(parley.Info) },
		func(s string) (any, error) { return parley.ParseInfo(s) }, "votes, declared, full, nothing or self_report"},
	{"report", []word{{parley.ReportTruthful, "truthful"}, {parley.ReportExaggerate, "exaggerate"}, {parley.ReportHideRedLines, "hide_red_lines"}},
		func() encoding.TextUnmarshaler { return new(parley.Report) },
		func(s string) (any, error) { return parley.ParseReport(s) }, "truthful, exaggerate or hide_red_lines"},
	{"end reason", []word{
		{parley.ReasonAgreement, "agreement"}, {parley.ReasonDeadline, "deadline"}, {parley.ReasonWalkAway, "walk_away"},
		{parley.ReasonError, "error"}, {parley.ReasonMediatorExit, "mediator_exit"}, {parley.ReasonRatificationFailed, "ratification_failed"},
	}, func() encoding.TextUnmarshaler { return new(parley.Reason) },
		func(s string) (any, error) { return parley.ParseReason(s) }, "agreement, deadline, walk_away, error, mediator_exit or ratification_failed"},
}

// TestVocabularyRoundTrip: every value has one text, which MarshalText,
// String and JSON write and Parse and UnmarshalText read back.
func TestVocabularyRoundTrip(t *testing.T) {
	for _, typ := range vocabulary {
		for _, w := range typ.words {
			b, err := w.v.MarshalText()
			if err != nil || string(b) != w.text {
				t.Errorf("%s %#v: MarshalText %q, %v, want %q", typ.name, w.v, b, err, w.text)
			}
			if s := w.v.(interface{ String() string }).String(); s != w.text {
				t.Errorf("%s %#v: String %q, want %q", typ.name, w.v, s, w.text)
			}
			got, err := typ.parse(w.text)
			if err != nil || got != w.v {
				t.Errorf("%s: Parse(%q) = %#v, %v, want %#v", typ.name, w.text, got, err, w.v)
			}
			u := typ.fresh()
			if err := u.UnmarshalText([]byte(w.text)); err != nil || reflect.ValueOf(u).Elem().Interface() != w.v {
				t.Errorf("%s: UnmarshalText(%q) = %#v, %v", typ.name, w.text, u, err)
			}
			// JSON (and so traces, reports and the database) use the same
			// text, as a string and as a map key.
			j, err := json.Marshal(map[string]any{"v": w.v})
			if err != nil || string(j) != `{"v":"`+w.text+`"}` {
				t.Errorf("%s: JSON %s, %v", typ.name, j, err)
			}
			u = typ.fresh()
			if err := json.Unmarshal([]byte(`"`+w.text+`"`), u); err != nil || reflect.ValueOf(u).Elem().Interface() != w.v {
				t.Errorf("%s: JSON %q read back as %#v, %v", typ.name, w.text, u, err)
			}
		}
		// A bad text is an error naming it and every allowed value, and
		// UnmarshalText leaves the value alone.
		for _, bad := range []string{"nonsense", "", strings.ToUpper(typ.words[1].text), " " + typ.words[0].text} {
			_, err := typ.parse(bad)
			if err == nil || !strings.Contains(err.Error(), typ.want) {
				t.Errorf("%s: Parse(%q): %v, want an error listing %s", typ.name, bad, err, typ.want)
				continue
			}
			if bad != "" && !strings.Contains(err.Error(), `"`+bad+`"`) {
				t.Errorf("%s: Parse(%q): %v does not name the text", typ.name, bad, err)
			}
			u := typ.fresh()
			before := reflect.ValueOf(u).Elem().Interface()
			if u.UnmarshalText([]byte(bad)) == nil || reflect.ValueOf(u).Elem().Interface() != before {
				t.Errorf("%s: UnmarshalText(%q) accepted or changed the value", typ.name, bad)
			}
		}
	}
}

// TestVocabularyInvalid: a value out of range has no text.
func TestVocabularyInvalid(t *testing.T) {
	for _, tc := range []struct {
		v    encoding.TextMarshaler
		want string
	}{
		{parley.Mechanism(0), "invalid mechanism Mechanism(0) (want alternating_offers or mediated)"},
		{parley.Mechanism(3), "invalid mechanism Mechanism(3)"},
		{parley.Transition{Kind: 3}, "invalid transition TransitionKind(3)"},
		{parley.Carry(3), "invalid carry Carry(3)"},
		{parley.Start{Kind: 3}, "invalid start StartKind(3)"},
		{parley.Start{Kind: parley.StartReference}, "invalid start reference:"},
		{parley.Rule(3), "invalid rule Rule(3)"},
		{parley.Info(5), "invalid info Info(5)"},
		{parley.Report(3), "invalid report Report(3)"},
		{parley.Reason(6), "invalid end reason Reason(6)"},
	} {
		if b, err := tc.v.MarshalText(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%#v: %q, %v, want %q", tc.v, b, err, tc.want)
		}
	}
}

func TestParseTransition(t *testing.T) {
	for _, tc := range []struct{ in, err string }{
		{"stall", "needs a number of rounds (stall:K)"},
		{"stall:", `"" is not an integer number of rounds`},
		{"stall:x", `"x" is not an integer number of rounds`},
		{"stall:99999999999999999999", "is not an integer"},
		{"timeout", `unknown transition "timeout" (want deadline, stall:K or all_request)`},
	} {
		if _, err := parley.ParseTransition(tc.in); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%q: %v, want %q", tc.in, err, tc.err)
		}
	}
	// Stage.Check, not the parser, says whether a stall can fire.
	if tr, err := parley.ParseTransition("stall:0"); err != nil || tr != (parley.Transition{Kind: parley.TransitionStall}) {
		t.Errorf("stall:0: %v %v", tr, err)
	}
	if _, err := parley.ParseStart("reference:"); err == nil || !strings.Contains(err.Error(), `start "reference:" names no reference`) {
		t.Errorf("reference without a name: %v", err)
	}
}

// FuzzParse: whatever a parser accepts, its MarshalText writes and the
// parser reads back as the same value; nothing panics.
func FuzzParse(f *testing.F) {
	for _, typ := range vocabulary {
		for _, w := range typ.words {
			f.Add(w.text)
		}
	}
	for _, s := range []string{"", "stall", "stall:", "stall:-1", "stall:+3", "stall:007", "stall:99999999999999999999", "reference:", "reference:a:b", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, typ := range vocabulary {
			v, err := typ.parse(s)
			if err != nil {
				if err.Error() == "" {
					t.Fatalf("%s %q: empty error", typ.name, s)
				}
				continue
			}
			b, err := v.(encoding.TextMarshaler).MarshalText()
			if err != nil {
				t.Fatalf("%s %q: parsed as %#v, which does not marshal: %v", typ.name, s, v, err)
			}
			back, err := typ.parse(string(b))
			if err != nil || back != v {
				t.Fatalf("%s %q: %#v written %q read back %#v, %v", typ.name, s, v, b, back, err)
			}
		}
	})
}

// TestStageCheck: the one validator of a declared stage, by field.
func TestStageCheck(t *testing.T) {
	sp, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "x", Values: []string{"a", "b"}}})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"RU", "UA", "US"}
	ao := func() parley.Stage {
		return parley.Stage{Name: "talks", Mechanism: parley.MechanismAlternatingOffers, Participants: []int{0, 1}, Mediator: -1, Rounds: 10}
	}
	med := func() parley.Stage {
		return parley.Stage{Name: "med", Mechanism: parley.MechanismMediated, Participants: []int{0, 1}, Mediator: 2, Rounds: 10}
	}
	for _, tc := range []struct {
		name  string
		st    func() parley.Stage
		edit  func(*parley.Stage)
		field string
		item  int
		msg   string // "" for a valid stage
	}{
		{"alternating offers", ao, func(*parley.Stage) {}, "", -1, ""},
		{"mediated", med, func(st *parley.Stage) {
			st.Rule, st.Info, st.Noise, st.Start = parley.RuleMajority, parley.InfoDeclared, 0.1, parley.Start{Kind: parley.StartRandom}
		}, "", -1, ""},
		{"mediator without interests", med, func(st *parley.Stage) { st.Mediator = -1 }, "", -1, ""},
		{"alternating offers ignore the mediator", ao, func(st *parley.Stage) { st.Mediator = 0 }, "", -1, ""},
		{"reference", ao, func(st *parley.Stage) {
			st.Start, st.Reference = parley.Start{Kind: parley.StartReference, Reference: "r"}, 1
		}, "", -1, ""},
		{"no name", ao, func(st *parley.Stage) { st.Name = " " }, "", -1, "a stage has no name"},
		{"no mechanism", ao, func(st *parley.Stage) { st.Mechanism = 0 }, "", -1, `stage "talks": no mechanism (want alternating_offers or mediated)`},
		{"unknown mechanism", ao, func(st *parley.Stage) { st.Mechanism = 5 }, "mechanism", -1, "unknown mechanism Mechanism(5)"},
		{"one participant", ao, func(st *parley.Stage) { st.Participants = []int{1} }, "participants", -1, `stage "talks": 1 participants, need at least 2`},
		{"party out of range", ao, func(st *parley.Stage) { st.Participants = []int{0, 3} }, "participants", 1, "participant 2 is party 3, outside the 3 parties"},
		{"party twice", ao, func(st *parley.Stage) { st.Participants = []int{1, 0, 1} }, "participants", 2, `party "UA" listed twice (participants 1 and 3)`},
		{"no rounds", ao, func(st *parley.Stage) { st.Rounds = 0 }, "rounds", -1, "rounds 0, need at least 1"},
		{"stall of 0", ao, func(st *parley.Stage) { st.Transition = parley.Transition{Kind: parley.TransitionStall} }, "transition", -1, "stall:0 can never fire: K must be at least 1 round"},
		{"stall too long", ao, func(st *parley.Stage) { st.Transition = parley.Transition{Kind: parley.TransitionStall, K: 10} }, "transition", -1, "stall:10 can never fire in a stage of 10 rounds"},
		{"all_request mediated", med, func(st *parley.Stage) { st.Transition.Kind = parley.TransitionAllRequest }, "transition", -1, "all_request is for alternating_offers stages"},
		{"unknown transition", ao, func(st *parley.Stage) { st.Transition.Kind = 9 }, "transition", -1, "unknown transition TransitionKind(9)"},
		{"unknown carry", ao, func(st *parley.Stage) { st.Carry = 9 }, "carry", -1, "unknown carry Carry(9)"},
		{"probability", ao, func(st *parley.Stage) { st.OnWalkAwayNext = 1.5 }, "on_walk_away_next", -1, "probability 1.5 outside [0,1]"},
		{"random start in alternating offers", ao, func(st *parley.Stage) { st.Start.Kind = parley.StartRandom }, "start", -1, "start random is for mediated stages"},
		{"reference outside the space", ao, func(st *parley.Stage) {
			st.Start, st.Reference = parley.Start{Kind: parley.StartReference, Reference: "r"}, 2
		}, "start", -1, "start reference:r: outcome 2 outside"},
		{"unknown start", ao, func(st *parley.Stage) { st.Start.Kind = 9 }, "start", -1, "unknown start StartKind(9)"},
		{"rule in alternating offers", ao, func(st *parley.Stage) { st.Rule = parley.RuleMediator }, "rule", -1, "rule is for mediated stages"},
		{"info in alternating offers", ao, func(st *parley.Stage) { st.Info = parley.InfoFull }, "info", -1, "info is for mediated stages"},
		{"noise in alternating offers", ao, func(st *parley.Stage) { st.Noise = 0.1 }, "noise", -1, "noise is for mediated stages"},
		{"final vote in alternating offers", ao, func(st *parley.Stage) { st.NoFinalVote = true }, "final_vote", -1, "final_vote is for mediated stages"},
		{"mediator out of range", med, func(st *parley.Stage) { st.Mediator = 3 }, "mediator", -1, "mediator is party 3, outside the 3 parties"},
		{"mediator votes", med, func(st *parley.Stage) { st.Mediator = 1 }, "mediator", -1, `mediator "UA" is also participant 2: a mediator proposes and does not vote`},
		{"unknown rule", med, func(st *parley.Stage) { st.Rule = 3 }, "rule", -1, "unknown rule Rule(3) (want unanimous, majority or mediator)"},
		{"unknown info", med, func(st *parley.Stage) { st.Info = 5 }, "info", -1, "unknown info Info(5) (want votes, declared, full, nothing or self_report)"},
		{"noise above 1", med, func(st *parley.Stage) { st.Info, st.Noise = parley.InfoDeclared, 2 }, "noise", -1, "noise 2 outside [0,1]"},
		{"noise without declared", med, func(st *parley.Stage) { st.Noise = 0.1 }, "noise", -1, "noise is for info: declared"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := tc.st()
			tc.edit(&st)
			e := st.Check(names, sp)
			if tc.msg == "" {
				if e != nil {
					t.Fatalf("valid stage: %v", e)
				}
				return
			}
			if e == nil {
				t.Fatalf("no error, want %q", tc.msg)
			}
			if e.Field != tc.field || e.Item != tc.item || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("field %q item %d %q, want field %q item %d %q", e.Field, e.Item, e.Msg, tc.field, tc.item, tc.msg)
			}
		})
	}
	if err := parley.CheckStages(nil, names, sp); err != parley.ErrNoStages {
		t.Errorf("no stages: %v", err)
	}
	bad := med()
	bad.Rounds = 0
	err = parley.CheckStages([]parley.Stage{ao(), bad}, names, sp)
	var se *parley.StageError
	if err == nil || err.Error() != `stages[1]: rounds: stage "med": rounds 0, need at least 1` || !errors.As(err, &se) || se.Field != "rounds" {
		t.Errorf("CheckStages: %v", err)
	}
}

// TestInfoFormerName: "none", the former name of InfoVotes, is still read
// (scenario files written before it was renamed), and written "votes".
func TestInfoFormerName(t *testing.T) {
	var i parley.Info = parley.InfoFull
	if err := i.UnmarshalText([]byte("none")); err != nil || i != parley.InfoVotes {
		t.Fatalf("none: %v, %v; want votes", i, err)
	}
	if b, err := i.MarshalText(); err != nil || string(b) != "votes" {
		t.Fatalf("MarshalText: %q, %v; want votes", b, err)
	}
}
