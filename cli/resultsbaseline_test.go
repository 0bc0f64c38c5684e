package cli

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/sqlitetest"
	"github.com/parley-dev/parley/server"
)

// TestServeResultsBaseline: an experiment run with --baseline and --db
// stores its baseline, so that GET /results/{name}'s report, paired tests
// included, is the one parley experiment --baseline --json printed; a
// database an older parley wrote (schema version 7, without the
// baseline) reports against the first arm and says so.
func TestServeResultsBaseline(t *testing.T) {
	dir := t.TempDir()
	db, old := filepath.Join(dir, "base.db"), filepath.Join(dir, "old.db")
	args := []string{"experiment", "sequencing", "ceasefire", "--variants", "bilateral_only,mediated_from_start",
		"--runs", "4", "--seed", "5", "--db", db, "-q", "--json", "--allow-errors"}
	want := []byte(cli(t, append(args, "--baseline", "mediated_from_start")...))
	first := []byte(cli(t, args...)) // the same runs, against the first arm
	sqlitetest.CopyAsVersion7(t, db, old)
	want = []byte(cli(t, append(args, "--baseline", "mediated_from_start")...)) // stores the baseline again

	var comparisons struct {
		Baseline    string `json:"baseline"`
		Comparisons []struct {
			Arm, Baseline string
		} `json:"comparisons"`
	}
	if err := json.Unmarshal(want, &comparisons); err != nil {
		t.Fatal(err)
	}
	if comparisons.Baseline != "mediated_from_start" || len(comparisons.Comparisons) == 0 || comparisons.Comparisons[0].Baseline != "mediated_from_start" {
		t.Fatalf("parley experiment --baseline mediated_from_start --json: baseline %q, comparisons %+v", comparisons.Baseline, comparisons.Comparisons)
	}

	s := startServe(t, filepath.Join(dir, "serve.db"), "--results", db, "--results", old)
	var rep struct {
		server.ResultSet
		Report json.RawMessage
	}
	if st := s.do(t, "GET", "/results/base", "", nil, &rep); st != http.StatusOK {
		t.Fatalf("GET /results/base: %d", st)
	}
	sameJSON(t, "GET /results/base's report and parley experiment --baseline --json", rep.Report, want)
	if rep.Missing != "" {
		t.Errorf("GET /results/base: missing %q", rep.Missing)
	}

	if st := s.do(t, "GET", "/results/old", "", nil, &rep); st != http.StatusOK {
		t.Fatalf("GET /results/old: %d", st)
	}
	sameJSON(t, "GET /results/old's report and parley experiment --json (the first arm)", rep.Report, first)
	if !strings.Contains(rep.Missing, "schema version 7") || !strings.Contains(rep.Missing, "compare the others with the first arm") {
		t.Errorf("the old database's missing note: %q", rep.Missing)
	}
}
