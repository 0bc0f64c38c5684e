package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/chart"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/experiment"
	"github.com/parley-dev/parley/internal/outfile"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/session"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy/mediator"
)

// runFlags are the flags of 'parley run': the session's options (its
// Given is cobra's Changed, so that a flag given with its default value is
// still checked) and what to print.
type runFlags struct {
	session.Options
	profiles    []string
	asJSON      bool
	trace, plot string
	show        int
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
			f.Given = c.Flags().Changed
			ctx, out, errOut := c.Context(), c.OutOrStdout(), c.ErrOrStderr()
			if err := checkPlot("run", f.plot); err != nil {
				return err
			}
			s, err := openScenario(errOut, args[0], f.profiles)
			if err != nil {
				return err
			}
			f.Agents, f.Voters = spec.SplitLists(f.Agents), spec.SplitLists(f.Voters)
			trace := &outfile.Later{Path: f.trace}
			if f.trace != "" {
				f.OpenTrace = trace.Open
			}
			r, err := session.Run(ctx, s, f.Options, session.Resolver{Negotiator: pg.negotiators.Parse, Voter: pg.voters.Parse, Mediator: pg.mediators.Parse, AsDesigned: mediator.AsDesigned})
			if cerr := trace.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("run: trace %s: %w", f.trace, cerr)
			}
			if err != nil {
				return usage("run", err)
			}
			if err := savePlot(errOut, "run", f.plot, func() (chart.Figure, error) { return chart.SessionOf(s, f.Seed, r), nil }); err != nil {
				return err
			}
			question, err := render.Run(out, s, r, f.asJSON, f.show, c.Flags().Changed("show"))
			if err != nil {
				return err
			}
			if err := r.Failure(); err != nil || !question {
				return err
			}
			return pg.printStory(ctx, out, s, f.Seed)
		},
	}
	c.Flags().StringArrayVar(&f.Agents, "agents", []string{"boulware"}, "strategy specs, one per party in order (comma-separated)")
	c.Flags().StringSliceVar(&f.profiles, "profiles", nil, "GENIUS profile files for a domain-file SCENARIO, in party order")
	c.Flags().IntVar(&f.Deadline, "deadline", 0, fmt.Sprintf("rounds allowed (default: the scenario's, else %d)", session.DefaultDeadline))
	c.Flags().DurationVar(&f.TimeLimit, "time-limit", 0, "also end after this much wall time (makes runs speed-dependent)")
	c.Flags().Uint64Var(&f.Seed, "seed", 1, "random seed: fixes every random choice")
	c.Flags().BoolVar(&f.asJSON, "json", false, "print the result as JSON (schema in docs/cli.md)")
	c.Flags().StringVar(&f.trace, "trace", "", "write the run as JSON lines to this file: a header, every action, the result (docs/cli.md)")
	c.Flags().IntVar(&f.show, "show", 6, "actions to list at the start and at the end of the negotiation (-1: all); a scenario with a question prints its run in short unless --show is given")
	c.Flags().StringVar(&f.Protocol, "protocol", session.ProtocolAuto, "auto, sao or staged: auto runs the scenario's declared protocol when it has one, else alternating offers (--deadline, --time-limit and --timing need sao)")
	c.Flags().StringVar(&f.Variant, "variant", "", "a protocol variant the scenario declares (default: its stages in order)")
	c.Flags().StringArrayVar(&f.Voters, "voters", nil, "voter specs for mediated stages, one per party in order (default "+session.DefaultVoter+"; see 'parley agents')")
	c.Flags().StringVar(&f.Mediator, "mediator", "", "mediator spec for mediated stages (default: the stage's mediator_policy)")
	c.Flags().StringVar(&f.Timing, "timing", "", "how time runs: steps or genius (default: genius when every agent is genius-*, else steps)")
	c.Flags().StringVar(&f.plot, "plot", "", "draw the offers in the utility plane of every two parties "+plotFlagHelp)
	return c
}

// printStory answers the scenario's protocol question after a text run:
// each compared variant's agreement rate over experiment.DefaultStoryRuns
// runs, at matched information and as declared (experiment.TellStory),
// and a one-line caveat.
func (pg *program) printStory(ctx context.Context, out io.Writer, s *scenario.Scenario, seed uint64) error {
	cfg := experiment.Config{Seed: seed}
	if err := pg.setPool(&cfg, nil, nil); err != nil {
		return err
	}
	st, err := experiment.TellStory(ctx, s, cfg)
	return render.Story(out, s, st, err)
}
