package tournament

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/scenario"
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

	mu   sync.Mutex
	prep *prepared
}

// prepared is what Prepare computes once per Config.
type prepared struct {
	refs     []string
	reps     int
	tuples   []int64 // ordered competitor tuples per scenario
	offsets  []int64 // first job id of each scenario; offsets[len] = Count
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
	for i, s := range c.Scenarios {
		ready, err := s.Prepare()
		if err != nil {
			return nil, fmt.Errorf("tournament: scenario %s: %w", p.refs[i], err)
		}
		p.prepared = append(p.prepared, ready)
		p.profiles = append(p.profiles, ready.Profiles())
		rep, err := analysis.Analyze(ready.Space(), ready.Profiles())
		note := ""
		if err != nil {
			rep, note = nil, err.Error()
		}
		p.reports = append(p.reports, rep)
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
	nc := len(c.Competitors)
	if nc == 0 {
		return nil, errors.New("tournament: no competitors")
	}
	seen := make(map[string]bool, nc)
	for i, cp := range c.Competitors {
		switch {
		case cp.Name == "":
			return nil, fmt.Errorf("tournament: competitor %d has no name", i+1)
		case cp.New == nil:
			return nil, fmt.Errorf("tournament: competitor %q has no constructor", cp.Name)
		case seen[cp.Name]:
			return nil, fmt.Errorf("tournament: competitor %q appears twice", cp.Name)
		}
		seen[cp.Name] = true
	}
	if len(c.Scenarios) == 0 {
		return nil, errors.New("tournament: no scenarios")
	}
	if len(c.ScenarioRefs) != 0 && len(c.ScenarioRefs) != len(c.Scenarios) {
		return nil, fmt.Errorf("tournament: %d scenario references for %d scenarios", len(c.ScenarioRefs), len(c.Scenarios))
	}
	switch {
	case c.Reps < 0:
		return nil, fmt.Errorf("tournament: reps %d is negative", c.Reps)
	case c.Deadline < 0:
		return nil, fmt.Errorf("tournament: deadline %d rounds is negative", c.Deadline)
	case c.Workers < 0:
		return nil, fmt.Errorf("tournament: workers %d is negative", c.Workers)
	case c.Limit < 0:
		return nil, fmt.Errorf("tournament: time limit %v is negative", c.Limit)
	case c.Timing != TimingAuto && c.Timing != TimingSteps && c.Timing != TimingGENIUS:
		return nil, fmt.Errorf("tournament: timing %q: want %q, %q or empty (auto)", c.Timing, TimingSteps, TimingGENIUS)
	}
	p := &prepared{reps: max(c.Reps, 1), offsets: []int64{0}}
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
		dl := c.Deadline
		if dl == 0 {
			dl = s.Deadline
		}
		if dl <= 0 {
			return nil, fmt.Errorf("tournament: scenario %s suggests no deadline: set one", ref)
		}
		n := len(s.Parties)
		t := tuples(nc, n, c.SelfPlay)
		if t == 0 {
			return nil, fmt.Errorf("tournament: scenario %s has %d parties but there are only %d competitors: add competitors or allow self-play", ref, n, nc)
		}
		if t < 0 || t > (math.MaxInt64/4-total)/int64(p.reps) {
			return nil, fmt.Errorf("tournament: scenario %s: too many negotiations (%d competitors in %d seats)", ref, nc, n)
		}
		total += t * int64(p.reps)
		p.refs = append(p.refs, ref)
		p.tuples = append(p.tuples, t)
		p.offsets = append(p.offsets, total)
		p.parties = append(p.parties, n)
		p.dls = append(p.dls, dl)
	}
	return p, nil
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
		Seed: c.Seed, SelfPlay: c.SelfPlay, Timing: c.Timing, Planned: p.offsets[len(p.offsets)-1]}
	for _, cp := range c.Competitors {
		m.Agents = append(m.Agents, cp.Name)
	}
	return m, nil
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
//	Σ over scenarios s of T(s)·Reps
//
// where T(s) is the number of ordered assignments of competitors to the
// scenario's n seats: C!/(C−n)! without self-play (every role rotation of
// every group of distinct competitors), C^n with it. It returns 0 for an
// invalid configuration (Prepare says why).
func Count(c *Config) int64 {
	p, err := c.layoutOnce()
	if err != nil {
		return 0
	}
	return p.offsets[len(p.offsets)-1]
}

// JobAt returns job id of the tournament without enumerating the others.
// Jobs are ordered by scenario, then by competitor tuple (lexicographic in
// competitor order, the first seat most significant), then by repetition:
//
//	id = offset(scenario) + tuple·Reps + rep
//
// so with competitors a, b, c on a bilateral scenario without self-play the
// tuples are (a,b), (a,c), (b,a), (b,c), (c,a), (c,b). The job's seed is
// rng.Derive(Seed, id).
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
	s := 0
	for id >= p.offsets[s+1] {
		s++
	}
	local := id - p.offsets[s]
	t, rep := local/int64(p.reps), int(local%int64(p.reps))
	return Job{ID: id, Scenario: s, Agents: decodeTuple(t, len(c.Competitors), p.parties[s], c.SelfPlay), Rep: rep,
		Seed: rng.Derive(c.Seed, uint64(id))}, nil
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
