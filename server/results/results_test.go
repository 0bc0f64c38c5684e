package results

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/tournament"
)

// storedDB writes a database of a tournament with one stored run.
func storedDB(t *testing.T, path string) {
	t.Helper()
	st, err := sqlite.New(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := tournament.Meta{Agents: []string{"a", "b"}, Scenarios: []string{"s"}, Reps: 1, Deadline: 10, Seed: 1, Planned: 2, Protocol: tournament.ProtocolSAO}
	if _, err := st.Open(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	r := tournament.Record{JobID: 1, Scenario: "s", Agents: []string{"a", "b"}, Utilities: []float64{0, 0}, Discounted: []float64{0, 0},
		Advantage: []float64{0, 0}, Rounds: 10, Reason: "deadline"}
	if _, err := st.Write(context.Background(), []tournament.Record{r}); err != nil {
		t.Fatal(err)
	}
}

// TestReadOnly: the databases are opened read-only: a write through the
// store is refused by SQLite itself.
func TestReadOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	storedDB(t, path)
	s, err := Open(ctx, []string{path}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := tournament.Record{JobID: 0, Scenario: "s", Agents: []string{"b", "a"}, Utilities: []float64{0, 0}, Discounted: []float64{0, 0},
		Advantage: []float64{0, 0}, Rounds: 10, Reason: "deadline"}
	if n, err := s.dbs[0].st.Write(ctx, []tournament.Record{r}); err == nil {
		t.Errorf("a write to a served database stored %d runs", n)
	}
	list, err := s.List(ctx)
	if err != nil || len(list) != 1 || list[0].Name != "t" || list[0].Done != 1 || list[0].Total != 2 {
		t.Errorf("List = %+v, %v", list, err)
	}
	// A run not stored yet, and one outside the tournament.
	for _, id := range []int64{0, 2} {
		if _, err := s.Replay(ctx, "t", id); !errors.Is(err, server.ErrNoResults) {
			t.Errorf("Replay of run %d: %v, want ErrNoResults", id, err)
		}
	}
	// A tournament whose agents cannot be rebuilt: unavailable, saying why.
	if _, err := s.Replay(ctx, "t", 1); !errors.Is(err, server.ErrUnavailable) || !strings.Contains(err.Error(), `agent "a"`) {
		t.Errorf("Replay without a resolver: %v", err)
	}
}
