package tournament_test

import (
	"testing"

	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/tournament"
)

// TestJobTiming: auto timing is GENIUS's only when every agent of the job
// asks for it; a set timing holds for every job.
func TestJobTiming(t *testing.T) {
	cfg := &tournament.Config{Competitors: []tournament.Competitor{{Name: "g1", GeniusTiming: true}, {Name: "g2", GeniusTiming: true}, {Name: "s"}}}
	for _, tc := range []struct {
		timing tournament.Timing
		agents []int
		want   sao.Timing
	}{
		{tournament.TimingAuto, []int{0, 1}, sao.TimingGENIUS},
		{tournament.TimingAuto, []int{0, 2}, sao.TimingSteps},
		{tournament.TimingSteps, []int{0, 1}, sao.TimingSteps},
		{tournament.TimingGENIUS, []int{2, 2}, sao.TimingGENIUS},
	} {
		cfg.Timing = tc.timing
		if got := cfg.JobTiming(tournament.Job{Agents: tc.agents}); got != tc.want {
			t.Errorf("timing %q, agents %v: %v, want %v", tc.timing, tc.agents, got, tc.want)
		}
	}
}
