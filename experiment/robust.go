package experiment

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/experiment/stats"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/spec"
)

// RobustnessSchema is the schema name of a RobustnessReport's JSON
// (docs/cli.md, "parley experiment robustness").
const RobustnessSchema = "parley.robustness/1"

// DefaultBootstrap is the number of bootstrap resamples behind the
// intervals of the Sobol indices.
const DefaultBootstrap = 500

// Metrics a robustness analysis compares the arms on: the agreement rate
// and the mean welfare of each arm at a parameter point.
const (
	MetricAgreement = "agreement"
	MetricWelfare   = "welfare"
)

// robustMetrics lists the metrics in report order.
var robustMetrics = [...]string{MetricAgreement, MetricWelfare}

// RobustnessConfig configures a global sensitivity analysis.
type RobustnessConfig struct {
	// Samples is the base sample size N of the Saltelli design: the
	// analysis runs N·(k+2) parameter points for k assumptions.
	Samples int
	// Bootstrap is the number of resamples behind the intervals of the
	// Sobol indices (0 = DefaultBootstrap).
	Bootstrap int
	// Variants are the protocol variants to run as arms, in order (nil:
	// the variants the protocol compares to answer its question,
	// protocol.compare, or else every declared variant).
	Variants []string
	// Config runs each point: Runs per arm, Seed (the same run seeds at
	// every point; the design is drawn from a stream derived from it),
	// Workers, Pool, Mediator. Progress counts the runs of every point.
	Config
}

// Validate reports the first of Samples, Bootstrap and the Config's
// fields (Config.Validate) that is out of range as a *spec.FieldError.
func (cfg *RobustnessConfig) Validate() error {
	switch {
	case cfg.Samples < 2:
		return &spec.FieldError{Field: "Samples", Value: strconv.Itoa(cfg.Samples), Err: errors.New("need at least 2 base samples")}
	case cfg.Bootstrap < 0:
		return &spec.FieldError{Field: "Bootstrap", Value: strconv.Itoa(cfg.Bootstrap), Err: errNegative}
	}
	return cfg.Config.Validate()
}

// AssumptionRange is one sampled assumption: the scenario's declared
// range of a sweep parameter.
type AssumptionRange struct {
	Name    string  `json:"name"` // TARGET.NAME, canonical
	Low     float64 `json:"low"`
	High    float64 `json:"high"`
	Integer bool    `json:"integer,omitempty"`
	Note    string  `json:"note,omitempty"`

	param Param
}

// value maps u in [0, 1) into the range: Low + u·(High − Low), or for
// integers the floor of Low + u·(High − Low + 1), as text.
func (a *AssumptionRange) value(u float64) string {
	if a.Integer {
		x := math.Min(math.Floor(a.Low+u*(a.High-a.Low+1)), a.High)
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return formatValue(a.Low + u*(a.High-a.Low))
}

// Assumptions returns the assumptions the scenario declares
// (scenario.Assumption), each checked as a sweep parameter (ParseParam)
// with both ends of its range: an assumption that names no numeric
// parameter, or a range the scenario cannot take, fails here, wrapping
// ErrBadParam.
func Assumptions(s *scenario.Scenario) ([]AssumptionRange, error) {
	if len(s.Assumptions) == 0 {
		return nil, fmt.Errorf("experiment: scenario %s declares no assumptions to sample (assumptions: in docs/scenario-format.md)", s.Name)
	}
	out := make([]AssumptionRange, len(s.Assumptions))
	seen := map[string]string{}
	for i, a := range s.Assumptions {
		lo, hi := formatValue(a.Lo), formatValue(a.Hi)
		p, err := ParseParam(s, a.Name+"="+lo+","+hi)
		if err != nil {
			return nil, fmt.Errorf("experiment: scenario %s: assumptions[%d]: %w", s.Name, i, err)
		}
		k := lookupParam(p.Name)
		if !k.Number() {
			return nil, fmt.Errorf("experiment: scenario %s: assumptions[%d]: %w %q: %s takes words, not a range of numbers", s.Name, i, ErrBadParam, a.Name, p.Name)
		}
		if k.Kind == spec.KindInt && !a.Integer {
			return nil, fmt.Errorf("experiment: scenario %s: assumptions[%d]: %w %q: %s takes whole numbers: declare integer: true", s.Name, i, ErrBadParam, a.Name, p.Name)
		}
		if prev, ok := seen[p.Key()]; ok {
			return nil, fmt.Errorf("experiment: scenario %s: assumptions[%d]: %w %q: the same parameter as %q", s.Name, i, ErrBadParam, a.Name, prev)
		}
		seen[p.Key()] = a.Name
		out[i] = AssumptionRange{Name: p.Key(), Low: a.Lo, High: a.Hi, Integer: a.Integer, Note: a.Note, param: p}
	}
	return out, nil
}

// RobustnessReport is the result of a global sensitivity analysis: the
// arms' orderings over the assumption space and the Sobol indices of
// their contrasts.
type RobustnessReport struct {
	Schema   string `json:"schema"` // RobustnessSchema
	Scenario string `json:"scenario"`
	// Design names the sampling design: Saltelli's A, B and AB_i
	// matrices on a Latin hypercube base.
	Design  string `json:"design"`
	Samples int    `json:"samples"` // base sample size N
	Points  int    `json:"points"`  // N·(k+2) parameter points
	Runs    int    `json:"runs"`    // runs per arm at each point
	Seed    uint64 `json:"seed"`
	// Information is the information condition of the arms (the
	// sequencing experiment's, at every point).
	Information string            `json:"information,omitempty"`
	Arms        []string          `json:"arms"`
	Negotiators []string          `json:"negotiators"`
	Pool        PoolNames         `json:"pool"`
	Assumptions []AssumptionRange `json:"assumptions"`
	// Orderings holds, for each metric and pair of arms, the share of the
	// 2N points of A and B at which one arm's estimate is above the
	// other's.
	Orderings []Ordering `json:"orderings"`
	// Indices holds the Sobol indices of each contrast (the difference
	// of a metric between two arms) per assumption.
	Indices []ContrastIndices `json:"indices"`
	// Errors counts the runs, over every point and arm, that ended in
	// error (reason "error": they count as failures to agree); FirstError
	// quotes the first, by point and arm.
	Errors     int    `json:"errors"`
	FirstError string `json:"first_error,omitempty"`
	// PointResults are every point's values and per-arm metrics, in
	// design order (A, B, then AB_i for each assumption i).
	PointResults []PointResult `json:"point_results"`
}

// Ordering is how often one arm is above another on a metric over the
// points of A and B. Above and Below are shares with Wilson 95% intervals
// that treat the points as the sample (a point's ordering is that of its
// estimates over Runs runs, not a significance test).
type Ordering struct {
	Metric string   `json:"metric"`
	Arm    string   `json:"arm"`
	Other  string   `json:"other"`
	Above  Estimate `json:"above"` // share of points with arm > other
	Below  Estimate `json:"below"` // share of points with arm < other
	Ties   int      `json:"ties"`
	Points int      `json:"points"`
	// SignificantAbove and SignificantBelow are the shares of the points
	// at which the point's paired test (as the sequencing experiment
	// reports it: McNemar on agreement, Wilcoxon on welfare,
	// Holm-adjusted over the point's comparisons) finds arm above or
	// below other at p < 0.05.
	SignificantAbove Estimate `json:"significant_above"`
	SignificantBelow Estimate `json:"significant_below"`
}

// ContrastIndices are the Sobol indices of one contrast, metric(arm) −
// metric(other), per assumption.
type ContrastIndices struct {
	Metric   string  `json:"metric"`
	Arm      string  `json:"arm"`
	Other    string  `json:"other"`
	Mean     float64 `json:"mean"`     // the contrast's mean over A and B
	Variance float64 `json:"variance"` // its variance over A and B
	// Defined is false when the contrast does not vary over the points
	// (the indices, shares of a variance of zero, are then omitted).
	Defined bool               `json:"defined"`
	Effects []AssumptionEffect `json:"effects"`
}

// AssumptionEffect is one assumption's first-order index S and
// total-effect index ST of a contrast, with bootstrap 95% intervals.
type AssumptionEffect struct {
	Assumption string   `json:"assumption"`
	First      Estimate `json:"first"`
	Total      Estimate `json:"total"`
}

// PointResult is one parameter point and what each arm reached there.
type PointResult struct {
	Index int    `json:"index"`
	Block string `json:"block"` // "A", "B" or "AB:NAME"
	// Values are the assumptions' values, in Assumptions order.
	Values    []float64 `json:"values"`
	Agreement []float64 `json:"agreement"` // per arm, in Arms order
	Welfare   []float64 `json:"welfare"`   // mean welfare per arm

	// tests are the point's paired tests by metric, then arm and other
	// arm: the sign of metric(arm) − metric(other) where the test is
	// significant, else 0.
	tests map[string]map[[2]string]int
}

// significant returns the point's paired tests of agreement (McNemar)
// and welfare (Wilcoxon) as signs: +1 where the arm is significantly
// above the baseline at Holm-adjusted p < 0.05, −1 below, 0 otherwise,
// keyed by (arm, baseline) and by (baseline, arm) with the sign turned.
func significant(r *Report) map[string]map[[2]string]int {
	out := map[string]map[[2]string]int{MetricAgreement: {}, MetricWelfare: {}}
	for _, c := range r.Comparisons {
		m, ok := out[c.Metric]
		if !ok || c.Party != "" {
			continue
		}
		sign := 0
		if c.PHolm < 0.05 {
			switch {
			case c.Difference.Mean > 0:
				sign = 1
			case c.Difference.Mean < 0:
				sign = -1
			}
		}
		m[[2]string{c.Arm, c.Baseline}] = sign
		m[[2]string{c.Baseline, c.Arm}] = -sign
	}
	return out
}

// Robustness runs a global sensitivity analysis of the sequencing
// experiment on s: it samples the scenario's assumptions (Assumptions)
// with Saltelli's design on a Latin hypercube (stats.NewSobolDesign),
// runs the sequencing arms (cfg.Variants, the protocol's compare list or
// every declared variant, at matched information as Sequencing runs them) with cfg.Runs runs at each point
// on a copy of s with the point's values set, and reports the share of
// the points at which each ordering of two arms holds and the Sobol
// indices of each contrast between two arms, per assumption.
func Robustness(ctx context.Context, s *scenario.Scenario, cfg RobustnessConfig) (*RobustnessReport, error) {
	as, err := Assumptions(s)
	if err != nil {
		return nil, err
	}
	if len(cfg.Variants) == 0 && s.Protocol != nil {
		cfg.Variants = s.Protocol.Compare
	}
	// The arms and their information condition, on the scenario as
	// declared (a point's values, such as a mediator's bias, would show in
	// the text).
	_, info, err := SequencingArms(s, cfg.Variants, nil, cfg.NeedsDeclared)
	if err != nil {
		return nil, fmt.Errorf("experiment: robustness: %w", err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("experiment: robustness: %w", err)
	}
	if cfg.Bootstrap == 0 {
		cfg.Bootstrap = DefaultBootstrap
	}
	k, n := len(as), cfg.Samples
	design, err := stats.NewSobolDesign(n, k, rng.Derive(cfg.Seed, designStream))
	if err != nil {
		return nil, fmt.Errorf("experiment: robustness: %w", err)
	}
	type row struct {
		block string
		u     []float64
	}
	var rows []row
	for _, u := range design.A {
		rows = append(rows, row{"A", u})
	}
	for _, u := range design.B {
		rows = append(rows, row{"B", u})
	}
	for i := range design.AB {
		for _, u := range design.AB[i] {
			rows = append(rows, row{"AB:" + as[i].Name, u})
		}
	}
	rep := &RobustnessReport{Schema: RobustnessSchema, Scenario: s.Name, Design: "saltelli-lhs",
		Samples: n, Points: len(rows), Runs: cfg.Runs, Seed: cfg.Seed, Information: info, Assumptions: as}
	// The points differ from s in numbers, not utility functions: they
	// share its tables (and their sorted indices).
	tables, err := s.Prepare()
	if err != nil {
		return nil, fmt.Errorf("experiment: robustness: %w", err)
	}
	cfg.Tables = append(cfg.Tables, tables)
	params := make([]Param, k)
	for i := range as {
		params[i] = as[i].param
	}
	progress := cfg.Progress
	for pi, r := range rows {
		cell := Cell{Params: params, Values: make([]string, k)}
		pr := PointResult{Index: pi, Block: r.block, Values: make([]float64, k)}
		for i := range as {
			cell.Values[i] = as[i].value(r.u[i])
			pr.Values[i], _ = strconv.ParseFloat(cell.Values[i], 64)
		}
		ps, err := cell.Apply(s)
		if err != nil {
			return nil, fmt.Errorf("experiment: robustness: point %d: %w", pi, err)
		}
		pc := cfg.Config
		if progress != nil {
			pc.Progress = func(done, total int64) {
				progress(int64(pi)*total+done, total*int64(len(rows)))
			}
		}
		sr, err := sequencingOn(ctx, s, ps, cell, cfg.Variants, pc)
		if err != nil {
			return nil, fmt.Errorf("experiment: robustness: point %d (%s): %w", pi, cell.Name(), err)
		}
		if pi == 0 {
			for _, a := range sr.Arms {
				rep.Arms = append(rep.Arms, a.Name)
			}
			rep.Negotiators, rep.Pool = sr.Negotiators, sr.Pool
		} else if len(sr.Arms) != len(rep.Arms) {
			return nil, fmt.Errorf("experiment: robustness: point %d has %d arms, point 0 had %d", pi, len(sr.Arms), len(rep.Arms))
		}
		for _, a := range sr.Arms {
			if n := a.Breakdown[parley.ReasonError]; n > 0 {
				if rep.Errors == 0 {
					rep.FirstError = fmt.Sprintf("point %d, arm %s, %s", pi, a.Name, a.FirstError)
				}
				rep.Errors += n
			}
			pr.Agreement = append(pr.Agreement, a.AgreementRate.Mean)
			pr.Welfare = append(pr.Welfare, a.Welfare.Mean)
		}
		if pi < 2*n {
			pr.tests = significant(sr)
		}
		rep.PointResults = append(rep.PointResults, pr)
	}
	if err := rep.analyse(n, k, cfg.Bootstrap); err != nil {
		return nil, err
	}
	return rep, nil
}

// sequencingOn runs the sequencing experiment at one parameter point, ps
// (s with the cell's settings), with the given variants as arms (nil:
// every declared variant), at matched information (SequencingArms), as
// Sequencing does: each arm is s with the point's settings and then its
// own, so that the point is a tournament of arms on s itself.
func sequencingOn(ctx context.Context, s, ps *scenario.Scenario, cell Cell, variants []string, cfg Config) (*Report, error) {
	ts, _, err := SequencingArms(ps, variants, nil, cfg.NeedsDeclared)
	if err != nil {
		return nil, err
	}
	for i := range ts {
		ts[i].Set = append(cell.Settings(), ts[i].Set...)
	}
	return Run(ctx, "sequencing", s, ts, cfg)
}

// designStream is the index of the random stream the design is drawn
// from (rng.Derive(Seed, designStream)): distinct from the run seeds
// rng.Derive(Seed, i), i < Runs.
const designStream = 1 << 62

// analyse fills in the orderings and indices from the point results.
func (r *RobustnessReport) analyse(n, k, reps int) error {
	metric := func(p *PointResult, m string) []float64 {
		if m == MetricWelfare {
			return p.Welfare
		}
		return p.Agreement
	}
	pts := r.PointResults
	for _, m := range robustMetrics {
		for a := range r.Arms {
			for b := a + 1; b < len(r.Arms); b++ {
				contrast := func(p *PointResult) float64 { x := metric(p, m); return x[a] - x[b] }
				o := Ordering{Metric: m, Arm: r.Arms[a], Other: r.Arms[b], Points: 2 * n}
				var above, below, sigAbove, sigBelow int
				key := [2]string{o.Arm, o.Other}
				for j := range 2 * n {
					switch d := contrast(&pts[j]); {
					case d > 0:
						above++
					case d < 0:
						below++
					default:
						o.Ties++
					}
					switch pts[j].tests[m][key] {
					case 1:
						sigAbove++
					case -1:
						sigBelow++
					}
				}
				for _, e := range []struct {
					dst *Estimate
					k   int
				}{{&o.Above, above}, {&o.Below, below}, {&o.SignificantAbove, sigAbove}, {&o.SignificantBelow, sigBelow}} {
					var err error
					if *e.dst, err = stats.RateEstimate(e.k, 2*n, stats.Level95); err != nil {
						return fmt.Errorf("experiment: robustness: %w", err)
					}
				}
				r.Orderings = append(r.Orderings, o)

				fA, fB := make([]float64, n), make([]float64, n)
				fAB := make([][]float64, k)
				for j := range n {
					fA[j], fB[j] = contrast(&pts[j]), contrast(&pts[n+j])
				}
				var mean float64
				for j := range n {
					mean += fA[j] + fB[j]
				}
				for i := range k {
					fAB[i] = make([]float64, n)
					for j := range n {
						fAB[i][j] = contrast(&pts[(2+i)*n+j])
					}
				}
				ci := ContrastIndices{Metric: m, Arm: r.Arms[a], Other: r.Arms[b], Mean: mean / float64(2*n), Effects: []AssumptionEffect{}}
				seed := rng.Derive(r.Seed, designStream+1+uint64(len(r.Indices)))
				first, total, v, err := stats.SobolCI(fA, fB, fAB, stats.Level95, reps, seed)
				switch {
				case errors.Is(err, stats.ErrNoVariance):
				case err != nil:
					return fmt.Errorf("experiment: robustness: %s %s − %s: %w", m, ci.Arm, ci.Other, err)
				default:
					ci.Defined, ci.Variance = true, v
					for i := range k {
						ci.Effects = append(ci.Effects, AssumptionEffect{Assumption: r.Assumptions[i].Name, First: first[i], Total: total[i]})
					}
				}
				r.Indices = append(r.Indices, ci)
			}
		}
	}
	return nil
}
