package boa_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/strategy/boa"
	"github.com/parley-dev/parley/ufun"
)

func setup(t testing.TB, space *parley.OutcomeSpace, parties int) *boa.Setup {
	t.Helper()
	names := make([]string, parties)
	for i := range names {
		names[i] = fmt.Sprint("p", i)
	}
	u := parley.UtilityFunc(func(parley.Outcome) float64 { return 0.5 })
	return &boa.Setup{Session: &parley.Session{Profile: &parley.Profile{Space: space, Utility: u}, Names: names, Rand: rng.New(1, 0)}}
}

func binarySpace(t testing.TB, n int) *parley.OutcomeSpace {
	issues := make([]parley.Issue, n)
	for i := range issues {
		issues[i] = parley.Issue{Name: fmt.Sprint("i", i), Values: []string{"a", "b"}}
	}
	space, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		t.Fatal(err)
	}
	return space
}

// TestFrequencyHandComputed checks the HardHeaded frequency model against
// KLH.updateLearner worked by hand on three binary issues (outcome =
// 4a + 2b + c), learning coefficient 0.2 (g = 0.2/3 = 1/15):
//
//	bid (0,0,0): first bid, nothing learned.
//	bid (0,1,0): issues 0 and 2 unchanged, S = 1 + 2/15 = 17/15:
//	  w = ((1/3+1/15)·15/17, (1/3)·15/17, (1/3+1/15)·15/17) = (6, 5, 6)/17;
//	  counts a0 = 2, b1 = 2, c0 = 2 (the others 1).
//	bid (0,1,1): issues 0 and 1 unchanged, S = 17/15:
//	  w = ((6/17+1/15)·15/17, (5/17+1/15)·15/17, (6/17)·15/17)
//	    = (107, 92, 90)/289; counts a0 = 3, b1 = 3, c1 = 2.
//	Utility of (0,1,1) = w0·3/3 + w1·3/3 + w2·2/2 = 1;
//	of (1,0,0) = (107 + 92)/(3·289) + 90/289 = 469/867.
func TestFrequencyHandComputed(t *testing.T) {
	space := binarySpace(t, 3)
	cases := []struct {
		name    string
		bids    []parley.OfferRecord
		weights [3]float64
		utils   map[parley.Outcome]float64
	}{
		{"one bid", []parley.OfferRecord{{Party: 1, Outcome: 0}}, [3]float64{1. / 3, 1. / 3, 1. / 3},
			map[parley.Outcome]float64{0: 1, 7: 1}},
		{"two bids", []parley.OfferRecord{{Party: 1, Outcome: 0}, {Party: 1, Outcome: 2}}, [3]float64{6. / 17, 5. / 17, 6. / 17},
			map[parley.Outcome]float64{2: 1, 0: 6./17 + 5./17/2 + 6./17, 5: 6./17/2 + 5./17/2 + 6./17/2}},
		{"three bids", []parley.OfferRecord{{Party: 1, Outcome: 0}, {Party: 1, Outcome: 2}, {Party: 1, Outcome: 3}},
			[3]float64{107. / 289, 92. / 289, 90. / 289}, map[parley.Outcome]float64{3: 1, 4: 469. / 867}},
		// Another party's bids in between are compared with their own
		// party's previous bid: party 1 sees (0,0,0) then (0,1,0).
		{"interleaved parties", []parley.OfferRecord{{Party: 1, Outcome: 0}, {Party: 2, Outcome: 7}, {Party: 1, Outcome: 2}},
			[3]float64{6. / 17, 5. / 17, 6. / 17}, map[parley.Outcome]float64{2: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := boa.NewFrequency(boa.FrequencyOptions{})
			if err := f.Init(setup(t, space, 3)); err != nil {
				t.Fatal(err)
			}
			for _, b := range c.bids {
				f.Update(b)
			}
			for i, w := range c.weights {
				if math.Abs(f.Weight(i)-w) > 1e-12 {
					t.Errorf("weight %d = %v, want %v", i, f.Weight(i), w)
				}
			}
			for o, u := range c.utils {
				if got := f.Utility(o); math.Abs(got-u) > 1e-12 {
					t.Errorf("utility of %s = %v, want %v", space.Format(o), got, u)
				}
			}
		})
	}
}

// TestFrequencyGENIUSWeights checks GENIUSWeights against KLH.updateLearner
// and AdditiveUtilitySpace.setWeight/normalizeChildren worked by hand on
// two binary issues (outcome = 2a + b), g = 0.2/2 = 0.1, S = 1.1 for one
// unchanged issue. Bids (0,0) then (0,1): issue 0 is unchanged.
//
//	issue 0: w0 = (0.5 + 0.1)/1.1 = 6/11; the weights (6/11, 1/2) sum to
//	  23/22, so each w loses (1/22)·(w + 0.05)/(23/22 + 0.1):
//	  (0.5218253968, 0.4781746032).
//	issue 1: w1 = 0.4781746032/1.1 = 0.4347041847; the sum 0.9565295815
//	  is short by 0.0434704185, shared as (w + 0.05)/(sum + 0.1):
//	  (0.5453528869, 0.4546471131).
//
// The published formula in one step gives (6/11, 5/11) instead.
func TestFrequencyGENIUSWeights(t *testing.T) {
	space := binarySpace(t, 2)
	for _, c := range []struct {
		genius bool
		want   [2]float64
	}{
		{true, [2]float64{0.5453528869464268, 0.45464711305357325}},
		{false, [2]float64{6. / 11, 5. / 11}},
	} {
		f := boa.NewFrequency(boa.FrequencyOptions{GENIUSWeights: c.genius})
		if err := f.Init(setup(t, space, 2)); err != nil {
			t.Fatal(err)
		}
		f.Update(parley.OfferRecord{Party: 1, Outcome: 0})
		f.Update(parley.OfferRecord{Party: 1, Outcome: 1})
		for i, w := range c.want {
			if math.Abs(f.Weight(i)-w) > 1e-12 {
				t.Errorf("GENIUSWeights %v: weight %d = %.12f, want %.12f", c.genius, i, f.Weight(i), w)
			}
		}
	}
}

// shapedProfile returns a random linear-additive utility whose evaluations
// lie in the Bayesian model's hypothesis class (uphill, downhill or
// single-peaked along each issue's value order), with random weights.
func shapedProfile(r *rand.Rand, space *parley.OutcomeSpace) *ufun.Table {
	n := len(space.Issues)
	w := make([]float64, n)
	sum := 0.0
	for i := range w {
		w[i] = 0.1 + r.Float64()
		sum += w[i]
	}
	ev := make([][]float64, n)
	for i := range ev {
		w[i] /= sum
		m := space.Issues[i].Size()
		peak := r.IntN(m)
		ev[i] = make([]float64, m)
		for v := range ev[i] {
			switch {
			case v == peak:
				ev[i][v] = 1
			case v < peak:
				ev[i][v] = float64(v) / float64(peak)
			default:
				ev[i][v] = float64(m-1-v) / float64(m-1-peak)
			}
		}
	}
	la, err := ufun.NewLinearAdditive(space, w, ev, 0)
	if err != nil {
		panic(err)
	}
	t, err := ufun.NewTable(space, la)
	if err != nil {
		panic(err)
	}
	return t
}

// concedingBids returns n bids of an opponent with utility u that concedes
// linearly from its best outcome to 0.4 over time: at time k/n it offers a
// random outcome worth target..target+0.05 to it (the cheapest above the
// target when there is none).
func concedingBids(r *rand.Rand, u *ufun.Table, n int) []parley.OfferRecord {
	x := u.Index()
	bids := make([]parley.OfferRecord, n)
	for k := range bids {
		t := float64(k) / float64(n)
		target := x.Max() - (x.Max()-0.4)*t
		lo, hi := x.Search(target), x.Search(target+0.05)
		if lo == x.Len() {
			lo = x.Len() - 1
		}
		if hi <= lo {
			hi = lo + 1
		}
		bids[k] = parley.OfferRecord{Party: 1, Outcome: x.Outcome(lo + r.IntN(hi-lo)), Step: 2*k + 1, Round: k, Time: t}
	}
	return bids
}

// concordance returns the fraction of outcome pairs, among pairs whose true
// utilities differ by at least 0.2, that the model orders as the truth
// does.
func concordance(r *rand.Rand, space *parley.OutcomeSpace, truth parley.UtilityFunction, m boa.OpponentModel) float64 {
	agree, all := 0, 0
	for all < 2000 {
		a, b := parley.Outcome(r.IntN(space.Size())), parley.Outcome(r.IntN(space.Size()))
		d := truth.Utility(a) - truth.Utility(b)
		if math.Abs(d) < 0.2 {
			continue
		}
		all++
		if (m.Utility(a)-m.Utility(b))*d > 0 {
			agree++
		}
	}
	return float64(agree) / float64(all)
}

// TestBayesianLearns is a property test: on 20 random opponent profiles in
// the model's hypothesis class, after 60 bids of a linearly conceding
// opponent the Bayesian model orders at least 90% of clearly different
// outcome pairs (true utilities 0.2 or more apart) as the opponent's true
// profile does on average, at least 80% for each profile, and at least 10
// points more than its prior (whose hump-shaped mean evaluations already
// order about 78% right); and the outcome it rates best is in the top 5%
// of the opponent's true ranking.
func TestBayesianLearns(t *testing.T) {
	issues := []parley.Issue{
		{Name: "a", Values: []string{"0", "1", "2", "3", "4"}},
		{Name: "b", Values: []string{"0", "1", "2", "3"}},
		{Name: "c", Values: []string{"0", "1", "2", "3", "4", "5"}},
		{Name: "d", Values: []string{"0", "1", "2"}},
		{Name: "e", Kind: parley.Integer, Min: 0, Max: 20},
	}
	space, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		t.Fatal(err)
	}
	var sum, sumPrior, sumFreq float64
	const runs = 20
	for seed := range uint64(runs) {
		r := rng.New(seed, 7)
		truth := shapedProfile(r, space)
		b := boa.NewBayesian(boa.BayesianOptions{})
		if err := b.Init(setup(t, space, 2)); err != nil {
			t.Fatal(err)
		}
		prior := concordance(rng.New(seed, 8), space, truth, b)
		f := boa.NewFrequency(boa.FrequencyOptions{})
		if err := f.Init(setup(t, space, 2)); err != nil {
			t.Fatal(err)
		}
		for _, bid := range concedingBids(r, truth, 60) {
			b.Update(bid)
			f.Update(bid)
		}
		c := concordance(rng.New(seed, 8), space, truth, b)
		if c < 0.8 {
			t.Errorf("seed %d: the model orders only %.2f of the pairs right", seed, c)
		}
		best := parley.Outcome(0)
		for o := range parley.Outcome(space.Size()) {
			if b.Utility(o) > b.Utility(best) {
				best = o
			}
		}
		// The share of outcomes the opponent likes less than the model's best.
		if q := float64(truth.Index().Search(truth.Utility(best))) / float64(space.Size()); q < 0.95 {
			t.Errorf("seed %d: the model's best outcome is better for the opponent than only %.3f of the outcomes", seed, q)
		}
		sum += c
		sumPrior += prior
		sumFreq += concordance(rng.New(seed, 8), space, truth, f)
	}
	t.Logf("mean concordance: bayesian %.3f, prior %.3f, frequency %.3f", sum/runs, sumPrior/runs, sumFreq/runs)
	if sum/runs < 0.9 || sum/runs < sumPrior/runs+0.1 {
		t.Errorf("mean concordance %.3f (prior %.3f), want at least 0.9 and 0.1 above the prior", sum/runs, sumPrior/runs)
	}
}

// TestBayesianPrefersOffered: on four binary issues, an opponent that keeps
// offering 1 on every issue and concedes only on the last one is modelled
// as liking all 1s best, all 0s least, and the last issue least.
func TestBayesianPrefersOffered(t *testing.T) {
	space := binarySpace(t, 4)
	b := boa.NewBayesian(boa.BayesianOptions{})
	if err := b.Init(setup(t, space, 2)); err != nil {
		t.Fatal(err)
	}
	// The opponent keeps offering values 1 on every issue, then concedes on
	// the last issue only.
	for k, o := range []parley.Outcome{15, 15, 14, 15, 14} {
		b.Update(parley.OfferRecord{Party: 1, Outcome: o, Time: float64(k) / 10})
	}
	best := parley.Outcome(0)
	for o := range parley.Outcome(space.Size()) {
		if b.Utility(o) > b.Utility(best) {
			best = o
		}
	}
	if best != 15 || b.Utility(15) != 1 || b.Utility(0) != 0 {
		t.Errorf("best outcome by the model %s (%.3f), want all 1s rated 1 and all 0s rated 0 (%.3f)",
			space.Format(best), b.Utility(best), b.Utility(0))
	}
	if b.Weight(3) >= b.Weight(0) {
		t.Errorf("weight of the conceded issue %.3f, not below the kept issue's %.3f", b.Weight(3), b.Weight(0))
	}
}
