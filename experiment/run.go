package experiment

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
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

// DefaultMediatorPolicy is the mediator of a mediated stage that names no
// mediator_policy: a hill-climbing mediator, which needs nothing but votes.
const DefaultMediatorPolicy = "hillclimb"

// ErrUnknownArm is wrapped by the error for a baseline that names no arm.
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

// Pool is the strategies that the runs cycle through. Run i gives seated
// party j (in Report.Negotiators order) negotiator
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
	// Progress, when set, is called with the runs done so far (of all
	// arms) and their total, once with 0 before the first run and after
	// each run; calls are serialised, with done increasing.
	Progress func(done, total int64)
	// Tables are earlier prepared copies of the arms' scenario whose
	// utility tables the arms share (Scenario.Prepare), as a robustness
	// analysis shares them between its points; nil prepares anew.
	Tables []*scenario.Prepared
}

// Treatment is one arm to run: a variant of a scenario's protocol, on the
// scenario or on a sweep cell's copy of it.
type Treatment struct {
	Name     string
	Scenario *scenario.Scenario
	Variant  string         // "" = the protocol's default stages
	Params   map[string]any // sweep cell values, for the report
	// Set are the settings (scenario.Scenario.With) that make Scenario
	// from the experiment's scenario, so that a worker elsewhere can
	// rebuild the arm.
	Set []string
}

// prepared is a treatment ready to run.
type prepared struct {
	t        Treatment
	plan     staged.Plan
	profiles []*parley.Profile
	newMed   func() mediated.Mediator
	medSpec  string           // the mediator strategy spec ("" without a mediated stage)
	front    []analysis.Point // over the negotiators
	nash     *analysis.Point
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
	r, err := Run(ctx, "sequencing", ts, cfg)
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
		cs, err := c.Apply(s)
		if err != nil {
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
			ts = append(ts, Treatment{Name: name, Scenario: cs, Variant: v, Params: c.Map(), Set: c.Settings()})
		}
	}
	r, err := Run(ctx, "sweep", ts, cfg)
	if err != nil {
		return nil, err
	}
	for _, p := range params {
		r.Parameters = append(r.Parameters, ParamValues{Name: p.Key(), Values: p.Values})
	}
	return r, nil
}

// Run runs every treatment cfg.Runs times on the same seeds and strategy
// assignments and returns the report. The treatments must be copies of one
// scenario (the same parties). Runs are spread over cfg.Workers
// goroutines; the report does not depend on their number.
func Run(ctx context.Context, experiment string, ts []Treatment, cfg Config) (*Report, error) {
	if len(ts) == 0 {
		return nil, errors.New("experiment: no arms")
	}
	if cfg.Runs < 1 {
		return nil, fmt.Errorf("experiment: %d runs per arm, need at least 1", cfg.Runs)
	}
	if len(cfg.Pool.Negotiators) == 0 {
		return nil, errors.New("experiment: the pool has no negotiators")
	}
	base := 0
	if cfg.Baseline != "" {
		base = slices.IndexFunc(ts, func(t Treatment) bool { return t.Name == cfg.Baseline })
		if base < 0 {
			names := make([]string, len(ts))
			for i, t := range ts {
				names[i] = t.Name
			}
			return nil, fmt.Errorf("experiment: baseline %q: %w (have %s)", cfg.Baseline, ErrUnknownArm, strings.Join(names, ", "))
		}
	}
	s0 := ts[0].Scenario
	names := s0.Names()
	arms := make([]*prepared, len(ts))
	readied := slices.Clone(cfg.Tables)
	seated := map[int]bool{}
	med := -1
	for i, t := range ts {
		if !slices.Equal(t.Scenario.Names(), names) {
			return nil, fmt.Errorf("experiment: arm %q: parties %v differ from %v", t.Name, t.Scenario.Names(), names)
		}
		if t.Scenario.Protocol == nil {
			return nil, fmt.Errorf("experiment: arm %q: scenario %s declares no protocol", t.Name, t.Scenario.Name)
		}
		// Arms are copies of one scenario: they share its tables.
		ready, err := t.Scenario.Prepare(readied...)
		if err != nil {
			return nil, fmt.Errorf("experiment: %w", err)
		}
		readied = append(readied, ready)
		pl, err := plan.FromScenario(t.Scenario, t.Variant)
		if err != nil {
			return nil, fmt.Errorf("experiment: arm %q: %w", t.Name, err)
		}
		a := &prepared{t: t, plan: pl, profiles: ready.Profiles()}
		spec, err := plan.MediatorPolicy(t.Scenario, t.Variant)
		if err != nil {
			return nil, fmt.Errorf("experiment: arm %q: %w", t.Name, err)
		}
		for _, st := range pl.Stages {
			for _, p := range st.Participants {
				seated[p] = true
			}
			if st.Mechanism != parley.MechanismMediated {
				continue
			}
			if st.Mediator >= 0 && med < 0 {
				med = st.Mediator
			}
			if len(cfg.Pool.Voters) == 0 {
				return nil, fmt.Errorf("experiment: arm %q has a mediated stage (%q) but the pool has no voters", t.Name, st.Name)
			}
			if cfg.Mediator == nil {
				return nil, fmt.Errorf("experiment: arm %q has a mediated stage (%q) but no mediator factory", t.Name, st.Name)
			}
			a.medSpec = spec
			if a.newMed == nil {
				if a.newMed, err = cfg.Mediator(spec); err != nil {
					return nil, fmt.Errorf("experiment: arm %q: stage %q: mediator_policy: %w", t.Name, st.Name, err)
				}
			}
		}
		arms[i] = a
	}
	var neg []int
	for p := range names {
		if seated[p] {
			neg = append(neg, p)
		}
	}
	var cache []*prepared
	for _, a := range arms {
		if err := a.analyse(neg, cache); err != nil {
			return nil, fmt.Errorf("experiment: arm %q: %w", a.t.Name, err)
		}
		cache = append(cache, a)
	}

	recs, err := runAll(ctx, arms, neg, names, cfg)
	if err != nil {
		return nil, err
	}
	rep := &Report{Schema: ReportSchema, Experiment: experiment, Scenario: s0.Name, Runs: cfg.Runs, Seed: cfg.Seed, Parties: names}
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

// analyse computes the negotiators' frontier and Nash point, reusing an earlier arm's when the profiles agree.
func (a *prepared) analyse(neg []int, earlier []*prepared) error {
	for _, e := range earlier {
		if sameProfiles(a.profiles, e.profiles) {
			a.front, a.nash = e.front, e.nash
			return nil
		}
	}
	ps := make([]*parley.Profile, len(neg))
	for i, p := range neg {
		ps[i] = a.profiles[p]
	}
	rep, err := analysis.Analyze(ps[0].Space, ps)
	if err != nil {
		return err
	}
	a.front, a.nash = rep.Frontier, rep.Nash
	return nil
}

// sameProfiles reports whether two arms' profiles give the same analysis:
// the same utility functions and reservation values.
func sameProfiles(a, b []*parley.Profile) bool {
	for i := range a {
		if a[i].Utility != b[i].Utility || a[i].Reservation != b[i].Reservation {
			return false
		}
	}
	return true
}

// assignment returns the pool indices of run i's negotiators and voters,
// one per seated party (see Pool).
func assignment(i, seats, nn, nv int, negIdx, votIdx []int) {
	cn, cv := 1, 1
	for range seats {
		cn *= nn
		cv *= max(nv, 1)
	}
	l := cn / gcd(cn, cv) * cv
	a := i % cn
	b := (i + i/l) % cv
	for j := range seats {
		negIdx[j] = a % nn
		a /= nn
		if nv > 0 {
			votIdx[j] = b % nv
			b /= nv
		}
	}
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// worker holds one goroutine's strategy instances, reused across runs:
// every strategy is re-initialised by the protocol at the start of each
// stage.
type worker struct {
	negs   [][]parley.Negotiator // [seat][pool index]
	voters [][]mediated.Voter
	meds   []mediated.Mediator // per arm
	seats  staged.Seats
	ni, vi []int
}

func newWorker(arms int, parties int, neg []int, pool Pool) *worker {
	w := &worker{negs: make([][]parley.Negotiator, len(neg)), voters: make([][]mediated.Voter, len(neg)),
		meds: make([]mediated.Mediator, arms), ni: make([]int, len(neg)), vi: make([]int, len(neg)),
		seats: staged.Seats{Negotiators: make([]parley.Negotiator, parties), Voters: make([]mediated.Voter, parties)}}
	for j := range neg {
		w.negs[j] = make([]parley.Negotiator, len(pool.Negotiators))
		w.voters[j] = make([]mediated.Voter, len(pool.Voters))
	}
	return w
}

// runAll runs every (arm, run) pair on the workers and returns the
// records by arm and run index.
func runAll(ctx context.Context, arms []*prepared, neg []int, names []string, cfg Config) ([][]Record, error) {
	A, N := len(arms), cfg.Runs
	recs := make([][]Record, A)
	for i := range recs {
		recs[i] = make([]Record, N)
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, A*N)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	var mu sync.Mutex // serialises cfg.Progress
	var done int64
	total := int64(A * N)
	if cfg.Progress != nil {
		cfg.Progress(0, total)
	}
	errs := make([]error, workers)
	errJob := make([]int, workers)
	var wg sync.WaitGroup
	for k := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker(A, len(names), neg, cfg.Pool)
			for {
				j := int(next.Add(1) - 1)
				if j >= A*N || ctx.Err() != nil {
					return
				}
				run, arm := j/A, j%A
				if err := w.run(ctx, arms[arm], arm, run, neg, cfg, &recs[arm][run]); err != nil {
					errs[k], errJob[k] = err, j
					cancel()
					return
				}
				if cfg.Progress != nil {
					mu.Lock()
					done++
					cfg.Progress(done, total)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	// Report the failure of the earliest job, whatever the scheduling.
	var first error
	fj := -1
	for k, err := range errs {
		if err != nil && (fj < 0 || errJob[k] < fj) {
			first, fj = err, errJob[k]
		}
	}
	if first != nil {
		return nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("experiment: %w", err)
	}
	return recs, nil
}

// run performs run i of arm a into rec.
func (w *worker) run(ctx context.Context, a *prepared, arm, i int, neg []int, cfg Config, rec *Record) error {
	pool := cfg.Pool
	assignment(i, len(neg), len(pool.Negotiators), len(pool.Voters), w.ni, w.vi)
	rec.Negotiators = make([]string, len(neg))
	rec.Voters = make([]string, len(neg))
	for j, p := range neg {
		k := w.ni[j]
		if w.negs[j][k] == nil {
			w.negs[j][k] = pool.Negotiators[k].New()
		}
		w.seats.Negotiators[p] = w.negs[j][k]
		rec.Negotiators[j] = pool.Negotiators[k].Name
		if len(pool.Voters) > 0 {
			v := w.vi[j]
			if w.voters[j][v] == nil {
				w.voters[j][v] = pool.Voters[v].New()
			}
			w.seats.Voters[p] = w.voters[j][v]
			rec.Voters[j] = pool.Voters[v].Name
		}
	}
	w.seats.Mediator = nil
	if a.newMed != nil {
		if w.meds[arm] == nil {
			w.meds[arm] = a.newMed()
		}
		w.seats.Mediator = w.meds[arm]
	}
	seed := rng.Derive(cfg.Seed, uint64(i))
	res, err := staged.Run(ctx, a.profiles, a.t.Scenario.Names(), a.plan, w.seats, seed)
	if err != nil {
		return fmt.Errorf("experiment: arm %q, run %d: %w", a.t.Name, i, err)
	}
	rec.Run, rec.Seed = i, seed
	rec.Reason, rec.Ratified = res.Reason, res.Ratified
	rec.Agreed = res.Agreement != parley.NoOutcome && (res.Reason == parley.ReasonAgreement || res.Reason == parley.ReasonRatificationFailed)
	rec.Stage, rec.Rounds, rec.Time, rec.Locked = res.StageName, res.Rounds, res.Time, len(res.Locked)
	rec.Utility = slices.Clone(res.Utilities)
	rec.Discounted = slices.Clone(res.Discounted)
	rec.Advantage = make([]float64, len(a.profiles))
	for p, prof := range a.profiles {
		rec.Advantage[p] = rec.Utility[p] - prof.ReservationAt(res.Time)
	}
	u := make([]float64, len(neg))
	for j, p := range neg {
		u[j] = rec.Utility[p]
	}
	rec.Welfare = analysis.Welfare(u)
	rec.ParetoDistance, _ = analysis.ParetoDistance(a.front, u)
	if a.nash != nil {
		rec.NashDistance, rec.HasNash = analysis.Distance(u, a.nash.U), true
	}
	if res.Err != nil {
		rec.Err = res.Err.Error()
	}
	return nil
}
