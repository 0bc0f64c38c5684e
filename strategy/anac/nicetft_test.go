package anac_test

import (
	"math"
	"slices"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/strategy/anac"
	"github.com/parley-dev/parley/strategy/boa"
	"github.com/parley-dev/parley/ufun"
)

// ag1Perfect is an opponent model that knows the opponent's utility.
type ag1Perfect struct{ u func(parley.Outcome) float64 }

func (ag1Perfect) Init(*boa.Setup) error              { return nil }
func (ag1Perfect) Update(parley.OfferRecord)          {}
func (m ag1Perfect) Utility(o parley.Outcome) float64 { return m.u(o) }

// TestNiceTitForTatMirrors: Nice Tit-for-Tat concedes in its own utility
// as the opponent concedes in it. Its outcomes 0..100 are worth k/100 to it
// and 1 − k/100 to the opponent, which its (perfect) model knows, so the
// Nash point is worth 0.5 to it. It moves first; over 100 rounds its j-th
// turn is at t = j/100, and the opponent's k-th offer, worth 0.05(k + 1)
// to it, at t = (2k − 1)/200, so only the first (0.10) comes before
// t = 0.01: x0 = 0.10.
//
//   - turn 1: the gap is still 0, so myNash = 0.5·1.4 = 0.7; the opponent
//     has not conceded (c = 0), target 1, less the bonus 0.1 (0.5 − 0.4
//     for no discount) of the gap to myNash: 1 − 0.1·0.3 = 0.97;
//   - turn j ≥ 2: gap = 0.9, myNash = 0.5·(1.4 − 0.54) = 0.43, raised to
//     0.5; the opponent's best so far is 0.05(j + 1), so c = (0.05(j + 1) −
//     0.10)/(0.5 − 0.10) = (j − 1)/8, target = 1 − 0.5·(j − 1)/8, then
//     0.9·target + 0.05 after the bonus.
//
// Its bid is one of the 3 outcomes in [0.98·target, target + 0.05] that
// the model rates best, the cheapest three: worth 0.98·target rounded up
// to the percent, plus 0 to 0.02.
func TestNiceTitForTatMirrors(t *testing.T) {
	u := make([]float64, 101)
	for k := range u {
		u[k] = float64(k) / 100
	}
	_, me := ag1Ladder(t, u)
	opp := &parley.Profile{Name: "them", Space: me.Space, Utility: parley.UtilityFunc(func(o parley.Outcome) float64 { return 1 - float64(o)/100 })}
	targets := []float64{ // by turn j = 1..8, hand-computed as above
		0.97,
		0.9*(1-0.5*1/8) + 0.05, // 0.89375
		0.9*(1-0.5*2/8) + 0.05, // 0.8375
		0.9*(1-0.5*3/8) + 0.05, // 0.78125
		0.9*(1-0.5*4/8) + 0.05, // 0.725
		0.9*(1-0.5*5/8) + 0.05, // 0.66875
		0.9*(1-0.5*6/8) + 0.05, // 0.6125
		0.9*(1-0.5*7/8) + 0.05, // 0.55625
	}
	var script []parley.Outcome
	for k := 1; k <= 30; k++ {
		script = append(script, parley.Outcome(5*(k+1))) // worth 0.05(k + 1) to it
	}
	for seed := uint64(1); seed <= 4; seed++ {
		ntft := anac.NewNiceTitForTat(anac.NiceTitForTatOptions{NewModel: func() boa.OpponentModel {
			return ag1Perfect{u: opp.Utility.Utility}
		}})
		ev, _ := ag1Run(t, []*parley.Profile{me, opp}, []parley.Negotiator{ntft, &parleytest.Scripted{Actions: parleytest.Offers(script...)}}, 100, seed)
		j := 0
		for _, e := range ev {
			if e.Party != 0 {
				continue
			}
			if j == 0 {
				if e.Action != parley.Offer || e.Outcome != 100 {
					t.Fatalf("seed %d: opened with %v %d, want its best", seed, e.Action, e.Outcome)
				}
			} else if j <= len(targets) {
				got := u[e.Outcome]
				lo := math.Ceil(0.98*targets[j-1]*100-1e-9) / 100
				if e.Action != parley.Offer || got < lo-1e-9 || got > lo+0.02+1e-9 {
					t.Fatalf("seed %d: turn %d: %v worth %.2f, want an offer worth %.2f..%.2f (target %.5f)",
						seed, j, e.Action, got, lo, lo+0.02, targets[j-1])
				}
			}
			j++
		}
		if j <= len(targets) {
			t.Fatalf("seed %d: only %d turns", seed, j)
		}
		if n := ntft.Nash(); n != 0.5 {
			t.Errorf("seed %d: myNash %v, want 0.5", seed, n)
		}
	}
}

// TestNiceTitForTatNoConcessionToHardliner: against an opponent that never
// concedes, Nice Tit-for-Tat (with its Bayesian model) does not concede
// either until the time bonus starts at t = 0.91: its target stays at
// best − 0.1·(best − myNash) ≥ 0.9·best + 0.05, so every bid is worth at
// least 0.98 of that; and it never bids below 0.98·myNash. It accepts the
// hardliner's offer only from t = 0.98, when no better offer came in the
// last 1 − t of time (isAcceptable).
func TestNiceTitForTatNoConcessionToHardliner(t *testing.T) {
	_, ps := parleytest.Synthetic(t, 21, 5, 5, 4, 4)
	best := ps[0].Utility.(*ufun.Table).Index().Max()
	hard := ps[1].Utility.(*ufun.Table).Index().Best()
	for seed := uint64(1); seed <= 3; seed++ {
		ntft := anac.NewNiceTitForTat(anac.NiceTitForTatOptions{})
		ev, res := ag1Run(t, ps, []parley.Negotiator{ntft, &parleytest.Scripted{Actions: parleytest.Offers(hard)}}, 200, seed)
		if res.Agreed() && res.Time < 0.98 {
			t.Fatalf("seed %d: agreed with a hardliner at t = %.3f", seed, res.Time)
		}
		for _, e := range ev {
			if e.Party != 0 || e.Action != parley.Offer {
				continue
			}
			u := ps[0].Utility.Utility(e.Outcome)
			if e.Time < 0.91 && u < 0.98*(0.9*best+0.05)-1e-12 {
				t.Fatalf("seed %d: at t = %.3f bid %.4f, conceding to a hardliner", seed, e.Time, u)
			}
			if u < 0.98*min(0.5, best)-1e-12 {
				t.Fatalf("seed %d: at t = %.3f bid %.4f, below 0.98·myNash", seed, e.Time, u)
			}
		}
		if ntft.Target() < ntft.Nash()-1e-12 {
			t.Errorf("seed %d: final target %.4f below myNash %.4f", seed, ntft.Target(), ntft.Nash())
		}
	}
}

// TestNiceTitForTatAgainstConceder: against a conceding opponent it
// reaches an agreement, and never bids below the best the opponent has
// offered it (makeAppropriate).
func TestNiceTitForTatAgainstConceder(t *testing.T) {
	_, ps := parleytest.Synthetic(t, 9, 5, 4, 4)
	for seed := uint64(1); seed <= 3; seed++ {
		ntft := anac.NewNiceTitForTat(anac.NiceTitForTatOptions{})
		ev, res := ag1Run(t, ps, []parley.Negotiator{ntft, &parleytest.Conceder{}}, 100, seed)
		if !res.Agreed() {
			t.Fatalf("seed %d: no agreement with a conceder (%v)", seed, res.Reason)
		}
		bestOffered := math.Inf(-1)
		for _, e := range ev {
			u := ps[0].Utility.Utility(e.Outcome)
			if e.Party == 1 && e.Action == parley.Offer {
				bestOffered = max(bestOffered, u)
			}
			if e.Party == 0 && e.Action == parley.Offer && u < bestOffered-1e-12 {
				t.Fatalf("seed %d: at t = %.3f bid %.4f, below the opponent's best offer %.4f", seed, e.Time, u, bestOffered)
			}
		}
		t.Logf("seed %d: agreement in round %d worth %.3f to it (myNash %.3f), %.3f to the conceder",
			seed, res.Rounds, res.Utilities[0], ntft.Nash(), res.Utilities[1])
	}
}

func TestNiceTitForTatConformance(t *testing.T) {
	ag1Conformance(t, func() parley.Negotiator { return anac.NewNiceTitForTat(anac.NiceTitForTatOptions{}) })
}

func TestNiceTitForTatRedLines(t *testing.T) {
	ag1RedLines(t, func() parley.Negotiator { return anac.NewNiceTitForTat(anac.NiceTitForTatOptions{}) })
}

func TestNiceTitForTatAllocs(t *testing.T) {
	a := ag1Allocs(t, anac.NewNiceTitForTat(anac.NiceTitForTatOptions{}))
	t.Logf("NiceTitForTat: %v allocations per Act", a)
	if a != 0 {
		t.Errorf("%v allocations per Act, want 0", a)
	}
}

// TestAG1Large runs HardHeaded and Nice Tit-for-Tat against each other on
// a space too large to enumerate (10^8 outcomes), where they bid from a
// seeded sample and the Bayesian model remembers bids in a map: the runs
// end without error, and the same seed gives the same trace with fresh
// negotiators and with the same ones initialised again.
// (parleytest.TestNegotiator cannot be used: its Conceder opponent needs an
// enumerable space.)
func TestAG1Large(t *testing.T) {
	if testing.Short() {
		t.Skip("samples outcomes at every Init")
	}
	var issues []parley.Issue
	for i := range 8 {
		issues = append(issues, parley.Issue{Name: string(rune('a' + i)), Values: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}})
	}
	space, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		t.Fatal(err)
	}
	var ps []*parley.Profile
	for p := range 2 {
		w := make([]float64, 8)
		ev := make([][]float64, 8)
		for i := range w {
			w[i] = 1.0 / 8
			ev[i] = make([]float64, 10)
			for k := range ev[i] {
				ev[i][k] = float64(k) / 9
				if p == 1 {
					ev[i][k] = 1 - ev[i][k]
				}
			}
		}
		la, err := ufun.NewLinearAdditive(space, w, ev, 0)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, &parley.Profile{Name: string(rune('p' + p)), Space: space, Utility: la, Reservation: 0.2})
	}
	hh := anac.NewHardHeaded(anac.HardHeadedOptions{Samples: 3000})
	nt := anac.NewNiceTitForTat(anac.NiceTitForTatOptions{Samples: 3000})
	for seed := uint64(1); seed <= 2; seed++ {
		want, _ := ag1Run(t, ps, []parley.Negotiator{hh, nt}, 100, seed)
		again, _ := ag1Run(t, ps, []parley.Negotiator{hh, nt}, 100, seed)
		fresh, res := ag1Run(t, ps, []parley.Negotiator{anac.NewHardHeaded(anac.HardHeadedOptions{Samples: 3000}),
			anac.NewNiceTitForTat(anac.NiceTitForTatOptions{Samples: 3000})}, 100, seed)
		if !slices.Equal(want, again) || !slices.Equal(want, fresh) {
			t.Fatalf("seed %d: the same seed gave another trace", seed)
		}
		t.Logf("seed %d: %s in round %d, utilities %.3f", seed, res.Reason, res.Rounds, res.Utilities)
	}
}

// ag1Spy is a model that records the bids it learns from.
type ag1Spy struct{ seen *[]parley.Outcome }

func (ag1Spy) Init(*boa.Setup) error            { return nil }
func (s ag1Spy) Update(r parley.OfferRecord)    { *s.seen = append(*s.seen, r.Outcome) }
func (ag1Spy) Utility(o parley.Outcome) float64 { return 0.5 }

// TestNiceTitForTatFirstBidUnlearned: moving second, Nice Tit-for-Tat
// answers the opponent's first bid with its opening bid, and as in
// NiceTitForTat.java (chooseFirstCounterBid; the model learns only in
// chooseCounterBid) its model never sees that bid; it learns from every
// later one. With LearnFirstBid it learns from the first as well. Moving
// first, it learns from every opponent bid.
func TestNiceTitForTatFirstBidUnlearned(t *testing.T) {
	u := make([]float64, 101)
	for k := range u {
		u[k] = float64(k) / 100
	}
	_, me := ag1Ladder(t, u)
	opp := &parley.Profile{Name: "them", Space: me.Space, Utility: parley.UtilityFunc(func(o parley.Outcome) float64 { return 1 - float64(o)/100 })}
	script := parleytest.Offers(10, 11, 12, 13)
	for _, tc := range []struct {
		name   string
		first  bool // Nice Tit-for-Tat moves first
		learn1 bool
		want   []parley.Outcome
	}{
		{"second", false, false, []parley.Outcome{11, 12, 13}},
		{"second, LearnFirstBid", false, true, []parley.Outcome{10, 11, 12, 13}},
		{"first", true, false, []parley.Outcome{10, 11, 12, 13}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen []parley.Outcome
			ntft := anac.NewNiceTitForTat(anac.NiceTitForTatOptions{LearnFirstBid: tc.learn1,
				NewModel: func() boa.OpponentModel { return ag1Spy{&seen} }})
			// Four opponent bids, then the opponent ends the negotiation.
			other := &parleytest.Scripted{Actions: append(slices.Clone(script), parley.EndAction())}
			profiles, negs := []*parley.Profile{opp, me}, []parley.Negotiator{other, ntft}
			if tc.first {
				profiles, negs = []*parley.Profile{me, opp}, []parley.Negotiator{ntft, other}
			}
			ag1Run(t, profiles, negs, 100, 1)
			if !slices.Equal(seen, tc.want) {
				t.Errorf("the model learned from %v, want %v", seen, tc.want)
			}
		})
	}
}
