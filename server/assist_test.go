package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/strategy"
)

// assistOf asks for the mediator's suggestions, failing the test unless
// the answer is 200.
func assistOf(t *testing.T, srv testServer, id, token string) server.Assist {
	t.Helper()
	var a server.Assist
	var e apiErr
	if st := call(t, srv.hs, "GET", "/negotiations/"+id+"/assist", token, nil, &a); st != http.StatusOK {
		call(t, srv.hs, "GET", "/negotiations/"+id+"/assist", token, nil, &e)
		t.Fatalf("assist: %d %s", st, e.Error)
	}
	return a
}

// suggestionOf returns the suggestion of the built-in mediator spec.
func suggestionOf(t *testing.T, a server.Assist, spec string) server.Suggestion {
	t.Helper()
	for _, s := range a.Suggestions {
		if s.Mediator == spec {
			return s
		}
	}
	t.Fatalf("no suggestion of %s in %+v", spec, a)
	return server.Suggestion{}
}

// inProcessLunch runs protocol mediated on lunch (info full; voters
// hillclimber and voter1) with the mediator med in process: the reference
// trace, in ownerTrace's format.
func inProcessLunch(t *testing.T, med, voter1 string, seed uint64) ([]string, *staged.Result) {
	t.Helper()
	scn, err := scenario.Parse("lunch.yaml", []byte(lunch(t)), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	ready, err := scn.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	pl := staged.Plan{Stages: []parley.Stage{{Name: "mediated", Mechanism: parley.MechanismMediated, Participants: []int{0, 1},
		Mediator: -1, Rounds: scn.Deadline, Info: parley.InfoFull}}}
	var want []string
	pl.Trace = func(k int, e parley.Event) {
		want = append(want, fmt.Sprintf("%d %d %d %v %d %s %d", k, e.Step, e.Round, e.Time, e.Party, e.Action, e.Outcome))
	}
	v0, _ := resolveVoter("hillclimber")
	v1, _ := resolveVoter(voter1)
	m, _ := resolveMediator(med)
	res, err := staged.Run(t.Context(), ready.Profiles(), ready.Names(), pl, staged.Seats{Voters: []parley.Voter{v0(), v1()}, Mediator: m()}, seed)
	if err != nil {
		t.Fatal(err)
	}
	return want, res
}

// TestAssistFollowed: a remote mediator that always sends what the
// assist suggests for the built-in nash mediator (proposals, and the final
// vote when it would call it) produces the trace of the in-process nash
// mediator with the same seed: the suggestion is what the built-in
// mediator, run over the mediator's lens, does.
func TestAssistFollowed(t *testing.T) {
	want, res := inProcessLunch(t, "nash", "hillclimber", 9)
	srv := start(t, server.Config{})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)}, Protocol: "mediated", Info: "full", Seed: 9,
		Seats:    []server.Seat{{Kind: "strategy", Voter: "hillclimber"}, {Kind: "strategy", Voter: "hillclimber"}},
		Mediator: &server.Seat{Kind: "remote"}})
	calls, hill := 0, 0
	followAssist(t, srv, cr, "nash", func(tu *server.Turn, a server.Assist) {
		if a.Step != tu.Step || a.Kind != tu.Kind {
			t.Fatalf("assist for step %d (%s), the turn is step %d (%s)", a.Step, a.Kind, tu.Step, tu.Kind)
		}
		if h := suggestionOf(t, a, "hillclimb"); h.Action == "offer" {
			hill++
		}
		if suggestionOf(t, a, "nash").Action == "final_vote" {
			calls++
		}
	})
	got, ended := ownerTrace(t, srv, cr)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("following the assist:\n%s\nthe in-process nash mediator:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ended == nil || ended.Reason != res.Reason.String() || hill == 0 {
		t.Errorf("ended %+v, in-process %v; hillclimb offered %d times", ended, res.Reason, hill)
	}
	t.Logf("%d events, %s; nash called the final vote %d times", len(want), res.Reason, calls)
}

// TestAssistFollowedStaged: in the ceasefire's declared protocol (direct
// talks, then the US mediates with the text the talks carried over and an
// issue locked), a remote US mediator that sends what the assist suggests
// for the built-in nash mediator gives the in-process run's trace with
// nash in the chair: the suggestions keep the locked issues and see the
// declared (noisy) profiles the mediator's lens shows. (With seed 6 a
// suggestion that ignored the locks would change one: an error.)
func TestAssistFollowedStaged(t *testing.T) {
	scn, err := catalog.Builtin("ceasefire")
	if err != nil {
		t.Fatal(err)
	}
	specs := []string{"linear", "boulware", "boulware"}
	var seats staged.Seats
	for _, sp := range specs {
		f, _ := strategy.Parse(sp)
		v, _ := resolveVoter(server.DefaultVoter)
		seats.Negotiators, seats.Voters = append(seats.Negotiators, f()), append(seats.Voters, v())
	}
	m, _ := resolveMediator("nash")
	seats.Mediator = m()
	want, res := inProcessStaged(t, scn, seats, 6)
	if len(res.Locked) == 0 {
		t.Fatal("the in-process run locked no issue: the test wants one")
	}

	srv := start(t, server.Config{})
	req := server.CreateRequest{Scenario: "ceasefire", Protocol: "staged", Seed: 6, Mediator: &server.Seat{Kind: "remote"}}
	for _, sp := range specs {
		req.Seats = append(req.Seats, server.Seat{Kind: "strategy", Spec: sp})
	}
	cr := create(t, srv.hs, req)
	followAssist(t, srv, cr, "nash", nil)
	got, ended := ownerTrace(t, srv, cr)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("following the assist:\n%s\nthe in-process nash mediator:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ended == nil || ended.Reason != res.Reason.String() {
		t.Errorf("ended %+v, in-process %v", ended, res.Reason)
	}
	t.Logf("%d events, %s in %s; locked %v", len(want), res.Reason, res.StageName, res.Locked)
}

// followAssist plays the remote mediator of cr to the end by sending, on
// each of its turns, the suggestion of the built-in mediator spec; seen,
// when set, gets each answer of the assist first.
func followAssist(t *testing.T, srv testServer, cr server.CreateResponse, spec string, seen func(*server.Turn, server.Assist)) {
	t.Helper()
	tok := cr.Tokens.Mediator
	var after int64
	for done := false; !done; {
		got := events(t, srv.hs, cr.ID, tok, after, 10)
		done = got.Complete
		for _, raw := range got.Events {
			e := decode(t, raw)
			after = e.Seq
			if e.Turn == nil {
				continue
			}
			a := assistOf(t, srv, cr.ID, tok)
			if seen != nil {
				seen(e.Turn, a)
			}
			sg := suggestionOf(t, a, spec)
			if sg.Error != "" || sg.Action == "" {
				t.Fatalf("%s has no suggestion: %+v", spec, sg)
			}
			act := server.ActionRequest{Step: e.Turn.Step, Action: sg.Action, Outcome: sg.Outcome}
			var ae apiErr
			if st := call(t, srv.hs, "POST", "/negotiations/"+cr.ID+"/actions", tok, act, &ae); st != http.StatusAccepted {
				t.Fatalf("%+v (suggestion %+v): %d %s", act, sg, st, ae.Error)
			}
		}
	}
}

// TestAssistSameTrace: asking for suggestions on every turn changes
// nothing: a remote mediator running the in-process nash mediator (no
// early call) over its lens, with annealing voters that draw from their
// own streams, gives the in-process run's trace whether or not it asks.
func TestAssistSameTrace(t *testing.T) {
	want, _ := inProcessLunch(t, "nash:call=false", "annealer", 4)
	for _, ask := range []bool{false, true} {
		t.Run(fmt.Sprint("assist=", ask), func(t *testing.T) {
			srv := start(t, server.Config{})
			cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)}, Protocol: "mediated", Info: "full", Seed: 4,
				Seats:    []server.Seat{{Kind: "strategy", Voter: "hillclimber"}, {Kind: "strategy", Voter: "annealer"}},
				Mediator: &server.Seat{Kind: "remote"}})
			asked := 0
			m, _ := resolveMediator("nash:call=false")
			pl := player{med: m()}
			if ask {
				pl.seen = func(tu *server.Turn) {
					for _, s := range assistOf(t, srv, cr.ID, cr.Tokens.Mediator).Suggestions {
						if s.Error != "" {
							t.Errorf("%s: %s", s.Mediator, s.Error)
						}
					}
					asked++
				}
			}
			remoteStrategy(t, srv, cr.ID, cr.Tokens.Mediator, pl)
			got, _ := ownerTrace(t, srv, cr)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("remote run (asked %d times):\n%s\nin-process run:\n%s", asked, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if ask && asked < 2 {
				t.Errorf("asked %d times", asked)
			}
		})
	}
}

// TestAssistAccess: only the mediator's token gets suggestions, and only
// on its turn; under info votes the Nash-seeking mediator, which needs
// declared preferences, says so while hill-climbing suggests a proposal.
func TestAssistAccess(t *testing.T) {
	srv := start(t, server.Config{})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)}, Protocol: "mediated", Info: "votes", Seed: 2,
		Seats:    []server.Seat{{Kind: "remote"}, {Kind: "strategy", Voter: "hillclimber"}},
		Mediator: &server.Seat{Kind: "remote"}})
	other := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)}, Protocol: "mediated",
		Seats:    []server.Seat{{Kind: "strategy", Voter: "hillclimber"}, {Kind: "strategy", Voter: "hillclimber"}},
		Mediator: &server.Seat{Kind: "remote"}})
	turn := waitTurn(t, srv, cr.ID, cr.Tokens.Mediator, 0)
	path := "/negotiations/" + cr.ID + "/assist"
	for _, tc := range []struct {
		who, tok string
		want     int
	}{
		{"owner", cr.Tokens.Owner, http.StatusForbidden},
		{"observer", cr.Tokens.Observer, http.StatusForbidden},
		{"seat", cr.Tokens.Seats[0], http.StatusForbidden},
		{"another negotiation's mediator", other.Tokens.Mediator, http.StatusNotFound},
		{"no token", "", http.StatusUnauthorized},
	} {
		if st := call(t, srv.hs, "GET", path, tc.tok, nil, nil); st != tc.want {
			t.Errorf("%s: %d, want %d", tc.who, st, tc.want)
		}
	}
	a := assistOf(t, srv, cr.ID, cr.Tokens.Mediator)
	if a.Step != turn.Turn.Step || len(a.Suggestions) != 2 {
		t.Fatalf("assist %+v for turn %+v", a, turn.Turn)
	}
	if n := suggestionOf(t, a, "nash"); n.Action != "" || !strings.Contains(n.Error, "declared") {
		t.Errorf("nash under info votes: %+v, want an error naming the declared preferences", n)
	}
	h := suggestionOf(t, a, "hillclimb")
	if h.Action != "offer" || h.Outcome == nil || len(h.Values) != 2 || *h.Outcome == *turn.Turn.Text {
		t.Errorf("hillclimb: %+v, want a proposal other than the text %d", h, *turn.Turn.Text)
	}
	first, _ := json.Marshal(a)
	if again, _ := json.Marshal(assistOf(t, srv, cr.ID, cr.Tokens.Mediator)); string(again) != string(first) {
		t.Errorf("asked twice: %s then %s", first, again)
	}
	// After its proposal, until its next turn, the mediator has none.
	o := *h.Outcome
	if st := call(t, srv.hs, "POST", "/negotiations/"+cr.ID+"/actions", cr.Tokens.Mediator, server.ActionRequest{Step: a.Step, Action: "offer", Outcome: &o}, nil); st != http.StatusAccepted {
		t.Fatalf("propose: %d", st)
	}
	if st := call(t, srv.hs, "GET", path, cr.Tokens.Mediator, nil, nil); st != http.StatusConflict {
		t.Errorf("between turns: %d, want 409", st)
	}
}
