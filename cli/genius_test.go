package cli

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/sharedtest"
	"github.com/parley-dev/parley/tracefile"
)

// recordedSession is one session of shared/reference/genius-sessions.json.
type recordedSession struct {
	Scenario   string            `json:"scenario"`
	Profiles   []string          `json:"profiles"`
	Agents     []string          `json:"agents"`
	Deadline   int               `json:"deadline_rounds"`
	Round      int               `json:"agreement_round"`
	AcceptedBy string            `json:"accepted_by"`
	Bid        map[string]string `json:"agreed_bid"`
	Utility    []float64         `json:"utility"`
	Discounted []float64         `json:"discounted_utility"`
}

// recordedSessions reads the recorded GENIUS sessions, skipping loudly when
// the shared data is absent.
func recordedSessions(t *testing.T) []recordedSession {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "reference", "genius-sessions.json")
	data, err := os.ReadFile(p)
	if err != nil {
		sharedtest.Skipf(t, p, "SKIPPING: recorded GENIUS sessions absent (%v): GENIUS compatibility of 'parley run' NOT checked", err)
	}
	var f struct {
		Sessions []recordedSession `json:"sessions"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	return f.Sessions
}

// TestRunReplaysGeniusSession runs recorded GENIUS sessions through
// 'parley run DOMAIN --profiles A,B --agents genius-...,genius-... --json'
// and compares the round, the accepting party, the agreement and the
// (discounted) utilities.
func TestRunReplaysGeniusSession(t *testing.T) {
	sessions := recordedSessions(t)
	agents := map[string]string{"Boulware": "genius-boulware", "Conceder": "genius-conceder", "Hardliner": "genius-hardliner"}
	// England-Zimbabwe Boulware-Conceder (D = 100) and Itex-Cypress
	// Hardliner-Boulware (D = 1000), whatever their index in the file.
	picked := 0
	for _, s := range sessions {
		if !(s.Deadline == 100 && reflect.DeepEqual(s.Agents, []string{"Boulware", "Conceder"}) && s.Profiles[0] == "England.xml") &&
			!(s.Deadline == 1000 && reflect.DeepEqual(s.Agents, []string{"Hardliner", "Boulware"}) && s.Profiles[0] == "ItexvsCypress_Cypress.xml") {
			continue
		}
		picked++
		dir := sharedScenario(t, filepath.Base(s.Scenario))
		doms, _ := filepath.Glob(filepath.Join(dir, "*domain*.xml"))
		if len(doms) != 1 {
			t.Fatalf("%s: domain files %v", dir, doms)
		}
		out := cli(t, "run", doms[0],
			"--profiles", filepath.Join(dir, s.Profiles[0])+","+filepath.Join(dir, s.Profiles[1]),
			"--agents", agents[s.Agents[0]]+","+agents[s.Agents[1]], "--deadline", strconv.Itoa(s.Deadline), "--json")
		var j tracefile.Run
		if err := json.Unmarshal([]byte(out), &j); err != nil {
			t.Fatal(err)
		}
		names := []string{strings.TrimSuffix(s.Profiles[0], ".xml"), strings.TrimSuffix(s.Profiles[1], ".xml")}
		if !reflect.DeepEqual(j.Parties, names) {
			t.Fatalf("parties %v, want %v", j.Parties, names)
		}
		wantBy := names[0]
		if s.AcceptedBy == "P2" {
			wantBy = names[1]
		}
		if j.Timing != "genius" || j.Reason != "agreement" || j.Rounds != s.Round || j.AcceptedBy == nil || *j.AcceptedBy != wantBy {
			t.Errorf("%v: timing %q, %s in round %d accepted by %v; want genius timing, agreement in round %d accepted by %s",
				s.Agents, j.Timing, j.Reason, j.Rounds, j.AcceptedBy, s.Round, wantBy)
		}
		got := map[string]string{}
		for k, v := range j.Agreement {
			got[k] = fmt.Sprint(v)
		}
		if !reflect.DeepEqual(got, s.Bid) {
			t.Errorf("%v: agreement %v, want %v", s.Agents, j.Agreement, s.Bid)
		}
		for i, n := range names {
			if math.Abs(j.Utilities[n]-s.Utility[i]) > 1e-12 || math.Abs(j.DiscountedUtilities[n]-s.Discounted[i]) > 1e-12 {
				t.Errorf("%v: %s utility %v (discounted %v), want %v (%v)", s.Agents, n,
					j.Utilities[n], j.DiscountedUtilities[n], s.Utility[i], s.Discounted[i])
			}
		}
	}
	if picked != 2 {
		t.Fatalf("found %d of the 2 sessions to replay", picked)
	}
}

// TestRunTiming: GENIUS timing is chosen when every agent is a genius-*
// agent, --timing overrides it, and a bad value is a usage error.
func TestRunTiming(t *testing.T) {
	timing := func(args ...string) (string, float64) {
		var j tracefile.Run
		if err := json.Unmarshal([]byte(cli(t, append([]string{"run", "ceasefire", "--protocol", "sao", "--deadline", "10", "--json"}, args...)...)), &j); err != nil {
			t.Fatal(err)
		}
		return j.Timing, j.Time
	}
	// The ceasefire's genius-hardliners never agree: the run ends at the
	// deadline, at t = D/(D+1) with GENIUS timing and t = 1 without.
	tests := []struct {
		args   []string
		timing string
		time   float64
	}{
		{[]string{"--agents", "genius-hardliner"}, "genius", 10.0 / 11},
		{[]string{"--agents", "genius-hardliner", "--timing", "steps"}, "steps", 1},
		{[]string{"--agents", "hardliner", "--timing", "GENIUS"}, "genius", 10.0 / 11},
		{[]string{"--agents", "hardliner"}, "steps", 1},
	}
	for _, tc := range tests {
		if got, tm := timing(tc.args...); got != tc.timing || tm != tc.time {
			t.Errorf("%v: timing %q at t = %v, want %q at t = %v", tc.args, got, tm, tc.timing, tc.time)
		}
	}
	if _, stderr, code := exe(t, "run", "ceasefire", "--protocol", "sao", "--timing", "wall"); code != 2 || !strings.Contains(stderr, `--timing "wall"`) {
		t.Errorf("--timing wall: exit %d, stderr %q; want a usage error", code, stderr)
	}
}
