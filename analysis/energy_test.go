package analysis_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/scenario/genius"

	"github.com/parley-dev/parley/internal/sharedtest"
)

// sharedGenius returns the scenario folder name in the shared collection (a
// sibling of the repository root), skipping loudly when it is absent.
func sharedGenius(tb testing.TB, name string) *scenario.Scenario {
	tb.Helper()
	dir := filepath.Join("..", "..", "shared", "scenarios", "genius", name)
	if _, err := os.Stat(dir); err != nil {
		sharedtest.Skipf(tb, dir, "SKIPPING: shared scenario not found at %s (%v); its checks did not run", dir, err)
	}
	s, err := genius.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func utilityFuncs(s *scenario.Scenario) []parley.UtilityFunction {
	ufs := make([]parley.UtilityFunction, len(s.Parties))
	for i, p := range s.Parties {
		ufs[i] = p.Profile.Utility
	}
	return ufs
}

// TestEnergyA: on a real 390,625-outcome GENIUS domain the Minkowski method
// and enumeration give the same frontier, outcomes included.
func TestEnergyA(t *testing.T) {
	s := sharedGenius(t, "Energy_anac2012_A")
	if s.Space.Size() != 390625 {
		t.Fatalf("Energy A has %d outcomes, want 390625", s.Space.Size())
	}
	rep, err := analysis.Analyze(s.Space, s.Profiles())
	if err != nil || rep.Method != analysis.Minkowski {
		t.Fatalf("method %q, error %v: GENIUS linear-additive profiles must take the Minkowski path", rep.Method, err)
	}
	us, err := analysis.Utilities(s.Space, utilityFuncs(s))
	if err != nil {
		t.Fatal(err)
	}
	want, err := analysis.FrontierOf(us)
	if err != nil {
		t.Fatal(err)
	}
	got := rep.Frontier
	if len(got) != len(want) {
		t.Fatalf("Minkowski gave %d points, enumeration %d", len(got), len(want))
	}
	for k := range got {
		if got[k].Outcome != want[k].Outcome {
			t.Fatalf("point %d: outcome %d vs %d", k, got[k].Outcome, want[k].Outcome)
		}
		for i := range got[k].U {
			if math.Abs(got[k].U[i]-want[k].U[i]) > 1e-12 {
				t.Fatalf("point %d: %v vs %v", k, got[k].U, want[k].U)
			}
		}
	}
}

func BenchmarkEnergyA(b *testing.B) {
	s := sharedGenius(b, "Energy_anac2012_A")
	ufs := utilityFuncs(s)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		pts, err := analysis.Frontier(s.Space, ufs)
		if err != nil {
			b.Fatal(err)
		}
		n = len(pts)
	}
	b.ReportMetric(float64(n), "points")
}
