package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/tournament"
)

// trn runs a tournament command in-process and returns stdout, stderr and
// the error.
func trn(args ...string) (string, string, error) {
	var out, errb bytes.Buffer
	root := pg.newRoot(&out, &errb)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

func trnOK(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, err := trn(args...)
	if err != nil {
		t.Fatalf("parley %s: %v\n%s", strings.Join(args, " "), err, errs)
	}
	return out
}

// trnExe runs the test binary as the parley command (see TestMain).
func trnExe(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "PARLEY_TEST_MAIN=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return out.String(), errb.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), 0
}

const (
	market = "testdata/tournament/market.yaml"
	hiring = "testdata/tournament/hiring.yaml"
)

// jobSeed returns the seed of job id of the tournament stored in db.
func jobSeed(t *testing.T, db string, id int64) uint64 {
	t.Helper()
	st, err := sqlite.OpenReadOnly(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m, _, err := st.Meta(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := tournament.Rebuild(m, pg.resolver(openRef), 0)
	if err != nil {
		t.Fatal(err)
	}
	j, err := tournament.JobAt(cfg, id)
	if err != nil {
		t.Fatal(err)
	}
	return j.Seed
}

// stored returns the records of a database in job order, without the
// machine-dependent fields.
func stored(t *testing.T, db string) (tournament.Meta, []tournament.Record) {
	t.Helper()
	st, err := sqlite.OpenReadOnly(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m, _, err := st.Meta(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var rs []tournament.Record
	for r, err := range st.Records(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		r.Elapsed, r.Worker = 0, ""
		rs = append(rs, r)
	}
	return m, rs
}

func TestTournamentEndToEnd(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	out := trnOK(t, "tournament", "--agents", "boulware,conceder,linear:ac=combi(t=0.9)", "--scenarios", market+","+hiring,
		"--reps", "2", "--deadline", "40", "--seed", "9", "--db", db, "--self-play")
	// 3 agents with self-play: 9 ordered pairs x 2 scenarios x 2 reps.
	for _, want := range []string{"tournament: 36 runs: ran 36 in", "0 already stored, 0 errors; results in " + db,
		"Runs: 36 of 36 stored", "rank  agent", "linear:ac=combi(t=0.9)", "Pairwise (Wilcoxon signed-rank"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	m, rs := stored(t, db)
	if len(rs) != 36 || m.Planned != 36 || !reflect.DeepEqual(m.Scenarios, []string{market, hiring}) || m.Seed != 9 || !m.SelfPlay {
		t.Fatalf("stored meta %+v, %d runs", m, len(rs))
	}

	// Again: nothing to do.
	out = trnOK(t, "tournament", "--agents", "boulware,conceder,linear:ac=combi(t=0.9)", "--scenarios", market+","+hiring,
		"--reps", "2", "--deadline", "40", "--seed", "9", "--db", db, "--self-play", "--quiet")
	if !strings.HasPrefix(out, "tournament: 36 runs: ran 0 in") || !strings.Contains(out, "36 already stored") || strings.Contains(out, "rank") {
		t.Errorf("rerun output:\n%s", out)
	}

	// report --json has the documented keys and counts.
	var rep map[string]any
	if err := json.Unmarshal([]byte(trnOK(t, "report", db, "--json")), &rep); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"planned", "runs", "errors", "agreements", "leaderboard", "pairwise", "error_causes", "meta"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("report --json lacks %q", k)
		}
	}
	if rep["planned"] != 36.0 || rep["runs"] != 36.0 || rep["errors"] != 0.0 {
		t.Errorf("report: planned %v runs %v errors %v", rep["planned"], rep["runs"], rep["errors"])
	}
	lb := rep["leaderboard"].([]any)
	if len(lb) != 3 {
		t.Fatalf("leaderboard %v", lb)
	}
	row := lb[0].(map[string]any)
	for _, k := range []string{"rank", "agent", "seats", "utility", "advantage", "agreement_rate",
		"pareto_distance", "nash_distance", "welfare", "errors"} {
		if _, ok := row[k]; !ok {
			t.Errorf("leaderboard row lacks %q", k)
		}
	}
	// Every interval has the one shape {"mean","low","high","n"}; n is the
	// seats counted: 24 (12 pairings with it x 2 reps) less the
	// repetitions of pairings that gave the same record twice, which count
	// once.
	for _, k := range []string{"utility", "advantage", "agreement_rate"} {
		u := row[k].(map[string]any)
		if len(u) != 4 || u["n"] != row["seats"] || u["n"].(float64) < 12 || u["n"].(float64) > 24 ||
			u["low"].(float64) > u["mean"].(float64) || u["mean"].(float64) > u["high"].(float64) {
			t.Errorf("%s %v, seats %v", k, u, row["seats"])
		}
	}
	if d, c := rep["distinct_runs"].(float64), rep["collapsed_repetitions"].(float64); d+c != 36 || d < 18 {
		t.Errorf("distinct %v + collapsed %v runs, want 36 with at least 18 distinct", d, c)
	}
	if rep["schema"] != "parley.report/2" {
		t.Errorf("report schema %v", rep["schema"])
	}
	if pw := rep["pairwise"].([]any); len(pw) != 3 {
		t.Errorf("pairwise %v", pw)
	}

	csv := trnOK(t, "report", db, "--csv")
	if lines := strings.Split(strings.TrimSpace(csv), "\n"); len(lines) != 4 || !strings.HasPrefix(lines[0], "rank,agent,seats,utility,utility_low") {
		t.Errorf("csv:\n%s", csv)
	}
	png := filepath.Join(dir, "lb.png")
	if _, errs, err := trn("report", db, "--plot", png); err != nil || !strings.Contains(errs, "report: wrote the plot to "+png) {
		t.Errorf("report --plot: %v, stderr %q", err, errs)
	}
	if b, err := os.ReadFile(png); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("plot: %v", err)
	}

	// Replay gives the stored result and prints it as 'parley run' prints
	// the same negotiation (agents, seed, deadline), line for line.
	out = trnOK(t, "replay", db, "5", "--show", "-1")
	head, body, _ := strings.Cut(out, "\n")
	body, tail, _ := strings.Cut(body, "\n\nSame result as stored in ")
	if !strings.HasPrefix(head, "Run 5 of 36 (rep ") || !strings.HasSuffix(head, "scenario "+market) || tail != db+".\n" {
		t.Errorf("replay output:\n%s", out)
	}
	j5 := rs[5]
	runOut := trnOK(t, "run", market, "--agents", strings.Join(j5.Agents, ","), "--seed", strconv.FormatUint(jobSeed(t, db, 5), 10),
		"--deadline", "40", "--show", "-1")
	if body+"\n" != runOut {
		t.Errorf("replay prints\n%s\nrun prints\n%s", body, runOut)
	}
	for _, id := range []string{"0", "17", "18", "35"} {
		trnOK(t, "replay", db, id)
	}
	if _, _, err := trn("replay", db, "36"); err == nil || !strings.Contains(err.Error(), "run 36 is outside the tournament's 36 runs") {
		t.Errorf("replay 36: %v", err)
	}

	// A tampered result is caught by the replay.
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE runs SET rounds = rounds + 1 WHERE job_id = 3`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if _, _, err := trn("replay", db, "3"); err == nil || !strings.Contains(err.Error(), "run 3 differs from the stored result: Rounds: stored") {
		t.Errorf("replay of a tampered run: %v", err)
	}
}

func TestTournamentFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	file := "testdata/tournament/tournament.yaml"
	out := trnOK(t, "tournament", file, "--db", db, "--reps", "1", "--quiet")
	// 3 agents, no self-play: 6 ordered pairs x 2 scenarios x reps 1 (the flag overrides the file's 2).
	if !strings.HasPrefix(out, "tournament: 12 runs: ran 12") {
		t.Errorf("output:\n%s", out)
	}
	m, _ := stored(t, db)
	want := tournament.Meta{Agents: []string{"boulware", "conceder", "linear:ac=combi(t=0.9)"},
		Scenarios: []string{market, hiring}, Reps: 1, Deadline: 40, Seed: 9, Planned: 12, Protocol: tournament.ProtocolSAO}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("meta %+v, want %+v", m, want)
	}

	// The file's db is relative to the file.
	tdir := t.TempDir()
	os.WriteFile(filepath.Join(tdir, "market.yaml"), must(os.ReadFile(market)), 0o644)
	os.WriteFile(filepath.Join(tdir, "t.yaml"), []byte("agents: [boulware, conceder]\nscenarios: [market.yaml, ceasefire]\ndeadline: 20\ndb: out.db\nself_play: true\nworkers: 1\n"), 0o644)
	out = trnOK(t, "tournament", filepath.Join(tdir, "t.yaml"), "--quiet")
	// market: 4 ordered pairs; ceasefire (3 parties): 2^3 = 8.
	if !strings.HasPrefix(out, "tournament: 12 runs: ran 12") {
		t.Errorf("output:\n%s", out)
	}
	m, _ = stored(t, filepath.Join(tdir, "out.db"))
	if !reflect.DeepEqual(m.Scenarios, []string{filepath.Join(tdir, "market.yaml"), "ceasefire"}) {
		t.Errorf("scenarios %v", m.Scenarios)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestTournamentFileErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, file string
		want       []string
	}{
		{"unknown field", "agents: [boulware]\nscenarios: [ceasefire]\nrepz: 3\n", []string{"t.yaml:3:1: repz: unknown field \"repz\"", ">  3 | repz: 3\n", "^"}},
		{"wrong type", "agents: [boulware]\nreps: many\n", []string{"t.yaml:2:7: reps: \"many\" is not an integer"}},
		{"tag", "agents: !!seq [boulware]\n", []string{"t.yaml:1:9: YAML tag !!seq is not supported"}},
		{"repeated field", "agents: [boulware]\nagents: [conceder]\n", []string{"t.yaml:2:1: mapping key \"agents\" already defined"}},
		{"unknown agent", "agents: [boulware, bolware]\nscenarios: [ceasefire]\ndb: x.db\n", []string{"t.yaml:1:20: agents[1]: strategy \"bolware\"", "^"}},
		{"bad parameter", "agents:\n  - boulware\n  - conceder:x=2\nscenarios: [ceasefire]\ndb: x.db\n", []string{"t.yaml:3:5: agents[1]", "unknown parameter \"x\""}},
		{"missing scenario", "agents: [boulware, conceder]\nscenarios: [ceasefire, nowhere/x.yaml]\ndb: x.db\n", []string{"t.yaml:2:24: scenarios[1]:", "x.yaml"}},
		{"bad limit", "agents: [boulware, conceder]\nscenarios: [ceasefire]\ndb: x.db\nlimit: soon\n", []string{"t.yaml:4:8: limit: limit \"soon\""}},
		{"bad shard", "agents: [boulware, conceder]\nscenarios: [ceasefire]\ndb: x.db\nshard: 4/4\n", []string{"t.yaml:4:8: shard:", "want 0 <= i < n"}},
		{"no db", "agents: [boulware, conceder]\nscenarios: [ceasefire]\n", []string{"no results database"}},
		{"duplicate agent", "agents: [boulware, boulware]\nscenarios: [ceasefire]\ndb: x.db\n", []string{"agents[1]: agent \"boulware\" is listed twice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, "t.yaml")
			os.WriteFile(p, []byte(tt.file), 0o644)
			_, _, err := trn("tournament", p)
			var u usageError
			if err == nil || !errors.As(err, &u) {
				t.Fatalf("err = %v, want a usage error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
				t.Error("a database was created for bad input")
			}
		})
	}
}

func TestTournamentExitCodes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	base := []string{"tournament", "--scenarios", market, "--deadline", "30", "--quiet"}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown agent", append(base, "--agents", "boulware,nosuch", "--db", db), 2, `strategy "nosuch"`},
		{"bad param", append(base, "--agents", "boulware,conceder:e=-1", "--db", db), 2, "conceder:e=-1"},
		{"scenario fails to load", []string{"tournament", "--agents", "boulware,conceder", "--scenarios", "testdata/tournament/tournament.yaml", "--db", db}, 2, "tournament.yaml"},
		{"missing scenario", []string{"tournament", "--agents", "boulware,conceder", "--scenarios", "nosuch.yaml", "--db", db}, 2, "nosuch.yaml"},
		{"no agents", []string{"tournament", "--scenarios", market, "--db", db}, 2, "no agents"},
		{"too few agents", []string{"tournament", "--agents", "boulware,conceder", "--scenarios", "ceasefire", "--db", db}, 2, "3 parties but there are only 2 competitors"},
		{"two files", []string{"tournament", "a.yaml", "b.yaml"}, 2, "one tournament file at most"},
		{"bad flag", []string{"tournament", "--reps", "x"}, 2, "invalid argument"},
		{"bad timing", append(base, "--agents", "boulware,conceder", "--db", db, "--timing", "wall"), 2, `timing: "wall": want auto, steps or genius`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := trnExe(t, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tt.code, tt.want)
			}
			if _, err := os.Stat(db); err == nil {
				t.Fatal("bad input created the database")
			}
		})
	}

	// A database of another tournament: exit 1 before anything runs.
	if _, errs, code := trnExe(t, append(base, "--agents", "boulware,conceder", "--db", db, "--seed", "1")...); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, errs)
	}
	_, errs, code := trnExe(t, append(base, "--agents", "boulware,conceder", "--db", db, "--seed", "2")...)
	if code != 1 || !strings.Contains(errs, "holds another tournament (seed 1, not 2)") {
		t.Errorf("other tournament: exit %d, %s", code, errs)
	}
	// A database of a newer schema.
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	raw.Exec(`UPDATE schema_version SET version = 42`)
	raw.Close()
	_, errs, code = trnExe(t, append(base, "--agents", "boulware,conceder", "--db", db, "--seed", "1")...)
	if code != 1 || !strings.Contains(errs, fmt.Sprintf("has schema version 42, newer than this parley's %d", sqlite.SchemaVersion())) {
		t.Errorf("newer schema: exit %d, %s", code, errs)
	}
	for _, args := range [][]string{{"report", db}, {"replay", db, "0"}} {
		if _, errs, code := trnExe(t, args...); code != 1 || !strings.Contains(errs, "schema version 42") {
			t.Errorf("%v on a newer schema: exit %d, %s", args, code, errs)
		}
	}
	if _, errs, code := trnExe(t, "report", filepath.Join(dir, "none.db")); code != 1 || !strings.Contains(errs, "none.db") {
		t.Errorf("report of a missing db: exit %d, %s", code, errs)
	}
	if _, errs, code := trnExe(t, "replay", db, "x"); code != 2 || !strings.Contains(errs, `run id "x"`) {
		t.Errorf("replay x: exit %d, %s", code, errs)
	}
}

func TestMergeShardsCLI(t *testing.T) {
	dir := t.TempDir()
	args := []string{"tournament", "--agents", "boulware,conceder,tft,random", "--scenarios", market + "," + hiring,
		"--reps", "3", "--deadline", "30", "--quiet"}
	full := filepath.Join(dir, "full.db")
	trnOK(t, append(args, "--db", full)...)
	var shards []string
	for i := range 3 {
		p := filepath.Join(dir, fmt.Sprintf("shard%d.db", i))
		out := trnOK(t, append(args, "--db", p, "--shard", fmt.Sprintf("%d/3", i))...)
		if !strings.Contains(out, "24 runs of shard "+fmt.Sprint(i)+"/3 (72 in the tournament)") {
			t.Errorf("shard output: %s", out)
		}
		shards = append(shards, p)
	}
	out := filepath.Join(dir, "merged.db")
	msg := trnOK(t, append([]string{"merge", out}, shards...)...)
	if !strings.Contains(msg, "merged.db: 72 of 72 planned runs") {
		t.Errorf("merge output:\n%s", msg)
	}
	mf, rf := stored(t, full)
	mm, rm := stored(t, out)
	if !reflect.DeepEqual(mf, mm) || !reflect.DeepEqual(rf, rm) {
		t.Fatal("merged shards differ from the unsharded run")
	}
	// Merging again adds nothing; a shard of another tournament is refused.
	if msg := trnOK(t, "merge", out, shards[0]); !strings.Contains(msg, "0 runs added") {
		t.Errorf("re-merge: %s", msg)
	}
	other := filepath.Join(dir, "other.db")
	trnOK(t, append(args, "--db", other, "--seed", "5", "--shard", "0/10")...)
	if _, _, err := trn("merge", out, other); err == nil || !strings.Contains(err.Error(), "seed 1, not 5") {
		t.Errorf("merge of another tournament: %v", err)
	}
	if _, _, err := trn("merge", filepath.Join(dir, "x.db"), shards[0], other); err == nil || !strings.Contains(err.Error(), "hold different tournaments") {
		t.Errorf("merge of mixed inputs: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
		t.Error("a refused merge created its output")
	}
}

// TestResumeAfterKill starts a tournament in a subprocess, kills it with
// SIGKILL once some results are stored, runs the same command again and
// checks that every planned run is stored exactly once, with the results
// of an uninterrupted run.
func TestResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("short: skipping the kill -9 test")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "killed.db")
	args := []string{"tournament", "--agents", "boulware,conceder,linear,tft,random", "--scenarios", market + "," + hiring,
		"--reps", "1000", "--deadline", "100", "--seed", "3", "--workers", "1", "--quiet"}
	const planned = 20 * 2 * 1000

	cmd := exec.Command(os.Args[0], append(args, "--db", db)...)
	cmd.Env = append(os.Environ(), "PARLEY_TEST_MAIN=1")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	before := waitStored(db, 3000)
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
	if before == 0 || before >= planned {
		t.Fatalf("killed with %d of %d runs stored (stderr %s)", before, planned, errb.String())
	}
	st, err := sqlite.OpenReadOnly(db)
	if err != nil {
		t.Fatal(err)
	}
	atKill, _ := st.Count(context.Background())
	st.Close()
	if atKill >= planned {
		t.Fatalf("the tournament finished before the kill (%d runs)", atKill)
	}
	t.Logf("killed with %d of %d runs stored", atKill, planned)

	out, errs, code := trnExe(t, append(args, "--db", db, "--workers", "2")...)
	if code != 0 {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	if want := fmt.Sprintf("ran %d in", planned-atKill); !strings.Contains(out, want) || !strings.Contains(out, fmt.Sprintf("%d already stored", atKill)) {
		t.Errorf("resume output %q, want %q", out, want)
	}
	full := filepath.Join(dir, "full.db")
	if _, errs, code := trnExe(t, append(args, "--db", full)...); code != 0 {
		t.Fatalf("uninterrupted run: exit %d: %s", code, errs)
	}
	_, got := stored(t, db)
	_, want := stored(t, full)
	if len(got) != planned {
		t.Fatalf("%d runs stored, want %d", len(got), planned)
	}
	for i, r := range got {
		if r.JobID != int64(i) {
			t.Fatalf("run %d stored as %d: a run is missing or doubled", i, r.JobID)
		}
	}
	if !reflect.DeepEqual(got, want) {
		for i := range got {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("run %d differs from the uninterrupted run:\n got %+v\nwant %+v", i, got[i], want[i])
			}
		}
	}
}

// waitStored waits (up to a minute) until the results database db holds
// at least n runs, and returns how many it holds then (0 on timeout). It
// polls: the database is another process's.
func waitStored(db string, n int64) int64 {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		st, err := sqlite.OpenReadOnly(db)
		if err != nil {
			continue // not created yet
		}
		got, err := st.Count(context.Background())
		st.Close()
		if err == nil && got >= n {
			return got
		}
	}
	return 0
}

// TestInterruptThenResume stops a tournament with SIGINT (Ctrl-C), then
// again with SIGTERM: each time it stores what it finished, says how to
// continue and exits 1; the same command then completes it.
func TestInterruptThenResume(t *testing.T) {
	if testing.Short() {
		t.Skip("short: skipping the interrupt test")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "int.db")
	args := []string{"tournament", "--agents", "boulware,conceder,linear,tft", "--scenarios", market + "," + hiring,
		"--reps", "1000", "--deadline", "100", "--workers", "1", "--quiet", "--db", db}
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		before := 0
		if _, err := os.Stat(db); err == nil {
			_, rs := stored(t, db)
			before = len(rs)
		}
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "PARLEY_TEST_MAIN=1")
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for end := time.Now().Add(60 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
			if st, err := sqlite.OpenReadOnly(db); err == nil {
				n, _ := st.Count(context.Background())
				st.Close()
				if n > int64(before) {
					break
				}
			}
		}
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(errb.String(), "interrupted after storing") ||
			!strings.Contains(errb.String(), "run the same command to continue") {
			t.Fatalf("run interrupted by %v: %v, stderr %q", sig, err, errb.String())
		}
	}
	_, rs := stored(t, db)
	out, errs, code := trnExe(t, args...)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("%d already stored", len(rs))) {
		t.Fatalf("resume: exit %d, %s %s", code, out, errs)
	}
	if _, rs = stored(t, db); len(rs) != 24000 {
		t.Fatalf("%d runs stored, want 24000", len(rs))
	}
}

// TestTournamentCountsDistinctRuns: the hardliner and the conceder meet
// the same way whatever the seed on these scenarios, so 20 repetitions of
// their meetings are one sample each: the report must say so and count 4
// distinct runs (2 scenarios, 2 role assignments), not 80 (issue 8, item
// 13).
func TestTournamentCountsDistinctRuns(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	out := trnOK(t, "tournament", "--agents", "hardliner,conceder", "--scenarios", market+","+hiring, "--reps", "20", "--deadline", "30", "--db", db)
	if !strings.Contains(out, "Statistics count 4 distinct runs: 76 repetitions") {
		t.Errorf("the report does not say that it collapsed the repetitions:\n%s", out)
	}
	var rep tournament.Report
	if err := json.Unmarshal([]byte(trnOK(t, "report", db, "--json")), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Runs != 80 || rep.Distinct != 4 || rep.Collapsed != 76 {
		t.Fatalf("runs %d distinct %d collapsed %d; want 80, 4, 76", rep.Runs, rep.Distinct, rep.Collapsed)
	}
	for _, s := range rep.Leaderboard {
		if s.Seats != 4 || s.Utility.N != 4 {
			t.Errorf("%s: %d seats, n = %d; want 4", s.Agent, s.Seats, s.Utility.N)
		}
	}
}

// TestTournamentUnanalysableScenario: ANAC 2014's 10¹⁰-outcome non-linear
// scenario, which 'parley run' plays, is played in a tournament too; the
// report says its metrics are not available and why (issue 8, item 12).
func TestTournamentUnanalysableScenario(t *testing.T) {
	nl := sharedScenario(t, "Nonlinear10issuesDiscRV_anac2014")
	db := filepath.Join(t.TempDir(), "nl.db")
	out, stderr, code := trnExe(t, "tournament", "--agents", "boulware,conceder", "--scenarios", nl+","+market, "--deadline", "20", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "Pareto and Nash distances not available on "+nl+": analysis: 10000000000 outcomes") {
		t.Errorf("the report does not say why the metrics are missing:\n%s", out)
	}
	var rep tournament.Report
	if err := json.Unmarshal([]byte(trnOK(t, "report", db, "--json")), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Runs != 4 || len(rep.MetricsNotes) != 1 || rep.MetricsNotes[0].Scenario != nl {
		t.Fatalf("runs %d, metrics notes %+v", rep.Runs, rep.MetricsNotes)
	}
	for _, s := range rep.Leaderboard {
		if s.Seats != 2+2 || s.MetricsSeats != 2 {
			t.Errorf("%s: %d seats, %d with metrics; want 4 and 2", s.Agent, s.Seats, s.MetricsSeats)
		}
	}
	// Run 0 is on the non-linear scenario: its replay says so too.
	if out := trnOK(t, "replay", db, "0"); !strings.Contains(out, "No agreement metrics: analysis: 10000000000 outcomes") ||
		!strings.Contains(out, "Same result as stored") {
		t.Errorf("replay of run 0:\n%s", out)
	}
}

// TestTournamentSaysItIgnoresDeclaredProtocols: a tournament plays the
// ceasefire by plain alternating offers, not by its declared stages, and
// says so instead of switching silently (issue 8, item 14).
func TestTournamentSaysItIgnoresDeclaredProtocols(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	_, stderr, err := trn("tournament", "--agents", "boulware,conceder,linear", "--scenarios", "ceasefire,"+market, "--deadline", "10", "--db", db, "--quiet")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "scenario ceasefire declares a protocol (stages); this tournament runs it by plain alternating offers among all 3 parties for 10 rounds (--protocol staged runs its stages)") {
		t.Errorf("stderr does not say the declared protocol is not used:\n%s", stderr)
	}
	if strings.Contains(stderr, market) {
		t.Errorf("a note about a scenario without a protocol:\n%s", stderr)
	}
}

// TestDocsReportExample: the report --json example in docs/tournaments.md
// has the real keys at every level and the real counts of the tournament
// it quotes.
func TestDocsReportExample(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "tournaments.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(b), "### `--json`")
	_, block, _ := strings.Cut(rest, "```json\n")
	block, _, _ = strings.Cut(block, "```")
	var doc map[string]any
	if err := json.Unmarshal([]byte(block), &doc); err != nil {
		t.Fatalf("docs/tournaments.md report example: %v", err)
	}
	db := filepath.Join(t.TempDir(), "r.db")
	trnOK(t, "tournament", "--agents", "boulware,conceder,tft", "--scenarios", market+","+hiring, "--reps", "10",
		"--deadline", "50", "--seed", "1", "--self-play", "--db", db, "--quiet")
	var real map[string]any
	if err := json.Unmarshal([]byte(trnOK(t, "report", db, "--json")), &real); err != nil {
		t.Fatal(err)
	}
	var same func(path string, d, r any)
	same = func(path string, d, r any) {
		switch d := d.(type) {
		case map[string]any:
			rm, ok := r.(map[string]any)
			if !ok || !reflect.DeepEqual(sortedKeys(d), sortedKeys(rm)) {
				t.Errorf("%s: docs keys %v, real %v", path, sortedKeys(d), r)
				return
			}
			for k := range d {
				same(path+"."+k, d[k], rm[k])
			}
		case []any:
			if ra, ok := r.([]any); ok && len(d) > 0 && len(ra) > 0 {
				if _, obj := d[0].(map[string]any); obj {
					same(path+"[0]", d[0], ra[0])
				}
			}
		}
	}
	same("report", doc, real)
	for _, k := range []string{"schema", "planned", "runs", "errors", "agreements"} {
		if doc[k] != real[k] {
			t.Errorf("%s: docs %v, real %v", k, doc[k], real[k])
		}
	}
}

// TestTournamentTiming: --timing genius runs every negotiation on GENIUS's
// round clock whatever the agents, is saved with the results and shown in
// the report, and a database of one timing refuses another. Parley's own
// boulware against genius-boulware ends otherwise with GENIUS timing than
// with steps.
func TestTournamentTiming(t *testing.T) {
	dir := t.TempDir()
	results := map[string]string{}
	for _, timing := range []string{"steps", "genius"} {
		db := filepath.Join(dir, timing+".db")
		out := trnOK(t, "tournament", "--agents", "boulware,genius-boulware", "--scenarios", market,
			"--deadline", "40", "--timing", timing, "--db", db)
		if want := map[string]string{"steps": ", step timing", "genius": ", GENIUS timing"}[timing]; !strings.Contains(out, want) {
			t.Errorf("--timing %s: report lacks %q:\n%s", timing, want, out)
		}
		m, rs := stored(t, db)
		if string(m.Timing) != timing {
			t.Errorf("stored timing %q, want %q", m.Timing, timing)
		}
		for _, r := range rs {
			results[timing] += fmt.Sprintf("%d %v; ", r.Rounds, r.Utilities)
		}
		other := map[string]string{"steps": "genius", "genius": "auto"}[timing]
		_, errs, code := trnExe(t, "tournament", "--agents", "boulware,genius-boulware", "--scenarios", market,
			"--deadline", "40", "--timing", other, "--db", db, "--quiet")
		if want := "timing " + timing + ", not " + other; code != 1 || !strings.Contains(errs, want) {
			t.Errorf("--timing %s on a %s database: exit %d, %s; want 1 and %q", other, timing, code, errs, want)
		}
	}
	if results["steps"] == results["genius"] {
		t.Errorf("the same results with either timing: %s", results["steps"])
	}
}
