package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/distrib/natsq"
	"github.com/parley-dev/parley/internal/syncio"
)

func (pg *program) newWorkerCmd() *cobra.Command {
	var (
		w       natsq.Worker // the flags'
		quiet   bool
		allowed []string
		qf      queueFlags
	)
	c := &cobra.Command{
		Use:   "worker --queue nats://HOST:4222",
		Short: "Run tournament jobs from a NATS JetStream queue",
		Long: `Take negotiations from the NATS JetStream queue that 'parley tournament
--queue URL' fills, run them and publish their results, until interrupted
(SIGINT or SIGTERM: the batch in progress goes back to the queue at once)
or, with --idle-exit, until the queue has been empty that long.

Start any number of workers on any machines; each rebuilds the tournament
from the agent specs and scenario references its jobs carry, so every
worker must be able to load the scenarios under the same references
(built-in names, or paths present on every machine: use absolute paths or
start the workers in the coordinator's directory). A worker killed mid-job
loses nothing: its jobs go to another worker after the queue's ack wait
(30s by default).

A worker loads built-in scenarios, and scenario files only from the files
and folders given to --scenarios: whoever can publish on the queue can name
any path in a job, and the worker refuses those it was not given, without
reading them. Errors sent back with the results name the scenario, never
the text of a file (the worker's log has the details).

The server is a nats-server with JetStream enabled (nats-server -js); see
docs/distributed.md.`,
		Example: `  nats-server -js &
  parley worker --queue nats://127.0.0.1:4222 --concurrency 4 --scenarios /data/scenarios &
  parley tournament --agents boulware,conceder --scenarios ceasefire --reps 10 \
      --db results.db --queue nats://127.0.0.1:4222`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			if w.URL == "" {
				return usageError{errors.New("worker: --queue nats://HOST:4222 is required")}
			}
			allow, err := catalog.NewAllowList(allowed)
			if err != nil {
				return usageError{fmt.Errorf("worker: --scenarios: %w", err)}
			}
			if w.Options, err = qf.options("worker", nil); err != nil { // connection events go to the worker's log
				return err
			}
			w.Resolver = pg.resolver(allow.Open)
			if !quiet {
				errw := syncio.NewWriter(c.ErrOrStderr())
				w.Logf = func(format string, args ...any) { fmt.Fprintf(errw, "parley worker: "+format+"\n", args...) }
			}
			return cmdError("worker", w.Run(c.Context()))
		},
	}
	f := c.Flags()
	f.StringVar(&w.URL, "queue", "", "NATS server URL, nats://HOST:4222 (several comma-separated URLs of one cluster are allowed; tls:// for TLS; credentials as nats://USER:PASSWORD@HOST or in $PARLEY_QUEUE_USER, $PARLEY_QUEUE_PASSWORD, $PARLEY_QUEUE_TOKEN)")
	f.IntVarP(&w.Concurrency, "concurrency", "j", 0, "negotiations run in parallel (0: one per core)")
	f.StringVar(&w.Name, "name", "", "worker name recorded with each result (default host:pid)")
	f.DurationVar(&w.Limit, "limit", defaultTournamentLimit, "wall-time limit of one negotiation: a negotiation over it is recorded as an error (0: none)")
	f.DurationVar(&w.IdleExit, "idle-exit", 0, "exit after the queue has had no job for this long, e.g. 1m (0: run until interrupted)")
	f.BoolVarP(&quiet, "quiet", "q", false, "log nothing but errors")
	qf.add(c)
	f.StringSliceVar(&allowed, "scenarios", nil, "scenario files and folders this worker may load, comma-separated (anything under a folder); built-in scenarios are always allowed")
	return c
}
