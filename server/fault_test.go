package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley/server"
)

// ending waits for the negotiation's public ending.
func ending(t *testing.T, srv testServer, cr server.CreateResponse) *server.Ended {
	t.Helper()
	var after int64
	for {
		got := events(t, srv.hs, cr.ID, cr.Tokens.Observer, after, 30)
		for _, raw := range got.Events {
			e := decode(t, raw)
			after = e.Seq
			if e.Ended != nil {
				return e.Ended
			}
		}
		if got.Complete {
			t.Fatal("complete without an ended event")
		}
	}
}

// waitTurn waits for a seat's next turn event after seq after.
func waitTurn(t *testing.T, srv testServer, id, token string, after int64) server.Event {
	t.Helper()
	for {
		got := events(t, srv.hs, id, token, after, 30)
		for _, raw := range got.Events {
			e := decode(t, raw)
			after = e.Seq
			if e.Turn != nil {
				return e
			}
		}
		if got.Complete {
			t.Fatal("ended before the seat's turn")
		}
	}
}

func TestSeatFaults(t *testing.T) {
	bad := 99
	tests := []struct {
		name  string
		cfg   server.Config
		play  func(t *testing.T, srv testServer, cr server.CreateResponse)
		cause string
	}{
		{"missed turn", server.Config{TurnTimeout: 20 * time.Millisecond},
			func(*testing.T, testServer, server.CreateResponse) {}, `party "bob": missed the turn deadline of 20ms`},
		{"invalid offer", server.Config{}, func(t *testing.T, srv testServer, cr server.CreateResponse) {
			e := waitTurn(t, srv, cr.ID, cr.Tokens.Seats[1], 0)
			a := server.ActionRequest{Step: e.Turn.Step, Action: "offer", Outcome: &bad}
			if st := call(t, srv.hs, "POST", "/negotiations/"+cr.ID+"/actions", cr.Tokens.Seats[1], a, nil); st != http.StatusAccepted {
				t.Fatalf("status %d", st)
			}
		}, `party "bob": invalid offer`},
		{"disconnected past the grace period", server.Config{Grace: 20 * time.Millisecond}, func(t *testing.T, srv testServer, cr server.CreateResponse) {
			c := dial(t, srv.hs, cr.ID, cr.Tokens.Seats[1], 0)
			for {
				raw, _ := read(t, c)
				if decode(t, raw).Turn != nil {
					break
				}
			}
			c.CloseNow()
		}, `party "bob": disconnected for more than the grace period of 20ms`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := start(t, tt.cfg)
			cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)},
				Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote"}}})
			tt.play(t, srv, cr)
			e := ending(t, srv, cr)
			if e.Reason != "error" || e.Party != 1 || !strings.Contains(e.Cause, tt.cause) {
				t.Errorf("ended %+v, want reason error by party 1 with cause %q", e, tt.cause)
			}
			var v server.View
			call(t, srv.hs, "GET", "/negotiations/"+cr.ID, cr.Tokens.Owner, nil, &v)
			if len(v.Results) != 2 || v.Results[0].Utility != 0.3 || v.Results[1].Utility != 0.2 {
				t.Errorf("results %+v, want the reservation values 0.3 and 0.2", v.Results)
			}
		})
	}
}

// TestReconnectWithinGrace: a seat that drops its stream and comes back
// within the grace period plays on.
func TestReconnectWithinGrace(t *testing.T) {
	srv := start(t, server.Config{Grace: time.Minute})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)},
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote"}}})
	c := dial(t, srv.hs, cr.ID, cr.Tokens.Seats[1], 0)
	raw, _ := read(t, c)
	c.CloseNow()
	_ = wsSeatAfter(t, srv, cr, decode(t, raw).Seq)
	if e := ending(t, srv, cr); e.Reason != "agreement" {
		t.Errorf("ended %+v, want agreement", e)
	}
}

// wsSeatAfter plays seat 1 with best over a stream resumed after seq.
func wsSeatAfter(t *testing.T, srv testServer, cr server.CreateResponse, after int64) int {
	c := dial(t, srv.hs, cr.ID, cr.Tokens.Seats[1], after)
	defer c.CloseNow()
	var ses *server.Session
	n := 0
	// The session, if it came before seq after: read it from the REST log.
	for _, raw := range events(t, srv.hs, cr.ID, cr.Tokens.Seats[1], 0, 0).Events {
		if e := decode(t, raw); e.Session != nil {
			ses = e.Session
		}
	}
	for {
		raw, ok := read(t, c)
		if !ok {
			return n
		}
		n++
		switch e := decode(t, raw); {
		case e.Session != nil: // when it came after seq after
			ses = e.Session
		case e.Turn != nil:
			send(t, c, best(ses, e.Turn))
		}
	}
}

// TestFallback: a remote seat with a fallback strategy that misses its
// turn, or stays away past the grace period, is taken over by the
// strategy, and the negotiation goes on to a normal end.
func TestFallback(t *testing.T) {
	for _, tt := range []struct {
		name  string
		cfg   server.Config
		play  func(t *testing.T, srv testServer, cr server.CreateResponse)
		cause string
	}{
		{"missed turn", server.Config{TurnTimeout: 20 * time.Millisecond}, func(*testing.T, testServer, server.CreateResponse) {},
			"missed the turn deadline of 20ms"},
		{"disconnected", server.Config{Grace: 20 * time.Millisecond}, func(t *testing.T, srv testServer, cr server.CreateResponse) {
			c := dial(t, srv.hs, cr.ID, cr.Tokens.Seats[1], 0)
			read(t, c)
			c.CloseNow()
		}, "disconnected for more than the grace period of 20ms"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := start(t, tt.cfg)
			cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)},
				Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote", Fallback: "conceder"}}})
			tt.play(t, srv, cr)
			e := ending(t, srv, cr)
			if e.Reason == "error" {
				t.Errorf("ended %+v, want the fallback to play on", e)
			}
			var replaced []server.Replaced
			for _, raw := range events(t, srv.hs, cr.ID, cr.Tokens.Observer, 0, 0).Events {
				if x := decode(t, raw).Replaced; x != nil {
					replaced = append(replaced, *x)
				}
			}
			if len(replaced) != 1 || replaced[0].Party != 1 || replaced[0].Cause != tt.cause {
				t.Errorf("replacements %+v, want one of party 1 with cause %q", replaced, tt.cause)
			}
		})
	}
}

// TestFallbackStaged: in a staged protocol a remote seat that misses its
// turn is taken over for the rest of the negotiation: its fallback
// negotiator plays the direct talks and its fallback voter votes in the
// mediation, each joining its stage; the negotiation does not end in
// error, and the takeover is published once.
func TestFallbackStaged(t *testing.T) {
	srv := start(t, server.Config{TurnTimeout: 20 * time.Millisecond})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"talks.yaml": testdata(t, "talks.yaml")}, Protocol: "staged", Seed: 5,
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote", Fallback: "conceder", Voter: "hillclimber"},
			{Kind: "strategy", Spec: "boulware"}}})
	e := ending(t, srv, cr)
	if e.Reason == "error" {
		t.Fatalf("ended %+v, want the fallback to play on", e)
	}
	var replaced []server.Replaced
	stages := map[string]bool{}
	bobActed := false
	for _, raw := range events(t, srv.hs, cr.ID, cr.Tokens.Owner, 0, 0).Events {
		ev := decode(t, raw)
		switch {
		case ev.Replaced != nil:
			replaced = append(replaced, *ev.Replaced)
		case ev.Action != nil && ev.Action.Party == 1:
			bobActed = true
		case ev.Vote != nil && ev.Vote.Party == 1:
			stages["voted"] = true
		}
	}
	if len(replaced) != 1 || replaced[0].Party != 1 || replaced[0].Cause != "missed the turn deadline of 20ms" {
		t.Errorf("replacements %+v, want one of party 1", replaced)
	}
	if !bobActed || (e.Stage == "mediation" && !stages["voted"]) {
		t.Errorf("after the takeover: bob acted %v, voted %v, ended in stage %s", bobActed, stages["voted"], e.Stage)
	}
	if e.Stage != "mediation" {
		t.Logf("ended in stage %s (%s): the mediated stage's fallback voter was not needed", e.Stage, e.Reason)
	}
}
