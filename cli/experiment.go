package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/chart"
	"github.com/parley-dev/parley/cli/internal/progress"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/distrib"
	"github.com/parley-dev/parley/experiment"
	"github.com/parley-dev/parley/internal/outfile"
	"github.com/parley-dev/parley/internal/syncio"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy/mediator"
)

// armFlags are the flags that every experiment subcommand has.
type armFlags struct {
	cfg                        experiment.Config // Runs, Seed, Workers, Limit, Baseline
	batch                      distrib.Options   // DB, Shard, Queue
	asJSON, quiet, allowErrors bool
	csv, plot                  string
	negotiators, voters        []string
	qf                         queueFlags
}

// armHelp is the help of the arm flags whose meaning differs between the
// subcommands.
type armHelp struct{ runs, seed, json, csv, plot, variants string }

// add defines the flags on c, --variants into variants; robustness, whose
// parameter points are one tournament each, takes no database or shard
// (store false).
func (f *armFlags) add(c *cobra.Command, h armHelp, store bool, variants *[]string) {
	fl := c.Flags()
	fl.IntVar(&f.cfg.Runs, "runs", 200, h.runs)
	fl.Uint64Var(&f.cfg.Seed, "seed", 1, h.seed)
	fl.IntVar(&f.cfg.Workers, "workers", 0, "parallel workers (default: all cores); results do not depend on it")
	fl.BoolVar(&f.asJSON, "json", false, h.json)
	fl.StringVar(&f.csv, "csv", "", h.csv)
	fl.StringVar(&f.plot, "plot", "", h.plot+" "+plotFlagHelp)
	fl.StringSliceVar(variants, "variants", nil, h.variants)
	fl.StringArrayVar(&f.negotiators, "negotiators", nil, "alternating-offers strategy pool (default: "+strings.Join(experiment.DefaultNegotiators(), ",")+")")
	fl.StringArrayVar(&f.voters, "voters", nil, "mediated-stage voter pool (default: "+strings.Join(experiment.DefaultVoters(), ",")+")")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, quietHelp)
	fl.BoolVar(&f.allowErrors, "allow-errors", false, "exit 0 even when runs end in error (they count as failures to agree)")
	if store {
		fl.StringVar(&f.batch.DB, "db", "", "store the runs in this SQLite database (as a tournament's): run the same command again to resume after an interruption")
		fl.StringVar(&f.batch.Shard, "shard", "", "run only the runs with job id = i mod n (i/n) into --db; merge the shards' databases with 'parley merge' and run again on the merged one for the report")
	}
	fl.StringVar(&f.batch.Queue, "queue", "", "run on 'parley worker' processes through this NATS JetStream server, nats://HOST:4222 (see docs/distributed.md)")
	fl.DurationVar(&f.cfg.Limit, "limit", 0, "wall-time limit of one run: a run over it ends in error (0: none)")
	f.qf.add(c)
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

func (pg *program) newSequencingCmd() *cobra.Command {
	return pg.designCmd(experiment.KindSequencing, "factor", "a factor TARGET.NAME=VALUES crossed with every arm (repeatable)", &cobra.Command{
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
  parley experiment sequencing ceasefire --baseline bilateral_then_mediated`})
}

func (pg *program) newSweepCmd() *cobra.Command {
	return pg.designCmd(experiment.KindSweep, "set", "a swept parameter TARGET.NAME=VALUES (repeatable)", &cobra.Command{
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
  parley experiment sweep ceasefire --set mediated.info=declared,full --variants bilateral_then_mediated,mediated_from_start`})
}

// setPool sets the strategy pool of an experiment (the defaults for nil
// specs) and its mediators.
func (pg *program) setPool(cfg *experiment.Config, negotiators, voters []string) (err error) {
	cfg.Pool, err = experiment.NewPool(spec.SplitLists(negotiators), spec.SplitLists(voters), pg.negotiators.Parse, pg.voters.Parse)
	cfg.Mediator, cfg.NeedsDeclared = pg.mediators.Parse, mediator.NeedsDeclared
	return err
}

// designCmd completes c, the command of an experiment design of kind
// sequencing or sweep, with its arguments, flags and run; the flag params
// (with help paramsHelp) gives the Design's Params.
func (pg *program) designCmd(kind, params, paramsHelp string, c *cobra.Command) *cobra.Command {
	var f armFlags
	var csvRuns string
	d := experiment.Design{Kind: kind, NeedsDeclared: mediator.NeedsDeclared}
	c.Args = exactArgs(1)
	c.RunE = func(c *cobra.Command, args []string) error {
		return pg.runArms(c, args[0], &f, func(s *scenario.Scenario) error { return usage(cmdName(c), d.Check(s), "--"+params) },
			func(ctx context.Context, s *scenario.Scenario, cfg experiment.Config) (*armReport, error) {
				rep, err := d.Run(ctx, s, cfg)
				if err != nil {
					return nil, err
				}
				n, detail := rep.RunErrors()
				return &armReport{rep, bind(experiment.WriteTable, rep), func() (chart.Figure, error) { return chart.ArmsOf(rep, kind == experiment.KindSweep), nil },
					[]reportFile{{"--csv", f.csv, bind(experiment.WriteCSV, rep)}, {"--csv-runs", csvRuns, bind(experiment.WriteRunsCSV, rep)}}, n, " (" + detail + ")"}, nil
			})
	}
	c.Flags().StringArrayVar(&d.Params, params, nil, paramsHelp)
	f.add(c, armHelp{runs: "runs per arm (seeds 0..runs-1 derived from --seed)", seed: "random seed: fixes every run",
		json: "print the report as JSON (schema in docs/mediation.md)", csv: "write one CSV row per arm to this file",
		plot:     "draw agreement rate and welfare per arm with CI bars",
		variants: "protocol variants to run, in order (sequencing default: every declared variant)"}, true, &d.Variants)
	c.Flags().StringVar(&csvRuns, "csv-runs", "", "write one CSV row per run to this file")
	c.Flags().StringVar(&f.cfg.Baseline, "baseline", "", "the arm the others are tested against (default: the first)")
	return c
}

// An armReport is an experiment command's report and how to write it.
type armReport struct {
	json   any                          // the report, for --json
	table  func(io.Writer) error        // the text report
	plot   func() (chart.Figure, error) // the figure of --plot
	files  []reportFile                 // the files of the CSV flags
	errors int                          // runs that ended in error
	detail string                       // where they are, after the warning
}

// A reportFile is a file flag of a report: path "" when not given.
type reportFile struct {
	flag, path string
	write      func(io.Writer) error
}

// bind binds the report r to a writer of reports.
func bind[R any](write func(io.Writer, R) error, r R) func(io.Writer) error {
	return func(w io.Writer) error { return write(w, r) }
}

// runArms runs an experiment command on the scenario arg: it checks the
// flags and the scenario (with check), builds the configuration (the
// pool, the store, queue and shard, the progress bar), runs it with run
// and writes its report as the flags ask.
func (pg *program) runArms(c *cobra.Command, arg string, f *armFlags, check func(*scenario.Scenario) error,
	run func(context.Context, *scenario.Scenario, experiment.Config) (*armReport, error)) error {
	ctx, out, errOut, cmd := c.Context(), c.OutOrStdout(), c.ErrOrStderr(), cmdName(c)
	cfg := f.cfg
	if err := cfg.Validate(); err != nil {
		return usage(cmd, err)
	}
	if err := checkPlot(cmd, f.plot); err != nil {
		return err
	}
	s, err := openScenario(errOut, arg, nil)
	if err != nil {
		return err
	}
	if err := check(s); err != nil {
		return err
	}
	if err := pg.setPool(&cfg, f.negotiators, f.voters); err != nil {
		return usage(cmd, err)
	}
	cfg.Ref = arg
	// The queue reports reconnections from its own goroutines: through
	// one lock, and not after the command returns.
	lw := syncio.NewWriter(errOut)
	defer lw.Close()
	b, err := f.qf.open(f.batch, lw, cmd)
	if err != nil {
		return err
	}
	defer b.Close()
	b.Experiment(&cfg)
	bar := progress.New(ctx, errOut, f.quiet, "runs", "")
	cfg.Progress = bar.Func()
	rep, err := run(ctx, s, cfg)
	bar.Finish(err == nil)
	switch {
	case errors.Is(err, experiment.ErrShard):
		fmt.Fprintf(out, "%s: stored shard %s of the runs in %s; merge the shards' databases with 'parley merge' and run the same command with the merged --db for the report\n", cmd, f.batch.Shard, f.batch.DB)
		return nil
	case err != nil && f.batch.DB != "" && ctx.Err() != nil:
		return fmt.Errorf("%s: interrupted: the runs finished so far are stored in %s: run the same command to continue", cmd, f.batch.DB)
	case err != nil:
		return usage(cmd, err)
	}
	for _, rf := range rep.files {
		if rf.path == "" {
			continue
		}
		if err := outfile.Write(rf.path, rf.write); err != nil {
			return fmt.Errorf("%s: %s: %w", cmd, rf.flag, err)
		}
	}
	if err := savePlot(errOut, cmd, f.plot, rep.plot); err != nil {
		return err
	}
	if f.asJSON {
		err = render.JSON(out, rep.json)
	} else {
		err = rep.table(out)
	}
	if err != nil || rep.errors == 0 {
		return err
	}
	fmt.Fprintf(errOut, "%s: warning: %d runs ended in error and count as failures to agree%s\n", cmd, rep.errors, rep.detail)
	if f.allowErrors {
		return nil
	}
	return fmt.Errorf("%s: %d runs ended in error (pass --allow-errors to accept the report anyway)", cmd, rep.errors)
}

// cmdName is c's path without "parley ", as errors name commands.
func cmdName(c *cobra.Command) string { return strings.TrimPrefix(c.CommandPath(), "parley ") }
