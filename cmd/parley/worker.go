package main

import (
	"errors"
	"fmt"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/distrib/natsq"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/strategy"
)

func newWorkerCmd() *cobra.Command {
	var (
		queue       string
		concurrency int
		name        string
		limit       time.Duration
		idleExit    time.Duration
		quiet       bool
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

The server is a nats-server with JetStream enabled (nats-server -js); see
docs/distributed.md.`,
		Example: `  nats-server -js &
  parley worker --queue nats://127.0.0.1:4222 --concurrency 4 &
  parley tournament --agents boulware,conceder --scenarios ceasefire --reps 10 \
      --db results.db --queue nats://127.0.0.1:4222`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			if queue == "" {
				return usageError{errors.New("worker: --queue nats://HOST:4222 is required")}
			}
			if concurrency < 0 || limit < 0 || idleExit < 0 {
				return usageError{errors.New("worker: --concurrency, --limit and --idle-exit must not be negative")}
			}
			ctx, stop := signal.NotifyContext(c.Context(), syscall.SIGTERM)
			defer stop()
			w := &natsq.Worker{URL: queue, Resolver: newResolver(), Concurrency: concurrency, Name: name,
				Limit: limit, IdleExit: idleExit}
			if !quiet {
				errw := c.ErrOrStderr()
				var mu sync.Mutex
				w.Logf = func(format string, args ...any) {
					mu.Lock()
					defer mu.Unlock()
					fmt.Fprintf(errw, "parley worker: "+format+"\n", args...)
				}
			}
			if err := w.Run(ctx); err != nil {
				return fmt.Errorf("worker: %w", err)
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&queue, "queue", "", "NATS server URL, nats://HOST:4222 (several comma-separated URLs of one cluster are allowed)")
	f.IntVarP(&concurrency, "concurrency", "j", 0, "negotiations run in parallel (0: one per core)")
	f.StringVar(&name, "name", "", "worker name recorded with each result (default host:pid)")
	f.DurationVar(&limit, "limit", defaultTournamentLimit, "wall-time limit of one negotiation: a negotiation over it is recorded as an error (0: none)")
	f.DurationVar(&idleExit, "idle-exit", 0, "exit after the queue has had no job for this long, e.g. 1m (0: run until interrupted)")
	f.BoolVarP(&quiet, "quiet", "q", false, "log nothing but errors")
	return c
}

// newResolver rebuilds tournament entrants on a worker: agents from their
// strategy specs (strategy.Parse), scenarios from their references
// (catalog.Open: a built-in name, "builtin:NAME" or a path), prepared once.
// Both are cached, errors included, for the worker's lifetime.
func newResolver() natsq.Resolver {
	type agentEntry struct {
		once sync.Once
		f    func() parley.Negotiator
		err  error
	}
	type scenarioEntry struct {
		once sync.Once
		s    *scenario.Scenario
		err  error
	}
	var (
		mu        sync.Mutex
		agents    = map[string]*agentEntry{}
		scenarios = map[string]*scenarioEntry{}
	)
	return natsq.Resolver{
		GeniusTiming: isGeniusSpec,
		Agent: func(spec string) (func() parley.Negotiator, error) {
			mu.Lock()
			e := agents[spec]
			if e == nil {
				e = &agentEntry{}
				agents[spec] = e
			}
			mu.Unlock()
			e.once.Do(func() {
				f, err := strategy.Parse(spec)
				e.f, e.err = f, err
			})
			return e.f, e.err
		},
		Scenario: func(ref string) (*scenario.Scenario, error) {
			mu.Lock()
			e := scenarios[ref]
			if e == nil {
				e = &scenarioEntry{}
				scenarios[ref] = e
			}
			mu.Unlock()
			e.once.Do(func() {
				s, err := catalog.Open(strings.TrimPrefix(ref, "builtin:"), catalog.Options{})
				if err == nil {
					err = s.Prepare()
				}
				e.s, e.err = s, err
			})
			return e.s, e.err
		},
	}
}
