package main

import (
	"errors"
	"fmt"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/distrib/natsq"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
)

func newWorkerCmd() *cobra.Command {
	var (
		queue       string
		concurrency int
		name        string
		limit       time.Duration
		idleExit    time.Duration
		quiet       bool
		allowed     []string
		qf          queueFlags
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
			if queue == "" {
				return usageError{errors.New("worker: --queue nats://HOST:4222 is required")}
			}
			if concurrency < 0 || limit < 0 || idleExit < 0 {
				return usageError{errors.New("worker: --concurrency, --limit and --idle-exit must not be negative")}
			}
			allow, err := newScenarioAllowList(allowed)
			if err != nil {
				return usageError{fmt.Errorf("worker: --scenarios: %w", err)}
			}
			opt, err := qf.options(nil) // connection events go to the worker's log
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(c.Context(), syscall.SIGTERM)
			defer stop()
			w := &natsq.Worker{URL: queue, Resolver: newResolver(allow), Concurrency: concurrency, Name: name,
				Limit: limit, IdleExit: idleExit, Options: opt}
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
	f.StringVar(&queue, "queue", "", "NATS server URL, nats://HOST:4222 (several comma-separated URLs of one cluster are allowed; tls:// for TLS; credentials as nats://USER:PASSWORD@HOST or in $PARLEY_QUEUE_USER, $PARLEY_QUEUE_PASSWORD, $PARLEY_QUEUE_TOKEN)")
	f.IntVarP(&concurrency, "concurrency", "j", 0, "negotiations run in parallel (0: one per core)")
	f.StringVar(&name, "name", "", "worker name recorded with each result (default host:pid)")
	f.DurationVar(&limit, "limit", defaultTournamentLimit, "wall-time limit of one negotiation: a negotiation over it is recorded as an error (0: none)")
	f.DurationVar(&idleExit, "idle-exit", 0, "exit after the queue has had no job for this long, e.g. 1m (0: run until interrupted)")
	f.BoolVarP(&quiet, "quiet", "q", false, "log nothing but errors")
	qf.add(c)
	f.StringSliceVar(&allowed, "scenarios", nil, "scenario files and folders this worker may load, comma-separated (anything under a folder); built-in scenarios are always allowed")
	return c
}

// scenarioAllowList is what a worker may load besides built-in scenarios:
// files and folders, as absolute paths both as given and with symbolic
// links resolved.
type scenarioAllowList struct {
	given, real []string
}

// newScenarioAllowList checks that every entry exists.
func newScenarioAllowList(entries []string) (*scenarioAllowList, error) {
	a := &scenarioAllowList{}
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		abs, err := filepath.Abs(e)
		if err != nil {
			return nil, err
		}
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return nil, err // names the path
		}
		a.given = append(a.given, abs)
		a.real = append(a.real, real)
	}
	return a, nil
}

// within reports whether path is one of roots or lies under one.
func within(path string, roots []string) bool {
	for _, r := range roots {
		if path == r || strings.HasPrefix(path, strings.TrimSuffix(r, string(filepath.Separator))+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// check returns the path a scenario reference names if the list allows it.
// It looks at the file system only for a reference that lies, as written,
// under an allowed entry (to resolve symbolic links, which must not lead
// outside), so a refused reference reveals nothing about the machine.
func (a *scenarioAllowList) check(ref string) (string, error) {
	abs, err := filepath.Abs(ref)
	if err != nil || !within(abs, a.given) {
		return "", fmt.Errorf("scenario %q is not a built-in scenario and not among the files and folders this worker was given (--scenarios)", ref)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("scenario %q: %w", ref, err)
	}
	if !within(real, a.real) {
		return "", fmt.Errorf("scenario %q leads (by a symbolic link) to %s, outside the files and folders this worker was given (--scenarios)", ref, real)
	}
	return abs, nil
}

// newResolver rebuilds tournament entrants on a worker: agents from their
// strategy specs (strategy.Parse), scenarios from their references (a
// built-in name or "builtin:NAME", or a path that allow permits, opened
// with catalog.Open), prepared once. Both are cached, errors included, for
// the worker's lifetime.
func newResolver(allow *scenarioAllowList) natsq.Resolver {
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
		Mediator: func(spec string) (func() mediated.Mediator, error) {
			f, err := mediator.ParseMediator(spec)
			if err != nil {
				return nil, err
			}
			return func() mediated.Mediator { return f() }, nil
		},
		Voter: func(spec string) (func() mediated.Voter, error) {
			f, err := mediator.ParseVoter(spec)
			if err != nil {
				return nil, err
			}
			return func() mediated.Voter { return f() }, nil
		},
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
				var s *scenario.Scenario
				var err error
				if name := strings.TrimPrefix(ref, "builtin:"); slices.Contains(catalog.Names(), name) {
					s, err = catalog.Builtin(name) // never a file, whatever the folder holds
				} else {
					var path string
					if path, err = allow.check(ref); err == nil {
						s, err = catalog.Open(path, catalog.Options{})
					}
				}
				if err == nil {
					err = s.Validate() // tournament.Config.Prepare prepares it
				}
				e.s, e.err = s, err
			})
			return e.s, e.err
		},
	}
}
