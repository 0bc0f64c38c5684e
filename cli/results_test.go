package cli

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/tracefile"
)

// fileState is a file's bytes and modification time, to show that
// serving it left it unchanged.
type fileState struct {
	b   []byte
	mod time.Time
}

func stateOf(t *testing.T, path string) fileState {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fileState{b, fi.ModTime()}
}

// sameJSON fails t unless a and b are the same JSON value.
func sameJSON(t *testing.T, what string, a, b []byte) {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%s: %v\n%s", what, err, a)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%s: %v\n%s", what, err, b)
	}
	if !reflect.DeepEqual(x, y) {
		t.Errorf("%s differ:\n%.2000s\nwant\n%.2000s", what, a, b)
	}
}

// resultsDBs runs a small tournament, a small staged tournament and a
// small sequencing experiment into databases in dir, and returns their
// paths and the reports parley report and parley experiment print.
func resultsDBs(t *testing.T, dir string) (tdb, sdb, edb string, trep, erep []byte) {
	t.Helper()
	tdb, sdb, edb = filepath.Join(dir, "tour.db"), filepath.Join(dir, "staged.db"), filepath.Join(dir, "seq.db")
	cli(t, "tournament", "--agents", "boulware,conceder,linear", "--scenarios", "ceasefire", "--reps", "2", "--seed", "5", "--db", tdb, "-q")
	cli(t, "tournament", "--agents", "boulware,conceder", "--scenarios", "ceasefire", "--protocol", "staged", "--reps", "2", "--db", sdb, "-q")
	exp := []string{"experiment", "sequencing", "ceasefire", "--runs", "6", "--seed", "3", "--db", edb, "-q", "--json", "--allow-errors"}
	cli(t, exp...)
	erep = []byte(cli(t, exp...)) // again: the report from the stored runs
	trep = []byte(cli(t, "report", tdb, "--json"))
	return tdb, sdb, edb, trep, erep
}

// TestServeResults: parley serve --results shows a tournament's report as
// parley report prints it and an experiment's as parley experiment does,
// pages their runs, replays a stored run as parley replay runs it (the
// same actions as its --trace, the same events every time), keeps the
// results behind the admin token and never writes the databases.
func TestServeResults(t *testing.T) {
	dir := t.TempDir()
	tdb, sdb, edb, trep, erep := resultsDBs(t, dir)
	mdb := filepath.Join(dir, "med.db")
	cli(t, "tournament", "--protocol", "mediated", "--mediators", "hillclimb,random", "--voters", "hillclimber", "--reps", "2",
		"--scenarios", filepath.Join("..", "server", "testdata", "lunch.yaml"), "--db", mdb, "-q")
	mrep := []byte(cli(t, "report", mdb, "--json"))
	before := map[string]fileState{}
	for _, p := range []string{tdb, sdb, edb, mdb} {
		before[p] = stateOf(t, p)
	}
	tokFile := filepath.Join(dir, "admin.token")
	os.WriteFile(tokFile, []byte("sesame\n"), 0o600)
	s := startServe(t, filepath.Join(dir, "serve.db"), "--token-file", tokFile, "--results", tdb, "--results", sdb, "--results", edb, "--results", mdb)

	// Without the admin token nothing of the results shows.
	for _, p := range []string{"/results", "/results/tour", "/results/tour/runs", "/results/nope"} {
		if st := s.do(t, "GET", p, "", nil, &map[string]any{}); st != http.StatusUnauthorized {
			t.Errorf("GET %s without the admin token: %d, want 401", p, st)
		}
		if st := s.do(t, "GET", p, "wrong", nil, &map[string]any{}); st != http.StatusUnauthorized {
			t.Errorf("GET %s with a wrong token: %d, want 401", p, st)
		}
	}
	if st := s.do(t, "POST", "/results/tour/runs/1/replay", "", nil, &map[string]any{}); st != http.StatusUnauthorized {
		t.Errorf("a replay without the admin token: %d, want 401", st)
	}

	var list struct{ Results []server.ResultSet }
	if st := s.do(t, "GET", "/results", "sesame", nil, &list); st != http.StatusOK {
		t.Fatalf("GET /results: %d", st)
	}
	want := []server.ResultSet{
		{Name: "tour", Kind: "tournament", Protocol: "sao", Done: 12, Total: 12, Scenarios: []string{"ceasefire"}, Entrants: []string{"boulware", "conceder", "linear"}},
		{Name: "staged", Kind: "tournament", Protocol: "staged", Done: 4, Total: 4, Scenarios: []string{"ceasefire"}, Entrants: []string{"boulware", "conceder"}},
	}
	if len(list.Results) != 4 || !reflect.DeepEqual(list.Results[:2], want) || list.Results[2].Kind != "experiment" ||
		list.Results[2].Done != 42 || list.Results[2].Total != 42 || len(list.Results[2].Arms) != 7 {
		t.Errorf("GET /results = %+v", list.Results)
	}

	// The reports are the commands' own, number for number.
	var rep struct {
		server.ResultSet
		Report json.RawMessage
	}
	if st := s.do(t, "GET", "/results/tour", "sesame", nil, &rep); st != http.StatusOK {
		t.Fatalf("GET /results/tour: %d", st)
	}
	sameJSON(t, "GET /results/tour's report and parley report --json", rep.Report, trep)
	if st := s.do(t, "GET", "/results/seq", "sesame", nil, &rep); st != http.StatusOK {
		t.Fatalf("GET /results/seq: %d", st)
	}
	sameJSON(t, "GET /results/seq's report and parley experiment sequencing --json", rep.Report, erep)
	if !bytes.Contains(rep.Report, []byte(`"experiment":"sequencing"`)) || !bytes.Contains(rep.Report, []byte(`"information":"`)) {
		t.Errorf("the experiment's report is not a sequencing one with its information note: %.300s", rep.Report)
	}
	if st := s.do(t, "GET", "/results/med", "sesame", nil, &rep); st != http.StatusOK {
		t.Fatalf("GET /results/med: %d", st)
	}
	sameJSON(t, "GET /results/med's report and parley report --json of a tournament of mediators", rep.Report, mrep)

	// Runs, paged, as stored.
	var page struct {
		Offset int
		Total  int64
		Runs   []map[string]any
	}
	if st := s.do(t, "GET", "/results/tour/runs?offset=10&limit=5", "sesame", nil, &page); st != http.StatusOK || page.Total != 12 || len(page.Runs) != 2 ||
		page.Runs[0]["job_id"] != 10.0 || page.Runs[1]["job_id"] != 11.0 {
		t.Errorf("runs 10..14 of 12: %d %+v", st, page)
	}
	if st := s.do(t, "GET", "/results/seq/runs?limit=3", "sesame", nil, &page); st != http.StatusOK || len(page.Runs) != 3 || page.Runs[0]["arm"] != "bilateral_only" {
		t.Errorf("the experiment's first runs: %d %+v", st, page)
	}

	// Bad input: a clear 4xx naming what is wrong.
	for _, c := range []struct {
		method, path string
		status       int
		msg          string
	}{
		{"GET", "/results/nope", 404, `"nope"`},
		{"GET", "/results/nope/runs", 404, `"nope"`},
		{"GET", "/results/tour/runs?limit=100000", 400, "limit"},
		{"GET", "/results/tour/runs?offset=-1", 400, "offset"},
		{"POST", "/results/tour/runs/12/replay", 404, "runs 0 to 11"},
		{"POST", "/results/tour/runs/x/replay", 400, `"x"`},
		{"POST", "/results/nope/runs/1/replay", 404, `"nope"`},
	} {
		var e struct{ Error string }
		if st := s.do(t, c.method, c.path, "sesame", nil, &e); st != c.status || !strings.Contains(e.Error, c.msg) {
			t.Errorf("%s %s: %d %q, want %d naming %s", c.method, c.path, st, e.Error, c.status, c.msg)
		}
	}

	// A replay shows parley replay's negotiation: every action of its
	// trace, in order, and its ending.
	for _, run := range []int{3, 8} {
		trace := filepath.Join(dir, fmt.Sprintf("run%d.jsonl", run))
		cli(t, "replay", tdb, fmt.Sprint(run), "--trace", trace)
		var r server.ReplayResponse
		if st := s.do(t, "POST", fmt.Sprintf("/results/tour/runs/%d/replay", run), "sesame", nil, &r); st != http.StatusCreated || r.Token == "" {
			t.Fatalf("replay of run %d: %d %+v", run, st, r)
		}
		evs := replayEvents(t, s, r)
		checkTrace(t, run, trace, evs)
		// Again: the same negotiation, its events the same bytes, under a
		// fresh token of the owner's read-only lens.
		var r2 server.ReplayResponse
		s.do(t, "POST", fmt.Sprintf("/results/tour/runs/%d/replay", run), "sesame", nil, &r2)
		if r2.ID != r.ID || r2.Token == r.Token || !reflect.DeepEqual(replayEvents(t, s, r2), evs) {
			t.Errorf("replaying run %d again: %+v after %+v, or other events", run, r2, r)
		}
		var e struct{ Error string }
		if st := s.do(t, "POST", "/negotiations/"+r.ID+"/actions", r.Token, map[string]any{"step": 0, "action": "accept"}, &e); st != http.StatusForbidden {
			t.Errorf("an action on a replay: %d %q, want 403", st, e.Error)
		}
	}
	// A staged run and a mediated one: their stages, proposals, votes
	// and ending, as parley replay --trace writes them.
	for _, c := range []struct {
		name, db string
		run      int
	}{{"staged", sdb, 3}, {"med", mdb, 1}} {
		trace := filepath.Join(dir, fmt.Sprintf("%s%d.jsonl", c.name, c.run))
		cli(t, "replay", c.db, fmt.Sprint(c.run), "--trace", trace)
		var r server.ReplayResponse
		if st := s.do(t, "POST", fmt.Sprintf("/results/%s/runs/%d/replay", c.name, c.run), "sesame", nil, &r); st != http.StatusCreated {
			t.Fatalf("replay of run %d of %s: %d", c.run, c.name, st)
		}
		checkStagedTrace(t, c.name, trace, replayEvents(t, s, r))
	}
	// Replays are not negotiations of the server's list.
	var ns struct{ Negotiations []server.Summary }
	if s.do(t, "GET", "/negotiations", "sesame", nil, &ns); len(ns.Negotiations) != 0 {
		t.Errorf("the replays are listed as negotiations: %+v", ns.Negotiations)
	}

	// Serving the databases changed none of them.
	s.cmd.Process.Signal(os.Interrupt)
	s.cmd.Wait()
	for p, b := range before {
		if a := stateOf(t, p); !bytes.Equal(a.b, b.b) || !a.mod.Equal(b.mod) {
			t.Errorf("%s changed while served (modified %v, was %v)", p, a.mod, b.mod)
		}
	}
}

// replayEvents reads the whole log of a replay through its token.
func replayEvents(t *testing.T, s *served, r server.ReplayResponse) []server.Event {
	t.Helper()
	var out struct {
		Events   []server.Event
		Complete bool
	}
	if st := s.do(t, "GET", "/negotiations/"+r.ID+"/events", r.Token, nil, &out); st != http.StatusOK || !out.Complete {
		t.Fatalf("the replay's events: %d, complete %v", st, out.Complete)
	}
	return out.Events
}

// checkTrace fails t unless the replay's actions and ending are those of
// the trace file parley replay --trace wrote.
func checkTrace(t *testing.T, run int, path string, evs []server.Event) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type line struct {
		Type, Party, Action, Reason string
		Step, Round, Rounds, Steps  int
		Time                        float64
		Parties                     []string
		Outcome                     map[string]string
		Agreement                   map[string]string
	}
	var header, result line
	var trace []line
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		switch l.Type {
		case "header":
			header = l
		case "event":
			trace = append(trace, l)
		case "result":
			result = l
		}
	}
	var got []line
	var ended *server.Ended
	for _, e := range evs {
		switch {
		case e.Action != nil:
			a := e.Action
			got = append(got, line{Type: "event", Step: a.Step + 1, Round: a.Round + 1, Time: a.Time, Party: header.Parties[a.Party],
				Action: e.Type, Outcome: a.Values})
		case e.Ended != nil:
			ended = e.Ended
		}
	}
	if len(trace) == 0 || !reflect.DeepEqual(got, trace) {
		t.Errorf("run %d: the replay's %d actions differ from parley replay's %d", run, len(got), len(trace))
		for i := range min(len(got), len(trace)) {
			if !reflect.DeepEqual(got[i], trace[i]) {
				t.Errorf("action %d: %+v, want %+v", i+1, got[i], trace[i])
				break
			}
		}
	}
	// Steps are the trace's actions everywhere (parley.Result.Steps).
	if ended == nil || ended.Reason != result.Reason || ended.Rounds != result.Rounds || ended.Time != result.Time ||
		ended.Steps != result.Steps || result.Steps != len(trace) || !maps.Equal(ended.Values, result.Agreement) {
		t.Errorf("run %d: the replay ended %+v, parley replay %+v", run, ended, result)
	}
}

// checkStagedTrace fails t unless the log of a replayed staged or
// mediated run holds the stages, actions, votes and ending of the trace
// file parley replay --trace wrote, in its order.
func checkStagedTrace(t *testing.T, name, path string, evs []server.Event) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, trace, result, err := tracefile.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	var (
		got    []tracefile.Event
		stages []server.Stage
		issues []server.Issue
		ended  *server.Ended
	)
	// outcome names outcome o's values, as the trace does.
	outcome := func(o int) map[string]any {
		if o < 0 {
			return nil
		}
		m := map[string]any{}
		for i := len(issues) - 1; i >= 0; i-- {
			n := len(issues[i].Values)
			m[issues[i].Name] = issues[i].Values[o%n]
			o /= n
		}
		return m
	}
	who := func(k, p int) string {
		switch {
		case p >= 0:
			return h.Parties[p]
		case h.Stages[k].MediatingParty != "":
			return h.Stages[k].MediatingParty
		}
		return "mediator"
	}
	for _, e := range evs {
		switch {
		case e.Created != nil:
			issues = e.Created.Issues
		case e.Stage != nil:
			stages = append(stages, *e.Stage)
		case e.Action != nil:
			a := e.Action
			got = append(got, tracefile.Event{Type: "event", Stage: h.Stages[a.Stage].Name, StageRound: a.Round + 1, Round: stages[a.Stage].Offset + a.Round + 1,
				Time: a.Time, Party: who(a.Stage, a.Party), Action: e.Type, Outcome: outcome(a.Outcome)})
		case e.Vote != nil:
			v := e.Vote
			got = append(got, tracefile.Event{Type: "event", Stage: h.Stages[v.Stage].Name, StageRound: v.Round + 1, Round: stages[v.Stage].Offset + v.Round + 1,
				Time: v.Time, Party: who(v.Stage, v.Party), Action: e.Type, Outcome: outcome(v.Outcome)})
		case e.Ended != nil:
			ended = e.Ended
		}
	}
	if len(trace) == 0 || !reflect.DeepEqual(got, trace) {
		t.Errorf("%s: the replay's %d actions and votes differ from parley replay's %d", name, len(got), len(trace))
		for i := range min(len(got), len(trace)) {
			if !reflect.DeepEqual(got[i], trace[i]) {
				t.Errorf("event %d: %+v, want %+v", i+1, got[i], trace[i])
				break
			}
		}
	}
	if len(stages) == 0 || stages[len(stages)-1].Name != result.Stage && result.Stage != "" {
		t.Errorf("%s: the replay's stages %+v; parley replay ended in stage %q", name, stages, result.Stage)
	}
	if ended == nil || ended.Reason != result.Reason || ended.Rounds != result.Rounds || ended.Time != result.Time || ended.Steps != result.Steps ||
		ended.Stage != result.Stage {
		t.Errorf("%s: the replay ended %+v, parley replay %+v", name, ended, result)
	}
}

// TestServeResultsBadFiles: a --results file that is missing, is not a
// Parley results database or holds no tournament stops parley serve at
// start-up with an error naming it.
func TestServeResultsBadFiles(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.db")
	os.WriteFile(text, []byte("not a database at all\n"), 0o644)
	empty := filepath.Join(dir, "empty.db")
	cli(t, "tournament", "--agents", "boulware,conceder,linear", "--scenarios", "ceasefire", "--reps", "1", "--db", filepath.Join(dir, "ok.db"), "-q")
	other := filepath.Join(dir, "events.db")
	// A Parley database of another kind: a server's event log.
	srv := startServe(t, other)
	srv.cmd.Process.Signal(os.Interrupt)
	srv.cmd.Wait()
	os.WriteFile(empty, nil, 0o644)
	// Another program's SQLite database, and a results database that no
	// tournament has opened yet.
	foreign := filepath.Join(dir, "foreign.db")
	fdb, err := sql.Open("sqlite", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fdb.Exec(`CREATE TABLE songs (title TEXT)`); err != nil {
		t.Fatal(err)
	}
	fdb.Close()
	unopened := filepath.Join(dir, "unopened.db")
	st, err := sqlite.New(unopened)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	dup := filepath.Join(dir, "sub", "ok.db")
	os.MkdirAll(filepath.Dir(dup), 0o755)
	b, _ := os.ReadFile(filepath.Join(dir, "ok.db"))
	os.WriteFile(dup, b, 0o644)
	for _, c := range []struct {
		file, msg string
	}{
		{filepath.Join(dir, "missing.db"), "no such file"},
		{text, "not a database"},
		{empty, "not a Parley results database"},
		{other, "not a Parley results database"},
		{foreign, "not a Parley results database"},
		{unopened, "holds no tournament or experiment yet"},
		{dup, "have the same name"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		var out, errb bytes.Buffer
		err := Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "serve.db"),
			"--results", filepath.Join(dir, "ok.db"), "--results", c.file}, &out, &errb)
		cancel()
		if err == nil || !strings.Contains(err.Error(), c.file) || !strings.Contains(err.Error(), c.msg) || out.Len() > 0 {
			t.Errorf("--results %s: %v (stdout %q), want an error naming it: %s", c.file, err, out.String(), c.msg)
		}
		if _, err := os.Stat(filepath.Join(dir, "serve.db")); err == nil {
			t.Errorf("--results %s: the server's --db was created before the error", c.file)
		}
	}
}
