package mediator_test

import (
	"context"
	"fmt"
	"math/bits"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/strategy/mediator"
	"github.com/parley-dev/parley/ufun"
)

// kleinScenario builds a non-linear contract space after Klein, Faratin,
// Sayama and Bar-Yam ("Negotiating Complex Contracts", GDN 12(2), 2003;
// mediation.md §1): k binary issues, and for each of two agents a utility
// that sums interaction terms c_ij·s_i·s_j (i ≤ j, so c_ii are the single
// issues' own values) over the issues switched on, with every c_ij drawn
// uniformly from [-1, 1] and independently per agent, then rescaled to
// [0,1] over the whole space. Issue i is bit k-1-i of the outcome index.
// It also returns the largest social welfare u_0 + u_1 of any outcome.
func kleinScenario(tb testing.TB, seed uint64, k int) ([]*parley.Profile, float64) {
	tb.Helper()
	issues := make([]parley.Issue, k)
	for i := range issues {
		issues[i] = parley.Issue{Name: fmt.Sprintf("i%d", i), Values: []string{"off", "on"}}
	}
	space, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		tb.Fatal(err)
	}
	r := rng.New(seed, 7)
	n := space.Size()
	ps := make([]*parley.Profile, 2)
	for a := range ps {
		// c[b][d] over bit positions b ≤ d (bit b is issue k-1-b).
		c := make([][]float64, k)
		for b := range c {
			c[b] = make([]float64, k)
		}
		for b := range c {
			for d := b; d < k; d++ {
				c[b][d] = 2*r.Float64() - 1
				c[d][b] = c[b][d]
			}
		}
		u := make([]float64, n)
		lo, hi := 0.0, 0.0
		for x := 1; x < n; x++ {
			// Add the lowest set bit b to x without it: its own term and
			// its interactions with the rest.
			b := bits.TrailingZeros(uint(x))
			rest := x &^ (1 << b)
			s := u[rest] + c[b][b]
			for y := rest; y != 0; y &= y - 1 {
				s += c[b][bits.TrailingZeros(uint(y))]
			}
			u[x] = s
			lo, hi = min(lo, s), max(hi, s)
		}
		for x := range u {
			u[x] = (u[x] - lo) / (hi - lo)
		}
		t, err := ufun.NewTable(space, parley.UtilityFunc(func(o parley.Outcome) float64 { return u[o] }))
		if err != nil {
			tb.Fatal(err)
		}
		ps[a] = &parley.Profile{Name: fmt.Sprintf("agent%d", a), Space: space, Utility: t}
	}
	best := 0.0
	for o := range parley.Outcome(n) {
		best = max(best, ps[0].Utility.Utility(o)+ps[1].Utility.Utility(o))
	}
	return ps, best
}

// kleinArm is one combination of mediator, voters and rule.
type kleinArm struct {
	name   string
	med    mediator.MediatorFactory
	voters [2]mediator.VoterFactory
	rule   parley.Rule
}

// kleinStats are the mean final utilities of an arm over the scenarios.
type kleinStats struct {
	u       [2]float64
	welfare float64
	optimal float64 // mean welfare / best welfare
}

const (
	kleinIssues = 16
	kleinRounds = 1000
	kleinSeeds  = 100
)

func kleinRun(t *testing.T, arms []kleinArm) []kleinStats {
	t.Helper()
	out := make([]kleinStats, len(arms))
	for s := range uint64(kleinSeeds) {
		ps, best := kleinScenario(t, s, kleinIssues)
		for j, a := range arms {
			m, err := mediated.New(ps, []string{"A", "B"}, nil, mediated.Options{Rounds: kleinRounds, Rule: a.rule})
			if err != nil {
				t.Fatal(err)
			}
			res, err := m.Run(context.Background(), []mediated.Voter{a.voters[0](), a.voters[1]()}, a.med(), 1000+s)
			if err != nil || res.Reason != parley.ReasonAgreement {
				t.Fatalf("%s, seed %d: %v, %v", a.name, s, res.Reason, err)
			}
			w := res.Utilities[0] + res.Utilities[1]
			out[j].u[0] += res.Utilities[0] / kleinSeeds
			out[j].u[1] += res.Utilities[1] / kleinSeeds
			out[j].welfare += w / kleinSeeds
			out[j].optimal += w / best / kleinSeeds
		}
	}
	for j, a := range arms {
		t.Logf("%-46s u_A %.3f  u_B %.3f  welfare %.3f  (%.1f%% of the optimum)", a.name, out[j].u[0], out[j].u[1], out[j].welfare, 100*out[j].optimal)
	}
	return out
}

func must[F any](f F, err error) F {
	if err != nil {
		panic(err)
	}
	return f
}

// TestKleinAnnealingMediator reproduces the qualitative result of Klein,
// Faratin and Bar-Yam (AMEC-IV 2002; mediation.md §1): on non-linear
// contracts, with truthful hill-climbing voters, a mediator that anneals
// (adopts some rejected proposals early, fewer and fewer later) reaches a
// higher social welfare than one that hill-climbs (keeps only what both
// accept), over many scenarios and seeds.
func TestKleinAnnealingMediator(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	hc := must(mediator.ParseVoter("hillclimber"))
	arms := []kleinArm{
		{"hill-climbing mediator, HC voters", must(mediator.ParseMediator("hillclimb")), [2]mediator.VoterFactory{hc, hc}, parley.RuleUnanimous},
		{"random mediator, HC voters", must(mediator.ParseMediator("random")), [2]mediator.VoterFactory{hc, hc}, parley.RuleUnanimous},
		{"annealing mediator, HC voters", must(mediator.ParseMediator("anneal")), [2]mediator.VoterFactory{hc, hc}, parley.RuleMediator},
		{"annealing mediator, HC A, exaggerating B", must(mediator.ParseMediator("anneal")), [2]mediator.VoterFactory{hc, must(mediator.ParseVoter("exaggerator:gain=0.05"))}, parley.RuleMediator},
		{"hill-climbing mediator, HC A, exaggerating B", must(mediator.ParseMediator("hillclimb")), [2]mediator.VoterFactory{hc, must(mediator.ParseVoter("exaggerator:gain=0.05"))}, parley.RuleUnanimous},
	}
	st := kleinRun(t, arms)
	if d := st[2].welfare - st[0].welfare; d < 0.03 {
		t.Errorf("annealing mediator welfare %.3f, hill-climbing %.3f: gain %.3f, want at least 0.03", st[2].welfare, st[0].welfare, d)
	}
	if d := st[2].welfare - st[1].welfare; d < 0.03 {
		t.Errorf("annealing mediator welfare %.3f, random %.3f: gain %.3f, want at least 0.03", st[2].welfare, st[1].welfare, d)
	}
	// Klein et al. report that the annealing mediator makes truthful
	// voting the agents' best strategy; here exaggerating (rejecting every
	// gain below 0.05) costs B utility under either mediator.
	if st[3].u[1] > st[2].u[1]-0.02 || st[4].u[1] > st[0].u[1]-0.02 {
		t.Errorf("B exaggerating: %.3f (annealing) and %.3f (hill-climbing) vs truthful %.3f and %.3f; want truthful better",
			st[3].u[1], st[4].u[1], st[2].u[1], st[0].u[1])
	}
}

// TestKleinPrisonersDilemma reproduces the prisoner's dilemma of Faratin
// and Klein (Socially Intelligent Agents, ch. 30, Fig. 30.2; mediation.md
// §1) with a hill-climbing mediator: two annealing voters reach a higher
// welfare than two hill-climbers, but hill-climbing is each voter's
// dominant strategy.
func TestKleinPrisonersDilemma(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	hc, an := must(mediator.ParseVoter("hillclimber")), must(mediator.ParseVoter("annealer"))
	med := must(mediator.ParseMediator("hillclimb"))
	arms := []kleinArm{
		{"annealer A vs annealer B", med, [2]mediator.VoterFactory{an, an}, parley.RuleUnanimous},
		{"annealer A vs hill-climber B", med, [2]mediator.VoterFactory{an, hc}, parley.RuleUnanimous},
		{"hill-climber A vs annealer B", med, [2]mediator.VoterFactory{hc, an}, parley.RuleUnanimous},
		{"hill-climber A vs hill-climber B", med, [2]mediator.VoterFactory{hc, hc}, parley.RuleUnanimous},
	}
	st := kleinRun(t, arms)
	aa, ah, ha, hh := st[0], st[1], st[2], st[3]
	t.Logf("payoff matrix (row player A, column player B; A's / B's mean utility):")
	t.Logf("              annealer       hill-climber")
	t.Logf("annealer      %.3f / %.3f  %.3f / %.3f", aa.u[0], aa.u[1], ah.u[0], ah.u[1])
	t.Logf("hill-climber  %.3f / %.3f  %.3f / %.3f", ha.u[0], ha.u[1], hh.u[0], hh.u[1])
	const margin = 0.03
	if aa.welfare < hh.welfare+margin {
		t.Errorf("welfare: annealers %.3f, hill-climbers %.3f; want annealers higher by %v", aa.welfare, hh.welfare, margin)
	}
	// Hill-climbing dominates: against an annealer and against a
	// hill-climber, A does better by hill-climbing (and so does B).
	if ha.u[0] < aa.u[0]+margin || hh.u[0] < ah.u[0]+margin {
		t.Errorf("A: hill-climbing %.3f vs annealing %.3f against an annealer, %.3f vs %.3f against a hill-climber; want hill-climbing better",
			ha.u[0], aa.u[0], hh.u[0], ah.u[0])
	}
	if ah.u[1] < aa.u[1]+margin || hh.u[1] < ha.u[1]+margin {
		t.Errorf("B: hill-climbing %.3f vs annealing %.3f against an annealer, %.3f vs %.3f against a hill-climber; want hill-climbing better",
			ah.u[1], aa.u[1], hh.u[1], ha.u[1])
	}
}
