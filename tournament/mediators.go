package tournament

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/parley-dev/parley/experiment/stats"
)

// MediatorStanding is one mediator's line of a mediated tournament's
// leaderboard. Its samples have one value per distinct run (Report.Distinct:
// the repetitions of a mediator, scenario and voter pool that all gave the
// same record count once). An Estimate over no runs (N 0) is not available:
// Report.MetricsNotes says why for the distances and the fairness.
type MediatorStanding struct {
	Rank     int    `json:"rank"`
	Mediator string `json:"mediator"`
	// Runs is the number of distinct runs; Errors those that ended in
	// error.
	Runs   int `json:"runs"`
	Errors int `json:"errors"`
	// AgreementRate is the share of runs that ended in agreement, with
	// the Wilson 95% interval.
	AgreementRate Estimate `json:"agreement_rate"`
	// Welfare is the sum of the parties' utilities (reservation values
	// without agreement), over all runs.
	Welfare Estimate `json:"welfare"`
	// NashDistance is the distance of the outcome to the Nash point, over
	// the runs whose scenario has one; ParetoDistance to the Pareto
	// frontier, over the runs whose scenario could be analysed.
	NashDistance   Estimate `json:"nash_distance"`
	ParetoDistance Estimate `json:"pareto_distance"`
	// Fairness is Record.Fairness, the smallest normalised advantage of
	// the parties (0 without agreement), over the runs that have it.
	Fairness Estimate `json:"fairness"`
	// Rounds is the number of rounds to agreement, over the runs that
	// agreed.
	Rounds Estimate `json:"rounds_to_agreement"`
}

// The metrics of the mediators' leaderboard, as MediatorComparison.Metric
// names them.
const (
	MetricAgreement = "agreement_rate"
	MetricWelfare   = "welfare"
	MetricNash      = "nash_distance"
	MetricPareto    = "pareto_distance"
	MetricFairness  = "fairness"
	MetricRounds    = "rounds_to_agreement"
)

// mediatorMetrics lists the metrics in report order.
var mediatorMetrics = [...]string{MetricAgreement, MetricWelfare, MetricNash, MetricPareto, MetricFairness, MetricRounds}

// MediatorComparison is a paired test of mediators A and B on one metric,
// over the runs in which both met the same scenario, voter pool,
// repetition and seed (JobAt gives them the same seed): McNemar's test for
// the agreement rate, the Wilcoxon signed-rank test for the others (rounds
// to agreement over the pairs in which both agreed). PHolm is P adjusted by
// Holm's method over the comparisons of the same metric.
type MediatorComparison struct {
	Metric string `json:"metric"`
	A      string `json:"a"`
	B      string `json:"b"`
	Pairs  int    `json:"pairs"`
	// MeanDiff is the mean of A's value minus B's over the pairs (for
	// the agreement rate, A's rate minus B's).
	MeanDiff    float64 `json:"mean_diff"`
	Test        string  `json:"test"` // "mcnemar" or "wilcoxon"
	P           float64 `json:"p"`
	PHolm       float64 `json:"p_holm"`
	Significant bool    `json:"significant"`
}

// maxMediatedRuns bounds the runs a mediators' report holds in memory
// (about 100 bytes each).
const maxMediatedRuns = 1 << 22

// medSample is what the mediators' report keeps of one run.
type medSample struct {
	set, agreed, failed   bool
	hasNash, hasMetrics   bool
	hasFair               bool
	dup                   bool // a repetition of a collapsed group, not a new sample
	welfare, nash, pareto float64
	fair                  float64
	rounds                float64
}

// medTally accumulates a mediated tournament's records.
type medTally struct {
	meds map[string]int
	// units maps a pairing key (scenario, voter pool, repetition) to one
	// sample per mediator.
	units   map[string][]medSample
	order   []string // units' keys in first-seen order
	groups  map[string]*medGroup
	runs    int
	tooMany bool
}

// medGroup follows the repetitions of one mediator, scenario and voter pool.
type medGroup struct {
	first  Record
	keys   []string // pairing keys of the repetitions equal to first, by rep
	reps   []int
	varied bool
	med    int
}

func newMedTally(m Meta) *medTally {
	t := &medTally{meds: map[string]int{}, units: map[string][]medSample{}, groups: map[string]*medGroup{}}
	for i, md := range m.Mediators {
		t.meds[md] = i
	}
	return t
}

func (t *medTally) add(r *Record) error {
	k, ok := t.meds[r.Mediator]
	if !ok {
		return fmt.Errorf("tournament: report: run %d: mediator %q is not in the tournament", r.JobID, r.Mediator)
	}
	if len(r.Voters) != len(r.Utilities) {
		return fmt.Errorf("tournament: report: run %d: %d voters for %d utilities", r.JobID, len(r.Voters), len(r.Utilities))
	}
	t.runs++
	if t.runs > maxMediatedRuns {
		t.tooMany = true
		return nil
	}
	pool := strings.Join(r.Voters, "\x00")
	key := fmt.Sprintf("%s\x01%s\x01%d", r.Scenario, pool, r.Rep)
	u := t.units[key]
	if u == nil {
		u = make([]medSample, len(t.meds))
		t.units[key] = u
		t.order = append(t.order, key)
	}
	if u[k].set {
		return fmt.Errorf("tournament: report: run %d: mediator %q met scenario %s, voters %v, repetition %d twice", r.JobID, r.Mediator, r.Scenario, r.Voters, r.Rep)
	}
	u[k] = sampleOf(r)
	gk := r.Mediator + "\x01" + r.Scenario + "\x01" + pool
	g := t.groups[gk]
	switch {
	case g == nil:
		t.groups[gk] = &medGroup{first: clone(r), keys: []string{key}, reps: []int{r.Rep}, med: k}
	case g.varied:
	case sameResult(&g.first, r):
		g.keys, g.reps = append(g.keys, key), append(g.reps, r.Rep)
	default:
		g.varied, g.first, g.keys, g.reps = true, Record{}, nil, nil
	}
	return nil
}

func sampleOf(r *Record) medSample {
	s := medSample{set: true, agreed: r.Reason == "agreement", failed: r.Reason == reasonError,
		hasNash: r.HasNash, hasMetrics: r.MetricsNote == "", hasFair: r.HasFairness,
		welfare: finite(r.Welfare), nash: finite(r.NashDistance), pareto: finite(r.ParetoDistance), fair: finite(r.Fairness),
		rounds: float64(r.Rounds)}
	return s
}

// value returns sample s's value of metric m, and whether it has one.
func (s *medSample) value(m string) (float64, bool) {
	switch m {
	case MetricAgreement:
		return b2f(s.agreed), true
	case MetricWelfare:
		return s.welfare, true
	case MetricNash:
		return s.nash, s.hasNash
	case MetricPareto:
		return s.pareto, s.hasMetrics
	case MetricFairness:
		return s.fair, s.hasFair
	case MetricRounds:
		return s.rounds, s.agreed
	}
	return 0, false
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// report fills the mediators' leaderboard and comparisons of r, and the
// distinct and collapsed counts.
func (t *medTally) report(r *Report, names []string) error {
	if t.tooMany {
		return fmt.Errorf("tournament: report: more than %d mediated runs: too many to compare in memory", maxMediatedRuns)
	}
	// A group all of whose repetitions gave one record counts once: the
	// others are marked as repeats.
	for _, gk := range slices.Sorted(maps.Keys(t.groups)) {
		g := t.groups[gk]
		if g.varied || len(g.keys) < 2 {
			continue
		}
		low := slices.Min(g.reps)
		for i, key := range g.keys {
			if g.reps[i] != low {
				t.units[key][g.med].dup = true
				r.Collapsed++
			}
		}
	}
	r.Distinct = r.Runs - r.Collapsed
	per := make([][]medSample, len(names))
	for _, key := range t.order {
		for k, s := range t.units[key] {
			if s.set && !s.dup {
				per[k] = append(per[k], s)
			}
		}
	}
	for k, name := range names {
		st, err := standing(name, per[k])
		if err != nil {
			return err
		}
		r.Mediators = append(r.Mediators, st)
	}
	slices.SortStableFunc(r.Mediators, func(x, y MediatorStanding) int {
		if x.Runs == 0 || y.Runs == 0 {
			return cmp.Compare(y.Runs, x.Runs)
		}
		if c := cmp.Compare(y.Welfare.Mean, x.Welfare.Mean); c != 0 {
			return c
		}
		if c := cmp.Compare(y.AgreementRate.Mean, x.AgreementRate.Mean); c != 0 {
			return c
		}
		return cmp.Compare(x.Mediator, y.Mediator)
	})
	for i := range r.Mediators {
		r.Mediators[i].Rank = i + 1
	}
	return t.compare(r)
}

func standing(name string, ss []medSample) (MediatorStanding, error) {
	st := MediatorStanding{Mediator: name, Runs: len(ss)}
	agreed := 0
	vals := map[string][]float64{}
	for i := range ss {
		s := &ss[i]
		if s.agreed {
			agreed++
		}
		if s.failed {
			st.Errors++
		}
		for _, m := range mediatorMetrics[1:] {
			if v, ok := s.value(m); ok {
				vals[m] = append(vals[m], v)
			}
		}
	}
	var err error
	if st.AgreementRate, err = stats.RateEstimate(agreed, len(ss), stats.Level95); err != nil {
		return st, fmt.Errorf("tournament: report: %s: %w", name, err)
	}
	for _, f := range []struct {
		m   string
		dst *Estimate
	}{{MetricWelfare, &st.Welfare}, {MetricNash, &st.NashDistance}, {MetricPareto, &st.ParetoDistance},
		{MetricFairness, &st.Fairness}, {MetricRounds, &st.Rounds}} {
		if *f.dst, err = stats.MeanEstimate(vals[f.m], stats.Level95); err != nil {
			return st, fmt.Errorf("tournament: report: %s: %s: %w", name, f.m, err)
		}
	}
	return st, nil
}

// compare tests every two mediators, in leaderboard order, on every
// metric, over their paired runs.
func (t *medTally) compare(r *Report) error {
	idx := make([]int, len(r.Mediators))
	for i, st := range r.Mediators {
		idx[i] = t.meds[st.Mediator]
	}
	for _, m := range mediatorMetrics {
		var ps []float64
		first := len(r.MediatorPairwise)
		for ai, a := range idx {
			for _, b := range idx[ai+1:] {
				var x, y []float64
				for _, key := range t.order {
					u := t.units[key]
					sa, sb := &u[a], &u[b]
					if !sa.set || !sb.set || sa.dup && sb.dup {
						continue
					}
					va, oka := sa.value(m)
					vb, okb := sb.value(m)
					if oka && okb {
						x, y = append(x, va), append(y, vb)
					}
				}
				if len(x) == 0 {
					continue
				}
				c := MediatorComparison{Metric: m, A: r.Mediators[slices.Index(idx, a)].Mediator, B: r.Mediators[slices.Index(idx, b)].Mediator, Pairs: len(x)}
				for i := range x {
					c.MeanDiff += x[i] - y[i]
				}
				c.MeanDiff /= float64(len(x))
				if m == MetricAgreement {
					xa, ya := make([]bool, len(x)), make([]bool, len(y))
					for i := range x {
						xa[i], ya[i] = x[i] == 1, y[i] == 1
					}
					res, err := stats.McNemar(xa, ya, stats.Auto)
					if err != nil {
						return fmt.Errorf("tournament: report: %s vs %s: %s: %w", c.A, c.B, m, err)
					}
					c.Test, c.P = "mcnemar", res.P
				} else {
					res, err := stats.Wilcoxon(x, y, stats.Auto)
					if err != nil {
						return fmt.Errorf("tournament: report: %s vs %s: %s: %w", c.A, c.B, m, err)
					}
					c.Test, c.P = "wilcoxon", res.P
				}
				r.MediatorPairwise = append(r.MediatorPairwise, c)
				ps = append(ps, c.P)
			}
		}
		for i, p := range stats.Holm(ps) {
			r.MediatorPairwise[first+i].PHolm = p
			r.MediatorPairwise[first+i].Significant = p < 0.05
		}
	}
	return nil
}
