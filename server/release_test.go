package server

import (
	"context"
	"testing"
	"time"
)

// TestFinishedReleases: a negotiation that has ended keeps neither its
// prepared scenario nor its strategies, nor its remote seats' fallbacks
// and sessions; while it runs it has them.
func TestFinishedReleases(t *testing.T) {
	s, err := New(Config{Negotiator: resolveBench})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	seats := []Seat{{Kind: SeatStrategy, Spec: "boulware"}, {Kind: SeatRemote, Fallback: "conceder"}, {Kind: SeatStrategy, Spec: "linear"}}
	id, _, err := s.Create(context.Background(), CreateRequest{Scenario: "ceasefire", Seats: seats})
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.negotiation(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !n.heavy() {
		t.Fatal("a negotiation about to run holds nothing to release")
	}
	s.Shutdown(context.Background()) // ends it (reason error): the release is the same for every ending
	<-n.done
	if n.heavy() {
		t.Fatalf("a finished negotiation still holds its heavy state: ready %v, scn %v, negs %v, remote fallback %v",
			n.ready != nil, n.scn != nil, n.negs != nil, n.remotes[1].fallback != nil)
	}
	if _, err := n.prepared(); err != nil { // rebuilt on demand
		t.Fatal(err)
	}
}

// TestLimiterBounded: a budget unused for Burst/RateLimit is full again
// and dropped, so the limiter keeps only the keys seen lately: a
// thousand new clients a second for a hundred seconds leave a few
// thousand budgets, not a hundred thousand. A dropped key starts with a
// full budget, as it would have had.
func TestLimiterBounded(t *testing.T) {
	now := time.Unix(1e9, 0)
	l := newLimiter(2, 2, func() time.Time { return now }) // refills in 1 s
	most := 0
	for sec := range 100 {
		for k := range 1000 {
			if w := l.waitKey(string(rune(sec)) + "/" + string(rune(k))); w != 0 {
				t.Fatalf("a new key waits %v", w)
			}
		}
		most = max(most, l.size())
		now = now.Add(time.Second)
	}
	if most > 4096 {
		t.Fatalf("the limiter kept %d budgets", most)
	}
	// One key spends its burst, waits, and is refilled once dropped.
	for i, want := range []bool{true, true, false} {
		if got := l.waitKey("k") == 0; got != want {
			t.Fatalf("request %d of k allowed %v", i+1, got)
		}
	}
	now = now.Add(time.Second)
	l.mu.Lock()
	l.drop(now)
	l.mu.Unlock()
	if l.size() != 0 {
		t.Fatalf("%d budgets left after every one refilled", l.size())
	}
	for i := range 2 {
		if l.waitKey("k") != 0 {
			t.Fatalf("request %d of k after the refill refused", i+1)
		}
	}
}
