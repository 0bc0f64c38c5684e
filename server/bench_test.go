package server

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/strategy"
)

func resolveBench(spec string) (func() parley.Negotiator, error) { return strategy.Parse(spec) }

// BenchmarkInProcess runs an in-process ceasefire negotiation through the
// server: create (scenario loaded and prepared), run, every event logged
// (in memory, or in an SQLite event store), the analysis made. Compare
// with BenchmarkDirect, the same negotiation as parley run's core runs
// it, without the analysis.
func BenchmarkInProcess(b *testing.B) {
	b.Run("memory", func(b *testing.B) { benchInProcess(b, nil) })
	b.Run("sqlite", func(b *testing.B) {
		e, err := sqlite.OpenEvents(filepath.Join(b.TempDir(), "serve.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer e.Close()
		benchInProcess(b, e)
	})
}

func benchInProcess(b *testing.B, log Log) {
	s, err := New(Config{Negotiator: resolveBench, Log: log})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	req := CreateRequest{Scenario: "ceasefire", Seats: []Seat{{Kind: SeatStrategy, Spec: "boulware"}, {Kind: SeatStrategy, Spec: "conceder"}, {Kind: SeatStrategy, Spec: "linear"}}}
	b.ReportAllocs()
	for b.Loop() {
		id, _, err := s.Create(context.Background(), req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := s.negotiation(context.Background(), id)
		<-n.done
	}
}

// BenchmarkDirect is BenchmarkInProcess's negotiation without the
// server: load, prepare, run.
func BenchmarkDirect(b *testing.B) {
	specs := []string{"boulware", "conceder", "linear"}
	b.ReportAllocs()
	for b.Loop() {
		scn, err := catalog.Builtin("ceasefire")
		if err != nil {
			b.Fatal(err)
		}
		ready, err := scn.Prepare()
		if err != nil {
			b.Fatal(err)
		}
		m, err := sao.New(ready.Profiles(), ready.Names(), sao.Options{Deadline: scn.Deadline, Trace: func(parley.Event) {}})
		if err != nil {
			b.Fatal(err)
		}
		negs := make([]parley.Negotiator, len(specs))
		for i, sp := range specs {
			f, _ := strategy.Parse(sp)
			negs[i] = f()
		}
		if _, err := m.Run(context.Background(), negs, 1); err != nil {
			b.Fatal(err)
		}
	}
}
