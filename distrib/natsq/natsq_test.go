package natsq

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/strategy/mediator"
	"github.com/parley-dev/parley/tournament"
)

// Environment of a test binary re-executed as a worker process.
const (
	envWorker = "PARLEY_NATSQ_TEST_WORKER" // the queue URL
	envName   = "PARLEY_NATSQ_TEST_NAME"   // the worker's name
)

// slowDelay is the sleep per turn of the "slow" test agent.
const slowDelay = 2 * time.Millisecond

// TestMain lets the test binary serve as a worker process (killed with
// SIGKILL by TestKillWorker).
func TestMain(m *testing.M) {
	if url := os.Getenv(envWorker); url != "" {
		os.Exit(workerProcess(url))
	}
	os.Exit(m.Run())
}

func workerProcess(url string) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	w := &Worker{URL: url, Resolver: testResolver(slowDelay), Concurrency: 2, Name: os.Getenv(envName),
		Logf: func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }}
	if err := w.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// syncBuffer is a bytes.Buffer safe for a process writing and a test
// reading.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// workerProc is a worker process started from the test binary.
type workerProc struct {
	name string
	cmd  *exec.Cmd
	log  *syncBuffer
	done chan struct{}
}

func startWorkerProc(t *testing.T, url, name string) *workerProc {
	t.Helper()
	p := &workerProc{name: name, cmd: exec.Command(os.Args[0], "-test.run=^$"), log: &syncBuffer{}, done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), envWorker+"="+url, envName+"="+name)
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// waitLog waits until the process has logged s.
func (p *workerProc) waitLog(t *testing.T, s string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !strings.Contains(p.log.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("worker %s did not log %q in %v; its log:\n%s", p.name, s, d, p.log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stop ends the process with SIGTERM and waits for it.
func (p *workerProc) stop(t *testing.T) {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Errorf("worker %s did not stop on SIGTERM", p.name)
	}
}

// TestKillWorker runs a tournament on three worker processes, kills one
// with SIGKILL mid-run while it holds a batch of jobs, and checks that the
// batch is redelivered and every job's result is stored exactly once,
// equal to a local run of the same tournament.
func TestKillWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes")
	}
	srv := startServer(t, true)
	url := srv.ClientURL()
	r := testResolver(slowDelay)
	agents, scenarios := []string{"conceder", "random", "slow"}, []string{"two-issue", "two-issue-swapped"}
	want := localRecords(t, testConfig(t, r, agents, scenarios, 20, 7))
	cfg := testConfig(t, r, agents, scenarios, 20, 7)
	planned := tournament.Count(cfg)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	q, err := Dial(ctx, url, Options{AckWait: time.Second, Batch: 8})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	// w0 starts first and is frozen (SIGSTOP) while its request for a job
	// waits on the server, so that the first batch goes to it and stays
	// unacknowledged; once the others have stored results, w0 is killed
	// (SIGKILL) and the server hands its batch to w1 or w2 after AckWait.
	procs := make([]*workerProc, 3)
	for i := range procs {
		procs[i] = startWorkerProc(t, url, fmt.Sprintf("w%d", i))
		procs[i].waitLog(t, "serving", 20*time.Second)
		if i == 0 {
			waitPullRequests(t, url, 1)
			_ = procs[0].cmd.Process.Signal(syscall.SIGSTOP)
		}
	}

	st := newMemStore()
	killed := make(chan int, 1) // results stored when w0 was killed
	go func() {
		for st.len() == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		_ = procs[0].cmd.Process.Signal(syscall.SIGKILL)
		killed <- st.len()
	}()
	sum, err := tournament.Run(ctx, cfg, st, tournament.RunOptions{Queue: q})
	if err != nil {
		t.Fatalf("run: %v (stored %d of %d)", err, st.len(), planned)
	}
	atKill := <-killed
	for _, p := range procs[1:] {
		p.stop(t)
	}
	t.Logf("%d jobs in %v (%.0f/s); w0 killed with %d stored; %d repeats reached the store", planned, sum.Elapsed.Round(time.Millisecond), sum.Rate(), atKill, st.repeats)
	if int64(atKill) >= planned {
		t.Fatalf("w0 was killed after the tournament ended")
	}
	sameResults(t, planned, st.recs, want)
	redelivered := false
	for _, p := range procs[1:] {
		redelivered = redelivered || strings.Contains(p.log.String(), "splitting")
	}
	if !redelivered {
		t.Errorf("no batch of the killed worker was redelivered; logs:\nw1:\n%s\nw2:\n%s", procs[1].log, procs[2].log)
	}
	for id, rec := range st.recs {
		if rec.Worker == "" {
			t.Errorf("job %d: no worker recorded", id)
		}
	}
}

// waitPullRequests waits until n fetch requests of workers wait on the
// workers' consumer.
func waitPullRequests(t *testing.T, url string, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	opt := Options{}.withDefaults()
	nc, js, err := connect(ctx, url, &opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	for {
		info, err := js.Consumer(ctx, opt.jobsStream(), workersConsumer)
		if err == nil && info.CachedInfo().NumWaiting >= n {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("no %d fetch requests waiting: %v", n, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// startWorkers runs n in-process workers until the test ends.
func startWorkers(t *testing.T, url string, n int, r tournament.Resolver, opt Options, giveUp time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &Worker{URL: url, Resolver: r, Concurrency: 1, Name: fmt.Sprintf("w%d", i), Options: opt, GiveUp: giveUp, Logf: t.Logf}
			if err := w.Run(ctx); err != nil {
				t.Errorf("worker %d: %v", i, err)
			}
		}()
	}
	t.Cleanup(func() { cancel(); wg.Wait() })
}

// runOnWorkers runs cfg through the queue of srv on two in-process
// workers and returns the store and the summary.
func runOnWorkers(t *testing.T, srv *server.Server, r tournament.Resolver, cfg *tournament.Config) (*memStore, tournament.Summary) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	q, err := Dial(ctx, srv.ClientURL(), Options{Batch: 16})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	startWorkers(t, srv.ClientURL(), 2, r, Options{}, 0)
	st := newMemStore()
	sum, err := tournament.Run(ctx, cfg, st, tournament.RunOptions{Queue: q})
	if err != nil {
		t.Fatal(err)
	}
	return st, sum
}

// TestQueue runs a tournament on two in-process workers.
func TestQueue(t *testing.T) {
	srv := startServer(t, true)
	r := testResolver(0)
	agents, scenarios := []string{"conceder", "random"}, []string{"two-issue", "two-issue-swapped"}
	want := localRecords(t, testConfig(t, r, agents, scenarios, 25, 1))
	cfg := testConfig(t, r, agents, scenarios, 25, 1)
	st, sum := runOnWorkers(t, srv, r, cfg)
	if sum.Ran != tournament.Count(cfg) {
		t.Errorf("ran %d, want %d", sum.Ran, tournament.Count(cfg))
	}
	sameResults(t, tournament.Count(cfg), st.recs, want)
	workers := map[string]bool{}
	for _, rec := range st.recs {
		workers[rec.Worker] = true
	}
	if !workers["w0"] && !workers["w1"] {
		t.Errorf("records name workers %v, want w0 or w1", workers)
	}
}

// TestResume interrupts a coordinator and resumes the tournament with a
// new one: the jobs left are published again, leftovers of the first are
// purged, and every job is stored once.
func TestResume(t *testing.T) {
	srv := startServer(t, true)
	r := testResolver(slowDelay)
	agents, scenarios := []string{"conceder", "slow"}, []string{"two-issue", "two-issue-swapped"}
	want := localRecords(t, testConfig(t, r, agents, scenarios, 30, 3))
	planned := int64(len(want))
	startWorkers(t, srv.ClientURL(), 2, r, Options{}, 0)
	st := newMemStore()

	ctx, cancel := context.WithCancel(context.Background())
	q1, err := Dial(ctx, srv.ClientURL(), Options{Batch: 4})
	if err != nil {
		t.Fatal(err)
	}
	_, err = tournament.Run(ctx, testConfig(t, r, agents, scenarios, 30, 3), st, tournament.RunOptions{Queue: q1,
		Progress: func(done, total int64) {
			if done >= total/3 {
				cancel()
			}
		}})
	if err == nil {
		t.Fatal("the first coordinator finished: nothing left to resume")
	}
	q1.Close()
	first := st.len()
	if int64(first) >= planned || first == 0 {
		t.Fatalf("first coordinator stored %d of %d", first, planned)
	}

	ctx2, cancel2 := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel2()
	q2, err := Dial(ctx2, srv.ClientURL(), Options{Batch: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer q2.Close()
	sum, err := tournament.Run(ctx2, testConfig(t, r, agents, scenarios, 30, 3), st, tournament.RunOptions{Queue: q2})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first coordinator stored %d, second %d (skipped %d)", first, sum.Ran, sum.Skipped)
	if sum.Skipped != int64(first) || sum.Ran != planned-int64(first) {
		t.Errorf("second run: skipped %d ran %d, want %d and %d", sum.Skipped, sum.Ran, first, planned-int64(first))
	}
	sameResults(t, planned, st.recs, want)
}

// TestUnresolvable: workers that cannot load an agent hand its jobs back,
// then record them as errors naming the cause after MaxDeliver attempts
// (and GiveUp); the tournament ends.
func TestUnresolvable(t *testing.T) {
	srv := startServer(t, true)
	coord := testResolver(0)
	agent := coord.Agent
	coord.Agent = func(spec string) (func() parley.Negotiator, error) {
		if spec == "mystery" {
			return agent("conceder")
		}
		return agent(spec)
	}
	cfg := testConfig(t, coord, []string{"conceder", "mystery"}, []string{"two-issue"}, 2, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	q, err := Dial(ctx, srv.ClientURL(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	startWorkers(t, srv.ClientURL(), 1, testResolver(0), Options{MaxDeliver: 2}, time.Nanosecond)
	st := newMemStore()
	if _, err := tournament.Run(ctx, cfg, st, tournament.RunOptions{Queue: q}); err != nil {
		t.Fatal(err)
	}
	if int64(st.len()) != tournament.Count(cfg) {
		t.Fatalf("stored %d of %d", st.len(), tournament.Count(cfg))
	}
	for id, rec := range st.recs {
		if rec.Reason != "error" || !strings.Contains(rec.Error, `agent "mystery"`) || !strings.Contains(rec.Error, "2 attempts") {
			t.Errorf("job %d: reason %q error %q, want an error naming the agent", id, rec.Reason, rec.Error)
		}
		if rec.Scenario != "two-issue" || len(rec.Agents) != 2 {
			t.Errorf("job %d: scenario %q agents %v", id, rec.Scenario, rec.Agents)
		}
	}
}

// TestMixedWorkers: a worker that cannot load an agent, serving beside one
// that can, delays the jobs it takes but records no error.
func TestMixedWorkers(t *testing.T) {
	srv := startServer(t, true)
	good := testResolver(0)
	agent := good.Agent
	good.Agent = func(spec string) (func() parley.Negotiator, error) {
		if spec == "mystery" {
			return agent("random")
		}
		return agent(spec)
	}
	agents, scenarios := []string{"conceder", "mystery"}, []string{"two-issue", "two-issue-swapped"}
	want := localRecords(t, testConfig(t, good, agents, scenarios, 10, 4))
	cfg := testConfig(t, good, agents, scenarios, 10, 4)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	q, err := Dial(ctx, srv.ClientURL(), Options{Batch: 20})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	startWorkers(t, srv.ClientURL(), 1, testResolver(0), Options{MaxDeliver: 2}, 0) // default GiveUp: 10 minutes
	startWorkers(t, srv.ClientURL(), 1, good, Options{}, 0)
	st := newMemStore()
	if _, err := tournament.Run(ctx, cfg, st, tournament.RunOptions{Queue: q}); err != nil {
		t.Fatal(err)
	}
	sameResults(t, tournament.Count(cfg), st.recs, want)
}

// TestUnreachable: a queue URL nobody listens on fails after the set
// number of attempts with a message naming the URL (not its password).
func TestUnreachable(t *testing.T) {
	ctx := context.Background()
	opt := Options{Attempts: 3, RetryWait: 10 * time.Millisecond}
	const url = "nats://bob:secret@127.0.0.1:1"
	start := time.Now()
	_, err := Dial(ctx, url, opt)
	if err == nil {
		t.Fatal("Dial succeeded")
	}
	for _, s := range []string{"nats://bob:xxxxx@127.0.0.1:1", "after 3 attempts"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not say %q", err, s)
		}
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error %q shows the password", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("gave up after %v", d)
	}
	w := &Worker{URL: "nats://127.0.0.1:1", Resolver: testResolver(0), Options: opt}
	if err := w.Run(ctx); err == nil || !strings.Contains(err.Error(), "cannot reach the queue at nats://127.0.0.1:1 after 3 attempts") {
		t.Errorf("worker: %v", err)
	}
	for _, bad := range []string{"", "http://127.0.0.1:4222", "nats://", "127.0.0.1:4222"} {
		if _, err := Dial(ctx, bad, opt); err == nil || !strings.HasPrefix(err.Error(), "natsq: ") {
			t.Errorf("Dial(%q): %v", bad, err)
		}
	}
}

// TestNoJetStream: a server without JetStream is named in the error.
func TestNoJetStream(t *testing.T) {
	srv := startServer(t, false)
	_, err := Dial(context.Background(), srv.ClientURL(), Options{Attempts: 1})
	if err == nil || !strings.Contains(err.Error(), "no JetStream") || !strings.Contains(err.Error(), srv.ClientURL()) {
		t.Fatalf("Dial: %v", err)
	}
}

// TestOneTournamentPerQueue: a Queue refuses a second tournament.
func TestOneTournamentPerQueue(t *testing.T) {
	srv := startServer(t, true)
	q, err := Dial(context.Background(), srv.ClientURL(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	m := tournament.Meta{Agents: []string{"a", "b"}, Scenarios: []string{"s"}, Reps: 1, Deadline: 10, Planned: 2}
	if err := q.Publish(context.Background(), m, []tournament.Job{{ID: 0, Agents: []int{0, 1}}}); err != nil {
		t.Fatal(err)
	}
	m2 := m
	m2.Seed = 9
	if err := q.Publish(context.Background(), m2, nil); err == nil || !strings.Contains(err.Error(), "one Queue per tournament") {
		t.Errorf("second tournament: %v", err)
	}
	if err := q.Publish(context.Background(), m, []tournament.Job{{ID: 2}}); err == nil || !strings.Contains(err.Error(), "job 2 outside") {
		t.Errorf("job outside: %v", err)
	}
}

// BenchmarkRun compares a tournament of small negotiations run locally
// with the same tournament through an embedded server and one in-process
// worker on all cores (negotiations/s as "negs/s").
func BenchmarkRun(b *testing.B) {
	r := testResolver(0)
	agents, scenarios := []string{"conceder", "random"}, []string{"two-issue", "two-issue-swapped"}
	const reps = 2500 // 10,000 negotiations
	b.Run("local", func(b *testing.B) {
		for b.Loop() {
			cfg := testConfig(b, r, agents, scenarios, reps, 1)
			cfg.Workers = 0
			sum, err := tournament.Run(context.Background(), cfg, newMemStore(), tournament.RunOptions{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(sum.Rate(), "negs/s")
		}
	})
	b.Run("nats", func(b *testing.B) {
		srv := startServer(b, true)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go (&Worker{URL: srv.ClientURL(), Resolver: r}).Run(ctx)
		for b.Loop() {
			cfg := testConfig(b, r, agents, scenarios, reps, uint64(time.Now().UnixNano())) // a new tournament each time
			q, err := Dial(ctx, srv.ClientURL(), Options{})
			if err != nil {
				b.Fatal(err)
			}
			sum, err := tournament.Run(ctx, cfg, newMemStore(), tournament.RunOptions{Queue: q})
			q.Close()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(sum.Rate(), "negs/s")
		}
	})
}

// TestLoadErrorsStayLocal: a job naming a scenario the worker refuses, with
// an error quoting the file, is recorded as an error naming the scenario
// but not quoting the file: the quote goes to the worker's log only.
func TestLoadErrorsStayLocal(t *testing.T) {
	srv := startServer(t, true)
	const secret = "root:x:0:0:root:/root:/bin/bash"
	coord := testResolver(0)
	scen := coord.Scenario
	coord.Scenario = func(ref string) (*scenario.Scenario, error) { return scen("two-issue") }
	worker := testResolver(0)
	worker.Scenario = func(ref string) (*scenario.Scenario, error) {
		return nil, fmt.Errorf("%s:1:5: mapping values are not allowed here\n> 1 | %s", ref, secret)
	}
	cfg := testConfig(t, coord, []string{"conceder", "random"}, []string{"/etc/passwd"}, 1, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	q, err := Dial(ctx, srv.ClientURL(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	var logMu sync.Mutex
	var log strings.Builder
	wctx, wcancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	w := &Worker{URL: srv.ClientURL(), Resolver: worker, Concurrency: 1, Name: "w0", Options: Options{MaxDeliver: 1}, GiveUp: time.Nanosecond,
		Logf: func(format string, args ...any) {
			logMu.Lock()
			defer logMu.Unlock()
			fmt.Fprintf(&log, format+"\n", args...)
		}}
	go func() { done <- w.Run(wctx) }()
	st := newMemStore()
	_, err = tournament.Run(ctx, cfg, st, tournament.RunOptions{Queue: q})
	wcancel()
	if werr := <-done; werr != nil {
		t.Errorf("worker: %v", werr)
	}
	if err != nil {
		t.Fatal(err)
	}
	if int64(st.len()) != tournament.Count(cfg) {
		t.Fatalf("stored %d of %d", st.len(), tournament.Count(cfg))
	}
	for id, rec := range st.recs {
		if rec.Reason != "error" || !strings.Contains(rec.Error, `cannot load scenario "/etc/passwd"`) {
			t.Errorf("job %d: reason %q error %q, want an error naming the scenario", id, rec.Reason, rec.Error)
		}
		if strings.Contains(rec.Error, "root:") || strings.Contains(rec.Error, "mapping values") {
			t.Errorf("job %d: the error sent back quotes the worker's file: %q", id, rec.Error)
		}
	}
	logMu.Lock()
	defer logMu.Unlock()
	if !strings.Contains(log.String(), secret) {
		t.Errorf("the worker's log does not say why:\n%s", log.String())
	}
}

// waitFor waits until cond holds, failing the test after d (a bound on a
// wait for an event, not an assertion about time).
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen within %v", what, d)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestOutage stops the server in the middle of a tournament for longer
// than the client used to retry (60 reconnection attempts: about two
// minutes at the old fixed 2s), then restarts it on the same port and
// store: the worker and the coordinator wait it out and the tournament
// completes with the results of a local run.
func TestOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("restarts a NATS server")
	}
	opts := &server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true}
	srv := startServerWith(t, opts)
	url := srv.ClientURL()
	restart := *opts
	restart.Port = srv.Addr().(*net.TCPAddr).Port

	r := testResolver(slowDelay)
	agents, scenarios := []string{"conceder", "slow"}, []string{"two-issue", "two-issue-swapped"}
	want := localRecords(t, testConfig(t, r, agents, scenarios, 30, 11))
	planned := int64(len(want))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	const reconnectWait = 10 * time.Millisecond
	coordLog, workerLog := &syncBuffer{}, &syncBuffer{}
	logTo := func(b *syncBuffer) func(string, ...any) {
		return func(format string, args ...any) { fmt.Fprintf(b, format+"\n", args...) }
	}
	q, err := Dial(ctx, url, Options{Batch: 4, AckWait: time.Second, ReconnectWait: reconnectWait, Logf: logTo(coordLog)})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	wctx, stopWorker := context.WithCancel(ctx)
	defer stopWorker()
	workerDone := make(chan error, 1)
	go func() {
		w := &Worker{URL: url, Resolver: r, Concurrency: 1, Name: "w0", Options: Options{ReconnectWait: reconnectWait}, Logf: logTo(workerLog)}
		workerDone <- w.Run(wctx)
	}()

	outage := make(chan struct{})
	var once sync.Once
	st := newMemStore()
	type result struct {
		sum tournament.Summary
		err error
	}
	res := make(chan result, 1)
	go func() {
		sum, err := tournament.Run(ctx, testConfig(t, r, agents, scenarios, 30, 11), st, tournament.RunOptions{Queue: q,
			Progress: func(done, total int64) {
				if done >= total/4 {
					once.Do(func() { close(outage) })
				}
			}})
		res <- result{sum, err}
	}()
	select {
	case <-outage:
	case <-ctx.Done():
		t.Fatal("no results before the outage")
	}
	srv.Shutdown()
	srv.WaitForShutdown()
	// More failed attempts than the 60 after which the client used to
	// give up, on both sides.
	const attempts = "after 64 reconnection attempts"
	alive := func() {
		select {
		case err := <-workerDone:
			t.Fatalf("the worker gave up during the outage: %v\n%s", err, workerLog)
		case rs := <-res:
			t.Fatalf("the coordinator gave up during the outage: %v", rs.err)
		default:
		}
	}
	waitFor(t, 30*time.Second, "64 reconnection attempts of the worker", func() bool {
		alive()
		return strings.Contains(workerLog.String(), attempts)
	})
	waitFor(t, 30*time.Second, "64 reconnection attempts of the coordinator", func() bool {
		alive()
		return strings.Contains(coordLog.String(), attempts)
	})
	alive()
	startServerWith(t, &restart)

	rs := <-res
	if rs.err != nil {
		t.Fatalf("run: %v (stored %d of %d)\ncoordinator:\n%s\nworker:\n%s", rs.err, st.len(), planned, coordLog, workerLog)
	}
	stopWorker()
	if err := <-workerDone; err != nil {
		t.Errorf("worker: %v", err)
	}
	sameResults(t, planned, st.recs, want)
	for _, l := range []*syncBuffer{coordLog, workerLog} {
		if !strings.Contains(l.String(), "lost the queue at "+url) || !strings.Contains(l.String(), "reconnected to the queue") {
			t.Errorf("log does not tell of the outage:\n%s", l)
		}
	}
}

// TestGiveUpReconnecting: with ReconnectFor set, a worker whose server
// stays away returns an error saying so.
func TestGiveUpReconnecting(t *testing.T) {
	srv := startServer(t, true)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	log := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		w := &Worker{URL: srv.ClientURL(), Resolver: testResolver(0), Concurrency: 1,
			Options: Options{ReconnectWait: 10 * time.Millisecond, ReconnectFor: 50 * time.Millisecond},
			Logf:    func(format string, args ...any) { fmt.Fprintf(log, format+"\n", args...) }}
		done <- w.Run(ctx)
	}()
	waitFor(t, 20*time.Second, "the worker serving", func() bool { return strings.Contains(log.String(), "serving") })
	srv.Shutdown()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "gave up reconnecting after 50ms") {
			t.Errorf("worker: %v", err)
		}
	case <-ctx.Done():
		t.Fatalf("the worker did not give up; log:\n%s", log)
	}
}

// TestServerWithoutStore: a server restarted without its store has lost
// the streams; a worker creates them again and serves the next
// tournament.
func TestServerWithoutStore(t *testing.T) {
	opts := &server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true}
	srv := startServerWith(t, opts)
	url := srv.ClientURL()
	fresh := *opts
	fresh.Port = srv.Addr().(*net.TCPAddr).Port
	fresh.StoreDir = t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	log := &syncBuffer{}
	r := testResolver(0)
	wctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		w := &Worker{URL: url, Resolver: r, Concurrency: 1, Options: Options{ReconnectWait: 10 * time.Millisecond},
			Logf: func(format string, args ...any) { fmt.Fprintf(log, format+"\n", args...) }}
		done <- w.Run(wctx)
	}()
	defer func() { stop(); <-done }()
	waitFor(t, 20*time.Second, "the worker serving", func() bool { return strings.Contains(log.String(), "serving") })
	srv.Shutdown()
	srv.WaitForShutdown()
	srv2 := startServerWith(t, &fresh)
	// The worker, alone, creates the streams again.
	waitFor(t, 20*time.Second, "the jobs stream created again", func() bool {
		jsz, err := srv2.Jsz(&server.JSzOptions{})
		return err == nil && jsz.Streams >= 2
	})
	cfg := testConfig(t, r, []string{"conceder", "random"}, []string{"two-issue"}, 2, 1)
	q, err := Dial(ctx, url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	st := newMemStore()
	if _, err := tournament.Run(ctx, cfg, st, tournament.RunOptions{Queue: q}); err != nil {
		t.Fatalf("run: %v\n%s", err, log)
	}
	if int64(st.len()) != tournament.Count(cfg) {
		t.Errorf("stored %d of %d", st.len(), tournament.Count(cfg))
	}
}

// TestCoordinatorGivesUp: with ReconnectFor set, a coordinator whose
// server stays away stops with an error saying the queue stopped, not
// that it closed.
func TestCoordinatorGivesUp(t *testing.T) {
	srv := startServer(t, true)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	q, err := Dial(ctx, srv.ClientURL(), Options{ReconnectWait: 10 * time.Millisecond, ReconnectFor: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	cfg := testConfig(t, testResolver(0), []string{"conceder", "random"}, []string{"two-issue"}, 3, 1)
	res := make(chan error, 1)
	go func() {
		_, err := tournament.Run(ctx, cfg, newMemStore(), tournament.RunOptions{Queue: q})
		res <- err
	}()
	waitFor(t, 20*time.Second, "the jobs published", func() bool {
		jsz, err := srv.Jsz(&server.JSzOptions{})
		return err == nil && jsz.Messages > 0
	})
	srv.Shutdown()
	select {
	case err := <-res:
		if err == nil || !strings.Contains(err.Error(), "the queue stopped delivering results after 0 of the 6 runs") {
			t.Errorf("run: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("the coordinator did not give up")
	}
}

// TestQueueMediated runs a mediated tournament on two in-process workers:
// the jobs carry mediator and voter pool, the records come back the same
// as a local run's.
func TestQueueMediated(t *testing.T) {
	srv := startServer(t, true)
	r := testResolver(0)
	r.Mediator = func(spec string) (func() mediated.Mediator, error) {
		f, err := mediator.ParseMediator(spec)
		if err != nil {
			return nil, err
		}
		return func() mediated.Mediator { return f() }, nil
	}
	r.Voter = func(spec string) (func() mediated.Voter, error) {
		f, err := mediator.ParseVoter(spec)
		if err != nil {
			return nil, err
		}
		return func() mediated.Voter { return f() }, nil
	}
	config := func() *tournament.Config {
		cfg := testConfig(t, r, nil, []string{"two-issue", "two-issue-swapped"}, 5, 3)
		cfg.Protocol, cfg.Rule, cfg.Info = tournament.ProtocolMediated, parley.RuleMediator, parley.InfoDeclared
		for _, m := range []string{"hillclimb", "anneal", "nash"} {
			f, _ := r.Mediator(m)
			cfg.Mediators = append(cfg.Mediators, tournament.Mediator{Name: m, New: f})
		}
		for _, v := range []string{"hillclimber", "annealer"} {
			f, _ := r.Voter(v)
			cfg.Voters = append(cfg.Voters, tournament.Voter{Name: v, New: f})
		}
		return cfg
	}
	want := localRecords(t, config())
	cfg := config()
	st, _ := runOnWorkers(t, srv, r, cfg)
	sameResults(t, tournament.Count(cfg), st.recs, want)
	if rec := st.recs[0]; rec.Mediator != "hillclimb" || len(rec.Voters) != 2 {
		t.Errorf("record 0 names mediator %q and voters %v", rec.Mediator, rec.Voters)
	}
}
