package tournament_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tournament"
)

func TestCount(t *testing.T) {
	tests := []struct {
		name      string
		agents    int
		scenarios []*scenario.Scenario
		self      bool
		reps      int
		want      int64
	}{
		{"2 agents bilateral", 2, []*scenario.Scenario{twoIssue("a")}, false, 0, 2},
		{"2 agents bilateral self-play", 2, []*scenario.Scenario{twoIssue("a")}, true, 1, 4},
		{"3 agents bilateral", 3, []*scenario.Scenario{twoIssue("a")}, false, 1, 6},
		{"3 agents bilateral self-play", 3, []*scenario.Scenario{twoIssue("a")}, true, 1, 9},
		{"3 agents bilateral 5 reps", 3, []*scenario.Scenario{twoIssue("a")}, false, 5, 30},
		{"3 agents two scenarios", 3, []*scenario.Scenario{twoIssue("a"), twoIssue("b")}, false, 2, 24},
		{"3 agents three parties", 3, []*scenario.Scenario{threeParty("a")}, false, 1, 6},
		{"3 agents three parties self-play", 3, []*scenario.Scenario{threeParty("a")}, true, 1, 27},
		{"4 agents mixed", 4, []*scenario.Scenario{twoIssue("a"), threeParty("b")}, false, 3, 3 * (12 + 24)},
		{"1 agent self-play", 1, []*scenario.Scenario{twoIssue("a")}, true, 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &tournament.Config{Competitors: competitors(t, "boulware", "conceder", "linear", "hardliner")[:tt.agents],
				Scenarios: tt.scenarios, Reps: tt.reps, SelfPlay: tt.self, Deadline: 10}
			if got := tournament.Count(cfg); got != tt.want {
				t.Fatalf("Count = %d, want %d", got, tt.want)
			}
			m, err := cfg.Meta()
			if err != nil || m.Planned != tt.want {
				t.Fatalf("Meta = %+v, %v; want planned %d", m, err, tt.want)
			}
			// Every job is distinct, in range and consistent with JobAt.
			seen := map[string]bool{}
			for id := range tt.want {
				j, err := tournament.JobAt(cfg, id)
				if err != nil {
					t.Fatal(err)
				}
				if j.ID != id || j.Seed != rng.Derive(cfg.Seed, uint64(id)) {
					t.Fatalf("job %d: %+v", id, j)
				}
				n := len(tt.scenarios[j.Scenario].Parties)
				if len(j.Agents) != n {
					t.Fatalf("job %d: %d agents for %d parties", id, len(j.Agents), n)
				}
				used := map[int]bool{}
				for _, a := range j.Agents {
					if !tt.self && used[a] {
						t.Fatalf("job %d: self-play without SelfPlay: %v", id, j.Agents)
					}
					used[a] = true
				}
				key := fmt.Sprint(j.Scenario, j.Agents, j.Rep)
				if seen[key] {
					t.Fatalf("job %d repeats %s", id, key)
				}
				seen[key] = true
			}
			if _, err := tournament.JobAt(cfg, tt.want); err == nil {
				t.Fatal("JobAt past the end: no error")
			}
			if _, err := tournament.JobAt(cfg, -1); err == nil {
				t.Fatal("JobAt(-1): no error")
			}
		})
	}
}

func TestJobOrder(t *testing.T) {
	cfg := &tournament.Config{Competitors: competitors(t, "boulware", "conceder", "linear"),
		Scenarios: []*scenario.Scenario{twoIssue("a"), threeParty("b")}, Reps: 2, Deadline: 10, Seed: 7}
	want := []struct {
		scenario, rep int
		agents        []int
	}{
		{0, 0, []int{0, 1}}, {0, 1, []int{0, 1}}, {0, 0, []int{0, 2}}, {0, 1, []int{0, 2}},
		{0, 0, []int{1, 0}}, {0, 1, []int{1, 0}}, {0, 0, []int{1, 2}}, {0, 1, []int{1, 2}},
		{0, 0, []int{2, 0}}, {0, 1, []int{2, 0}}, {0, 0, []int{2, 1}}, {0, 1, []int{2, 1}},
		{1, 0, []int{0, 1, 2}}, {1, 1, []int{0, 1, 2}}, {1, 0, []int{0, 2, 1}}, {1, 1, []int{0, 2, 1}},
		{1, 0, []int{1, 0, 2}}, {1, 1, []int{1, 0, 2}}, {1, 0, []int{1, 2, 0}}, {1, 1, []int{1, 2, 0}},
		{1, 0, []int{2, 0, 1}}, {1, 1, []int{2, 0, 1}}, {1, 0, []int{2, 1, 0}}, {1, 1, []int{2, 1, 0}},
	}
	if n := tournament.Count(cfg); n != int64(len(want)) {
		t.Fatalf("Count = %d, want %d", n, len(want))
	}
	for id, w := range want {
		j, err := tournament.JobAt(cfg, int64(id))
		if err != nil {
			t.Fatal(err)
		}
		if j.Scenario != w.scenario || j.Rep != w.rep || !reflect.DeepEqual(j.Agents, w.agents) {
			t.Errorf("job %d = scenario %d agents %v rep %d, want %d %v %d", id, j.Scenario, j.Agents, j.Rep, w.scenario, w.agents, w.rep)
		}
	}
	cfg.SelfPlay = true
	j, _ := tournament.JobAt(cfg, 2*3) // scenario a, tuple 3 = (1,0) in base 3
	if !reflect.DeepEqual(j.Agents, []int{1, 0}) || j.Rep != 0 {
		t.Errorf("self-play job 6 = %v rep %d, want [1 0] rep 0", j.Agents, j.Rep)
	}
}

func TestConfigErrors(t *testing.T) {
	two := competitors(t, "boulware", "conceder")
	tests := []struct {
		name string
		cfg  *tournament.Config
		want string
	}{
		{"no competitors", &tournament.Config{Scenarios: []*scenario.Scenario{twoIssue("a")}, Deadline: 5}, "no competitors"},
		{"no scenarios", &tournament.Config{Competitors: two, Deadline: 5}, "no scenarios"},
		{"duplicate competitor", &tournament.Config{Competitors: append(two, two[0]), Scenarios: []*scenario.Scenario{twoIssue("a")}, Deadline: 5}, `competitor "boulware" appears twice`},
		{"duplicate scenario", &tournament.Config{Competitors: two, Scenarios: []*scenario.Scenario{twoIssue("a"), twoIssue("a")}, Deadline: 5}, "scenario test:a appears twice"},
		{"too few competitors", &tournament.Config{Competitors: two, Scenarios: []*scenario.Scenario{threeParty("a")}, Deadline: 5}, "3 parties but there are only 2 competitors"},
		{"no deadline", &tournament.Config{Competitors: two, Scenarios: []*scenario.Scenario{twoIssue("a")}}, "suggests no deadline"},
		{"negative reps", &tournament.Config{Competitors: two, Scenarios: []*scenario.Scenario{twoIssue("a")}, Deadline: 5, Reps: -1}, "reps -1"},
		{"refs", &tournament.Config{Competitors: two, Scenarios: []*scenario.Scenario{twoIssue("a")}, ScenarioRefs: []string{"x", "y"}, Deadline: 5}, "2 scenario references for 1 scenarios"},
		{"timing", &tournament.Config{Competitors: two, Scenarios: []*scenario.Scenario{twoIssue("a")}, Deadline: 5, Timing: "wall"}, `timing "wall"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Prepare()
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "tournament: ") {
				t.Fatalf("Prepare = %v, want an error containing %q", err, tt.want)
			}
			if n := tournament.Count(tt.cfg); n != 0 {
				t.Fatalf("Count = %d for an invalid config", n)
			}
			if _, err := tournament.Run(context.Background(), tt.cfg, newMemStore(), tournament.RunOptions{}); err == nil {
				t.Fatal("Run: no error")
			}
		})
	}
}

// TestTinyTournament checks a two-run tournament by hand. On TwoIssue
// (outcome: buyer, seller utility; 1: 1.0,0.0  3: 0.7,0.4  4: 0.0,1.0
// 5: 0.4,0.8; reservations 0) the Nash point is 5 (product 0.32).
//
//   - run 0, hardliner buys from yes: the hardliner offers 1 (its best),
//     yes accepts in round 1: utilities (1, 0), on the frontier, welfare 1,
//     distance to Nash √(0.6²+0.8²) = 1.
//   - run 1, yes buys from the hardliner: yes offers 3, the hardliner
//     (seller) offers 4, yes accepts in round 2: utilities (0, 1), distance
//     to Nash √(0.4²+0.2²).
//
// Both parties' best utility is 1, so the fairness (the smallest
// advantage over the room 1 − 0) is 0 in both runs: one party got nothing.
func TestTinyTournament(t *testing.T) {
	cfg := &tournament.Config{
		Competitors: append(competitors(t, "hardliner"), tournament.Competitor{Name: "yes", New: func() parley.Negotiator { return yes{} }}),
		Scenarios:   []*scenario.Scenario{twoIssue("tiny")}, Deadline: 10, Seed: 3}
	st := newMemStore()
	sum, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{Worker: "w"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Planned != 2 || sum.Selected != 2 || sum.Ran != 2 || sum.Skipped != 0 || sum.Agreements != 2 || sum.Errors != 0 {
		t.Fatalf("summary %+v", sum)
	}
	want := []tournament.Record{
		{JobID: 0, Scenario: "test:tiny", Agents: []string{"hardliner", "yes"}, Agreement: map[string]string{"price": "low", "delivery": "fast"},
			Utilities: []float64{1, 0}, Discounted: []float64{1, 0}, Advantage: []float64{1, 0}, Rounds: 1, Reason: "agreement",
			ParetoDistance: 0, NashDistance: 1, HasNash: true, Welfare: 1, HasFairness: true},
		{JobID: 1, Scenario: "test:tiny", Agents: []string{"yes", "hardliner"}, Agreement: map[string]string{"price": "high", "delivery": "slow"},
			Utilities: []float64{0, 1}, Discounted: []float64{0, 1}, Advantage: []float64{0, 1}, Rounds: 2, Reason: "agreement",
			ParetoDistance: 0, NashDistance: math.Sqrt(0.4*0.4 + 0.2*0.2), HasNash: true, Welfare: 1, HasFairness: true},
	}
	got := st.sorted()
	if len(got) != 2 {
		t.Fatalf("%d records", len(got))
	}
	for i := range want {
		if math.Abs(got[i].NashDistance-want[i].NashDistance) < 1e-12 {
			got[i].NashDistance = want[i].NashDistance
		}
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	for _, r := range st.trecs() {
		if r.Worker != "w" || r.Elapsed <= 0 {
			t.Errorf("record %d: worker %q elapsed %v", r.JobID, r.Worker, r.Elapsed)
		}
	}
	// Running again stores nothing new.
	sum, err = tournament.Run(context.Background(), cfg, st, tournament.RunOptions{})
	if err != nil || sum.Ran != 0 || sum.Skipped != 2 {
		t.Fatalf("second run: %+v, %v", sum, err)
	}
}

// bigConfig is a tournament of a few thousand quick negotiations.
func bigConfig(t testing.TB) *tournament.Config {
	return &tournament.Config{Competitors: competitors(t, "boulware", "conceder", "linear", "tft", "random"),
		Scenarios: []*scenario.Scenario{twoIssue("tiny"), synthetic(t, "syn", 1, 5, 4, 6)}, Reps: 40, Deadline: 50, Seed: 11}
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	var runs [][]tournament.Record
	for _, w := range []int{1, 3} {
		cfg := bigConfig(t)
		cfg.Workers = w
		st := newMemStore()
		if _, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{Batch: 100}); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, st.sorted())
	}
	if len(runs[0]) != 1600 {
		t.Fatalf("%d records, want 1600", len(runs[0]))
	}
	if !reflect.DeepEqual(runs[0], runs[1]) {
		t.Fatal("1 and 3 workers give different results")
	}
}

func TestResumeSkipsStored(t *testing.T) {
	cfg := bigConfig(t)
	full := newMemStore()
	if _, err := tournament.Run(context.Background(), cfg, full, tournament.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	// A store holding every third result, one of them wrong: Run must not
	// redo (or overwrite) what is stored.
	part := newMemStore()
	for id, r := range full.trecs() {
		if id == 0 {
			r.Rounds = -5 // the marker
		}
		if id%3 == 0 {
			part.put(r)
		}
	}
	var last, total int64
	sum, err := tournament.Run(context.Background(), cfg, part, tournament.RunOptions{Progress: func(d, n int64) { last, total = d, n }})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Skipped != 534 || sum.Ran != 1600-534 || last != sum.Ran || total != sum.Ran {
		t.Fatalf("summary %+v, progress %d/%d", sum, last, total)
	}
	if part.trecs()[0].Rounds != -5 {
		t.Fatal("a stored result was run again")
	}
	got := part.sorted()
	got[0] = full.sorted()[0]
	if !reflect.DeepEqual(got, full.sorted()) {
		t.Fatal("resumed results differ from a full run")
	}
}

func TestShardsPartition(t *testing.T) {
	cfg := bigConfig(t)
	full := newMemStore()
	if _, err := tournament.Run(context.Background(), cfg, full, tournament.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	merged := newMemStore()
	for i := range 3 {
		st := newMemStore()
		sum, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{Shard: tournament.Shard{Index: i, Count: 3}})
		if err != nil {
			t.Fatal(err)
		}
		for id, r := range st.trecs() {
			if id%3 != int64(i) {
				t.Fatalf("shard %d ran job %d", i, id)
			}
			merged.put(r)
		}
		if sum.Selected != int64(len(st.trecs())) {
			t.Fatalf("shard %d: %+v but %d records", i, sum, len(st.trecs()))
		}
	}
	if !reflect.DeepEqual(merged.sorted(), full.sorted()) {
		t.Fatal("merged shards differ from the full run")
	}
}

func TestParseShard(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want tournament.Shard
		err  bool
	}{
		{"0/4", tournament.Shard{0, 4}, false},
		{" 3 / 4 ", tournament.Shard{3, 4}, false},
		{"4/4", tournament.Shard{}, true},
		{"-1/4", tournament.Shard{}, true},
		{"1/0", tournament.Shard{}, true},
		{"2", tournament.Shard{}, true},
		{"a/b", tournament.Shard{}, true},
	} {
		got, err := tournament.ParseShard(tt.in)
		if (err != nil) != tt.err || (!tt.err && got != tt.want) {
			t.Errorf("ParseShard(%q) = %v, %v", tt.in, got, err)
		}
	}
}

// TestIsolation runs in a synctest bubble: the 100 ms limit, the slow
// seat's 2 ms turns and the stuck seat's loop run on the bubble's fake
// clock, so the limits are exact and the test takes no wall time.
func TestIsolation(t *testing.T) {
	synctest.Test(t, testIsolation)
}

func testIsolation(t *testing.T) {
	stop := make(chan struct{})
	defer func() {
		// The bubble ends only when its goroutines do: let the abandoned
		// ones finish. The stuck seat returns when stop closes; the slow
		// seat's cancelled run stops within 256 turns (0.5 s of the fake
		// clock), when the mechanism next checks its context.
		close(stop)
		time.Sleep(time.Minute)
	}()
	cfg := &tournament.Config{
		Competitors: append(competitors(t, "hardliner"),
			tournament.Competitor{Name: "panicky", New: func() parley.Negotiator { return &panicky{} }},
			tournament.Competitor{Name: "failing", New: func() parley.Negotiator { return failing{} }},
			tournament.Competitor{Name: "looping", New: func() parley.Negotiator { return looping{stop} }},
			tournament.Competitor{Name: "slow", New: func() parley.Negotiator { return slow{} }},
		),
		Scenarios: []*scenario.Scenario{twoIssue("tiny")}, Deadline: 1000, Limit: 100 * time.Millisecond, Workers: 2}
	st := newMemStore()
	sum, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ran != 20 {
		t.Fatalf("summary %+v", sum)
	}
	causes := map[string]string{
		"panicky": "panic: boom",
		"failing": "out of ideas",
		"looping": "exceeded the time limit of 100ms",
	}
	for _, r := range st.sorted() {
		var who []string
		for _, a := range r.Agents {
			if _, ok := causes[a]; ok {
				who = append(who, a)
			}
		}
		if len(who) == 0 {
			if strings.Contains(strings.Join(r.Agents, ","), "slow") {
				// slow against the hardliner: 1000 rounds of 2ms turns
				// would take 2s: the limit stops it.
				if r.Reason != "error" || r.Error != "exceeded the time limit of 100ms" {
					t.Errorf("run %d %v: %s %q", r.JobID, r.Agents, r.Reason, r.Error)
				}
			}
			continue
		}
		if r.Reason != "error" {
			t.Errorf("run %d %v: reason %s", r.JobID, r.Agents, r.Reason)
			continue
		}
		ok := false
		for _, w := range who {
			ok = ok || strings.Contains(r.Error, causes[w])
		}
		if !ok {
			t.Errorf("run %d %v: error %q names no cause of %v", r.JobID, r.Agents, r.Error, who)
		}
		if len(r.Utilities) != 2 || r.Utilities[0] != 0 || len(r.Advantage) != 2 {
			t.Errorf("run %d: utilities %v advantage %v", r.JobID, r.Utilities, r.Advantage)
		}
	}
}

func TestStoreFailureStops(t *testing.T) {
	cfg := bigConfig(t)
	st := newMemStore()
	st.failAt = 2
	_, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{Batch: 100})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Run = %v, want the store's error", err)
	}
}

func TestCancelKeepsFinishedWork(t *testing.T) {
	cfg := bigConfig(t)
	cfg.Reps = 2000 // 80,000 negotiations: far more than finish before the cancel
	st := newMemStore()
	ctx, cancel := context.WithCancel(context.Background())
	sum, err := tournament.Run(ctx, cfg, st, tournament.RunOptions{Progress: func(done, _ int64) {
		if done > 0 {
			cancel()
		}
	}, Flush: time.Millisecond})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	if sum.Ran == 0 || sum.Ran != int64(len(st.trecs())) || sum.Ran >= tournament.Count(cfg) {
		t.Fatalf("summary %+v, %d stored", sum, len(st.trecs()))
	}
	for _, r := range st.trecs() {
		if r.Reason == "error" {
			t.Fatalf("a cancelled negotiation was stored: %+v", r)
		}
	}
	cancel()
	// Resuming completes the tournament.
	sum2, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{})
	if err != nil || sum2.Skipped != sum.Ran || int64(len(st.trecs())) != tournament.Count(cfg) {
		t.Fatalf("resume: %+v, %v, %d stored", sum2, err, len(st.trecs()))
	}
}

func TestRunNegotiationReplays(t *testing.T) {
	cfg := bigConfig(t)
	st := newMemStore()
	if _, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{0, 1, 77, 799, 800, 1599} {
		j, err := tournament.JobAt(cfg, id)
		if err != nil {
			t.Fatal(err)
		}
		var events int
		rec, err := tournament.RunNegotiation(context.Background(), cfg, j, tournament.RunnerOptions{Trace: func(parley.Event) { events++ }})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(strip(rec), strip(st.trecs()[id])) {
			t.Errorf("replay of %d:\n got %+v\nwant %+v", id, strip(rec), strip(st.trecs()[id]))
		}
		if events == 0 {
			t.Errorf("replay of %d traced nothing", id)
		}
	}
}

// fakeQueue runs published jobs on two in-process workers and sends every
// third result twice (a redelivery).
type fakeQueue struct {
	cfg       *tournament.Config
	jobs      chan tournament.Job
	results   chan tournament.Record
	published int
}

func newFakeQueue(t *testing.T, cfg *tournament.Config) *fakeQueue {
	q := &fakeQueue{cfg: cfg, jobs: make(chan tournament.Job, 100000), results: make(chan tournament.Record, 16)}
	for w := range 2 {
		r, err := tournament.NewRunner(cfg, tournament.RunnerOptions{Worker: fmt.Sprint("remote-", w)})
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			defer r.Close()
			for j := range q.jobs {
				rec, err := r.Run(context.Background(), j)
				if err != nil {
					panic(err)
				}
				q.results <- rec
				if j.ID%3 == 0 {
					q.results <- rec
				}
			}
		}()
	}
	return q
}

func (q *fakeQueue) Publish(_ context.Context, m tournament.Meta, jobs []tournament.Job) error {
	if m.Planned != tournament.Count(q.cfg) {
		return fmt.Errorf("fake queue: meta %+v", m)
	}
	q.published += len(jobs)
	for _, j := range jobs {
		q.jobs <- j
	}
	return nil
}

func (q *fakeQueue) Results(context.Context) (<-chan tournament.Record, error) { return q.results, nil }
func (q *fakeQueue) Close() error                                              { close(q.jobs); return nil }

func TestQueueRun(t *testing.T) {
	cfg := bigConfig(t)
	local := newMemStore()
	if _, err := tournament.Run(context.Background(), cfg, local, tournament.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	// Half the jobs are already stored: only the others are published.
	st := newMemStore()
	for id, r := range local.trecs() {
		if id%2 == 1 {
			st.put(r)
		}
	}
	q := newFakeQueue(t, cfg)
	defer q.Close()
	sum, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{Queue: q})
	if err != nil {
		t.Fatal(err)
	}
	if q.published != 800 || sum.Ran != 800 || sum.Skipped != 800 {
		t.Fatalf("published %d, summary %+v", q.published, sum)
	}
	if !reflect.DeepEqual(st.sorted(), local.sorted()) {
		t.Fatal("queued results differ from a local run")
	}
	for id, r := range st.trecs() {
		if id%2 == 0 && !strings.HasPrefix(r.Worker, "remote-") {
			t.Fatalf("run %d ran on %q", id, r.Worker)
		}
	}
}

// clock offers outcome 3 every turn and notes the first and last times it
// saw.
type clock struct{ first, last *float64 }

func (c clock) Init(context.Context, *parley.Session) error { return nil }
func (c clock) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	*c.first = min(*c.first, st.Time)
	*c.last = max(*c.last, st.Time)
	return parley.OfferOf(3), nil
}

// TestTiming: Config.Timing decides the clock of every negotiation,
// whatever the competitors; TimingAuto uses GENIUS's only when every
// seat's competitor asks for it. With a 10-round deadline Parley's steps
// give t = s/20 at step s (from 0 to 19/20), GENIUS's t = R/11 in round R
// (from 1/11 to 10/11).
func TestTiming(t *testing.T) {
	steps, genius := [2]float64{0, 19.0 / 20}, [2]float64{1.0 / 11, 10.0 / 11}
	for _, tc := range []struct {
		name   string
		timing tournament.Timing
		genius bool // the competitors' GeniusTiming
		want   [2]float64
	}{
		{"auto", tournament.TimingAuto, false, steps},
		{"auto, genius competitors", tournament.TimingAuto, true, genius},
		{"steps", tournament.TimingSteps, true, steps},
		{"genius", tournament.TimingGENIUS, false, genius},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first, last := math.Inf(1), math.Inf(-1)
			c := func() parley.Negotiator { return clock{&first, &last} }
			cfg := &tournament.Config{Competitors: []tournament.Competitor{
				{Name: "a", New: c, GeniusTiming: tc.genius},
				{Name: "b", New: c, GeniusTiming: tc.genius},
			}, Scenarios: []*scenario.Scenario{twoIssue("tiny")}, Deadline: 10, Timing: tc.timing, Workers: 1}
			m, err := cfg.Meta()
			if err != nil || m.Timing != tc.timing {
				t.Fatalf("Meta timing %q (%v), want %q", m.Timing, err, tc.timing)
			}
			if _, err := tournament.Run(context.Background(), cfg, newMemStore(), tournament.RunOptions{}); err != nil {
				t.Fatal(err)
			}
			if math.Abs(first-tc.want[0]) > 1e-12 || math.Abs(last-tc.want[1]) > 1e-12 {
				t.Errorf("times from %v to %v, want %v to %v", first, last, tc.want[0], tc.want[1])
			}
		})
	}
}

// TestPrepareLeavesScenarios: Config.Prepare runs the scenarios' prepared
// profiles (utility tables) without replacing the utility functions of the
// scenarios it was given, which the caller may still write out or reuse.
func TestPrepareLeavesScenarios(t *testing.T) {
	s, err := scenario.Read("../scenario/testdata/mixed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	before := make([]parley.UtilityFunction, len(s.Parties))
	for i, p := range s.Parties {
		before[i] = p.Profile.Utility
	}
	cfg := &tournament.Config{Competitors: competitors(t, "boulware", "conceder", "linear"),
		Scenarios: []*scenario.Scenario{s}, Deadline: 20, Seed: 1}
	st := newMemStore()
	sum, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{})
	if err != nil || sum.Ran == 0 || sum.Errors != 0 {
		t.Fatalf("summary %+v, %v", sum, err)
	}
	for i, p := range s.Parties {
		if p.Profile.Utility != before[i] {
			t.Errorf("party %q: utility function replaced by %T", p.Name, p.Profile.Utility)
		}
	}
}
