package natsq

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/parley-dev/parley/tournament"
)

// Queue is the coordinator's side of a tournament on NATS JetStream: it
// publishes jobs for workers and streams their results back. One Queue
// serves one tournament (the Meta of its first Publish). Its methods are
// safe for concurrent use.
type Queue struct {
	url  string
	opt  Options
	nc   *nats.Conn
	js   jetstream.JetStream
	jobs jetstream.Stream

	session string // distinguishes this coordinator's messages from a previous one's

	mu    sync.Mutex
	tid   string        // set by the first Publish
	ready chan struct{} // closed by the first Publish

	closeOnce sync.Once
	closed    chan struct{}
	wg        sync.WaitGroup
}

var _ tournament.Queue = (*Queue)(nil)

// Dial connects to the NATS server(s) at url (nats://HOST:4222; several
// comma-separated URLs of one cluster are allowed) and creates the streams
// and the workers' consumer if they are missing. An explicit opt.AckWait is
// set on the consumer; without one, an existing consumer keeps its own
// (operators may tune it with the nats CLI). An unreachable server is an
// error naming url after opt.Attempts attempts.
func Dial(ctx context.Context, url string, opt Options) (*Queue, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	setAckWait := opt.AckWait > 0
	opt = opt.withDefaults()
	nc, js, err := connect(ctx, url, &opt, opt.Logf)
	if err != nil {
		return nil, err
	}
	jobs, err := ensureStreams(ctx, js, &opt)
	if err == nil {
		err = ensureWorkersConsumer(ctx, js, &opt, setAckWait)
	}
	if err != nil {
		nc.Close()
		return nil, err
	}
	return &Queue{url: url, opt: opt, nc: nc, js: js, jobs: jobs, session: rand.Text(),
		ready: make(chan struct{}), closed: make(chan struct{})}, nil
}

// Publish queues jobs of the tournament m for the workers, Options.Batch
// jobs per message, and returns once the server has stored them all. The
// first call purges the jobs a previous coordinator of the same tournament
// left queued (the caller publishes every job its store lacks). Publishing
// the same jobs again within two minutes queues nothing (Nats-Msg-Id); a
// job published twice after that runs twice and its second result is
// ignored by the store.
func (q *Queue) Publish(ctx context.Context, m tournament.Meta, jobs []tournament.Job) error {
	tid := tournamentID(m)
	q.mu.Lock()
	defer q.mu.Unlock()
	select {
	case <-q.closed:
		return errors.New("natsq: publish on a closed queue")
	default:
	}
	first := q.tid == ""
	if !first && q.tid != tid {
		return fmt.Errorf("natsq: queue already serves tournament %s, not %s: use one Queue per tournament", q.tid, tid)
	}
	for _, j := range jobs {
		if j.ID < 0 || j.ID >= m.Planned {
			return fmt.Errorf("natsq: job %d outside the tournament's %d jobs", j.ID, m.Planned)
		}
	}
	subject := q.opt.jobsSubject(tid)
	if first {
		if err := q.jobs.Purge(ctx, jetstream.WithPurgeSubject(subject)); err != nil {
			return fmt.Errorf("natsq: purge stale jobs of tournament %s: %w", tid, err)
		}
	}
	max := int(q.nc.MaxPayload()) - 1024 // room for headers
	var msgs []*nats.Msg
	var add func(js []tournament.Job)
	add = func(js []tournament.Job) {
		b := encodeJobs(tid, m, js)
		if len(b) > max && len(js) > 1 {
			add(js[:len(js)/2])
			add(js[len(js)/2:])
			return
		}
		msg := nats.NewMsg(subject)
		msg.Data = b
		msg.Header.Set(jetstream.MsgIDHeader, tid+"."+q.session+"."+jobsKey(js))
		msgs = append(msgs, msg)
	}
	for start := 0; start < len(jobs); start += q.opt.Batch {
		add(jobs[start:min(start+q.opt.Batch, len(jobs))])
	}
	if err := q.publishAll(ctx, msgs); err != nil {
		return fmt.Errorf("natsq: publish jobs of tournament %s to %s: %w", tid, redact(q.url), err)
	}
	if first {
		q.tid = tid
		close(q.ready)
	}
	return nil
}

// publishAll publishes msgs asynchronously and waits for every
// acknowledgement; a failed message is published again (its Nats-Msg-Id
// makes the retry safe) up to three times, not counting the failures
// while the server was lost: those wait for it to come back.
func (q *Queue) publishAll(ctx context.Context, msgs []*nats.Msg) error {
	for try := 0; len(msgs) > 0; try++ {
		if !q.nc.IsConnected() {
			if err := waitConnected(ctx, q.nc, q.url); err != nil {
				return err
			}
			try = 0
		}
		futures := make([]jetstream.PubAckFuture, 0, len(msgs))
		var failed []*nats.Msg
		var lastErr error
		for _, m := range msgs {
			f, err := q.js.PublishMsgAsync(m)
			if err != nil {
				failed, lastErr = append(failed, m), err
				continue
			}
			futures = append(futures, f)
		}
		for _, f := range futures {
			select {
			case <-f.Ok():
			case err := <-f.Err():
				failed, lastErr = append(failed, f.Msg()), err
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if len(failed) == 0 {
			return nil
		}
		if try == 3 && q.nc.IsConnected() {
			return fmt.Errorf("%d messages not stored: %w", len(failed), lastErr)
		}
		msgs = failed
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(try+1) * 250 * time.Millisecond):
		}
	}
	return nil
}

// jobsKey names a batch by its first job id, size and a hash of its ids.
func jobsKey(js []tournament.Job) string {
	h := fnv.New64a()
	var b [8]byte
	for _, j := range js {
		binary.LittleEndian.PutUint64(b[:], uint64(j.ID))
		h.Write(b[:])
	}
	return strconv.FormatInt(js[0].ID, 10) + "-" + strconv.Itoa(len(js)) + "-" + strconv.FormatUint(h.Sum64(), 36)
}

// Results streams the records workers publish for the tournament of the
// first Publish (it waits for that call), including those published before
// a restart of the coordinator. A record may come more than once. While
// the server is away the stream waits for it (Options.ReconnectFor). The
// channel closes when ctx ends, the queue is closed or the client gives up
// reconnecting.
func (q *Queue) Results(ctx context.Context) (<-chan tournament.Record, error) {
	select {
	case <-q.closed:
		return nil, errors.New("natsq: results of a closed queue")
	default:
	}
	ch := make(chan tournament.Record, 1024)
	q.wg.Add(1)
	go func() {
		defer q.wg.Done()
		defer close(ch)
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() { // Close ends the reader as ctx does
			select {
			case <-q.closed:
				cancel()
			case <-ctx.Done():
			}
		}()
		select {
		case <-q.ready:
		case <-ctx.Done():
			return
		}
		q.readResults(ctx, ch)
	}()
	return ch, nil
}

// readResults forwards the results of the queue's tournament to ch until
// ctx ends, acknowledging each message once its records are handed over.
func (q *Queue) readResults(ctx context.Context, ch chan<- tournament.Record) {
	q.mu.Lock()
	tid := q.tid
	q.mu.Unlock()
	var cons jetstream.Consumer
	for {
		var err error
		cctx, cancel := context.WithTimeout(ctx, apiTimeout) // a request lost in an outage is not answered
		cons, err = q.js.CreateOrUpdateConsumer(cctx, q.opt.resultsStream(), jetstream.ConsumerConfig{
			Durable:           "coordinator-" + tid,
			Description:       "Parley coordinator of tournament " + tid,
			FilterSubject:     q.opt.resultsSubject(tid),
			AckPolicy:         jetstream.AckExplicitPolicy,
			AckWait:           time.Minute,
			MaxDeliver:        -1,
			InactiveThreshold: resultsMaxAge,
		})
		cancel()
		if err == nil {
			break
		}
		if q.nc.IsClosed() { // gave up reconnecting
			return
		}
		if !sleepCtx(ctx, time.Second) {
			return
		}
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(64))
	if err != nil {
		return
	}
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	defer it.Stop()
	for {
		msg, err := it.Next()
		if err != nil {
			if errors.Is(err, jetstream.ErrMsgIteratorClosed) || ctx.Err() != nil || q.nc.IsClosed() {
				return
			}
			if !sleepCtx(ctx, 100*time.Millisecond) { // a missed heartbeat while reconnecting
				return
			}
			continue
		}
		rm, err := decodeResults(msg.Data())
		if err != nil || rm.TID != tid {
			_ = msg.TermWithReason(fmt.Sprint("parley coordinator: ", err))
			continue
		}
		for _, r := range rm.Records {
			select {
			case ch <- r:
			case <-ctx.Done():
				return // not acknowledged: read again by the next coordinator
			}
		}
		_ = msg.Ack()
	}
}

// Close stops the result streams and closes the connection. Jobs and
// results left on the server stay there for workers and for a coordinator
// that resumes the tournament.
func (q *Queue) Close() error {
	q.closeOnce.Do(func() {
		close(q.closed)
		q.wg.Wait()
		q.nc.Close()
	})
	return nil
}

// waitConnected waits until the client has reconnected to the server; it
// returns an error when ctx ends or the client gives up.
func waitConnected(ctx context.Context, nc *nats.Conn, url string) error {
	for !nc.IsConnected() {
		if nc.IsClosed() {
			return fmt.Errorf("natsq: lost the queue at %s and gave up reconnecting", redact(url))
		}
		if !sleepCtx(ctx, 50*time.Millisecond) {
			return ctx.Err()
		}
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
