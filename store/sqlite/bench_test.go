package sqlite

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/scenario/genius"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/tournament"
)

// benchScenarios returns the shared England-Zimbabwe (576 outcomes) and
// Itex-Cypress (180 outcomes) scenarios when ../shared is present beside
// the repository, else two synthetic scenarios of 360 and 240 outcomes.
func benchScenarios(b *testing.B) []*scenario.Scenario {
	dir := filepath.Join("..", "..", "..", "shared", "scenarios", "genius")
	var ss []*scenario.Scenario
	for _, name := range []string{"EnglandZimbabwe_anac2010", "ItexvsCypress_anac2010"} {
		s, err := genius.ReadDir(filepath.Join(dir, name))
		if err != nil {
			break
		}
		ss = append(ss, s)
	}
	if len(ss) == 2 {
		return ss
	}
	b.Logf("shared scenarios absent (%s): using synthetic ones", dir)
	mk := func(name string, seed uint64, sizes ...int) *scenario.Scenario {
		space, ps := parleytest.Synthetic(b, seed, sizes...)
		return &scenario.Scenario{Name: name, Source: name, Space: space, Parties: []scenario.Party{
			{Name: "a", Profile: ps[0]}, {Name: "b", Profile: ps[1]}}}
	}
	return []*scenario.Scenario{mk("syn360", 1, 6, 5, 4, 3), mk("syn240", 2, 5, 4, 4, 3)}
}

// BenchmarkTournament runs a 2-competitor (boulware, conceder) x
// 2-scenario tournament of 100-round negotiations, 20,000 negotiations per
// iteration, into a new database file: negotiations/s includes the SQLite
// writes.
func BenchmarkTournament(b *testing.B) {
	ss := benchScenarios(b)
	var cs []tournament.Competitor
	for _, spec := range []string{"boulware", "conceder"} {
		f, err := strategy.Parse(spec)
		if err != nil {
			b.Fatal(err)
		}
		cs = append(cs, tournament.Competitor{Name: spec, New: f})
	}
	dir := b.TempDir()
	var ran int64
	var elapsed time.Duration
	i := 0
	for b.Loop() {
		cfg := &tournament.Config{Competitors: cs, Scenarios: ss, Reps: 5000, Deadline: 100, Seed: uint64(i), Limit: benchLimit}
		path := filepath.Join(dir, "bench.db")
		os.Remove(path)
		s, err := New(path)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		sum, err := tournament.Run(b.Context(), cfg, s, tournament.RunOptions{})
		if err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		ran += sum.Ran
		s.Close()
		os.Remove(path)
		os.Remove(path + "-wal")
		os.Remove(path + "-shm")
		i++
	}
	b.ReportMetric(float64(ran)/elapsed.Seconds(), "negotiations/s")
}

// benchLimit is the per-negotiation limit of BenchmarkTournament (the
// CLI's default), set to 0 by BenchmarkTournamentNoLimit.
var benchLimit = time.Minute

// BenchmarkTournamentNoLimit is BenchmarkTournament without a
// per-negotiation time limit (negotiations run on the worker goroutines
// themselves).
func BenchmarkTournamentNoLimit(b *testing.B) {
	benchLimit = 0
	defer func() { benchLimit = time.Minute }()
	BenchmarkTournament(b)
}
