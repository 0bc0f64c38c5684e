package tournament_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tournament"
)

// TestFileErrorAt: an error about a field names the file, the field's
// line and column, and shows the line.
func TestFileErrorAt(t *testing.T) {
	f, err := tournament.ParseFile("t.yaml", []byte("agents:\n  - boulware\n  - bolware\nreps: 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !f.Sets("reps") || f.Sets("db") || f.Reps != 3 || len(f.Agents) != 2 {
		t.Errorf("parsed %+v", f.Spec)
	}
	got := f.ErrorAt("agents[1]", errors.New("unknown strategy")).Error()
	if want := "tournament: t.yaml:3:5: agents[1]: unknown strategy\n"; !strings.HasPrefix(got, want) || !strings.Contains(got, "bolware") {
		t.Errorf("got %q, want %q and the line", got, want)
	}
	if got := f.ErrorAt("db", errors.New("x")).Error(); got != "tournament: t.yaml: db: x" {
		t.Errorf("a field the file lacks: %q", got)
	}
}

// TestTournamentFileBomb checks that a short tournament file whose
// aliases stand for billions of strings is refused before they are
// expanded, in bounded memory, at the line of the alias: a 390-byte file
// once reached 10.9 GB.
func TestTournamentFileBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [boulware, boulware, boulware, boulware, boulware, boulware, boulware, boulware, boulware, boulware]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	for _, use := range []string{"agents: *a8\n", "limit: *a8\n", "scenarios: [*a8]\n"} {
		data := []byte(b.String() + use)
		var err error
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err = tournament.ParseFile("bomb.yaml", data)
		runtime.ReadMemStats(&after)
		if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
			t.Errorf("%q: allocated %d MB, want at most 16", use, got>>20)
		}
		if err == nil || !strings.Contains(err.Error(), "tournament: bomb.yaml:6:45: with its aliases expanded") {
			t.Errorf("%q: got %v, want an error at the alias", use, err)
		}
	}
}

// TestTournamentFileManyValues checks that a tournament file of more
// than scenario.MaxNodes values fails while it is scanned, in bounded
// memory.
func TestTournamentFileManyValues(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 3 MB file")
	}
	data := []byte("agents: [" + strings.Repeat("a, ", scenario.MaxNodes) + "a]\n")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := tournament.ParseFile("many.yaml", data)
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
		t.Errorf("allocated %d MB, want at most 16", got>>20)
	}
	if err == nil || !strings.Contains(err.Error(), "many.yaml:1:") || !strings.Contains(err.Error(), "scenario.MaxNodes") {
		t.Errorf("got %.200v, want the node limit with a position", err)
	}
}

// TestTournamentFileLimits checks the size limit and the byte order mark.
func TestTournamentFileLimits(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(scenario.MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := tournament.ReadFile(big); err == nil || !strings.Contains(err.Error(), "big.yaml: file larger than the limit") {
		t.Errorf("got %v, want the size limit naming the file", err)
	}
	s, err := tournament.ParseFile(filepath.Join(dir, "bom.yaml"), []byte("\xef\xbb\xbfagents: [boulware]\nreps: 3\n"))
	if err != nil || s.Reps != 3 || !s.Sets("agents") {
		t.Errorf("with a BOM: %+v, %v", s, err)
	}
}

// FuzzParseFile checks that no tournament file makes the parser or the
// positioned errors panic.
func FuzzParseFile(f *testing.F) {
	f.Add([]byte("agents: [boulware, conceder, \"linear:ac=combi(t=0.9)\"]\nscenarios: [market.yaml, hiring.yaml]\nreps: 2\ndeadline: 40\nseed: 9\n"))
	f.Add([]byte("agents: [boulware, bolware]\nscenarios: [ceasefire]\ndb: x.db\n"))
	f.Add([]byte("agents:\n  - {a: 1}\nlimit: [1]\n"))
	f.Add([]byte("shard: 1/0\nreps: -1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := tournament.ParseFile("f.yaml", data)
		if err != nil {
			return
		}
		for _, k := range []string{"agents", "scenarios", "limit", "shard", "reps"} {
			_ = s.ErrorAt(k+"[0]", errors.New("x"))
			_ = s.ErrorAt(k, errors.New("x"))
		}
		_, _ = tournament.ParseShard(s.Shard)
	})
}
