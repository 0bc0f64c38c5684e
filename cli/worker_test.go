package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/distrib/natsq"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/tournament"
)

// command runs one command (as its own root) in-process and returns its
// stdout, stderr and error.
func command(ctx context.Context, c *cobra.Command, args ...string) (string, string, error) {
	var out, errb bytes.Buffer
	c.SetArgs(args)
	c.SetOut(&out)
	c.SetErr(&errb)
	c.SilenceErrors, c.SilenceUsage = true, true
	err := c.ExecuteContext(ctx)
	return out.String(), errb.String(), err
}

func TestWorkerUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "--queue nats://HOST:4222 is required"},
		{[]string{"--queue", "nats://127.0.0.1:1", "--concurrency", "-1"}, "must not be negative"},
		{[]string{"--queue", "nats://127.0.0.1:1", "extra"}, "accepts 0 arg"},
		{[]string{"--queue", "http://127.0.0.1:4222"}, `scheme "http", want nats://HOST:PORT`},
	} {
		_, _, err := command(context.Background(), pg.newWorkerCmd(), tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("worker %v: %v, want %q", tc.args, err, tc.want)
		}
		var u usageError
		if strings.HasPrefix(tc.want, "--") && !errors.As(err, &u) {
			t.Errorf("worker %v: %v is not a usage error", tc.args, err)
		}
	}
}

// TestWorkerUnreachable: a queue nobody listens on fails after the bounded
// retries (about 4s) with a message naming the URL.
func TestWorkerUnreachable(t *testing.T) {
	start := time.Now()
	_, _, err := command(context.Background(), pg.newWorkerCmd(), "--queue", "nats://127.0.0.1:1")
	if err == nil || !strings.Contains(err.Error(), "worker: natsq: cannot reach the queue at nats://127.0.0.1:1 after 5 attempts") {
		t.Fatalf("worker: %v", err)
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("gave up after %v", d)
	}
}

// startNATS runs an embedded nats-server with JetStream on 127.0.0.1 at a
// random port.
func startNATS(t *testing.T) *server.Server {
	t.Helper()
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true,
		StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	return s
}

// waitFetching waits until a worker's request for jobs waits on the
// server.
func waitFetching(t *testing.T, url string) {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := js.Consumer(context.Background(), "PARLEY_JOBS", "workers")
		if err == nil && c.CachedInfo().NumWaiting > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no worker is fetching jobs: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// lockedBuffer collects a process's output for the test to read meanwhile.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// workerProcess is 'parley worker' run from the test binary.
type workerProcess struct {
	cmd    *exec.Cmd
	log    *lockedBuffer
	done   chan error
	exited chan struct{} // closed once Wait has returned
}

func startWorkerProcess(t *testing.T, args ...string) *workerProcess {
	t.Helper()
	p := &workerProcess{cmd: exec.Command(os.Args[0], append([]string{"worker"}, args...)...), log: &lockedBuffer{}, done: make(chan error, 1),
		exited: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), "PARLEY_TEST_MAIN=1") // the test binary runs as parley (TestMain)
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.done <- p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		// Kill fails harmlessly on a process that has already exited;
		// exited, unlike cmd.ProcessState, is safe to read here.
		_ = p.cmd.Process.Kill()
		<-p.exited
	})
	return p
}

func (p *workerProcess) waitLog(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(p.log.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("worker did not log %q; its log:\n%s", s, p.log)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// readRecords returns a results database's records by run id.
func readRecords(t *testing.T, path string) (tournament.Meta, map[int64]tournament.Record) {
	t.Helper()
	st, err := sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	m, _, err := st.Meta(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recs := map[int64]tournament.Record{}
	for r, err := range st.Records(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if _, dup := recs[r.JobID]; dup {
			t.Errorf("%s: run %d stored twice", path, r.JobID)
		}
		recs[r.JobID] = r
	}
	return m, recs
}

// TestWorkerTournament runs 'parley tournament --queue' against three
// 'parley worker' processes on an embedded nats-server, kills one worker
// with SIGKILL while it holds a batch of jobs, and checks that the batch
// was redelivered, that every run is stored exactly once and that the
// results equal those of the same tournament run locally.
func TestWorkerTournament(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a NATS server and worker processes")
	}
	srv := startNATS(t)
	url := srv.ClientURL()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	// A short ack wait, so that the killed worker's jobs come back within
	// a second (the tournament command leaves an existing consumer's).
	q, err := natsq.Dial(ctx, url, natsq.Options{AckWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	q.Close()

	dir := t.TempDir()
	args := []string{"--agents", "boulware,conceder,linear", "--scenarios", "testdata/tournament/market.yaml,testdata/tournament/hiring.yaml",
		"--reps", "40", "--deadline", "100", "--seed", "5", "--quiet"}
	local, dist := filepath.Join(dir, "local.db"), filepath.Join(dir, "dist.db")
	if _, errs, err := command(ctx, pg.newTournamentCmd(), append(args, "--db", local)...); err != nil {
		t.Fatalf("local tournament: %v\n%s", err, errs)
	}

	// w0 starts first and is frozen (SIGSTOP) while its request for a job
	// waits on the server: the first job batch goes to it and stays
	// there, unacknowledged, until w0 is killed (SIGKILL) and the server
	// hands the batch to w1 or w2 after the ack wait.
	var workers []*workerProcess
	for i := range 3 {
		w := startWorkerProcess(t, "--queue", url, "--concurrency", "1", "--name", fmt.Sprintf("w%d", i), "--scenarios", "testdata/tournament")
		w.waitLog(t, "serving")
		if i == 0 {
			waitFetching(t, url)
			_ = w.cmd.Process.Signal(syscall.SIGSTOP)
		}
		workers = append(workers, w)
	}
	killed := make(chan struct{})
	go func() {
		defer close(killed)
		time.Sleep(300 * time.Millisecond)
		_ = workers[0].cmd.Process.Signal(syscall.SIGKILL)
	}()
	out, errs, err := command(ctx, pg.newTournamentCmd(), append(args, "--db", dist, "--queue", url)...)
	if err != nil {
		t.Fatalf("tournament --queue: %v\n%s\nworker logs:\n%s\n%s\n%s", err, errs, workers[0].log, workers[1].log, workers[2].log)
	}
	<-killed
	t.Log(strings.TrimSpace(out))
	for i, w := range workers[1:] {
		_ = w.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-w.done:
			if err != nil {
				t.Errorf("worker w%d after SIGTERM: %v\n%s", i+1, err, w.log)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("worker w%d did not stop on SIGTERM", i+1)
		}
	}
	if err := <-workers[0].done; err == nil {
		t.Error("w0 was not killed")
	}

	lm, want := readRecords(t, local)
	dm, got := readRecords(t, dist)
	if !reflect.DeepEqual(lm, dm) {
		t.Fatalf("meta: local %+v, distributed %+v", lm, dm)
	}
	if int64(len(got)) != dm.Planned || int64(len(want)) != lm.Planned {
		t.Fatalf("stored %d runs remotely and %d locally of %d", len(got), len(want), dm.Planned)
	}
	bad := 0
	for id, w := range want {
		g := got[id]
		if g.Worker != "w1" && g.Worker != "w2" && g.Worker != "w0" {
			t.Errorf("run %d: worker %q", id, g.Worker)
		}
		g.Elapsed, w.Elapsed, g.Worker, w.Worker = 0, 0, "", ""
		if !reflect.DeepEqual(g, w) {
			if bad++; bad <= 3 {
				t.Errorf("run %d:\n got %+v\nwant %+v", id, g, w)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d runs differ from the local run", bad, len(want))
	}
	if !strings.Contains(workers[1].log.String()+workers[2].log.String(), "splitting") {
		t.Errorf("no batch of the killed worker was redelivered; logs:\n%s\n%s", workers[1].log, workers[2].log)
	}
}

// TestWorkerQueueAuth: a worker authenticates with a token from the
// environment; without it the server's refusal is the error, at once.
func TestWorkerQueueAuth(t *testing.T) {
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true,
		StoreDir: t.TempDir(), NoLog: true, NoSigs: true, Authorization: "tok-9876"})
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	url := s.ClientURL()
	t.Setenv(natsq.EnvToken, "")
	if _, _, err := command(ctx, pg.newWorkerCmd(), "--queue", url, "--idle-exit", "100ms"); err == nil || !strings.Contains(err.Error(), "Authorization Violation") {
		t.Fatalf("worker without the token: %v", err)
	}
	t.Setenv(natsq.EnvToken, "tok-9876")
	if _, errs, err := command(ctx, pg.newWorkerCmd(), "--queue", url, "--idle-exit", "100ms"); err != nil || !strings.Contains(errs, "no job for 100ms") {
		t.Fatalf("worker with the token: %v\n%s", err, errs)
	}
}

// TestQueueFlagsUsage: inconsistent queue flags, and queue flags without
// a queue, are usage errors.
func TestQueueFlagsUsage(t *testing.T) {
	for _, tc := range []struct {
		cmd  func() *cobra.Command
		args []string
		want string
	}{
		{pg.newWorkerCmd, []string{"--queue", "nats://127.0.0.1:1", "--queue-cert", "c.pem"}, "both its certificate and its key"},
		{pg.newWorkerCmd, []string{"--queue", "nats://127.0.0.1:1", "--queue-reconnect-for", "-1s"}, "must not be negative"},
		{pg.newTournamentCmd, []string{"--agents", "boulware,conceder,linear", "--scenarios", "ceasefire", "--db", filepath.Join(t.TempDir(), "x.db"), "--queue-ca", "ca.pem"}, "need --queue"},
	} {
		_, _, err := command(context.Background(), tc.cmd(), tc.args...)
		var u usageError
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.As(err, &u) {
			t.Errorf("%v: %v, want a usage error saying %q", tc.args, err, tc.want)
		}
	}
}

// TestTournamentQueueLost: a coordinator whose queue stays away longer
// than --queue-reconnect-for stops and says that running the same command
// again continues.
func TestTournamentQueueLost(t *testing.T) {
	srv := startNATS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	db := filepath.Join(t.TempDir(), "r.db")
	res := make(chan error, 1)
	go func() {
		_, _, err := command(ctx, pg.newTournamentCmd(), "--agents", "boulware,conceder", "--scenarios", "testdata/tournament/market.yaml",
			"--db", db, "--queue", srv.ClientURL(), "--queue-reconnect-for", "1ms", "--quiet")
		res <- err
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		jsz, err := srv.Jsz(&server.JSzOptions{})
		if err == nil && jsz.Messages > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no jobs published")
		}
		time.Sleep(5 * time.Millisecond)
	}
	srv.Shutdown()
	select {
	case err := <-res:
		if err == nil || !strings.Contains(err.Error(), "the queue stopped delivering results") ||
			!strings.Contains(err.Error(), "0 of 2 runs are stored in "+db+": run the same command to continue") {
			t.Errorf("tournament: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("the coordinator did not stop")
	}
}
