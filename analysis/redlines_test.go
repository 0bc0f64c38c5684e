package analysis_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/ufun"
)

// randomScenario builds random linear-additive profiles (as tables, like a
// prepared scenario, or plain) with random red lines.
func randomScenario(t *testing.T, r *rand.Rand, parties int, table bool) (*parley.OutcomeSpace, []*parley.Profile) {
	t.Helper()
	var issues []parley.Issue
	for i := range 2 + r.IntN(3) {
		n := 2 + r.IntN(4)
		vals := make([]string, n)
		for k := range vals {
			vals[k] = fmt.Sprint("v", k)
		}
		issues = append(issues, parley.Issue{Name: fmt.Sprint("i", i), Values: vals})
	}
	space, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		t.Fatal(err)
	}
	var ps []*parley.Profile
	for a := range parties {
		w := make([]float64, len(issues))
		ev := make([][]float64, len(issues))
		sum := 0.0
		for i := range issues {
			w[i] = r.Float64() + 0.01
			sum += w[i]
			ev[i] = make([]float64, issues[i].Size())
			for k := range ev[i] {
				ev[i][k] = float64(r.IntN(5)) / 4 // ties on purpose
			}
		}
		for i := range w {
			w[i] /= sum
		}
		la, err := ufun.NewLinearAdditive(space, w, ev, 0)
		if err != nil {
			t.Fatal(err)
		}
		var uf parley.UtilityFunction = la
		if table {
			if uf, err = ufun.NewTable(space, la); err != nil {
				t.Fatal(err)
			}
		}
		p := &parley.Profile{Name: fmt.Sprint("p", a), Space: space, Utility: uf, Reservation: 0.2 * r.Float64()}
		for range r.IntN(3) {
			i := r.IntN(len(issues))
			p.Vetoes = append(p.Vetoes, parley.ValueRef{Issue: i, Value: r.IntN(issues[i].Size())})
		}
		ps = append(ps, p)
	}
	return space, ps
}

// bruteFrontier is the O(n²) frontier of the outcomes that cross no red
// line, as sorted utility-vector strings.
func bruteFrontier(space *parley.OutcomeSpace, ps []*parley.Profile) []string {
	var feas [][]float64
	for o := range space.Size() {
		ok := true
		for _, p := range ps {
			ok = ok && !p.Vetoed(parley.Outcome(o))
		}
		if !ok {
			continue
		}
		u := make([]float64, len(ps))
		for a, p := range ps {
			u[a] = p.Utility.Utility(parley.Outcome(o))
		}
		feas = append(feas, u)
	}
	var out []string
	for _, u := range feas {
		dominated := false
		for _, v := range feas {
			ge, gt := true, false
			for a := range u {
				ge = ge && v[a] >= u[a]-1e-12
				gt = gt || v[a] > u[a]+1e-12
			}
			dominated = dominated || (ge && gt)
		}
		if !dominated {
			out = append(out, key(u))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func key(u []float64) string {
	var b strings.Builder
	for _, x := range u {
		fmt.Fprintf(&b, "%.9f ", x)
	}
	return b.String()
}

// With red lines, Analyze's frontier is exactly the frontier of the
// outcomes nobody vetoes (checked by brute force), through the Minkowski
// path for additive profiles and by enumeration otherwise; no reported
// point crosses a red line; IgnoreRedLines gives the unrestricted frontier.
func TestRedLinesFrontier(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for trial := range 200 {
		parties := 2 + trial%2
		space, ps := randomScenario(t, r, parties, trial%3 == 0)
		rep, err := analysis.Analyze(space, ps)
		if err != nil {
			if strings.Contains(err.Error(), "red line") {
				continue // every value of some issue vetoed
			}
			t.Fatal(err)
		}
		var got []string
		for _, p := range rep.Frontier {
			for _, pr := range ps {
				if pr.Vetoed(p.Outcome) {
					t.Fatalf("trial %d: frontier outcome %s crosses %s's red line", trial, space.Format(p.Outcome), pr.Name)
				}
			}
			for a, pr := range ps {
				if math.Abs(pr.Utility.Utility(p.Outcome)-p.U[a]) > 1e-12 {
					t.Fatalf("trial %d: point utilities do not belong to its outcome", trial)
				}
			}
			got = append(got, key(p.U))
		}
		slices.Sort(got)
		if want := bruteFrontier(space, ps); !slices.Equal(got, want) {
			t.Fatalf("trial %d (%d parties): frontier %v, brute force %v", trial, parties, got, want)
		}
		if rep.Nash != nil {
			for _, pr := range ps {
				if pr.Vetoed(rep.Nash.Outcome) {
					t.Fatalf("trial %d: Nash point crosses a red line", trial)
				}
			}
		}
		all, err := analysis.AnalyzeWith(space, ps, analysis.Options{IgnoreRedLines: true})
		if err != nil {
			t.Fatal(err)
		}
		if all.Feasible != space.Size() || (rep.ExcludedValues > 0) != (rep.Feasible < space.Size()) {
			t.Fatalf("trial %d: feasible %d/%d, excluded %d", trial, rep.Feasible, all.Feasible, rep.ExcludedValues)
		}
	}
}
