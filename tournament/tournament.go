// Package tournament runs negotiation tournaments: every competitor against
// every other (in every role, optionally against itself) on every scenario,
// several times, each negotiation seeded from the tournament seed and its
// position, so that any single run can be replayed alone.
//
// A negotiation runs by the tournament's Protocol: alternating offers
// between negotiators (the default), single-text mediation in which
// mediators compete over every pool of voters, or the staged protocol each
// scenario declares, with negotiators in its alternating-offers stages.
// The Report ranks negotiators, or mediators, with intervals and paired
// tests.
//
// A tournament is a Config. Its negotiations are Jobs, enumerated in a fixed
// order without being materialised (Count, JobAt). Run executes them on all
// cores, or through a Queue of remote workers, and streams the Records to a
// Store in batches; jobs already in the store are skipped, so an interrupted
// tournament resumes where it stopped. The package declares the Store and
// Queue it needs; store/sqlite and distrib/natsq implement them.
//
// # Isolation and its limits
//
// A strategy that returns an error, panics in Init, Act or Finish, or
// exceeds Config.Limit ends its negotiation with Reason "error"; the
// tournament goes on. That is all the isolation there is: every
// negotiation runs in this process, so a panic in a goroutine that a
// strategy starts itself ends the whole process (Go lets no one else
// recover it), and nothing stops a strategy from exhausting memory,
// calling os.Exit or reading files. Code that is not trusted belongs in a
// separate process that plays over the network (remote seats, planned as
// `parley serve`), not in a Competitor.
package tournament

import (
	"context"
	"time"

	"github.com/parley-dev/parley"
)

// Competitor is one entrant of a tournament: a name (the strategy spec as
// given, unique in the tournament) and a constructor of fresh negotiators.
// New is called once per negotiation and must be safe for concurrent use.
type Competitor struct {
	Name string
	New  func() parley.Negotiator
	// GeniusTiming marks a competitor that expects GENIUS's round timing
	// (sao.TimingGENIUS, as the genius-* agents do): with TimingAuto, a
	// negotiation in which every competitor does runs with it; any other
	// with Parley's steps.
	GeniusTiming bool
}

// Timing says how time runs in a tournament's negotiations (Config.Timing,
// saved in Meta.Timing).
type Timing string

// The timings of a tournament.
const (
	// TimingAuto (the zero value) runs a negotiation with GENIUS's round
	// timing when every competitor in it has GeniusTiming, and with
	// Parley's steps otherwise.
	TimingAuto Timing = ""
	// TimingSteps runs every negotiation with Parley's step timing
	// (sao.TimingSteps).
	TimingSteps Timing = "steps"
	// TimingGENIUS runs every negotiation with GENIUS's round timing
	// (sao.TimingGENIUS), whatever the competitors: ANAC-style results.
	TimingGENIUS Timing = "genius"
)

// Job is one negotiation of a tournament, fully determined by the Config
// and its ID: the ID is its position in the enumeration (see JobAt).
type Job struct {
	ID       int64 `json:"id"`
	Scenario int   `json:"scenario"` // index into Config.Scenarios
	// Agents is the competitor index per party, in party order: nil in a
	// mediated tournament, -1 for a party that makes no offers in a staged
	// one.
	Agents []int `json:"agents"`
	// Mediator is the index into Config.Mediators of the mediator (0
	// without mediators); Voters the voter index per party (nil without
	// voters).
	Mediator int    `json:"mediator,omitempty"`
	Voters   []int  `json:"voters,omitempty"`
	Rep      int    `json:"rep"`  // repetition, from 0
	Seed     uint64 `json:"seed"` // see JobAt
	// Arm is the index into Config.Arms of the job's arm (0 without arms).
	Arm int `json:"arm,omitempty"`
}

// Record is the result of one negotiation as stored. Utility vectors list
// the parties in the scenario's party order.
type Record struct {
	JobID    int64  `json:"job_id"`
	Scenario string `json:"scenario"` // the scenario's reference (Meta.Scenarios)
	Rep      int    `json:"rep"`
	// Agents is the competitor name per party: "" for a party that makes
	// no offers (all of them in a mediated tournament).
	Agents []string `json:"agents"`
	// Mediator names the mediator of a mediated or staged negotiation
	// ("" in alternating offers); Voters the voter per party (nil without
	// voters).
	Mediator string   `json:"mediator,omitempty"`
	Voters   []string `json:"voters,omitempty"`
	// Agreement is the agreed outcome as issue -> value, nil without
	// agreement.
	Agreement map[string]string `json:"agreement,omitempty"`
	// Utilities are the undiscounted utilities of the agreement, or the
	// reservation values (at the end time) without one.
	Utilities []float64 `json:"utilities"`
	// Discounted are the Utilities discounted at the end time.
	Discounted []float64 `json:"discounted"`
	// Advantage is Utilities minus each party's reservation value at the
	// end time (Profile.ReservationAt), u_i − r_i(t): 0 without agreement.
	Advantage []float64 `json:"advantage"`
	Rounds    int       `json:"rounds"`
	// Reason is why it ended, a parley.Reason name: agreement, deadline,
	// walk_away or error.
	Reason string `json:"reason"`
	// Error is the cause of a Reason "error" (a strategy's error or panic,
	// an exceeded time limit), naming the party.
	Error   string        `json:"error,omitempty"`
	Elapsed time.Duration `json:"elapsed"` // wall time of the negotiation
	// ParetoDistance, NashDistance and Welfare are the analysis.Metrics of
	// Utilities. NashDistance is meaningful only when HasNash (a scenario
	// without individually rational outcomes has no Nash point).
	ParetoDistance float64 `json:"pareto_distance"`
	NashDistance   float64 `json:"nash_distance"`
	HasNash        bool    `json:"has_nash"`
	Welfare        float64 `json:"welfare"`
	// Fairness is the smallest normalised advantage of the parties the
	// metrics are over: min over i of (u_i − r_i(t)) / (best_i − r_i(t)),
	// with best_i party i's best feasible utility (parties with
	// best_i <= r_i(t), who can gain nothing, are left out). It is
	// meaningful only when HasFairness (not without the analysis, see
	// MetricsNote).
	Fairness    float64 `json:"fairness"`
	HasFairness bool    `json:"has_fairness"`
	// MetricsNote, when not empty, says why the scenario could not be
	// analysed (e.g. a non-linear space too large to enumerate): then
	// ParetoDistance and NashDistance are not available (0 and HasNash
	// false), and only Welfare is.
	MetricsNote string `json:"metrics_note,omitempty"`
	// Worker names where the negotiation ran (host:pid or a worker name).
	Worker string `json:"worker,omitempty"`
	// Arm names the run's arm (Config.Arms; "" without); Stage is the
	// stage in which a staged run ended, Time the normalised time on the
	// global clock when it ended and Locked the number of issues locked by
	// a partial_issues carry-over ("" and 0 outside staged runs).
	Arm    string  `json:"arm,omitempty"`
	Stage  string  `json:"stage,omitempty"`
	Time   float64 `json:"time,omitempty"`
	Locked int     `json:"locked,omitempty"`
}

// Meta identifies a tournament: a store holds the results of one Meta, and
// resuming, merging or replaying requires the same Meta. Scenarios are the
// references the scenarios are loaded from (paths or built-in names).
type Meta struct {
	Agents    []string `json:"agents"`
	Scenarios []string `json:"scenarios"`
	Reps      int      `json:"reps"`
	Deadline  int      `json:"deadline"`
	Seed      uint64   `json:"seed"`
	SelfPlay  bool     `json:"self_play"`
	// Timing is Config.Timing ("" for TimingAuto).
	Timing Timing `json:"timing,omitempty"`
	// Protocol is Config.Protocol (ProtocolSAO for alternating offers);
	// Mediators and Voters the names of Config.Mediators and Voters;
	// Variant Config.Variant; Rule, Info and Noise a mediated
	// tournament's mediated.Options ("" and 0 otherwise).
	Protocol  Protocol `json:"protocol"`
	Mediators []string `json:"mediators,omitempty"`
	Voters    []string `json:"voters,omitempty"`
	Variant   string   `json:"variant,omitempty"`
	Rule      string   `json:"rule,omitempty"`
	Info      string   `json:"info,omitempty"`
	Noise     float64  `json:"noise,omitempty"`
	// Planned is the number of negotiations the tournament defines (Count).
	Planned int64 `json:"planned"`
	// Arms are Config.Arms (nil without).
	Arms []Arm `json:"arms,omitempty"`
	// Design is Config.Design (nil without).
	Design *Design `json:"design,omitempty"`
}

// Design is how an experiment asked for the arms of a tournament of arms,
// as 'parley experiment sequencing|sweep' asks (package experiment's
// Design): with the scenario, it makes the arms again, with the values of
// each cell's parameters and the report's information note.
type Design struct {
	// Kind is "sequencing" or "sweep".
	Kind string `json:"kind"`
	// Variants are the protocol variants asked for, in order (nil: the
	// experiment's default).
	Variants []string `json:"variants,omitempty"`
	// Params are the parameter specs TARGET.NAME=VALUES: a sweep's grid
	// (--set), or the factors crossed with a sequencing's arms (--factor).
	Params []string `json:"params,omitempty"`
	// Baseline is the arm the report's paired tests compare the others
	// with (--baseline, resolved to its name); "" is the first arm, as in
	// a database written before the baseline was stored. It does not
	// change the runs.
	Baseline string `json:"baseline,omitempty"`
}

// Store keeps the results of a tournament. Run calls Open once, then Write
// from one goroutine, then leaves Close to the caller.
type Store interface {
	// Open prepares the store for the tournament m: a new store records m;
	// an existing one must hold the same Meta (an error naming the
	// difference otherwise). done reports whether a job's result is
	// already stored; it must be safe for concurrent use and reflect the
	// store as it was at Open.
	Open(ctx context.Context, m Meta) (done func(id int64) bool, err error)
	// Write stores the records in one transaction and returns how many
	// it stored. It is idempotent by JobID: a record whose job is already
	// stored (by this process or by another writing the same store) is
	// ignored and not counted. Write moves the records it stored to the
	// front of rs, in their order: rs[:stored] are they.
	Write(ctx context.Context, rs []Record) (stored int, err error)
	// Close releases the store.
	Close() error
}

// Queue hands jobs to remote workers and brings their results back
// (distrib/natsq implements it on NATS JetStream).
type Queue interface {
	// Publish queues the jobs of tournament m. It is idempotent by job
	// id: publishing a job twice runs it at most once more.
	Publish(ctx context.Context, m Meta, jobs []Job) error
	// Results streams the results published by workers. A job's result
	// may arrive more than once (after a redelivery); the channel closes
	// when ctx ends or the queue closes.
	Results(ctx context.Context) (<-chan Record, error)
	// Close releases the queue.
	Close() error
}
