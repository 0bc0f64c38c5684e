package boa

import (
	"fmt"
	"math"

	"github.com/parley-dev/parley"
)

// BayesianOptions configure a Bayesian opponent model. The zero value uses
// the published constants.
type BayesianOptions struct {
	// Sigma is the standard deviation σ of the likelihood, relative to the
	// expected utility (default 0.25, the value of GENIUS
	// BayesianOpponentModelScalable.conditionalDistribution).
	Sigma float64
	// Concession is c in [0, 1): the model assumes the opponent's own
	// utility of a bid it makes at time t is about 1 − c·t, a linear
	// concession (0 means the default, 0.3).
	Concession float64
}

// Validate names the first bad field.
func (o *BayesianOptions) Validate() error {
	if math.IsNaN(o.Sigma) || math.IsInf(o.Sigma, 0) || o.Sigma < 0 {
		return fmt.Errorf("boa: bayesian model: Sigma = %v, want a finite σ ≥ 0 (0: the default)", o.Sigma)
	}
	if math.IsNaN(o.Concession) || o.Concession < 0 || o.Concession >= 1 {
		return fmt.Errorf("boa: bayesian model: Concession = %v outside [0,1)", o.Concession)
	}
	return nil
}

// Default constants of the Bayesian model.
const (
	defaultSigma      = 0.25
	defaultConcession = 0.3
	maxPeaks          = 16 // issues with more interior values get 4 triangular hypotheses
)

// Bayesian is the scalable Bayesian opponent model of Hindriks and Tykhonov
// ("Opponent modelling in automated multi-issue negotiation using Bayesian
// learning", AAMAS 2008, section 4), as GENIUS
// agents/bayesianopponentmodel/BayesianOpponentModelScalable.java
// implements it, with the opponent's utility taken to be linear-additive
// over the issues and every issue learned on its own:
//
//   - Weights: each issue has a distribution over its rank r = 1..n among
//     the n issues (uniform prior), a rank meaning the weight
//     w(r) = 2(n + 1 − r)/(n(n + 1)) (the paper's rank-to-weight mapping;
//     the ranks' weights sum to 1). The expected weights, renormalised to
//     sum 1, are the model's weights.
//   - Evaluations: each issue has a distribution over value-evaluation
//     shapes along its value order (uniform prior): uphill k/(m − 1),
//     downhill, and triangular with the peak at each interior value (at 4
//     evenly spaced values when there are more than 16, as the Java does
//     for real issues).
//   - Update: the opponent is assumed to concede linearly in time, so its
//     bid at time t is worth about u'(t) = 1 − c·t to it. For each issue
//     and hypothesis h, the bid's predicted utility u_h is the hypothesis'
//     term plus the expected terms of the other issues, and
//     P(h) ← P(h)·N((u' − u_h)/u'; 0, σ), renormalised (the Java's
//     conditionalDistribution). As in the Java, weights are updated first
//     (from the second bid on), then evaluations; a bid seen before is
//     ignored.
//
// Simplifications, documented: the hypothesis space per issue is the
// paper's scalable one (no joint rankings); the Java's weight hypotheses
// are eleven weight levels with a prior favouring small weights, ours are
// ranks with a uniform prior; the expected utility u'(t) falls with time
// rather than by 0.003 per distinct bid; an update whose normaliser
// vanishes is skipped (the Java's NaN bug); bids of several opponents are
// pooled. Utility normalises the estimate to [0, 1] over the space
// (OpponentModel.getNormalizedUtility). Bids seen are remembered in a
// bitset over an enumerable space (allocated at Init), so Update allocates
// nothing; over a larger space, in a map.
type Bayesian struct {
	opts  BayesianOptions
	space *parley.OutcomeSpace
	sigma float64
	conc  float64

	issues []bayesIssue
	rankW  []float64 // weight of rank r (index r−1)
	wn     []float64 // expected weights, normalised
	contr  [][]float64
	lo, hi float64
	bids   int // distinct bids learned from

	seenBits []uint64                    // enumerable spaces: outcomes seen
	seenMap  map[parley.Outcome]struct{} // otherwise
	vals     []int                       // scratch
	terms    []float64                   // scratch: per issue, the bid's expected term
}

type bayesIssue struct {
	m     int         // values
	shape [][]float64 // per hypothesis, per value
	pe    []float64   // P(shape)
	pw    []float64   // P(rank), by rank − 1
	exp   []float64   // expected evaluation per value
	scr   []float64   // scratch for updates
	scrW  []float64
}

var _ OpponentModel = (*Bayesian)(nil)

// NewBayesian returns a Bayesian model; the options are checked at Init.
func NewBayesian(opts BayesianOptions) *Bayesian { return &Bayesian{opts: opts} }

// Init builds the hypotheses with their priors.
func (b *Bayesian) Init(s *Setup) error {
	if err := b.opts.Validate(); err != nil {
		return err
	}
	if s == nil || s.Session == nil || s.Session.Profile == nil || s.Session.Profile.Space == nil {
		return fmt.Errorf("boa: bayesian model: %w", parley.ErrNoProfile)
	}
	b.sigma, b.conc = b.opts.Sigma, b.opts.Concession
	if b.sigma == 0 {
		b.sigma = defaultSigma
	}
	if b.opts.Concession == 0 {
		b.conc = defaultConcession
	}
	sp := s.Session.Profile.Space
	n := len(sp.Issues)
	if b.space != sp || len(b.issues) != n {
		b.space = sp
		b.issues = make([]bayesIssue, n)
		for i := range b.issues {
			b.issues[i] = newBayesIssue(sp.Issues[i].Size(), n)
		}
		b.rankW = make([]float64, n)
		for r := range b.rankW {
			b.rankW[r] = 2 * float64(n-r) / float64(n*(n+1))
		}
		b.wn = make([]float64, n)
		b.contr = make([][]float64, n)
		for i := range b.contr {
			b.contr[i] = make([]float64, sp.Issues[i].Size())
		}
		b.vals, b.terms = make([]int, n), make([]float64, n)
		b.seenBits, b.seenMap = nil, nil
		if sp.Enumerable() {
			b.seenBits = make([]uint64, (sp.Size()+63)/64)
		} else {
			b.seenMap = map[parley.Outcome]struct{}{}
		}
	}
	for i := range b.issues {
		is := &b.issues[i]
		for h := range is.pe {
			is.pe[h] = 1 / float64(len(is.pe))
		}
		for r := range is.pw {
			is.pw[r] = 1 / float64(len(is.pw))
		}
	}
	clear(b.seenBits)
	clear(b.seenMap)
	b.bids = 0
	b.refresh()
	return nil
}

// newBayesIssue returns the hypotheses of an issue of m values among n.
func newBayesIssue(m, n int) bayesIssue {
	is := bayesIssue{m: m, pw: make([]float64, n), scrW: make([]float64, n), exp: make([]float64, m)}
	add := func(f func(v int) float64) {
		s := make([]float64, m)
		for v := range s {
			s[v] = f(v)
		}
		is.shape = append(is.shape, s)
	}
	if m == 1 {
		add(func(int) float64 { return 1 })
	} else {
		last := float64(m - 1)
		add(func(v int) float64 { return float64(v) / last })          // uphill
		add(func(v int) float64 { return (last - float64(v)) / last }) // downhill
		var peaks []int
		if m-2 <= maxPeaks {
			for k := 1; k <= m-2; k++ {
				peaks = append(peaks, k)
			}
		} else {
			for k := 1; k <= 4; k++ {
				peaks = append(peaks, int(math.Round(float64(k)*last/5)))
			}
		}
		for _, k := range peaks {
			add(func(v int) float64 { // triangular, peak at k
				if v <= k {
					return float64(v) / float64(k)
				}
				return (last - float64(v)) / (last - float64(k))
			})
		}
	}
	is.pe = make([]float64, len(is.shape))
	is.scr = make([]float64, len(is.shape))
	return is
}

// refresh recomputes the expected evaluations, the normalised weights,
// the per-value contributions and the range of the estimate.
func (b *Bayesian) refresh() {
	sum := 0.0
	for i := range b.issues {
		is := &b.issues[i]
		w := 0.0
		for r, p := range is.pw {
			w += p * b.rankW[r]
		}
		b.wn[i] = w
		sum += w
		clear(is.exp)
		for h, p := range is.pe {
			for v, e := range is.shape[h] {
				is.exp[v] += p * e
			}
		}
	}
	b.lo, b.hi = 0, 0
	for i := range b.issues {
		b.wn[i] /= sum
		lo, hi := math.Inf(1), math.Inf(-1)
		for v, e := range b.issues[i].exp {
			c := b.wn[i] * e
			b.contr[i][v] = c
			lo, hi = min(lo, c), max(hi, c)
		}
		b.lo += lo
		b.hi += hi
	}
}

// seen marks o as seen and reports whether it was before.
func (b *Bayesian) seen(o parley.Outcome) bool {
	if b.seenBits != nil {
		w, bit := int(o)/64, uint64(1)<<(uint(o)%64)
		was := b.seenBits[w]&bit != 0
		b.seenBits[w] |= bit
		return was
	}
	if _, ok := b.seenMap[o]; ok {
		return true
	}
	b.seenMap[o] = struct{}{}
	return false
}

// likelihood is the Gaussian of the relative error, without its constant
// factor (which cancels when normalising).
func (b *Bayesian) likelihood(expected, predicted float64) float64 {
	x := (expected - predicted) / expected
	return math.Exp(-x * x / (2 * b.sigma * b.sigma))
}

// Update learns from one bid of another party (see Bayesian).
func (b *Bayesian) Update(r parley.OfferRecord) {
	if b.space == nil || !b.space.Valid(r.Outcome) || b.seen(r.Outcome) {
		return
	}
	t := r.Time
	if math.IsNaN(t) {
		t = 0
	}
	expected := max(1-b.conc*min(max(t, 0), 1), 0.05)
	vals := b.space.Decode(r.Outcome, b.vals)
	total := 0.0
	for i, v := range vals {
		b.terms[i] = b.contr[i][v]
		total += b.terms[i]
	}
	if b.bids > 0 { // weights: from the second bid on, as the Java
		for i, v := range vals {
			is := &b.issues[i]
			rest := total - b.terms[i]
			e := is.exp[v]
			z := 0.0
			for k, p := range is.pw {
				is.scrW[k] = p * b.likelihood(expected, b.rankW[k]*e+rest)
				z += is.scrW[k]
			}
			if z > 0 && !math.IsInf(z, 0) {
				for k := range is.pw {
					is.pw[k] = is.scrW[k] / z
				}
			}
		}
		// The evaluations are updated with the new weights.
		sum := 0.0
		for i := range b.issues {
			w := 0.0
			for k, p := range b.issues[i].pw {
				w += p * b.rankW[k]
			}
			b.wn[i] = w
			sum += w
		}
		total = 0
		for i, v := range vals {
			b.wn[i] /= sum
			b.terms[i] = b.wn[i] * b.issues[i].exp[v]
			total += b.terms[i]
		}
	}
	for i, v := range vals {
		is := &b.issues[i]
		rest := total - b.terms[i]
		z := 0.0
		for h, p := range is.pe {
			is.scr[h] = p * b.likelihood(expected, b.wn[i]*is.shape[h][v]+rest)
			z += is.scr[h]
		}
		if z > 0 && !math.IsInf(z, 0) {
			for h := range is.pe {
				is.pe[h] = is.scr[h] / z
			}
		}
	}
	b.bids++
	b.refresh()
}

// Utility returns the estimated opponent utility of o, normalised to
// [0, 1] over the space.
func (b *Bayesian) Utility(o parley.Outcome) float64 {
	if b.space == nil || !b.space.Valid(o) {
		return 0
	}
	u := 0.0
	for i := range b.contr {
		u += b.contr[i][b.space.ValueIndex(o, i)]
	}
	if b.hi-b.lo < 1e-12 {
		return 0.5
	}
	return min(max((u-b.lo)/(b.hi-b.lo), 0), 1)
}

// Version counts the distinct bids learnt from: the estimate changes only
// when it does, so callers may cache what they derive from it.
func (b *Bayesian) Version() int { return b.bids }

// Weight returns the estimated weight of issue i (the expected weights sum
// to 1).
func (b *Bayesian) Weight(i int) float64 { return b.wn[i] }

// Evaluation returns the expected evaluation of value k of issue i.
func (b *Bayesian) Evaluation(i, k int) float64 { return b.issues[i].exp[k] }
