package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/tournament"
)

var ctx = context.Background()

func meta() tournament.Meta {
	return tournament.Meta{Agents: []string{"boulware", "conceder"}, Scenarios: []string{"a", "b"}, Reps: 2, Deadline: 100,
		Seed: 1<<64 - 1, SelfPlay: true, Planned: 16, Protocol: tournament.ProtocolSAO}
}

func records() []tournament.Record {
	return []tournament.Record{
		{JobID: 3, Scenario: "a", Rep: 1, Agents: []string{"boulware", `con"ceder`}, Agreement: map[string]string{"price": "low", "x": "é"},
			Utilities: []float64{0.1, 1.0 / 3}, Discounted: []float64{0.1, 0.3}, Advantage: []float64{-0.05, 1e-300},
			Rounds: 7, Reason: "agreement", Elapsed: 1234 * time.Nanosecond, ParetoDistance: 0.25, NashDistance: 0.5, HasNash: true,
			Welfare: 0.43, Worker: "host:1"},
		{JobID: 0, Scenario: "b", Rep: 0, Agents: []string{"conceder", "boulware"},
			Utilities: []float64{0, 0}, Discounted: []float64{0, 0}, Advantage: []float64{0, 0},
			Rounds: 100, Reason: "error", Error: "sao: party \"x\": panic: boom", Elapsed: time.Second, Worker: "w",
			MetricsNote: "analysis: 10000000000 outcomes: outcome space too large"},
	}
}

func newStore(t *testing.T, path string) *Store {
	t.Helper()
	s, err := New(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	s := newStore(t, path)
	if v, err := s.Version(ctx); err != nil || v != SchemaVersion() || SchemaVersion() != 8 {
		t.Fatalf("version %d, %v", v, err)
	}
	if _, ok, err := s.Meta(ctx); ok || err != nil {
		t.Fatalf("new database has a tournament: %v %v", ok, err)
	}
	done, err := s.Open(ctx, meta())
	if err != nil {
		t.Fatal(err)
	}
	if done(0) || done(3) {
		t.Fatal("empty store reports done jobs")
	}
	if n, err := s.Write(ctx, records()); err != nil || n != 2 {
		t.Fatalf("Write = %d, %v", n, err)
	}
	s.Close()

	r, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	m, ok, err := r.Meta(ctx)
	if err != nil || !ok || !reflect.DeepEqual(m, meta()) {
		t.Fatalf("Meta = %+v %v %v", m, ok, err)
	}
	want := records()
	var got []tournament.Record
	for rec, err := range r.Records(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rec)
	}
	if !reflect.DeepEqual(got, []tournament.Record{want[1], want[0]}) {
		t.Fatalf("Records:\n got %+v\nwant %+v", got, []tournament.Record{want[1], want[0]})
	}
	one, err := r.Record(ctx, 3)
	if err != nil || !reflect.DeepEqual(one, want[0]) {
		t.Fatalf("Record(3) = %+v, %v", one, err)
	}
	if _, err := r.Record(ctx, 4); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Record(4) = %v", err)
	}
	if n, err := r.Count(ctx); n != 2 || err != nil {
		t.Fatalf("Count = %d, %v", n, err)
	}
	// NULLs where documented.
	var agreement, errText, nash any
	if err := r.db.QueryRow(`SELECT agreement, error, nash_distance FROM runs WHERE job_id = 0`).Scan(&agreement, &errText, &nash); err != nil {
		t.Fatal(err)
	}
	if agreement != nil || nash != nil || errText == nil {
		t.Fatalf("job 0: agreement %v error %v nash %v", agreement, errText, nash)
	}
	var note any
	if err := r.db.QueryRow(`SELECT metrics_note FROM runs WHERE job_id = 3`).Scan(&note); err != nil || note != nil {
		t.Fatalf("job 3: metrics_note %v, %v; want NULL", note, err)
	}
	if _, err := r.Write(ctx, records()); err == nil {
		t.Fatal("read-only store accepted a write")
	}
}

func TestIdempotentWrites(t *testing.T) {
	s := newStore(t, ":memory:")
	if _, err := s.Open(ctx, meta()); err != nil {
		t.Fatal(err)
	}
	rs := records()
	changed := records()
	changed[0].Rounds = 99
	for _, batch := range [][]tournament.Record{rs, changed, append(rs[:1:1], changed[0], rs[0])} {
		if _, err := s.Write(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := s.Count(ctx); n != 2 {
		t.Fatalf("%d rows after repeated writes, want 2", n)
	}
	r, err := s.Record(ctx, 3)
	if err != nil || r.Rounds != 7 {
		t.Fatalf("the first write must win: %+v %v", r, err)
	}
	done, err := s.Open(ctx, meta())
	if err != nil {
		t.Fatal(err)
	}
	for id := range int64(16) {
		if done(id) != (id == 0 || id == 3) {
			t.Errorf("done(%d) = %v", id, done(id))
		}
	}
}

func TestOpenOtherTournament(t *testing.T) {
	s := newStore(t, ":memory:")
	if _, err := s.Open(ctx, meta()); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		change func(*tournament.Meta)
		want   string
	}{
		{func(m *tournament.Meta) { m.Agents = []string{"boulware"} }, "agents boulware,conceder, not boulware"},
		{func(m *tournament.Meta) { m.Scenarios[1] = "c" }, "scenarios a,b, not a,c"},
		{func(m *tournament.Meta) { m.Reps = 3 }, "reps 2, not 3"},
		{func(m *tournament.Meta) { m.Deadline = 10 }, "deadline 100, not 10"},
		{func(m *tournament.Meta) { m.Seed = 2 }, "seed 18446744073709551615, not 2"},
		{func(m *tournament.Meta) { m.SelfPlay = false }, "self-play true, not false"},
		{func(m *tournament.Meta) { m.Timing = tournament.TimingGENIUS }, "timing auto, not genius"},
		{func(m *tournament.Meta) { m.Planned = 17 }, "16 planned runs, not 17"},
	} {
		m := meta()
		tt.change(&m)
		_, err := s.Open(ctx, m)
		if err == nil || !strings.Contains(err.Error(), "holds another tournament ("+tt.want+")") {
			t.Errorf("Open = %v, want %q", err, tt.want)
		}
	}
}

func TestSchemaVersions(t *testing.T) {
	dir := t.TempDir()
	newer := filepath.Join(dir, "newer.db")
	s := newStore(t, newer)
	if _, err := s.db.Exec(`UPDATE schema_version SET version = 9`); err != nil { // one newer than 8
		t.Fatal(err)
	}
	s.Close()
	for _, open := range []func(string) (*Store, error){New, OpenReadOnly} {
		_, err := open(newer)
		if err == nil || !strings.Contains(err.Error(), "newer.db has schema version 9, newer than this parley's 8") {
			t.Errorf("open newer = %v", err)
		}
	}

	// A database without migrations applied is brought up to date.
	older := filepath.Join(dir, "older.db")
	s = newStore(t, older)
	if _, err := s.db.Exec(`DROP TABLE runs; DROP TABLE meta; UPDATE schema_version SET version = 0`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := OpenReadOnly(older); err == nil || !strings.Contains(err.Error(), "schema version 0, older than") {
		t.Errorf("read-only open of an old schema = %v", err)
	}
	s = newStore(t, older)
	if v, err := s.Version(ctx); v != SchemaVersion() || err != nil {
		t.Fatalf("after migration: version %d, %v", v, err)
	}
	if _, err := s.Open(ctx, meta()); err != nil {
		t.Fatal(err)
	}

	// Files that are not results databases.
	foreign := filepath.Join(dir, "foreign.db")
	s = newStore(t, foreign)
	if _, err := s.db.Exec(`DROP TABLE schema_version`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := New(foreign); err == nil || !strings.Contains(err.Error(), "not a Parley results database") {
		t.Errorf("open foreign = %v", err)
	}
	text := filepath.Join(dir, "text.db")
	os.WriteFile(text, []byte(strings.Repeat("not a database\n", 100)), 0o644)
	if _, err := New(text); err == nil || !strings.Contains(err.Error(), "text.db") {
		t.Errorf("open text = %v", err)
	}
	if _, err := OpenReadOnly(filepath.Join(dir, "missing.db")); err == nil || !strings.Contains(err.Error(), "missing.db") {
		t.Errorf("open missing = %v", err)
	}
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o644)
	if _, err := OpenReadOnly(empty); err == nil || !strings.Contains(err.Error(), "not a Parley results database") {
		t.Errorf("open empty = %v", err)
	}
}

// dropV8 takes a database back to schema version 7's columns.
const dropV8 = `ALTER TABLE meta DROP COLUMN baseline;`

// dropV7 takes a database back to schema version 6's columns.
const dropV7 = dropV8 + `ALTER TABLE meta DROP COLUMN design;`

// dropV6 takes a database back to schema version 5's columns (after
// dropV7).
const dropV6 = dropV7 + `ALTER TABLE meta DROP COLUMN arms; ALTER TABLE runs DROP COLUMN arm; ALTER TABLE runs DROP COLUMN stage;
ALTER TABLE runs DROP COLUMN time; ALTER TABLE runs DROP COLUMN locked;`

// dropV5 takes a database back to schema version 4's columns (after
// dropV6).
const dropV5 = dropV6 + `ALTER TABLE meta DROP COLUMN protocol; ALTER TABLE meta DROP COLUMN mediators; ALTER TABLE meta DROP COLUMN voters;
ALTER TABLE meta DROP COLUMN variant; ALTER TABLE meta DROP COLUMN rule; ALTER TABLE meta DROP COLUMN info; ALTER TABLE meta DROP COLUMN noise;
ALTER TABLE runs DROP COLUMN mediator; ALTER TABLE runs DROP COLUMN voters; ALTER TABLE runs DROP COLUMN fairness;`

// A database of schema version 4 (alternating offers only) migrates to
// version 5: its tournament is ProtocolSAO, its runs have no mediator,
// voters or fairness, and it resumes with the same tournament.
func TestMigrationProtocol(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v4.db")
	s := newStore(t, path)
	if _, err := s.Open(ctx, meta()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(ctx, records()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE schema_version SET version = 4;` + dropV5); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = newStore(t, path)
	m, ok, err := s.Meta(ctx)
	if err != nil || !ok || m.Protocol != tournament.ProtocolSAO || m.Mediators != nil || m.Voters != nil {
		t.Fatalf("migrated meta %+v, %v, %v", m, ok, err)
	}
	if _, err := s.Open(ctx, meta()); err != nil {
		t.Fatalf("resuming the migrated tournament: %v", err)
	}
	for rec, err := range s.Records(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if rec.Mediator != "" || rec.Voters != nil || rec.HasFairness {
			t.Fatalf("migrated run %+v", rec)
		}
	}
}

// A mediated tournament's meta and runs keep the protocol, the mediators
// and voters, and the fairness.
func TestMediatedRoundTrip(t *testing.T) {
	s := newStore(t, ":memory:")
	m := tournament.Meta{Scenarios: []string{"a"}, Reps: 1, Deadline: 10, Seed: 1, Planned: 2, Protocol: tournament.ProtocolMediated,
		Mediators: []string{"nash", "hillclimb"}, Voters: []string{"hillclimber"}, Rule: "mediator", Info: "declared", Noise: 0.1}
	if _, err := s.Open(ctx, m); err != nil {
		t.Fatal(err)
	}
	got, _, err := s.Meta(ctx)
	if err != nil || !reflect.DeepEqual(got, m) {
		t.Fatalf("meta %+v, %v; want %+v", got, err, m)
	}
	other := m
	other.Mediators = []string{"nash"}
	if _, err := s.Open(ctx, other); err == nil || !strings.Contains(err.Error(), "mediators nash,hillclimb, not nash") {
		t.Fatalf("Open with other mediators = %v", err)
	}
	rs := []tournament.Record{
		{JobID: 0, Scenario: "a", Agents: []string{}, Mediator: "nash", Voters: []string{"hillclimber", "hillclimber"}, Utilities: []float64{0.5, 0.6},
			Discounted: []float64{0.5, 0.6}, Advantage: []float64{0.5, 0.6}, Reason: "agreement", Fairness: 0.25, HasFairness: true, Worker: "w"},
		{JobID: 1, Scenario: "a", Agents: []string{}, Mediator: "hillclimb", Voters: []string{"hillclimber", "hillclimber"}, Utilities: []float64{0, 0},
			Discounted: []float64{0, 0}, Advantage: []float64{0, 0}, Reason: "deadline", Worker: "w"},
	}
	if _, err := s.Write(ctx, slices.Clone(rs)); err != nil {
		t.Fatal(err)
	}
	for i := range rs {
		r, err := s.Record(ctx, int64(i))
		if err != nil || !reflect.DeepEqual(r, rs[i]) {
			t.Fatalf("run %d: %+v, %v; want %+v", i, r, err, rs[i])
		}
	}
}

// A database of schema version 2 named a walk-out "walked_away";
// opening it for writing renames it to "walk_away", parley.Reason's name
// in every output, and leaves the other reasons alone.
func TestMigrationReasonNames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v2.db")
	s := newStore(t, path)
	if _, err := s.Open(ctx, meta()); err != nil {
		t.Fatal(err)
	}
	rs := records()
	rs[1].Reason, rs[1].Error = "walked_away", ""
	if _, err := s.Write(ctx, rs); err != nil {
		t.Fatal(err)
	}
	// Back to version 2: without the columns of later migrations.
	if _, err := s.db.Exec(`UPDATE schema_version SET version = 2; ALTER TABLE runs DROP COLUMN metrics_note;` + dropV5); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = newStore(t, path)
	got := map[int64]string{}
	for rec, err := range s.Records(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		got[rec.JobID] = rec.Reason
	}
	if want := map[int64]string{0: "walk_away", 3: "agreement"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("reasons after migration %v, want %v", got, want)
	}
}

// tinyConfig is a small tournament on parleytest scenarios.
func tinyConfig(t testing.TB) *tournament.Config {
	t.Helper()
	var cs []tournament.Competitor
	for _, spec := range []string{"boulware", "conceder", "random"} {
		f, err := strategy.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, tournament.Competitor{Name: spec, New: f})
	}
	mk := func(name string, seed uint64) *scenario.Scenario {
		space, ps := parleytest.Synthetic(t, seed, 4, 5, 3)
		return &scenario.Scenario{Name: name, Source: name, Space: space, Parties: []scenario.Party{
			{Name: "a", Profile: ps[0]}, {Name: "b", Profile: ps[1]}}}
	}
	return &tournament.Config{Competitors: cs, Scenarios: []*scenario.Scenario{mk("s1", 1), mk("s2", 2)}, Reps: 10, Deadline: 40, Seed: 5}
}

func allRecords(t *testing.T, s *Store) []tournament.Record {
	t.Helper()
	var rs []tournament.Record
	for r, err := range s.Records(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		r.Elapsed, r.Worker = 0, ""
		rs = append(rs, r)
	}
	return rs
}

func TestMergeShards(t *testing.T) {
	dir := t.TempDir()
	full := newStore(t, filepath.Join(dir, "full.db"))
	if _, err := tournament.Run(ctx, tinyConfig(t), full, tournament.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	var shards []string
	for i := range 3 {
		p := filepath.Join(dir, "shard"+string(rune('0'+i))+".db")
		s := newStore(t, p)
		if _, err := tournament.Run(ctx, tinyConfig(t), s, tournament.RunOptions{Shard: tournament.Shard{Index: i, Count: 3}}); err != nil {
			t.Fatal(err)
		}
		s.Close()
		shards = append(shards, p)
	}
	out := newStore(t, filepath.Join(dir, "out.db"))
	var added int64
	for _, p := range append(shards, shards[1]) { // merging a shard twice adds nothing
		n, err := out.Merge(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		added += n
	}
	want := allRecords(t, full)
	if added != int64(len(want)) || len(want) != 120 {
		t.Fatalf("added %d runs, want %d", added, len(want))
	}
	if !reflect.DeepEqual(allRecords(t, out), want) {
		t.Fatal("merged shards differ from the unsharded run")
	}
	m1, _, _ := out.Meta(ctx)
	m2, _, _ := full.Meta(ctx)
	if !reflect.DeepEqual(m1, m2) {
		t.Fatalf("merged meta %+v, want %+v", m1, m2)
	}

	// A shard of another tournament is refused.
	other := filepath.Join(dir, "other.db")
	cfg := tinyConfig(t)
	cfg.Seed = 6
	s := newStore(t, other)
	if _, err := tournament.Run(ctx, cfg, s, tournament.RunOptions{Shard: tournament.Shard{Index: 0, Count: 50}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := out.Merge(ctx, other); err == nil || !strings.Contains(err.Error(), "seed 5, not 6") {
		t.Fatalf("merge of another tournament = %v", err)
	}

	// MergeShards checks every input before writing, then merges them all.
	all := filepath.Join(dir, "all.db")
	if _, _, err := MergeShards(ctx, all, []string{shards[0], other}, func(string, int64) {}); err == nil || !strings.Contains(err.Error(), "hold different tournaments") {
		t.Fatalf("MergeShards of two tournaments = %v", err)
	}
	if _, err := os.Stat(all); !os.IsNotExist(err) {
		t.Errorf("MergeShards of two tournaments wrote %s (%v)", all, err)
	}
	if _, _, err := MergeShards(ctx, all, []string{filepath.Join(dir, "full.db"), all + ".none"}, func(string, int64) {}); err == nil {
		t.Error("MergeShards of a missing input: no error")
	}
	var ns []int64
	runs, planned, err := MergeShards(ctx, all, append(shards, shards[0]), func(_ string, n int64) { ns = append(ns, n) })
	if err != nil {
		t.Fatal(err)
	}
	if runs != 120 || planned != 120 || len(ns) != 4 || ns[0]+ns[1]+ns[2] != 120 || ns[3] != 0 {
		t.Errorf("MergeShards: %d of %d runs, added %v", runs, planned, ns)
	}
}

// TestResumeWithStore interrupts a tournament and resumes it on the same
// database file.
func TestResumeWithStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	s := newStore(t, path)
	c, cancel := context.WithCancel(ctx)
	cfg := func() *tournament.Config {
		c := tinyConfig(t)
		c.Reps = 500
		return c
	}
	_, err := tournament.Run(c, cfg(), s, tournament.RunOptions{Batch: 10, Progress: func(done, _ int64) {
		if done >= 30 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
	n, _ := s.Count(ctx)
	s.Close()
	if n < 30 || n >= 6000 {
		t.Fatalf("%d runs stored before the cancel", n)
	}
	s = newStore(t, path)
	sum, err := tournament.Run(ctx, cfg(), s, tournament.RunOptions{})
	if err != nil || sum.Skipped != n || sum.Ran != 6000-n {
		t.Fatalf("resume: %+v, %v", sum, err)
	}
	full := newStore(t, ":memory:")
	if _, err := tournament.Run(ctx, cfg(), full, tournament.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(allRecords(t, s), allRecords(t, full)) {
		t.Fatal("resumed results differ from an uninterrupted run")
	}
}

// TestWriteCountsStored: Write reports the records it stored, moved to the
// front, and not those already stored, also by another Store (process) on
// the same file.
func TestWriteCountsStored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	a, b := newStore(t, path), newStore(t, path)
	if _, err := a.Open(ctx, meta()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Open(ctx, meta()); err != nil {
		t.Fatal(err)
	}
	rs := records() // jobs 3 and 0
	if n, err := a.Write(ctx, rs[:1]); err != nil || n != 1 {
		t.Fatalf("first write: %d, %v", n, err)
	}
	batch := append(records(), tournament.Record{JobID: 5, Agents: []string{}, Reason: "deadline"})
	n, err := b.Write(ctx, batch) // job 3 is a's
	if err != nil || n != 2 {
		t.Fatalf("second write stored %d, %v; want 2", n, err)
	}
	if batch[0].JobID != 0 || batch[1].JobID != 5 || batch[2].JobID != 3 {
		t.Errorf("stored records not moved to the front in order: jobs %d %d %d", batch[0].JobID, batch[1].JobID, batch[2].JobID)
	}
	if n, err := a.Write(ctx, records()); err != nil || n != 0 {
		t.Errorf("repeated write stored %d, %v; want 0", n, err)
	}
}

// TestTwoProcesses: two tournaments writing one database (two Stores, as
// two processes would) each report the runs they stored, not the runs
// they ran: here the second finds every run stored by the first after
// it started, so it stores none.
func TestTwoProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	first, second := newStore(t, path), newStore(t, path)
	var sum1 tournament.Summary
	late := &lateStore{Store: second, before: func() {
		var err error
		if sum1, err = tournament.Run(ctx, tinyConfig(t), first, tournament.RunOptions{}); err != nil {
			t.Fatal(err)
		}
	}}
	sum2, err := tournament.Run(ctx, tinyConfig(t), late, tournament.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	planned := sum1.Planned
	if sum1.Ran != planned || sum1.Duplicates != 0 {
		t.Errorf("first: ran %d, %d duplicates; want %d and 0", sum1.Ran, sum1.Duplicates, planned)
	}
	if sum2.Ran != 0 || sum2.Agreements != 0 || sum2.Errors != 0 || sum2.Duplicates != planned {
		t.Errorf("second: ran %d (%d agreements, %d errors), %d duplicates; want 0 and %d duplicates",
			sum2.Ran, sum2.Agreements, sum2.Errors, sum2.Duplicates, planned)
	}
	if n, _ := first.Count(ctx); n != planned {
		t.Errorf("%d runs stored, want %d", n, planned)
	}
}

// lateStore runs before once its Store has been opened: another process
// writing meanwhile.
type lateStore struct {
	*Store
	before func()
}

func (s *lateStore) Open(ctx context.Context, m tournament.Meta) (func(int64) bool, error) {
	done, err := s.Store.Open(ctx, m)
	if err == nil {
		s.before()
	}
	return done, err
}

// TestReadOnlyFile: a database in a folder nobody may write, itself not
// writable, opens read-only (it failed with "attempt to write a readonly
// database": SQLite could not create the WAL's shared memory file) and is
// left unchanged.
func TestReadOnlyFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "r.db")
	s := newStore(t, path)
	if _, err := s.Open(ctx, meta()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(ctx, records()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	if f, err := os.Create(filepath.Join(dir, "probe")); err == nil {
		f.Close()
		t.Skip("SKIPPED: this user (root?) may write to a read-only folder, so the read-only case cannot be tested here")
	}
	r, err := OpenReadOnly(path)
	if err != nil {
		t.Fatalf("OpenReadOnly: %v", err)
	}
	defer r.Close()
	if m, ok, err := r.Meta(ctx); err != nil || !ok || !reflect.DeepEqual(m, meta()) {
		t.Fatalf("Meta = %+v %v %v", m, ok, err)
	}
	if n, err := r.Count(ctx); n != 2 || err != nil {
		t.Fatalf("Count = %d, %v", n, err)
	}
	after, _ := os.ReadFile(path)
	if !reflect.DeepEqual(before, after) {
		t.Error("reading changed the file")
	}
}

// TestReadOnlyUnchanged: reading a database read-only changes no byte of
// it (whoever runs the test).
func TestReadOnlyUnchanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	s := newStore(t, path)
	if _, err := tournament.Run(ctx, tinyConfig(t), s, tournament.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(path)
	r, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(allRecords(t, r)); n != 120 {
		t.Fatalf("%d records", n)
	}
	r.Close()
	after, _ := os.ReadFile(path)
	if !reflect.DeepEqual(before, after) {
		t.Error("reading changed the file")
	}
}

// A database of schema version 5 migrates to version 6: no arms, and its
// runs have no arm or stage, time 0 and nothing locked; a tournament of
// arms round-trips its arms.
func TestMigrationArms(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v5.db")
	s := newStore(t, path)
	if _, err := s.Open(ctx, meta()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(ctx, records()[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE schema_version SET version = 5;` + dropV6); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = newStore(t, path)
	if m, ok, err := s.Meta(ctx); err != nil || !ok || m.Arms != nil {
		t.Fatalf("migrated meta %+v, %v, %v", m, ok, err)
	}
	r, err := s.Record(ctx, 3)
	if err != nil || r.Arm != "" || r.Stage != "" || r.Time != 0 || r.Locked != 0 {
		t.Fatalf("migrated run %+v, %v", r, err)
	}

	arms := filepath.Join(t.TempDir(), "arms.db")
	s = newStore(t, arms)
	m := meta()
	m.Protocol = tournament.ProtocolStaged
	m.Arms = []tournament.Arm{{Name: "bilateral_only", Variant: "bilateral_only", Set: []string{"mediated.info=votes"}},
		{Name: "mediated_from_start", Variant: "mediated_from_start", Set: []string{"mediated.info=votes"}, Mediator: "hillclimb"}}
	if _, err := s.Open(ctx, m); err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.Meta(ctx); err != nil || !reflect.DeepEqual(got, m) {
		t.Fatalf("arms meta:\n got %+v\nwant %+v (%v)", got, m, err)
	}
	run := tournament.Record{JobID: 5, Scenario: "a", Rep: 1, Agents: []string{"", "conceder"}, Mediator: "hillclimb", Voters: []string{"", "annealer"},
		Utilities: []float64{0.2, 0.6}, Discounted: []float64{0.2, 0.5}, Advantage: []float64{0, 0.1}, Rounds: 44, Reason: "walk_away",
		Welfare: 0.8, Worker: "w", Arm: "mediated_from_start", Stage: "mediated", Time: 0.375, Locked: 2}
	if n, err := s.Write(ctx, []tournament.Record{run}); n != 1 || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if got, err := s.Record(ctx, 5); err != nil || !reflect.DeepEqual(got, run) {
		t.Errorf("arm run:\n got %+v\nwant %+v (%v)", got, run, err)
	}
	other := m
	other.Arms = m.Arms[:1]
	if _, err := s.Open(ctx, other); err == nil || !strings.Contains(err.Error(), "arms bilateral_only,mediated_from_start, not bilateral_only") {
		t.Errorf("Open of other arms = %v", err)
	}
}

// TestReport reports the stored tournament as tournament.ReportOf does,
// and names a database without one.
func TestReport(t *testing.T) {
	st := newStore(t, filepath.Join(t.TempDir(), "r.db"))
	if _, err := st.Report(ctx); err == nil || !strings.Contains(err.Error(), "r.db holds no tournament") {
		t.Fatalf("empty database: %v", err)
	}
	if _, err := tournament.Run(ctx, tinyConfig(t), st, tournament.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := st.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := tournament.ReportOf(ctx, st)
	if err != nil || !reflect.DeepEqual(got, want) || got.Runs != 120 {
		t.Errorf("Report = %+v, want %+v (%v)", got, want, err)
	}
}

// armsMeta is an experiment's tournament of arms with its design.
func armsMeta() tournament.Meta {
	m := meta()
	m.Protocol = tournament.ProtocolStaged
	m.Arms = []tournament.Arm{{Name: "US.bias=0", Variant: "", Set: []string{"US.bias=0"}},
		{Name: "US.bias=0.5", Set: []string{"US.bias=0.5"}}}
	m.Design = &tournament.Design{Kind: "sweep", Params: []string{"US.bias=0,0.5"}}
	return m
}

// An experiment's design round-trips; a database of schema version 6
// (without it) opens read-only as it is, its design missing and Missing
// saying so, and unchanged; opened for writing it migrates (to version 8),
// and the same experiment resuming stores its design.
func TestMigrationDesign(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v6.db")
	s := newStore(t, path)
	if _, err := s.Open(ctx, armsMeta()); err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.Meta(ctx); err != nil || !reflect.DeepEqual(got, armsMeta()) {
		t.Fatalf("design meta:\n got %+v\nwant %+v (%v)", got, armsMeta(), err)
	}
	if s.Missing() != "" {
		t.Errorf("a current database misses %q", s.Missing())
	}
	other := armsMeta()
	other.Design.Params = []string{"US.bias=0,0.5,1"}
	if _, err := s.Open(ctx, other); err == nil || !strings.Contains(err.Error(), "design sweep variants [] params [US.bias=0,0.5], not sweep variants [] params [US.bias=0,0.5,1]") {
		t.Errorf("Open of another design = %v", err)
	}
	if _, err := s.Write(ctx, records()[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE schema_version SET version = 6;` + dropV7); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(path)

	r, err := OpenReadOnly(path)
	if err != nil {
		t.Fatalf("read-only open of a version 6 database: %v", err)
	}
	want := armsMeta()
	want.Design = nil
	if got, ok, err := r.Meta(ctx); err != nil || !ok || !reflect.DeepEqual(got, want) {
		t.Fatalf("version 6 meta:\n got %+v\nwant %+v (%v)", got, want, err)
	}
	if got := r.Missing(); !strings.Contains(got, "v6.db has schema version 6, older than this parley's 8") || !strings.Contains(got, "parameter values and the information note") {
		t.Errorf("Missing = %q", got)
	}
	if n := len(allRecords(t, r)); n != 1 {
		t.Errorf("%d records, want 1", n)
	}
	r.Close()
	if after, _ := os.ReadFile(path); !reflect.DeepEqual(before, after) {
		t.Error("reading the version 6 database changed it")
	}

	s = newStore(t, path)
	if got, _, err := s.Meta(ctx); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("migrated meta %+v, %v", got, err)
	}
	if _, err := s.Open(ctx, armsMeta()); err != nil {
		t.Fatalf("resuming the experiment on the migrated database: %v", err)
	}
	if got, _, err := s.Meta(ctx); err != nil || !reflect.DeepEqual(got, armsMeta()) {
		t.Fatalf("after resuming: %+v, %v", got, err)
	}
}

// An experiment's baseline round-trips in its own column (meta.design
// keeps the design without it), and a later command's baseline replaces
// it, since it changes the report and not the runs; a database of schema
// version 7 (without it) opens read-only with the baseline "" (the first
// arm), unchanged, and opened for writing migrates to version 8, where
// the experiment resuming stores its baseline.
func TestMigrationBaseline(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v7.db")
	s := newStore(t, path)
	withBase := func(b string) tournament.Meta {
		m := armsMeta()
		m.Design.Baseline = b
		return m
	}
	if _, err := s.Open(ctx, withBase("US.bias=0.5")); err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.Meta(ctx); err != nil || !reflect.DeepEqual(got, withBase("US.bias=0.5")) {
		t.Fatalf("baseline meta:\n got %+v\nwant %+v (%v)", got, withBase("US.bias=0.5"), err)
	}
	var design, baseline string
	if err := s.db.QueryRow(`SELECT design, baseline FROM meta`).Scan(&design, &baseline); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(design, "baseline") || baseline != "US.bias=0.5" {
		t.Errorf("meta.design %s, meta.baseline %q: want the baseline in its own column only", design, baseline)
	}
	if _, err := s.Open(ctx, withBase("US.bias=0")); err != nil {
		t.Fatalf("Open with another baseline: %v", err)
	}
	if got, _, err := s.Meta(ctx); err != nil || got.Design.Baseline != "US.bias=0" {
		t.Fatalf("after another baseline: %+v, %v", got.Design, err)
	}
	if _, err := s.Write(ctx, records()[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE schema_version SET version = 7;` + dropV8); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(path)

	r, err := OpenReadOnly(path)
	if err != nil {
		t.Fatalf("read-only open of a version 7 database: %v", err)
	}
	if got, ok, err := r.Meta(ctx); err != nil || !ok || !reflect.DeepEqual(got, withBase("")) {
		t.Fatalf("version 7 meta:\n got %+v\nwant %+v (%v)", got, withBase(""), err)
	}
	if _, err := r.Open(ctx, withBase("US.bias=0.5")); err != nil {
		t.Errorf("read-only Open of the version 7 database with a baseline: %v", err)
	}
	r.Close()
	if after, _ := os.ReadFile(path); !reflect.DeepEqual(before, after) {
		t.Error("reading the version 7 database changed it")
	}

	s = newStore(t, path)
	if got, _, err := s.Meta(ctx); err != nil || !reflect.DeepEqual(got, withBase("")) {
		t.Fatalf("migrated meta %+v, %v", got, err)
	}
	if _, err := s.Open(ctx, withBase("US.bias=0.5")); err != nil {
		t.Fatalf("resuming the experiment on the migrated database: %v", err)
	}
	if got, _, err := s.Meta(ctx); err != nil || !reflect.DeepEqual(got, withBase("US.bias=0.5")) {
		t.Fatalf("after resuming: %+v, %v", got, err)
	}
}
