package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/cli/internal/progress"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/distrib"
	"github.com/parley-dev/parley/internal/syncio"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/session"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy/mediator"
	"github.com/parley-dev/parley/tournament"
)

// defaultTournamentLimit is the wall-time limit of one negotiation of a
// tournament (and of a worker's and a replay's).
const defaultTournamentLimit = time.Minute

func (pg *program) newTournamentCmd() *cobra.Command {
	var ts tournament.Spec // the flags'
	var asJSON, quiet bool
	var qf queueFlags // flags only, not in the file
	c := &cobra.Command{
		Use:   "tournament [FILE.yaml]",
		Short: "Run every agent against every other on many scenarios, resumably, into SQLite",
		Long: `Run a tournament: every ordered assignment of --agents to the parties of
every scenario (all role rotations; with --self-play an agent may also meet
itself), --reps times, each negotiation seeded from --seed and its position
(its run id), so that 'parley replay DB RUN_ID' re-runs any one alone.
Negotiations run in parallel on all cores (--workers) and their results go
to the SQLite database --db in batches.

Resumable: killed at any point (Ctrl-C, kill -9), the same command continues
where it stopped: runs already stored are skipped, none is run twice. A
database holds one tournament: reusing it with other settings is an error.

Three protocols (--protocol):
  sao       alternating offers (the default with --agents): the agents
            compete, as above, for --deadline rounds;
  mediated  single-text mediation (the default with --mediators and no
            --agents): every --mediators spec mediates on every scenario
            with every voter pool (each assignment of a --voters spec to
            every party), --reps times, for --deadline rounds, under --rule
            (default mediator: each mediator adopts as it was designed to)
            and --info (default declared: the profiles, which nash, ks and
            biased need, with --noise's noise, default none); a mediator
            meets every voter pool with the same seeds as every other
            mediator, so they compare run by run;
  staged    each scenario's declared protocol (its stages, or --variant's):
            the agents compete in the parties that make offers in an
            alternating-offers stage; in mediated stages party i votes with
            --voters spec i mod n (default reservation) and the one
            --mediators spec (default: the stages' mediator_policy) holds
            the pen; the stages set their own rounds.
A flag that does not apply to the protocol is an error naming it.

The settings can come from a YAML file instead of flags (fields: agents,
scenarios, reps, deadline, seed, self_play, timing, workers, limit, db,
shard, queue, protocol, mediators, voters, variant, rule, info, noise;
relative paths are relative to the file); flags given as well override the
file.

--timing sets how normalised time t runs in every negotiation: "steps"
(Parley's: each turn advances the clock), "genius" (GENIUS's round timing,
t = R/(D+1) in round R, for any agents: use it to reproduce ANAC-style
results) or "auto" (the default: genius for a negotiation whose agents are
all genius-*, steps otherwise). It is saved with the results.

--limit bounds the wall time of one negotiation: a strategy that loops or
stalls gets that run recorded as an error ("exceeded the time limit") and
the tournament goes on. --shard i/n runs only the runs whose id is i mod n
(one process of a batch-scheduler array; combine the databases with 'parley
merge'). --queue sends the runs to 'parley worker' processes over NATS
JetStream instead of running them here.

At the end it prints the leaderboard, of the agents or of the mediators
('parley report' prints it again; see docs/tournaments.md).`,
		Example: `  parley tournament --agents boulware,conceder,linear,tft --scenarios ceasefire --reps 10 --db results.db
  parley tournament --agents boulware,conceder --scenarios ../shared/scenarios/genius/EnglandZimbabwe_anac2010,../shared/scenarios/genius/ItexvsCypress_anac2010 --reps 100 --deadline 100 --seed 7 --db ez.db
  parley tournament tournament.yaml
  parley tournament tournament.yaml --shard 3/8 --db shard3.db
  parley tournament tournament.yaml --queue nats://localhost:4222
  parley tournament --mediators nash,ks,hillclimb,anneal,feedback,biased:bias=0.5 --voters hillclimber,annealer --scenarios ceasefire --reps 5 --db mediators.db
  parley tournament --protocol staged --agents boulware,conceder,linear --scenarios ceasefire --reps 5 --db staged.db`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageError{fmt.Errorf("%s: one tournament file at most, got %d arguments (see '%s --help')", c.CommandPath(), len(args), c.CommandPath())}
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			s := ts
			s.Agents, s.Mediators, s.Voters = spec.SplitLists(s.Agents), spec.SplitLists(s.Mediators), spec.SplitLists(s.Voters)
			given := func(key string) bool { return c.Flags().Changed(strings.ReplaceAll(key, "_", "-")) }
			in, err := tournament.Load(strings.Join(args, ""), s, given)
			if err != nil {
				return usageError{err}
			}
			// The queue reports reconnections from its own goroutines: every
			// write to stderr goes through one lock, and none after the
			// command returns.
			ctx, stdout, stderr := c.Context(), c.OutOrStdout(), syncio.NewWriter(c.ErrOrStderr())
			defer stderr.Close()
			cfg, shard, err := tournament.Build(in, pg.resolver(func(ref string) (*scenario.Scenario, error) { return openScenario(stderr, ref, nil) }))
			if err != nil {
				return usageError{err}
			}
			render.IgnoredProtocols(stderr, cfg)
			b, err := qf.open(distrib.Options{DB: in.DB, Shard: in.Shard, Queue: in.Queue}, stderr, "tournament")
			if err != nil {
				return err
			}
			defer b.Close()
			// The bar writes to the terminal itself (progress.New needs the
			// *os.File to tell a terminal); on anything else it is off.
			bar := progress.New(ctx, stderr.Underlying(), quiet, "negotiations", "")
			sum, err := b.Run(ctx, cfg, bar.Func())
			bar.Finish(err == nil)
			if err != nil {
				return sum.Stopped(err, in.DB)
			}
			summary := stdout
			if asJSON { // beside the JSON report
				summary = stderr
			}
			fmt.Fprintln(summary, render.TournamentSummary(sum, shard, in.DB))
			if quiet {
				return nil
			}
			rep, err := reportOf(ctx, b.DB)
			if err != nil {
				return err
			}
			if !asJSON {
				fmt.Fprintln(stdout)
			}
			return render.WriteReport(stdout, rep, asJSON, false)
		},
	}
	fl := c.Flags()
	fl.StringArrayVar(&ts.Agents, "agents", nil, "competing strategy specs, comma-separated (see 'parley agents')")
	fl.StringSliceVar(&ts.Scenarios, "scenarios", nil, "scenarios: built-in names or paths, comma-separated")
	fl.IntVar(&ts.Reps, "reps", 1, "repetitions of every pairing and role")
	fl.IntVar(&ts.Deadline, "deadline", session.DefaultDeadline, "rounds per negotiation")
	fl.Uint64Var(&ts.Seed, "seed", 1, "tournament seed: fixes every negotiation")
	fl.BoolVar(&ts.SelfPlay, "self-play", false, "let an agent negotiate against itself")
	fl.StringVar(&ts.Timing, "timing", "auto", "how time runs: auto, steps or genius (auto: genius when every agent of a negotiation is genius-*, else steps)")
	fl.IntVar(&ts.Workers, "workers", 0, "negotiations run in parallel (default: all cores); results do not depend on it")
	fl.StringVar(&ts.Limit, "limit", defaultTournamentLimit.String(), "wall-time limit of one negotiation (0: none)")
	fl.StringVar(&ts.DB, "db", "", "SQLite results database (created if missing; required)")
	fl.StringVar(&ts.Shard, "shard", "", "run only the runs with id = i mod n (i/n)")
	fl.StringVar(&ts.Queue, "queue", "", "NATS JetStream URL (nats://HOST:4222): publish the runs to 'parley worker' processes")
	fl.StringVar(&ts.Protocol, "protocol", "", "sao, mediated or staged (default: mediated with --mediators and no --agents, else sao)")
	fl.StringArrayVar(&ts.Mediators, "mediators", nil, "mediator specs, comma-separated (see 'parley agents'): the competitors of a mediated tournament, or the one mediator of a staged one")
	fl.StringArrayVar(&ts.Voters, "voters", nil, "voter specs, comma-separated: a mediated tournament's voter pools, a staged one's voters by party (default "+session.DefaultVoter+")")
	fl.StringVar(&ts.Variant, "variant", "", "the declared protocol variant a staged tournament runs (default: the declared stages)")
	fl.StringVar(&ts.Rule, "rule", "", "a mediated tournament's adoption rule: unanimous, majority or mediator (default mediator)")
	fl.StringVar(&ts.Info, "info", "", "what a mediated tournament's mediators see: none, declared, full or nothing (default declared)")
	fl.Float64Var(&ts.Noise, "noise", 0, "a mediated tournament's noise on declared profiles (standard deviation, with --info declared)")
	fl.BoolVar(&asJSON, "json", false, "print the final report as JSON (as 'parley report --json')")
	fl.BoolVarP(&quiet, "quiet", "q", false, "print only the summary line: no progress bar, no leaderboard")
	qf.add(c)
	return c
}

// resolver resolves the names of a tournament through the program's
// registries and opens its scenarios with open.
func (pg *program) resolver(open func(ref string) (*scenario.Scenario, error)) tournament.Resolver {
	return tournament.Resolver{Agent: pg.negotiators.Parse, Scenario: open, Mediator: pg.mediators.Parse, Voter: pg.voters.Parse, GeniusTiming: session.IsGeniusSpec,
		DefaultVoter: session.DefaultVoter,
		AsDesigned:   mediator.AsDesigned}
}

// openRef opens a scenario reference of a stored tournament.
func openRef(ref string) (*scenario.Scenario, error) { return catalog.Open(ref, catalog.Options{}) }
