package server

import (
	"context"
	"runtime"
	"testing"
)

// TestMemoryFinished logs the heap a server holds after creating and
// finishing N ceasefire negotiations (58,320 outcomes, three built-in
// strategies each): the figure docs/server.md quotes. It asserts nothing
// about the number (run with -v to see it).
func TestMemoryFinished(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 100 negotiations")
	}
	const n = 100
	s, err := New(Config{Negotiator: resolveBench})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	req := CreateRequest{Scenario: "ceasefire", Seats: []Seat{{Kind: SeatStrategy, Spec: "boulware"}, {Kind: SeatStrategy, Spec: "conceder"}, {Kind: SeatStrategy, Spec: "linear"}}}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	for range n {
		id, _, err := s.Create(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		nego, _ := s.negotiation(context.Background(), id)
		<-nego.done
	}
	after := heap()
	t.Logf("heap after %d finished ceasefire negotiations: %.1f MiB (%.0f KiB each)", n, float64(after-before)/(1<<20), float64(after-before)/1024/n)
}
