package anac_test

import (
	"context"
	"slices"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/strategy/anac"
)

// TestDiscountResponse: the agents whose GENIUS originals read the
// discount factor δ (HardHeaded, Nice Tit-for-Tat, CUHKAgent, Atlas3)
// give way sooner as δ falls, in the way their code implies, and those
// whose originals never read it (AgentK, PonPokoAgent, AgentGG) play
// exactly the same at every δ. Each agent plays, on a small synthetic
// scenario with both profiles discounted by δ, an opponent that offers
// its own best outcome and never accepts. The measure is the agent's
// demand: its own undiscounted utility of what it offered in each round,
// or, after it accepted, of what it accepted, averaged over the deadline's
// rounds and over 20 seeds.
//
// What the originals do with δ:
//   - HardHeaded (KLH.get_p): below δ = 0.9 the concession curve reaches
//     its floor at t = δ and then falls towards the minimum, so a lower
//     δ concedes earlier; from 0.9 up the curve is stretched over [0, δ].
//   - Nice Tit-for-Tat (NiceTitForTat.getBonus): a bonus of 0.5 − 0.4·δ
//     of the gap to the estimated Nash point is conceded beyond
//     mirroring the opponent.
//   - CUHKAgent (CUHKAgent.chooseConcedeToDiscountingDegree): the
//     concede time τ = 0.08 + 0.92·δ^β comes earlier as δ falls, and the
//     threshold falls until τ.
//   - Atlas3 (etc/strategy.java updateGameMatrix): the final-offer
//     game's payoffs carry δ, so its threshold is lower and it accepts
//     sooner as δ falls.
func TestDiscountResponse(t *testing.T) {
	deltas := []float64{1, 0.6, 0.3}
	cases := []struct {
		name     string
		new      func() parley.Negotiator
		responds bool // the original reads δ
	}{
		{"hardheaded", func() parley.Negotiator { return anac.NewHardHeaded(anac.HardHeadedOptions{}) }, true},
		{"nicetft", func() parley.Negotiator { return anac.NewNiceTitForTat(anac.NiceTitForTatOptions{}) }, true},
		{"cuhkagent", func() parley.Negotiator { return anac.NewCUHK(anac.CUHKOptions{}) }, true},
		{"atlas3", func() parley.Negotiator { return anac.NewAtlas3(anac.Atlas3Options{}) }, true},
		{"agentk", func() parley.Negotiator { return anac.NewAgentK(anac.AgentKOptions{}) }, false},
		{"ponpoko", func() parley.Negotiator { return anac.NewPonPoko(anac.PonPokoOptions{}) }, false},
		{"agentgg", func() parley.Negotiator { return anac.NewAgentGG(anac.AgentGGOptions{}) }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			demand := make([]float64, len(deltas))
			traces := make([][]parley.Event, len(deltas))
			for i, d := range deltas {
				demand[i], traces[i] = discountDemand(t, c.new, d)
			}
			t.Logf("demand at δ = %v: %.4f", deltas, demand)
			for i := 1; i < len(deltas); i++ {
				if c.responds {
					// The smallest step measured is HardHeaded's from
					// δ = 1 to 0.6, 0.030.
					if demand[i] > demand[i-1]-0.01 {
						t.Errorf("demand %.4f at δ = %v, %.4f at δ = %v: want it lower by at least 0.01 at the lower δ",
							demand[i-1], deltas[i-1], demand[i], deltas[i])
					}
				} else if !slices.Equal(traces[i], traces[0]) {
					t.Errorf("the trace at δ = %v differs from the one at δ = %v; the original ignores δ", deltas[i], deltas[0])
				}
			}
		})
	}
}

// discountDemand plays newAgent (party 0) against an opponent that
// offers its best outcome and never accepts, on a synthetic scenario
// discounted by d, 100 rounds, for seeds 1 to 20, and returns the agent's
// mean demand (TestDiscountResponse) and the trace of the first seed.
func discountDemand(t *testing.T, newAgent func() parley.Negotiator, d float64) (float64, []parley.Event) {
	t.Helper()
	const deadline, seeds = 100, 20
	space, ps := parleytest.Synthetic(t, 5, 6, 5, 4, 4)
	for _, p := range ps {
		p.Discount = d
	}
	best, bu := parley.Outcome(0), -1.0
	for o := range parley.Outcome(space.Size()) {
		if u := ps[1].Utility.Utility(o); u > bu {
			best, bu = o, u
		}
	}
	var trace []parley.Event
	m, err := sao.New(ps, []string{"agent", "hardliner"}, sao.Options{Deadline: deadline,
		Trace: func(e parley.Event) { trace = append(trace, e) }})
	if err != nil {
		t.Fatal(err)
	}
	var first []parley.Event
	var mean float64
	for seed := uint64(1); seed <= seeds; seed++ {
		trace = trace[:0]
		hardliner := &parleytest.Scripted{Actions: parleytest.Offers(best)}
		if _, err := m.Run(context.Background(), []parley.Negotiator{newAgent(), hardliner}, seed); err != nil {
			t.Fatal(err)
		}
		if seed == 1 {
			first = slices.Clone(trace)
		}
		var sum float64
		rounds := 0
		for _, e := range trace {
			if e.Party != 0 {
				continue
			}
			switch e.Action {
			case parley.Offer:
				sum += ps[0].Utility.Utility(e.Outcome)
				rounds++
			case parley.Accept:
				// It keeps what it accepted for the rounds left.
				sum += float64(deadline-rounds) * ps[0].Utility.Utility(e.Outcome)
				rounds = deadline
			}
		}
		// Rounds not played after a walk-out are worth the reservation
		// value, 0.
		mean += sum / deadline / seeds
	}
	return mean, first
}
