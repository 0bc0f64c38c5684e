package server_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/ufun"
)

// remoteStrategy plays an in-process strategy in a remote seat over its
// stream, from what the seat's lens shows: the public facts, its session
// and its turns. It returns when the stream closes.
func remoteStrategy(t *testing.T, srv testServer, id, token string, neg parley.Negotiator) {
	t.Helper()
	c := dial(t, srv.hs, id, token, 0)
	defer c.CloseNow()
	var (
		created *server.Created
		space   *parley.OutcomeSpace
		me      int
		offers  []parley.OfferRecord
	)
	for {
		raw, ok := read(t, c)
		if !ok {
			return
		}
		e := decode(t, raw)
		switch {
		case e.Created != nil:
			created = e.Created
			issues := make([]parley.Issue, len(created.Issues))
			for i, is := range created.Issues {
				issues[i] = parley.Issue{Name: is.Name, Values: is.Values}
			}
			var err error
			if space, err = parley.NewOutcomeSpace(issues); err != nil {
				t.Fatal(err)
			}
		case e.Session != nil:
			s := e.Session
			me = s.Party
			u, err := ufun.NewTable(space, parley.UtilityFunc(func(o parley.Outcome) float64 { return s.Utilities[o] }))
			if err != nil {
				t.Fatal(err)
			}
			p := &parley.Profile{Name: s.Name, Space: space, Utility: u, Reservation: s.Reservation, Discount: s.Discount, Drift: s.Drift, Hazard: s.Hazard}
			for _, v := range s.RedLines {
				i := space.Issue(v.Issue)
				k, err := space.Issues[i].Index(v.Value)
				if err != nil {
					t.Fatal(err)
				}
				p.Vetoes = append(p.Vetoes, parley.ValueRef{Issue: i, Value: k})
			}
			a, _ := strconv.ParseUint(s.Rand[0], 10, 64)
			b, _ := strconv.ParseUint(s.Rand[1], 10, 64)
			ses := &parley.Session{Party: me, Names: created.Parties, Profile: p, Deadline: created.Deadline, Protocol: created.Protocol,
				Clock: parley.Clock{Parties: s.Clock.Parties, Rounds: s.Clock.Rounds, Cost: s.Clock.Cost, Offset: s.Clock.Offset, Total: s.Clock.Total, GENIUS: s.Clock.GENIUS},
				Rand:  rand.New(rand.NewPCG(a, b))}
			if err := neg.Init(t.Context(), ses); err != nil {
				t.Fatal(err)
			}
		case e.Type == server.TypeOffer:
			x := e.Action
			offers = append(offers, parley.OfferRecord{Party: x.Party, Outcome: parley.Outcome(x.Outcome), Step: x.Step, Round: x.Round, Time: x.Time})
		case e.Turn != nil:
			tu := e.Turn
			st := &parley.State{Step: tu.Step, Round: tu.Round, Time: tu.Time, Deadline: created.Deadline, Parties: len(created.Parties), Me: me,
				Standing: parley.Outcome(tu.Standing), Proposer: tu.Proposer, Accepts: tu.Accepts, Offers: offers, Text: parley.NoOutcome}
			if tu.Standing < 0 {
				st.Standing = parley.NoOutcome
			}
			a, err := neg.Act(t.Context(), st)
			if err != nil {
				t.Fatal(err)
			}
			req := server.ActionRequest{Step: tu.Step, Action: a.Kind.String()}
			if a.Kind == parley.Offer {
				o := int(a.Outcome)
				req.Outcome = &o
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
			remoteStrategy(t, srv, cr.ID, cr.Tokens.Seats[tt.remote], f())
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
