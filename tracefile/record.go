package tracefile

import (
	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
)

// A Recorder keeps the events of a run as its mechanism reports them,
// each as an Entry with its stage, and writes each to a Writer as it
// comes, if it has one. Its methods are the mechanisms' hooks: Event is
// an alternating-offers run's sao.Options.Trace, Start and Stage a staged
// run's staged.Plan.StageStart and Trace. 'parley run' and the replay of a
// tournament's run record through it, so that the two write the same
// trace.
type Recorder struct {
	// Events are the entries recorded, in order.
	Events []Entry
	// Offsets are the global rounds before each stage began, by stage
	// index; -1 for a stage that has not begun.
	Offsets []int
	w       *Writer
}

// NewRecorder returns a Recorder that also writes each entry to w (none
// when w is nil).
func NewRecorder(w *Writer) *Recorder { return &Recorder{w: w} }

// Event records an action of a run without stages (stage -1).
func (r *Recorder) Event(e parley.Event) { r.add(Entry{Stage: -1, Event: e}) }

// Start records that stage k begins after offset global rounds.
func (r *Recorder) Start(k, offset int) {
	for len(r.Offsets) <= k {
		r.Offsets = append(r.Offsets, -1)
	}
	r.Offsets[k] = offset
}

// Stage records an action of stage k (its party is the stage's own index
// of the participant).
func (r *Recorder) Stage(k int, e parley.Event) {
	r.add(Entry{Stage: k, Offset: r.Offset(k), Event: e})
}

// Offset returns the global rounds before stage k began (0 for a stage
// that did not).
func (r *Recorder) Offset(k int) int {
	if k < len(r.Offsets) && r.Offsets[k] > 0 {
		return r.Offsets[k]
	}
	return 0
}

func (r *Recorder) add(e Entry) {
	r.Events = append(r.Events, e)
	if r.w != nil {
		r.w.Event(e)
	}
}

// NewStagedRun returns the setup part of a run of s by its declared
// protocol's plan pl (variant "" for the declared stages), with the
// negotiator and voter specs by party and the mediator spec, from seed.
func NewStagedRun(s *scenario.Scenario, pl staged.Plan, variant string, agents, voters []string, mediator string, seed uint64) *Run {
	j := NewRun(s, ProtocolStaged, agents, seed, pl.Rounds())
	j.Variant, j.Voters, j.Mediator = variant, ByParty(s.Names(), voters), mediator
	j.Stages = StagesOf(s, pl)
	return j
}

// MediatedStage is the name of the one stage of a run by single-text
// mediation alone (ProtocolMediated).
const MediatedStage = "mediated"

// NewMediatedRun returns the setup part of a run of s by single-text
// mediation alone, as stage st (named MediatedStage, in which every party
// votes: its rounds are the run's), with the voter specs by party and the
// mediator spec, from seed.
func NewMediatedRun(s *scenario.Scenario, voters []string, mediator string, seed uint64, st *parley.Stage) *Run {
	j := NewRun(s, ProtocolMediated, nil, seed, st.Rounds)
	j.Voters, j.Mediator = ByParty(s.Names(), voters), mediator
	j.Stages = []Stage{StageOf(s.Names(), s.Space, st, 1)}
	return j
}

// SetStagedOutcome fills in how a staged run of s by plan pl ended
// (SetStagedResult) and its metrics among the parties that take part in
// some stage (for the ceasefire: RU and UA; the mediator's own utility is
// reported, not optimised for), analysed over space with the parties'
// profiles.
func (j *Run) SetStagedOutcome(s *scenario.Scenario, space *parley.OutcomeSpace, profiles []*parley.Profile, pl staged.Plan, res *staged.Result, stageRound int) {
	in := make([]bool, len(s.Parties))
	for _, sg := range pl.Stages {
		for _, p := range sg.Participants {
			in[p] = true
		}
	}
	var (
		profs []*parley.Profile
		names []string
		u     []float64
	)
	for i := range s.Parties {
		if in[i] {
			profs, names, u = append(profs, profiles[i]), append(names, s.Parties[i].Name), append(u, res.Utilities[i])
		}
	}
	rep, aerr := analysis.Analyze(space, profs)
	j.SetStagedResult(s, res, stageRound)
	j.MetricsParties = names
	j.SetMetrics(rep, aerr, u)
}
