package tournament

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/parley-dev/parley/experiment/stats"
)

// Report is the summary of a tournament's stored results: a leaderboard of
// the competitors and paired comparisons between them. Build one with a
// Tally. Field names are the JSON schema of `parley report --json`
// (docs/tournaments.md).
type Report struct {
	Meta Meta `json:"meta"`
	// Planned is the number of negotiations the tournament defines; Runs
	// the number stored (less for an unfinished run or a shard).
	Planned int64 `json:"planned"`
	Runs    int64 `json:"runs"`
	// Errors counts runs that ended in error; Agreements those that ended
	// in agreement.
	Errors     int64 `json:"errors"`
	Agreements int64 `json:"agreements"`
	// Distinct is the number of runs the statistics count: a pairing (a
	// scenario and a competitor per party) whose stored repetitions all
	// gave the same record (the same agreement, utilities, rounds, reason
	// and metrics: a deterministic pairing, which ignores its seed) is one
	// sample, not one per repetition; Collapsed = Runs − Distinct such
	// repetitions were not counted again. The leaderboard's seats,
	// intervals and agreement rates and the pairwise tests count distinct
	// runs; Runs, Errors, Agreements and ErrorCauses count every stored
	// run.
	Distinct  int64 `json:"distinct_runs"`
	Collapsed int64 `json:"collapsed_repetitions"`
	// MetricsNotes lists the scenarios whose Pareto and Nash distances are
	// not available, with the reason (Record.MetricsNote); their runs are
	// left out of those two means.
	MetricsNotes []ScenarioNote `json:"metrics_notes"`
	// Leaderboard ranks the competitors by mean utility, best first.
	Leaderboard []Standing `json:"leaderboard"`
	// Pairwise compares every two competitors that have paired runs;
	// PairwiseNote says why there are none when the tournament is too
	// large to pair.
	Pairwise     []Comparison `json:"pairwise"`
	PairwiseNote string       `json:"pairwise_note,omitempty"`
	// ErrorCauses counts the distinct error messages, most frequent first
	// (at most 20).
	ErrorCauses []Cause `json:"error_causes"`
	// Mediators ranks the mediators of a mediated tournament (its
	// Leaderboard and Pairwise are empty) by mean welfare, then agreement
	// rate, best first; MediatorPairwise compares every two of them on
	// every metric.
	Mediators        []MediatorStanding   `json:"mediators,omitempty"`
	MediatorPairwise []MediatorComparison `json:"mediator_pairwise,omitempty"`
}

// Estimate is a sample mean or a rate with its 95% interval; its JSON
// form is {"mean","low","high","n"}, as everywhere in Parley.
type Estimate = stats.Estimate

// Standing is one competitor's line of the leaderboard. A competitor's
// sample has one value per seat it took in a distinct run (Report.Distinct:
// the repetitions of a deterministic pairing count once): a run in which it
// played both sides (self-play) counts twice.
type Standing struct {
	Rank  int    `json:"rank"`
	Agent string `json:"agent"`
	// Seats is the number of seats the competitor took in distinct runs.
	Seats int `json:"seats"`
	// Utility is the undiscounted utility it obtained (its reservation
	// value without agreement, errors included); Advantage the same minus
	// its reservation value at the end time, u − r(t).
	Utility   Estimate `json:"utility"`
	Advantage Estimate `json:"advantage"`
	// AgreementRate is the share of its seats that ended in agreement,
	// with the Wilson 95% interval.
	AgreementRate Estimate `json:"agreement_rate"`
	// ParetoDistance, NashDistance and Welfare are means over its runs of
	// the outcome's distance to the Pareto frontier (over the MetricsSeats
	// seats whose scenario could be analysed), to the Nash point (over the
	// NashSeats seats whose scenario has one) and its social welfare (over
	// all its seats). A distance over 0 seats is not available (0).
	ParetoDistance float64 `json:"pareto_distance"`
	MetricsSeats   int     `json:"metrics_seats"`
	NashDistance   float64 `json:"nash_distance"`
	NashSeats      int     `json:"nash_seats"`
	Welfare        float64 `json:"welfare"`
	// Errors counts its seats in runs that ended in error.
	Errors int `json:"errors"`
}

// Comparison is a two-sided Wilcoxon signed-rank test of A's utility
// against B's over paired runs: A and B each played the same role against
// the same opponents on the same scenario in the same repetition.
type Comparison struct {
	A     string `json:"a"`
	B     string `json:"b"`
	Pairs int    `json:"pairs"`
	// MeanDiff is the mean of A's utility minus B's over the pairs.
	MeanDiff float64 `json:"mean_diff"`
	WPlus    float64 `json:"w_plus"`
	WMinus   float64 `json:"w_minus"`
	P        float64 `json:"p"`
	// PHolm is P adjusted by Holm's method over all comparisons listed;
	// Significant is PHolm < 0.05.
	PHolm       float64 `json:"p_holm"`
	Significant bool    `json:"significant"`
}

// ScenarioNote says why a scenario's analysis metrics are not available.
type ScenarioNote struct {
	Scenario string `json:"scenario"`
	Note     string `json:"note"`
}

// Cause is an error message and how many runs ended with it.
type Cause struct {
	Error string `json:"error"`
	Count int64  `json:"count"`
}

// Tally accumulates stored records into a Report. Add the records of one
// tournament (in any order), then call Report. Its memory grows with the
// number of competitors and with the pairing table (one float64 per
// competitor, scenario, role, opponent tuple and repetition), not with the
// records themselves, except that a pairing whose repetitions are not all
// in yet and agree so far keeps its first record (to see whether all will
// be identical): in job order, as stores return them, that is one pairing
// at a time for a whole tournament, and one per pairing for a shard.
type Tally struct {
	m      Meta
	agents map[string]int
	scens  map[string]int
	runs   int64
	errs   int64
	agreed int64
	per    []agentTally
	causes map[string]int64
	// pairs[s] holds, for scenario s, the utility of every competitor
	// (NaN when absent) at every pairing key; see pairIndex.
	pairs      []*scenarioPairs
	pairValues int64
	pairNote   string

	pending   map[string]*group // pairings not all of whose repetitions are in
	distinct  int64
	collapsed int64
	notes     map[string]string // scenario -> Record.MetricsNote
	med       *medTally         // a mediated tournament's, nil otherwise
}

// group follows the repetitions of one pairing (a scenario and a
// competitor per party) until all are in. While every record agrees with
// the first, only the first is kept, with the repetitions it stands for;
// once one differs, the pairing is not deterministic and every record
// counts as it comes.
type group struct {
	s      int // scenario index
	seat   []int
	first  Record // while !varied
	reps   []int  // repetitions whose record equals first, while !varied
	n      int    // records added
	varied bool
}

type agentTally struct {
	util, adv             moments
	agreed, errs          int
	pareto, nash, welfare float64
	paretoN, nashN        int
}

// moments accumulates a sample's size, mean and sum of squared deviations
// (Welford's online algorithm: B. P. Welford, "Note on a method for
// calculating corrected sums of squares and products", Technometrics 4,
// 1962), so that the report keeps no per-run values.
type moments struct {
	n        int
	mean, m2 float64
}

func (m *moments) add(x float64) {
	m.n++
	d := x - m.mean
	m.mean += d / float64(m.n)
	m.m2 += d * (x - m.mean)
}

// scenarioPairs is the pairing table of one scenario of n parties.
type scenarioPairs struct {
	n      int
	tuples int64 // C^(n-1) opponent tuples
	vals   []float64
	// dup marks values that repeat a collapsed pairing's first
	// repetition: a pair of two such values is not a new sample.
	dup []uint64
}

// maxPairValues bounds the pairing tables (128 MiB); a larger tournament
// gets no pairwise tests.
const maxPairValues = 1 << 24

// NewTally starts a report on the tournament m.
func NewTally(m Meta) *Tally {
	t := &Tally{m: m, agents: map[string]int{}, scens: map[string]int{}, per: make([]agentTally, len(m.Agents)),
		causes: map[string]int64{}, pairs: make([]*scenarioPairs, len(m.Scenarios)),
		pending: map[string]*group{}, notes: map[string]string{}}
	for i, a := range m.Agents {
		t.agents[a] = i
	}
	for i, s := range m.Scenarios {
		t.scens[s] = i
	}
	if m.Protocol == ProtocolMediated {
		t.med = newMedTally(m)
	}
	return t
}

// Add counts one record. It fails on a record of another tournament.
func (t *Tally) Add(r *Record) error {
	s, ok := t.scens[r.Scenario]
	if !ok {
		return fmt.Errorf("tournament: report: run %d: scenario %q is not in the tournament", r.JobID, r.Scenario)
	}
	if r.Rep < 0 || r.Rep >= max(t.m.Reps, 1) {
		return fmt.Errorf("tournament: report: run %d: repetition %d outside the tournament's %d", r.JobID, r.Rep, t.m.Reps)
	}
	if t.med != nil {
		if len(r.Advantage) != len(r.Utilities) {
			return fmt.Errorf("tournament: report: run %d: %d utilities and %d advantages", r.JobID, len(r.Utilities), len(r.Advantage))
		}
		if err := t.med.add(r); err != nil {
			return err
		}
		t.tallyRun(r)
		return nil
	}
	n := len(r.Agents)
	if len(r.Utilities) != n || len(r.Advantage) != n {
		return fmt.Errorf("tournament: report: run %d: %d utilities and %d advantages for %d agents", r.JobID, len(r.Utilities), len(r.Advantage), n)
	}
	var idx [8]int
	seat := idx[:0]
	for _, a := range r.Agents {
		if a == "" && t.m.Protocol == ProtocolStaged {
			seat = append(seat, -1) // a party that makes no offers
			continue
		}
		k, ok := t.agents[a]
		if !ok {
			return fmt.Errorf("tournament: report: run %d: agent %q is not in the tournament", r.JobID, a)
		}
		seat = append(seat, k)
	}
	sp := t.table(s, n)
	if sp != nil && sp.n != n {
		return fmt.Errorf("tournament: report: run %d: %d agents on a scenario of %d parties", r.JobID, n, sp.n)
	}
	t.tallyRun(r)
	var key strings.Builder
	key.WriteString(r.Scenario)
	for _, a := range r.Agents {
		key.WriteByte(0)
		key.WriteString(a)
	}
	g := t.pending[key.String()]
	switch {
	case g == nil:
		g = &group{s: s, seat: slices.Clone(seat), first: clone(r), reps: []int{r.Rep}}
		t.pending[key.String()] = g
	case g.varied:
		t.count(s, g.seat, r, false)
		t.distinct++
	case sameResult(&g.first, r):
		g.reps = append(g.reps, r.Rep)
	default:
		// Not deterministic: the records held so far count, each with its
		// own repetition, and so will the rest.
		for _, rp := range g.reps {
			x := g.first
			x.Rep = rp
			t.count(s, g.seat, &x, false)
			t.distinct++
		}
		t.count(s, g.seat, r, false)
		t.distinct++
		g.varied, g.first, g.reps = true, Record{}, nil
	}
	g.n++
	if g.n >= max(t.m.Reps, 1) {
		t.settle(g)
		delete(t.pending, key.String())
	}
	return nil
}

// tallyRun counts a record in the totals of every stored run.
func (t *Tally) tallyRun(r *Record) {
	t.runs++
	if r.Reason == "agreement" {
		t.agreed++
	}
	if r.Reason == reasonError {
		t.errs++
		t.causes[r.Error]++
	}
	if r.MetricsNote != "" {
		t.notes[r.Scenario] = r.MetricsNote
	}
}

// clone copies the parts of a record the tally reads.
func clone(r *Record) Record {
	c := *r
	c.Agents = slices.Clone(r.Agents)
	c.Utilities, c.Discounted, c.Advantage = slices.Clone(r.Utilities), slices.Clone(r.Discounted), slices.Clone(r.Advantage)
	c.Agreement = maps.Clone(r.Agreement)
	return c
}

// sameResult reports whether two runs of one pairing gave the same record,
// leaving aside where, when and in which repetition they ran.
func sameResult(a, b *Record) bool {
	return a.Rounds == b.Rounds && a.Reason == b.Reason && a.Error == b.Error && maps.Equal(a.Agreement, b.Agreement) &&
		slices.Equal(a.Utilities, b.Utilities) && slices.Equal(a.Discounted, b.Discounted) && slices.Equal(a.Advantage, b.Advantage) &&
		a.ParetoDistance == b.ParetoDistance && a.NashDistance == b.NashDistance && a.HasNash == b.HasNash &&
		a.Welfare == b.Welfare && a.MetricsNote == b.MetricsNote
}

// settle ends a pairing: unless its records varied (and are counted
// already), they are all the same record, which counts once, at its lowest
// repetition; the other repetitions enter only the pairing table, marked
// as repeats.
func (t *Tally) settle(g *group) {
	if g.varied {
		return
	}
	slices.Sort(g.reps)
	for i, rp := range g.reps {
		x := g.first
		x.Rep = rp
		t.count(g.s, g.seat, &x, i > 0)
		if i > 0 {
			t.collapsed++
		} else {
			t.distinct++
		}
	}
}

// count adds one record to the competitors' samples (unless dup) and to
// the pairing table.
func (t *Tally) count(s int, seat []int, r *Record, dup bool) {
	nc := len(t.m.Agents)
	sp := t.table(s, len(seat))
	agreed := r.Reason == "agreement"
	failed := r.Reason == reasonError
	for i, k := range seat {
		if k < 0 {
			continue
		}
		u := finite(r.Utilities[i])
		if !dup {
			a := &t.per[k]
			a.util.add(u)
			a.adv.add(finite(r.Advantage[i]))
			if agreed {
				a.agreed++
			}
			if failed {
				a.errs++
			}
			a.welfare += r.Welfare
			if r.MetricsNote == "" {
				a.pareto += r.ParetoDistance
				a.paretoN++
			}
			if r.HasNash {
				a.nash += r.NashDistance
				a.nashN++
			}
		}
		if sp == nil {
			continue
		}
		// The pairing key: role i, the opponents in seat order (base C)
		// and the repetition; the slot holds one value per competitor.
		var opp int64
		for j, o := range seat {
			if j != i && o >= 0 {
				opp = opp*int64(nc) + int64(o)
			}
		}
		key := (int64(i)*sp.tuples+opp)*int64(max(t.m.Reps, 1)) + int64(r.Rep)
		at := key*int64(nc) + int64(k)
		sp.vals[at] = u
		if dup {
			sp.dup[at>>6] |= 1 << (uint(at) & 63)
		}
	}
}

// table returns the pairing table of scenario s (of n parties), allocating
// it on first use, or nil when pairing is off.
func (t *Tally) table(s, n int) *scenarioPairs {
	if t.pairNote != "" {
		return nil
	}
	if sp := t.pairs[s]; sp != nil {
		return sp
	}
	nc := int64(len(t.m.Agents))
	size := int64(n) * nc * int64(max(t.m.Reps, 1))
	tuples := int64(1)
	for range n - 1 {
		tuples *= nc
		if tuples > maxPairValues {
			break
		}
	}
	if tuples > maxPairValues || size > maxPairValues || tuples*size+t.pairValues > maxPairValues {
		t.pairNote = fmt.Sprintf("no pairwise tests: the pairing table would exceed %d values", maxPairValues)
		t.pairs = nil
		return nil
	}
	sp := &scenarioPairs{n: n, tuples: tuples, vals: make([]float64, tuples*size), dup: make([]uint64, (tuples*size+63)/64)}
	for i := range sp.vals {
		sp.vals[i] = math.NaN()
	}
	t.pairValues += int64(len(sp.vals))
	t.pairs[s] = sp
	return sp
}

func (sp *scenarioPairs) isDup(i int) bool { return sp.dup[i>>6]&(1<<(uint(i)&63)) != 0 }

func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

// Report computes the leaderboard and the pairwise tests. It settles the
// pairings whose repetitions are not all stored (an unfinished run or a
// shard) with the repetitions there are; Add must not be called after it.
func (t *Tally) Report() (*Report, error) {
	for _, k := range slices.Sorted(maps.Keys(t.pending)) {
		t.settle(t.pending[k])
		delete(t.pending, k)
	}
	r := &Report{Meta: t.m, Planned: t.m.Planned, Runs: t.runs, Errors: t.errs, Agreements: t.agreed,
		Distinct: t.distinct, Collapsed: t.collapsed, MetricsNotes: []ScenarioNote{},
		Leaderboard: []Standing{}, Pairwise: []Comparison{}, ErrorCauses: []Cause{}}
	for _, sc := range t.m.Scenarios {
		if n, ok := t.notes[sc]; ok {
			r.MetricsNotes = append(r.MetricsNotes, ScenarioNote{Scenario: sc, Note: n})
		}
	}
	if t.med != nil {
		if err := t.med.report(r, t.m.Mediators); err != nil {
			return nil, err
		}
		t.causesTo(r)
		return r, nil
	}
	for k, name := range t.m.Agents {
		a := &t.per[k]
		st := Standing{Agent: name, Seats: a.util.n, Errors: a.errs}
		if a.util.n > 0 {
			st.Utility, st.Advantage = a.util.estimate(), a.adv.estimate()
			n := float64(a.util.n)
			ar, err := stats.RateEstimate(a.agreed, a.util.n, stats.Level95)
			if err != nil {
				return nil, fmt.Errorf("tournament: report: %s: %w", name, err)
			}
			st.AgreementRate = ar
			st.Welfare = a.welfare / n
			st.MetricsSeats, st.NashSeats = a.paretoN, a.nashN
			if a.paretoN > 0 {
				st.ParetoDistance = a.pareto / float64(a.paretoN)
			}
			if a.nashN > 0 {
				st.NashDistance = a.nash / float64(a.nashN)
			}
		}
		r.Leaderboard = append(r.Leaderboard, st)
	}
	slices.SortStableFunc(r.Leaderboard, func(x, y Standing) int {
		if x.Seats == 0 || y.Seats == 0 {
			return cmp.Compare(y.Seats, x.Seats)
		}
		if c := cmp.Compare(y.Utility.Mean, x.Utility.Mean); c != 0 {
			return c
		}
		return cmp.Compare(x.Agent, y.Agent)
	})
	for i := range r.Leaderboard {
		r.Leaderboard[i].Rank = i + 1
	}
	if err := t.pairwise(r); err != nil {
		return nil, err
	}
	t.causesTo(r)
	return r, nil
}

// causesTo lists the most frequent error causes in r.
func (t *Tally) causesTo(r *Report) {
	for e, n := range t.causes {
		r.ErrorCauses = append(r.ErrorCauses, Cause{Error: e, Count: n})
	}
	slices.SortFunc(r.ErrorCauses, func(x, y Cause) int {
		if c := cmp.Compare(y.Count, x.Count); c != 0 {
			return c
		}
		return cmp.Compare(x.Error, y.Error)
	})
	r.ErrorCauses = r.ErrorCauses[:min(len(r.ErrorCauses), 20)]
}

// estimate returns the mean with its 95% t interval, Mean ±
// t(0.975, n−1)·SD/√n, exactly as stats.Mean computes it from the values
// (Student, "The probable error of a mean", Biometrika 6, 1908).
func (m *moments) estimate() Estimate {
	e := Estimate{Mean: m.mean, N: m.n, Low: m.mean, High: m.mean}
	if m.n < 2 {
		return e
	}
	sd := math.Sqrt(max(m.m2, 0) / float64(m.n-1))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(m.n - 1)}.Quantile(1 - (1-stats.Level95)/2)
	half := t * sd / math.Sqrt(float64(m.n))
	e.Low, e.High, e.HasCI = m.mean-half, m.mean+half, true
	return e
}

// pairwise tests every two competitors, in leaderboard order, over their
// paired runs, and adjusts the p-values by Holm's method.
func (t *Tally) pairwise(r *Report) error {
	r.PairwiseNote = t.pairNote
	if t.pairNote != "" {
		return nil
	}
	nc := len(t.m.Agents)
	order := make([]int, 0, nc)
	for _, st := range r.Leaderboard {
		order = append(order, t.agents[st.Agent])
	}
	var ps []float64
	var x, y []float64
	for ai, a := range order {
		for _, b := range order[ai+1:] {
			x, y = x[:0], y[:0]
			for _, sp := range t.pairs {
				if sp == nil {
					continue
				}
				for slot := 0; slot < len(sp.vals); slot += nc {
					ua, ub := sp.vals[slot+a], sp.vals[slot+b]
					if !math.IsNaN(ua) && !math.IsNaN(ub) && !(sp.isDup(slot+a) && sp.isDup(slot+b)) {
						x, y = append(x, ua), append(y, ub)
					}
				}
			}
			if len(x) == 0 {
				continue
			}
			w, err := stats.Wilcoxon(x, y, stats.Auto)
			if err != nil {
				return fmt.Errorf("tournament: report: %s vs %s: %w", t.m.Agents[a], t.m.Agents[b], err)
			}
			d := 0.0
			for i := range x {
				d += x[i] - y[i]
			}
			r.Pairwise = append(r.Pairwise, Comparison{A: t.m.Agents[a], B: t.m.Agents[b], Pairs: len(x),
				MeanDiff: d / float64(len(x)), WPlus: w.WPlus, WMinus: w.WMinus, P: w.P})
			ps = append(ps, w.P)
		}
	}
	for i, p := range stats.Holm(ps) {
		r.Pairwise[i].PHolm = p
		r.Pairwise[i].Significant = p < 0.05
	}
	return nil
}
