package server_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/ufun"
)

// player is what a remote client runs in its seat: in-process strategies
// for the roles the seat may take.
type player struct {
	neg parley.Negotiator
	vot parley.Voter
	med parley.Mediator
	// seen, when set, is called with each turn before it is answered.
	seen func(*server.Turn)
}

// profileFrom rebuilds a profile from what a lens shows of it.
func profileFrom(t *testing.T, space *parley.OutcomeSpace, name string, utils []float64, reservation float64, red []server.Value) *parley.Profile {
	t.Helper()
	u, err := ufun.NewTable(space, parley.UtilityFunc(func(o parley.Outcome) float64 { return utils[o] }))
	if err != nil {
		t.Fatal(err)
	}
	p := &parley.Profile{Name: name, Space: space, Utility: u, Reservation: reservation}
	for _, v := range red {
		i := space.Issue(v.Issue)
		k, err := space.Issues[i].Index(v.Value)
		if err != nil {
			t.Fatal(err)
		}
		p.Vetoes = append(p.Vetoes, parley.ValueRef{Issue: i, Value: k})
	}
	return p
}

// remoteStrategy plays in-process strategies in a remote seat over its
// stream, from what the seat's lens shows: the public facts, its
// sessions and its turns. It returns when the stream closes. (Stage
// participants are taken to be the parties in order, as in the test
// scenarios.)
func remoteStrategy(t *testing.T, srv testServer, id, token string, pl player) {
	t.Helper()
	c := dial(t, srv.hs, id, token, 0)
	defer c.CloseNow()
	var (
		created *server.Created
		space   *parley.OutcomeSpace
		ses     *server.Session
		offers  []parley.OfferRecord
		parties int
	)
	for {
		raw, ok := read(t, c)
		if !ok {
			return
		}
		e := decode(t, raw)
		switch {
		case e.Created != nil:
			created, parties = e.Created, len(e.Created.Parties)
			issues := make([]parley.Issue, len(created.Issues))
			for i, is := range created.Issues {
				issues[i] = parley.Issue{Name: is.Name, Values: is.Values}
			}
			var err error
			if space, err = parley.NewOutcomeSpace(issues); err != nil {
				t.Fatal(err)
			}
		case e.Stage != nil:
			offers, parties = nil, len(e.Stage.Participants)
		case e.Session != nil:
			s := e.Session
			ses = s
			p := profileFrom(t, space, s.Name, s.Utilities, s.Reservation, s.RedLines)
			p.Discount, p.Drift, p.Hazard = s.Discount, s.Drift, s.Hazard
			ps := &parley.Session{Party: s.Party, Names: created.Parties[:parties], Profile: p, Deadline: s.Clock.Rounds, Protocol: created.Protocol,
				Clock: parley.Clock{Parties: s.Clock.Parties, Rounds: s.Clock.Rounds, Cost: s.Clock.Cost, Offset: s.Clock.Offset, Total: s.Clock.Total, GENIUS: s.Clock.GENIUS}}
			if len(s.Rand) == 2 {
				a, _ := strconv.ParseUint(s.Rand[0], 10, 64)
				b, _ := strconv.ParseUint(s.Rand[1], 10, 64)
				ps.Rand = rand.New(rand.NewPCG(a, b))
			} else {
				ps.Rand = rand.New(rand.NewPCG(0, 0)) // the test's strategies draw nothing in staged runs
			}
			var err error
			switch s.Role {
			case "negotiator":
				ps.Protocol = "sao"
				err = pl.neg.Init(t.Context(), ps)
			case "voter":
				ps.Protocol = "mediated"
				err = pl.vot.Init(t.Context(), ps)
			case "mediator":
				ps.Party, ps.Protocol = -1, "mediated"
				for _, d := range s.Declared {
					ps.Declared = append(ps.Declared, profileFrom(t, space, created.Parties[d.Party], d.Utilities, d.Reservation, d.RedLines))
				}
				err = pl.med.Init(t.Context(), ps)
			}
			if err != nil {
				t.Fatal(err)
			}
		case e.Type == server.TypeOffer:
			x := e.Action
			offers = append(offers, parley.OfferRecord{Party: x.Party, Outcome: parley.Outcome(x.Outcome), Step: x.Step, Round: x.Round, Time: x.Time})
		case e.Turn != nil:
			tu := e.Turn
			if pl.seen != nil {
				pl.seen(tu)
			}
			st := &parley.State{Step: tu.Step, Round: tu.Round, Time: tu.Time, Deadline: ses.Clock.Rounds, Parties: parties, Me: ses.Party,
				Standing: parley.Outcome(tu.Standing), Proposer: tu.Proposer, Accepts: tu.Accepts, Offers: offers, Text: parley.NoOutcome, Final: tu.Final}
			if tu.Standing < 0 {
				st.Standing = parley.NoOutcome
			}
			if tu.Text != nil && *tu.Text >= 0 {
				st.Text = parley.Outcome(*tu.Text)
			}
			req := server.ActionRequest{Step: tu.Step}
			switch tu.Kind {
			case server.TurnAct:
				a, err := pl.neg.Act(t.Context(), st)
				if err != nil {
					t.Fatal(err)
				}
				req.Action = a.Kind.String()
				if a.Kind == parley.Offer {
					o := int(a.Outcome)
					req.Outcome = &o
				}
			case server.TurnVote:
				v, err := pl.vot.Vote(t.Context(), st)
				if err != nil {
					t.Fatal(err)
				}
				req.Action, req.Feedback = "reject", v.Feedback
				switch {
				case v.Leave:
					req.Action = "walk_away"
				case v.Accept:
					req.Action = "accept"
				}
			case server.TurnPropose:
				st.Me = -1
				for _, b := range tu.Votes {
					st.Votes = append(st.Votes, parley.Vote{Accept: b.Accept, Feedback: b.Feedback, Leave: b.Leave})
				}
				o, err := pl.med.Propose(t.Context(), st)
				if err != nil {
					t.Fatal(err)
				}
				req.Action = "offer"
				if o == parley.NoOutcome {
					req.Action = "walk_away"
				} else {
					x := int(o)
					req.Outcome = &x
				}
			}
			send(t, c, req)
		}
	}
}

// TestRemoteSameTrace: a remote client that plays boulware by running the
// in-process strategy on what its seat's lens gives it produces the same
// trace and result as the in-process run with the same seed.
func TestRemoteSameTrace(t *testing.T) {
	tests := []struct {
		name     string
		req      server.CreateRequest
		specs    []string
		remote   int
		scenario func() (*scenario.Scenario, error)
	}{
		{"lunch", server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)}, Seed: 3}, []string{"conceder", "boulware"}, 1,
			func() (*scenario.Scenario, error) { return scenario.Parse("lunch.yaml", []byte(lunch(t)), "yaml") }},
		{"ceasefire", server.CreateRequest{Scenario: "ceasefire", Seed: 7}, []string{"conceder", "boulware", "linear"}, 1,
			func() (*scenario.Scenario, error) { return catalog.Builtin("ceasefire") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// In process.
			scn, err := tt.scenario()
			if err != nil {
				t.Fatal(err)
			}
			ready, err := scn.Prepare()
			if err != nil {
				t.Fatal(err)
			}
			deadline := scn.Deadline
			if deadline == 0 {
				deadline = 100
			}
			var want []string
			m, err := sao.New(ready.Profiles(), ready.Names(), sao.Options{Deadline: deadline, Trace: func(e parley.Event) {
				want = append(want, fmt.Sprintf("%d %d %v %d %v %d", e.Step, e.Round, e.Time, e.Party, e.Action, e.Outcome))
			}})
			if err != nil {
				t.Fatal(err)
			}
			negs := make([]parley.Negotiator, len(tt.specs))
			req := tt.req
			for i, sp := range tt.specs {
				f, err := strategy.Parse(sp)
				if err != nil {
					t.Fatal(err)
				}
				negs[i] = f()
				if i == tt.remote {
					req.Seats = append(req.Seats, server.Seat{Kind: "remote"})
				} else {
					req.Seats = append(req.Seats, server.Seat{Kind: "strategy", Spec: sp})
				}
			}
			res, err := m.Run(t.Context(), negs, tt.req.Seed)
			if err != nil {
				t.Fatal(err)
			}

			// Through the server.
			srv := start(t, server.Config{})
			cr := create(t, srv.hs, req)
			f, _ := strategy.Parse(tt.specs[tt.remote])
			remoteStrategy(t, srv, cr.ID, cr.Tokens.Seats[tt.remote], player{neg: f()})
			var got []string
			var ended *server.Ended
			for _, raw := range events(t, srv.hs, cr.ID, cr.Tokens.Owner, 0, 0).Events {
				e := decode(t, raw)
				if x := e.Action; x != nil {
					got = append(got, fmt.Sprintf("%d %d %v %d %s %d", x.Step, x.Round, x.Time, x.Party, e.Type, x.Outcome))
				}
				if e.Ended != nil {
					ended = e.Ended
				}
			}
			for i := range want {
				// The in-process trace names walking away's outcome -1
				// too (NoOutcome).
				if i >= len(got) || got[i] != want[i] {
					t.Fatalf("action %d: remote %q, in-process %q\nremote trace: %d actions, in-process %d", i, at(got, i), want[i], len(got), len(want))
				}
			}
			if len(got) != len(want) {
				t.Fatalf("remote trace has %d actions, in-process %d", len(got), len(want))
			}
			if ended.Reason != res.Reason.String() || ended.Agreement != int(res.Agreement) && res.Agreed() {
				t.Errorf("remote ended %+v, in-process %v %v", ended, res.Reason, res.Agreement)
			}
			t.Logf("%d actions, ended %s", len(got), ended.Reason)
		})
	}
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "(none)"
}

// TestRemoteStagedSameTrace: the declared protocol of testdata/talks.yaml
// (direct talks, then mediation) run through the server with a remote
// seat (negotiating and voting) and a remote mediator, each running the
// in-process strategies on what its lens shows, gives the same actions,
// votes and result as the in-process staged run.
func TestRemoteStagedSameTrace(t *testing.T) {
	text := testdata(t, "talks.yaml")
	scn, err := scenario.Parse("talks.yaml", []byte(text), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	neg := func() parley.Negotiator { f, _ := strategy.Parse("boulware"); return f() }
	vot := func() parley.Voter { f, _ := resolveVoter("reservation"); return f() }
	// A remote mediator cannot call the final vote early (mediated.Caller)
	// yet: the in-process one does not either here.
	med := func() parley.Mediator { f, _ := resolveMediator("nash:call=false"); return f() }
	seats := staged.Seats{Negotiators: []parley.Negotiator{neg(), neg(), neg()}, Voters: []parley.Voter{vot(), vot(), vot()}, Mediator: med()}
	want, res := inProcessStaged(t, scn, seats, 5)
	if !res.Agreed() || len(want) < 6 {
		t.Fatalf("the in-process run: %v after %d actions: the test wants a mediated agreement", res.Reason, len(want))
	}

	srv := start(t, server.Config{})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"talks.yaml": text}, Protocol: "staged", Seed: 5,
		Seats:    []server.Seat{{Kind: "remote"}, {Kind: "strategy", Spec: "boulware", Voter: "reservation"}, {Kind: "strategy", Spec: "boulware"}},
		Mediator: &server.Seat{Kind: "remote"}})
	done := make(chan bool)
	go func() {
		remoteStrategy(t, srv, cr.ID, cr.Tokens.Mediator, player{med: med()})
		done <- true
	}()
	remoteStrategy(t, srv, cr.ID, cr.Tokens.Seats[0], player{neg: neg(), vot: vot()})
	<-done
	got, ended := ownerTrace(t, srv, cr)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("remote run:\n%s\nin-process run:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ended == nil || ended.Reason != res.Reason.String() || ended.Agreement != int(res.Agreement) || ended.Stage != res.StageName {
		t.Errorf("remote ended %+v, in-process %v %v in stage %s", ended, res.Reason, res.Agreement, res.StageName)
	}
}

// TestRemoteMediatedSameTrace: protocol mediated (one mediated stage over
// every party) with a remote voter and a remote mediator, each running
// in-process strategies on its lens, gives the same votes, proposals and
// result as the in-process run of that stage.
func TestRemoteMediatedSameTrace(t *testing.T) {
	want, res := inProcessLunch(t, "nash:call=false", "hillclimber", 9)
	vot := func() parley.Voter { f, _ := resolveVoter("hillclimber"); return f() }
	med := func() parley.Mediator { f, _ := resolveMediator("nash:call=false"); return f() }

	srv := start(t, server.Config{})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)}, Protocol: "mediated", Info: "full", Seed: 9,
		Seats:    []server.Seat{{Kind: "remote"}, {Kind: "strategy", Voter: "hillclimber"}},
		Mediator: &server.Seat{Kind: "remote"}})
	done := make(chan bool)
	go func() { remoteStrategy(t, srv, cr.ID, cr.Tokens.Mediator, player{med: med()}); done <- true }()
	remoteStrategy(t, srv, cr.ID, cr.Tokens.Seats[0], player{vot: vot()})
	<-done
	got, ended := ownerTrace(t, srv, cr)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("remote run:\n%s\nin-process run:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ended == nil || ended.Reason != res.Reason.String() || len(want) < 4 {
		t.Errorf("remote ended %+v, in-process %v after %d events", ended, res.Reason, len(want))
	}
	t.Logf("%d events, %s", len(want), res.Reason)
}

// inProcessStaged runs the scenario's declared protocol in process with
// seats and seed, and returns its trace in ownerTrace's format (parties
// by their index in the scenario) and its result.
func inProcessStaged(t *testing.T, scn *scenario.Scenario, seats staged.Seats, seed uint64) ([]string, *staged.Result) {
	t.Helper()
	ready, err := scn.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	pl, err := plan.FromScenario(scn, "")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	pl.Trace = func(k int, e parley.Event) {
		party := e.Party
		if party >= 0 {
			party = pl.Stages[k].Participants[party]
		}
		want = append(want, fmt.Sprintf("%d %d %d %v %d %s %d", k, e.Step, e.Round, e.Time, party, e.Action, e.Outcome))
	}
	res, err := staged.Run(t.Context(), ready.Profiles(), ready.Names(), pl, seats, seed)
	if err != nil {
		t.Fatal(err)
	}
	return want, res
}

// ownerTrace returns the actions and votes of a negotiation in the owner's
// lens, one line each in the in-process trace's format, and its ending.
func ownerTrace(t *testing.T, srv testServer, cr server.CreateResponse) (got []string, ended *server.Ended) {
	t.Helper()
	for _, raw := range events(t, srv.hs, cr.ID, cr.Tokens.Owner, 0, 0).Events {
		e := decode(t, raw)
		switch {
		case e.Action != nil:
			x := e.Action
			got = append(got, fmt.Sprintf("%d %d %d %v %d %s %d", x.Stage, x.Step, x.Round, x.Time, x.Party, e.Type, x.Outcome))
		case e.Vote != nil:
			v := e.Vote
			got = append(got, fmt.Sprintf("%d %d %d %v %d %s %d", v.Stage, v.Step, v.Round, v.Time, v.Party, e.Type, v.Outcome))
		case e.Ended != nil:
			ended = e.Ended
		}
	}
	return got, ended
}
