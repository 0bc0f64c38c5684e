// Package distrib opens where a batch of tournament runs is stored and
// run: its SQLite database (store/sqlite), the share of the runs this
// process takes (a shard) and the NATS JetStream queue of the 'parley
// worker' processes that run them (distrib/natsq). The commands that run
// batches, 'parley tournament' and 'parley experiment', open theirs here:
// Batch.Run runs a tournament, Batch.Experiment points an experiment at
// the batch.
package distrib

import (
	"context"
	"errors"
	"fmt"

	"github.com/parley-dev/parley/distrib/natsq"
	"github.com/parley-dev/parley/experiment"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/tournament"
)

// Options say where a batch's runs are stored and run. The zero value
// runs every run here and stores nothing.
type Options struct {
	// DB is the SQLite database of the runs, created if missing ("":
	// none): with one, the same batch run again resumes where it stopped.
	DB string
	// Shard, "i/n", takes only the runs whose id is i mod n ("": all);
	// it needs DB, where the shard's runs are stored for merging.
	Shard string
	// Queue is the URL of a NATS JetStream server (nats://HOST:4222)
	// through which 'parley worker' processes run the runs ("": run them
	// in this process).
	Queue string
	// QueueOptions are the queue connection's options.
	QueueOptions natsq.Options
}

// ErrShardWithoutDB is Open's error for a Shard without a DB (a
// *spec.FieldError for DB).
var ErrShardWithoutDB = errors.New("a shard needs a database, where the shard's runs are stored")

// A Batch is an open batch: its store, shard and queue. Close releases
// it.
type Batch struct {
	// DB is the store of the runs (nil without Options.DB).
	DB *sqlite.Store
	// Shard is the share of the runs this process takes.
	Shard tournament.Shard
	queue string
	qopt  natsq.Options
}

// Open checks o and opens its database. An error in a field of o is a
// *spec.FieldError naming it.
func Open(o Options) (*Batch, error) {
	b := &Batch{queue: o.Queue, qopt: o.QueueOptions}
	if o.Shard != "" {
		if o.DB == "" {
			return nil, fieldErr("DB", "", ErrShardWithoutDB)
		}
		sh, err := tournament.ParseShard(o.Shard)
		if err != nil {
			return nil, fieldErr("Shard", o.Shard, err)
		}
		b.Shard = sh
	}
	if o.Queue != "" {
		if err := o.QueueOptions.Validate(); err != nil {
			return nil, fieldErr("QueueOptions", "", err)
		}
	}
	if o.DB != "" {
		st, err := sqlite.New(o.DB) // its errors name the database
		if err != nil {
			return nil, err
		}
		b.DB = st
	}
	return b, nil
}

// fieldErr is Open's error in field, of value v (possibly "").
func fieldErr(field, v string, err error) error {
	return fmt.Errorf("distrib: %w", &spec.FieldError{Field: field, Value: v, Err: err})
}

// Dialer returns what dials the batch's queue, nil when the batch runs
// here.
func (b *Batch) Dialer() func(context.Context) (tournament.Queue, error) {
	if b.queue == "" {
		return nil
	}
	return func(ctx context.Context) (tournament.Queue, error) { return natsq.Dial(ctx, b.queue, b.qopt) }
}

// Experiment sets the store, shard and queue of the experiment cfg to
// the batch's (a nil Store without a database), so that its arms run
// where a tournament's runs would (Run).
func (b *Batch) Experiment(cfg *experiment.Config) {
	cfg.Store = nil
	if b.DB != nil {
		cfg.Store = b.DB
	}
	cfg.Shard, cfg.Queue = b.Shard, b.Dialer()
}

// Run runs the tournament cfg into the batch's database, which it needs:
// a database that holds another tournament is an error before anything
// runs; runs stored already are skipped. progress, when not nil, is
// tournament.RunOptions.Progress.
func (b *Batch) Run(ctx context.Context, cfg *tournament.Config, progress func(done, total int64)) (tournament.Summary, error) {
	if b.DB == nil {
		return tournament.Summary{}, errors.New("distrib: a tournament needs a database")
	}
	meta, err := cfg.Meta()
	if err != nil {
		return tournament.Summary{}, err
	}
	// Run checks again; Open is idempotent.
	if _, err := b.DB.Open(ctx, meta); err != nil {
		return tournament.Summary{}, err
	}
	opt := tournament.RunOptions{Shard: b.Shard, Progress: progress}
	if dial := b.Dialer(); dial != nil {
		q, err := dial(ctx)
		if err != nil {
			return tournament.Summary{}, err
		}
		defer q.Close()
		opt.Queue = q
	}
	return tournament.Run(ctx, cfg, b.DB, opt)
}

// Close closes the database.
func (b *Batch) Close() error {
	if b.DB == nil {
		return nil
	}
	return b.DB.Close()
}
