package experiment

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/tournament"
)

// DefaultNegotiators returns the default strategy pool for alternating
// offers: time-dependent Boulware (e = 0.2), Linear and Conceder (e = 2),
// and tit-for-tat. The names are strategy specs (parley agents lists them).
// The pools are functions returning fresh slices, so that no caller can
// change the defaults for everyone else.
func DefaultNegotiators() []string { return []string{"boulware", "linear", "conceder:e=2", "tft"} }

// DefaultVoters returns the default voter pool for mediated stages:
// hill-climbing, annealing and reservation-aware voters.
func DefaultVoters() []string { return []string{"hillclimber", "annealer", "reservation"} }

// ErrUnknownArm is wrapped by the error for a baseline that names no arm
// (a *spec.FieldError for Baseline).
var ErrUnknownArm = errors.New("no such arm")

// Negotiator is a named alternating-offers strategy of the pool.
type Negotiator struct {
	Name string
	New  func() parley.Negotiator
}

// Voter is a named mediated-stage voter strategy of the pool.
type Voter struct {
	Name string
	New  func() mediated.Voter
}

// Pool is the strategies that the runs cycle through (tournament.Assign).
// Run i gives seated party j (in Report.Negotiators order) negotiator
//
//	Negotiators[(a / |N|^j) mod |N|]   with a = i mod |N|^k
//
// and voter
//
//	Voters[(b / |V|^j) mod |V|]        with b = (i + ⌊i/L⌋) mod |V|^k
//
// for k seated parties and L = lcm(|N|^k, |V|^k): the negotiator tuples
// cycle with period |N|^k and the voter tuples with period |V|^k, and the
// ⌊i/L⌋ shift makes every (negotiator tuple, voter tuple) pair appear
// exactly once in each |N|^k·|V|^k consecutive runs (when the periods are
// coprime, as 16 and 9 for the default pool with two negotiators, the
// shift is 0 in the first period and the crossing is the Chinese-remainder
// one). The same i gives the same strategies in every arm.
type Pool struct {
	Negotiators []Negotiator
	Voters      []Voter
}

// Config configures an experiment.
type Config struct {
	Runs    int    // runs per arm, at least 1
	Seed    uint64 // run i uses seed rng.Derive(Seed, i) in every arm
	Workers int    // parallel workers; 0 means runtime.GOMAXPROCS(0)
	Pool    Pool
	// Mediator returns a factory for a mediated stage's mediator_policy
	// spec (required when an arm has a mediated stage).
	Mediator func(spec string) (func() mediated.Mediator, error)
	// NeedsDeclared reports whether a mediator_policy spec needs the
	// parties' declared preferences (nil: none does); Sequencing runs
	// VotesMediatorPolicy in its place where the mediator sees votes only.
	NeedsDeclared func(spec string) bool
	// Baseline is the arm the others are compared with ("" = the first).
	Baseline string
	// Progress, when set, is called from one goroutine as runs are
	// stored: done of total runs of this invocation (of all arms; runs
	// already in Store count in neither), first with 0, done never
	// falling (tournament.RunOptions.Progress).
	Progress func(done, total int64)
	// Tables are earlier prepared copies of the arms' scenario whose
	// utility tables the arms share (Scenario.Prepare), as a robustness
	// analysis shares them between its points; nil prepares anew.
	Tables []*scenario.Prepared

	// Ref says how to load the scenario again (a path or a built-in
	// name), for the store's identity and remote workers ("" = the
	// scenario's Source, or Name).
	Ref string
	// Store keeps the runs (nil: memory): with a database, an
	// interrupted experiment resumes where it stopped.
	Store Store
	// Queue, when set, opens a queue to remote workers (distrib/natsq),
	// on which Run runs the arms as a tournament runs there; Run closes
	// it. A queue serves one tournament, so a robustness analysis opens
	// one per parameter point.
	Queue func(context.Context) (tournament.Queue, error)
	// Shard restricts this process to a share of the runs (Run then
	// stores them and returns ErrShard); merge the shards' stores and run
	// on the merged store for the report.
	Shard tournament.Shard
	// Limit is the wall-time limit of one run (0: none): a run over it
	// ends with reason error.
	Limit time.Duration

	// design is the Design that asked for the arms, stored with them
	// (tournament.Config.Design); nil when Run is called directly.
	design *tournament.Design
}

// Validate reports the first of Runs, Workers and Limit that is out of
// range as a *spec.FieldError, before anything runs; Run and Robustness
// check it too.
func (cfg *Config) Validate() error {
	switch {
	case cfg.Runs < 1:
		return &spec.FieldError{Field: "Runs", Value: strconv.Itoa(cfg.Runs), Err: errors.New("need at least 1 run")}
	case cfg.Workers < 0:
		return &spec.FieldError{Field: "Workers", Value: strconv.Itoa(cfg.Workers), Err: errNegative}
	case cfg.Limit < 0:
		return &spec.FieldError{Field: "Limit", Value: cfg.Limit.String(), Err: errNegative}
	}
	return nil
}

// errNegative is the error of a count or duration that is negative.
var errNegative = errors.New("must not be negative")

// Treatment is one arm to run: a variant of the experiment's scenario's
// protocol, on the scenario with some settings changed.
type Treatment struct {
	Name    string
	Variant string         // "" = the protocol's default stages
	Params  map[string]any // sweep cell values, for the report
	// Set are the settings (scenario.Scenario.With) that make the arm's
	// scenario from the experiment's, so that a worker elsewhere can
	// rebuild the arm.
	Set []string
}

// Store keeps an experiment's runs as a tournament keeps its results
// (store/sqlite implements it): Run writes there, skipping the runs it
// already holds, so that an interrupted experiment resumes, and reads them
// back for the report.
type Store interface {
	tournament.Store
	// Records returns every stored record, in job order.
	Records(ctx context.Context) iter.Seq2[tournament.Record, error]
}

// arm is a treatment ready to run.
type arm struct {
	t       Treatment
	s       *scenario.Scenario // the arm's scenario: the experiment's with t.Set
	plan    staged.Plan
	medSpec string // the mediator strategy spec ("" without a mediated stage)
}

// Sequencing runs every variant declared by s's protocol as one arm, in
// file order (ceasefire: bilateral_only, mediated_from_start,
// bilateral_then_mediated, mediated_then_bilateral), on the same seeds,
// at matched information (SequencingArms): Report.Information says so.
func Sequencing(ctx context.Context, s *scenario.Scenario, cfg Config) (*Report, error) {
	ts, info, err := SequencingArms(s, nil, nil, cfg.NeedsDeclared)
	if err != nil {
		return nil, err
	}
	r, err := Run(ctx, "sequencing", s, ts, cfg)
	if err != nil {
		return nil, err
	}
	r.Information = info
	return r, nil
}

// Sweep runs every cell of the parameters' grid (Grid) on the given
// protocol variants ("" = the declared default stages; none = just ""),
// one arm per cell and variant, on the same seeds. Arms are named by the
// cell, followed by "/variant" when more than one variant is swept.
func Sweep(ctx context.Context, s *scenario.Scenario, params []Param, variants []string, cfg Config) (*Report, error) {
	cells, err := Grid(params)
	if err != nil {
		return nil, err
	}
	if len(variants) == 0 {
		variants = []string{""}
	}
	if s.Protocol == nil && (len(variants) > 1 || variants[0] != "") {
		return nil, fmt.Errorf("experiment: scenario %s declares no protocol, so no variants", s.Name)
	}
	for _, v := range variants {
		if v != "" && s.Protocol.Variant(v) == nil {
			return nil, fmt.Errorf("experiment: scenario %s has no protocol variant %q", s.Name, v)
		}
	}
	var ts []Treatment
	for _, c := range cells {
		if _, err := c.Apply(s); err != nil {
			return nil, err
		}
		for _, v := range variants {
			name := c.Name()
			if len(variants) > 1 {
				vn := v
				if vn == "" {
					vn = "default"
				}
				name += "/" + vn
			}
			ts = append(ts, Treatment{Name: name, Variant: v, Params: c.Map(), Set: c.Settings()})
		}
	}
	r, err := Run(ctx, "sweep", s, ts, cfg)
	if err != nil {
		return nil, err
	}
	for _, p := range params {
		r.Parameters = append(r.Parameters, ParamValues{Name: p.Key(), Values: p.Values})
	}
	return r, nil
}

// Run runs every treatment cfg.Runs times on the same seeds and strategy
// assignments and returns the report: the treatments are the arms of a
// tournament of arms (tournament.Arm) on s, run by the tournament's
// runner into cfg.Store (or memory), so that an experiment resumes,
// shards and runs on remote workers as a tournament does. The report does
// not depend on the number of workers, local or remote.
func Run(ctx context.Context, experiment string, s *scenario.Scenario, ts []Treatment, cfg Config) (*Report, error) {
	tc, arms, neg, med, base, err := tournamentOf(s, ts, cfg)
	if err != nil {
		return nil, err
	}
	st := cfg.Store
	if st == nil {
		st = &tournament.MemStore{}
	}
	opt := tournament.RunOptions{Progress: cfg.Progress, Shard: cfg.Shard}
	if cfg.Queue != nil {
		q, err := cfg.Queue(ctx)
		if err != nil {
			return nil, fmt.Errorf("experiment: %w", err)
		}
		defer q.Close()
		opt.Queue = q
	}
	if _, err := tournament.Run(ctx, tc, st, opt); err != nil {
		return nil, fmt.Errorf("experiment: %w", err)
	}
	if cfg.Shard.Count > 1 {
		return nil, ErrShard
	}
	names := s.Names()
	recs := make([][]Record, len(arms))
	for i := range recs {
		recs[i] = make([]Record, cfg.Runs)
	}
	got := 0
	for r, err := range st.Records(ctx) {
		if err != nil {
			return nil, fmt.Errorf("experiment: %w", err)
		}
		j, err := tournament.JobAt(tc, r.JobID)
		if err != nil {
			return nil, fmt.Errorf("experiment: %w", err)
		}
		recs[j.Arm][j.Rep] = fromTournament(&r, j, neg)
		got++
	}
	if want := len(arms) * cfg.Runs; got != want {
		return nil, fmt.Errorf("experiment: the store holds %d of the %d runs", got, want)
	}
	rep := &Report{Schema: ReportSchema, Experiment: experiment, Scenario: s.Name, Runs: cfg.Runs, Seed: cfg.Seed, Parties: names}
	for _, p := range neg {
		rep.Negotiators = append(rep.Negotiators, names[p])
	}
	if med >= 0 {
		rep.MediatingParty = names[med]
	}
	for _, n := range cfg.Pool.Negotiators {
		rep.Pool.Negotiators = append(rep.Pool.Negotiators, n.Name)
	}
	for _, v := range cfg.Pool.Voters {
		rep.Pool.Voters = append(rep.Pool.Voters, v.Name)
	}
	out := make([]Arm, len(arms))
	for i, a := range arms {
		out[i] = Arm{Name: a.t.Name, Variant: a.t.Variant, Params: a.t.Params, Mediator: a.medSpec}
	}
	if err := aggregate(rep, out, recs, names, neg, med, base); err != nil {
		return nil, err
	}
	stages := make(map[string][]parley.Stage, len(arms))
	for _, a := range arms {
		stages[a.t.Name] = a.plan.Stages
	}
	contrasts(rep, stages)
	return rep, nil
}

// ErrShard is returned by Run when it ran one shard of an experiment
// (Config.Shard): its runs are stored, and the report comes from the
// merged stores.
var ErrShard = errors.New("experiment: ran one shard: merge the shards' stores and run again on the merged store for the report")

// tournamentOf returns the tournament of arms that runs the treatments on
// s, the arms, the seated parties, the mediating party (-1 for none) and
// the baseline's index.
func tournamentOf(s *scenario.Scenario, ts []Treatment, cfg Config) (tc *tournament.Config, arms []*arm, neg []int, med, base int, err error) {
	fail := func(err error) (*tournament.Config, []*arm, []int, int, int, error) {
		return nil, nil, nil, 0, 0, err
	}
	if len(ts) == 0 {
		return fail(errors.New("experiment: no arms"))
	}
	if err := cfg.Validate(); err != nil {
		return fail(fmt.Errorf("experiment: %w", err))
	}
	if len(cfg.Pool.Negotiators) == 0 {
		return fail(errors.New("experiment: the pool has no negotiators"))
	}
	if cfg.Baseline != "" {
		base = slices.IndexFunc(ts, func(t Treatment) bool { return t.Name == cfg.Baseline })
		if base < 0 {
			names := make([]string, len(ts))
			for i, t := range ts {
				names[i] = t.Name
			}
			return fail(fmt.Errorf("experiment: %w", &spec.FieldError{Field: "Baseline", Value: strconv.Quote(cfg.Baseline),
				Err: fmt.Errorf("%w (have %s)", ErrUnknownArm, strings.Join(names, ", "))}))
		}
	}
	if s.Protocol == nil {
		return fail(fmt.Errorf("experiment: scenario %s declares no protocol", s.Name))
	}
	tc = &tournament.Config{Scenarios: []*scenario.Scenario{s}, Protocol: tournament.ProtocolStaged,
		Reps: cfg.Runs, Seed: cfg.Seed, Workers: cfg.Workers, Limit: cfg.Limit, Tables: cfg.Tables}
	if cfg.design != nil {
		// The design is stored with its baseline by name, so that the
		// report is made again with the same paired tests.
		d := *cfg.design
		d.Baseline = ts[base].Name
		tc.Design = &d
	}
	if cfg.Ref != "" {
		tc.ScenarioRefs = []string{cfg.Ref}
	}
	for _, n := range cfg.Pool.Negotiators {
		tc.Competitors = append(tc.Competitors, tournament.Competitor{Name: n.Name, New: n.New})
	}
	for _, v := range cfg.Pool.Voters {
		tc.Voters = append(tc.Voters, tournament.Voter{Name: v.Name, New: v.New})
	}
	med = -1
	for _, t := range ts {
		sc, err := s.With(t.Set...)
		if err != nil {
			return fail(fmt.Errorf("experiment: arm %q: %w", t.Name, err))
		}
		pl, err := plan.FromScenario(sc, t.Variant)
		if err != nil {
			return fail(fmt.Errorf("experiment: arm %q: %w", t.Name, err))
		}
		a := &arm{t: t, s: sc, plan: pl}
		spec, err := plan.MediatorPolicy(sc, t.Variant)
		if err != nil {
			return fail(fmt.Errorf("experiment: arm %q: %w", t.Name, err))
		}
		for _, st := range pl.Stages {
			if st.Mechanism != parley.MechanismMediated {
				continue
			}
			if st.Mediator >= 0 && med < 0 {
				med = st.Mediator
			}
			if len(cfg.Pool.Voters) == 0 {
				return fail(fmt.Errorf("experiment: arm %q has a mediated stage (%q) but the pool has no voters", t.Name, st.Name))
			}
			if cfg.Mediator == nil {
				return fail(fmt.Errorf("experiment: arm %q has a mediated stage (%q) but no mediator factory", t.Name, st.Name))
			}
			a.medSpec = spec
		}
		if a.medSpec != "" && !slices.ContainsFunc(tc.Mediators, func(m tournament.Mediator) bool { return m.Name == a.medSpec }) {
			f, err := cfg.Mediator(a.medSpec)
			if err != nil {
				return fail(fmt.Errorf("experiment: arm %q: mediator_policy: %w", t.Name, err))
			}
			tc.Mediators = append(tc.Mediators, tournament.Mediator{Name: a.medSpec, New: f})
		}
		tc.Arms = append(tc.Arms, tournament.Arm{Name: t.Name, Variant: t.Variant, Set: t.Set, Mediator: a.medSpec})
		arms = append(arms, a)
	}
	if err := tc.Prepare(); err != nil {
		return fail(fmt.Errorf("experiment: %w", err))
	}
	return tc, arms, tc.Seated(), med, base, nil
}

// fromTournament returns the experiment's record of a tournament record
// of job j; neg are the seated parties.
func fromTournament(r *tournament.Record, j tournament.Job, neg []int) Record {
	reason, err := parley.ParseReason(r.Reason)
	if err != nil {
		reason = parley.ReasonError
	}
	rec := Record{Run: j.Rep, Seed: j.Seed, Reason: reason, Stage: r.Stage, Rounds: r.Rounds, Time: r.Time, Locked: r.Locked,
		Ratified: reason == parley.ReasonAgreement,
		Agreed:   reason == parley.ReasonAgreement || reason == parley.ReasonRatificationFailed,
		Utility:  r.Utilities, Discounted: r.Discounted, Advantage: r.Advantage,
		Welfare: r.Welfare, ParetoDistance: r.ParetoDistance, NashDistance: r.NashDistance, HasNash: r.HasNash,
		Err: r.Error, Negotiators: make([]string, len(neg)), Voters: make([]string, len(neg))}
	for k, p := range neg {
		rec.Negotiators[k] = r.Agents[p]
		if r.Voters != nil {
			rec.Voters[k] = r.Voters[p]
		}
	}
	return rec
}
