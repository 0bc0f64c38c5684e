package mediator_test

import (
	"context"
	"fmt"
	"math"
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

// kleinResult is what the arms reached on each scenario: u[arm][party][s]
// and welfare[arm][s] = u_A + u_B, with best[s] the scenario's largest
// welfare.
type kleinResult struct {
	arms    []kleinArm
	u       [][2][]float64
	welfare [][]float64
	best    []float64
}

// Klein, Faratin, Sayama and Bar-Yam (GDN 12(2), 2003) negotiate contracts
// of many binary issues (far more than Parley can enumerate: its outcomes
// are indexed, so we take 16 issues, 65,536 contracts, where the optimum is
// found exactly), with random pairwise-interaction utilities, a mediator
// that proposes one random single-issue change of the text per round, and
// unanimity; each run has kleinRounds proposals. kleinSeeds scenarios (each
// with its own mediator seed, the same in every arm) give the paired
// standard errors the assertions use. The two tests take about 3 s, and 25
// s under -race on a loaded two-core machine, so -short runs the prisoner's
// dilemma on kleinShortSeeds scenarios (its smallest margin is 9.5
// standard errors on all, 5.4 on those) and skips the annealing mediator
// (5 standard errors, which fewer scenarios would not show).
const (
	kleinIssues     = 16
	kleinRounds     = 1000
	kleinSeeds      = 200
	kleinShortSeeds = 80
	// kleinSE is how many standard errors of the paired difference an
	// ordering must clear.
	kleinSE = 4
)

func kleinRun(t *testing.T, arms []kleinArm) *kleinResult {
	t.Helper()
	seeds := kleinSeeds
	if testing.Short() {
		seeds = kleinShortSeeds
	}
	r := &kleinResult{arms: arms, u: make([][2][]float64, len(arms)), welfare: make([][]float64, len(arms)), best: make([]float64, seeds)}
	for j := range arms {
		r.u[j] = [2][]float64{make([]float64, seeds), make([]float64, seeds)}
		r.welfare[j] = make([]float64, seeds)
	}
	for s := range seeds {
		ps, best := kleinScenario(t, uint64(s), kleinIssues)
		r.best[s] = best
		for j, a := range arms {
			m, err := mediated.New(ps, []string{"A", "B"}, nil, mediated.Options{Rounds: kleinRounds, Rule: a.rule})
			if err != nil {
				t.Fatal(err)
			}
			res, err := m.Run(context.Background(), []mediated.Voter{a.voters[0](), a.voters[1]()}, a.med(), 1000+uint64(s))
			if err != nil || res.Reason != parley.ReasonAgreement {
				t.Fatalf("%s, seed %d: %v, %v", a.name, s, res.Reason, err)
			}
			r.u[j][0][s], r.u[j][1][s] = res.Utilities[0], res.Utilities[1]
			r.welfare[j][s] = res.Utilities[0] + res.Utilities[1]
		}
	}
	for j, a := range arms {
		share := make([]float64, seeds)
		for s := range share {
			share[s] = r.welfare[j][s] / r.best[s]
		}
		t.Logf("%-46s u_A %s  u_B %s  welfare %s  share of the optimum %s", a.name, ci(r.u[j][0]), ci(r.u[j][1]), ci(r.welfare[j]), ci(share))
	}
	return r
}

// meanSE returns the mean of xs and its standard error.
func meanSE(xs []float64) (mean, se float64) {
	n := float64(len(xs))
	for _, x := range xs {
		mean += x
	}
	mean /= n
	v := 0.0
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(v / (n - 1) / n)
}

// ci writes the mean of xs with its 95% normal interval.
func ci(xs []float64) string {
	m, se := meanSE(xs)
	return fmt.Sprintf("%.3f [%.3f, %.3f]", m, m-1.96*se, m+1.96*se)
}

// above checks that x exceeds y, paired by scenario, by more than kleinSE
// standard errors of the paired difference.
func above(t *testing.T, what string, x, y []float64) {
	t.Helper()
	d := make([]float64, len(x))
	for i := range d {
		d[i] = x[i] - y[i]
	}
	m, se := meanSE(d)
	t.Logf("%s: difference %.4f, standard error %.4f (%.1f SE)", what, m, se, m/se)
	if m <= kleinSE*se {
		t.Errorf("%s: paired difference %.4f is not above %d standard errors (SE %.4f)", what, m, kleinSE, se)
	}
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
// accept) or proposes random changes, and exaggerating (rejecting every
// gain below 0.05) costs the exaggerator under either mediator; each by
// several standard errors of the paired difference.
func TestKleinAnnealingMediator(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: needs all kleinSeeds scenarios to show its margins")
	}
	hc := must(mediator.ParseVoter("hillclimber"))
	ex := must(mediator.ParseVoter("exaggerator:gain=0.05"))
	r := kleinRun(t, []kleinArm{
		{"hill-climbing mediator, HC voters", must(mediator.ParseMediator("hillclimb")), [2]mediator.VoterFactory{hc, hc}, parley.RuleUnanimous},
		{"random mediator, HC voters", must(mediator.ParseMediator("random")), [2]mediator.VoterFactory{hc, hc}, parley.RuleUnanimous},
		{"annealing mediator, HC voters", must(mediator.ParseMediator("anneal")), [2]mediator.VoterFactory{hc, hc}, parley.RuleMediator},
		{"annealing mediator, HC A, exaggerating B", must(mediator.ParseMediator("anneal")), [2]mediator.VoterFactory{hc, ex}, parley.RuleMediator},
		{"hill-climbing mediator, HC A, exaggerating B", must(mediator.ParseMediator("hillclimb")), [2]mediator.VoterFactory{hc, ex}, parley.RuleUnanimous},
	})
	above(t, "welfare: annealing mediator over hill-climbing", r.welfare[2], r.welfare[0])
	above(t, "welfare: annealing mediator over random", r.welfare[2], r.welfare[1])
	above(t, "B truthful over exaggerating (annealing mediator)", r.u[2][1], r.u[3][1])
	above(t, "B truthful over exaggerating (hill-climbing mediator)", r.u[0][1], r.u[4][1])
}

// TestKleinPrisonersDilemma reproduces the prisoner's dilemma of Klein,
// Faratin, Sayama and Bar-Yam (GDN 2003; Faratin and Klein, Socially
// Intelligent Agents, ch. 30, Fig. 30.2; mediation.md §1) in their
// setting: a mediator proposing one random single-issue change per round,
// unanimity, and voters that hill-climb or anneal. Their payoffs (A / B)
// are 550 / 550 for two annealers, 400 / 400 for two hill-climbers and
// 180 / 700 for an annealer against a hill-climber: for each voter,
// temptation > reward > punishment > sucker's payoff (T > R > P > S), so
// hill-climbing dominates and mutual hill-climbing, the equilibrium, is
// worse for both than mutual annealing. Each of the three inequalities is
// asserted for both voters, by several standard errors of the difference
// paired by scenario.
func TestKleinPrisonersDilemma(t *testing.T) {
	hc, an := must(mediator.ParseVoter("hillclimber")), must(mediator.ParseVoter("annealer"))
	med := must(mediator.ParseMediator("random"))
	r := kleinRun(t, []kleinArm{
		{"annealer A vs annealer B", med, [2]mediator.VoterFactory{an, an}, parley.RuleUnanimous},
		{"annealer A vs hill-climber B", med, [2]mediator.VoterFactory{an, hc}, parley.RuleUnanimous},
		{"hill-climber A vs annealer B", med, [2]mediator.VoterFactory{hc, an}, parley.RuleUnanimous},
		{"hill-climber A vs hill-climber B", med, [2]mediator.VoterFactory{hc, hc}, parley.RuleUnanimous},
	})
	const aa, ah, ha, hh = 0, 1, 2, 3
	t.Logf("payoff matrix (row player A, column player B; A's / B's mean utility):")
	t.Logf("              annealer       hill-climber")
	m := func(arm, p int) float64 { x, _ := meanSE(r.u[arm][p]); return x }
	t.Logf("annealer      %.3f / %.3f  %.3f / %.3f", m(aa, 0), m(aa, 1), m(ah, 0), m(ah, 1))
	t.Logf("hill-climber  %.3f / %.3f  %.3f / %.3f", m(ha, 0), m(ha, 1), m(hh, 0), m(hh, 1))
	ratio := func(arm int) float64 { x, _ := meanSE(r.welfare[arm]); y, _ := meanSE(r.welfare[aa]); return x / y }
	t.Logf("welfare relative to two annealers: HC/HC %.3f, AN/HC %.3f, HC/AN %.3f (Klein et al.: 800/1100 = 0.727, 880/1100 = 0.800)", ratio(hh), ratio(ah), ratio(ha))
	// A: T = u(HC vs AN) > R = u(AN vs AN) > P = u(HC vs HC) > S = u(AN vs HC).
	above(t, "A: temptation over reward", r.u[ha][0], r.u[aa][0])
	above(t, "A: reward over punishment", r.u[aa][0], r.u[hh][0])
	above(t, "A: punishment over sucker's payoff", r.u[hh][0], r.u[ah][0])
	// B, the mirror image.
	above(t, "B: temptation over reward", r.u[ah][1], r.u[aa][1])
	above(t, "B: reward over punishment", r.u[aa][1], r.u[hh][1])
	above(t, "B: punishment over sucker's payoff", r.u[hh][1], r.u[ha][1])
	above(t, "welfare: two annealers over two hill-climbers", r.welfare[aa], r.welfare[hh])
}
