package distrib_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/parley-dev/parley/distrib"
	"github.com/parley-dev/parley/distrib/natsq"
	"github.com/parley-dev/parley/experiment"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/tournament"
)

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "runs.db")
	for _, tc := range []struct {
		name  string
		o     distrib.Options
		field string // of the spec.FieldError, "" for none
		is    error
		shard tournament.Shard
		store bool
		queue bool
	}{
		{name: "zero"},
		{name: "db", o: distrib.Options{DB: db}, store: true},
		{name: "shard", o: distrib.Options{DB: db, Shard: "1/4"}, store: true, shard: tournament.Shard{Index: 1, Count: 4}},
		{name: "shard without db", o: distrib.Options{Shard: "0/2"}, field: "DB", is: distrib.ErrShardWithoutDB},
		{name: "bad shard", o: distrib.Options{DB: db, Shard: "2/2"}, field: "Shard"},
		{name: "queue", o: distrib.Options{Queue: "nats://127.0.0.1:1"}, queue: true},
		{name: "bad queue options", o: distrib.Options{Queue: "nats://127.0.0.1:1", QueueOptions: natsq.Options{ReconnectFor: -time.Second}}, field: "QueueOptions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := distrib.Open(tc.o)
			if tc.field != "" {
				var fe *spec.FieldError
				if !errors.As(err, &fe) || fe.Field != tc.field {
					t.Fatalf("err %v, want a FieldError in %s", err, tc.field)
				}
				if tc.is != nil && !errors.Is(err, tc.is) {
					t.Errorf("err %v is not %v", err, tc.is)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			if (b.DB != nil) != tc.store || b.Shard != tc.shard || (b.Dialer() != nil) != tc.queue {
				t.Errorf("store %v, shard %v, dialer %v; want store %v, shard %v, queue %v", b.DB != nil, b.Shard, b.Dialer() != nil, tc.store, tc.shard, tc.queue)
			}
			// An experiment run on the batch gets the same store, shard
			// and queue; no store is a nil interface, not a typed nil.
			var cfg experiment.Config
			b.Experiment(&cfg)
			if (cfg.Store != nil) != tc.store || cfg.Shard != tc.shard || (cfg.Queue != nil) != tc.queue {
				t.Errorf("experiment: store %v, shard %v, queue %v; want %v, %v, %v", cfg.Store != nil, cfg.Shard, cfg.Queue != nil, tc.store, tc.shard, tc.queue)
			}
		})
	}
}

// twoIssue is a tournament of a Boulware and a Conceder on the two-issue
// scenario: 4 negotiations at reps 2.
func twoIssue(seed uint64) (*tournament.Config, error) {
	space, profiles := parleytest.TwoIssue()
	sc := &scenario.Scenario{Name: "two-issue", Space: space, Parties: []scenario.Party{
		{Name: "buyer", Profile: profiles[0]}, {Name: "seller", Profile: profiles[1]}}}
	cfg := &tournament.Config{Scenarios: []*scenario.Scenario{sc}, Reps: 2, Deadline: 10, Seed: seed}
	for _, spec := range []string{"boulware", "conceder"} {
		f, err := strategy.Parse(spec)
		if err != nil {
			return nil, err
		}
		cfg.Competitors = append(cfg.Competitors, tournament.Competitor{Name: spec, New: f})
	}
	return cfg, nil
}

// config is twoIssue(seed) or the test's end.
func config(t *testing.T, seed uint64) *tournament.Config {
	t.Helper()
	cfg, err := twoIssue(seed)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestRun(t *testing.T) {
	ctx := t.Context()
	db := filepath.Join(t.TempDir(), "runs.db")
	run := func(o distrib.Options, cfg *tournament.Config) (tournament.Summary, error) {
		b, err := distrib.Open(o)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		return b.Run(ctx, cfg, nil)
	}
	for _, tc := range []struct {
		name       string
		o          distrib.Options
		seed       uint64
		ran, store int64
		err        bool
	}{
		{name: "no database", o: distrib.Options{}, seed: 1, err: true},
		{name: "shard 0/2", o: distrib.Options{DB: db, Shard: "0/2"}, seed: 1, ran: 2},
		{name: "the rest", o: distrib.Options{DB: db}, seed: 1, ran: 2},
		{name: "again: nothing left", o: distrib.Options{DB: db}, seed: 1, ran: 0},
		{name: "another tournament", o: distrib.Options{DB: db}, seed: 2, err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sum, err := run(tc.o, config(t, tc.seed))
			if tc.err {
				if err == nil {
					t.Fatalf("no error; ran %d", sum.Ran)
				}
				return
			}
			if err != nil || sum.Ran != tc.ran {
				t.Errorf("ran %d, err %v; want %d", sum.Ran, err, tc.ran)
			}
		})
	}
}

// TestRunQueue runs a tournament through an embedded NATS JetStream
// server and a natsq worker: the records are those of a local run.
func TestRunQueue(t *testing.T) {
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	defer func() { ns.Shutdown(); ns.WaitForShutdown() }()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	res := tournament.Resolver{Agent: strategy.Parse, Scenario: func(string) (*scenario.Scenario, error) { return config(t, 1).Scenarios[0], nil }}
	w := &natsq.Worker{URL: ns.ClientURL(), Resolver: res, Concurrency: 1}
	werr := make(chan error, 1)
	go func() { werr <- w.Run(ctx) }()

	dir := t.TempDir()
	records := func(o distrib.Options) []tournament.Record {
		o.DB = filepath.Join(dir, o.DB)
		b, err := distrib.Open(o)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if sum, err := b.Run(ctx, config(t, 1), nil); err != nil || sum.Ran != 4 {
			t.Fatalf("%+v: ran %d, %v", o, sum.Ran, err)
		}
		var out []tournament.Record
		for r, err := range b.DB.Records(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			r.Worker, r.Elapsed = "", 0
			out = append(out, r)
		}
		return out
	}
	local, remote := records(distrib.Options{DB: "local.db"}), records(distrib.Options{DB: "remote.db", Queue: ns.ClientURL()})
	if len(local) != 4 || len(remote) != 4 {
		t.Fatalf("%d local and %d remote records", len(local), len(remote))
	}
	for i := range local {
		if d := local[i].Diff(remote[i]); d != "" {
			t.Errorf("run %d: %s", i, d)
		}
	}
	cancel()
	<-werr
}
