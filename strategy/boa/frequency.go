package boa

import (
	"fmt"
	"math"

	"github.com/parley-dev/parley"
)

// FrequencyOptions configure a Frequency opponent model. The zero value is
// the HardHeaded model as published (l = 0.2, v = 1).
type FrequencyOptions struct {
	// Learn is the learning coefficient l in (0, 1): an issue whose value
	// the opponent left unchanged between two consecutive bids gains l/n
	// weight before renormalisation (n issues). 0 means 0.2.
	Learn float64
	// Addition is v > 0, added to the count of each value the opponent
	// offers. 0 means 1.
	Addition float64
	// GENIUSWeights sets each issue weight as GENIUS's KLH.updateLearner
	// does, through AdditiveUtilitySpace.setWeight: issue by issue, the
	// new weight is computed from the current ones, and every call
	// renormalises all weights (normalizeChildren: w_j −= (S − 1)·(w_j +
	// 0.05)/(S + 0.05·n), S their sum, negatives set to 0; when the sum
	// then lies outside (0.98, 1.02) the issue's old weight is restored).
	// Off, the weights follow the published formula in one step.
	GENIUSWeights bool
}

// Validate names the first bad field.
func (o *FrequencyOptions) Validate() error {
	if math.IsNaN(o.Learn) || o.Learn < 0 || o.Learn >= 1 {
		return fmt.Errorf("boa: frequency model: Learn = %v outside [0,1)", o.Learn)
	}
	if math.IsNaN(o.Addition) || math.IsInf(o.Addition, 0) || o.Addition < 0 {
		return fmt.Errorf("boa: frequency model: Addition = %v, want a finite v ≥ 0", o.Addition)
	}
	return nil
}

// Frequency is the HardHeaded frequency opponent model (van Krimpen,
// Looije and Hajizadeh, ANAC 2011; GENIUS agents/anac/y2011/HardHeaded/
// KLH.java updateLearner and its BOA port negotiator/boaframework/
// opponentmodel/HardHeadedFrequencyModel.java, checked line by line). It
// starts with every issue weight 1/n and every value count 1. From each
// party's second bid on, comparing the bid with that party's previous one:
//
//	g = l/n,  S = 1 + g·(number of unchanged issues),  wmax = 1 − n·g/S
//	w_i ← (w_i + g)/S   for an unchanged issue with w_i < wmax
//	w_i ← w_i/S         otherwise
//
// and every value of the new bid gains v in its count (the first bid's
// values are never counted, as in the Java). The estimated utility is
// Σ_i w_i·count_i(o_i)/max_k count_i(k). As in the Java, an unchanged
// issue already at wmax gains nothing, so the weights then sum to a little
// less than 1. Bids of several opponents are pooled, each compared with its
// own party's previous bid.
type Frequency struct {
	opts  FrequencyOptions
	space *parley.OutcomeSpace
	learn float64
	add   float64

	weights []float64
	counts  [][]float64 // per issue, per value
	maxes   []float64   // per issue: the largest count
	prev    []parley.Outcome
	vals    []int // scratch: decoded values of a bid
	pvals   []int // scratch: decoded values of the previous bid
}

var _ OpponentModel = (*Frequency)(nil)

// NewFrequency returns a frequency model; the options are checked at Init.
func NewFrequency(opts FrequencyOptions) *Frequency { return &Frequency{opts: opts} }

// Init resets the model to equal weights and unit counts.
func (f *Frequency) Init(s *Setup) error {
	if err := f.opts.Validate(); err != nil {
		return err
	}
	if s == nil || s.Session == nil || s.Session.Profile == nil || s.Session.Profile.Space == nil {
		return fmt.Errorf("boa: frequency model: %w", parley.ErrNoProfile)
	}
	f.learn, f.add = f.opts.Learn, f.opts.Addition
	if f.learn == 0 {
		f.learn = 0.2
	}
	if f.add == 0 {
		f.add = 1
	}
	sp := s.Session.Profile.Space
	n := len(sp.Issues)
	if f.space != sp || len(f.counts) != n {
		f.space = sp
		f.weights = make([]float64, n)
		f.maxes = make([]float64, n)
		f.counts = make([][]float64, n)
		for i := range f.counts {
			f.counts[i] = make([]float64, sp.Issues[i].Size())
		}
		f.vals, f.pvals = make([]int, n), make([]int, n)
	}
	for i := range f.counts {
		f.weights[i] = 1 / float64(n)
		f.maxes[i] = 1
		for k := range f.counts[i] {
			f.counts[i][k] = 1
		}
	}
	parties := max(len(s.Session.Names), 2)
	if cap(f.prev) < parties {
		f.prev = make([]parley.Outcome, parties)
	}
	f.prev = f.prev[:parties]
	for i := range f.prev {
		f.prev[i] = parley.NoOutcome
	}
	return nil
}

// Update learns from one bid of another party.
func (f *Frequency) Update(r parley.OfferRecord) {
	if f.space == nil || !f.space.Valid(r.Outcome) || r.Party < 0 {
		return
	}
	for r.Party >= len(f.prev) { // more parties than Session.Names said
		f.prev = append(f.prev, parley.NoOutcome)
	}
	prev := f.prev[r.Party]
	f.prev[r.Party] = r.Outcome
	if prev == parley.NoOutcome {
		return // KLH.updateLearner: fewer than two bids, nothing to compare
	}
	cur := f.space.Decode(r.Outcome, f.vals)
	old := f.space.Decode(prev, f.pvals)
	n := float64(len(cur))
	unchanged := 0
	for i := range cur {
		if cur[i] == old[i] {
			unchanged++
		}
	}
	golden := f.learn / n
	total := 1 + golden*float64(unchanged)
	wmax := 1 - n*golden/total
	for i := range cur {
		w := f.weights[i] / total
		if cur[i] == old[i] && f.weights[i] < wmax {
			w = (f.weights[i] + golden) / total
		}
		if f.opts.GENIUSWeights {
			f.setWeight(i, w)
		} else {
			f.weights[i] = w
		}
	}
	for i, k := range cur {
		f.counts[i][k] += f.add
		f.maxes[i] = max(f.maxes[i], f.counts[i][k])
	}
}

// setWeight sets weight i to w as GENIUS's AdditiveUtilitySpace.setWeight
// does with every weight unlocked: normalizeChildren then shifts every
// weight j by (S − 1)·(w_j + 0.05)/(S + 0.05·n), clamping at 0, and a sum
// outside (0.98, 1.02) restores weight i (genius.core.utility).
func (f *Frequency) setWeight(i int, w float64) {
	const corr = 0.05 // RENORMALCORR
	old := f.weights[i]
	f.weights[i] = w
	n := len(f.weights)
	if n == 1 {
		f.weights[0] = 1
		return
	}
	s := 0.0
	for _, x := range f.weights {
		s += x
	}
	diff, cs := s-1, s+corr*float64(n)
	for j, x := range f.weights {
		f.weights[j] = max(x-diff*(x+corr)/cs, 0)
	}
	s = 0
	for _, x := range f.weights {
		s += x
	}
	if !(s > 0.98 && s < 1.02) {
		f.weights[i] = old
	}
}

// Utility returns Σ_i w_i·count_i(o_i)/max count_i, in [0, 1].
func (f *Frequency) Utility(o parley.Outcome) float64 {
	if f.space == nil || !f.space.Valid(o) {
		return 0
	}
	u := 0.0
	for i, w := range f.weights {
		u += w * f.counts[i][f.space.ValueIndex(o, i)] / f.maxes[i]
	}
	return u
}

// Weight returns the learned weight of issue i.
func (f *Frequency) Weight(i int) float64 { return f.weights[i] }

// Evaluation returns the learned evaluation of value k of issue i,
// count/max count, in (0, 1].
func (f *Frequency) Evaluation(i, k int) float64 { return f.counts[i][k] / f.maxes[i] }
