package geniuscompat_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/scenario/genius"
	"github.com/parley-dev/parley/strategy/geniuscompat"

	"github.com/parley-dev/parley/internal/sharedtest"
)

// session is one recorded GENIUS session of
// shared/reference/genius-sessions.json.
type session struct {
	Scenario   string            `json:"scenario"`
	Profiles   []string          `json:"profiles"`
	Agents     []string          `json:"agents"`
	Deadline   int               `json:"deadline_rounds"`
	Agreement  bool              `json:"agreement"`
	Round      int               `json:"agreement_round"`
	Turn       int               `json:"agreement_turn"`
	AcceptedBy string            `json:"accepted_by"`
	Bid        map[string]string `json:"agreed_bid"`
	Utility    []float64         `json:"utility"`
	Discounted []float64         `json:"discounted_utility"`
}

func (s *session) String() string {
	return fmt.Sprintf("%s %v %v D=%d", filepath.Base(s.Scenario), s.Profiles, s.Agents, s.Deadline)
}

// sharedDir returns the shared/ folder beside the repository root, or
// skips the test loudly when the recorded GENIUS sessions are absent.
func sharedDir(tb testing.TB) string {
	tb.Helper()
	return sharedtest.Dir(tb, "reference/genius-sessions.json")
}

// loadSessions reads the recorded sessions.
func loadSessions(tb testing.TB) (string, []session) {
	tb.Helper()
	shared := sharedDir(tb)
	data, err := os.ReadFile(filepath.Join(shared, "reference", "genius-sessions.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var f struct {
		Sessions []session `json:"sessions"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		tb.Fatal(err)
	}
	return shared, f.Sessions
}

// readScenario reads the session's domain and profiles, in session order.
func readScenario(tb testing.TB, shared string, s *session) *scenario.Prepared {
	tb.Helper()
	dir := filepath.Join(shared, s.Scenario)
	doms, err := filepath.Glob(filepath.Join(dir, "*domain*.xml"))
	if err != nil || len(doms) != 1 {
		tb.Fatalf("%s: want one domain file, found %v (%v)", dir, doms, err)
	}
	var profs []string
	for _, p := range s.Profiles {
		profs = append(profs, filepath.Join(dir, p))
	}
	sc, err := genius.ReadFiles(doms[0], profs)
	if err != nil {
		tb.Fatal(err)
	}
	ready, err := sc.Prepare()
	if err != nil {
		tb.Fatal(err)
	}
	return ready
}

// agent returns the GENIUS-compatible negotiator for a recorded agent name.
func agent(tb testing.TB, name string) parley.Negotiator {
	switch name {
	case "Boulware":
		return geniuscompat.NewBoulware()
	case "Conceder":
		return geniuscompat.NewConceder()
	case "Hardliner":
		return geniuscompat.NewHardliner()
	}
	tb.Fatalf("unknown recorded agent %q", name)
	return nil
}

// TestRecordedSessions replays every recorded GENIUS session and requires
// the same agreement round, turn, accepting party, agreed bid, utilities and
// discounted utilities (within 1e-12).
func TestRecordedSessions(t *testing.T) {
	shared, sessions := loadSessions(t)
	if len(sessions) != 48 {
		t.Errorf("%d recorded sessions, want 48", len(sessions))
	}
	for i := range sessions {
		s := &sessions[i]
		t.Run(fmt.Sprintf("%02d", i), func(t *testing.T) {
			sc := readScenario(t, shared, s)
			m, err := sao.New(sc.Profiles(), sc.Names(), sao.Options{Deadline: s.Deadline, Timing: sao.TimingGENIUS})
			if err != nil {
				t.Fatal(err)
			}
			negs := []parley.Negotiator{agent(t, s.Agents[0]), agent(t, s.Agents[1])}
			res, err := m.Run(context.Background(), negs, 1)
			if err != nil {
				t.Fatal(err)
			}
			if res.Agreed() != s.Agreement {
				t.Fatalf("%v: agreement %v (%v), want %v", s, res.Agreed(), res.Reason, s.Agreement)
			}
			if s.Agreement {
				turn := (res.Steps-1)%2 + 1
				by := fmt.Sprintf("P%d", res.Party+1)
				if res.Rounds != s.Round || turn != s.Turn || by != s.AcceptedBy {
					t.Errorf("%v: accepted by %s in round %d turn %d, want %s in round %d turn %d",
						s, by, res.Rounds, turn, s.AcceptedBy, s.Round, s.Turn)
				}
				if got := sc.Space().Named(res.Agreement); !equalBids(got, s.Bid) {
					t.Errorf("%v: agreed %v, want %v", s, got, s.Bid)
				}
			} else if res.Rounds != s.Deadline {
				t.Errorf("%v: ended in round %d, want the deadline %d", s, res.Rounds, s.Deadline)
			}
			for p := range 2 {
				if math.Abs(res.Utilities[p]-s.Utility[p]) > 1e-12 {
					t.Errorf("%v: party %d utility %v, want %v", s, p+1, res.Utilities[p], s.Utility[p])
				}
				if math.Abs(res.Discounted[p]-s.Discounted[p]) > 1e-12 {
					t.Errorf("%v: party %d discounted utility %v, want %v", s, p+1, res.Discounted[p], s.Discounted[p])
				}
			}
		})
	}
}

func equalBids(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
