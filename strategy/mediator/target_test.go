package mediator_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/strategy/mediator"
	"github.com/parley-dev/parley/ufun"
)

// deal is a two-issue scenario whose Nash and Kalai–Smorodinsky points
// differ. Issue a has five values, issue b is no/yes; outcome = 2·a + b.
// Both parties are linear-additive with weights a .8, b .2 and b: no 0,
// yes 1; on a, P1 has 1 .9 .55 .2 0 and P2 0 .45 .65 .9 1. The frontier
// is b = yes: (1, .2) (.92, .56) (.64, .72) (.36, .92) (.2, 1) for a0..a4
// (outcomes 1, 3, 5, 7, 9). With reservation values 0 the Nash products
// are .2 .5152 .4608 .3312 .2, so Nash = outcome 3 (a1, yes); the ideal
// point is (1, 1) and the smallest gains .2 .56 .64 .36 .2, so KS =
// outcome 5 (a2, yes).
//
// The mediator M values a at 0 .2 .5 1 .3 and b at 0, 1 (weights .8, .2):
// its utility of a1..a3 with b = yes is .36, .6, 1.
func deal(t *testing.T, r float64) (*parley.OutcomeSpace, []*parley.Profile, *parley.Profile) {
	t.Helper()
	space, err := parley.NewOutcomeSpace([]parley.Issue{
		{Name: "a", Values: []string{"a0", "a1", "a2", "a3", "a4"}},
		{Name: "b", Values: []string{"no", "yes"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	prof := func(name string, a []float64, r float64) *parley.Profile {
		la, err := ufun.NewLinearAdditive(space, []float64{0.8, 0.2}, [][]float64{a, {0, 1}}, 0)
		if err != nil {
			t.Fatal(err)
		}
		tab, err := ufun.NewTable(space, la)
		if err != nil {
			t.Fatal(err)
		}
		return &parley.Profile{Name: name, Space: space, Utility: tab, Reservation: r}
	}
	return space, []*parley.Profile{
		prof("P1", []float64{1, 0.9, 0.55, 0.2, 0}, r),
		prof("P2", []float64{0, 0.45, 0.65, 0.9, 1}, r),
	}, prof("M", []float64{0, 0.2, 0.5, 1, 0.3}, 0)
}

func hcs(n int) []mediated.Voter {
	vs := make([]mediated.Voter, n)
	for i := range vs {
		vs[i] = mediator.NewHillClimber()
	}
	return vs
}

func mediate(t *testing.T, ps []*parley.Profile, own *parley.Profile, opts mediated.Options, med mediated.Mediator, seed uint64) *parley.Result {
	t.Helper()
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	m, err := mediated.New(ps, names, own, opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), hcs(len(ps)), med, seed)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestSeekerKnownPoints(t *testing.T) {
	space, ps, _ := deal(t, 0)
	rep, err := analysis.Analyze(space, ps)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Nash.Outcome != 3 || rep.KalaiSmorodinsky.Outcome != 5 {
		t.Fatalf("analysis: Nash %d, KS %d; the hand computation says 3 and 5", rep.Nash.Outcome, rep.KalaiSmorodinsky.Outcome)
	}
	tests := []struct {
		name   string
		spec   string
		rule   parley.Rule
		start  parley.Outcome
		agreed parley.Outcome
		rounds int
	}{
		// (a1, no) = (.72, .36) is dominated by the Nash point (.92, .56):
		// proposed first, accepted by both, then the vote is called.
		{"nash from a dominated start", "nash", parley.RuleUnanimous, 2, 3, 1},
		{"ks from a dominated start", "ks", parley.RuleUnanimous, 4, 5, 1},
		// From (a0, yes) = (1, .2) the Nash point is worse for P1 and
		// nothing on the frontier is as good for both: it holds the text.
		{"nash outside the start's cone", "nash", parley.RuleUnanimous, 1, 1, 2},
		// From (a1, no) = (.72, .36) the KS point (.64, .72) is worse for
		// P1 (round 0); the best KS score both accept is (.92, .56) =
		// outcome 3 (round 1), after which the vote is called.
		{"ks climbs the cone", "ks", parley.RuleUnanimous, 2, 3, 2},
		// A mediator that decides imposes its target.
		{"nash imposed", "nash", parley.RuleMediator, 1, 3, 1},
		{"ks imposed", "ks", parley.RuleMediator, 8, 5, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := mediator.ParseMediator(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			res := mediate(t, ps, nil, mediated.Options{Rounds: 20, Rule: tc.rule, Info: parley.InfoFull, Start: tc.start, HasStart: true}, f(), 1)
			if res.Reason != parley.ReasonAgreement || res.Agreement != tc.agreed || res.Rounds != tc.rounds {
				t.Fatalf("%v on %d in %d rounds (%v); want %d in %d", res.Reason, res.Agreement, res.Rounds, res.Err, tc.agreed, tc.rounds)
			}
		})
	}
}

// bruteNash returns the utility vector of the outcome maximising the Nash
// product over outcomes allowed by ok that are individually rational and
// at least as good as start for everyone (start = NoOutcome: no such
// condition).
func bruteNash(space *parley.OutcomeSpace, ps []*parley.Profile, start parley.Outcome, ok func(parley.Outcome) bool) []float64 {
	var best []float64
	bs := -1.0
	for o := range parley.Outcome(space.Size()) {
		if !ok(o) {
			continue
		}
		s, w := 1.0, 0.0
		u := make([]float64, len(ps))
		fit := true
		for a, p := range ps {
			u[a] = p.Utility.Utility(o)
			fit = fit && u[a] >= p.Reservation-parley.Eps && (start == parley.NoOutcome || u[a] >= p.Utility.Utility(start)-parley.Eps)
			s *= max(u[a]-p.Reservation, 0)
			w += u[a]
		}
		if fit && (s > bs+parley.Eps || math.Abs(s-bs) <= parley.Eps && w > analysis.Welfare(best)+parley.Eps) {
			best, bs = u, s
		}
	}
	return best
}

func near(a, b []float64) bool { return len(a) == len(b) && analysis.Distance(a, b) < 1e-9 }

// TestTrustedNash: on random linear-additive scenarios a trusted (full
// information) Nash mediator that decides reaches analysis's Nash point,
// and one bound by unanimity of hill-climbers reaches the best Nash
// product among the outcomes that are at least as good for both as the
// start; red lines and locked issues are respected.
func TestTrustedNash(t *testing.T) {
	nash, _ := mediator.ParseMediator("nash")
	ks, _ := mediator.ParseMediator("ks")
	for seed := range uint64(12) {
		space, ps := parleytest.Synthetic(t, seed, 3, 4, 3, 4)
		ps[0].Reservation, ps[1].Reservation = 0.3, 0.25
		rep, err := analysis.Analyze(space, ps)
		if err != nil || rep.Nash == nil {
			t.Fatal(err)
		}
		start := parley.Outcome((seed * 37) % uint64(space.Size()))
		res := mediate(t, ps, nil, mediated.Options{Rounds: 30, Rule: parley.RuleMediator, Info: parley.InfoFull, Start: start, HasStart: true}, nash(), seed)
		if res.Agreement != rep.Nash.Outcome {
			t.Errorf("seed %d: imposed Nash mediator agreed on %d, analysis's Nash point is %d", seed, res.Agreement, rep.Nash.Outcome)
		}
		res = mediate(t, ps, nil, mediated.Options{Rounds: 30, Rule: parley.RuleMediator, Info: parley.InfoFull, Start: start, HasStart: true}, ks(), seed)
		if res.Agreement != rep.KalaiSmorodinsky.Outcome {
			t.Errorf("seed %d: imposed KS mediator agreed on %d, analysis's KS point is %d", seed, res.Agreement, rep.KalaiSmorodinsky.Outcome)
		}

		want := bruteNash(space, ps, start, func(parley.Outcome) bool { return true })
		res = mediate(t, ps, nil, mediated.Options{Rounds: 30, Info: parley.InfoFull, Start: start, HasStart: true}, nash(), seed)
		if want == nil {
			if res.Reason == parley.ReasonAgreement {
				t.Errorf("seed %d: agreement without a rational outcome in the cone", seed)
			}
		} else if res.Reason != parley.ReasonAgreement || !near(res.Utilities, want) {
			t.Errorf("seed %d: unanimity: %v with %v, want %v", seed, res.Reason, res.Utilities, want)
		}

		// A red line on the Nash point's first issue value, and issue 3
		// locked to the start's value.
		v0 := space.ValueIndex(rep.Nash.Outcome, 0)
		ps[1].Vetoes = []parley.ValueRef{{Issue: 0, Value: v0}}
		l3 := space.ValueIndex(start, 3)
		allowed := func(o parley.Outcome) bool {
			return space.ValueIndex(o, 0) != v0 && space.ValueIndex(o, 3) == l3
		}
		want = bruteNash(space, ps, parley.NoOutcome, allowed)
		res = mediate(t, ps, nil, mediated.Options{Rounds: 30, Rule: parley.RuleMediator, Info: parley.InfoFull, Start: start, HasStart: true, Locked: []int{3}}, nash(), seed)
		if want != nil && (res.Reason != parley.ReasonAgreement || !near(res.Utilities, want) || !allowed(res.Agreement)) {
			t.Errorf("seed %d: with a red line and a lock: %v on %v with %v (%v), want %v", seed, res.Reason, res.Agreement, res.Utilities, res.Err, want)
		}
		ps[1].Vetoes = nil
	}
}

// TestBiasedMediator: on the deal scenario with reservation values .3 the
// individually rational frontier is a1, a2, a3 (with b = yes): (.92, .56),
// (.64, .72), (.36, .92), Nash products .1612, .1428, .0372, and the
// mediator's utility .36, .6, 1. The score (1-α)·N/N* + α·(u_M - .36)/.64
// is highest at a1 for α ≤ .1, at a2 for α = .25 and .5, at a3 for α ≥
// .75 (a1 .75 vs a2 .7582 at α = .25; a2 .5027 vs a3 .8077 at α = .75).
func TestBiasedMediator(t *testing.T) {
	space, ps, own := deal(t, 0.3)
	rep, err := analysis.Analyze(space, ps)
	if err != nil || rep.Nash.Outcome != 3 {
		t.Fatalf("analysis: %v, Nash %v", err, rep.Nash)
	}
	prev := -1.0
	for _, tc := range []struct {
		bias   string
		target parley.Outcome
	}{{"0", 3}, {"0.1", 3}, {"0.25", 5}, {"0.5", 5}, {"0.75", 7}, {"1", 7}} {
		f, err := mediator.ParseMediator("biased:bias=" + tc.bias)
		if err != nil {
			t.Fatal(err)
		}
		// Imposed from a start no one likes.
		res := mediate(t, ps, own, mediated.Options{Rounds: 20, Rule: parley.RuleMediator, Info: parley.InfoFull, Start: 0, HasStart: true}, f(), 1)
		if res.Reason != parley.ReasonAgreement || res.Agreement != tc.target {
			t.Errorf("bias %s: %v on %d, want %d", tc.bias, res.Reason, res.Agreement, tc.target)
		}
		uM := own.Utility.Utility(res.Agreement)
		if uM < prev-parley.Eps {
			t.Errorf("bias %s: the mediator's utility fell from %v to %v", tc.bias, prev, uM)
		}
		prev = uM
	}
	// Under unanimity, from (a2, no) = (.44, .52), the parties accept a1
	// and a2 (with b = yes) but not a3 (.36 < .44 for P1): a fully biased
	// mediator lands on its favourite of those, a2.
	f, _ := mediator.ParseMediator("biased:bias=1")
	res := mediate(t, ps, own, mediated.Options{Rounds: 20, Info: parley.InfoFull, Start: 4, HasStart: true}, f(), 1)
	if res.Reason != parley.ReasonAgreement || res.Agreement != 5 {
		t.Errorf("bias 1 under unanimity: %v on %d, want 5", res.Reason, res.Agreement)
	}
	f, _ = mediator.ParseMediator("biased:bias=0")
	res = mediate(t, ps, own, mediated.Options{Rounds: 20, Info: parley.InfoFull, Start: 4, HasStart: true}, f(), 1)
	if res.Reason != parley.ReasonAgreement || res.Agreement != 3 {
		t.Errorf("bias 0 under unanimity: %v on %d, want the Nash point 3", res.Reason, res.Agreement)
	}
}

func TestSeekerInformation(t *testing.T) {
	_, ps, own := deal(t, 0.3)
	for _, spec := range []string{"nash", "ks", "biased"} {
		f, _ := mediator.ParseMediator(spec)
		res := mediate(t, ps, own, mediated.Options{Rounds: 5}, f(), 1)
		if res.Reason != parley.ReasonError || res.Party != -1 || !strings.Contains(res.Err.Error(), "needs the parties' declared preferences") {
			t.Errorf("%s without information: %v, %v", spec, res.Reason, res.Err)
		}
		// Noisy declared profiles: a target is still computed and the run
		// ends normally.
		for seed := range uint64(20) {
			res := mediate(t, ps, own, mediated.Options{Rounds: 5, Info: parley.InfoDeclared, Noise: 0.3}, f(), seed)
			if res.Reason == parley.ReasonError {
				t.Fatalf("%s with noisy declarations: %v", spec, res.Err)
			}
		}
	}
	if err := mediator.NewBiased(2).Init(context.Background(), &parley.Session{Profile: own, Declared: ps}); err == nil {
		t.Error("bias 2: no error")
	}
}
