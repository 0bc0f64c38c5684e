package parley

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The vocabulary of declared protocols and its validator (see the package
// documentation, "Protocol vocabulary").

// names is the text form of a small enumeration: names[v] is value v's.
type names struct {
	what string   // what the values are, for errors: "carry"
	list []string // by value
	want string   // the allowed texts, for errors
}

func newNames(what string, list ...string) names {
	want := strings.Join(list, ", ")
	if n := len(list); n > 1 {
		want = strings.Join(list[:n-1], ", ") + " or " + list[n-1]
	}
	return names{what: what, list: list, want: want}
}

// name returns value v's name, or "Type(v)" for a value out of range.
func (n names) name(v uint8, typ string) string {
	if int(v) < len(n.list) {
		return n.list[v]
	}
	return fmt.Sprintf("%s(%d)", typ, v)
}

// marshal returns v's name, or an error for a value out of range.
func (n names) marshal(v uint8, typ string) ([]byte, error) {
	if int(v) < len(n.list) {
		return []byte(n.list[v]), nil
	}
	return nil, fmt.Errorf("invalid %s %s(%d) (want %s)", n.what, typ, v, n.want)
}

// parse returns the value named s.
func (n names) parse(s string) (uint8, error) {
	if i := slices.Index(n.list, s); i >= 0 {
		return uint8(i), nil
	}
	if s == "" {
		return 0, fmt.Errorf("empty %s (want %s)", n.what, n.want)
	}
	return 0, fmt.Errorf("unknown %s %q (want %s)", n.what, s, n.want)
}

// unmarshal sets *dst to parse(b), or leaves it alone on an error.
func unmarshal[T any](dst *T, parse func(string) (T, error), b []byte) error {
	v, err := parse(string(b))
	if err == nil {
		*dst = v
	}
	return err
}

// Mechanism is the negotiation protocol of a stage. The zero value is no
// mechanism: a stage must name one.
type Mechanism uint8

// Mechanisms.
const (
	// MechanismAlternatingOffers: the participants take turns to offer
	// and accept (package protocol/sao).
	MechanismAlternatingOffers Mechanism = iota + 1
	// MechanismMediated: a mediator proposes changes to one text and the
	// participants vote (package protocol/mediated).
	MechanismMediated
)

var mechanismNames = newNames("mechanism", "alternating_offers", "mediated")

// String returns "alternating_offers" or "mediated".
func (m Mechanism) String() string {
	if m == 0 || m > MechanismMediated {
		return fmt.Sprintf("Mechanism(%d)", uint8(m))
	}
	return mechanismNames.list[m-1]
}

// MarshalText writes the mechanism's name; the zero Mechanism is an error.
func (m Mechanism) MarshalText() ([]byte, error) {
	if m == 0 || m > MechanismMediated {
		return nil, fmt.Errorf("invalid mechanism %s (want %s)", m, mechanismNames.want)
	}
	return []byte(m.String()), nil
}

// UnmarshalText reads a name written by MarshalText.
func (m *Mechanism) UnmarshalText(b []byte) error { return unmarshal(m, ParseMechanism, b) }

// ParseMechanism returns the Mechanism named s: "alternating_offers" or
// "mediated".
func ParseMechanism(s string) (Mechanism, error) {
	v, err := mechanismNames.parse(s)
	if err != nil {
		return 0, err
	}
	return Mechanism(v + 1), nil
}

// TransitionKind says when a stage hands over to the next one.
type TransitionKind uint8

// Transition kinds.
const (
	// TransitionDeadline: the stage's rounds run out (the default).
	TransitionDeadline TransitionKind = iota
	// TransitionStall: no participant has seen progress (an offer or a
	// text better for it than any before in the stage) for K rounds.
	TransitionStall
	// TransitionAllRequest: every participant asks to move on in one round
	// (alternating offers only: each participant's End in one round).
	TransitionAllRequest
)

var transitionNames = newNames("transition", "deadline", "stall", "all_request")

// String returns "deadline", "stall" or "all_request".
func (k TransitionKind) String() string { return transitionNames.name(uint8(k), "TransitionKind") }

// Transition is a stage's rule for handing over to the next stage. The
// zero value is TransitionDeadline.
type Transition struct {
	Kind TransitionKind
	K    int // TransitionStall: rounds without progress, 1 ≤ K < the stage's rounds
}

const transitionWant = "deadline, stall:K or all_request"

// String writes the rule as in a scenario file: "deadline", "stall:5",
// "all_request".
func (t Transition) String() string {
	if t.Kind == TransitionStall {
		return "stall:" + strconv.Itoa(t.K)
	}
	return t.Kind.String()
}

// MarshalText writes the rule as String does; an unknown kind is an error.
func (t Transition) MarshalText() ([]byte, error) {
	if t.Kind > TransitionAllRequest {
		return nil, fmt.Errorf("invalid transition %s (want %s)", t.Kind, transitionWant)
	}
	return []byte(t.String()), nil
}

// UnmarshalText reads a rule written by MarshalText.
func (t *Transition) UnmarshalText(b []byte) error { return unmarshal(t, ParseTransition, b) }

// ParseTransition reads "deadline", "stall:K" (K an integer; Stage.Check
// says whether it can fire) or "all_request".
func ParseTransition(s string) (Transition, error) {
	switch s {
	case "deadline":
		return Transition{Kind: TransitionDeadline}, nil
	case "all_request":
		return Transition{Kind: TransitionAllRequest}, nil
	case "stall":
		return Transition{}, fmt.Errorf("transition %q needs a number of rounds (stall:K)", s)
	case "":
		return Transition{}, fmt.Errorf("empty transition (want %s)", transitionWant)
	}
	if k, ok := strings.CutPrefix(s, "stall:"); ok {
		n, err := strconv.Atoi(k)
		if err != nil {
			return Transition{}, fmt.Errorf("transition %q: %q is not an integer number of rounds", s, k)
		}
		return Transition{Kind: TransitionStall, K: n}, nil
	}
	return Transition{}, fmt.Errorf("unknown transition %q (want %s)", s, transitionWant)
}

// Carry is what a stage hands over to the next. The zero value is
// CarryNone.
type Carry uint8

// Carry-over policies.
const (
	// CarryNone hands nothing over.
	CarryNone Carry = iota
	// CarryBestAcceptable hands over the offer or text that every
	// participant found acceptable with the highest Nash product.
	CarryBestAcceptable
	// CarryPartialIssues does the same and locks the issues on which the
	// participants' latest offers agree.
	CarryPartialIssues
)

var carryNames = newNames("carry", "none", "best_acceptable", "partial_issues")

// String returns "none", "best_acceptable" or "partial_issues".
func (c Carry) String() string { return carryNames.name(uint8(c), "Carry") }

// MarshalText writes the policy's name.
func (c Carry) MarshalText() ([]byte, error) { return carryNames.marshal(uint8(c), "Carry") }

// UnmarshalText reads a name written by MarshalText.
func (c *Carry) UnmarshalText(b []byte) error { return unmarshal(c, ParseCarry, b) }

// ParseCarry returns the Carry named s.
func ParseCarry(s string) (Carry, error) {
	v, err := carryNames.parse(s)
	return Carry(v), err
}

// Rule says which proposals of a mediated stage become the text. The zero
// value is RuleUnanimous.
type Rule uint8

const (
	// RuleUnanimous adopts a proposal every party accepts: any veto blocks
	// it (Klein et al. 2003; the default).
	RuleUnanimous Rule = iota
	// RuleMajority adopts a proposal more than half of the parties accept
	// (with two parties, that is both).
	RuleMajority
	// RuleMediator adopts a unanimous proposal and lets the mediator decide
	// on the others (protocol/mediated's Adopter; a mediator without Adopt
	// adopts only unanimous proposals). Klein, Faratin and Bar-Yam's
	// annealing mediator (AMEC-IV, LNCS 2531, 2002) needs it.
	RuleMediator
)

var ruleNames = newNames("rule", "unanimous", "majority", "mediator")

// String returns "unanimous", "majority" or "mediator".
func (r Rule) String() string { return ruleNames.name(uint8(r), "Rule") }

// MarshalText writes the rule's name.
func (r Rule) MarshalText() ([]byte, error) { return ruleNames.marshal(uint8(r), "Rule") }

// UnmarshalText reads a name written by MarshalText.
func (r *Rule) UnmarshalText(b []byte) error { return unmarshal(r, ParseRule, b) }

// ParseRule returns the Rule named s.
func ParseRule(s string) (Rule, error) {
	v, err := ruleNames.parse(s)
	return Rule(v), err
}

// Info says what the mediator of a mediated stage sees of the parties'
// preferences (Session.Declared). The zero value is InfoVotes.
type Info uint8

const (
	// InfoVotes: votes only; Session.Declared is nil (the default).
	// Written "votes"; "none", its former name, is still read.
	InfoVotes Info = iota
	// InfoDeclared: declared profiles, the true ones perturbed by noise
	// (Stage.Noise) on the weights, the per-option evaluations, the
	// reservation values and the red lines (see package
	// protocol/mediated, Options.Noise). With zero noise they are the
	// true profiles.
	InfoDeclared
	// InfoFull: the true profiles (a trusted mediator).
	InfoFull
	// InfoNothing: not even the votes: the mediator learns only whether
	// its proposal became the text (State.Votes stay zero, State.Accepts 0).
	InfoNothing
	// InfoSelfReport: strategic self-reports: each party declares its
	// profile through its own reporting strategy (Profile.Report).
	InfoSelfReport
)

var infoNames = newNames("info", "votes", "declared", "full", "nothing", "self_report")

// String returns "votes", "declared", "full", "nothing" or "self_report".
func (i Info) String() string { return infoNames.name(uint8(i), "Info") }

// MarshalText writes the level's name.
func (i Info) MarshalText() ([]byte, error) { return infoNames.marshal(uint8(i), "Info") }

// UnmarshalText reads a name written by MarshalText (or "none", the
// former name of InfoVotes).
func (i *Info) UnmarshalText(b []byte) error { return unmarshal(i, ParseInfo, b) }

// ParseInfo returns the Info named s; "none" is read as InfoVotes.
func ParseInfo(s string) (Info, error) {
	if s == "none" {
		return InfoVotes, nil
	}
	v, err := infoNames.parse(s)
	return Info(v), err
}

// Report is a party's reporting strategy: how it declares its profile to
// a mediator that asks the parties for self-reports (InfoSelfReport). The
// zero value is ReportTruthful. Reports are deterministic: a party's
// declared profile depends only on its true one.
type Report uint8

// Reporting strategies.
const (
	// ReportTruthful declares the true profile.
	ReportTruthful Report = iota
	// ReportExaggerate inflates: it declares a reservation value a third
	// of the way from the true one to 1, and, for a linear-additive
	// profile, doubles the weight of its most important issue (at most to
	// the sum of all weights), scaling the other weights down so that the
	// weights keep their sum.
	ReportExaggerate
	// ReportHideRedLines declares the true profile without its red lines
	// (Vetoes): it still rejects what crosses them.
	ReportHideRedLines
)

var reportNames = newNames("report", "truthful", "exaggerate", "hide_red_lines")

// String returns "truthful", "exaggerate" or "hide_red_lines".
func (r Report) String() string { return reportNames.name(uint8(r), "Report") }

// MarshalText writes the strategy's name.
func (r Report) MarshalText() ([]byte, error) { return reportNames.marshal(uint8(r), "Report") }

// UnmarshalText reads a name written by MarshalText.
func (r *Report) UnmarshalText(b []byte) error { return unmarshal(r, ParseReport, b) }

// ParseReport returns the Report named s.
func ParseReport(s string) (Report, error) {
	v, err := reportNames.parse(s)
	return Report(v), err
}

// Reports returns every reporting strategy, in order.
func Reports() []Report { return []Report{ReportTruthful, ReportExaggerate, ReportHideRedLines} }

// StartKind says how a stage opens.
type StartKind uint8

// Start kinds.
const (
	// StartCarry opens with what the previous stage carried, if anything
	// (the default).
	StartCarry StartKind = iota
	// StartRandom opens a mediated stage with a uniformly random text.
	StartRandom
	// StartReference opens with a named reference outcome of the scenario.
	StartReference
)

var startNames = newNames("start", "carry", "random", "reference")

// String returns "carry", "random" or "reference".
func (k StartKind) String() string { return startNames.name(uint8(k), "StartKind") }

// Start is how a stage opens: its opening text or standing offer. The
// zero value is StartCarry.
type Start struct {
	Kind      StartKind
	Reference string // StartReference: the reference's name
}

const startWant = "carry, random or reference:NAME"

// String writes the start as in a scenario file: "carry", "random" or
// "reference:NAME".
func (s Start) String() string {
	if s.Kind == StartReference {
		return "reference:" + s.Reference
	}
	return s.Kind.String()
}

// MarshalText writes the start as String does; an unknown kind, or a
// reference without a name, is an error.
func (s Start) MarshalText() ([]byte, error) {
	if s.Kind > StartReference || s.Kind == StartReference && s.Reference == "" {
		return nil, fmt.Errorf("invalid start %s (want %s)", s, startWant)
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads a start written by MarshalText.
func (s *Start) UnmarshalText(b []byte) error { return unmarshal(s, ParseStart, b) }

// ParseStart reads "carry", "random" or "reference:NAME".
func ParseStart(s string) (Start, error) {
	switch s {
	case "carry":
		return Start{Kind: StartCarry}, nil
	case "random":
		return Start{Kind: StartRandom}, nil
	case "":
		return Start{}, fmt.Errorf("empty start (want %s)", startWant)
	}
	if name, ok := strings.CutPrefix(s, "reference:"); ok {
		if name == "" {
			return Start{}, fmt.Errorf("start %q names no reference (want reference:NAME)", s)
		}
		return Start{Kind: StartReference, Reference: name}, nil
	}
	return Start{}, fmt.Errorf("unknown start %q (want %s)", s, startWant)
}

// MaxRoundCost bounds Stage.RoundCost.
const MaxRoundCost = 1000

// Stage is one stage of a declared protocol, with its parties given by
// index: package scenario resolves the names of a scenario file into
// Stages, package protocol/staged runs a list of them.
type Stage struct {
	Name         string
	Mechanism    Mechanism
	Participants []int // party indices, in turn (voting) order; at least 2
	// Mediator is the mediating party's index in a mediated stage, or -1
	// for a mediator without interests of its own. Alternating-offers
	// stages ignore it.
	Mediator int
	Rounds   int // the stage's round budget, at least 1
	// RoundCost is how many units of the plan's one clock a round of this
	// stage takes (0 means 1; at most MaxRoundCost), so that a round of
	// mediation can be declared to take longer than a round of offers
	// (parley.Clock).
	RoundCost  int
	Transition Transition
	Carry      Carry
	// OnWalkAwayNext is the probability that a walk-away in this stage
	// moves the run on to the next stage instead of ending it.
	OnWalkAwayNext float64
	// Start is how the stage opens; with StartReference, Reference is the
	// reference's outcome.
	Start     Start
	Reference Outcome

	// Mediated stages only.
	Rule        Rule
	Info        Info
	Noise       float64 // InfoDeclared: standard deviation of the noise on declared profiles, in [0,1]
	NoFinalVote bool    // skip the final unanimous vote on the text
}

// A StageError is a broken rule of a declared stage: the field it is
// about, as a scenario file names it ("participants", "transition"; ""
// for the stage as a whole), with Item the index within a list field (-1
// for none).
type StageError struct {
	Field string
	Item  int
	Msg   string // names the stage: `stage "talks": rounds 0, need at least 1`
}

// Error returns "FIELD[ITEM]: MSG", or MSG for the stage as a whole.
func (e *StageError) Error() string {
	switch {
	case e.Field == "":
		return e.Msg
	case e.Item >= 0:
		return fmt.Sprintf("%s[%d]: %s", e.Field, e.Item, e.Msg)
	}
	return e.Field + ": " + e.Msg
}

func stageErr(st *Stage, field string, item int, format string, args ...any) *StageError {
	return &StageError{Field: field, Item: item, Msg: fmt.Sprintf("stage %q: ", st.Name) + fmt.Sprintf(format, args...)}
}

// ErrNoStages is returned by CheckStages for an empty protocol.
var ErrNoStages = errors.New("no stages (a protocol needs at least one)")

// CheckStages checks a protocol's stages among the parties called names:
// there is at least one, their names are unique, and each passes Check.
// A stage's error is a *StageError, wrapped with the stage's position
// ("stages[1]: ...").
func CheckStages(stages []Stage, names []string, space *OutcomeSpace) error {
	if len(stages) == 0 {
		return ErrNoStages
	}
	for i := range stages {
		if err := stages[i].Check(names, space); err != nil {
			return fmt.Errorf("stages[%d]: %w", i, err)
		}
	}
	return nil
}

// Check returns the first rule of docs/scenario-format.md ("Protocol")
// that st breaks, for a negotiation among the parties called names (party
// i is names[i]) over space (nil: a start reference is not checked), or
// nil. Name lookups (participant, mediator and reference names) are the
// caller's; Check sees the indices they resolve to.
func (st *Stage) Check(names []string, space *OutcomeSpace) *StageError {
	if strings.TrimSpace(st.Name) == "" {
		return &StageError{Item: -1, Msg: "a stage has no name"}
	}
	mediated := false
	switch st.Mechanism {
	case MechanismAlternatingOffers:
	case MechanismMediated:
		mediated = true
	case 0:
		return stageErr(st, "", -1, "no mechanism (want %s)", mechanismNames.want)
	default:
		return stageErr(st, "mechanism", -1, "unknown mechanism %s (want %s)", st.Mechanism, mechanismNames.want)
	}
	party := func(i int) string {
		if i >= 0 && i < len(names) {
			return strconv.Quote(names[i])
		}
		return strconv.Itoa(i)
	}
	if len(st.Participants) < 2 {
		return stageErr(st, "participants", -1, "%d participants, need at least 2", len(st.Participants))
	}
	for j, i := range st.Participants {
		if i < 0 || i >= len(names) {
			return stageErr(st, "participants", j, "participant %d is party %d, outside the %d parties", j+1, i, len(names))
		}
		if k := slices.Index(st.Participants[:j], i); k >= 0 {
			return stageErr(st, "participants", j, "party %s listed twice (participants %d and %d)", party(i), k+1, j+1)
		}
	}
	if st.Rounds <= 0 {
		return stageErr(st, "rounds", -1, "rounds %d, need at least 1", st.Rounds)
	}
	if st.RoundCost < 0 || st.RoundCost > MaxRoundCost {
		return stageErr(st, "round_cost", -1, "round cost %d outside 1..%d (units of the clock per round)", st.RoundCost, MaxRoundCost)
	}
	switch t := st.Transition; t.Kind {
	case TransitionDeadline:
	case TransitionStall:
		if t.K < 1 {
			return stageErr(st, "transition", -1, "stall:%d can never fire: K must be at least 1 round", t.K)
		}
		if t.K >= st.Rounds {
			return stageErr(st, "transition", -1, "stall:%d can never fire in a stage of %d rounds (K must be below the rounds)", t.K, st.Rounds)
		}
	case TransitionAllRequest:
		if mediated {
			return stageErr(st, "transition", -1, "all_request is for alternating_offers stages (in a mediated stage a voter that leaves walks away)")
		}
	default:
		return stageErr(st, "transition", -1, "unknown transition %s (want %s)", t.Kind, transitionWant)
	}
	if st.Carry > CarryPartialIssues {
		return stageErr(st, "carry", -1, "unknown carry %s (want %s)", st.Carry, carryNames.want)
	}
	if p := st.OnWalkAwayNext; math.IsNaN(p) || p < 0 || p > 1 {
		return stageErr(st, "on_walk_away_next", -1, "probability %v outside [0,1]", p)
	}
	switch st.Start.Kind {
	case StartCarry:
	case StartRandom:
		if !mediated {
			return stageErr(st, "start", -1, "start random is for mediated stages (an alternating_offers stage opens with the carried offer or a reference)")
		}
	case StartReference:
		if space != nil && !space.Valid(st.Reference) {
			return stageErr(st, "start", -1, "start %s: %v", st.Start, space.Check(st.Reference))
		}
	default:
		return stageErr(st, "start", -1, "unknown start %s (want %s)", st.Start.Kind, startWant)
	}
	if !mediated {
		for _, f := range []struct {
			field string
			set   bool
		}{
			{"rule", st.Rule != RuleUnanimous}, {"info", st.Info != InfoVotes},
			{"noise", st.Noise != 0}, {"final_vote", st.NoFinalVote},
		} {
			if f.set {
				return stageErr(st, f.field, -1, "%s is for mediated stages", f.field)
			}
		}
		return nil
	}
	if st.Mediator < -1 || st.Mediator >= len(names) {
		return stageErr(st, "mediator", -1, "mediator is party %d, outside the %d parties", st.Mediator, len(names))
	}
	if j := slices.Index(st.Participants, st.Mediator); j >= 0 && st.Mediator >= 0 {
		return stageErr(st, "mediator", -1, "mediator %s is also participant %d: a mediator proposes and does not vote", party(st.Mediator), j+1)
	}
	if st.Rule > RuleMediator {
		return stageErr(st, "rule", -1, "unknown rule %s (want %s)", st.Rule, ruleNames.want)
	}
	if st.Info > InfoSelfReport {
		return stageErr(st, "info", -1, "unknown info %s (want %s)", st.Info, infoNames.want)
	}
	if math.IsNaN(st.Noise) || st.Noise < 0 || st.Noise > 1 {
		return stageErr(st, "noise", -1, "noise %v outside [0,1]", st.Noise)
	}
	if st.Noise != 0 && st.Info != InfoDeclared {
		return stageErr(st, "noise", -1, "noise is for info: declared (the mediator sees noisy declared profiles)")
	}
	return nil
}
