package natsq_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/distrib/natsq"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tournament"
)

// countStore is the smallest tournament.Store: it counts distinct jobs.
type countStore map[int64]bool

func (s countStore) Open(context.Context, tournament.Meta) (func(int64) bool, error) {
	return func(int64) bool { return false }, nil
}

func (s countStore) Write(_ context.Context, rs []tournament.Record) (int, error) {
	n := 0
	for i, r := range rs {
		if !s[r.JobID] {
			s[r.JobID] = true
			rs[n], rs[i] = rs[i], rs[n]
			n++
		}
	}
	return n, nil
}

func (s countStore) Close() error { return nil }

// A coordinator publishes a tournament's jobs on a NATS JetStream server and
// stores the results; a worker (here in the same process, usually `parley
// worker` on other machines) rebuilds the tournament from the agent specs
// and scenario references the jobs carry, and runs them.
func Example() {
	dir, _ := os.MkdirTemp("", "natsq-example")
	defer os.RemoveAll(dir)
	srv, _ := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: dir, NoLog: true, NoSigs: true})
	srv.Start()
	defer srv.Shutdown()
	srv.ReadyForConnections(10 * time.Second)

	// How a name becomes an agent or a scenario, on every machine.
	resolver := tournament.Resolver{
		Agent: func(spec string) (func() parley.Negotiator, error) {
			return func() parley.Negotiator { return &parleytest.Conceder{} }, nil
		},
		Scenario: func(ref string) (*scenario.Scenario, error) {
			space, profiles := parleytest.TwoIssue()
			return &scenario.Scenario{Name: ref, Space: space, Deadline: 10, Parties: []scenario.Party{
				{Name: "buyer", Profile: profiles[0]}, {Name: "seller", Profile: profiles[1]}}}, nil
		},
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	worker := &natsq.Worker{URL: srv.ClientURL(), Resolver: resolver, Concurrency: 2}
	go worker.Run(ctx)

	// The coordinator: the same tournament, with a Queue.
	a, _ := resolver.Agent("conceder-a")
	b, _ := resolver.Agent("conceder-b")
	s, _ := resolver.Scenario("two-issue")
	cfg := &tournament.Config{
		Competitors:  []tournament.Competitor{{Name: "conceder-a", New: a}, {Name: "conceder-b", New: b}},
		Scenarios:    []*scenario.Scenario{s},
		ScenarioRefs: []string{"two-issue"},
		Reps:         3,
		Seed:         1,
	}
	q, err := natsq.Dial(ctx, srv.ClientURL(), natsq.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer q.Close()
	st := countStore{}
	sum, err := tournament.Run(ctx, cfg, st, tournament.RunOptions{Queue: q})
	fmt.Println(sum.Ran, "negotiations run remotely,", len(st), "stored, error:", err)
	// Output: 6 negotiations run remotely, 6 stored, error: <nil>
}
