package tournament

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/scenario"
)

// Arm is one treatment of a tournament of arms (Config.Arms): the
// tournament's scenario with some settings changed, run by one of its
// declared protocol variants. A tournament of arms is how an experiment
// runs (package experiment): its arms on common random numbers, stored,
// resumed, sharded and distributed like any tournament.
type Arm struct {
	Name string `json:"name"`
	// Variant is the protocol variant the arm runs ("" the declared
	// stages).
	Variant string `json:"variant,omitempty"`
	// Set are the settings that make the arm's scenario from the
	// tournament's, applied in order (scenario.Scenario.With:
	// "TARGET.NAME=VALUE").
	Set []string `json:"set,omitempty"`
	// Mediator names the entry of Config.Mediators that mediates the
	// arm's mediated stages ("" for an arm without one).
	Mediator string `json:"mediator,omitempty"`
}

// armLayout is the layout of a tournament of arms: one slot per arm, in
// which Job.Arm indexes every per-slot table of prepared.
func (c *Config) armLayout() (*prepared, error) {
	switch {
	case c.Protocol.or() != ProtocolStaged:
		return nil, errors.New("tournament: arms run a scenario's staged protocol: set the protocol to staged")
	case len(c.Scenarios) != 1:
		return nil, fmt.Errorf("tournament: a tournament of arms runs one scenario, not %d", len(c.Scenarios))
	case c.Variant != "":
		return nil, errors.New("tournament: a tournament of arms takes each arm's variant, not Variant")
	case c.Deadline != 0 || c.Timing != TimingAuto || c.Rule != 0 || c.Info != 0 || c.Noise != 0:
		return nil, errors.New("tournament: a tournament of arms takes no deadline, timing, rule, info or noise: its arms' stages set their own")
	}
	if err := c.checkNumbers(); err != nil {
		return nil, err
	}
	s := c.Scenarios[0]
	if s == nil {
		return nil, errors.New("tournament: scenario 1 is missing")
	}
	ref := s.Source
	if len(c.ScenarioRefs) > 0 {
		ref = c.ScenarioRefs[0]
	}
	if ref == "" {
		ref = s.Name
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("tournament: scenario %s: %w", ref, err)
	}
	if s.Protocol == nil {
		return nil, fmt.Errorf("tournament: scenario %s declares no protocol to run arms of", ref)
	}
	p := &prepared{reps: max(c.Reps, 1), offsets: []int64{0}, meds: 1, refs: []string{ref}}
	seated := make([]bool, len(s.Parties))
	names := make(map[string]bool, len(c.Arms))
	for a, arm := range c.Arms {
		if arm.Name == "" {
			return nil, fmt.Errorf("tournament: arm %d has no name", a+1)
		}
		if names[arm.Name] {
			return nil, fmt.Errorf("tournament: arm %q appears twice", arm.Name)
		}
		names[arm.Name] = true
		sc, err := s.With(arm.Set...)
		if err != nil {
			return nil, fmt.Errorf("tournament: arm %q: %w", arm.Name, err)
		}
		pl, err := plan.FromScenario(sc, arm.Variant)
		if err != nil {
			return nil, fmt.Errorf("tournament: arm %q: %w", arm.Name, err)
		}
		med := -1
		if slices.ContainsFunc(pl.Stages, func(st parley.Stage) bool { return st.Mechanism == parley.MechanismMediated }) {
			if med = slices.IndexFunc(c.Mediators, func(m Mediator) bool { return m.Name == arm.Mediator }); med < 0 {
				return nil, fmt.Errorf("tournament: arm %q has mediated stages but its mediator %q is not among the tournament's mediators", arm.Name, arm.Mediator)
			}
			if len(c.Voters) == 0 {
				return nil, fmt.Errorf("tournament: arm %q has mediated stages: the tournament needs voters", arm.Name)
			}
		} else if arm.Mediator != "" {
			return nil, fmt.Errorf("tournament: arm %q has no mediated stage for its mediator %q", arm.Name, arm.Mediator)
		}
		for _, st := range pl.Stages {
			for _, q := range st.Participants {
				seated[q] = true
			}
		}
		p.scens = append(p.scens, sc)
		p.plans = append(p.plans, pl)
		p.armMed = append(p.armMed, med)
		p.parties = append(p.parties, len(s.Parties))
		p.dls = append(p.dls, pl.Rounds())
	}
	// Every arm seats the same parties, those that take part in some
	// stage of some arm, so that run r gives each party the same
	// strategies in every arm; the metrics are over them too.
	var negs []int
	for q, in := range seated {
		if in {
			negs = append(negs, q)
		}
	}
	if len(negs) == 0 {
		return nil, fmt.Errorf("tournament: scenario %s: no party takes part in any stage of the arms", ref)
	}
	for range c.Arms {
		p.negs = append(p.negs, negs)
		p.metric = append(p.metric, negs)
	}
	total := int64(len(c.Arms))
	if total > math.MaxInt64/4/int64(p.reps) {
		return nil, errors.New("tournament: too many runs")
	}
	p.offsets = append(p.offsets, total*int64(p.reps))
	p.arms = true
	return p, nil
}

// Seated returns the parties a tournament of arms seats in every arm
// (those that take part in some stage of some arm), in party order; nil
// for another tournament or one that does not prepare.
func (c *Config) Seated() []int {
	p, err := c.prepare()
	if err != nil || !p.arms {
		return nil
	}
	return slices.Clone(p.negs[0])
}

// armJob returns job id of a tournament of arms: runs are ordered by run,
// then arm (id = run·A + arm), so that an unfinished tournament has run
// every arm about as often; run r of every arm has seed rng.Derive(Seed,
// r) and the strategies Assign gives run r.
func (p *prepared) armJob(c *Config, id int64) Job {
	A := int64(len(c.Arms))
	run, arm := id/A, int(id%A)
	j := Job{ID: id, Arm: arm, Rep: int(run), Seed: rng.Derive(c.Seed, uint64(run))}
	negs := p.negs[arm]
	n := p.parties[arm]
	ni, vi := make([]int, len(negs)), make([]int, len(negs))
	Assign(int(run), len(c.Competitors), len(c.Voters), ni, vi)
	j.Agents = scatter(n, negs, ni)
	if len(c.Voters) > 0 {
		j.Voters = scatter(n, negs, vi)
	}
	j.Mediator = max(p.armMed[arm], 0)
	return j
}

// scatter returns n party slots holding vs[k] at party seats[k] and -1
// elsewhere.
func scatter(n int, seats, vs []int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = -1
	}
	for k, q := range seats {
		out[q] = vs[k]
	}
	return out
}

// Assign sets, for run i of a tournament of arms, the competitor and the
// voter of each of the k = len(negs) seated parties (in party order):
//
//	negs[j] = (a / N^j) mod N   with a = i mod N^k
//	voters[j] = (b / V^j) mod V   with b = (i + ⌊i/L⌋) mod V^k
//
// for N competitors, V voters and L = lcm(N^k, V^k): the competitor tuples
// cycle with period N^k and the voter tuples with period V^k, and the
// ⌊i/L⌋ shift makes every (competitor tuple, voter tuple) pair appear
// exactly once in each N^k·V^k consecutive runs (when the periods are
// coprime, as 16 and 9 for four negotiators and three voters on two seats,
// the shift is 0 in the first period and the crossing is the
// Chinese-remainder one). With no voters (V = 0) voters is left alone.
func Assign(i, N, V int, negs, voters []int) {
	seats := len(negs)
	cn, cv := 1, 1
	for range seats {
		cn *= N
		cv *= max(V, 1)
	}
	l := cn / gcd(cn, cv) * cv
	a := i % cn
	b := (i + i/l) % cv
	for j := range seats {
		negs[j] = a % N
		a /= N
		if V > 0 {
			voters[j] = b % V
			b /= V
		}
	}
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// armTables returns the prepared scenarios a new slot may share tables
// with: the earlier slots' and Config.Tables.
func (c *Config) armTables(p *prepared) []*scenario.Prepared {
	if !p.arms {
		return nil
	}
	return append(slices.Clone(c.Tables), p.prepared...)
}

// sameAnalysis returns an earlier slot whose analysis slot i can share:
// the same utility functions and reservation values of every party.
func (p *prepared) sameAnalysis(i int) int {
	if !p.arms {
		return -1
	}
	for e := range i {
		same := true
		for q, pr := range p.profiles[i] {
			o := p.profiles[e][q]
			if pr.Utility != o.Utility || pr.Reservation != o.Reservation {
				same = false
				break
			}
		}
		if same {
			return e
		}
	}
	return -1
}

// slot returns the index of job j in the per-slot tables of prepared:
// its arm in a tournament of arms, else its scenario.
func (p *prepared) slot(j Job) int {
	if p.arms {
		return j.Arm
	}
	return j.Scenario
}

// slotName names slot i for messages: its scenario, or its arm.
func (p *prepared) slotName(c *Config, i int) string {
	if p.arms {
		return fmt.Sprintf("arm %q", c.Arms[i].Name)
	}
	return "scenario " + p.refs[i]
}
