package genius

import (
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/parley-dev/parley"

	"github.com/parley-dev/parley/internal/sharedtest"
)

// sharedScenarios returns the folder of real GENIUS scenarios in shared/
// beside the repository, or skips loudly.
func sharedScenarios(tb testing.TB) string {
	tb.Helper()
	return sharedtest.Path(tb, "scenarios/genius")
}

// TestSharedScenarios reads every real scenario, checks its outcome count,
// that sampled utilities lie in [0,1], that it loads fast, and that Write
// gives back the same utilities.
func TestSharedScenarios(t *testing.T) {
	root := sharedScenarios(t)
	want := map[string]int{
		"EnglandZimbabwe_anac2010":           576,
		"Energy_anac2012_A":                  390625,
		"ItexvsCypress_anac2010":             180,
		"EnergyGrid_anac2016_integer_3party": 5764801,
		"Nonlinear10issuesDiscRV_anac2014":   10_000_000_000,
		"Kitchen_anac2013":                   15625,
		"PartyDomain_multiparty":             3072,
		"Politics_anac2015_3party":           23040,
		"SON_real_discount":                  21 * 21 * 21 * 21,
		"Travel_anac2010":                    188160,
	}
	dirs, err := filepath.Glob(filepath.Join(root, "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no scenarios in %s: %v", root, err)
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			s, err := ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if el := time.Since(start); el > 50*time.Millisecond {
				t.Logf("slow load: %v", el) // timing is reported, never asserted
			}
			if n, ok := want[name]; ok && s.Space.Size() != n {
				t.Errorf("%d outcomes, want %d", s.Space.Size(), n)
			}
			if s.Name != name {
				t.Errorf("name %q", s.Name)
			}
			rng := rand.New(rand.NewPCG(1, uint64(len(name))))
			for range 2000 {
				o := parley.Outcome(rng.IntN(s.Space.Size()))
				for _, p := range s.Parties {
					if u := p.Profile.Utility.Utility(o); !(u >= 0 && u <= 1) {
						t.Fatalf("%s: U(%s) = %v outside [0,1]", p.Name, s.Space.Format(o), u)
					}
				}
			}
			roundTrip(t, s, 200_000)
		})
	}
}

// TestEnglandKnownValue compares one utility with the value computed by hand
// from EnglandZimbabwe_anac2010/England.xml.
func TestEnglandKnownValue(t *testing.T) {
	s, err := ReadDir(filepath.Join(sharedScenarios(t), "EnglandZimbabwe_anac2010"))
	if err != nil {
		t.Fatal(err)
	}
	o := outcome(t, s.Space,
		"$50 Billion",                   // evaluation 7, best 9
		"Reduction equal to fund size",  // 8 of 8
		"No agreement",                  // 7 of 12
		"England will increase imports", // 1 of 10
		"Creation of committee to discuss creation of fund") // 10 of 10
	w := []float64{0.3031462333758278, 0.303346839835533, 0.049028952379678074, 0.04904500802207314, 0.29543296638688804}
	sum := w[0] + w[1] + w[2] + w[3] + w[4]
	want := (w[0]*7/9 + w[1]*1 + w[2]*7/12 + w[3]*0.1 + w[4]*1) / sum
	if got := party(t, s, "England").Utility.Utility(o); !near(got, want) {
		t.Errorf("England U = %.15g, want %.15g", got, want)
	}
	if r := party(t, s, "England").Reservation; r != 0 {
		t.Errorf("reservation %v", r)
	}
}

// BenchmarkReadDir reads each real scenario (without utility tables).
func BenchmarkReadDir(b *testing.B) {
	dirs, _ := filepath.Glob(filepath.Join(sharedScenarios(b), "*"))
	for _, dir := range dirs {
		b.Run(filepath.Base(dir), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ReadDir(dir); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
