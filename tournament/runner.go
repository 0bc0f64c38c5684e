package tournament

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/protocol/staged"
)

// RunnerOptions configure a Runner.
type RunnerOptions struct {
	// Worker is recorded in Record.Worker (default: host:pid).
	Worker string
	// Trace, when set, is called with every action of every negotiation
	// (replays use it).
	Trace func(parley.Event)
	// StageTrace and StageStart, when set, are a staged negotiation's
	// staged.Plan Trace and StageStart: each action with its stage (the
	// party is the stage's own index of the participant), and each stage
	// as it begins (replays shown stage by stage use them). Trace is
	// called too.
	StageTrace func(stage int, e parley.Event)
	StageStart func(stage, offset int)
	// Result, when set, is called with the protocol's result of every
	// negotiation that ran to its end, before its record is made; it must
	// not keep res.
	Result func(res *parley.Result)
	// Staged, when set, is called with the result of every staged
	// negotiation that ran to its end, before Result; it must not keep
	// res.
	Staged func(res *staged.Result)
}

// Runner runs the jobs of one tournament one at a time, reusing one
// sao.Mechanism (or mediated.Mechanism) per scenario; a staged run builds
// its stages' mechanisms afresh (staged.Run). It is the single way negotiations run: in
// local tournaments (one Runner per worker goroutine), in remote workers and
// in replays. A Runner is not safe for concurrent use; Close releases it.
type Runner struct {
	cfg    *Config
	p      *prepared
	worker string
	trace  func(parley.Event)
	opts   RunnerOptions

	// Without a Limit the negotiation runs on the caller's goroutine with
	// these mechanisms; with one it runs on h, which is replaced when a
	// negotiation overruns.
	exec  *executor
	h     *helper
	timer *time.Timer
}

// NewRunner returns a Runner for the tournament, preparing it (see
// Config.Prepare).
func NewRunner(cfg *Config, opts RunnerOptions) (*Runner, error) {
	p, err := cfg.prepare()
	if err != nil {
		return nil, err
	}
	w := opts.Worker
	if w == "" {
		w = DefaultWorker()
	}
	r := &Runner{cfg: cfg, p: p, worker: w, trace: opts.Trace, opts: opts}
	if cfg.Limit <= 0 {
		r.exec = r.newExecutor()
	}
	return r, nil
}

// DefaultWorker names this process: host:pid.
func DefaultWorker() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		h = "localhost"
	}
	return h + ":" + strconv.Itoa(os.Getpid())
}

// ErrLimit is the cause of a negotiation that exceeded Config.Limit.
var ErrLimit = errors.New("exceeded the time limit")

// Run runs job j and returns its record. A failing strategy (an error, a
// panic on the calling goroutine, an exceeded Limit) gives a record with
// Reason "error" and the cause in Error, not an error. A panic in a
// goroutine the strategy started ends the process (see the package
// documentation). Run returns an error only when ctx ends
// before the negotiation does: the record is then not a result and must
// not be stored.
func (r *Runner) Run(ctx context.Context, j Job) (Record, error) {
	if err := r.check(j); err != nil {
		return Record{}, err
	}
	if r.exec != nil {
		rec := r.exec.run(ctx, j, 0)
		if err := ctx.Err(); err != nil && rec.Reason == parley.ReasonError.String() {
			return Record{}, fmt.Errorf("tournament: run %d: %w", j.ID, err)
		}
		return rec, nil
	}
	if r.h == nil {
		r.h = r.startHelper()
	}
	limit := r.cfg.Limit
	if r.timer == nil {
		r.timer = time.NewTimer(limit)
	} else {
		r.timer.Reset(limit)
	}
	start := time.Now()
	r.h.jobs <- j
	select {
	case rec := <-r.h.out:
		r.timer.Stop()
		if err := ctx.Err(); err != nil && rec.Reason == parley.ReasonError.String() {
			return Record{}, fmt.Errorf("tournament: run %d: %w", j.ID, err)
		}
		return rec, nil
	case <-r.timer.C:
		// The strategy is stuck: abandon the helper (its goroutine ends
		// when the stuck call returns) and start afresh next time.
		r.abandon()
		rec := r.exec0(j)
		rec.Elapsed = time.Since(start)
		rec.Error = fmt.Sprintf("%v of %v", ErrLimit, limit)
		return rec, nil
	case <-ctx.Done():
		r.timer.Stop()
		r.abandon()
		return Record{}, fmt.Errorf("tournament: run %d: %w", j.ID, ctx.Err())
	}
}

// Close stops the Runner's helper goroutine, if any.
func (r *Runner) Close() {
	if r.h != nil {
		close(r.h.jobs)
		r.h = nil
	}
}

func (r *Runner) abandon() {
	r.h.cancel()
	close(r.h.jobs)
	r.h = nil
}

// check rejects a job that does not belong to the tournament.
func (r *Runner) check(j Job) error {
	if j.Scenario < 0 || j.Scenario >= len(r.p.refs) {
		return fmt.Errorf("tournament: run %d: scenario %d out of range", j.ID, j.Scenario)
	}
	if j.Arm < 0 || j.Arm >= max(len(r.cfg.Arms), 1) {
		return fmt.Errorf("tournament: run %d: arm %d out of range", j.ID, j.Arm)
	}
	n := r.p.parties[r.p.slot(j)]
	proto := r.cfg.Protocol.or()
	switch {
	case proto == ProtocolMediated && len(j.Agents) != 0:
		return fmt.Errorf("tournament: run %d: agents in a mediated tournament", j.ID)
	case proto != ProtocolMediated && len(j.Agents) != n:
		return fmt.Errorf("tournament: run %d: %d agents for %d parties", j.ID, len(j.Agents), n)
	case len(r.cfg.Voters) == 0 && j.Voters != nil, len(r.cfg.Voters) > 0 && len(j.Voters) != n:
		return fmt.Errorf("tournament: run %d: %d voters for %d parties", j.ID, len(j.Voters), n)
	case j.Mediator < 0 || j.Mediator >= max(len(r.cfg.Mediators), 1):
		return fmt.Errorf("tournament: run %d: mediator %d out of range", j.ID, j.Mediator)
	}
	negs := r.p.negs[r.p.slot(j)]
	for i, a := range j.Agents {
		if a == -1 && negs != nil && !slices.Contains(negs, i) {
			continue
		}
		if a < 0 || a >= len(r.cfg.Competitors) {
			return fmt.Errorf("tournament: run %d: competitor %d out of range", j.ID, a)
		}
		if negs != nil && !slices.Contains(negs, i) {
			return fmt.Errorf("tournament: run %d: party %d makes no offers but has competitor %d", j.ID, i, a)
		}
	}
	for i, v := range j.Voters {
		if v == -1 && r.p.arms && !slices.Contains(negs, i) {
			continue
		}
		if v < 0 || v >= len(r.cfg.Voters) {
			return fmt.Errorf("tournament: run %d: voter %d out of range", j.ID, v)
		}
	}
	return nil
}

// exec0 returns the record of a negotiation that produced no result: no
// agreement, every party at its reservation value.
func (r *Runner) exec0(j Job) Record {
	rec := r.base(j)
	s := r.p.slot(j)
	n := r.p.parties[s]
	rec.Utilities, rec.Discounted, rec.Advantage = make([]float64, n), make([]float64, n), make([]float64, n)
	copy(rec.Utilities, r.p.resv[s])
	copy(rec.Discounted, r.p.resv[s])
	rec.Reason = parley.ReasonError.String()
	r.metrics(&rec, s)
	return rec
}

// base returns the record's identity fields.
func (r *Runner) base(j Job) Record {
	rec := Record{JobID: j.ID, Scenario: r.p.refs[j.Scenario], Rep: j.Rep, Worker: r.worker,
		Agents: make([]string, len(j.Agents))}
	for i, a := range j.Agents {
		if a >= 0 {
			rec.Agents[i] = r.cfg.Competitors[a].Name
		}
	}
	if len(r.cfg.Mediators) > 0 && (!r.p.arms || r.p.armMed[j.Arm] >= 0) {
		rec.Mediator = r.cfg.Mediators[j.Mediator].Name
	}
	if j.Voters != nil {
		rec.Voters = make([]string, len(j.Voters))
		for i, v := range j.Voters {
			if v >= 0 {
				rec.Voters[i] = r.cfg.Voters[v].Name
			}
		}
	}
	if r.p.arms {
		rec.Arm = r.cfg.Arms[j.Arm].Name
	}
	return rec
}

// metrics fills the analysis metrics of rec, a record of scenario s, over
// the parties the metrics are over.
func (r *Runner) metrics(rec *Record, s int) {
	u, adv := rec.Utilities, rec.Advantage
	if mp := r.p.metric[s]; mp != nil {
		u, adv = make([]float64, len(mp)), make([]float64, len(mp))
		for k, q := range mp {
			u[k], adv[k] = rec.Utilities[q], rec.Advantage[q]
		}
	}
	rep := r.p.reports[s]
	if rep == nil {
		rec.Welfare = analysis.Welfare(u)
		rec.MetricsNote = r.p.notes[s]
		return
	}
	m, err := rep.Metrics(u)
	if err != nil {
		return
	}
	rec.ParetoDistance, rec.NashDistance, rec.HasNash, rec.Welfare = m.ParetoDistance, m.NashDistance, m.HasNash, m.Welfare
	rec.Fairness, rec.HasFairness = fairness(u, adv, r.p.best[s])
}

// fairness returns the smallest normalised advantage, (u_i − r_i) /
// (best_i − r_i) with r_i = u_i − adv_i, over the parties that can gain
// (best_i > r_i); ok is false when none can.
func fairness(u, adv, best []float64) (f float64, ok bool) {
	f = math.Inf(1)
	for i := range u {
		room := best[i] - (u[i] - adv[i])
		if room <= 1e-12 {
			continue
		}
		f, ok = min(f, adv[i]/room), true
	}
	if !ok {
		return 0, false
	}
	return f, true
}

// executor runs negotiations on one goroutine with its own mechanisms.
type executor struct {
	r     *Runner
	mechs [][2]*sao.Mechanism // per scenario: step timing, GENIUS timing
	negs  [][]parley.Negotiator
	// Mediated tournaments: a mechanism and voter seats per scenario.
	meds   []*mediated.Mechanism
	voters [][]mediated.Voter
}

func (r *Runner) newExecutor() *executor {
	n := len(r.p.refs)
	return &executor{r: r, mechs: make([][2]*sao.Mechanism, n), negs: make([][]parley.Negotiator, n),
		meds: make([]*mediated.Mechanism, n), voters: make([][]mediated.Voter, n)}
}

// outcome is what a protocol's run returns to the record.
type outcome struct {
	res *parley.Result
	// A staged run's: the stage it ended in and the issues locked.
	stage  string
	locked int
}

// run negotiates job j. With a Limit, ctx is the helper's context, which
// the Runner cancels when the limit passes (the mechanism checks it every
// 256 turns); limit then names the cause.
func (e *executor) run(ctx context.Context, j Job, limit time.Duration) (rec Record) {
	r := e.r
	start := time.Now()
	defer func() {
		if v := recover(); v != nil {
			rec = r.exec0(j)
			rec.Error = fmt.Sprintf("panic: %v", v)
			rec.Elapsed = time.Since(start)
		}
	}()
	s := r.p.slot(j)
	var out outcome
	var err error
	switch r.cfg.Protocol.or() {
	case ProtocolMediated:
		out, err = e.mediated(ctx, j)
	case ProtocolStaged:
		out, err = e.staged(ctx, j)
	default:
		out, err = e.sao(ctx, j)
	}
	if err != nil {
		rec = r.exec0(j)
		rec.Error = err.Error()
		if errors.Is(err, context.Canceled) && limit > 0 {
			rec.Error = fmt.Sprintf("%v of %v", ErrLimit, limit)
		}
		rec.Elapsed = time.Since(start)
		return rec
	}
	res := out.res
	if r.opts.Result != nil {
		r.opts.Result(res)
	}
	rec = r.base(j)
	rec.Elapsed = time.Since(start)
	rec.Utilities, rec.Discounted = res.Utilities, res.Discounted
	rec.Rounds, rec.Reason = res.Rounds, res.Reason.String()
	if res.Err != nil {
		rec.Error = res.Err.Error()
	}
	if res.Agreed() && rec.Reason == parley.ReasonAgreement.String() {
		// Named from the runner's own copy of the space: a seat that
		// renamed values in the space it shares cannot change the record.
		rec.Agreement = r.p.spaces[s].Named(res.Agreement)
	}
	// Advantage: utility minus the reservation value at the end time,
	// u_i − r_i(t), as every Parley output defines it.
	rec.Advantage = make([]float64, len(res.Utilities))
	for i, u := range res.Utilities {
		rec.Advantage[i] = u - r.p.profiles[s][i].ReservationAt(res.Time)
	}
	if out.stage != "" {
		rec.Stage, rec.Time, rec.Locked = out.stage, res.Time, out.locked
	}
	r.metrics(&rec, s)
	return rec
}

// sao runs job j by alternating offers.
func (e *executor) sao(ctx context.Context, j Job) (outcome, error) {
	r := e.r
	s := r.p.slot(j)
	timing := r.timing(j)
	m := e.mechs[s][timing]
	if m == nil {
		var err error
		m, err = sao.New(r.p.prepared[s].Profiles(), r.p.names[s], sao.Options{Deadline: r.p.dls[s], Trace: r.trace, Timing: timing})
		if err != nil {
			return outcome{}, err
		}
		e.mechs[s][timing] = m
		if e.negs[s] == nil {
			e.negs[s] = make([]parley.Negotiator, r.p.parties[s])
		}
	}
	negs := e.negs[s]
	if err := e.seatNegotiators(j, negs); err != nil {
		return outcome{}, err
	}
	res, err := m.Run(ctx, negs, j.Seed)
	clear(negs)
	return outcome{res: res}, err
}

// seatNegotiators fills negs with fresh negotiators of job j's competitors.
func (e *executor) seatNegotiators(j Job, negs []parley.Negotiator) error {
	for i, a := range j.Agents {
		if a < 0 {
			negs[i] = nil
			continue
		}
		c := &e.r.cfg.Competitors[a]
		if negs[i] = c.New(); negs[i] == nil {
			clear(negs)
			return fmt.Errorf("competitor %q: constructor returned nil", c.Name)
		}
	}
	return nil
}

// seatVoters fills vs with fresh voters of job j and returns its mediator
// (nil without mediators).
func (e *executor) seatVoters(j Job, vs []mediated.Voter) (mediated.Mediator, error) {
	cfg := e.r.cfg
	for i, v := range j.Voters {
		if v < 0 {
			vs[i] = nil
			continue
		}
		if vs[i] = cfg.Voters[v].New(); vs[i] == nil {
			clear(vs)
			return nil, fmt.Errorf("voter %q: constructor returned nil", cfg.Voters[v].Name)
		}
	}
	if len(cfg.Mediators) == 0 || (e.r.p.arms && e.r.p.armMed[j.Arm] < 0) {
		return nil, nil
	}
	md := &cfg.Mediators[j.Mediator]
	m := md.New()
	if m == nil {
		clear(vs)
		return nil, fmt.Errorf("mediator %q: constructor returned nil", md.Name)
	}
	return m, nil
}

// mediated runs job j by single-text mediation.
func (e *executor) mediated(ctx context.Context, j Job) (outcome, error) {
	r := e.r
	s := r.p.slot(j)
	m := e.meds[s]
	if m == nil {
		var err error
		m, err = mediated.New(r.p.prepared[s].Profiles(), r.p.names[s], nil, mediated.Options{Rounds: r.p.dls[s],
			Rule: r.cfg.Rule, Info: r.cfg.Info, Noise: r.cfg.Noise, Trace: r.trace})
		if err != nil {
			return outcome{}, err
		}
		e.meds[s] = m
		e.voters[s] = make([]mediated.Voter, r.p.parties[s])
	}
	vs := e.voters[s]
	med, err := e.seatVoters(j, vs)
	if err != nil {
		return outcome{}, err
	}
	res, err := m.Run(ctx, vs, med, j.Seed)
	clear(vs)
	return outcome{res: res}, err
}

// staged runs job j by its scenario's declared protocol.
func (e *executor) staged(ctx context.Context, j Job) (outcome, error) {
	r := e.r
	s := r.p.slot(j)
	n := r.p.parties[s]
	seats := staged.Seats{Negotiators: make([]parley.Negotiator, n)}
	if err := e.seatNegotiators(j, seats.Negotiators); err != nil {
		return outcome{}, err
	}
	if j.Voters != nil {
		seats.Voters = make([]mediated.Voter, n)
		var err error
		if seats.Mediator, err = e.seatVoters(j, seats.Voters); err != nil {
			return outcome{}, err
		}
	}
	pl := r.p.plans[s]
	if r.trace != nil || r.opts.StageTrace != nil {
		pl.Trace = func(k int, ev parley.Event) {
			if r.opts.StageTrace != nil {
				r.opts.StageTrace(k, ev)
			}
			if r.trace != nil {
				r.trace(ev)
			}
		}
	}
	pl.StageStart = r.opts.StageStart
	res, err := staged.Run(ctx, r.p.prepared[s].Profiles(), r.p.names[s], pl, seats, j.Seed)
	if err != nil {
		return outcome{}, err
	}
	if r.opts.Staged != nil {
		r.opts.Staged(res)
	}
	return outcome{res: &res.Result, stage: res.StageName, locked: len(res.Locked)}, nil
}

// helper is a goroutine that runs negotiations for a Runner with a Limit,
// so that the Runner can stop waiting for a stuck strategy.
type helper struct {
	jobs   chan Job
	out    chan Record
	ctx    context.Context
	cancel context.CancelFunc
}

func (r *Runner) startHelper() *helper {
	ctx, cancel := context.WithCancel(context.Background())
	h := &helper{jobs: make(chan Job), out: make(chan Record, 1), ctx: ctx, cancel: cancel}
	e := r.newExecutor()
	limit := r.cfg.Limit
	go func() {
		defer cancel()
		for j := range h.jobs {
			h.out <- e.run(h.ctx, j, limit)
		}
	}()
	return h
}

// RunNegotiation runs job j of the tournament alone (a replay, a remote
// worker's single job) and returns its record; see Runner.Run. Runs of many
// jobs should reuse a Runner.
func RunNegotiation(ctx context.Context, cfg *Config, j Job, opts RunnerOptions) (Record, error) {
	r, err := NewRunner(cfg, opts)
	if err != nil {
		return Record{}, err
	}
	defer r.Close()
	return r.Run(ctx, j)
}

// timing returns the sao timing of job j (Config.JobTiming).
func (r *Runner) timing(j Job) sao.Timing { return r.cfg.JobTiming(j) }
