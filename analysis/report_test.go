package analysis

import (
	"encoding/json"
	"testing"

	"github.com/parley-dev/parley"
)

func handProfiles(tb testing.TB, r1, r2 float64) (*parley.OutcomeSpace, []*parley.Profile) {
	s, ufs := handScenario(tb)
	return s, []*parley.Profile{
		{Name: "one", Space: s, Utility: ufs[0], Reservation: r1},
		{Name: "two", Space: s, Utility: ufs[1], Reservation: r2},
	}
}

// TestAnalyzeHand uses handScenario (its comment has the arithmetic).
func TestAnalyzeHand(t *testing.T) {
	s, ps := handProfiles(t, 0, 0)
	r, err := Analyze(s, ps)
	if err != nil {
		t.Fatal(err)
	}
	if r.Parties != 2 || r.Outcomes != 6 || r.Method != Minkowski || len(r.Frontier) != 4 {
		t.Errorf("report %+v", r)
	}
	if r.Nash == nil || r.Nash.Outcome != 2 || r.KalaiSmorodinsky == nil || r.KalaiSmorodinsky.Outcome != 2 {
		t.Errorf("nash %v, ks %v, want outcome 2 for both", r.Nash, r.KalaiSmorodinsky)
	}
	if r.MaxWelfare.Outcome != 2 || !near(r.Welfare, 1.3) {
		t.Errorf("max welfare %v (%v), want outcome 2 with 1.3", r.MaxWelfare, r.Welfare)
	}
	if !near(r.Opposition, 0.5) {
		t.Errorf("opposition %v, want 0.5", r.Opposition)
	}
	if named := s.Named(r.Nash.Outcome); named["i0"] != "v0" || named["i1"] != "v2" {
		t.Errorf("Nash outcome named %v, want i0=v0, i1=v2", named)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Errorf("report does not encode: %v", err)
	}

	// Outcome 3 = (0.4, 0.3). Nearest frontier point (0.8, 0.35):
	// √(.16 + .0025) = √.1625. Nash and KS (0.6, 0.7): √(.04 + .16) = √.2.
	m, err := r.Metrics([]float64{0.4, 0.3})
	if err != nil {
		t.Fatal(err)
	}
	want := Metrics{Welfare: 0.7, ParetoDistance: 0.403112887414927, NashDistance: 0.447213595499958,
		KSDistance: 0.447213595499958, HasNash: true, HasKS: true, Rational: true}
	if !near(m.Welfare, want.Welfare) || !near(m.ParetoDistance, want.ParetoDistance) ||
		!near(m.NashDistance, want.NashDistance) || !near(m.KSDistance, want.KSDistance) ||
		m.HasNash != want.HasNash || m.HasKS != want.HasKS || m.Rational != want.Rational {
		t.Errorf("metrics %+v, want %+v", m, want)
	}
	if _, err := r.Metrics([]float64{1}); err == nil {
		t.Error("metrics of a one-party vector: no error")
	}
}

// TestAnalyzeReservation: with r = (0.7, 0.3) only outcome 1 (0.8, 0.35)
// is rational, so it is the Nash and KS point; max welfare ignores r. With
// r = (0.9, 0.9) nothing is rational.
func TestAnalyzeReservation(t *testing.T) {
	s, ps := handProfiles(t, 0.7, 0.3)
	r, err := Analyze(s, ps)
	if err != nil {
		t.Fatal(err)
	}
	if r.Nash == nil || r.Nash.Outcome != 1 || r.KalaiSmorodinsky == nil || r.KalaiSmorodinsky.Outcome != 1 {
		t.Errorf("nash %v, ks %v, want outcome 1 for both", r.Nash, r.KalaiSmorodinsky)
	}
	if r.MaxWelfare.Outcome != 2 {
		t.Errorf("max welfare %v, want outcome 2", r.MaxWelfare)
	}
	if !nearVec(r.Reservation, []float64{0.7, 0.3}) {
		t.Errorf("reservation %v", r.Reservation)
	}
	// No agreement: the realised vector is r, below the frontier.
	m, err := r.Metrics(r.Reservation)
	if err != nil || !m.Rational || m.ParetoDistance <= 0 {
		t.Errorf("metrics of r: %+v, %v", m, err)
	}

	s, ps = handProfiles(t, 0.9, 0.9)
	r, err = Analyze(s, ps)
	if err != nil {
		t.Fatal(err)
	}
	if r.Nash != nil || r.KalaiSmorodinsky != nil {
		t.Errorf("nash %v, ks %v, want none", r.Nash, r.KalaiSmorodinsky)
	}
	m, err = r.Metrics([]float64{0.6, 0.7})
	if err != nil || m.HasNash || m.HasKS || m.Rational || m.ParetoDistance != 0 {
		t.Errorf("metrics %+v, %v", m, err)
	}
}

func TestAnalyzeErrors(t *testing.T) {
	s, ps := handProfiles(t, 0, 0)
	other := discrete(t, 2, 3)
	bad := *ps[0]
	bad.Reservation = 2
	foreign := *ps[0]
	foreign.Space = other
	for _, tc := range []struct {
		name  string
		space *parley.OutcomeSpace
		ps    []*parley.Profile
	}{
		{"no space", nil, ps},
		{"no profiles", s, nil},
		{"nil profile", s, []*parley.Profile{ps[0], nil}},
		{"bad reservation", s, []*parley.Profile{&bad, ps[1]}},
		{"other space", s, []*parley.Profile{&foreign, ps[1]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Analyze(tc.space, tc.ps); err == nil {
				t.Error("no error")
			}
		})
	}
}
