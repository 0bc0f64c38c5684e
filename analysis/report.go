package analysis

import (
	"errors"
	"fmt"

	"github.com/parley-dev/parley"
)

// Report is the analysis of a scenario: its size, frontier and reference
// points. It is plain data, ready to be printed or encoded; utility vectors
// list the parties in profile order, and outcomes can be named with
// parley.OutcomeSpace.Named.
type Report struct {
	Parties  int    `json:"parties"`  // number of profiles analysed
	Outcomes int    `json:"outcomes"` // size of the outcome space
	Method   Method `json:"method"`   // how the frontier was computed
	// Feasible counts the outcomes that cross no party's red line (all of
	// them without red lines, or with Options.IgnoreRedLines); the
	// frontier, solutions, welfare and opposition are over those.
	Feasible int `json:"feasible"`
	// ExcludedValues counts the issue values some party vetoes.
	ExcludedValues int       `json:"excluded_values"`
	Reservation    []float64 `json:"reservation"` // undiscounted reservation values, by party

	// Frontier is the Pareto frontier, ordered as documented on Frontier.
	Frontier []Point `json:"frontier"`
	// Nash is the Nash bargaining solution over the individually rational
	// frontier, nil when no outcome is individually rational.
	Nash *Point `json:"nash"`
	// KalaiSmorodinsky is the Kalai–Smorodinsky solution over the
	// individually rational frontier, nil when no outcome is individually
	// rational.
	KalaiSmorodinsky *Point `json:"kalai_smorodinsky"`
	// MaxWelfare is an outcome of maximal social welfare (reservation
	// values ignored), and Welfare its welfare Σ u_i.
	MaxWelfare Point   `json:"max_welfare"`
	Welfare    float64 `json:"welfare"`
	// Opposition is GENIUS's opposition: the distance from (1, …, 1) to the
	// nearest outcome (see Opposition).
	Opposition float64 `json:"opposition"`
}

// Analyze computes the Report of a scenario: the profiles (one per party,
// all over space; include a mediator's profile only if it should count) give
// the utility functions and the reservation values. It fails when a profile
// is invalid or the frontier cannot be computed (an error wrapping
// parley.ErrTooLarge for a huge, non-additive space).
func Analyze(space *parley.OutcomeSpace, profiles []*parley.Profile) (*Report, error) {
	return AnalyzeWith(space, profiles, Options{})
}

// Options refine AnalyzeWith.
type Options struct {
	// IgnoreRedLines analyses every outcome, including those that cross a
	// party's red line (parley.Profile.Vetoes). By default such outcomes,
	// which can never be agreed, are left out of the frontier, the
	// bargaining solutions, the maximal welfare and the opposition.
	IgnoreRedLines bool
}

// AnalyzeWith is Analyze with options.
func AnalyzeWith(space *parley.OutcomeSpace, profiles []*parley.Profile, opt Options) (*Report, error) {
	if space == nil {
		return nil, errors.New("analysis: no outcome space")
	}
	if len(profiles) == 0 {
		return nil, errors.New("analysis: no profiles")
	}
	ufs := make([]parley.UtilityFunction, len(profiles))
	res := make([]float64, len(profiles))
	for a, p := range profiles {
		if p == nil {
			return nil, fmt.Errorf("analysis: party %d: no profile", a+1)
		}
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("analysis: party %d: %w", a+1, err)
		}
		if p.Space != space {
			return nil, fmt.Errorf("analysis: party %d: profile %q is over another outcome space", a+1, p.Name)
		}
		ufs[a], res[a] = p.Utility, p.Reservation
	}
	var feas *feasible
	if !opt.IgnoreRedLines {
		var err error
		if feas, err = restrict(space, profiles); err != nil {
			return nil, err
		}
	}
	var front []Point
	var method Method
	var err error
	if feas == nil {
		front, method, err = frontier(space, ufs)
	} else {
		sub := make([]parley.UtilityFunction, len(ufs))
		for a, uf := range ufs {
			sub[a] = feas.utility(uf)
		}
		front, method, err = frontier(feas.sub, sub)
		for k := range front {
			front[k].Outcome = feas.outcome(front[k].Outcome)
		}
	}
	if err != nil {
		return nil, err
	}
	r := &Report{
		Parties:     len(profiles),
		Outcomes:    space.Size(),
		Feasible:    space.Size(),
		Method:      method,
		Reservation: res,
		Frontier:    front,
	}
	if feas != nil {
		r.Feasible, r.ExcludedValues = feas.sub.Size(), feas.excluded
	}
	if p, ok := Nash(front, res); ok {
		r.Nash = &p
	}
	if p, ok := KalaiSmorodinsky(front, res); ok {
		r.KalaiSmorodinsky = &p
	}
	if p, ok := MaxWelfare(front); ok {
		r.MaxWelfare, r.Welfare = p, Welfare(p.U)
	}
	r.Opposition, _ = Opposition(front)
	return r, nil
}

// Metrics describes one negotiation result against its scenario
// (after NegMAS OutcomeOptimality).
type Metrics struct {
	Welfare        float64 `json:"welfare"`         // Σ u_i
	ParetoDistance float64 `json:"pareto_distance"` // distance to the nearest frontier point
	// NashDistance is the distance to the Nash point; valid when HasNash.
	NashDistance float64 `json:"nash_distance"`
	// KSDistance is the distance to the Kalai–Smorodinsky point; valid
	// when HasKS.
	KSDistance float64 `json:"ks_distance"`
	HasNash    bool    `json:"has_nash"`
	HasKS      bool    `json:"has_ks"`
	// Rational is true when every party gets at least its reservation
	// value (within parley.Eps).
	Rational bool `json:"rational"`
}

// Metrics returns the metrics of the realised utility vector u, one
// undiscounted utility per party in profile order. For a negotiation
// without agreement pass the reservation values.
func (r *Report) Metrics(u []float64) (Metrics, error) {
	if len(u) != r.Parties {
		return Metrics{}, fmt.Errorf("analysis: metrics: %d utilities for %d parties", len(u), r.Parties)
	}
	m := Metrics{Welfare: Welfare(u), Rational: Rational(u, r.Reservation)}
	m.ParetoDistance, _ = ParetoDistance(r.Frontier, u)
	if r.Nash != nil {
		m.NashDistance, m.HasNash = Distance(u, r.Nash.U), true
	}
	if r.KalaiSmorodinsky != nil {
		m.KSDistance, m.HasKS = Distance(u, r.KalaiSmorodinsky.U), true
	}
	return m, nil
}
