package server_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/parley-dev/parley/server"
)

// TestStreamResumes reconnects an observer's stream after every one or
// two events, each time from the last seq it read, while a seat plays:
// what it read, in order, is exactly the lens's log, without a duplicate
// or a gap.
func TestStreamResumes(t *testing.T) {
	srv := start(t, server.Config{})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)},
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote"}}})
	done := make(chan bool)
	go func() { restSeat(t, srv, cr.ID, cr.Tokens.Seats[1], best); done <- true }()

	var got []int64
	var last int64
	for i := 0; ; i++ {
		c := dial(t, srv.hs, cr.ID, cr.Tokens.Observer, last)
		closed := false
		for range 1 + i%2 {
			raw, ok := read(t, c)
			if !ok {
				closed = true
				break
			}
			last = decode(t, raw).Seq
			got = append(got, last)
		}
		c.CloseNow() // an abrupt disconnect
		if closed {
			break
		}
	}
	<-done
	var want []int64
	for _, raw := range events(t, srv.hs, cr.ID, cr.Tokens.Observer, 0, 0).Events {
		want = append(want, decode(t, raw).Seq)
	}
	if !slices.Equal(got, want) {
		t.Errorf("resumed streams read seqs %v, the log has %v", got, want)
	}
	if len(want) < 8 {
		t.Errorf("only %d events: the test needs a longer negotiation", len(want))
	}
}

// TestEventsLongPoll: events?wait= returns as soon as the lens has a new
// event, and at once for a complete log.
func TestEventsLongPoll(t *testing.T) {
	srv := start(t, server.Config{})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)},
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "conceder"}}})
	var after int64
	var types []string
	for {
		got := events(t, srv.hs, cr.ID, cr.Tokens.Observer, after, 30)
		for _, raw := range got.Events {
			e := decode(t, raw)
			after = e.Seq
			types = append(types, e.Type)
		}
		if got.Complete {
			break
		}
	}
	if types[0] != "created" || types[len(types)-1] != "ended" {
		b, _ := json.Marshal(types)
		t.Errorf("observer's event types %s: want created first and ended last", b)
	}
}
