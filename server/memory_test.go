package server

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/parley-dev/parley/store/sqlite"
)

// TestMemoryFinished logs the heap a server holds after creating and
// finishing N ceasefire negotiations (58,320 outcomes, three built-in
// strategies each), with the in-memory log (every negotiation kept) and
// with the SQLite log and MaxFinished 10: the figures docs/server.md
// quotes. It asserts nothing about them (run with -v to see them).
func TestMemoryFinished(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 200 negotiations")
	}
	const n = 100
	req := CreateRequest{Scenario: "ceasefire", Seats: []Seat{{Kind: SeatStrategy, Spec: "boulware"}, {Kind: SeatStrategy, Spec: "conceder"}, {Kind: SeatStrategy, Spec: "linear"}}}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	for _, tc := range []struct {
		name   string
		sqlite bool
		keep   int
	}{{"memory log", false, 0}, {"sqlite log, MaxFinished 10", true, 10}} {
		t.Run(tc.name, func(t *testing.T) {
			before := heap()
			cfg := Config{Negotiator: resolveBench, MaxFinished: tc.keep}
			if tc.sqlite {
				e, err := sqlite.OpenEvents(filepath.Join(t.TempDir(), "serve.db"))
				if err != nil {
					t.Fatal(err)
				}
				defer e.Close()
				cfg.Log = e
			}
			s, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Shutdown(context.Background())
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
		})
	}
}
