package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley/store/sqlite"
)

// experimentArgs is a small sequencing experiment on the ceasefire.
func experimentArgs(runs int) []string {
	return []string{"experiment", "sequencing", "ceasefire", "--runs", fmt.Sprint(runs), "--seed", "7", "--json", "--quiet"}
}

// TestExperimentWorkersAgree: the same seed gives the same report on 1
// worker or 8, with or without a database.
func TestExperimentWorkersAgree(t *testing.T) {
	args := experimentArgs(40)
	one := trnOK(t, append(args, "--workers", "1")...)
	eight := trnOK(t, append(args, "--workers", "8", "--db", filepath.Join(t.TempDir(), "e.db"))...)
	if one != eight {
		t.Fatalf("1 worker and 8 workers (with --db) differ:\n%s\n---\n%s", one, eight)
	}
	if !strings.Contains(one, `"arms"`) || !strings.Contains(one, `"bilateral_then_mediated"`) {
		t.Fatalf("not a sequencing report: %.300s", one)
	}
}

// TestExperimentShards: shards of an experiment stored apart and merged
// give, on the merged database, the report of one uninterrupted run; a
// database of another experiment is refused.
func TestExperimentShards(t *testing.T) {
	dir := t.TempDir()
	args := experimentArgs(30)
	want := trnOK(t, args...)
	var parts []string
	for i := range 2 {
		db := filepath.Join(dir, fmt.Sprintf("s%d.db", i))
		out := trnOK(t, append(args, "--shard", fmt.Sprintf("%d/2", i), "--db", db)...)
		if !strings.Contains(out, "stored shard") {
			t.Errorf("shard %d: %q", i, out)
		}
		parts = append(parts, db)
	}
	all := filepath.Join(dir, "all.db")
	trnOK(t, append([]string{"merge", all}, parts...)...)
	if got := trnOK(t, append(args, "--db", all)...); got != want {
		t.Fatalf("merged shards differ from one run:\n%s\n---\n%s", got, want)
	}
	// A run of an arm replays alone, named by its arm (run 1 of the second
	// arm is job 1·7 + 1).
	if out := trnOK(t, "replay", all, "8"); !strings.Contains(out, "Run 8 of 210 (arm mediated_from_start, run 1) of the experiment in") ||
		!strings.Contains(out, "Same result as stored") {
		t.Errorf("replay of an arm's run:\n%s", out)
	}
	if _, _, err := trn("report", all); err == nil || !strings.Contains(err.Error(), "holds an experiment (arms bilateral_only, mediated_from_start,") {
		t.Errorf("report of an experiment's database: %v", err)
	}
	other := append(experimentArgs(30), "--db", all, "--variants", "bilateral_only,mediated_from_start")
	if _, _, err := trn(other...); err == nil || !strings.Contains(err.Error(), "holds another tournament") {
		t.Errorf("another experiment on the same database: %v", err)
	}
	if _, _, err := trn(append(args, "--shard", "0/2")...); err == nil || !strings.Contains(err.Error(), "--db: a shard needs a database") {
		t.Errorf("--shard without --db: %v", err)
	}
}

// TestExperimentResumeAfterKill starts an experiment with --db in a
// subprocess, kills it with SIGKILL once some runs are stored, runs the
// same command again, and checks that it completes every run exactly once
// and reports what an uninterrupted run reports.
func TestExperimentResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("short: skipping the kill -9 test")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "killed.db")
	const runs = 3000
	args := append(experimentArgs(runs), "--workers", "1")
	arms := 7 // the ceasefire's declared variants
	planned := int64(runs * arms)

	cmd := exec.Command(os.Args[0], append(args, "--db", db)...)
	cmd.Env = append(os.Environ(), "PARLEY_TEST_MAIN=1")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitStored(db, 500)
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
	st, err := sqlite.OpenReadOnly(db)
	if err != nil {
		t.Fatal(err)
	}
	atKill, _ := st.Count(context.Background())
	st.Close()
	if atKill == 0 || atKill >= planned {
		t.Fatalf("killed with %d of %d runs stored (stderr %s)", atKill, planned, errb.String())
	}
	t.Logf("killed with %d of %d runs stored", atKill, planned)

	got, errs, code := trnExe(t, append(args, "--db", db, "--workers", "2")...)
	if code != 0 {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	want, errs, code := trnExe(t, args...)
	if code != 0 {
		t.Fatalf("uninterrupted run: exit %d: %s", code, errs)
	}
	if got != want {
		t.Fatalf("the resumed experiment's report differs from an uninterrupted run's")
	}
	_, recs := readRecords(t, db)
	if int64(len(recs)) != planned {
		t.Fatalf("%d runs stored, want %d", len(recs), planned)
	}
	for id := range planned {
		if _, ok := recs[id]; !ok {
			t.Fatalf("run %d is missing", id)
		}
	}
}

// TestExperimentQueue runs an experiment on two 'parley worker' processes
// through NATS JetStream: the workers rebuild every arm from its settings
// and the report is the local one.
func TestExperimentQueue(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a NATS server and worker processes")
	}
	srv := startNATS(t)
	url := srv.ClientURL()
	for i := range 2 {
		w := startWorkerProcess(t, "--queue", url, "--concurrency", "1", "--name", fmt.Sprintf("w%d", i))
		w.waitLog(t, "serving")
	}
	args := experimentArgs(25)
	want, errs, err := trn(args...)
	if err != nil {
		t.Fatalf("local: %v\n%s", err, errs)
	}
	db := filepath.Join(t.TempDir(), "dist.db")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	got, errs, err := command(ctx, pg.newExperimentCmd(), append(args[1:], "--db", db, "--queue", url)...)
	if err != nil {
		t.Fatalf("--queue: %v\n%s", err, errs)
	}
	if got != want {
		t.Fatalf("the experiment on workers differs from the local one:\n%s\n---\n%s", got, want)
	}
	_, recs := readRecords(t, db)
	workers := map[string]int{}
	for _, r := range recs {
		workers[r.Worker]++
	}
	if len(recs) != 25*7 || workers["w0"]+workers["w1"] != len(recs) {
		t.Errorf("%d runs stored, by %v", len(recs), workers)
	}

	// A robustness analysis runs each parameter point on the workers.
	rob := []string{"robustness", "ceasefire", "--samples", "2", "--runs", "4", "--bootstrap", "20", "--json", "--quiet"}
	want, errs, err = command(ctx, pg.newExperimentCmd(), rob...)
	if err != nil {
		t.Fatalf("robustness: %v\n%s", err, errs)
	}
	got, errs, err = command(ctx, pg.newExperimentCmd(), append(rob, "--queue", url)...)
	if err != nil {
		t.Fatalf("robustness --queue: %v\n%s", err, errs)
	}
	if got != want {
		t.Fatalf("robustness on workers differs from the local one:\n%s\n---\n%s", got, want)
	}
}
