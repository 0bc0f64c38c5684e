package server_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/store/sqlite"
)

var _ server.Log = (*sqlite.Events)(nil)

// crashLog is a Log that dies on demand, as a killed process does: from
// then on nothing more is persisted.
type crashLog struct {
	server.Log
	dead atomic.Bool
}

func (c *crashLog) Append(ctx context.Context, id string, first int64, recs [][]byte) error {
	if c.dead.Load() {
		return errors.New("the process was killed")
	}
	return c.Log.Append(ctx, id, first, recs)
}

func openEvents(t *testing.T, path string) *sqlite.Events {
	t.Helper()
	e, err := sqlite.OpenEvents(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// TestRestartAfterCrash: a server dies while a negotiation waits for a
// seat; a new Server over the same database file keeps every event the
// seat saw, ends the negotiation with reason error and the restart as its
// cause, and still honours the negotiation's tokens. A negotiation that
// had ended is left as it was.
func TestRestartAfterCrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "serve.db")
	log := &crashLog{Log: openEvents(t, path)}
	first := start(t, server.Config{Log: log})
	files := map[string]string{"lunch.yaml": lunch(t)}
	done := create(t, first.hs, server.CreateRequest{Files: files,
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "conceder"}}})
	ending(t, first, done)
	cr := create(t, first.hs, server.CreateRequest{Files: files,
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote"}}})
	turn := waitTurn(t, first, cr.ID, cr.Tokens.Seats[1], 0)
	seen := events(t, first.hs, cr.ID, cr.Tokens.Owner, 0, 0).Events
	doneLog := events(t, first.hs, done.ID, done.Tokens.Owner, 0, 0).Events
	log.dead.Store(true) // kill -9

	s, err := server.New(server.Config{Log: openEvents(t, path), Negotiator: resolve})
	if err != nil {
		t.Fatal(err)
	}
	second := testServer{s, httptest.NewServer(s.Handler())}
	defer second.hs.Close()
	defer s.Shutdown(context.Background())

	after := events(t, second.hs, cr.ID, cr.Tokens.Owner, 0, 0)
	if !after.Complete {
		t.Fatal("the restarted negotiation's log is not complete")
	}
	if len(after.Events) < len(seen) || lines(seen) != lines(after.Events[:len(seen)]) {
		t.Fatalf("the restart changed the log's first %d events:\nbefore\n%s\nafter\n%s", len(seen), lines(seen), lines(after.Events))
	}
	if decode(t, seen[len(seen)-1]).Seq < turn.Seq {
		t.Fatal("the seat saw an event the log lost")
	}
	e := ending(t, second, cr)
	if e.Reason != "error" || e.Party != -1 || !strings.Contains(e.Cause, "the server restarted during the negotiation") {
		t.Errorf("ended %+v, want reason error with the restart as its cause", e)
	}
	var v server.View
	call(t, second.hs, "GET", "/negotiations/"+cr.ID, cr.Tokens.Seats[1], nil, &v)
	if v.Status != "ended" || len(v.Results) != 1 || v.Results[0].Party != 1 || v.Results[0].Utility != 0.2 {
		t.Errorf("the seat's view after the restart: %+v", v)
	}
	if got := events(t, second.hs, done.ID, done.Tokens.Owner, 0, 0).Events; lines(got) != lines(doneLog) {
		t.Errorf("the restart changed an ended negotiation's log")
	}
	// New negotiations get new IDs.
	if cr3 := create(t, second.hs, server.CreateRequest{Files: files,
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "conceder"}}}); cr3.ID != "n3" {
		t.Errorf("a new negotiation after the restart is %s, want n3", cr3.ID)
	}
}

// TestShutdownEndsNegotiations: Shutdown ends a negotiation that waits
// for a seat with reason error and the shutdown as its cause, naming no
// seat, and persists that ending: a restart finds it ended and adds
// nothing.
func TestShutdownEndsNegotiations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "serve.db")
	s, err := server.New(server.Config{Log: openEvents(t, path), Negotiator: resolve})
	if err != nil {
		t.Fatal(err)
	}
	srv := testServer{s, httptest.NewServer(s.Handler())}
	defer srv.hs.Close()
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)},
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote"}}})
	waitTurn(t, srv, cr.ID, cr.Tokens.Seats[1], 0)
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	e := ending(t, srv, cr)
	if e.Reason != "error" || e.Party != -1 || e.Cause != "the server shut down during the negotiation" {
		t.Errorf("ended %+v, want reason error with the shutdown as its cause", e)
	}
	if _, _, err := s.Create(context.Background(), server.CreateRequest{Scenario: "ceasefire"}); !errors.Is(err, server.ErrClosed) {
		t.Errorf("create after shutdown: %v, want ErrClosed", err)
	}
	before := lines(events(t, srv.hs, cr.ID, cr.Tokens.Owner, 0, 0).Events)
	again := start(t, server.Config{Log: openEvents(t, path)})
	if after := lines(events(t, again.hs, cr.ID, cr.Tokens.Owner, 0, 0).Events); after != before {
		t.Errorf("the restart changed the log of a negotiation ended by the shutdown:\n%s\nthen\n%s", before, after)
	}
}

// TestShutdownSteps: a negotiation the shutdown ends reports as its steps
// the turns taken, every action and vote of its log (parley.Result.Steps),
// in a mediated negotiation too, where the votes are not actions.
func TestShutdownSteps(t *testing.T) {
	srv := start(t, server.Config{})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)}, Protocol: "mediated",
		Seats:    []server.Seat{{Kind: "strategy", Voter: "hillclimber"}, {Kind: "remote"}},
		Mediator: &server.Seat{Kind: "strategy", Spec: "hillclimb"}})
	waitTurn(t, srv, cr.ID, cr.Tokens.Seats[1], 0)
	if err := srv.s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	turns := 0
	for _, raw := range events(t, srv.hs, cr.ID, cr.Tokens.Owner, 0, 0).Events {
		if e := decode(t, raw); e.Action != nil || e.Vote != nil {
			turns++
		}
	}
	if e := ending(t, srv, cr); e.Reason != "error" || turns < 2 || e.Steps != turns {
		t.Errorf("ended %+v after %d actions and votes", e, turns)
	}
}
