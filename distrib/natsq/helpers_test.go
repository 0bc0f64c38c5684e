package natsq

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tournament"
)

// startServer runs an embedded nats-server on 127.0.0.1 at a random port,
// with JetStream storing under a test temporary directory.
func startServer(tb testing.TB, jetStream bool) *server.Server {
	tb.Helper()
	return startServerWith(tb, &server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT,
		JetStream: jetStream, StoreDir: tb.TempDir(), NoLog: true, NoSigs: true})
}

// startServerWith runs an embedded nats-server with the options given,
// until the test ends.
func startServerWith(tb testing.TB, opts *server.Options) *server.Server {
	tb.Helper()
	s, err := server.NewServer(opts)
	if err != nil {
		tb.Fatal(err)
	}
	s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		tb.Fatal("nats-server did not start")
	}
	tb.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	return s
}

// randomAgent offers outcomes drawn from its seeded stream and accepts an
// offer worth at least a target falling from 0.9 to 0.3; with a delay it
// sleeps on every turn (slow jobs that cost no CPU).
type randomAgent struct {
	s     *parley.Session
	delay time.Duration
}

func (a *randomAgent) Init(_ context.Context, s *parley.Session) error { a.s = s; return nil }

func (a *randomAgent) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if a.delay > 0 {
		time.Sleep(a.delay)
	}
	target := 0.9 - 0.6*st.Time
	if st.Standing != parley.NoOutcome && a.s.Profile.Utility.Utility(st.Standing) >= target-parley.Eps {
		return parley.AcceptAction(), nil
	}
	return parley.OfferOf(parley.Outcome(a.s.Rand.IntN(a.s.Profile.Space.Size()))), nil
}

// testResolver knows the agents "conceder", "random" and "slow" (random,
// sleeping slowDelay a turn) and the scenarios "two-issue" and
// "two-issue-swapped" (parleytest.TwoIssue, parties in both orders).
func testResolver(slowDelay time.Duration) tournament.Resolver {
	return tournament.Resolver{
		Agent: func(spec string) (func() parley.Negotiator, error) {
			switch spec {
			case "conceder":
				return func() parley.Negotiator { return &parleytest.Conceder{} }, nil
			case "random":
				return func() parley.Negotiator { return &randomAgent{} }, nil
			case "slow":
				return func() parley.Negotiator { return &randomAgent{delay: slowDelay} }, nil
			}
			return nil, fmt.Errorf("unknown agent %q", spec)
		},
		Scenario: func(ref string) (*scenario.Scenario, error) {
			sp, ps := parleytest.TwoIssue()
			names := []string{"buyer", "seller"}
			switch ref {
			case "two-issue":
			case "two-issue-swapped":
				ps[0], ps[1] = ps[1], ps[0]
				names[0], names[1] = names[1], names[0]
			default:
				return nil, fmt.Errorf("unknown scenario %q", ref)
			}
			s := &scenario.Scenario{Name: ref, Source: ref, Space: sp, Deadline: 20}
			for i, p := range ps {
				s.Parties = append(s.Parties, scenario.Party{Name: names[i], Profile: p})
			}
			return s, nil
		},
	}
}

// testConfig builds a tournament through the resolver, as package cli does.
func testConfig(tb testing.TB, r tournament.Resolver, agents, scenarios []string, reps int, seed uint64) *tournament.Config {
	tb.Helper()
	cfg := &tournament.Config{Reps: reps, Seed: seed, ScenarioRefs: scenarios, Workers: 2}
	for _, a := range agents {
		f, err := r.Agent(a)
		if err != nil {
			tb.Fatal(err)
		}
		cfg.Competitors = append(cfg.Competitors, tournament.Competitor{Name: a, New: f})
	}
	for _, ref := range scenarios {
		s, err := r.Scenario(ref)
		if err != nil {
			tb.Fatal(err)
		}
		cfg.Scenarios = append(cfg.Scenarios, s)
	}
	return cfg
}

// memStore is an in-memory tournament.Store, idempotent by job id like the
// real one; it counts the records it ignored as repeats.
type memStore struct {
	mu      sync.Mutex
	meta    *tournament.Meta
	recs    map[int64]tournament.Record
	repeats int
}

func newMemStore() *memStore { return &memStore{recs: map[int64]tournament.Record{}} }

func (s *memStore) Open(_ context.Context, m tournament.Meta) (func(int64) bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.meta != nil && !reflect.DeepEqual(*s.meta, m) {
		return nil, fmt.Errorf("memstore: holds %+v, not %+v", *s.meta, m)
	}
	s.meta = &m
	done := make(map[int64]bool, len(s.recs))
	for id := range s.recs {
		done[id] = true
	}
	return func(id int64) bool { return done[id] }, nil
}

func (s *memStore) Write(_ context.Context, rs []tournament.Record) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for i, r := range rs {
		if _, ok := s.recs[r.JobID]; ok {
			s.repeats++
			continue
		}
		s.recs[r.JobID] = r
		rs[n], rs[i] = rs[i], rs[n]
		n++
	}
	return n, nil
}

func (s *memStore) Close() error { return nil }

func (s *memStore) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.recs)
}

// localRecords runs the tournament on this machine, as the reference.
func localRecords(tb testing.TB, cfg *tournament.Config) map[int64]tournament.Record {
	tb.Helper()
	st := newMemStore()
	if _, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{}); err != nil {
		tb.Fatal(err)
	}
	return st.recs
}

// sameResults checks that got holds every planned job once, equal to want
// apart from timings and the worker's name.
func sameResults(tb testing.TB, planned int64, got, want map[int64]tournament.Record) {
	tb.Helper()
	if int64(len(got)) != planned || int64(len(want)) != planned {
		tb.Fatalf("stored %d records, reference %d, planned %d", len(got), len(want), planned)
	}
	bad := 0
	for id := int64(0); id < planned; id++ {
		g, ok := got[id]
		if !ok {
			tb.Errorf("job %d: no result", id)
			continue
		}
		w := want[id]
		g.Elapsed, w.Elapsed, g.Worker, w.Worker = 0, 0, "", ""
		if !equalRecords(g, w) {
			if bad++; bad <= 3 {
				tb.Errorf("job %d:\n got %+v\nwant %+v", id, g, w)
			}
		}
	}
	if bad > 3 {
		tb.Errorf("... %d records differ in all", bad)
	}
}

// equalRecords is reflect.DeepEqual with NaN equal to NaN.
func equalRecords(a, b tournament.Record) bool {
	fix := func(fs []float64) {
		for i, f := range fs {
			if math.IsNaN(f) {
				fs[i] = -12345
			}
		}
	}
	for _, r := range []*tournament.Record{&a, &b} {
		r.Utilities = append([]float64(nil), r.Utilities...)
		r.Discounted = append([]float64(nil), r.Discounted...)
		r.Advantage = append([]float64(nil), r.Advantage...)
		fix(r.Utilities)
		fix(r.Discounted)
		fix(r.Advantage)
		fs := []float64{r.ParetoDistance, r.NashDistance, r.Welfare}
		fix(fs)
		r.ParetoDistance, r.NashDistance, r.Welfare = fs[0], fs[1], fs[2]
	}
	return reflect.DeepEqual(a, b)
}
