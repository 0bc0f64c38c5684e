package server

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
)

// Event types: the Type of an Event. docs/server.md describes each.
const (
	// TypeCreated opens every log: the public facts of the negotiation.
	TypeCreated = "created"
	// TypeSetup is the owner's record of the seats and the seed.
	TypeSetup = "setup"
	// TypeSession is a seat's own profile, sent to it (and the owner) when
	// the negotiation starts.
	TypeSession = "session"
	// TypeTurn tells a remote seat that it is its turn and what it sees.
	TypeTurn = "turn"
	// TypeOffer, TypeAccept, TypeReject and TypeWalkAway are the actions,
	// named as parley.ActionKind (and every trace) names them: offers,
	// acceptances and walk-aways, public, with an Action payload (a
	// mediator's proposal and its stepping back are its offer and its
	// walk-away, by party -1); and in mediated stages the votes, accept or
	// reject with a Vote payload, seen by the voter and, unless the
	// stage's information level is "nothing", by the mediator.
	TypeOffer    = "offer"
	TypeAccept   = "accept"
	TypeReject   = "reject"
	TypeWalkAway = "walk_away"
	// TypeStage opens a stage of a staged protocol.
	TypeStage = "stage"
	// TypeReplaced says a remote seat failed and its fallback strategy
	// took it over.
	TypeReplaced = "replaced"
	// TypeEnded says how the negotiation ended: public facts only.
	TypeEnded = "ended"
	// TypeResult is one party's own result, sent to it (and the owner).
	TypeResult = "result"
	// TypeAnalysis is the owner's analysis of the scenario and the result.
	TypeAnalysis = "analysis"

	// typeDefinition is the server's own record of how to rebuild the
	// negotiation (the request and the token hashes): no lens shows it.
	typeDefinition = "definition"
)

// Audiences of events. A seat's audience is "seat:N" (see SeatAudience);
// an event for several lenses lists them with "|" ("seat:0|mediator").
const (
	AudiencePublic   = "public"   // every lens
	AudienceOwner    = "owner"    // the owner's lens only
	AudienceMediator = "mediator" // the mediator's lens (and the owner's)
	audienceServer   = "server"   // no lens
)

// SeatAudience returns the audience of events private to party p: that
// seat's lens and the owner's.
func SeatAudience(p int) string { return "seat:" + strconv.Itoa(p) }

// Event is one entry of a negotiation's append-only log. Seq numbers the
// entries of one negotiation from 1 without gaps; each lens shows the
// entries its audience allows, so a lens may skip numbers. Exactly one of
// the payload fields is set, as Type says.
type Event struct {
	Seq      int64  `json:"seq"`
	Type     string `json:"type"`
	Audience string `json:"audience"`

	Created  *Created     `json:"created,omitempty"`
	Stage    *Stage       `json:"stage,omitempty"`
	Setup    *Setup       `json:"setup,omitempty"`
	Session  *Session     `json:"session,omitempty"`
	Turn     *Turn        `json:"turn,omitempty"`
	Action   *ActionEvent `json:"action,omitempty"`
	Vote     *VoteEvent   `json:"vote,omitempty"`
	Replaced *Replaced    `json:"replaced,omitempty"`
	Ended    *Ended       `json:"ended,omitempty"`
	Result   *Result      `json:"result,omitempty"`
	Analysis *Analysis    `json:"analysis,omitempty"`

	Definition *definition `json:"definition,omitempty"`
}

// Created is the public opening of a negotiation: what every lens may
// know of it.
type Created struct {
	ID       string   `json:"id"`
	Scenario string   `json:"scenario"`
	Protocol string   `json:"protocol"`
	Deadline int      `json:"deadline"`
	Parties  []string `json:"parties"`
	Issues   []Issue  `json:"issues"`
	Outcomes int      `json:"outcomes"`
	Variant  string   `json:"variant,omitempty"`
}

// Stage is the opening of a stage of a staged protocol: its place, its
// mechanism ("alternating_offers" or "mediated") and who takes part, by
// party index (Mediator -1: a mediator without interests, or none).
type Stage struct {
	Index int `json:"index"`
	// CatalogStage is the stage as the catalog declares it: its name,
	// mechanism, participants, mediator and rounds.
	CatalogStage
	Offset int `json:"offset"` // rounds of the plan used before it
	// The stage's settings, as a trace names them (tracefile.Stage):
	// RoundCost (at least 1), Transition, Carry (what this stage hands
	// over to the next), OnWalkAwayNext and Start; for a mediated stage
	// also Rule, Info, Noise and FinalVote.
	RoundCost      int               `json:"round_cost"`
	Transition     parley.Transition `json:"transition"`
	Carry          parley.Carry      `json:"carry"`
	OnWalkAwayNext float64           `json:"on_walk_away_next"`
	Start          parley.Start      `json:"start"`
	Rule           *parley.Rule      `json:"rule,omitempty"`
	Info           *parley.Info      `json:"info,omitempty"`
	Noise          *float64          `json:"noise,omitempty"`
	FinalVote      *bool             `json:"final_vote,omitempty"`
	// Carried is what the stage opens with from the stage before it, or
	// nil when it opens with nothing handed over.
	Carried *Carried `json:"carried,omitempty"`
}

// Carried is what a stage of a staged protocol opens with from the stage
// before it, under that stage's carry-over policy (Carry: "best_acceptable"
// or "partial_issues", parley.Carry): the standing offer or starting text
// handed over (Outcome -1 when the stage opens with its own text, holding
// only the locked values), and the issues locked to their values there.
// It is public, as the offers and texts it is chosen from are.
type Carried struct {
	Carry   parley.Carry      `json:"carry"`
	Outcome int               `json:"outcome"`
	Values  map[string]string `json:"values,omitempty"`
	Locked  []string          `json:"locked,omitempty"` // issue names
}

// Issue is one issue of the outcome space as clients see it: its values
// by index. An outcome's index is the mixed-radix number of its value
// indices, the first issue most significant (parley.OutcomeSpace).
type Issue struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

// Setup is the owner's record of the negotiation: the scenario as given
// (a built-in name, or the uploaded files, which hold every profile), who
// sits where, and the seed.
type Setup struct {
	Scenario string            `json:"scenario,omitempty"`
	Files    map[string]string `json:"files,omitempty"`
	Seats    []Seat            `json:"seats"`
	Mediator *Seat             `json:"mediator,omitempty"`
	Seed     uint64            `json:"seed"`
}

// Analysis is the owner's analysis (package analysis) over the parties
// that negotiate (for a staged protocol, the participants of its stages):
// the Nash, Kalai-Smorodinsky and maximum-welfare points, the opposition,
// and the result's metrics. Error says why there is none.
type Analysis struct {
	Parties          []int             `json:"parties"`
	Nash             *analysis.Point   `json:"nash,omitempty"`
	KalaiSmorodinsky *analysis.Point   `json:"kalai_smorodinsky,omitempty"`
	MaxWelfare       *analysis.Point   `json:"max_welfare,omitempty"`
	Opposition       float64           `json:"opposition"`
	Metrics          *analysis.Metrics `json:"metrics,omitempty"`
	Error            string            `json:"error,omitempty"`
}

// Session is what a seat learns when the negotiation (or, in a staged
// protocol, each stage) starts: its own profile and the shape of the
// negotiation (parley.Session). Party is -1 for a mediator without
// interests of its own.
type Session struct {
	Stage       int       `json:"stage"` // -1 for protocol sao
	Role        string    `json:"role"`  // "negotiator", "voter" or "mediator"
	Party       int       `json:"party"`
	Name        string    `json:"name"`
	Utilities   []float64 `json:"utilities"` // by outcome index
	Reservation float64   `json:"reservation"`
	Discount    float64   `json:"discount"`
	Drift       float64   `json:"drift,omitempty"`
	Hazard      float64   `json:"hazard,omitempty"`
	RedLines    []Value   `json:"red_lines,omitempty"`
	Clock       Clock     `json:"clock"`
	// Rand is the state of the seat's own random stream (a PCG's two
	// words, as decimal strings): the stream an in-process strategy in
	// this seat would have drawn from (parley.Session.Rand). Protocol sao
	// only.
	Rand []string `json:"rand,omitempty"`
	// Declared is what a mediator may know of the voters' preferences
	// under the stage's information level, by stage participant (none
	// under "votes" and "nothing").
	Declared []Declared `json:"declared,omitempty"`
}

// Declared is a voter's profile as the mediator sees it.
type Declared struct {
	Party       int       `json:"party"`
	Utilities   []float64 `json:"utilities"`
	Reservation float64   `json:"reservation"`
	RedLines    []Value   `json:"red_lines,omitempty"`
}

// Value names one value of one issue.
type Value struct {
	Issue string `json:"issue"`
	Value string `json:"value"`
}

// Clock is parley.Clock on the wire.
type Clock struct {
	Parties int  `json:"parties"`
	Rounds  int  `json:"rounds"`
	Cost    int  `json:"cost,omitempty"`
	Offset  int  `json:"offset,omitempty"`
	Total   int  `json:"total,omitempty"`
	GENIUS  bool `json:"genius,omitempty"`
}

// Turn is a remote seat's turn: the parley.State it sees, without the
// offer history (the public offer and proposal events are that history).
// It must answer with this Step. Kind is "act" (alternating offers),
// "vote" (Standing is the proposal, Text the current text; Final marks the
// final vote on the text) or "propose" (the mediator's: Standing is the
// previous proposal, Votes the votes on it as its information level
// allows, by stage participant).
type Turn struct {
	Kind     string   `json:"kind"`
	Stage    int      `json:"stage"` // -1 for protocol sao
	Step     int      `json:"step"`
	Round    int      `json:"round"`
	Time     float64  `json:"time"`
	Standing int      `json:"standing"` // the offer (proposal) on the table, or -1
	Proposer int      `json:"proposer"` // who made it (a party index), or -1
	Accepts  int      `json:"accepts"`
	Text     *int     `json:"text,omitempty"` // mediated stages: the current text, or -1
	Final    bool     `json:"final,omitempty"`
	Votes    []Ballot `json:"votes,omitempty"`
	// CanCall is set on a mediator's propose turn after a round (but the
	// last) of a protocol with a final vote: the mediator may answer
	// final_vote instead of a proposal.
	CanCall bool `json:"can_call,omitempty"`
	// TimeoutMS is how long the seat has to act, in milliseconds.
	TimeoutMS int64 `json:"timeout_ms"`
}

// Ballot is one vote as a mediator may see it.
type Ballot struct {
	Accept   bool `json:"accept"`
	Feedback int8 `json:"feedback,omitempty"`
	Leave    bool `json:"leave,omitempty"`
}

// VoteEvent is a party's vote on a proposal (or, Final, on the text).
type VoteEvent struct {
	Stage   int     `json:"stage"`
	Step    int     `json:"step"`
	Round   int     `json:"round"`
	Time    float64 `json:"time"`
	Party   int     `json:"party"`
	Outcome int     `json:"outcome"` // what was voted on
	Accept  bool    `json:"accept"`
}

// ActionEvent is a public action: who did what at which turn. Party is
// -1 for the mediator (proposals, stepping back); Stage is the stage's
// index in a staged or mediated protocol, else -1.
type ActionEvent struct {
	Stage   int               `json:"stage"`
	Step    int               `json:"step"`
	Round   int               `json:"round"`
	Time    float64           `json:"time"`
	Party   int               `json:"party"`
	Outcome int               `json:"outcome"` // the offer, or the accepted outcome; -1 for walk_away
	Values  map[string]string `json:"values,omitempty"`
}

// Replaced is a remote seat taken over by its fallback strategy.
type Replaced struct {
	Party int    `json:"party"`
	Cause string `json:"cause"`
}

// Ended is the public ending of a negotiation.
type Ended struct {
	Reason    string            `json:"reason"`
	Agreement int               `json:"agreement"` // -1 without agreement
	Values    map[string]string `json:"values,omitempty"`
	Rounds    int               `json:"rounds"`
	Steps     int               `json:"steps"` // the turns taken (parley.Result.Steps): the log's actions and votes
	Time      float64           `json:"time"`
	Party     int               `json:"party"` // who accepted last, walked away or failed; -1 when nobody did
	Cause     string            `json:"cause,omitempty"`
	Stage     string            `json:"stage,omitempty"` // staged: the stage it ended in
}

// Result is one party's own result.
type Result struct {
	Party      int     `json:"party"`
	Utility    float64 `json:"utility"`
	Discounted float64 `json:"discounted"`
}

// Lens is a view of a negotiation's log: which events a token may see.
type Lens struct {
	Kind  string // LensOwner, LensObserver, LensSeat or LensMediator
	Party int    // LensSeat: the seat's party
}

// Lens kinds.
const (
	LensOwner    = "owner"
	LensObserver = "observer"
	LensSeat     = "seat"
	LensMediator = "mediator"
)

// String returns "owner", "observer", "mediator" or "seat:N".
func (l Lens) String() string {
	if l.Kind == LensSeat {
		return SeatAudience(l.Party)
	}
	return l.Kind
}

// Sees reports whether the lens shows events of the audience a (one
// audience, or several joined by "|").
func (l Lens) Sees(a string) bool {
	switch {
	case a == AudiencePublic:
		return true
	case a == audienceServer:
		return false
	case l.Kind == LensOwner:
		return true
	case l.Kind == LensObserver:
		return false
	}
	me := l.String()
	for a != "" {
		var one string
		one, a, _ = strings.Cut(a, "|")
		if one == me {
			return true
		}
	}
	return false
}

// audienceParty returns the party of a "seat:N" audience.
func audienceParty(a string) (int, bool) {
	s, ok := strings.CutPrefix(a, "seat:")
	if !ok {
		return 0, false
	}
	p, err := strconv.Atoi(s)
	return p, err == nil
}

// actionType returns the event type of an alternating-offers action.
func actionType(k parley.ActionKind) (string, error) {
	switch k {
	case parley.Offer:
		return TypeOffer, nil
	case parley.Accept:
		return TypeAccept, nil
	case parley.End:
		return TypeWalkAway, nil
	}
	return "", fmt.Errorf("server: no event type for action %v", k)
}
