package natsq

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/tournament"
)

// Worker takes jobs from the queue at URL, runs them and publishes their
// results, until its context ends (or, with IdleExit, the queue stays
// empty). Any number of workers, on any machines, may serve a queue.
type Worker struct {
	// URL is the NATS server, nats://HOST:4222.
	URL string
	// Resolver rebuilds tournaments from their Meta (tournament.Rebuild;
	// Agent and Scenario are required). The specs and references come
	// from whoever can publish on the queue's subjects, not necessarily
	// from the operator of the worker: Scenario must refuse a reference
	// the operator did not allow (a path such as /etc/passwd) without
	// reading it. Its errors go to the worker's log only: the records sent
	// back name the agent or scenario that could not be loaded, never the
	// error's text, which may quote the file. The worker caches what it
	// returns, errors included, for its lifetime.
	Resolver tournament.Resolver
	// Options configure the queue; Batch is the coordinator's and unused
	// here.
	Options Options
	// Concurrency is the number of jobs run in parallel (0 means
	// GOMAXPROCS).
	Concurrency int
	// Name is recorded in every Record.Worker (default host:pid).
	Name string
	// Limit is the wall-time limit of one negotiation (tournament.Config
	// Limit; 0: none).
	Limit time.Duration
	// IdleExit, when positive, makes Run return after the queue has had no
	// job for this long (for batch jobs that should end with the work).
	IdleExit time.Duration
	// GiveUp is how long jobs that cannot be set up (an agent or scenario
	// that does not load here) are handed back to other workers before
	// this worker records them as errors (default 10m; Options.MaxDeliver
	// refusals are needed as well).
	GiveUp time.Duration
	// Logf, when set, receives one line per notable event: connection,
	// a new tournament, a redelivered batch, a job that cannot be set up.
	Logf func(format string, args ...any)
}

// workerState is what a running Worker shares among its goroutines.
type workerState struct {
	w    *Worker
	opt  Options
	js   jetstream.JetStream
	nc   *nats.Conn
	cons jetstream.Consumer
	name string
	max  int // largest message body
	// resolver is the Worker's, cached.
	resolver tournament.Resolver

	mu    sync.Mutex
	tours map[string]*tour
}

// tour is one tournament known to a worker, set up once.
type tour struct {
	once sync.Once
	cfg  *tournament.Config
	err  error
}

// Run serves the queue. It returns nil when ctx ends (a job in progress is
// handed back to the queue at once), also while still connecting, or after
// IdleExit without jobs; and an error when the server cannot be reached
// (after Options.Attempts attempts) or, once connected, stays lost for
// longer than Options.ReconnectFor (by default it waits for the server
// however long it takes).
func (w *Worker) Run(ctx context.Context) error {
	if w.Resolver.Agent == nil || w.Resolver.Scenario == nil {
		return errors.New("natsq: worker without a resolver for agents and scenarios")
	}
	if err := negative(map[string]any{"Concurrency": w.Concurrency, "Limit": w.Limit, "IdleExit": w.IdleExit, "GiveUp": w.GiveUp}); err != nil {
		return err
	}
	if err := w.Options.Validate(); err != nil {
		return err
	}
	opt := w.Options.withDefaults()
	if opt.Logf == nil {
		opt.Logf = w.Logf
	}
	s, err := w.setup(ctx, &opt)
	if err != nil {
		if ctx.Err() != nil { // stopped while connecting
			return nil
		}
		return err
	}
	defer s.nc.Close()
	k := w.Concurrency
	if k == 0 {
		k = runtime.GOMAXPROCS(0)
	}
	w.logf("worker %s: serving %s with %d goroutines", s.name, redact(w.URL), k)

	// One goroutine fetches messages, k run them, and one acknowledges
	// each message once the server has stored its results. The fetcher
	// holds one message ready beyond those being run: enough that no
	// runner waits for the network, few enough that an idle worker
	// elsewhere is not kept waiting at the end of a tournament.
	held := make(chan heldMsg)
	acks := make(chan pendingAck, 4*k)
	fetchErr := make(chan error, 1)
	go func() { fetchErr <- s.fetch(ctx, held) }()
	var workers sync.WaitGroup
	for range k {
		workers.Add(1)
		go func() {
			defer workers.Done()
			runners := map[string]*tournament.Runner{}
			defer func() {
				for _, r := range runners {
					r.Close()
				}
			}()
			for h := range held {
				s.handle(ctx, h, runners, acks)
			}
		}()
	}
	ackerDone := make(chan struct{})
	go func() {
		defer close(ackerDone)
		for p := range acks {
			p.wait(s)
		}
	}()
	workers.Wait()
	close(acks)
	<-ackerDone
	return <-fetchErr
}

// setup connects to the queue and finds the workers' consumer, creating
// what is missing.
func (w *Worker) setup(ctx context.Context, opt *Options) (*workerState, error) {
	nc, js, err := connect(ctx, w.URL, opt, opt.Logf)
	if err != nil {
		return nil, err
	}
	cons, err := func() (jetstream.Consumer, error) {
		if _, err := ensureStreams(ctx, js, opt); err != nil {
			return nil, err
		}
		if err := ensureWorkersConsumer(ctx, js, opt, false); err != nil {
			return nil, err
		}
		cons, err := js.Consumer(ctx, opt.jobsStream(), workersConsumer)
		if err != nil {
			return nil, fmt.Errorf("natsq: consumer %s on %s: %w", workersConsumer, opt.jobsStream(), err)
		}
		return cons, nil
	}()
	if err != nil {
		nc.Close()
		return nil, err
	}
	s := &workerState{w: w, opt: *opt, js: js, nc: nc, cons: cons, name: w.Name,
		max: int(nc.MaxPayload()) - 1024, resolver: cached(w.Resolver), tours: map[string]*tour{}}
	if s.name == "" {
		s.name = defaultName()
	}
	return s, nil
}

func (w *Worker) logf(format string, args ...any) {
	if w.Logf != nil {
		w.Logf(format, args...)
	}
}

// poll is how long one fetch waits for a job; apiTimeout bounds the
// worker's other requests to the server.
const (
	poll       = 5 * time.Second
	apiTimeout = 5 * time.Second
)

// heldMsg is a message a worker holds, with the stop of its heartbeat.
type heldMsg struct {
	msg  jetstream.Msg
	stop func()
}

// pendingAck is a message whose results are being published.
type pendingAck struct {
	heldMsg
	tid     string
	futures []jetstream.PubAckFuture
}

// wait acknowledges the message once every result is stored, or hands it
// back to the queue if one was not (a future fails at the latest after the
// publish timeout, also when the connection is lost).
func (p pendingAck) wait(s *workerState) {
	defer p.stop()
	for _, f := range p.futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			s.w.logf("worker %s: tournament %s: publish results: %v", s.name, p.tid, err)
			_ = p.msg.Nak()
			return
		}
	}
	_ = p.msg.Ack()
}

// fetch takes messages from the workers' consumer one at a time, starts
// their heartbeats and hands them to the worker goroutines through held,
// which it closes when ctx ends, when IdleExit passes without a message or
// when the connection is lost for good (then returning an error).
func (s *workerState) fetch(ctx context.Context, held chan<- heldMsg) error {
	defer close(held)
	idleSince, infoAt := time.Now(), time.Now()
	for {
		if ctx.Err() != nil {
			return nil
		}
		if time.Since(infoAt) > 10*time.Second {
			ictx, cancel := context.WithTimeout(ctx, apiTimeout)
			_, _ = s.cons.Info(ictx) // refreshes CachedInfo (AckWait)
			cancel()
			infoAt = time.Now()
		}
		if s.w.IdleExit > 0 && time.Since(idleSince) >= s.w.IdleExit {
			s.w.logf("worker %s: no job for %v: exiting", s.name, s.w.IdleExit)
			return nil
		}
		wait := poll
		if s.w.IdleExit > 0 {
			wait = max(min(wait, s.w.IdleExit-time.Since(idleSince)), 100*time.Millisecond)
		}
		fctx, cancel := context.WithTimeout(ctx, wait)
		msg, err := s.cons.Next(jetstream.FetchContext(fctx))
		cancel()
		if err != nil {
			switch {
			case ctx.Err() != nil:
				return nil
			case s.nc.IsClosed():
				return fmt.Errorf("natsq: lost the queue at %s and gave up reconnecting after %v: %w", redact(s.w.URL), s.opt.ReconnectFor, err)
			case !s.nc.IsConnected(): // an outage: the client reconnects (and logs)
				if werr := waitConnected(ctx, s.nc, s.w.URL); werr != nil {
					if ctx.Err() != nil {
						return nil
					}
					return fmt.Errorf("%w after %v: %w", werr, s.opt.ReconnectFor, err)
				}
			case errors.Is(err, nats.ErrTimeout), errors.Is(err, context.DeadlineExceeded), errors.Is(err, jetstream.ErrNoMessages):
			case errors.Is(err, nats.ErrNoResponders), errors.Is(err, jetstream.ErrConsumerNotFound), errors.Is(err, jetstream.ErrStreamNotFound):
				// A server restarted without its store: create the streams
				// and the consumer again, and wait for jobs.
				// (Bounded: a request sent while the server comes back may
				// never be answered.)
				ectx, cancel := context.WithTimeout(ctx, apiTimeout)
				_, eerr := ensureStreams(ectx, s.js, &s.opt)
				if eerr == nil {
					eerr = ensureWorkersConsumer(ectx, s.js, &s.opt, false)
				}
				cancel()
				if eerr != nil {
					s.w.logf("worker %s: fetch: %v; creating the queue's streams: %v", s.name, err, eerr)
				}
				if !sleepCtx(ctx, time.Second) {
					return nil
				}
			default:
				s.w.logf("worker %s: fetch: %v", s.name, err)
				if !sleepCtx(ctx, time.Second) {
					return nil
				}
			}
			continue
		}
		h := heldMsg{msg: msg, stop: s.heartbeat(msg)}
		select {
		case held <- h:
		case <-ctx.Done():
			h.stop()
			_ = msg.Nak()
			return nil
		}
		idleSince = time.Now()
	}
}

// handle runs one jobs message. Every path acknowledges, naks or
// terminates the message, or passes it on to acks.
func (s *workerState) handle(ctx context.Context, h heldMsg, runners map[string]*tournament.Runner, acks chan<- pendingAck) {
	msg := h.msg
	done := true // stop the heartbeat on return
	defer func() {
		if done {
			h.stop()
		}
	}()
	if ctx.Err() != nil { // stopping: give the batch back at once
		_ = msg.Nak()
		return
	}
	jm, err := decodeJobs(msg.Data())
	if err != nil {
		s.w.logf("worker %s: dropping a message on %s: %v", s.name, msg.Subject(), err)
		_ = msg.TermWithReason(err.Error())
		return
	}
	dv := delivery{n: 1, since: time.Now()}
	if md, err := msg.Metadata(); err == nil {
		dv = delivery{seq: md.Sequence.Stream, n: md.NumDelivered, since: md.Timestamp}
	}
	if h := msg.Headers(); h != nil { // refused before: see refuse
		if r, err := strconv.Atoi(h.Get(hdrRefusals)); err == nil && r > 0 {
			dv.refusals = r
		}
		if t, err := time.Parse(time.RFC3339Nano, h.Get(hdrSince)); err == nil {
			dv.since = t
		}
	}
	jobs := jm.Jobs
	t := s.tour(jm)
	if t.err != nil {
		s.refuse(ctx, msg, jm, dv, t.err)
		return
	}
	if dv.n > 1 && len(jobs) > 1 {
		s.split(ctx, msg, jm, dv)
		return
	}
	if dv.n >= uint64(s.opt.MaxDeliver) {
		s.fail(ctx, msg, jm, dv.seq, fmt.Sprintf("natsq: job delivered %d times without a result (its workers died or were stopped while running it)", dv.n))
		return
	}
	r := runners[jm.TID]
	if r == nil {
		if len(runners) >= 16 { // forget old tournaments
			for _, r := range runners {
				r.Close()
			}
			clear(runners)
		}
		if r, err = tournament.NewRunner(t.cfg, tournament.RunnerOptions{Worker: s.name}); err != nil {
			s.refuse(ctx, msg, jm, dv, err)
			return
		}
		runners[jm.TID] = r
	}
	recs := make([]tournament.Record, 0, len(jobs))
	for _, j := range jobs {
		rec, err := s.run(ctx, t.cfg, r, j)
		if err != nil {
			if ctx.Err() != nil {
				_ = msg.Nak()
				return
			}
			s.refuse(ctx, msg, jm, dv, err)
			return
		}
		recs = append(recs, rec)
	}
	futures, err := s.publishAsync(jm.TID, recs, dv.seq)
	if err != nil {
		s.w.logf("worker %s: tournament %s: publish results: %v", s.name, jm.TID, err)
		_ = msg.Nak()
		return
	}
	done = false
	acks <- pendingAck{heldMsg: h, tid: jm.TID, futures: futures}
}

// run runs one job after checking that this worker enumerates the
// tournament as the coordinator does.
func (s *workerState) run(ctx context.Context, cfg *tournament.Config, r *tournament.Runner, j tournament.Job) (tournament.Record, error) {
	want, err := tournament.JobAt(cfg, j.ID)
	if err != nil {
		return tournament.Record{}, err
	}
	if want.Scenario != j.Scenario || !slices.Equal(want.Agents, j.Agents) || want.Rep != j.Rep || want.Seed != j.Seed {
		return tournament.Record{}, &publicError{fmt.Sprintf("natsq: job %d is %+v on the coordinator but %+v on worker %s: do they run the same parley version?", j.ID, j, want, s.name), nil}
	}
	return r.Run(ctx, j)
}

// heartbeat tells the server every AckWait/3 (at most every second) that
// msg is still being worked on, until the returned stop is called. The
// worker reads AckWait from the consumer every 10s, so a coordinator that
// shortens it is followed.
func (s *workerState) heartbeat(msg jetstream.Msg) (stop func()) {
	every := s.opt.AckWait / 3
	if info := s.cons.CachedInfo(); info != nil && info.Config.AckWait > 0 {
		every = info.Config.AckWait / 3
	}
	every = min(every, time.Second)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// tour returns the tournament of a message, set up on first use.
func (s *workerState) tour(jm *jobsMsg) *tour {
	s.mu.Lock()
	t := s.tours[jm.TID]
	if t == nil {
		if len(s.tours) >= 16 { // forget old tournaments
			clear(s.tours)
		}
		t = &tour{}
		s.tours[jm.TID] = t
	}
	s.mu.Unlock()
	t.once.Do(func() {
		t.cfg, t.err = s.setup(jm.Meta)
		if t.err == nil {
			s.w.logf("worker %s: tournament %s: %d agents, %d scenarios, %d negotiations", s.name, jm.TID,
				len(jm.Meta.Agents), len(jm.Meta.Scenarios), jm.Meta.Planned)
		}
	})
	return t
}

// setup rebuilds the tournament of m through the resolver and checks that
// it has the same identity here as on the coordinator.
func (s *workerState) setup(m tournament.Meta) (*tournament.Config, error) {
	cfg, err := tournament.Rebuild(m, s.resolver, s.w.Limit)
	var re *tournament.RebuildError
	switch {
	case errors.As(err, &re) && re.Role != "":
		return nil, &publicError{fmt.Sprintf("natsq: worker %s cannot load %s %q (its log says why)", s.name, re.Role, re.Name), re.Err}
	case re != nil:
		return nil, &publicError{fmt.Sprintf("natsq: worker %s cannot set the tournament up (its log says why)", s.name), re.Err}
	case err != nil: // names only the Meta's own values
		return nil, &publicError{fmt.Sprintf("natsq: worker %s: %v", s.name, err), nil}
	}
	got, err := cfg.Meta()
	if err != nil {
		return nil, &publicError{fmt.Sprintf("natsq: worker %s cannot set the tournament up (its log says why)", s.name), err}
	}
	if !reflect.DeepEqual(got, m) {
		return nil, &publicError{fmt.Sprintf("natsq: the tournament rebuilt on worker %s (%+v) differs from the coordinator's (%+v): do they run the same parley version?", s.name, got, m), nil}
	}
	return cfg, nil
}

// cached returns r with its Agent, Scenario, Mediator and Voter
// remembering their answers, errors included (the same spec or reference
// recurs in every job message).
func cached(r tournament.Resolver) tournament.Resolver {
	r.Agent = memo(r.Agent)
	r.Scenario = memo(r.Scenario)
	r.Mediator = memo(r.Mediator)
	r.Voter = memo(r.Voter)
	return r
}

// memoLimit bounds a memo: names come from the queue, so a publisher must
// not grow a worker's memory without bound.
const memoLimit = 1024

// memo returns f remembering its answers, computing each once even when
// asked from several goroutines; nil for a nil f.
func memo[T any](f func(string) (T, error)) func(string) (T, error) {
	if f == nil {
		return nil
	}
	type entry struct {
		once sync.Once
		v    T
		err  error
	}
	var mu sync.Mutex
	m := map[string]*entry{}
	return func(k string) (T, error) {
		mu.Lock()
		e := m[k]
		if e == nil {
			if len(m) >= memoLimit {
				clear(m)
			}
			e = &entry{}
			m[k] = e
		}
		mu.Unlock()
		e.once.Do(func() { e.v, e.err = f(k) })
		return e.v, e.err
	}
}

// publicError is an error whose first part, msg, may be sent back in a
// record: it says what failed, naming only what the job itself named.
// The cause, err, goes to the worker's log only (it may quote a file).
type publicError struct {
	msg string
	err error
}

func (e *publicError) Error() string {
	if e.err == nil {
		return e.msg
	}
	return e.msg + ": " + e.err.Error()
}

func (e *publicError) Unwrap() error { return e.err }

// public returns what of err may travel in a record: a publicError's
// message, or a generic sentence.
func public(err error, worker string) string {
	var pe *publicError
	if errors.As(err, &pe) {
		return pe.msg
	}
	return fmt.Sprintf("natsq: worker %s cannot run the job (its log says why)", worker)
}

// delivery is what the server and earlier workers say about a message.
type delivery struct {
	seq      uint64    // stream sequence
	n        uint64    // deliveries of this message, this one included
	refusals int       // times its jobs were refused (handed back) before
	since    time.Time // when its jobs were first published
}

// Headers of a refused message published again.
const (
	hdrRefusals = "Parley-Refusals"
	hdrSince    = "Parley-Since"
)

// refuse hands back a message this worker cannot run (an agent or
// scenario it cannot load, a tournament it enumerates differently) for
// another worker: after a delay growing with each refusal up to 30s, it
// publishes the jobs again as a new message counting the refusal, and
// acknowledges this one. (A new message, rather than a nak, keeps the
// server's delivery count for dead workers.) Once the jobs have been
// refused MaxDeliver times and have waited GiveUp, the worker records them
// as errors instead, so that a tournament no worker can run ends and its
// report shows the cause; a misconfigured worker among good ones costs
// delays, not errors.
func (s *workerState) refuse(ctx context.Context, msg jetstream.Msg, jm *jobsMsg, dv delivery, err error) {
	giveUp := s.w.GiveUp
	if giveUp == 0 {
		giveUp = defaultGiveUp
	}
	if dv.refusals+1 >= s.opt.MaxDeliver && time.Since(dv.since) >= giveUp {
		s.w.logf("worker %s: tournament %s: %v", s.name, jm.TID, err)
		s.fail(ctx, msg, jm, dv.seq, fmt.Sprintf("natsq: no worker could run the job (%d attempts over %v); last error: %s",
			dv.refusals+1, time.Since(dv.since).Round(time.Second), public(err, s.name)))
		return
	}
	s.w.logf("worker %s: tournament %s: %v (handing its jobs back)", s.name, jm.TID, err)
	if !sleepCtx(ctx, min(time.Duration(dv.refusals+1)*time.Second, 30*time.Second)) {
		_ = msg.Nak()
		return
	}
	m := nats.NewMsg(s.opt.jobsSubject(jm.TID))
	m.Data = msg.Data()
	m.Header.Set(jetstream.MsgIDHeader, jm.TID+".refused."+strconv.FormatUint(dv.seq, 10))
	m.Header.Set(hdrRefusals, strconv.Itoa(dv.refusals+1))
	m.Header.Set(hdrSince, dv.since.UTC().Format(time.RFC3339Nano))
	if _, err := s.js.PublishMsg(ctx, m); err != nil {
		_ = msg.Nak()
		return
	}
	_ = msg.Ack()
}

// defaultGiveUp is Worker.GiveUp's default.
const defaultGiveUp = 10 * time.Minute

// split republishes a redelivered batch as single-job messages, so that a
// job that kills its workers does not take its batch with it, then
// acknowledges the batch.
func (s *workerState) split(ctx context.Context, msg jetstream.Msg, jm *jobsMsg, dv delivery) {
	seq := dv.seq
	s.w.logf("worker %s: tournament %s: batch %d delivered %d times: splitting its %d jobs", s.name, jm.TID, seq, dv.n, len(jm.Jobs))
	subject := s.opt.jobsSubject(jm.TID)
	for _, j := range jm.Jobs {
		m := nats.NewMsg(subject)
		m.Data = encodeJobs(jm.TID, jm.Meta, []tournament.Job{j})
		m.Header.Set(jetstream.MsgIDHeader, jm.TID+".split."+strconv.FormatUint(seq, 10)+"."+strconv.FormatInt(j.ID, 10))
		if _, err := s.js.PublishMsg(ctx, m); err != nil {
			s.w.logf("worker %s: tournament %s: split batch %d: %v", s.name, jm.TID, seq, err)
			_ = msg.Nak()
			return
		}
	}
	_ = msg.Ack()
}

// fail publishes an error record for every job of the message and
// acknowledges it: the tournament goes on and the report shows the cause.
func (s *workerState) fail(ctx context.Context, msg jetstream.Msg, jm *jobsMsg, seq uint64, cause string) {
	s.w.logf("worker %s: tournament %s: recording %d jobs as errors: %s", s.name, jm.TID, len(jm.Jobs), cause)
	recs := make([]tournament.Record, len(jm.Jobs))
	for i, j := range jm.Jobs {
		recs[i] = failRecord(jm.Meta, j, s.name, cause)
	}
	if err := s.publish(ctx, jm.TID, recs, seq); err != nil {
		_ = msg.Nak()
		return
	}
	_ = msg.Ack()
}

// failRecord is the record of a job that could not run: no agreement, no
// utilities (the worker may have no scenario to take reservation values
// from).
func failRecord(m tournament.Meta, j tournament.Job, worker, cause string) tournament.Record {
	rec := tournament.Record{JobID: j.ID, Rep: j.Rep, Reason: parley.ReasonError.String(), Error: cause, Worker: worker,
		Agents: make([]string, len(j.Agents))}
	if j.Scenario >= 0 && j.Scenario < len(m.Scenarios) {
		rec.Scenario = m.Scenarios[j.Scenario]
	}
	for i, a := range j.Agents {
		if a >= 0 && a < len(m.Agents) {
			rec.Agents[i] = m.Agents[a]
		}
	}
	if j.Mediator >= 0 && j.Mediator < len(m.Mediators) {
		rec.Mediator = m.Mediators[j.Mediator]
	}
	if j.Voters != nil {
		rec.Voters = make([]string, len(j.Voters))
		for i, v := range j.Voters {
			if v >= 0 && v < len(m.Voters) {
				rec.Voters[i] = m.Voters[v]
			}
		}
	}
	return rec
}

// resultMsgs returns the messages carrying the records of jobs message
// seq, as many as the server's payload limit needs.
func (s *workerState) resultMsgs(tid string, recs []tournament.Record, seq uint64) []*nats.Msg {
	parts := encodeResults(tid, recs, s.max)
	subject := s.opt.resultsSubject(tid)
	msgs := make([]*nats.Msg, len(parts))
	for i, p := range parts {
		m := nats.NewMsg(subject)
		m.Data = p.body
		m.Header.Set(jetstream.MsgIDHeader, tid+".r."+strconv.FormatUint(seq, 10)+"."+p.key)
		msgs[i] = m
	}
	return msgs
}

// publishAsync starts publishing the records on the results stream and
// returns the futures of the server's acknowledgements.
func (s *workerState) publishAsync(tid string, recs []tournament.Record, seq uint64) ([]jetstream.PubAckFuture, error) {
	msgs := s.resultMsgs(tid, recs, seq)
	futures := make([]jetstream.PubAckFuture, len(msgs))
	for i, m := range msgs {
		var err error
		if futures[i], err = s.js.PublishMsgAsync(m); err != nil {
			return nil, err
		}
	}
	return futures, nil
}

// publish stores the records on the results stream and waits for the
// server's acknowledgement.
func (s *workerState) publish(ctx context.Context, tid string, recs []tournament.Record, seq uint64) error {
	for _, m := range s.resultMsgs(tid, recs, seq) {
		if _, err := s.js.PublishMsg(ctx, m); err != nil {
			return err
		}
	}
	return nil
}
