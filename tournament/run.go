package tournament

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-dev/parley"
)

// Shard selects the jobs with ID % Count == Index, so that Count
// independent processes (batch-scheduler array jobs) share a tournament;
// their stores are merged afterwards. The zero value is the whole
// tournament.
type Shard struct {
	Index, Count int
}

// ParseShard reads "i/n" (0 <= i < n).
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("tournament: shard %q: want i/n, e.g. 0/4", s)
	}
	sh := Shard{Index: i, Count: n}
	return sh, sh.Validate()
}

// Validate names what is wrong with the shard.
func (s Shard) Validate() error {
	if s == (Shard{}) {
		return nil
	}
	if s.Count < 1 || s.Index < 0 || s.Index >= s.Count {
		return fmt.Errorf("tournament: shard %d/%d: want 0 <= i < n", s.Index, s.Count)
	}
	return nil
}

// Has reports whether job id belongs to the shard.
func (s Shard) Has(id int64) bool { return s.Count <= 1 || id%int64(s.Count) == int64(s.Index) }

// String returns "i/n".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, max(s.Count, 1)) }

// RunOptions configure Run.
type RunOptions struct {
	// Progress, when set, is called from one goroutine as results are
	// stored: done of total jobs of this invocation (jobs already stored
	// are not counted in either).
	Progress func(done, total int64)
	// Shard restricts the run to a share of the jobs.
	Shard Shard
	// Queue, when set, sends the jobs to remote workers and stores the
	// results they send back instead of running them here.
	Queue Queue
	// Batch is the number of records written per transaction (default
	// 2000).
	Batch int
	// Flush is the longest a finished result waits before being written
	// (default 200ms): at most this much work is lost when the process is
	// killed.
	Flush time.Duration
	// Worker names this process in Record.Worker (default host:pid).
	Worker string
}

// Summary says what a Run did.
type Summary struct {
	Planned    int64 `json:"planned"`    // negotiations of the tournament (Count)
	Selected   int64 `json:"selected"`   // of those, in this shard
	Skipped    int64 `json:"skipped"`    // already stored when Run started
	Ran        int64 `json:"ran"`        // run and stored now, by this process
	Agreements int64 `json:"agreements"` // of Ran, ended in agreement
	Errors     int64 `json:"errors"`     // of Ran, ended in error
	// Duplicates are runs this process finished (or received from the
	// queue) whose results the store already held: another process
	// writing the same store stored them first. They are not in Ran.
	Duplicates int64         `json:"duplicates"`
	Elapsed    time.Duration `json:"elapsed"`
}

// Rate returns the negotiations stored per second.
func (s Summary) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Ran) / s.Elapsed.Seconds()
}

// Stopped explains err, the error of a Run that returned s, to whoever
// resumes it: a cancelled run says how many runs it stored and how many
// the store (named where) now holds; a run that failed after selecting
// its runs adds what is stored; any other error is returned as it is.
// Running the same tournament again on the same store continues it.
func (s Summary) Stopped(err error, where string) error {
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("tournament: interrupted after storing %d runs (%d of %d now stored in %s): run the same command to continue",
			s.Ran, s.Skipped+s.Ran+s.Duplicates, s.Selected, where)
	}
	if s.Selected > 0 { // it stopped after storing what it had
		return fmt.Errorf("%w\ntournament: %d of %d runs are stored in %s: run the same command to continue", err,
			s.Skipped+s.Ran+s.Duplicates, s.Selected, where)
	}
	return err
}

// chunk is the number of consecutive job ids a worker claims at a time.
const chunk = 64

// Run runs the tournament (or opt.Shard of it) and stores every result in
// st, skipping the jobs st already holds: run again after an interruption,
// it continues where it stopped, running no job twice. Negotiations run on
// cfg.Workers goroutines (or on remote workers through opt.Queue); one
// goroutine writes the records in batches of opt.Batch. Run returns when
// every selected job is stored, or with ctx's error after storing the
// results finished so far.
func Run(ctx context.Context, cfg *Config, st Store, opt RunOptions) (Summary, error) {
	start := time.Now()
	if err := opt.Shard.Validate(); err != nil {
		return Summary{}, err
	}
	p, err := cfg.prepare()
	if err != nil {
		return Summary{}, err
	}
	meta, err := cfg.Meta()
	if err != nil {
		return Summary{}, err
	}
	done, err := st.Open(ctx, meta)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Planned: meta.Planned}
	for id := int64(0); id < meta.Planned; id++ {
		if opt.Shard.Has(id) {
			sum.Selected++
			if done(id) {
				sum.Skipped++
			}
		}
	}
	if opt.Batch <= 0 {
		opt.Batch = 2000
	}
	if opt.Flush <= 0 {
		opt.Flush = 200 * time.Millisecond
	}
	if opt.Worker == "" {
		opt.Worker = DefaultWorker()
	}
	w := &writer{st: st, opt: &opt, sum: &sum, total: sum.Selected - sum.Skipped}
	if opt.Progress != nil {
		opt.Progress(0, w.total)
	}
	if opt.Queue != nil {
		err = runQueue(ctx, cfg, p, meta, done, opt, w)
	} else {
		err = runLocal(ctx, cfg, p, done, opt, w)
	}
	sum.Elapsed = time.Since(start)
	return sum, err
}

// writer batches records into the store and keeps the summary.
type writer struct {
	st    Store
	opt   *RunOptions
	sum   *Summary
	total int64
	batch []Record
}

func (w *writer) add(rs ...Record) {
	w.batch = append(w.batch, rs...)
}

func (w *writer) flush(ctx context.Context) error {
	if len(w.batch) == 0 {
		return nil
	}
	n, err := w.st.Write(ctx, w.batch)
	if err != nil {
		return err
	}
	if n < 0 || n > len(w.batch) {
		return fmt.Errorf("tournament: the store says it stored %d of %d records", n, len(w.batch))
	}
	w.sum.Duplicates += int64(len(w.batch) - n)
	for i := range w.batch[:n] {
		w.sum.Ran++
		switch w.batch[i].Reason {
		case "agreement":
			w.sum.Agreements++
		case "error":
			w.sum.Errors++
		}
	}
	clear(w.batch)
	w.batch = w.batch[:0]
	if w.opt.Progress != nil {
		w.opt.Progress(w.sum.Ran+w.sum.Duplicates, w.total)
	}
	return nil
}

// runLocal runs the jobs on worker goroutines that claim chunks of
// consecutive ids; the calling goroutine writes.
func runLocal(ctx context.Context, cfg *Config, p *prepared, done func(int64) bool, opt RunOptions, w *writer) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	total := p.offsets[len(p.offsets)-1]
	nw := cfg.workers()
	out := make(chan []Record, 2*nw)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range nw {
		r, err := NewRunner(cfg, RunnerOptions{Worker: opt.Worker})
		if err != nil {
			cancel(err)
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer r.Close()
			buf := make([]Record, 0, chunk)
			for ctx.Err() == nil {
				lo := next.Add(chunk) - chunk
				if lo >= total {
					break
				}
				for id := lo; id < min(lo+chunk, total); id++ {
					if !opt.Shard.Has(id) || done(id) {
						continue
					}
					j, err := p.job(cfg, id)
					if err != nil {
						cancel(err)
						return
					}
					rec, err := r.Run(ctx, j)
					if err != nil {
						break // cancelled: the record is not a result
					}
					buf = append(buf, rec)
				}
				if len(buf) > 0 {
					out <- buf
					buf = make([]Record, 0, chunk)
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	tick := time.NewTicker(opt.Flush)
	defer tick.Stop()
	var werr error
	// The final writes use a context that outlives ctx, so that work done
	// before an interruption is kept.
	wctx := context.WithoutCancel(ctx)
loop:
	for {
		select {
		case rs, ok := <-out:
			if !ok {
				break loop
			}
			if werr != nil {
				continue // drain
			}
			w.add(rs...)
			if len(w.batch) >= opt.Batch {
				if werr = w.flush(wctx); werr != nil {
					cancel(werr)
				}
			}
		case <-tick.C:
			if werr == nil {
				if werr = w.flush(wctx); werr != nil {
					cancel(werr)
				}
			}
		}
	}
	if werr == nil {
		werr = w.flush(wctx)
	}
	if werr != nil {
		return werr
	}
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return nil
}

// publishBatch is the number of jobs per Queue.Publish call.
const publishBatch = 1000

// runQueue publishes the jobs not yet stored and stores the results that
// come back, each job once, until every selected job is stored.
func runQueue(ctx context.Context, cfg *Config, p *prepared, meta Meta, done func(int64) bool, opt RunOptions, w *writer) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	total := meta.Planned
	results, err := opt.Queue.Results(ctx)
	if err != nil {
		return err
	}
	go func() {
		batch := make([]Job, 0, publishBatch)
		for id := int64(0); id < total && ctx.Err() == nil; id++ {
			if !opt.Shard.Has(id) || done(id) {
				continue
			}
			j, err := p.job(cfg, id)
			if err != nil {
				cancel(err)
				return
			}
			batch = append(batch, j)
			if len(batch) == publishBatch {
				if err := opt.Queue.Publish(ctx, meta, batch); err != nil {
					cancel(fmt.Errorf("tournament: publish: %w", err))
					return
				}
				batch = batch[:0]
			}
		}
		if len(batch) > 0 {
			if err := opt.Queue.Publish(ctx, meta, batch); err != nil {
				cancel(fmt.Errorf("tournament: publish: %w", err))
			}
		}
	}()
	seen := newBitset(total)
	var got int64
	tick := time.NewTicker(opt.Flush)
	defer tick.Stop()
	wctx := context.WithoutCancel(ctx)
	for got < w.total {
		select {
		case rec, ok := <-results:
			if !ok {
				if err := w.flush(wctx); err != nil {
					return err
				}
				if err := context.Cause(ctx); err != nil {
					return err
				}
				return fmt.Errorf("tournament: the queue stopped delivering results after %d of the %d runs to collect (was its server lost for good?)", got, w.total)
			}
			id := rec.JobID
			if id < 0 || id >= total || !opt.Shard.Has(id) || done(id) || seen.has(id) {
				continue // a repeat, or not ours
			}
			seen.set(id)
			got++
			// MetricsNote is a property of the scenario, not of the run,
			// and does not travel on the wire: the coordinator sets it.
			if j, err := p.job(cfg, id); err == nil {
				rec.MetricsNote = p.notes[p.slot(j)]
			}
			w.add(rec)
			if len(w.batch) >= opt.Batch {
				if err := w.flush(wctx); err != nil {
					return err
				}
			}
		case <-tick.C:
			if err := w.flush(wctx); err != nil {
				return err
			}
		case <-ctx.Done():
			if err := w.flush(wctx); err != nil {
				return err
			}
			return context.Cause(ctx)
		}
	}
	return w.flush(wctx)
}

// bitset is a set of job ids.
type bitset []uint64

func newBitset(n int64) bitset { return make(bitset, (n+63)/64) }

func (b bitset) has(i int64) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) set(i int64)      { b[i>>6] |= 1 << (uint(i) & 63) }

// reasonError is the Reason of a failed negotiation.
var reasonError = parley.ReasonError.String()
