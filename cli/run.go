package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/chart"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/tracefile"
)

// defaultDeadline is the round limit when neither --deadline nor the
// scenario gives one.
const defaultDeadline = 100

// splitAgents splits agent lists given to --agents with spec.SplitList:
// specs are separated by commas, except commas inside parentheses and
// commas that start another parameter of the same spec
// ("boulware:e=0.1,ac=next,conceder" is two specs). A value with
// unbalanced parentheses is kept whole, so that parsing it reports the
// spec at fault.
func splitAgents(values []string) []string {
	var specs []string
	for _, v := range values {
		list, err := spec.SplitList(v)
		if err != nil {
			list = []string{v}
		}
		specs = append(specs, list...)
	}
	return specs
}

// seats builds one negotiator factory per party from the agent specs,
// cycling through the list when it is shorter than the party count.
func (pg *program) seats(specs []string, parties int) ([]strategy.Factory, []string, error) {
	if len(specs) == 0 {
		return nil, nil, usageError{errors.New("no agents given")}
	}
	if len(specs) > parties {
		return nil, nil, usageError{fmt.Errorf("%d agents for %d parties", len(specs), parties)}
	}
	fs := make([]strategy.Factory, parties)
	names := make([]string, parties)
	for i := range fs {
		spec := specs[i%len(specs)]
		f, err := pg.negotiator(spec)
		if err != nil {
			return nil, nil, usageError{err}
		}
		fs[i], names[i] = f, spec
	}
	return fs, names, nil
}

type runFlags struct {
	agents    []string
	profiles  []string
	deadline  int
	timeLimit time.Duration
	seed      uint64
	asJSON    bool
	trace     string
	show      int
	timing    string
	protocol  string
	variant   string
	voters    []string
	mediator  string
	plot      string

	// given reports whether a flag was set on the command line (cobra's
	// Changed), so that a flag given with its default value is still
	// checked; nil means none was.
	given func(name string) bool
}

// set reports whether flag name was given on the command line.
func (f *runFlags) set(name string) bool { return f.given != nil && f.given(name) }

// Values of --timing.
const (
	timingSteps  = "steps"
	timingGenius = "genius"
)

// isGeniusSpec reports whether spec names one of the GENIUS-compatible
// agents (strategy/geniuscompat), whose names start with "genius-".
func isGeniusSpec(spec string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(spec)), "genius-")
}

// chooseTiming returns the sao timing for --timing (empty: GENIUS timing
// when every seat is a genius-* agent, as they reproduce GENIUS only with
// it, and Parley's step timing otherwise).
func chooseTiming(flag string, specs []string) (sao.Timing, error) {
	switch strings.ToLower(strings.TrimSpace(flag)) {
	case timingSteps:
		return sao.TimingSteps, nil
	case timingGenius:
		return sao.TimingGENIUS, nil
	case "":
		for _, s := range specs {
			if !isGeniusSpec(s) {
				return sao.TimingSteps, nil
			}
		}
		return sao.TimingGENIUS, nil
	}
	return 0, usageError{fmt.Errorf("run: --timing %q: want %s or %s", flag, timingSteps, timingGenius)}
}

func (pg *program) newRunCmd() *cobra.Command {
	var f runFlags
	c := &cobra.Command{
		Use:   "run SCENARIO",
		Short: "Run one negotiation (alternating offers, or the scenario's declared stages)",
		Long: `Run one negotiation between automated negotiators, one per party in the
scenario's order, and print who offered, accepted or voted what (rounds
count from 1), how it ended (agreement, deadline, walk_away, error,
mediator_exit or ratification_failed: the names every output uses), the
agreement, each party's utility and advantage, and the agreement's distance
to the Pareto frontier, the Nash and the Kalai-Smorodinsky points.

A scenario that declares a protocol (stages such as the ceasefire's direct
talks followed by mediation: see docs/mediation.md) runs it, or one of its
--variant's; --voters and --mediator then choose the strategies of the
mediated stages. Otherwise, or with --protocol sao, the parties negotiate by
stacked alternating offers for --deadline rounds. A flag the chosen protocol
would ignore is a usage error (exit 2) naming it: --deadline, --time-limit
and --timing on a scenario with a declared protocol need --protocol sao;
--variant, --voters and --mediator need a declared protocol; --agents and
--voters specs must each fall on a party that negotiates (votes) in some
stage; the annealing mediator needs a stage with rule mediator.

--agents lists strategy specs (see 'parley agents'), one per party in
order; a shorter list is repeated. A spec is NAME or NAME:key=value,... :
"boulware,conceder:e=3" gives party 1 Boulware and party 2 a Conceder
with e=3.

--timing sets how normalised time t runs: "steps" (Parley's default: t =
turns taken / (parties x rounds)) or "genius" (GENIUS's DiscreteTimeline:
both turns of round R of D see t = R/(D+1), and a negotiation without
agreement ends at t = D/(D+1)). When every agent is a genius-* agent, which
reproduce GENIUS's classic agents exactly, the default is "genius"; see
docs/genius-compatibility.md.

The same --seed gives the same negotiation, byte for byte.`,
		Example: `  parley run ceasefire
  parley run ceasefire --variant mediated_from_start --voters annealer --mediator nash
  parley run ceasefire --protocol sao --deadline 120
  parley run ceasefire --agents boulware,conceder --seed 7 --json
  parley run ceasefire --protocol sao --agents boulware,conceder,linear --deadline 120
  parley run ../shared/scenarios/genius/EnglandZimbabwe_anac2010 --agents micro,boulware --trace ez.jsonl
  parley run EnglandZimbabwe_domain.xml --profiles England.xml,Zimbabwe.xml
  parley run EnglandZimbabwe_domain.xml --profiles England.xml,Zimbabwe.xml --agents genius-boulware,genius-conceder --deadline 100 --json`,
		Args: exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			f.given = c.Flags().Changed
			return pg.runOnce(c.Context(), c.OutOrStdout(), c.ErrOrStderr(), args[0], f)
		},
	}
	c.Flags().StringArrayVar(&f.agents, "agents", []string{"boulware"}, "strategy specs, one per party in order (comma-separated)")
	c.Flags().StringSliceVar(&f.profiles, "profiles", nil, "GENIUS profile files for a domain-file SCENARIO, in party order")
	c.Flags().IntVar(&f.deadline, "deadline", 0, fmt.Sprintf("rounds allowed (default: the scenario's, else %d)", defaultDeadline))
	c.Flags().DurationVar(&f.timeLimit, "time-limit", 0, "also end after this much wall time (makes runs speed-dependent)")
	c.Flags().Uint64Var(&f.seed, "seed", 1, "random seed: fixes every random choice")
	c.Flags().BoolVar(&f.asJSON, "json", false, "print the result as JSON (schema in docs/cli.md)")
	c.Flags().StringVar(&f.trace, "trace", "", "write the run as JSON lines to this file: a header, every action, the result (docs/cli.md)")
	c.Flags().IntVar(&f.show, "show", 6, "actions to list at the start and at the end of the negotiation (-1: all); a scenario with a question prints its run in short unless --show is given")
	c.Flags().StringVar(&f.protocol, "protocol", protocolAuto, "auto, sao or staged: auto runs the scenario's declared protocol when it has one, else alternating offers (--deadline, --time-limit and --timing need sao)")
	c.Flags().StringVar(&f.variant, "variant", "", "a protocol variant the scenario declares (default: its stages in order)")
	c.Flags().StringArrayVar(&f.voters, "voters", nil, "voter specs for mediated stages, one per party in order (default "+defaultVoter+"; see 'parley agents')")
	c.Flags().StringVar(&f.mediator, "mediator", "", "mediator spec for mediated stages (default: the stage's mediator_policy)")
	c.Flags().StringVar(&f.timing, "timing", "", "how time runs: steps or genius (default: genius when every agent is genius-*, else steps)")
	c.Flags().StringVar(&f.plot, "plot", "", "draw the offers in the utility plane of every two parties "+plotFlagHelp)
	return c
}

func (pg *program) runOnce(ctx context.Context, out, errOut io.Writer, arg string, f runFlags) error {
	if f.set("deadline") && f.deadline < 1 {
		// 0 would silently mean "the scenario's deadline".
		return usageError{fmt.Errorf("run: --deadline %d: want at least 1 round (leave it out for the scenario's deadline)", f.deadline)}
	}
	if err := checkPlot("run", f.plot); err != nil {
		return err
	}
	s, err := openScenario(errOut, arg, f.profiles)
	if err != nil {
		return err
	}
	if st, err := useStaged(f, s); err != nil {
		return err
	} else if st {
		return pg.runStaged(ctx, out, errOut, s, f)
	}
	factories, specs, err := pg.seats(splitAgents(f.agents), len(s.Parties))
	if err != nil {
		return err
	}
	ready, err := s.Prepare()
	if err != nil {
		return err
	}
	deadline := f.deadline
	if deadline == 0 {
		deadline = s.Deadline
	}
	if deadline == 0 {
		deadline = defaultDeadline
	}
	if deadline < 0 {
		return usageError{fmt.Errorf("run: --deadline %d is negative", deadline)}
	}
	timing, err := chooseTiming(f.timing, specs)
	if err != nil {
		return err
	}
	j := tracefile.NewRun(s, tracefile.ProtocolSAO, specs, f.seed, deadline)
	if timing == sao.TimingGENIUS {
		j.Timing = timingGenius
	}
	var events []tracefile.Entry
	tf, err := createTrace(f.trace, s, j)
	if err != nil {
		return err
	}
	defer tf.abort()
	opts := sao.Options{Deadline: deadline, TimeLimit: f.timeLimit, Timing: timing, Trace: func(e parley.Event) {
		ev := tracefile.Entry{Stage: -1, Event: e}
		events = append(events, ev)
		tf.event(ev)
	}}
	m, err := sao.New(ready.Profiles(), ready.Names(), opts)
	if err != nil {
		return err
	}
	negs := make([]parley.Negotiator, len(factories))
	for i, fac := range factories {
		negs[i] = fac()
	}
	res, err := m.Run(ctx, negs, f.seed)
	if err != nil {
		return err
	}
	rep, aerr := analysis.Analyze(ready.Space(), ready.Profiles())
	j.SetResult(s, res)
	j.SetMetrics(rep, aerr, res.Utilities)
	if err := tf.close(j); err != nil {
		return err
	}
	if f.plot != "" {
		if err := saveRunPlot(errOut, f.plot, chart.RunOf(s, specs, f.seed, events, res)); err != nil {
			return err
		}
	}
	return printRun(out, s, j, events, f, res)
}

// printRun prints a run: its JSON with --json, else its summary. A run
// that ended in error then returns that error, so that the command exits
// with 1.
func printRun(out io.Writer, s *scenario.Scenario, j *tracefile.Run, events []tracefile.Entry, f runFlags, res *parley.Result) error {
	if f.asJSON {
		if err := render.JSON(out, j); err != nil {
			return err
		}
	} else {
		render.Summary(out, s, j, events, f.show)
	}
	return runFailure(res)
}

// runFailure is what a run that ended in error returns after printing its
// result (every party paid its reservation value), so that the command
// exits with 1; nil for any other ending.
func runFailure(r *parley.Result) error {
	if r.Reason != parley.ReasonError {
		return nil
	}
	return fmt.Errorf("run: the negotiation ended in error: %w", r.Err)
}
