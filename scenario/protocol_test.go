package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
)

// realismA gives party A of base every realism field; the vetoes and
// ratification values are deliberately out of index order.
const realismA = `    reservation_drift: -0.2
    walk_away_hazard: 0.05
    report: exaggerate
    vetoes: {size: [3, 1], colour: [green]}
    ratification: {size: {2: 0.9}, colour: {red: 0.4}}
`

// realBase is base with realism for party A.
var realBase = strings.Replace(base, "  - name: A\n", "  - name: A\n"+realismA, 1)

// partyC is a third party for protocols with a mediator.
const partyC = `  - name: C
    role: mediator
    weights: {colour: 1, size: 1}
    values:
      colour: {red: 0.5, green: 0.5}
      size: {1: 0, 2: 1, 3: 0}
`

const protocolBlock = `protocol:
  stages:
    - name: talks
      participants: [A, B]
      mechanism: alternating_offers
      rounds: 10
      transition: stall:3
      carry: partial_issues
      on_walk_away_next: 0.5
    - name: mediation
      participants: [A, B]
      mechanism: mediated
      mediator: C
      rounds: 20
      round_cost: 2
      rule: majority
      info: declared
      noise: 0.05
      mediator_policy: "hillclimb"
      start: reference:mid
      final_vote: false
  variants:
    short:
      - {stage: mediation, rounds: 5, start: random}
    both:
      - {stage: talks, transition: all_request}
      - {stage: mediation, carry: best_acceptable}
`

// protoBase is base with party C and a protocol.
var protoBase = strings.Replace(base, "references:", partyC+"references:", 1) + protocolBlock

func TestRealism(t *testing.T) {
	s, err := Parse("real.yaml", []byte(realBase), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, b := s.Parties[0].Profile, s.Parties[1].Profile
	if a.Drift != -0.2 || a.Hazard != 0.05 {
		t.Errorf("drift %v hazard %v, want -0.2 0.05", a.Drift, a.Hazard)
	}
	// Sorted by issue, then value: colour=green (0,1), size=1 (1,0), size=3 (1,2).
	if got := fmt.Sprint(a.Vetoes); got != "[{0 1} {1 0} {1 2}]" {
		t.Errorf("vetoes %s", got)
	}
	if got := fmt.Sprint(a.Ratification); got != "[{{0 0} 0.4} {{1 1} 0.9}]" {
		t.Errorf("ratification %s", got)
	}
	if b.Drift != 0 || b.Hazard != 0 || b.Vetoes != nil || b.Ratification != nil {
		t.Errorf("B has realism: %s", realism(b))
	}
	mid := s.References[0].Outcome // colour red, size 2
	if a.Vetoed(mid) || math.Abs(a.RatifyProb(mid)-0.36) > parley.Eps {
		t.Errorf("mid: vetoed %v, ratify %v, want false 0.36", a.Vetoed(mid), a.RatifyProb(mid))
	}
	// r(t) = 0 + (-0.2)t clamps at 0; A's reservation is 0.
	if got := a.ReservationAt(1); got != 0 {
		t.Errorf("r(1) = %v", got)
	}
}

func TestProtocol(t *testing.T) {
	s, err := Parse("proto.yaml", []byte(protoBase), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	stall, allRequest := parley.Transition{Kind: parley.TransitionStall, K: 3}, parley.Transition{Kind: parley.TransitionAllRequest}
	best, random := parley.CarryBestAcceptable, parley.Start{Kind: parley.StartRandom}
	want := &Protocol{
		Stages: []Stage{
			{Name: "talks", Participants: []string{"A", "B"}, Mechanism: parley.MechanismAlternatingOffers, Rounds: 10,
				Transition: stall, Carry: parley.CarryPartialIssues, OnWalkAwayNext: 0.5},
			{Name: "mediation", Participants: []string{"A", "B"}, Mechanism: parley.MechanismMediated, Rounds: 20, RoundCost: 2,
				Start: parley.Start{Kind: parley.StartReference, Reference: "mid"}, Mediator: "C",
				Rule: parley.RuleMajority, Info: parley.InfoDeclared, Noise: 0.05, MediatorPolicy: "hillclimb", NoFinalVote: true},
		},
		Variants: []Variant{
			{Name: "short", Steps: []VariantStep{{Stage: "mediation", Rounds: 5, Start: &random}}},
			{Name: "both", Steps: []VariantStep{{Stage: "talks", Transition: &allRequest},
				{Stage: "mediation", Carry: &best}}},
		},
	}
	if !reflect.DeepEqual(s.Protocol, want) {
		t.Errorf("protocol\n%+v\nwant\n%+v", s.Protocol, want)
	}
	for _, tc := range []struct {
		variant string
		want    string // name:rounds:transition:carry:start per stage
		rounds  int
		units   int // mediation rounds cost 2
	}{
		{"", "talks:10:stall:3:partial_issues:carry mediation:20:deadline:none:reference:mid", 30, 50},
		{"short", "mediation:5:deadline:none:random", 5, 10},
		{"both", "talks:10:all_request:partial_issues:carry mediation:20:deadline:best_acceptable:reference:mid", 30, 50},
	} {
		stages, err := s.Protocol.Resolve(tc.variant)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, st := range stages {
			got = append(got, fmt.Sprintf("%s:%d:%s:%s:%s", st.Name, st.Rounds, st.Transition, st.Carry, st.Start))
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("variant %q: %s, want %s", tc.variant, g, tc.want)
		}
		if r := s.Protocol.Rounds(tc.variant); r != tc.rounds {
			t.Errorf("variant %q: %d rounds, want %d", tc.variant, r, tc.rounds)
		}
		if u := s.Protocol.Units(tc.variant); u != tc.units {
			t.Errorf("variant %q: %d units, want %d", tc.variant, u, tc.units)
		}
	}
	if _, err := s.Protocol.Resolve("long"); err == nil || !strings.Contains(err.Error(), `unknown variant "long" (have short, both)`) {
		t.Errorf("unknown variant: %v", err)
	}
	// Resolve copies: changing a resolved stage leaves the protocol alone.
	stages, _ := s.Protocol.Resolve("")
	stages[0].Participants[0] = "X"
	if s.Protocol.Stages[0].Participants[0] != "A" {
		t.Error("Resolve shares the participants slice")
	}
}

func TestRealismAndProtocolErrors(t *testing.T) {
	tests := []struct {
		name     string
		src      string // the source to break
		old, new string
		at       string
		want     []string
	}{
		// Realism.
		{"veto on unknown issue", realBase, "{size: [3, 1], colour: [green]}", "{shape: [round]}", "shape",
			[]string{"parties[0].vetoes.shape", `party "A": veto on unknown issue "shape"`}},
		{"veto on unknown value", realBase, "colour: [green]}", "colour: [blue]}", "blue",
			[]string{"parties[0].vetoes.colour[0]", `party "A": veto: issue "colour" has no value "blue"`}},
		{"veto off the grid", realBase, "size: [3, 1]", "size: [3, 4]", "[3, 4]",
			[]string{"parties[0].vetoes.size[1]", `issue "size" has no value "4"`}},
		{"veto listed twice", realBase, "size: [3, 1]", "size: [3, 3]", "[3, 3]",
			[]string{"parties[0].vetoes.size[1]", `value "3" listed twice`}},
		{"veto on every value", realBase, "colour: [green]}", "colour: [green, red]}", "colour: [green, red]",
			[]string{"parties[0].vetoes.colour", `vetoes every value of issue "colour"`}},
		{"veto not a value", realBase, "colour: [green]}", "colour: [[green]]}", "colour: [[green]]",
			[]string{"parties[0].vetoes.colour[0]", `is not a value`}},
		{"ratification on unknown issue", realBase, "colour: {red: 0.4}", "shape: {round: 0.4}", "shape",
			[]string{"parties[0].ratification.shape", `ratification on unknown issue "shape"`}},
		{"ratification of unknown value", realBase, "{red: 0.4}", "{blue: 0.4}", "blue",
			[]string{"parties[0].ratification.colour.blue", `ratification: issue "colour" has no value "blue"`}},
		{"ratification probability above 1", realBase, "{red: 0.4}", "{red: 1.4}", "red: 1.4",
			[]string{"parties[0].ratification.colour.red", `probability 1.4 of value "red" outside [0,1]`}},
		{"negative ratification probability", realBase, "{2: 0.9}", "{2: -0.1}", "2: -0.1",
			[]string{"parties[0].ratification.size.2", `probability -0.1 of value "2" outside [0,1]`}},
		{"ratification without probability", realBase, "{red: 0.4}", "{red: null}", "red: null",
			[]string{"parties[0].ratification.colour.red", `no probability for value "red"`}},
		{"hazard above 1", realBase, "walk_away_hazard: 0.05", "walk_away_hazard: 1.5", "walk_away_hazard",
			[]string{"parties[0].walk_away_hazard", `walk_away_hazard 1.5 outside [0,1]`}},
		{"negative hazard", realBase, "walk_away_hazard: 0.05", "walk_away_hazard: -0.01", "walk_away_hazard",
			[]string{"parties[0].walk_away_hazard", `walk_away_hazard -0.01 outside [0,1]`}},
		{"unknown report", realBase, "report: exaggerate", "report: lie", "report: lie",
			[]string{"parties[0].report", `party "A": unknown report "lie" (want truthful, exaggerate or hide_red_lines)`}},
		{"drift not a number", realBase, "reservation_drift: -0.2", "reservation_drift: .nan", "reservation_drift",
			[]string{"parties[0].reservation_drift", `reservation_drift NaN is not a finite number`}},
		{"drift of the wrong type", realBase, "reservation_drift: -0.2", "reservation_drift: fast", "reservation_drift",
			[]string{"parties[0].reservation_drift", `"fast" is not a number`}},

		// Protocol: stages.
		{"no stages", base, "", "protocol:\n  stages: []\n", "stages",
			[]string{"protocol.stages", "no stages"}},
		{"stage naming an unknown party", protoBase, "participants: [A, B]", "participants: [A, D]", "[A, D]",
			[]string{"protocol.stages[0].participants[1]", `stage "talks": no party called "D" (have A, B, C)`}},
		{"no participants", protoBase, "participants: [A, B]", "participants: []", "participants: []",
			[]string{"protocol.stages[0].participants", `stage "talks": 0 participants, need at least 2`}},
		{"one participant", protoBase, "participants: [A, B]", "participants: [A]", "participants: [A]",
			[]string{"protocol.stages[0].participants", `1 participants, need at least 2`}},
		{"participant twice", protoBase, "participants: [A, B]", "participants: [A, A]", "[A, A]",
			[]string{"protocol.stages[0].participants[1]", `party "A" listed twice`}},
		{"mediator is a participant", protoBase, "mediator: C", "mediator: A", "mediator: A",
			[]string{"protocol.stages[1].mediator", `stage "mediation": mediator "A" is also participant 1`}},
		{"unknown mediator", protoBase, "mediator: C", "mediator: Z", "mediator: Z",
			[]string{"protocol.stages[1].mediator", `no party called "Z"`}},
		{"mediator in alternating offers", protoBase, "      rounds: 10\n", "      rounds: 10\n      mediator: C\n", "mediator: C\n      transition",
			[]string{"protocol.stages[0].mediator", `mediator is for mediated stages`}},
		{"rule in alternating offers", protoBase, "      rounds: 10\n", "      rounds: 10\n      rule: majority\n", "rule: majority\n      transition",
			[]string{"protocol.stages[0].rule", `rule is for mediated stages`}},
		{"default rule in alternating offers", protoBase, "      rounds: 10\n", "      rounds: 10\n      rule: unanimous\n", "rule: unanimous\n      transition",
			[]string{"protocol.stages[0].rule", `rule is for mediated stages`}},
		{"default info in alternating offers", protoBase, "      rounds: 10\n", "      rounds: 10\n      info: none\n", "info: none\n      transition",
			[]string{"protocol.stages[0].info", `info is for mediated stages`}},
		{"noise in alternating offers", protoBase, "      rounds: 10\n", "      rounds: 10\n      noise: 0.1\n", "noise: 0.1\n      transition",
			[]string{"protocol.stages[0].noise", `noise is for mediated stages`}},
		{"final vote in alternating offers", protoBase, "      rounds: 10\n", "      rounds: 10\n      final_vote: true\n", "final_vote: true",
			[]string{"protocol.stages[0].final_vote", `final_vote is for mediated stages`}},
		{"stall that can never fire", protoBase, "stall:3", "stall:10", "stall:10",
			[]string{"protocol.stages[0].transition", `stall:10 can never fire in a stage of 10 rounds`}},
		{"stall of zero rounds", protoBase, "stall:3", "stall:0", "stall:0",
			[]string{"protocol.stages[0].transition", `stall:0 can never fire`}},
		{"stall without rounds", protoBase, "stall:3", "stall:x", "stall:x",
			[]string{"protocol.stages[0].transition", `"x" is not an integer`}},
		{"unknown transition", protoBase, "stall:3", "timeout", "timeout",
			[]string{"protocol.stages[0].transition", `unknown transition "timeout"`}},
		{"all_request in a mediated stage", protoBase, "      rounds: 20\n", "      rounds: 20\n      transition: all_request\n", "all_request\n      round_cost",
			[]string{"protocol.stages[1].transition", `all_request is for alternating_offers stages`}},
		{"unknown mechanism", protoBase, "mechanism: mediated", "mechanism: arbitration", "arbitration",
			[]string{"protocol.stages[1].mechanism", `unknown mechanism "arbitration"`}},
		{"no mechanism", protoBase, "      mechanism: mediated\n", "", "- name: mediation",
			[]string{"protocol.stages[1]", `stage "mediation": no mechanism`}},
		{"zero round cost", protoBase, "round_cost: 2", "round_cost: 0", "round_cost: 0",
			[]string{"protocol.stages[1].round_cost", `stage "mediation": round_cost 0, need at least 1`}},
		{"huge round cost", protoBase, "round_cost: 2", "round_cost: 5000", "round_cost: 5000",
			[]string{"protocol.stages[1].round_cost", `round cost 5000 outside 1..1000`}},
		{"zero rounds", protoBase, "rounds: 10", "rounds: 0", "rounds: 0",
			[]string{"protocol.stages[0].rounds", `stage "talks": rounds 0, need at least 1`}},
		{"negative rounds", protoBase, "rounds: 20", "rounds: -20", "rounds: -20",
			[]string{"protocol.stages[1].rounds", `rounds -20, need at least 1`}},
		{"no rounds", protoBase, "      rounds: 10\n", "", "- name: talks",
			[]string{"protocol.stages[0]", `stage "talks": no rounds`}},
		{"stage name twice", protoBase, "name: mediation", "name: talks", "name: talks\n      participants: [A, B]\n      mechanism: mediated",
			[]string{"protocol.stages[1].name", `stage "talks" appears twice`}},
		{"stage without a name", protoBase, "    - name: mediation\n      participants", "    - participants", "- participants: [A, B]\n      mechanism: mediated",
			[]string{"protocol.stages[1]", `stage 2 has no name`}},
		{"walk-away probability above 1", protoBase, "on_walk_away_next: 0.5", "on_walk_away_next: 1.5", "on_walk_away_next",
			[]string{"protocol.stages[0].on_walk_away_next", `probability 1.5 outside [0,1]`}},
		{"noise above 1", protoBase, "noise: 0.05", "noise: 2", "noise: 2",
			[]string{"protocol.stages[1].noise", `noise 2 outside [0,1]`}},
		{"noise without declared info", protoBase, "info: declared", "info: full", "noise: 0.05",
			[]string{"protocol.stages[1].noise", `noise is for info: declared`}},
		{"unknown rule", protoBase, "rule: majority", "rule: plurality", "plurality",
			[]string{"protocol.stages[1].rule", `unknown rule "plurality"`}},
		{"unknown info", protoBase, "info: declared", "info: partial", "info: partial",
			[]string{"protocol.stages[1].info", `unknown info "partial"`}},
		{"unknown carry", protoBase, "carry: partial_issues", "carry: everything", "everything",
			[]string{"protocol.stages[0].carry", `unknown carry "everything"`}},
		{"random start in alternating offers", protoBase, "      rounds: 10\n", "      rounds: 10\n      start: random\n", "start: random\n      transition",
			[]string{"protocol.stages[0].start", `start random is for mediated stages`}},
		{"start at an unknown reference", protoBase, "reference:mid", "reference:nope", "reference:nope",
			[]string{"protocol.stages[1].start", `start names no reference "nope"`}},
		{"unknown start", protoBase, "start: reference:mid", "start: best", "start: best",
			[]string{"protocol.stages[1].start", `unknown start "best"`}},
		{"malformed mediator policy", protoBase, `"hillclimb"`, `"hill climb"`, "hill climb",
			[]string{"protocol.stages[1].mediator_policy", `mediator_policy "hill climb": want name or name:key=value`}},
		{"mediator policy parameter", protoBase, `"hillclimb"`, `"biased:bias"`, "biased:bias",
			[]string{"protocol.stages[1].mediator_policy", `parameter "bias" is not key=value`}},
		{"unknown stage field", protoBase, "rule: majority", "rules: majority", "rules",
			[]string{`unknown field "rules"`}},

		// Protocol: variants.
		{"variant naming an unknown stage", protoBase, "{stage: mediation, rounds: 5", "{stage: mediaton, rounds: 5", "mediaton",
			[]string{"protocol.variants.short[0].stage", `variant "short": unknown stage "mediaton" (have talks, mediation)`}},
		{"variant step without a stage", protoBase, "{stage: mediation, rounds: 5, start: random}", "{rounds: 5}", "{rounds: 5}",
			[]string{"protocol.variants.short[0]", `variant "short": step 1 names no stage`}},
		{"variant with zero rounds", protoBase, "rounds: 5, start", "rounds: 0, start", "rounds: 0",
			[]string{"protocol.variants.short[0].rounds", `rounds 0, need at least 1`}},
		{"variant without stages", protoBase, "    short:\n      - {stage: mediation, rounds: 5, start: random}\n", "    short: []\n", "short: []",
			[]string{"protocol.variants.short", `variant "short" has no stages`}},
		{"variant making a stall impossible", protoBase, "{stage: talks, transition: all_request}", "{stage: talks, rounds: 3}", "{stage: talks, rounds: 3}",
			[]string{"protocol.variants.both[0]", `variant "both": stage "talks": stall:3 can never fire in a stage of 3 rounds`}},
		{"variant with all_request in a mediated stage", protoBase, "{stage: mediation, carry: best_acceptable}", "{stage: mediation, transition: all_request}", "{stage: mediation, transition: all_request}",
			[]string{"protocol.variants.both[1].transition", `all_request is for alternating_offers stages`}},
		{"variant with an unknown transition", protoBase, "transition: all_request}", "transition: never}", "never",
			[]string{"protocol.variants.both[0].transition", `unknown transition "never"`}},
		{"variant with an unknown carry", protoBase, "carry: best_acceptable}", "carry: all}", "carry: all",
			[]string{"protocol.variants.both[1].carry", `unknown carry "all"`}},
		{"variant with a random start in alternating offers", protoBase, "{stage: talks, transition: all_request}", "{stage: talks, start: random}", "start: random}\n      - {stage: mediation, carry",
			[]string{"protocol.variants.both[0].start", `start random is for mediated stages`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.src + tc.new
			if tc.old != "" {
				if !strings.Contains(tc.src, tc.old) {
					t.Fatalf("%q not in the source", tc.old)
				}
				src = strings.Replace(tc.src, tc.old, tc.new, 1)
			}
			checkFileError(t, src, tc.at, tc.want)
		})
	}
}

// TestProtocolValidate checks a protocol built in Go, without a file.
func TestProtocolValidate(t *testing.T) {
	s, err := Parse("proto.yaml", []byte(protoBase), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Protocol.Validate(s); err != nil {
		t.Fatal(err)
	}
	s.Protocol.Stages[1].Mediator = "B"
	err = s.Protocol.Validate(s)
	if err == nil || err.Error() != `scenario t: protocol.stages[1].mediator: stage "mediation": mediator "B" is also participant 2: a mediator proposes and does not vote` {
		t.Errorf("err = %v", err)
	}
	if err := WriteYAML(&bytes.Buffer{}, s); err == nil || !strings.Contains(err.Error(), "mediator \"B\" is also participant 2") {
		t.Errorf("writing an invalid protocol: %v", err)
	}
	// Zero values mean the defaults.
	s.Protocol = &Protocol{Stages: []Stage{{Name: "x", Participants: []string{"A", "B"}, Mechanism: parley.MechanismMediated, Rounds: 3}}}
	if err := s.Protocol.Validate(s); err != nil {
		t.Errorf("defaults: %v", err)
	}
	var b bytes.Buffer
	if err := WriteYAML(&b, s); err != nil {
		t.Fatal(err)
	}
	back, err := Parse("x.yaml", b.Bytes(), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := Stage{Name: "x", Participants: []string{"A", "B"}, Mechanism: parley.MechanismMediated, Rounds: 3}
	if !reflect.DeepEqual(back.Protocol.Stages[0], want) {
		t.Errorf("defaults written as\n%s\nread back as %+v", b.String(), back.Protocol.Stages[0])
	}
}

// TestRealismRoundTrip writes realism and a protocol in both formats and
// reads them back exactly; writing again gives the same bytes.
func TestRealismRoundTrip(t *testing.T) {
	src := strings.Replace(realBase, "references:", partyC+"references:", 1) + protocolBlock
	s, err := Parse("all.yaml", []byte(src), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"yaml", "json"} {
		write := WriteYAML
		if format == "json" {
			write = WriteJSON
		}
		var b bytes.Buffer
		if err := write(&b, s); err != nil {
			t.Fatal(err)
		}
		back, err := Parse("back."+format, b.Bytes(), format)
		if err != nil {
			t.Fatalf("%v\n%s", err, b.String())
		}
		sameUtilities(t, s, back)
		var b2 bytes.Buffer
		if err := write(&b2, back); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), b2.Bytes()) {
			t.Errorf("%s: second write differs:\n%s\n---\n%s", format, b.String(), b2.String())
		}
		if format == "yaml" {
			for _, line := range []string{
				"    reservation_drift: -0.2\n    walk_away_hazard: 0.05\n    report: exaggerate\n",
				"    vetoes:\n      colour: [green]\n      size: [1, 3]\n    ratification:\n      colour: {red: 0.4}\n      size: {\"2\": 0.9}\n",
				"      - {stage: mediation, rounds: 5, start: random}\n",
				"      transition: \"stall:3\"\n",
				"      rounds: 20\n      round_cost: 2\n",
			} {
				if !strings.Contains(b.String(), line) {
					t.Errorf("written YAML lacks\n%s\nin\n%s", line, b.String())
				}
			}
		}
	}
}

// TestWriteRealismErrors: realism the format cannot hold is refused.
func TestWriteRealismErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(p *parley.Profile)
		want string
	}{
		{"veto outside the space", func(p *parley.Profile) { p.Vetoes = []parley.ValueRef{{Issue: 0, Value: 5}} }, "veto {Issue:0 Value:5} outside the outcome space"},
		{"veto twice", func(p *parley.Profile) { p.Vetoes = []parley.ValueRef{{Issue: 0, Value: 1}, {Issue: 0, Value: 1}} }, "veto on colour listed twice"},
		{"ratification twice", func(p *parley.Profile) {
			p.Ratification = []parley.Ratification{{Value: parley.ValueRef{Issue: 1, Value: 1}, P: 0.5}, {Value: parley.ValueRef{Issue: 1, Value: 1}, P: 0.6}}
		}, "ratification of one value listed twice"},
		{"ratification probability", func(p *parley.Profile) {
			p.Ratification = []parley.Ratification{{Value: parley.ValueRef{Issue: 1, Value: 1}, P: 2}}
		}, "ratification probability 2 outside [0,1]"},
		{"hazard", func(p *parley.Profile) { p.Hazard = -1 }, "walk-away hazard -1 outside [0,1]"},
	} {
		s, err := Parse("base.yaml", []byte(base), "yaml")
		if err != nil {
			t.Fatal(err)
		}
		tc.set(s.Parties[0].Profile)
		if err := WriteYAML(&bytes.Buffer{}, s); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestCeasefireProtocol(t *testing.T) {
	s, err := Read(ceasefireFile)
	if err != nil {
		t.Fatal(err)
	}
	// ceasefire.md §3: 40 bilateral + 80 mediated, four variants on the
	// same 120 rounds.
	for _, tc := range []struct{ variant, want string }{
		{"", "bilateral:alternating_offers:40:partial_issues:carry mediated:mediated:80:best_acceptable:carry"},
		{"bilateral_only", "bilateral:alternating_offers:120:partial_issues:carry"},
		{"mediated_from_start", "mediated:mediated:120:best_acceptable:random"},
		{"bilateral_then_mediated", "bilateral:alternating_offers:40:partial_issues:carry mediated:mediated:80:best_acceptable:carry"},
		{"mediated_then_bilateral", "mediated:mediated:40:best_acceptable:carry bilateral:alternating_offers:80:partial_issues:carry"},
	} {
		stages, err := s.Protocol.Resolve(tc.variant)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, st := range stages {
			got = append(got, fmt.Sprintf("%s:%s:%d:%s:%s", st.Name, st.Mechanism, st.Rounds, st.Carry, st.Start))
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("%q: %s, want %s", tc.variant, g, tc.want)
		}
		if r := s.Protocol.Rounds(tc.variant); r != 120 || r != s.Deadline {
			t.Errorf("%q: %d rounds, want 120 (the scenario deadline)", tc.variant, r)
		}
	}
	m := s.Protocol.Stages[1]
	if m.Mediator != "US" || m.Rule != parley.RuleUnanimous || m.Info != parley.InfoDeclared || m.Noise != 0.1 ||
		m.MediatorPolicy != "biased:bias=0.25" || m.NoFinalVote || fmt.Sprint(m.Participants) != "[RU UA]" {
		t.Errorf("mediated stage %+v", m)
	}
	if b := s.Protocol.Stages[0]; b.OnWalkAwayNext != 0.7 || b.Transition.Kind != parley.TransitionDeadline || b.Mediator != "" {
		t.Errorf("bilateral stage %+v", b)
	}
}

// sameRealism reports whether two profiles have the same drift, hazard,
// vetoes and ratification risks.
func sameRealism(p, q *parley.Profile) bool {
	return p.Drift == q.Drift && p.Hazard == q.Hazard && realism(p) == realism(q)
}

func realism(p *parley.Profile) string {
	return fmt.Sprintf("drift %v hazard %v vetoes %v ratification %v", p.Drift, p.Hazard, p.Vetoes, p.Ratification)
}

// TestProtocolErrorsJSON: JSON errors in the protocol name the line too.
func TestProtocolErrorsJSON(t *testing.T) {
	y, err := Parse("proto.yaml", []byte(protoBase), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, y); err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(b.String(), `"mediator": "C"`, `"mediator": "B"`, 1)
	_, err = Parse("bad.json", []byte(src), "json")
	var se *Error
	if !errors.As(err, &se) || se.Path != "protocol.stages[1].mediator" || se.Line != lineOf(t, src, `"mediator": "B"`) ||
		!strings.Contains(se.Msg, `mediator "B" is also participant 2`) {
		t.Errorf("err = %v", err)
	}
}

// TestProtocolQuestion: a protocol may state the question its variants
// answer and which variants to compare; both round-trip, and a comparison
// of unknown variants, or without a question, is an error at its field.
func TestProtocolQuestion(t *testing.T) {
	q := "  question: \"Short talks first, or mediation?\"\n  compare: [short, both]\n"
	src := strings.Replace(protoBase, "protocol:\n", "protocol:\n"+q, 1)
	s, err := Parse("q.yaml", []byte(src), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Protocol.Question != "Short talks first, or mediation?" || fmt.Sprint(s.Protocol.Compare) != "[short both]" {
		t.Fatalf("question %q compare %v", s.Protocol.Question, s.Protocol.Compare)
	}
	var b bytes.Buffer
	if err := WriteYAML(&b, s); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "  question: \"Short talks first, or mediation?\"\n  compare: [short, both]\n") {
		t.Errorf("written protocol lacks the question:\n%s", b.String())
	}
	back, err := Parse("back.yaml", b.Bytes(), "yaml")
	if err != nil || back.Protocol.Question != s.Protocol.Question || fmt.Sprint(back.Protocol.Compare) != "[short both]" {
		t.Errorf("round trip: %v %+v", err, back.Protocol)
	}
	for _, tc := range []struct{ block, field, want string }{
		{"  question: \"Q?\"\n  compare: [short, long]\n", "protocol.compare[1]", `compare: unknown variant "long" (have short, both)`},
		{"  question: \"Q?\"\n  compare: [short, short]\n", "protocol.compare[1]", `variant "short" listed twice`},
		{"  compare: [short]\n", "protocol.compare", "compare without a question"},
		{"  question: \"two\\nlines\"\n", "protocol.question", "one line"},
	} {
		_, err := Parse("bad.yaml", []byte(strings.Replace(protoBase, "protocol:\n", "protocol:\n"+tc.block, 1)), "yaml")
		if err == nil || !strings.Contains(err.Error(), tc.field) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %s: %s", tc.block, err, tc.field, tc.want)
		}
	}
}
