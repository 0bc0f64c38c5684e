package cli

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/tracefile"
)

// servedRun creates a negotiation of strategy seats on s, waits for its
// end and returns its ended event and its number of actions (offers,
// acceptances, walk-aways, a mediator's texts and exit, and votes).
func servedRun(t *testing.T, s *served, req server.CreateRequest) (*server.Ended, int) {
	t.Helper()
	var cr server.CreateResponse
	if st := s.do(t, "POST", "/negotiations", "", req, &cr); st != http.StatusCreated {
		t.Fatalf("create %+v: %d", req, st)
	}
	actions := 0
	var ended *server.Ended
	s.play(t, cr.ID, cr.Tokens.Owner, func(e server.Event) bool {
		if e.Action != nil || e.Vote != nil {
			actions++
		}
		ended = e.Ended
		return ended != nil
	})
	if ended == nil {
		t.Fatalf("%+v: the log is complete without an ended event", req)
	}
	return ended, actions
}

// TestStepsAgree: for the same negotiation (scenario, agents, seed),
// the server's ended.steps, the result line of parley run --trace and of
// parley replay --trace (alternating offers: the runs of a tournament)
// give one number of steps, the number of actions in the trace, in every
// protocol and however the run ends: a walk-away (one the hazard forces,
// one a voter or the mediator chooses), an agreement, the deadline, a
// failed ratification.
func TestStepsAgree(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, filepath.Join(dir, "serve.db"))
	market := filepath.Join("testdata", "tournament", "market.yaml")
	type run struct {
		scenario, protocol, variant string
		agents                      []string
		seed                        uint64
		deadline                    int
	}
	check := func(r run, wantReason string, replayed *tracefile.Run) string {
		t.Helper()
		name := strings.TrimSpace(fmt.Sprintf("%s %s %s", r.scenario, r.protocol, r.variant)) + fmt.Sprintf(" seed %d", r.seed)
		trace := filepath.Join(dir, "run.jsonl")
		args := []string{"run", r.scenario, "--seed", strconv.FormatUint(r.seed, 10), "--trace", trace}
		if r.protocol == "sao" {
			args = append(args, "--protocol", "sao")
		}
		if r.variant != "" {
			args = append(args, "--variant", r.variant)
		}
		if len(r.agents) > 0 {
			args = append(args, "--agents", strings.Join(r.agents, ","))
		}
		if r.deadline > 0 {
			args = append(args, "--deadline", strconv.Itoa(r.deadline))
		}
		cli(t, args...)
		_, events, ran := readTrace(t, trace)

		req := server.CreateRequest{Protocol: r.protocol, Variant: r.variant, Seed: r.seed, Deadline: r.deadline}
		if strings.HasSuffix(r.scenario, ".yaml") {
			b, err := os.ReadFile(r.scenario)
			if err != nil {
				t.Fatal(err)
			}
			req.Files = map[string]string{filepath.Base(r.scenario): string(b)}
		} else {
			req.Scenario = r.scenario
		}
		for _, p := range ran.Parties {
			st := server.Seat{Kind: server.SeatStrategy, Spec: ran.Agents[p]}
			if v, ok := ran.Voters[p]; ok {
				st.Voter = v
			}
			req.Seats = append(req.Seats, st)
		}
		if ran.Mediator != "" {
			req.Mediator = &server.Seat{Kind: server.SeatStrategy, Spec: ran.Mediator}
		}
		ended, actions := servedRun(t, s, req)

		if wantReason != "" && ran.Reason != wantReason {
			t.Errorf("%s: parley run ended %s, the test wants %s", name, ran.Reason, wantReason)
		}
		if ended.Reason != ran.Reason || actions != len(events) || ended.Rounds != ran.Rounds {
			t.Fatalf("%s: the server's run (%s after %d actions, %d rounds) is not parley run's (%s after %d actions, %d rounds)",
				name, ended.Reason, actions, ended.Rounds, ran.Reason, len(events), ran.Rounds)
		}
		if ran.Steps != len(events) || ended.Steps != len(events) {
			t.Errorf("%s (%s): %d actions, but parley run --trace says %d steps and the server's ended %d", name, ran.Reason, len(events), ran.Steps, ended.Steps)
		}
		if replayed != nil && replayed.Steps != len(events) {
			t.Errorf("%s (%s): %d actions, but parley replay --trace says %d steps", name, ran.Reason, len(events), replayed.Steps)
		}
		return ran.Reason
	}

	// Alternating offers: the runs of tournaments, replayed with their
	// traces, then run alone and served with the same agents and seed.
	reasons := map[string]bool{}
	for _, tr := range []struct {
		scenario string
		agents   string
		deadline int
		runs     int
	}{{"ceasefire", "boulware,conceder,linear", 0, 4}, {market, "boulware,conceder", 3, 2}, {market, "boulware,conceder", 30, 2}} {
		db := filepath.Join(dir, fmt.Sprintf("%s-%d.db", filepath.Base(tr.scenario), tr.deadline))
		args := []string{"tournament", "--agents", tr.agents, "--scenarios", tr.scenario, "--db", db, "-q"}
		if tr.deadline > 0 {
			args = append(args, "--deadline", strconv.Itoa(tr.deadline))
		}
		cli(t, args...)
		for id := range tr.runs {
			trace := filepath.Join(dir, "replay.jsonl")
			cli(t, "replay", db, strconv.Itoa(id), "--trace", trace)
			h, _, replayed := readTrace(t, trace)
			var agents []string
			for _, p := range h.Parties {
				agents = append(agents, h.Agents[p])
			}
			reasons[check(run{scenario: tr.scenario, protocol: "sao", agents: agents, seed: h.Seed, deadline: h.Deadline}, "", replayed)] = true
		}
	}
	for _, want := range []string{"walk_away", "agreement", "deadline"} {
		if !reasons[want] {
			t.Errorf("no alternating-offers run ended in %s (%v): choose other runs", want, reasons)
		}
	}

	// The ceasefire's declared protocol: talks, then mediation.
	for _, c := range []struct {
		r      run
		reason string
	}{
		{run{scenario: "ceasefire", protocol: "staged", agents: []string{"boulware", "conceder"}, seed: 1}, "agreement"},
		{run{scenario: "ceasefire", protocol: "staged", agents: []string{"boulware", "conceder"}, seed: 4}, "walk_away"},
		{run{scenario: "ceasefire", protocol: "staged", variant: "bilateral_only", agents: []string{"boulware", "conceder"}, seed: 1}, "walk_away"},
		{run{scenario: "ceasefire", protocol: "staged", variant: "bilateral_only", agents: []string{"boulware", "conceder"}, seed: 4}, "ratification_failed"},
		{run{scenario: "ceasefire", protocol: "staged", variant: "mediated_from_start", seed: 4}, "mediator_exit"},
	} {
		check(c.r, c.reason, nil)
	}
}
