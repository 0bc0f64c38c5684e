package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/chart"
	"github.com/parley-dev/parley/cli/internal/progress"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/distrib"
	"github.com/parley-dev/parley/experiment"
	"github.com/parley-dev/parley/internal/syncio"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/strategy/mediator"
)

// armFlags are the flags that every experiment subcommand has.
type armFlags struct {
	runs                          int
	seed                          uint64
	workers                       int
	asJSON, quiet, allowErrors    bool
	csv, plot                     string
	variants, negotiators, voters []string
	batch                         batchFlags
}

// experimentFlags are the flags of sequencing and sweep.
type experimentFlags struct {
	armFlags
	csvRuns  string
	baseline string
	set      []string // sweep only
	factor   []string // sequencing only
}

// batchFlags are an experiment's flags of the tournament runner: its
// database, queue, shard and time limit.
type batchFlags struct {
	db, queue, shard string
	limit            time.Duration
	qf               queueFlags
}

// add defines the flags on c; robustness, whose parameter points are one
// tournament each, takes no database or shard.
func (b *batchFlags) add(c *cobra.Command, store bool) {
	if store {
		c.Flags().StringVar(&b.db, "db", "", "store the runs in this SQLite database (as a tournament's): run the same command again to resume after an interruption")
		c.Flags().StringVar(&b.shard, "shard", "", "run only the runs with job id = i mod n (i/n) into --db; merge the shards' databases with 'parley merge' and run again on the merged one for the report")
	}
	c.Flags().StringVar(&b.queue, "queue", "", "run on 'parley worker' processes through this NATS JetStream server, nats://HOST:4222 (see docs/distributed.md)")
	c.Flags().DurationVar(&b.limit, "limit", 0, "wall-time limit of one run: a run over it ends in error (0: none)")
	b.qf.add(c)
}

// newExperimentCmd is `parley experiment`, with the sequencing and sweep
// subcommands.
func (pg *program) newExperimentCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "experiment",
		Short: "Compare protocols and parameters over many seeded runs",
		Long: `Run a scenario's staged protocol many times and compare arms with honest
statistics: agreement and ratified-agreement rates with Wilson 95% CIs, the
causes of breakdown, rounds to agreement, each party's mean utility and
advantage, distances to the Pareto frontier and the Nash point, welfare and
the mediator's utility, and paired tests between every pair of arms
(McNemar with Newcombe's paired CI on agreement, Wilcoxon signed-rank with
the t CI of the mean difference on utilities and welfare, Holm-adjusted over
all of them). The header names the pairs that differ only by the order of
their stages, by a stage to fall back on, or by a carry-over rule.

Runs that end in error count as failures to agree; the command warns and
exits 1 unless --allow-errors.

Every arm runs on the same seeds with the same strategy assignment (common
random numbers): run i uses seed i and the i-th combination of the strategy
pool in every arm, so arms differ only by their treatment.

An experiment is a tournament of arms: its runs go through the tournament
runner, so --db stores them in SQLite and the same command resumes an
interrupted experiment (even after kill -9), --queue runs them on 'parley
worker' processes, and --shard splits them between machines. The report
is the same on 1 worker or 8, local or remote.`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			return usageError{fmt.Errorf("%s: name an experiment: sequencing, sweep or robustness (see '%s --help')", c.CommandPath(), c.CommandPath())}
		},
	}
	c.AddCommand(pg.newSequencingCmd(), pg.newSweepCmd(), pg.newRobustnessCmd())
	return c
}

func addExperimentFlags(c *cobra.Command, f *experimentFlags) {
	c.Flags().IntVar(&f.runs, "runs", 200, "runs per arm (seeds 0..runs-1 derived from --seed)")
	c.Flags().Uint64Var(&f.seed, "seed", 1, "random seed: fixes every run")
	c.Flags().IntVar(&f.workers, "workers", 0, "parallel workers (default: all cores); results do not depend on it")
	c.Flags().BoolVar(&f.asJSON, "json", false, "print the report as JSON (schema in docs/mediation.md)")
	c.Flags().StringVar(&f.csv, "csv", "", "write one CSV row per arm to this file")
	c.Flags().StringVar(&f.csvRuns, "csv-runs", "", "write one CSV row per run to this file")
	c.Flags().StringVar(&f.plot, "plot", "", "draw agreement rate and welfare per arm with CI bars "+plotFlagHelp)
	c.Flags().StringVar(&f.baseline, "baseline", "", "the arm the others are tested against (default: the first)")
	c.Flags().StringSliceVar(&f.variants, "variants", nil, "protocol variants to run, in order (sequencing default: every declared variant)")
	c.Flags().StringArrayVar(&f.negotiators, "negotiators", nil, "alternating-offers strategy pool (default: "+strings.Join(experiment.DefaultNegotiators(), ",")+")")
	c.Flags().StringArrayVar(&f.voters, "voters", nil, "mediated-stage voter pool (default: "+strings.Join(experiment.DefaultVoters(), ",")+")")
	c.Flags().BoolVarP(&f.quiet, "quiet", "q", false, quietHelp)
	c.Flags().BoolVar(&f.allowErrors, "allow-errors", false, "exit 0 even when runs end in error (they count as failures to agree)")
	f.batch.add(c, true)
}

func (pg *program) newSequencingCmd() *cobra.Command {
	var f experimentFlags
	c := &cobra.Command{
		Use:   "sequencing SCENARIO",
		Short: "Compare the protocol variants a scenario declares (e.g. talks first, then mediation)",
		Long: `Run every protocol variant the scenario declares (protocol.variants, in file
order; --variants picks and orders them) as one arm on the same seeds and
strategy assignments, and compare them. For the built-in ceasefire scenario
the arms are bilateral_only, mediated_from_start, bilateral_then_mediated
(the article's design) and mediated_then_bilateral, all on 120 rounds, and
three controls: mediated_from_start_fallback, and bilateral_then_mediated
with carry none and best_acceptable.

Arms are compared at matched information: every mediated stage runs with
info votes, so the mediator, like the direct negotiators (who see only
offers), learns the parties' preferences only from their behaviour; a
mediator policy that needs declared preferences (nash, ks, biased) runs
` + experiment.VotesMediatorPolicy + ` there instead. The header's "information:"
line says so. --factor crosses the arms with the levels of a parameter
(TARGET.NAME=VALUES, as for sweep's --set) and reports every cell, e.g.
--factor mediated.info=votes,self_report,declared,full.

The scenario's numbers are modelling judgements to be varied, not
forecasts: use 'parley experiment sweep' to vary them.`,
		Example: `  parley experiment sequencing ceasefire --runs 1000 --seed 1
  parley experiment sequencing ceasefire --factor mediated.info=votes,self_report,declared,full
  parley experiment sequencing ceasefire --runs 200 --json
  parley experiment sequencing ceasefire --plot sequencing.png --csv arms.csv
  parley experiment sequencing ceasefire --baseline bilateral_then_mediated`,
		Args: exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			return pg.runExperiment(c.Context(), c.OutOrStdout(), c.ErrOrStderr(), "experiment sequencing", args[0], f)
		},
	}
	c.Flags().StringArrayVar(&f.factor, "factor", nil, "a factor TARGET.NAME=VALUES crossed with every arm (repeatable)")
	addExperimentFlags(c, &f)
	return c
}

func (pg *program) newSweepCmd() *cobra.Command {
	var f experimentFlags
	c := &cobra.Command{
		Use:   "sweep SCENARIO --set TARGET.NAME=VALUES ...",
		Short: "Vary scenario and protocol parameters over a grid",
		Long: `Run every cell of a grid of parameter values (the cross product of the
--set flags, the last varying fastest) as one arm on the same seeds and
strategy assignments, and compare the cells with the first (or --baseline).
Each cell runs the protocol's default stages, or each of --variants.

VALUES is a comma-separated list (0,0.25,0.5) or an inclusive range
lo:hi:step (0.35:0.65:0.05 gives 7 values; hi is included when it lies on
the grid). TARGET is a party or a stage of the scenario's protocol:

` + experiment.ParamHelp() + `
A parameter that names nothing, or a value out of range, is an error before
anything runs.`,
		Example: `  parley experiment sweep ceasefire --set US.bias=0,0.25,0.5,1
  parley experiment sweep ceasefire --set UA.reservation=0.35:0.65:0.05 --set RU.drift=-0.1,0,0.05 --runs 200
  parley experiment sweep ceasefire --set mediated.info=declared,full --variants bilateral_then_mediated,mediated_from_start`,
		Args: exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(f.set) == 0 {
				return usageError{fmt.Errorf("%s: no --set parameters to sweep (see '%s --help')", c.CommandPath(), c.CommandPath())}
			}
			return pg.runExperiment(c.Context(), c.OutOrStdout(), c.ErrOrStderr(), "experiment sweep", args[0], f)
		},
	}
	addExperimentFlags(c, &f)
	c.Flags().StringArrayVar(&f.set, "set", nil, "a swept parameter TARGET.NAME=VALUES (repeatable)")
	return c
}

// experimentPool builds the strategy pool from the flags (or the
// defaults).
func (pg *program) experimentPool(negSpecs, voterSpecs []string) (experiment.Pool, error) {
	pool, err := experiment.NewPool(splitAgents(negSpecs), splitAgents(voterSpecs), pg.negotiator, pg.voter)
	return pool, experimentUsage("", "", err)
}

// experimentUsage turns an experiment.FieldError into a usage error
// naming the flag of its field (none for the scenario's assumptions),
// after cmd (when not ""); params is the flag of Design.Params. Other
// errors are returned as they are.
func experimentUsage(cmd, params string, err error) error {
	var fe *experiment.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	flag := map[string]string{"Params": params, "Variants": "--variants", "Negotiators": "--negotiators", "Voters": "--voters"}[fe.Field]
	switch {
	case cmd == "":
		return usageError{fmt.Errorf("%s: %w", flag, fe.Err)}
	case flag == "": // the scenario's assumptions
		return usageError{fmt.Errorf("%s: %w", cmd, fe.Err)}
	}
	return usageError{fmt.Errorf("%s: %s: %w", cmd, flag, fe.Err)}
}

// mediatorFactory turns a stage's mediator_policy into a mediator factory
// (experiment.DefaultMediatorPolicy when the stage names none).
func (pg *program) mediatorFactory(spec string) (func() mediated.Mediator, error) {
	if strings.TrimSpace(spec) == "" {
		spec = experiment.DefaultMediatorPolicy
	}
	return pg.mediator(spec)
}

func (pg *program) runExperiment(ctx context.Context, out, errOut io.Writer, cmd, arg string, f experimentFlags) error {
	d := experiment.Design{Kind: experiment.KindSequencing, Variants: f.variants, Params: f.factor, NeedsDeclared: mediator.NeedsDeclared}
	flag := "--factor"
	if cmd == "experiment sweep" {
		d.Kind, d.Params, flag = experiment.KindSweep, f.set, "--set"
	}
	s, cfg, bar, closeBatch, err := pg.startArms(ctx, errOut, cmd, arg, &f.armFlags, func(s *scenario.Scenario) error {
		return experimentUsage(cmd, flag, d.Check(s))
	})
	if err != nil {
		return err
	}
	defer closeBatch()
	cfg.Baseline = f.baseline
	rep, err := d.Run(ctx, s, cfg)
	bar.Finish(err == nil)
	if err != nil {
		switch {
		case errors.Is(err, experiment.ErrUnknownArm):
			return usageError{fmt.Errorf("%s: --baseline: %w", cmd, err)}
		case errors.Is(err, experiment.ErrShard):
			fmt.Fprintf(out, "%s: stored shard %s of the runs in %s; merge the shards' databases with 'parley merge' and run the same command with the merged --db for the report\n", cmd, f.batch.shard, f.batch.db)
			return nil
		case f.batch.db != "" && ctx.Err() != nil:
			return fmt.Errorf("%s: interrupted: the runs finished so far are stored in %s: run the same command to continue", cmd, f.batch.db)
		}
		return err
	}
	if f.csv != "" {
		if err := writeFile(f.csv, func(w io.Writer) error { return experiment.WriteCSV(w, rep) }); err != nil {
			return fmt.Errorf("%s: --csv: %w", cmd, err)
		}
	}
	if f.csvRuns != "" {
		if err := writeFile(f.csvRuns, func(w io.Writer) error { return experiment.WriteRunsCSV(w, rep) }); err != nil {
			return fmt.Errorf("%s: --csv-runs: %w", cmd, err)
		}
	}
	if f.plot != "" {
		if err := savePlot(errOut, cmd, f.plot, chart.ArmsOf(rep, cmd == "experiment sweep")); err != nil {
			return err
		}
	}
	if f.asJSON {
		err = render.JSON(out, rep)
	} else {
		err = experiment.WriteTable(out, rep)
	}
	if err != nil {
		return err
	}
	n, detail := rep.RunErrors()
	return runErrors(errOut, cmd, n, " ("+detail+")", f.allowErrors)
}

// startArms starts an experiment command on the scenario arg: it checks
// --runs, --workers and --plot, opens the scenario and checks it with
// check, and builds the configuration of the flags: the pool, the store,
// queue and shard, and the progress bar (nil when off), and returns what
// closes the store and queue.
func (pg *program) startArms(ctx context.Context, errOut io.Writer, cmd, arg string, f *armFlags, check func(*scenario.Scenario) error) (*scenario.Scenario, experiment.Config, *progress.Bar, func(), error) {
	var cfg experiment.Config
	switch {
	case f.runs < 1:
		return nil, cfg, nil, nil, usageError{fmt.Errorf("%s: --runs %d: need at least 1 run", cmd, f.runs)}
	case f.workers < 0:
		return nil, cfg, nil, nil, usageError{fmt.Errorf("%s: --workers %d is negative", cmd, f.workers)}
	}
	if err := checkPlot(cmd, f.plot); err != nil {
		return nil, cfg, nil, nil, err
	}
	s, err := openScenario(errOut, arg, nil)
	if err != nil {
		return nil, cfg, nil, nil, err
	}
	if err := check(s); err != nil {
		return nil, cfg, nil, nil, err
	}
	pool, err := pg.experimentPool(f.negotiators, f.voters)
	if err != nil {
		return nil, cfg, nil, nil, err
	}
	cfg = experiment.Config{Runs: f.runs, Seed: f.seed, Workers: f.workers, Pool: pool,
		Mediator: pg.mediatorFactory, NeedsDeclared: mediator.NeedsDeclared, Ref: arg}
	closeBatch, err := pg.experimentBatch(errOut, cmd, &cfg, f.batch)
	if err != nil {
		return nil, cfg, nil, nil, err
	}
	bar := progress.New(ctx, errOut, f.quiet, "runs", "")
	if bar != nil {
		cfg.Progress = bar.Update
	}
	return s, cfg, bar, closeBatch, nil
}

// experimentBatch sets the store, queue and shard of an experiment from
// the flags (distrib.Open), and returns what closes them.
func (pg *program) experimentBatch(errOut io.Writer, cmd string, cfg *experiment.Config, f batchFlags) (func(), error) {
	switch {
	case f.shard != "" && f.db == "":
		return nil, usageError{fmt.Errorf("%s: --shard needs --db, where the shard's runs are stored", cmd)}
	case f.queue == "" && f.qf.set():
		return nil, usageError{fmt.Errorf("%s: the --queue-* flags need --queue", cmd)}
	case f.limit < 0:
		return nil, usageError{fmt.Errorf("%s: --limit %v is negative", cmd, f.limit)}
	}
	cfg.Limit = f.limit
	// The queue reports reconnections from its own goroutines: through
	// one lock, and not after the command returns.
	lw := syncio.NewWriter(errOut)
	b, err := f.qf.open(distrib.Options{DB: f.db, Shard: f.shard, Queue: f.queue}, lw, cmd)
	if err != nil {
		lw.Close()
		if !errors.As(err, new(usageError)) { // the database's
			err = fmt.Errorf("%s: %w", cmd, err)
		}
		return nil, err
	}
	if b.DB != nil {
		cfg.Store = b.DB
	}
	cfg.Shard, cfg.Queue = b.Shard, b.Dialer()
	return func() { b.Close(); lw.Close() }, nil
}

// runErrors warns on errOut when n runs ended in error (reason "error":
// a misconfiguration or a failing strategy, counted as a failure to agree;
// detail says where) and, unless allow, returns an error so that the
// command exits non-zero: a report that hides failed runs behind rates
// must not pass for a clean one.
func runErrors(errOut io.Writer, cmd string, n int, detail string, allow bool) error {
	if n == 0 {
		return nil
	}
	fmt.Fprintf(errOut, "%s: warning: %d runs ended in error and count as failures to agree%s\n", cmd, n, detail)
	if allow {
		return nil
	}
	return fmt.Errorf("%s: %d runs ended in error (pass --allow-errors to accept the report anyway)", cmd, n)
}

// writeFile creates path and writes it with fill, reporting the first
// error of writing or closing.
func writeFile(path string, fill func(io.Writer) error) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriter(f)
	if err := fill(w); err != nil {
		return err
	}
	return w.Flush()
}
