package tournament

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tracefile"
)

// Config is a tournament. Its zero values mean defaults (Reps 1, Workers
// GOMAXPROCS, Deadline the scenario's own, no Limit). Prepare checks it;
// Run and NewRunner call Prepare. A Config must not be copied after its
// first use.
type Config struct {
	Competitors []Competitor
	// Scenarios are the scenarios, loaded by the caller (the tournament
	// package reads no files).
	Scenarios []*scenario.Scenario
	// ScenarioRefs say how to load each scenario again (a path or a
	// built-in name): they identify the tournament in its Meta and let
	// remote workers and replays rebuild it. Empty means each scenario's
	// Source (or Name).
	ScenarioRefs []string
	// Reps is the number of repetitions of every pairing (0 means 1).
	Reps int
	// Deadline is the number of rounds of every negotiation; 0 means each
	// scenario's own suggested deadline.
	Deadline int
	// Seed fixes every negotiation: job i runs with rng.Derive(Seed, i).
	Seed uint64
	// SelfPlay lets a competitor meet itself (and, with three or more
	// parties, fill several seats).
	SelfPlay bool
	// Timing is how time runs in every negotiation (TimingAuto,
	// TimingSteps or TimingGENIUS); it is part of the tournament's Meta.
	Timing Timing
	// Workers is the number of negotiations run in parallel (0 means
	// GOMAXPROCS). Results do not depend on it.
	Workers int
	// Limit is the wall-time limit of one negotiation (0: none). A
	// negotiation that exceeds it is recorded as an error and the
	// tournament goes on; a strategy stuck in Act is abandoned on its
	// goroutine, which keeps running (Go cannot stop it) until Act returns.
	Limit time.Duration

	// Protocol is how every negotiation runs: alternating offers (the
	// zero value), single-text mediation or each scenario's declared
	// staged protocol; it is part of the tournament's Meta.
	Protocol Protocol
	// Mediators are the competitors of a mediated tournament, or the one
	// mediator of a staged tournament whose scenarios declare mediated
	// stages. Alternating offers take none.
	Mediators []Mediator
	// Voters are the voter strategies of mediated negotiations and
	// stages: a mediated tournament runs every mediator with every voter
	// pool (each assignment of a voter to every party, repetition
	// allowed); a staged one gives party i voter i mod len(Voters).
	Voters []Voter
	// Variant is the declared protocol variant a staged tournament runs
	// ("" each scenario's declared stages).
	Variant string
	// Rule, Info and Noise are the mediated.Options of a mediated
	// tournament's negotiations (a staged protocol's stages set their
	// own); Deadline (or each scenario's) is their number of rounds.
	Rule  parley.Rule
	Info  parley.Info
	Noise float64

	// Arms, when set, make this a tournament of arms: the one scenario
	// run with each arm's settings and variant (Protocol staged, no
	// Variant), Reps runs per arm. Run r of every arm has the same seed
	// and gives each seated party the same competitor and voter (Assign),
	// so that arms compare run by run, as an experiment needs. See
	// JobAt.
	Arms []Arm
	// Design is how the experiment that made Arms asked for them (nil
	// outside experiments): stored with the tournament (Meta.Design) so
	// that the experiment's report can be made again from its store.
	Design *Design
	// Tables are prepared copies of the scenario whose utility tables the
	// arms may share (scenario.Scenario.Prepare), as a robustness
	// analysis shares them between its parameter points; nil prepares
	// anew. Only a tournament of arms uses them.
	Tables []*scenario.Prepared

	mu   sync.Mutex
	prep *prepared
}

// MediatedStage is the one stage of a mediated tournament's run among
// parties parties for rounds rounds, as its trace and the results pages
// describe it: single-text mediation named tracefile.MediatedStage, in
// which every party votes, under c's Rule, Info and Noise, opening with
// a random text and ending with the final vote, its mediator no party.
func (c *Config) MediatedStage(parties, rounds int) parley.Stage {
	st := parley.Stage{Name: tracefile.MediatedStage, Mechanism: parley.MechanismMediated, Mediator: -1, Rounds: rounds, RoundCost: 1,
		Start: parley.Start{Kind: parley.StartRandom}, Rule: c.Rule, Info: c.Info, Noise: c.Noise}
	for i := range parties {
		st.Participants = append(st.Participants, i)
	}
	return st
}

// prepared is what Prepare computes once per Config. Its per-scenario
// tables are per slot: a scenario, or an arm in a tournament of arms
// (prepared.slot).
type prepared struct {
	arms    bool                 // a tournament of arms: slots are arms
	scens   []*scenario.Scenario // per slot: the scenario it runs
	armMed  []int                // per arm: index into Config.Mediators, -1 for none
	refs    []string
	reps    int
	tuples  []int64 // ordered competitor tuples per scenario
	vtuples []int64 // voter pools per scenario (1 but for mediated)
	meds    int64   // mediators per scenario (at least 1)
	// negs lists, per scenario, the parties that take a competitor (nil:
	// all); metric lists those the analysis is over (nil: all).
	negs     [][]int
	metric   [][]int
	plans    []staged.Plan // per scenario, for ProtocolStaged
	best     [][]float64   // per scenario: each metric party's best feasible utility (nil without analysis)
	offsets  []int64       // first job id of each scenario; offsets[len] = Count
	parties  []int
	reports  []*analysis.Report     // nil for a scenario that cannot be analysed
	notes    []string               // why reports[s] is nil ("" when it is not)
	resv     [][]float64            // reservation values per scenario, by party
	names    [][]string             // party names per scenario
	spaces   []*parley.OutcomeSpace // private copies, to name agreements: seats share the scenario's
	prepared []*scenario.Prepared   // the scenarios ready to run (Scenario.Prepare)
	profiles [][]*parley.Profile    // the runner's own copies of the prepared profiles, read-only
	dls      []int                  // deadline per scenario
}

// Prepare checks the configuration, naming the first bad field, and
// precomputes what every negotiation shares: each scenario ready to run
// (scenario.Scenario.Prepare: utility tables and sorted indices; the
// scenarios themselves are left unchanged) and its analysis (Pareto
// frontier, Nash point). A scenario that cannot be analysed (a non-linear space too large
// to enumerate, such as ANAC 2014's 10¹⁰-outcome ones) is still played, as
// 'parley run' plays it: its records carry Record.MetricsNote instead of
// Pareto and Nash distances. It is idempotent and safe for concurrent use.
func (c *Config) Prepare() error {
	_, err := c.prepare()
	return err
}

func (c *Config) prepare() (*prepared, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.prep != nil {
		return c.prep, nil
	}
	p, err := c.layout()
	if err != nil {
		return nil, err
	}
	for i, s := range p.scens {
		ready, err := s.Prepare(c.armTables(p)...)
		if err != nil {
			return nil, fmt.Errorf("tournament: %s: %w", p.slotName(c, i), err)
		}
		p.prepared = append(p.prepared, ready)
		p.profiles = append(p.profiles, ready.Profiles())
		profs := ready.Profiles()
		if mp := p.metric[i]; mp != nil {
			sub := make([]*parley.Profile, len(mp))
			for k, q := range mp {
				sub[k] = profs[q]
			}
			profs = sub
		}
		var rep *analysis.Report
		if e := p.sameAnalysis(i); e >= 0 {
			rep, err = p.reports[e], nil
		} else {
			rep, err = analysis.Analyze(ready.Space(), profs)
		}
		note := ""
		var best []float64
		if err != nil {
			rep, note = nil, err.Error()
		} else {
			best = make([]float64, len(profs))
			for k := range best {
				best[k] = math.Inf(-1)
				for _, pt := range rep.Frontier {
					best[k] = max(best[k], pt.U[k])
				}
			}
		}
		p.reports = append(p.reports, rep)
		p.best = append(p.best, best)
		p.notes = append(p.notes, note)
		p.resv = append(p.resv, ready.Reservations())
		p.names = append(p.names, ready.Names())
		p.spaces = append(p.spaces, s.Space.Clone())
	}
	c.prep = p
	return p, nil
}

// layout validates the configuration and computes the enumeration, without
// touching the scenarios' utility functions.
func (c *Config) layout() (*prepared, error) {
	if len(c.Arms) > 0 {
		if len(c.Competitors) == 0 {
			return nil, errors.New("tournament: no competitors")
		}
		if err := c.checkEntrants(); err != nil {
			return nil, err
		}
		return c.armLayout()
	}
	proto := c.Protocol.or()
	if _, err := ParseProtocol(string(proto)); err != nil {
		return nil, err
	}
	nc := len(c.Competitors)
	switch {
	case proto == ProtocolMediated && nc > 0:
		return nil, errors.New("tournament: a mediated tournament's competitors are its mediators: it takes no negotiators")
	case proto != ProtocolMediated && nc == 0:
		return nil, errors.New("tournament: no competitors")
	case proto == ProtocolSAO && (len(c.Mediators) > 0 || len(c.Voters) > 0):
		return nil, errors.New("tournament: alternating offers take no mediators or voters")
	case proto == ProtocolMediated && len(c.Mediators) == 0:
		return nil, errors.New("tournament: a mediated tournament needs mediators")
	case proto == ProtocolMediated && len(c.Voters) == 0:
		return nil, errors.New("tournament: a mediated tournament needs voters")
	case proto == ProtocolStaged && len(c.Mediators) > 1:
		return nil, fmt.Errorf("tournament: a staged tournament takes at most one mediator, not %d", len(c.Mediators))
	case proto != ProtocolStaged && c.Variant != "":
		return nil, fmt.Errorf("tournament: variant %q: only a staged tournament runs protocol variants", c.Variant)
	case proto != ProtocolMediated && (c.Rule != 0 || c.Info != 0 || c.Noise != 0):
		return nil, errors.New("tournament: rule, info and noise apply to mediated tournaments (a staged protocol's stages set their own)")
	case proto != ProtocolSAO && c.Timing != TimingAuto:
		return nil, fmt.Errorf("tournament: timing %q applies to alternating offers only", c.Timing)
	case proto == ProtocolStaged && c.Deadline != 0:
		return nil, fmt.Errorf("tournament: deadline %d: a staged protocol's stages set their own rounds", c.Deadline)
	}
	if err := c.checkEntrants(); err != nil {
		return nil, err
	}
	if len(c.Scenarios) == 0 {
		return nil, errors.New("tournament: no scenarios")
	}
	if len(c.ScenarioRefs) != 0 && len(c.ScenarioRefs) != len(c.Scenarios) {
		return nil, fmt.Errorf("tournament: %d scenario references for %d scenarios", len(c.ScenarioRefs), len(c.Scenarios))
	}
	if err := c.checkNumbers(); err != nil {
		return nil, err
	}
	if proto == ProtocolMediated {
		o := mediated.Options{Rounds: 1, Rule: c.Rule, Info: c.Info, Noise: c.Noise}
		if err := o.Validate(); err != nil {
			return nil, fmt.Errorf("tournament: %w", err)
		}
	}
	p := &prepared{reps: max(c.Reps, 1), offsets: []int64{0}, meds: 1}
	if proto == ProtocolMediated {
		p.meds = int64(len(c.Mediators))
	}
	refs := make(map[string]bool, len(c.Scenarios))
	var total int64
	for i, s := range c.Scenarios {
		if s == nil {
			return nil, fmt.Errorf("tournament: scenario %d is missing", i+1)
		}
		ref := s.Source
		if len(c.ScenarioRefs) > 0 {
			ref = c.ScenarioRefs[i]
		}
		if ref == "" {
			ref = s.Name
		}
		if refs[ref] {
			return nil, fmt.Errorf("tournament: scenario %s appears twice", ref)
		}
		refs[ref] = true
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("tournament: scenario %s: %w", ref, err)
		}
		n := len(s.Parties)
		dl := c.Deadline
		if dl == 0 {
			dl = s.Deadline
		}
		var negs, metric []int
		var pl staged.Plan
		switch proto {
		case ProtocolStaged:
			var err error
			if pl, err = c.stagedPlan(s, ref); err != nil {
				return nil, err
			}
			dl = pl.Rounds()
			negs, metric = stagedSeats(pl, n)
			if len(negs) == 0 {
				return nil, fmt.Errorf("tournament: scenario %s: no party makes offers in an alternating-offers stage, so no competitor takes a seat (a mediated tournament compares mediators)", ref)
			}
		case ProtocolMediated:
			negs = []int{}
		}
		if dl <= 0 {
			return nil, fmt.Errorf("tournament: scenario %s suggests no deadline: set one", ref)
		}
		seats := n
		if negs != nil {
			seats = len(negs)
		}
		t := tuples(nc, seats, c.SelfPlay)
		if t == 0 {
			return nil, fmt.Errorf("tournament: scenario %s has %d parties but there are only %d competitors: add competitors or allow self-play", ref, seats, nc)
		}
		vt := int64(1)
		if proto == ProtocolMediated {
			vt = tuples(len(c.Voters), n, true)
		}
		units := int64(-1)
		if t > 0 && vt > 0 && t <= math.MaxInt64/4/vt && t*vt <= math.MaxInt64/4/p.meds {
			units = t * vt * p.meds
		}
		if units < 0 || units > (math.MaxInt64/4-total)/int64(p.reps) {
			return nil, fmt.Errorf("tournament: scenario %s: too many negotiations (%d competitors in %d seats)", ref, nc, n)
		}
		total += units * int64(p.reps)
		p.refs = append(p.refs, ref)
		p.scens = append(p.scens, s)
		p.tuples = append(p.tuples, t)
		p.vtuples = append(p.vtuples, vt)
		p.negs = append(p.negs, negs)
		p.metric = append(p.metric, metric)
		p.plans = append(p.plans, pl)
		p.offsets = append(p.offsets, total)
		p.parties = append(p.parties, n)
		p.dls = append(p.dls, dl)
	}
	return p, nil
}

// checkEntrants checks the names and constructors of the competitors,
// mediators and voters.
func (c *Config) checkEntrants() error {
	nc := len(c.Competitors)
	seen := make(map[string]bool, nc)
	for i, cp := range c.Competitors {
		switch {
		case cp.Name == "":
			return fmt.Errorf("tournament: competitor %d has no name", i+1)
		case cp.New == nil:
			return fmt.Errorf("tournament: competitor %q has no constructor", cp.Name)
		case seen[cp.Name]:
			return fmt.Errorf("tournament: competitor %q appears twice", cp.Name)
		}
		seen[cp.Name] = true
	}
	if err := checkNamed("mediator", len(c.Mediators), func(i int) (string, bool) { return c.Mediators[i].Name, c.Mediators[i].New != nil }); err != nil {
		return err
	}
	if err := checkNamed("voter", len(c.Voters), func(i int) (string, bool) { return c.Voters[i].Name, c.Voters[i].New != nil }); err != nil {
		return err
	}
	return nil
}

// checkNumbers checks the counts, durations and timing.
func (c *Config) checkNumbers() error {
	switch {
	case c.Reps < 0:
		return fmt.Errorf("tournament: reps %d is negative", c.Reps)
	case c.Deadline < 0:
		return fmt.Errorf("tournament: deadline %d rounds is negative", c.Deadline)
	case c.Workers < 0:
		return fmt.Errorf("tournament: workers %d is negative", c.Workers)
	case c.Limit < 0:
		return fmt.Errorf("tournament: time limit %v is negative", c.Limit)
	case c.Timing != TimingAuto && c.Timing != TimingSteps && c.Timing != TimingGENIUS:
		return fmt.Errorf("tournament: timing %q: want %q, %q or empty (auto)", c.Timing, TimingSteps, TimingGENIUS)
	}
	return nil
}

// checkNamed checks that n named entries (mediators or voters) have names,
// constructors and no repeats.
func checkNamed(role string, n int, at func(int) (string, bool)) error {
	seen := make(map[string]bool, n)
	for i := range n {
		name, ok := at(i)
		switch {
		case name == "":
			return fmt.Errorf("tournament: %s %d has no name", role, i+1)
		case !ok:
			return fmt.Errorf("tournament: %s %q has no constructor", role, name)
		case seen[name]:
			return fmt.Errorf("tournament: %s %q appears twice", role, name)
		}
		seen[name] = true
	}
	return nil
}

// stagedPlan returns the plan a staged tournament runs on s and checks
// that the tournament's mediators and voters fit it.
func (c *Config) stagedPlan(s *scenario.Scenario, ref string) (staged.Plan, error) {
	if s.Protocol == nil {
		return staged.Plan{}, fmt.Errorf("tournament: scenario %s declares no protocol to run staged", ref)
	}
	pl, err := plan.FromScenario(s, c.Variant)
	if err != nil {
		return staged.Plan{}, fmt.Errorf("tournament: scenario %s: %w", ref, err)
	}
	hasMediated := false
	for _, st := range pl.Stages {
		hasMediated = hasMediated || st.Mechanism == parley.MechanismMediated
	}
	switch {
	case hasMediated && len(c.Mediators) == 0:
		return staged.Plan{}, fmt.Errorf("tournament: scenario %s has mediated stages: the tournament needs a mediator", ref)
	case hasMediated && len(c.Voters) == 0:
		return staged.Plan{}, fmt.Errorf("tournament: scenario %s has mediated stages: the tournament needs voters", ref)
	case !hasMediated && (len(c.Mediators) > 0 || len(c.Voters) > 0):
		return staged.Plan{}, fmt.Errorf("tournament: scenario %s has no mediated stage: the tournament takes no mediator or voters", ref)
	}
	return pl, nil
}

// stagedSeats returns the parties of a plan that make offers in some
// alternating-offers stage (they take competitors) and those that take
// part in some stage (the metrics are over them; the others, such as a
// mediating party, are not optimised for).
func stagedSeats(pl staged.Plan, n int) (negs, metric []int) {
	offers, in := make([]bool, n), make([]bool, n)
	for _, st := range pl.Stages {
		for _, q := range st.Participants {
			in[q] = true
			if st.Mechanism == parley.MechanismAlternatingOffers {
				offers[q] = true
			}
		}
	}
	negs, metric = []int{}, []int{}
	for q := range n {
		if offers[q] {
			negs = append(negs, q)
		}
		if in[q] {
			metric = append(metric, q)
		}
	}
	return negs, metric
}

// tuples returns the number of ordered assignments of c competitors to n
// seats: c^n with self-play, c!/(c-n)! (each competitor at most once)
// without; -1 on overflow.
func tuples(c, n int, self bool) int64 {
	t := int64(1)
	for k := 0; k < n; k++ {
		f := int64(c)
		if !self {
			f = int64(c - k)
		}
		if f <= 0 {
			return 0
		}
		if t > math.MaxInt64/f {
			return -1
		}
		t *= f
	}
	return t
}

// Meta returns the identity of the tournament, as stored with its results.
func (c *Config) Meta() (Meta, error) {
	p, err := c.layoutOnce()
	if err != nil {
		return Meta{}, err
	}
	m := Meta{Scenarios: append([]string(nil), p.refs...), Reps: p.reps, Deadline: c.Deadline,
		Seed: c.Seed, SelfPlay: c.SelfPlay, Timing: c.Timing, Planned: p.offsets[len(p.offsets)-1],
		Protocol: c.Protocol.or(), Variant: c.Variant}
	for _, cp := range c.Competitors {
		m.Agents = append(m.Agents, cp.Name)
	}
	for _, md := range c.Mediators {
		m.Mediators = append(m.Mediators, md.Name)
	}
	for _, v := range c.Voters {
		m.Voters = append(m.Voters, v.Name)
	}
	if m.Protocol == ProtocolMediated {
		m.Rule, m.Info, m.Noise = c.Rule.String(), c.Info.String(), c.Noise
	}
	for _, a := range c.Arms {
		a.Set = slices.Clone(a.Set)
		m.Arms = append(m.Arms, a)
	}
	if c.Design != nil {
		d := c.Design.clone()
		m.Design = &d
	}
	return m, nil
}

// clone returns a deep copy of d.
func (d Design) clone() Design {
	d.Variants, d.Params = slices.Clone(d.Variants), slices.Clone(d.Params)
	return d
}

// layoutOnce returns the prepared layout if Prepare ran, or computes a
// fresh one (cheap: no scenario analysis).
func (c *Config) layoutOnce() (*prepared, error) {
	c.mu.Lock()
	p := c.prep
	c.mu.Unlock()
	if p != nil {
		return p, nil
	}
	return c.layout()
}

// Count returns the number of negotiations of the tournament:
//
//	Σ over scenarios s of M·V(s)·T(s)·Reps
//
// where T(s) is the number of ordered assignments of competitors to the
// scenario's n seats (the parties that make offers, in a staged
// tournament; 1 in a mediated one): C!/(C−n)! without self-play (every
// role rotation of every group of distinct competitors), C^n with it; M is
// the number of mediators of a mediated tournament and V(s) its voter
// pools, Vⁿ for V voters (both 1 otherwise). It returns 0 for an invalid
// configuration (Prepare says why). A tournament of arms has A·Reps
// negotiations for A arms.
func Count(c *Config) int64 {
	p, err := c.layoutOnce()
	if err != nil {
		return 0
	}
	return p.offsets[len(p.offsets)-1]
}

// JobAt returns job id of the tournament without enumerating the others.
// Jobs are ordered by scenario, then by mediator (a mediated tournament's;
// others have one unit here), then by voter pool (a mediated tournament's
// assignments of voters to parties, the first party most significant),
// then by competitor tuple (lexicographic in competitor order, the first
// seat most significant), then by repetition:
//
//	id = offset(scenario) + ((mediator·V + pool)·T + tuple)·Reps + rep
//
// so with competitors a, b, c on a bilateral scenario without self-play the
// tuples are (a,b), (a,c), (b,a), (b,c), (c,a), (c,b). The job's seed is
// rng.Derive(Seed, id₀), with id₀ the id of the same job with mediator 0:
// every mediator meets the same voter pool, repetition and seed (common
// random numbers), so that mediators compare run by run; without
// mediators id₀ = id.
//
// A tournament of arms orders its jobs by run r, then arm a: id = r·A + a
// for A arms. Job.Rep is r, the seed rng.Derive(Seed, r) in every arm, and
// the seated parties (those that take part in some stage of some arm)
// get the competitors and voters Assign gives run r, in every arm; the
// others get -1.
func JobAt(c *Config, id int64) (Job, error) {
	p, err := c.layoutOnce()
	if err != nil {
		return Job{}, err
	}
	return p.job(c, id)
}

func (p *prepared) job(c *Config, id int64) (Job, error) {
	total := p.offsets[len(p.offsets)-1]
	if id < 0 || id >= total {
		return Job{}, fmt.Errorf("tournament: run %d is outside the tournament's %d runs (0..%d)", id, total, total-1)
	}
	if p.arms {
		return p.armJob(c, id), nil
	}
	s := 0
	for id >= p.offsets[s+1] {
		s++
	}
	local := id - p.offsets[s]
	u, rep := local/int64(p.reps), int(local%int64(p.reps))
	A, V := p.tuples[s], p.vtuples[s]
	t := u % A
	u /= A
	v, m := u%V, u/V
	j := Job{ID: id, Scenario: s, Rep: rep, Seed: rng.Derive(c.Seed, uint64(id-m*V*A*int64(p.reps)))}
	n := p.parties[s]
	switch c.Protocol.or() {
	case ProtocolSAO:
		j.Agents = decodeTuple(t, len(c.Competitors), n, c.SelfPlay)
	case ProtocolMediated:
		j.Mediator = int(m)
		j.Voters = decodeTuple(v, len(c.Voters), n, true)
	case ProtocolStaged:
		negs := p.negs[s]
		j.Agents = scatter(n, negs, decodeTuple(t, len(c.Competitors), len(negs), c.SelfPlay))
		if len(c.Voters) > 0 {
			j.Voters = make([]int, n)
			for i := range j.Voters {
				j.Voters[i] = i % len(c.Voters)
			}
		}
	}
	return j, nil
}

// decodeTuple returns the t-th ordered assignment of c competitors to n
// seats in lexicographic order: base-c digits with self-play, the t-th
// n-permutation of 0..c-1 without.
func decodeTuple(t int64, c, n int, self bool) []int {
	a := make([]int, n)
	if self {
		for k := n - 1; k >= 0; k-- {
			a[k] = int(t % int64(c))
			t /= int64(c)
		}
		return a
	}
	// Mixed radix (c, c-1, ..., c-n+1), the first seat most significant;
	// digit k picks the digit-th competitor not used by seats 0..k-1.
	digits := make([]int, n)
	for k := n - 1; k >= 0; k-- {
		r := int64(c - k)
		digits[k] = int(t % r)
		t /= r
	}
	used := make([]bool, c)
	for k, d := range digits {
		for x := 0; x < c; x++ {
			if used[x] {
				continue
			}
			if d == 0 {
				a[k], used[x] = x, true
				break
			}
			d--
		}
	}
	return a
}

// workers returns the number of parallel negotiations.
func (c *Config) workers() int {
	if c.Workers > 0 {
		return c.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// JobTiming returns how time runs in job j: Config.Timing, or for
// TimingAuto GENIUS timing when every agent of the job has GeniusTiming,
// else step timing.
func (c *Config) JobTiming(j Job) sao.Timing {
	switch c.Timing {
	case TimingGENIUS:
		return sao.TimingGENIUS
	case TimingSteps:
		return sao.TimingSteps
	}
	for _, a := range j.Agents {
		if !c.Competitors[a].GeniusTiming {
			return sao.TimingSteps
		}
	}
	return sao.TimingGENIUS
}
