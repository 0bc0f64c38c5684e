package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/sqlitetest"
	"github.com/parley-dev/parley/server"
)

// TestServeResultsDesigns: GET /results/{name} of a sweep and of a
// sequencing experiment with --factor is the report parley experiment
// --json prints, each cell with its parameter values and the sequencing's
// information note; a database an older parley wrote (schema version 6,
// without the design) still opens, reports its arms by name and says
// what is missing.
func TestServeResultsDesigns(t *testing.T) {
	dir := t.TempDir()
	sweep, seq, old := filepath.Join(dir, "sweep.db"), filepath.Join(dir, "factor.db"), filepath.Join(dir, "old.db")
	sweepCmd := []string{"experiment", "sweep", "ceasefire", "--set", "US.bias=0,0.5", "--runs", "3", "--seed", "4", "--db", sweep, "-q", "--json", "--allow-errors"}
	seqCmd := []string{"experiment", "sequencing", "ceasefire", "--factor", "mediated.info=votes,full", "--variants", "bilateral_only,mediated_from_start",
		"--runs", "3", "--seed", "2", "--db", seq, "-q", "--json", "--allow-errors"}
	sweepRep, seqRep := []byte(cli(t, sweepCmd...)), []byte(cli(t, seqCmd...))
	if again := []byte(cli(t, sweepCmd...)); !bytes.Equal(again, sweepRep) {
		t.Fatalf("the sweep's report from its stored runs differs from the first")
	}
	// An older parley's database: the sweep's, without its design.
	sqlitetest.CopyAsVersion6(t, sweep, old)

	s := startServe(t, filepath.Join(dir, "serve.db"), "--results", sweep, "--results", seq, "--results", old)
	var rep struct {
		server.ResultSet
		Report json.RawMessage
	}
	for _, c := range []struct {
		name string
		want []byte
		has  []string
	}{
		{"sweep", sweepRep, []string{`"experiment":"sweep"`, `"params":{"US.bias":0.5}`, `"parameters":[{"name":"US.bias","values":["0","0.5"]}]`}},
		{"factor", seqRep, []string{`"experiment":"sequencing"`, `"name":"mediated_from_start mediated.info=full"`, `"params":{"mediated.info":"full"}`, `"information":"`}},
	} {
		if st := s.do(t, "GET", "/results/"+c.name, "", nil, &rep); st != http.StatusOK {
			t.Fatalf("GET /results/%s: %d", c.name, st)
		}
		sameJSON(t, "GET /results/"+c.name+"'s report and parley experiment --json", rep.Report, c.want)
		for _, h := range c.has {
			if !bytes.Contains(rep.Report, []byte(h)) {
				t.Errorf("GET /results/%s's report lacks %s: %.400s", c.name, h, rep.Report)
			}
		}
		if rep.Missing != "" {
			t.Errorf("GET /results/%s: missing %q", c.name, rep.Missing)
		}
	}
	if st := s.do(t, "GET", "/results/old", "", nil, &rep); st != http.StatusOK {
		t.Fatalf("GET /results/old: %d", st)
	}
	if !strings.Contains(rep.Missing, "schema version 6") || !strings.Contains(rep.Missing, "parameter values and the information note") {
		t.Errorf("the old database's missing note: %q", rep.Missing)
	}
	if rep.Kind != "experiment" || len(rep.Arms) != 2 || !bytes.Contains(rep.Report, []byte(`"experiment":"experiment"`)) ||
		bytes.Contains(rep.Report, []byte(`"params"`)) {
		t.Errorf("the old database's report: %+v %.400s", rep.ResultSet, rep.Report)
	}
}
