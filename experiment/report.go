package experiment

import (
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/experiment/stats"
)

// ReportSchema is the schema name of a Report's JSON (docs/mediation.md).
const ReportSchema = "parley.experiment/2"

// Record is what one run measured. Utility vectors list
// every party of the scenario in order, the mediator included.
type Record struct {
	Run         int           `json:"run"`         // run index, from 0
	Seed        uint64        `json:"seed"`        // the run's seed (the same in every arm)
	Negotiators []string      `json:"negotiators"` // strategy of each seated party, in Report.Seated order
	Voters      []string      `json:"voters"`      // voter strategy of each seated party
	Agreed      bool          `json:"agreed"`      // an agreement was signed (ratified or not)
	Ratified    bool          `json:"ratified"`    // ... and ratified
	Reason      parley.Reason `json:"reason"`      // why it ended
	Stage       string        `json:"stage"`       // the stage in which the run ended
	Rounds      int           `json:"rounds"`      // global round in which it ended, from 1
	Time        float64       `json:"time"`        // normalised time when it ended
	Locked      int           `json:"locked"`      // issues locked by a partial_issues carry-over
	// Utility is each party's undiscounted utility: of the agreement when
	// it was ratified, else what the protocol gives (its reservation value
	// r(t) at the end).
	Utility    []float64 `json:"utility"`
	Discounted []float64 `json:"discounted"` // the same, discounted at Time
	// Advantage is each party's utility minus its reservation value at the
	// end, u − r(t): the one definition of advantage every Parley output
	// uses (0 without agreement).
	Advantage []float64 `json:"advantage"`
	// Welfare, ParetoDistance and NashDistance are over the negotiators
	// only (Report.Negotiators): Σ u_i, the distance to the nearest point
	// of their Pareto frontier and to their Nash point (undiscounted).
	Welfare        float64 `json:"welfare"`
	ParetoDistance float64 `json:"pareto_distance"`
	NashDistance   float64 `json:"nash_distance"`
	HasNash        bool    `json:"has_nash"`
	Err            string  `json:"error,omitempty"`
}

// Estimate is a mean or rate with its 95% interval; its JSON form is
// {"mean","low","high","n"}, as everywhere in Parley.
type Estimate = stats.Estimate

func estimate(xs []float64) Estimate {
	e, err := stats.MeanEstimate(xs, stats.Level95)
	if err != nil {
		return Estimate{N: len(xs)}
	}
	return e
}

// Arm is the summary of one arm (or sweep cell) over its runs. Every
// estimate is an Estimate ({"mean","low","high","n"} in JSON); per-party
// values are keyed by party name.
type Arm struct {
	Name    string         `json:"name"`
	Variant string         `json:"variant"`          // the protocol variant ("" = the declared default)
	Params  map[string]any `json:"params,omitempty"` // sweep: parameter → value of this cell
	Runs    int            `json:"runs"`
	// Mediator is the mediator strategy spec of the arm's mediated stages
	// ("" without one); Report.MediatingParty is the party it mediates as.
	Mediator string `json:"mediator,omitempty"`

	Agreements    int                   `json:"agreements"`     // signed agreements
	AgreementRate Estimate              `json:"agreement_rate"` // Wilson 95%
	Ratified      int                   `json:"ratified"`
	RatifiedRate  Estimate              `json:"ratified_rate"` // Wilson 95%
	Breakdown     map[parley.Reason]int `json:"breakdown"`     // reason → runs, every reason listed

	// RoundsToAgreement is over the runs with a signed agreement.
	RoundsToAgreement Estimate `json:"rounds_to_agreement"`
	// IssuesLocked is the mean number of issues locked by a
	// partial_issues carry-over.
	IssuesLocked float64 `json:"issues_locked"`

	// Utility, DiscountedUtility and Advantage are per party (t 95%).
	Utility           map[string]Estimate `json:"utility"`
	DiscountedUtility map[string]Estimate `json:"discounted_utility"`
	Advantage         map[string]Estimate `json:"advantage"`

	Welfare        Estimate `json:"welfare"` // Σ u over the negotiators
	ParetoDistance Estimate `json:"pareto_distance"`
	NashDistance   Estimate `json:"nash_distance"`
	// MediatorUtility is the undiscounted utility of the mediating party
	// (nil when the protocol has none).
	MediatorUtility *Estimate `json:"mediator_utility"`
	// FirstError is the error of the first run (by index) that failed
	// (reason "error"), to tell a misconfiguration from a strategy's bad
	// luck; "" when none failed.
	FirstError string `json:"first_error,omitempty"`

	records []Record
}

// Records returns the arm's per-run records, by run index.
func (a *Arm) Records() []Record { return a.records }

// Comparison is one paired test between two arms, on the same seeds and
// strategy assignments. A report compares every pair of arms: Baseline is
// the earlier of the two in the report's order (the report's baseline arm
// first, then the others in order), Arm the later one.
type Comparison struct {
	Arm      string `json:"arm"`
	Baseline string `json:"baseline"`
	// Metric is "agreement" or "ratified" (McNemar) or "utility"
	// (Wilcoxon, with Party) or "welfare" (Wilcoxon).
	Metric string `json:"metric"`
	Party  string `json:"party,omitempty"`
	Test   string `json:"test"` // "mcnemar" or "wilcoxon"
	// Difference is arm minus baseline, with its 95% interval for paired
	// data: for a rate, Newcombe's hybrid score interval (stats.NewcombePaired);
	// for utility and welfare, the mean paired difference with its t
	// interval (at least two runs). Its n is the number of pairs.
	Difference Estimate `json:"difference"`
	// Statistic is McNemar's continuity-corrected chi-square or
	// Wilcoxon's W+; N the discordant pairs (McNemar) or non-zero
	// differences (Wilcoxon).
	Statistic float64 `json:"statistic"`
	N         int     `json:"n"`
	P         float64 `json:"p"`
	PHolm     float64 `json:"p_holm"` // Holm-adjusted over every comparison of the report
	// Log10P and Log10PHolm are log10 of P and PHolm, exact where those
	// underflow to 0 (below about 1e-308).
	Log10P     float64 `json:"log10_p"`
	Log10PHolm float64 `json:"log10_p_holm"`
	Exact      bool    `json:"exact"`
	// Contrast is the kind of the difference between the two arms'
	// stages when it is an order, fallback or carry contrast
	// (ContrastOrder, ...), "" otherwise.
	Contrast string `json:"contrast,omitempty"`
}

// summarize builds the Arm summary from its records. names are the
// scenario's parties; neg the indices of the negotiators; med the
// mediator's index or -1.
func summarize(a *Arm, recs []Record, names []string, med int) error {
	n := len(recs)
	a.Runs, a.records = n, recs
	a.Breakdown = make(map[parley.Reason]int, len(parley.Reasons()))
	for _, c := range parley.Reasons() {
		a.Breakdown[c] = 0
	}
	var rounds []float64
	locked := 0
	for i := range recs {
		r := &recs[i]
		locked += r.Locked
		if r.Agreed {
			a.Agreements++
			rounds = append(rounds, float64(r.Rounds))
		}
		if r.Ratified {
			a.Ratified++
		}
		if r.Reason == parley.ReasonError && a.FirstError == "" {
			a.FirstError = fmt.Sprintf("run %d: %s", r.Run, r.Err)
		}
		a.Breakdown[r.Reason]++
	}
	if n == 0 {
		return fmt.Errorf("experiment: arm %q: no runs", a.Name)
	}
	var err error
	if a.AgreementRate, err = stats.RateEstimate(a.Agreements, n, stats.Level95); err != nil {
		return fmt.Errorf("experiment: arm %q: %w", a.Name, err)
	}
	if a.RatifiedRate, err = stats.RateEstimate(a.Ratified, n, stats.Level95); err != nil {
		return fmt.Errorf("experiment: arm %q: %w", a.Name, err)
	}
	a.RoundsToAgreement = estimate(rounds)
	a.IssuesLocked = float64(locked) / float64(n)

	a.Utility = map[string]Estimate{}
	a.DiscountedUtility = map[string]Estimate{}
	a.Advantage = map[string]Estimate{}
	xs := make([]float64, n)
	for p, name := range names {
		for i := range recs {
			xs[i] = recs[i].Utility[p]
		}
		e := estimate(xs)
		a.Utility[name] = e
		if p == med {
			a.MediatorUtility = &e
		}
		for i := range recs {
			xs[i] = recs[i].Discounted[p]
		}
		a.DiscountedUtility[name] = estimate(xs)
		for i := range recs {
			xs[i] = recs[i].Advantage[p]
		}
		a.Advantage[name] = estimate(xs)
	}
	for i := range recs {
		xs[i] = recs[i].Welfare
	}
	a.Welfare = estimate(xs)
	for i := range recs {
		xs[i] = recs[i].ParetoDistance
	}
	a.ParetoDistance = estimate(xs)
	var nash []float64
	for i := range recs {
		if recs[i].HasNash {
			nash = append(nash, recs[i].NashDistance)
		}
	}
	a.NashDistance = estimate(nash)
	return nil
}

// compare runs the paired tests of arm a against base: McNemar, with
// Newcombe's interval, on agreement and ratification; Wilcoxon, with the t
// interval of the mean difference, on each negotiator's utility and on
// welfare. PHolm is filled in later over the whole report.
func compare(a, base *Arm, names []string, neg []int) ([]Comparison, error) {
	ra, rb := a.records, base.records
	if len(ra) != len(rb) {
		return nil, fmt.Errorf("experiment: arms %q and %q have %d and %d runs: not paired", a.Name, base.Name, len(ra), len(rb))
	}
	n := len(ra)
	var out []Comparison
	xa, xb := make([]bool, n), make([]bool, n)
	for _, metric := range []string{"agreement", "ratified"} {
		for i := range ra {
			if metric == "agreement" {
				xa[i], xb[i] = ra[i].Agreed, rb[i].Agreed
			} else {
				xa[i], xb[i] = ra[i].Ratified, rb[i].Ratified
			}
		}
		m, err := stats.McNemar(xa, xb, stats.Auto)
		if err != nil {
			return nil, fmt.Errorf("experiment: %s vs %s: %w", a.Name, base.Name, err)
		}
		ci, err := stats.NewcombePairedOf(xa, xb, stats.Level95)
		if err != nil {
			return nil, fmt.Errorf("experiment: %s vs %s: %w", a.Name, base.Name, err)
		}
		diff := float64(m.B-m.C) / float64(n)
		out = append(out, Comparison{Arm: a.Name, Baseline: base.Name, Metric: metric, Test: "mcnemar",
			Difference: Estimate{Mean: diff, Low: ci.Low, High: ci.High, N: n, HasCI: true},
			Statistic:  m.Statistic, N: m.B + m.C, P: m.P, Log10P: m.Log10P, Exact: m.Exact})
	}
	ua, ub := make([]float64, n), make([]float64, n)
	wilcoxon := func(metric, party string) error {
		w, err := stats.Wilcoxon(ua, ub, stats.Auto)
		if err != nil {
			return fmt.Errorf("experiment: %s vs %s: %w", a.Name, base.Name, err)
		}
		d := make([]float64, n)
		for i := range d {
			d[i] = ua[i] - ub[i]
		}
		e := estimate(d)
		out = append(out, Comparison{Arm: a.Name, Baseline: base.Name, Metric: metric, Party: party, Test: "wilcoxon",
			Difference: e, Statistic: w.WPlus, N: w.N, P: w.P, Log10P: w.Log10P, Exact: w.Exact})
		return nil
	}
	for _, p := range neg {
		for i := range ra {
			ua[i], ub[i] = ra[i].Utility[p], rb[i].Utility[p]
		}
		if err := wilcoxon("utility", names[p]); err != nil {
			return nil, err
		}
	}
	for i := range ra {
		ua[i], ub[i] = ra[i].Welfare, rb[i].Welfare
	}
	if err := wilcoxon("welfare", ""); err != nil {
		return nil, err
	}
	return out, nil
}

// holm fills in PHolm and Log10PHolm over all comparisons: the family is
// every test of the report.
func holm(cs []Comparison) {
	p := make([]float64, len(cs))
	lp := make([]float64, len(cs))
	for i := range cs {
		p[i], lp[i] = cs[i].P, cs[i].Log10P
	}
	for i, q := range stats.Holm(p) {
		cs[i].PHolm = q
	}
	for i, q := range stats.HolmLog10(lp) {
		cs[i].Log10PHolm = q
	}
}

// Report is the result of an experiment: one Arm per arm or sweep cell, in
// order, and the paired comparisons of every pair of arms.
type Report struct {
	Schema     string   `json:"schema"`     // ReportSchema
	Experiment string   `json:"experiment"` // "sequencing" or "sweep"
	Scenario   string   `json:"scenario"`
	Runs       int      `json:"runs"` // runs per arm
	Seed       uint64   `json:"seed"`
	Parties    []string `json:"parties"` // every party, in scenario order
	// Negotiators are the parties over which welfare and the Pareto and
	// Nash distances are computed: every party that takes part in a stage
	// other than as its mediator.
	Negotiators []string `json:"negotiators"`
	// MediatingParty is the mediating party of the mediated stages, if
	// any (each Arm names its mediator strategy).
	MediatingParty string        `json:"mediating_party,omitempty"`
	Pool           PoolNames     `json:"pool"`
	Parameters     []ParamValues `json:"parameters,omitempty"` // sweep: the grid
	// Baseline is the arm listed first in every comparison it is part of
	// (--baseline, else the first arm).
	Baseline    string       `json:"baseline"`
	Arms        []Arm        `json:"arms"`
	Comparisons []Comparison `json:"comparisons"`
	// Contrasts lists the pairs of arms whose stages make their
	// difference an order, fallback or carry effect, in comparison order.
	Contrasts []Contrast `json:"contrasts"`

	// Information states what the mediator knows in each arm: matched
	// information, or the levels of an information factor (sequencing;
	// SequencingArms). "" for a sweep, which runs the scenario as declared.
	Information string `json:"information,omitempty"`
}

// PoolNames names the strategies a report's runs cycled through.
type PoolNames struct {
	Negotiators []string `json:"negotiators"`
	Voters      []string `json:"voters"`
}

// ParamValues is one swept parameter and its values.
type ParamValues struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

// aggregate summarises each arm's records (arms[i] gets recs[i]) and
// compares every pair of arms, filling r.Arms and r.Comparisons: the
// baseline arm (index base) with each other arm first, then each later
// pair in arm order. names are the scenario's parties, neg the
// negotiators' indices, med the mediator's index or -1.
func aggregate(r *Report, arms []Arm, recs [][]Record, names []string, neg []int, med, base int) error {
	for i := range arms {
		if err := summarize(&arms[i], recs[i], names, med); err != nil {
			return err
		}
	}
	r.Arms = arms
	r.Baseline = arms[base].Name
	r.Comparisons = []Comparison{}
	order := []int{base}
	for i := range arms {
		if i != base {
			order = append(order, i)
		}
	}
	for x, i := range order {
		for _, j := range order[x+1:] {
			cs, err := compare(&arms[j], &arms[i], names, neg)
			if err != nil {
				return err
			}
			r.Comparisons = append(r.Comparisons, cs...)
		}
	}
	holm(r.Comparisons)
	return nil
}
