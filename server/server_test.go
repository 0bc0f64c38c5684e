package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/parley-dev/parley/server"
)

// restSeat plays a seat over REST until the log is complete.
func restSeat(tb testing.TB, srv testServer, id, token string, policy func(*server.Session, *server.Turn) server.ActionRequest) []server.Event {
	tb.Helper()
	var (
		after int64
		ses   *server.Session
		seen  []server.Event
	)
	for range 1000 {
		got := events(tb, srv.hs, id, token, after, 10)
		for _, raw := range got.Events {
			e := decode(tb, raw)
			seen = append(seen, e)
			after = e.Seq
			switch {
			case e.Session != nil:
				ses = e.Session
			case e.Turn != nil:
				a := policy(ses, e.Turn)
				var ae apiErr
				if st := call(tb, srv.hs, "POST", "/negotiations/"+id+"/actions", token, a, &ae); st != http.StatusAccepted {
					tb.Fatalf("action %+v: status %d: %s", a, st, ae.Error)
				}
			}
		}
		if got.Complete {
			return seen
		}
	}
	tb.Fatal("the negotiation did not end")
	return nil
}

// best offers the seat's best outcome on its first two turns, then
// accepts.
func best(ses *server.Session, t *server.Turn) server.ActionRequest {
	if t.Standing >= 0 && t.Round >= 2 {
		return server.ActionRequest{Step: t.Step, Action: "accept"}
	}
	b := 0
	for o, u := range ses.Utilities {
		if u > ses.Utilities[b] {
			b = o
		}
	}
	return server.ActionRequest{Step: t.Step, Action: "offer", Outcome: &b}
}

func TestRemoteSeatOverREST(t *testing.T) {
	srv := start(t, server.Config{})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)},
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote"}}})
	if cr.ID != "n1" || cr.Tokens.Seats[0] != "" || cr.Tokens.Seats[1] == "" {
		t.Fatalf("create: %+v", cr)
	}
	seen := restSeat(t, srv, cr.ID, cr.Tokens.Seats[1], best)
	last := seen[len(seen)-1]
	if last.Type != server.TypeResult || last.Result.Party != 1 {
		t.Fatalf("the seat's last event: %+v", last)
	}
	var v server.View
	if st := call(t, srv.hs, "GET", "/negotiations/"+cr.ID, cr.Tokens.Owner, nil, &v); st != http.StatusOK {
		t.Fatalf("view: %d", st)
	}
	if v.Status != "ended" || v.Ended == nil || v.Ended.Reason != "agreement" || len(v.Results) != 2 {
		b, _ := json.Marshal(v)
		t.Fatalf("owner view: %s", b)
	}
	all := events(t, srv.hs, cr.ID, cr.Tokens.Owner, 0, 0)
	t.Logf("owner's log:\n%s", strings.TrimSpace(lines(all.Events)))
}
