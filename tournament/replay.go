package tournament

import (
	"context"
	"io"
	"slices"
	"sync"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tracefile"
)

// A Replay is one run of a tournament run again alone, from its seed
// ('parley replay', the results pages' replay), with its events as
// 'parley run' records them for the same protocol.
type Replay struct {
	Job    Job
	Record Record
	// Run is the run as 'parley run --json' shows one of its protocol
	// (tracefile.ProtocolSAO, ProtocolStaged or ProtocolMediated: a
	// mediated tournament's run is one mediated stage,
	// tracefile.MediatedStage, in which every party votes).
	Run *tracefile.Run
	// Scenario is the scenario the run negotiated (an arm's, with its
	// settings applied).
	Scenario *scenario.Scenario
	// Events are the run's actions: in a mediated or staged run, each
	// with its stage (an index of Run.Stages) and the global rounds
	// before it; Offsets are the global rounds before each stage began
	// (-1 for a stage that did not).
	Events  []tracefile.Entry
	Offsets []int
	// Result is how the negotiation ended, nil when it failed before its
	// end (a strategy's panic, an exceeded limit: Record says why).
	Result *parley.Result
}

// ReplayRun runs job j of the tournament cfg (JobAt) again, alone, and
// records its events through a tracefile.Recorder, as 'parley run' does
// for the same protocol. Recording does not change the run: its Record is
// the one a tournament stores.
func ReplayRun(ctx context.Context, cfg *Config, j Job) (*Replay, error) {
	rn, err := NewRunner(cfg, RunnerOptions{})
	if err != nil {
		return nil, err
	}
	defer rn.Close()
	if err := rn.check(j); err != nil {
		return nil, err
	}
	p, s := rn.p, rn.p.slot(j)
	r := &Replay{Job: j, Scenario: p.scens[s]}
	// With a Limit the run is on the Runner's helper goroutine, which
	// outlives an exceeded limit: what it reports after Run returns is
	// dropped.
	var (
		mu     sync.Mutex
		done   bool
		rc     = tracefile.NewRecorder(nil)
		st     *staged.Result
		result *parley.Result
	)
	guard := func(f func()) {
		mu.Lock()
		defer mu.Unlock()
		if !done {
			f()
		}
	}
	rn.opts.Result = func(res *parley.Result) {
		c := *res
		c.Utilities, c.Discounted = slices.Clone(res.Utilities), slices.Clone(res.Discounted)
		guard(func() { result = &c })
	}
	switch cfg.Protocol.or() {
	case ProtocolMediated:
		rc.Start(0, 0)
		rn.trace = func(e parley.Event) { guard(func() { rc.Stage(0, e) }) }
	case ProtocolStaged:
		rn.opts.StageStart = func(k, offset int) { guard(func() { rc.Start(k, offset) }) }
		rn.opts.StageTrace = func(k int, e parley.Event) { guard(func() { rc.Stage(k, e) }) }
		rn.opts.Staged = func(res *staged.Result) {
			c := *res
			c.Locked = slices.Clone(res.Locked)
			guard(func() { st = &c })
		}
	default:
		rn.trace = func(e parley.Event) { guard(func() { rc.Event(e) }) }
	}
	rec, err := rn.Run(ctx, j)
	mu.Lock()
	done = true
	mu.Unlock()
	if err != nil {
		return nil, err
	}
	if result != nil && result.Reason.String() != rec.Reason {
		// The run ended just as its limit passed: the record says so.
		result, st = nil, nil
	}
	r.Record, r.Events, r.Offsets, r.Result = rec, rc.Events, rc.Offsets, result
	r.Run = rn.replayedRun(j, r, st, rc)
	return r, nil
}

// replayedRun is the run of replay r as 'parley run' shows one of its
// protocol: the specs of its record, the result (or, for a run that
// failed before its end, the record's utilities) and the metrics.
func (rn *Runner) replayedRun(j Job, r *Replay, st *staged.Result, rc *tracefile.Recorder) *tracefile.Run {
	cfg, p, s := rn.cfg, rn.p, rn.p.slot(j)
	sc, rec := p.scens[s], &r.Record
	var run *tracefile.Run
	switch cfg.Protocol.or() {
	case ProtocolMediated:
		st := cfg.MediatedStage(len(sc.Parties), p.dls[s])
		run = tracefile.NewMediatedRun(sc, rec.Voters, rec.Mediator, j.Seed, &st)
	case ProtocolStaged:
		variant := cfg.Variant
		if p.arms {
			variant = cfg.Arms[j.Arm].Variant
		}
		run = tracefile.NewStagedRun(sc, p.plans[s], variant, rec.Agents, rec.Voters, rec.Mediator, j.Seed)
	default:
		run = tracefile.NewRun(sc, tracefile.ProtocolSAO, rec.Agents, j.Seed, p.dls[s])
		if cfg.JobTiming(j) == sao.TimingGENIUS {
			run.Timing = "genius"
		}
	}
	ready := p.prepared[s]
	switch {
	case st != nil && r.Result != nil:
		run.SetStagedOutcome(sc, ready.Space(), ready.Profiles(), p.plans[s], st, st.Rounds-rc.Offset(st.Stage))
	case r.Result != nil:
		rep, aerr := analysis.Analyze(ready.Space(), ready.Profiles())
		run.SetResult(sc, r.Result)
		run.SetMetrics(rep, aerr, r.Result.Utilities)
	default:
		// It failed before its end: every party is paid its reservation
		// value, as the record says.
		run.Reason, run.Rounds, run.Error = rec.Reason, rec.Rounds, rec.Error
		run.SetUtilities(sc, rec.Utilities, rec.Discounted, rec.Advantage)
	}
	return run
}

// WriteTrace writes the replayed run's trace file to w, as 'parley run
// --trace' writes one of its protocol: a header, every event with its
// stage, the result line.
func (r *Replay) WriteTrace(w io.Writer) error {
	return tracefile.Write(w, r.Scenario.Space, r.Run, r.Events)
}
