package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/cli/internal/progress"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/distrib/natsq"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/tournament"
)

// tournamentSpec is a tournament as given by flags or a tournament file
// (its fields are the flags' names, docs/tournaments.md).
type tournamentSpec struct {
	tournament.Spec
	// file is the tournament file (nil: flags only); fromFile marks the
	// fields (YAML keys) whose value came from it.
	file     *tournament.File
	fromFile map[string]bool
	// queueFlags are the queue's connection flags (flags only).
	queueFlags *queueFlags
	// flagsSet marks the flags given on the command line (by flag name).
	flagsSet map[string]bool
}

// given reports whether the setting of the YAML key was given, by the
// file or by its flag.
func (s *tournamentSpec) given(key string) bool {
	return s.fromFile[key] || s.flagsSet[flagKeys[key]]
}

// Defaults of 'parley tournament'.
const (
	defaultTournamentLimit = time.Minute
	defaultReps            = 1
)

func (pg *program) newTournamentCmd() *cobra.Command {
	spec := tournamentSpec{Spec: tournament.Spec{Reps: defaultReps, Deadline: defaultDeadline, Seed: 1, Limit: defaultTournamentLimit.String()}}
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
			s := spec
			if len(args) == 1 {
				f, err := tournament.ReadFile(args[0])
				if err != nil {
					return usageError{err}
				}
				s = mergeSpec(f, spec, c)
			}
			if s.Queue == "" && qf.set() {
				return usageError{errors.New("tournament: --queue-* flags need --queue URL")}
			}
			s.queueFlags = &qf
			s.flagsSet = map[string]bool{}
			for _, name := range flagKeys {
				s.flagsSet[name] = c.Flags().Changed(name)
			}
			return pg.runTournament(c.Context(), c.OutOrStdout(), c.ErrOrStderr(), s, asJSON, quiet)
		},
	}
	fl := c.Flags()
	fl.StringArrayVar(&spec.Agents, "agents", nil, "competing strategy specs, comma-separated (see 'parley agents')")
	fl.StringSliceVar(&spec.Scenarios, "scenarios", nil, "scenarios: built-in names or paths, comma-separated")
	fl.IntVar(&spec.Reps, "reps", defaultReps, "repetitions of every pairing and role")
	fl.IntVar(&spec.Deadline, "deadline", defaultDeadline, "rounds per negotiation")
	fl.Uint64Var(&spec.Seed, "seed", 1, "tournament seed: fixes every negotiation")
	fl.BoolVar(&spec.SelfPlay, "self-play", false, "let an agent negotiate against itself")
	fl.StringVar(&spec.Timing, "timing", timingAuto, "how time runs: auto, steps or genius (auto: genius when every agent of a negotiation is genius-*, else steps)")
	fl.IntVar(&spec.Workers, "workers", 0, "negotiations run in parallel (default: all cores); results do not depend on it")
	fl.StringVar(&spec.Limit, "limit", defaultTournamentLimit.String(), "wall-time limit of one negotiation (0: none)")
	fl.StringVar(&spec.DB, "db", "", "SQLite results database (created if missing; required)")
	fl.StringVar(&spec.Shard, "shard", "", "run only the runs with id = i mod n (i/n)")
	fl.StringVar(&spec.Queue, "queue", "", "NATS JetStream URL (nats://HOST:4222): publish the runs to 'parley worker' processes")
	fl.StringVar(&spec.Protocol, "protocol", "", "sao, mediated or staged (default: mediated with --mediators and no --agents, else sao)")
	fl.StringArrayVar(&spec.Mediators, "mediators", nil, "mediator specs, comma-separated (see 'parley agents'): the competitors of a mediated tournament, or the one mediator of a staged one")
	fl.StringArrayVar(&spec.Voters, "voters", nil, "voter specs, comma-separated: a mediated tournament's voter pools, a staged one's voters by party (default "+defaultVoter+")")
	fl.StringVar(&spec.Variant, "variant", "", "the declared protocol variant a staged tournament runs (default: the declared stages)")
	fl.StringVar(&spec.Rule, "rule", "", "a mediated tournament's adoption rule: unanimous, majority or mediator (default mediator)")
	fl.StringVar(&spec.Info, "info", "", "what a mediated tournament's mediators see: none, declared, full or nothing (default declared)")
	fl.Float64Var(&spec.Noise, "noise", 0, "a mediated tournament's noise on declared profiles (standard deviation, with --info declared)")
	fl.BoolVar(&asJSON, "json", false, "print the final report as JSON (as 'parley report --json')")
	fl.BoolVarP(&quiet, "quiet", "q", false, "print only the summary line: no progress bar, no leaderboard")
	qf.add(c)
	return c
}

// flagKeys maps the YAML keys to their flags.
var flagKeys = map[string]string{"agents": "agents", "scenarios": "scenarios", "reps": "reps", "deadline": "deadline",
	"seed": "seed", "self_play": "self-play", "timing": "timing", "workers": "workers", "limit": "limit", "db": "db", "shard": "shard", "queue": "queue",
	"protocol": "protocol", "mediators": "mediators", "voters": "voters", "variant": "variant", "rule": "rule", "info": "info", "noise": "noise"}

// mergeSpec returns the file's settings overridden by the flags given on
// the command line, with the flags' defaults for what neither sets.
func mergeSpec(f *tournament.File, flags tournamentSpec, c *cobra.Command) tournamentSpec {
	s := tournamentSpec{Spec: f.Spec, file: f, fromFile: map[string]bool{}}
	set := func(key string) bool {
		if c.Flags().Changed(flagKeys[key]) {
			return true
		}
		s.fromFile[key] = f.Sets(key)
		return !f.Sets(key)
	}
	if set("agents") {
		s.Agents = flags.Agents
	}
	if set("scenarios") {
		s.Scenarios = flags.Scenarios
	}
	if set("reps") {
		s.Reps = flags.Reps
	}
	if set("deadline") {
		s.Deadline = flags.Deadline
	}
	if set("seed") {
		s.Seed = flags.Seed
	}
	if set("self_play") {
		s.SelfPlay = flags.SelfPlay
	}
	if set("timing") {
		s.Timing = flags.Timing
	}
	if set("workers") {
		s.Workers = flags.Workers
	}
	if set("limit") {
		s.Limit = flags.Limit
	}
	if set("db") {
		s.DB = flags.DB
	}
	if set("shard") {
		s.Shard = flags.Shard
	}
	if set("queue") {
		s.Queue = flags.Queue
	}
	if set("protocol") {
		s.Protocol = flags.Protocol
	}
	if set("mediators") {
		s.Mediators = flags.Mediators
	}
	if set("voters") {
		s.Voters = flags.Voters
	}
	if set("variant") {
		s.Variant = flags.Variant
	}
	if set("rule") {
		s.Rule = flags.Rule
	}
	if set("info") {
		s.Info = flags.Info
	}
	if set("noise") {
		s.Noise = flags.Noise
	}
	return s
}

// errorAt returns an error about the field at the YAML path (e.g.
// "$.agents[2]") of the spec's file, with its position and the source
// line, or a plain error naming the flag when the value came from a flag.
func (s *tournamentSpec) errorAt(key, path string, err error) error {
	if s.file == nil || !s.fromFile[key] {
		return usageError{fmt.Errorf("tournament: --%s: %w", flagKeys[key], err)}
	}
	return usageError{s.file.ErrorAt(strings.TrimPrefix(path, "$."), err)}
}

// buildTournament checks the spec and builds the tournament: every agent
// parsed and every scenario loaded before anything runs.
func (pg *program) buildTournament(s *tournamentSpec, stderr io.Writer) (*tournament.Config, tournament.Shard, error) {
	var shard tournament.Shard
	agents, meds, voters := s.Agents, s.Mediators, s.Voters
	if !s.fromFile["agents"] {
		agents = splitAgents(agents)
	}
	if !s.fromFile["mediators"] {
		meds = splitAgents(meds)
	}
	if !s.fromFile["voters"] {
		voters = splitAgents(voters)
	}
	proto, err := tournamentProtocol(s, agents, meds)
	if err != nil {
		return nil, shard, err
	}
	if len(agents) == 0 && proto != tournament.ProtocolMediated {
		return nil, shard, usageError{errors.New("tournament: no agents: give --agents a,b,... or agents: in the file")}
	}
	if len(s.Scenarios) == 0 {
		return nil, shard, usageError{errors.New("tournament: no scenarios: give --scenarios NAME,PATH,... or scenarios: in the file")}
	}
	if s.DB == "" {
		return nil, shard, usageError{errors.New("tournament: no results database: give --db FILE.db or db: in the file")}
	}
	if s.Reps < 1 {
		return nil, shard, s.errorAt("reps", "$.reps", fmt.Errorf("%d repetitions: want at least 1", s.Reps))
	}
	if s.Deadline < 1 {
		return nil, shard, s.errorAt("deadline", "$.deadline", fmt.Errorf("%d rounds: want at least 1", s.Deadline))
	}
	if s.Workers < 0 {
		return nil, shard, s.errorAt("workers", "$.workers", fmt.Errorf("%d workers is negative", s.Workers))
	}
	limit, err := parseLimit(s.Limit)
	if err != nil {
		return nil, shard, s.errorAt("limit", "$.limit", err)
	}
	deadline := s.Deadline
	if proto == tournament.ProtocolStaged {
		deadline = 0 // the stages' own rounds
	}
	if s.Shard != "" {
		if shard, err = tournament.ParseShard(s.Shard); err != nil {
			return nil, shard, s.errorAt("shard", "$.shard", err)
		}
	}
	timing, err := tournamentTiming(s.Timing)
	if err != nil {
		return nil, shard, s.errorAt("timing", "$.timing", err)
	}
	cfg := &tournament.Config{Reps: s.Reps, Deadline: deadline, Seed: s.Seed, SelfPlay: s.SelfPlay, Timing: timing, Workers: s.Workers, Limit: limit,
		Protocol: proto, Variant: strings.TrimSpace(s.Variant)}
	seen := map[string]bool{}
	for i, spec := range agents {
		spec = strings.TrimSpace(spec)
		f, err := pg.negotiator(spec)
		if err != nil {
			return nil, shard, s.errorAt("agents", fmt.Sprintf("$.agents[%d]", i), err)
		}
		if seen[spec] {
			return nil, shard, s.errorAt("agents", fmt.Sprintf("$.agents[%d]", i), fmt.Errorf("agent %q is listed twice", spec))
		}
		seen[spec] = true
		cfg.Competitors = append(cfg.Competitors, tournament.Competitor{Name: spec, New: f, GeniusTiming: isGeniusSpec(spec)})
	}
	for i, ref := range s.Scenarios {
		ref = strings.TrimSpace(ref)
		sc, err := catalog.Open(ref, catalog.Options{})
		if err != nil {
			return nil, shard, s.errorAt("scenarios", fmt.Sprintf("$.scenarios[%d]", i), err)
		}
		printWarnings(stderr, sc)
		cfg.Scenarios = append(cfg.Scenarios, sc)
		cfg.ScenarioRefs = append(cfg.ScenarioRefs, ref)
	}
	if err := pg.mediationSeats(s, cfg, meds, voters); err != nil {
		return nil, shard, err
	}
	if err := cfg.Prepare(); err != nil {
		return nil, shard, usageError{err}
	}
	return cfg, shard, nil
}

// timingAuto is the default of the tournament's --timing.
const timingAuto = "auto"

// tournamentTiming parses a tournament's --timing (or timing:).
func tournamentTiming(s string) (tournament.Timing, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", timingAuto:
		return tournament.TimingAuto, nil
	case timingSteps:
		return tournament.TimingSteps, nil
	case timingGenius:
		return tournament.TimingGENIUS, nil
	}
	return "", fmt.Errorf("%q: want %s, %s or %s", s, timingAuto, timingSteps, timingGenius)
}

func parseLimit(s string) (time.Duration, error) {
	if s == "" || s == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("limit %q: want a duration such as 30s or 2m", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("limit %v is negative", d)
	}
	return d, nil
}

// configFromMeta rebuilds a stored tournament (replays): agents from their
// specs, scenarios from their references.
func (pg *program) configFromMeta(m tournament.Meta, limit time.Duration) (*tournament.Config, error) {
	cfg := &tournament.Config{Reps: m.Reps, Deadline: m.Deadline, Seed: m.Seed, SelfPlay: m.SelfPlay, Timing: m.Timing, Limit: limit,
		Protocol: m.Protocol, Variant: m.Variant, Noise: m.Noise, Arms: m.Arms}
	var err error
	if m.Rule != "" {
		if cfg.Rule, err = parley.ParseRule(m.Rule); err != nil {
			return nil, fmt.Errorf("the stored tournament: %w", err)
		}
	}
	if m.Info != "" {
		if cfg.Info, err = parley.ParseInfo(m.Info); err != nil {
			return nil, fmt.Errorf("the stored tournament: %w", err)
		}
	}
	for _, spec := range m.Mediators {
		f, err := pg.mediator(spec)
		if err != nil {
			return nil, fmt.Errorf("mediator %q of the stored tournament: %w", spec, err)
		}
		cfg.Mediators = append(cfg.Mediators, tournament.Mediator{Name: spec, New: f})
	}
	for _, spec := range m.Voters {
		f, err := pg.voter(spec)
		if err != nil {
			return nil, fmt.Errorf("voter %q of the stored tournament: %w", spec, err)
		}
		cfg.Voters = append(cfg.Voters, tournament.Voter{Name: spec, New: f})
	}
	for _, spec := range m.Agents {
		f, err := pg.negotiator(spec)
		if err != nil {
			return nil, fmt.Errorf("agent %q of the stored tournament: %w", spec, err)
		}
		cfg.Competitors = append(cfg.Competitors, tournament.Competitor{Name: spec, New: f, GeniusTiming: isGeniusSpec(spec)})
	}
	for _, ref := range m.Scenarios {
		sc, err := catalog.Open(ref, catalog.Options{})
		if err != nil {
			return nil, fmt.Errorf("scenario %q of the stored tournament: %w", ref, err)
		}
		cfg.Scenarios = append(cfg.Scenarios, sc)
		cfg.ScenarioRefs = append(cfg.ScenarioRefs, ref)
	}
	if err := cfg.Prepare(); err != nil {
		return nil, err
	}
	if n := tournament.Count(cfg); n != m.Planned {
		return nil, fmt.Errorf("the stored tournament plans %d runs but its agents and scenarios now give %d (did a scenario change?)", m.Planned, n)
	}
	return cfg, nil
}

func (pg *program) runTournament(ctx context.Context, stdout, stderr io.Writer, s tournamentSpec, asJSON, quiet bool) error {
	// The queue reports reconnections from its own goroutines: every write
	// to stderr goes through one lock, and none after the command returns.
	lw := &lockedWriter{w: stderr}
	defer lw.close()
	stderr = lw
	cfg, shard, err := pg.buildTournament(&s, stderr)
	if err != nil {
		return err
	}
	// Alternating offers play every scenario among all its parties; a
	// declared protocol (stages, a mediator) is not used: say so rather
	// than switch silently.
	for i, sc := range cfg.Scenarios {
		if sc.Protocol != nil && cfg.Protocol == tournament.ProtocolSAO {
			fmt.Fprintf(stderr, "tournament: scenario %s declares a protocol (stages); this tournament runs it by plain alternating offers among all %d parties for %d rounds (--protocol staged runs its stages)\n",
				cfg.ScenarioRefs[i], len(sc.Parties), cfg.Deadline)
		}
	}
	st, err := sqlite.New(s.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	// A database of another tournament is an error before anything runs
	// (Run checks again; Open is idempotent).
	meta, err := cfg.Meta()
	if err != nil {
		return err
	}
	if _, err := st.Open(ctx, meta); err != nil {
		return err
	}
	opt := tournament.RunOptions{Shard: shard}
	if s.Queue != "" {
		var qopt natsq.Options
		if s.queueFlags != nil {
			if qopt, err = s.queueFlags.options(func(format string, args ...any) {
				fmt.Fprintf(stderr, "parley tournament: "+format+"\n", args...)
			}); err != nil {
				return err
			}
		}
		q, err := natsq.Dial(ctx, s.Queue, qopt)
		if err != nil {
			return err
		}
		defer q.Close()
		opt.Queue = q
	}
	// The bar writes to the terminal itself (progress.New needs the
	// *os.File to tell a terminal); on anything else it is off.
	bar := progress.New(ctx, lw.w, quiet, "negotiations", "")
	if bar != nil {
		opt.Progress = bar.Update
	}
	sum, err := tournament.Run(ctx, cfg, st, opt)
	bar.Finish(err == nil)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("tournament: interrupted after storing %d runs (%d of %d now stored in %s): run the same command to continue",
				sum.Ran, sum.Skipped+sum.Ran+sum.Duplicates, sum.Selected, s.DB)
		}
		if sum.Selected > 0 { // it stopped after storing what it had
			return fmt.Errorf("%w\ntournament: %d of %d runs are stored in %s: run the same command to continue", err,
				sum.Skipped+sum.Ran+sum.Duplicates, sum.Selected, s.DB)
		}
		return err
	}
	what := fmt.Sprintf("%d runs", sum.Selected)
	if shard.Count > 1 {
		what = fmt.Sprintf("%d runs of shard %s (%d in the tournament)", sum.Selected, shard, sum.Planned)
	}
	// Ran counts what this process stored: with another process writing
	// the same database, its duplicates are counted apart.
	dups := ""
	if sum.Duplicates > 0 {
		dups = fmt.Sprintf(", %d run here but stored first by another process", sum.Duplicates)
	}
	line := fmt.Sprintf("tournament: %s: ran %d in %.2fs (%.0f/s), %d already stored%s, %d errors; results in %s",
		what, sum.Ran, sum.Elapsed.Seconds(), sum.Rate(), sum.Skipped, dups, sum.Errors, s.DB)
	if asJSON {
		fmt.Fprintln(stderr, line)
	} else {
		fmt.Fprintln(stdout, line)
	}
	if quiet {
		return nil
	}
	rep, err := reportOf(ctx, st)
	if err != nil {
		return err
	}
	if asJSON {
		return render.WriteReportJSON(stdout, rep)
	}
	fmt.Fprintln(stdout)
	render.Report(stdout, rep)
	return nil
}

// lockedWriter serialises writes to w, from any goroutine, and drops them
// once closed.
type lockedWriter struct {
	mu     sync.Mutex
	w      io.Writer
	closed bool
}

// Write writes p to w unless the writer is closed.
func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return len(p), nil
	}
	return l.w.Write(p)
}

// close makes later writes no-ops.
func (l *lockedWriter) close() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
}
