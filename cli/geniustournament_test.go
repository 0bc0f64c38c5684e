package cli

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/parley-dev/parley/store/sqlite"
)

// A tournament of genius-* agents runs with GENIUS's round timing, so its
// negotiations reproduce the recorded GENIUS sessions
// (../shared/reference/genius-sessions.json, England-Zimbabwe, 100 rounds,
// England moving first): the agents are deterministic, so every repetition
// and seed gives the recorded round and utilities.
func TestGeniusAgentsInTournament(t *testing.T) {
	ez := sharedScenario(t, "EnglandZimbabwe_anac2010")
	db := filepath.Join(t.TempDir(), "g.db")
	cli(t, "tournament", "--agents", "genius-boulware,genius-conceder", "--scenarios", ez,
		"--deadline", "100", "--self-play", "--reps", "2", "--db", db, "--quiet")
	want := map[[2]string]struct {
		round int
		u     [2]float64
	}{
		{"genius-boulware", "genius-boulware"}: {76, [2]float64{0.7761846271539503, 0.8208093036760165}},
		{"genius-boulware", "genius-conceder"}: {32, [2]float64{1.0, 0.4503019895329191}},
		{"genius-conceder", "genius-boulware"}: {27, [2]float64{0.49796296234067583, 1.0}},
		{"genius-conceder", "genius-conceder"}: {9, [2]float64{0.7213245115348879, 0.8590574601688448}},
	}
	st, err := sqlite.OpenReadOnly(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n := 0
	for rec, err := range st.Records(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		w, ok := want[[2]string{rec.Agents[0], rec.Agents[1]}]
		if !ok {
			t.Fatalf("unexpected pairing %v", rec.Agents)
		}
		if rec.Reason != "agreement" || rec.Rounds != w.round ||
			math.Abs(rec.Utilities[0]-w.u[0]) > 1e-12 || math.Abs(rec.Utilities[1]-w.u[1]) > 1e-12 {
			t.Errorf("%v: %s in round %d with %v; GENIUS agreed in round %d with %v", rec.Agents, rec.Reason, rec.Rounds, rec.Utilities, w.round, w.u)
		}
		n++
	}
	if n != 8 {
		t.Fatalf("%d runs stored, want 8", n)
	}
}
