// Package sqlite stores tournament results in an SQLite database
// (modernc.org/sqlite, pure Go): it implements tournament.Store, and reads
// the results back for reports, replays and merges.
//
// The database runs in WAL mode with synchronous=NORMAL: a transaction,
// once committed, survives the process being killed (kill -9), so a
// tournament resumes from its last committed batch. The schema is created
// and upgraded by embedded migrations (migrations/*.sql) and versioned in
// the schema_version table; a database written by a newer Parley is
// refused. docs/tournaments.md documents the tables.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"math"
	"net/url"
	"os"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	driver "modernc.org/sqlite" // the database/sql driver "sqlite"

	"github.com/parley-dev/parley/tournament"
)

//go:embed migrations/*.sql
var migrations embed.FS

// schemaVersion is the number of embedded migrations.
var schemaVersion = func() int {
	n, _ := fs.Glob(migrations, "migrations/*.sql")
	return len(n)
}()

// SchemaVersion returns the schema version this package writes: the number
// of its migrations.
func SchemaVersion() int { return schemaVersion }

// minReadOnly is the oldest schema version OpenReadOnly reads without
// upgrading it: version 6's database lacks only meta.design (Missing),
// version 7's only meta.baseline (the first arm).
const minReadOnly = 6

// ErrNotFound is returned by Record for a run that is not stored.
var ErrNotFound = errors.New("sqlite: run not found")

// Store is a results database. It implements tournament.Store; its
// methods are safe for concurrent use.
type Store struct {
	db       *sql.DB
	path     string
	readOnly bool
	// version is the database's schema version: schemaVersion, or an
	// older one down to minReadOnly for a database opened read-only.
	version int

	mu     sync.Mutex // guards insert
	insert *sql.Stmt
}

var _ tournament.Store = (*Store)(nil)

// New opens the results database at path, creating it if needed and
// bringing its schema up to date. ":memory:" is a private in-memory
// database.
func New(path string) (*Store, error) {
	return open(path, false)
}

// OpenReadOnly opens an existing results database without writing to it
// (reports, replays, merge inputs). It works on a file nobody may write,
// in a folder nobody may write: SQLite then cannot create the shared
// memory file of WAL mode (DB-shm), and the database is read as an
// immutable file, which is safe as long as no DB-wal file holds changes
// (when one does, the error says how to fold it in).
func OpenReadOnly(path string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	s, err := open(path, true)
	if err == nil || !isReadOnlyErr(err) {
		return s, err
	}
	if fi, werr := os.Stat(path + "-wal"); werr == nil && fi.Size() > 0 {
		return nil, fmt.Errorf("sqlite: %s: read-only, and its write-ahead log %s-wal holds changes that cannot be read without write access: "+
			"open it once where it is writable (parley report there, or copy the folder): %w", path, path, err)
	}
	return openDSN(path, true, true)
}

// isReadOnlyErr reports an SQLite error of the SQLITE_READONLY family
// (such as SQLITE_READONLY_DIRECTORY: the folder of a WAL database is not
// writable) or SQLITE_CANTOPEN.
func isReadOnlyErr(err error) bool {
	var e *driver.Error
	if !errors.As(err, &e) {
		return false
	}
	const sqliteReadOnly, sqliteCantOpen = 8, 14
	return e.Code()&0xff == sqliteReadOnly || e.Code()&0xff == sqliteCantOpen
}

// location returns the data source name of the database at p (":memory:"
// for a private in-memory one) and its first parameter, the busy timeout.
func location(p string) (string, url.Values, error) {
	if p == "" {
		return "", nil, errors.New("sqlite: no database path")
	}
	dsn := "file::memory:"
	if p != ":memory:" {
		dsn = "file:" + (&url.URL{Path: p}).EscapedPath()
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	return dsn, q, nil
}

func open(p string, readOnly bool) (*Store, error) {
	return openDSN(p, readOnly, false)
}

// openDSN opens the database at p; immutable (read-only only) tells
// SQLite that nobody changes the file, so it takes no locks and needs no
// shared memory file.
func openDSN(p string, readOnly, immutable bool) (*Store, error) {
	dsn, q, err := location(p)
	if err != nil {
		return nil, err
	}
	if readOnly {
		q.Set("mode", "ro")
		if immutable {
			q.Set("immutable", "1")
		}
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
	}
	db, err := sql.Open("sqlite", dsn+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", p, err)
	}
	// An in-memory database lives in its one connection; a file allows a
	// reader (Records) beside the writer.
	if p == ":memory:" {
		db.SetMaxOpenConns(1)
	} else {
		db.SetMaxOpenConns(4)
	}
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	s := &Store{db: db, path: p, readOnly: readOnly}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Path returns the database's path.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.insert != nil {
		s.insert.Close()
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	return nil
}

// Version returns the database's schema version (0 for an empty file).
func (s *Store) Version(ctx context.Context) (int, error) {
	v, _, err := version(ctx, s.db)
	return v, err
}

// version returns the schema version and whether the schema_version
// table exists.
func version(ctx context.Context, db *sql.DB) (v int, exists bool, err error) {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'`).Scan(&n); err != nil {
		return 0, false, err
	}
	if n == 0 {
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&n); err != nil {
			return 0, false, err
		}
		if n > 0 {
			return 0, false, errors.New("not a Parley results database (it has tables but no schema_version)")
		}
		return 0, false, nil
	}
	if err := db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v); err != nil {
		return 0, true, fmt.Errorf("reading the schema version: %w", err)
	}
	return v, true, nil
}

// migrate applies the migrations the database lacks, each in its own
// transaction with its version bump.
func (s *Store) migrate(ctx context.Context) error {
	v, exists, err := version(ctx, s.db)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	if v > schemaVersion {
		return fmt.Errorf("sqlite: %s has schema version %d, newer than this parley's %d: use a newer parley", s.path, v, schemaVersion)
	}
	s.version = v
	if v == schemaVersion {
		return nil
	}
	if s.readOnly {
		if !exists {
			return fmt.Errorf("sqlite: %s is not a Parley results database (it is empty)", s.path)
		}
		if v >= minReadOnly {
			return nil // read as it is: Missing says what it lacks
		}
		return fmt.Errorf("sqlite: %s has schema version %d, older than this parley's %d: open it for writing once (e.g. parley merge) to upgrade it", s.path, v, schemaVersion)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	for i := v; i < len(names); i++ {
		src, err := migrations.ReadFile(names[i])
		if err != nil {
			return err
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("sqlite: %s: %w", s.path, err)
		}
		stmts := string(src)
		if !exists {
			exists = true
			stmts = "CREATE TABLE schema_version (version INTEGER NOT NULL);\nINSERT INTO schema_version VALUES (0);\n" + stmts
		}
		if _, err := tx.ExecContext(ctx, stmts); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: %s: migration %s: %w", s.path, path.Base(names[i]), err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, i+1); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: %s: migration %s: %w", s.path, path.Base(names[i]), err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("sqlite: %s: migration %s: %w", s.path, path.Base(names[i]), err)
		}
	}
	s.version = len(names)
	return nil
}

// Missing says what the database lacks because an older Parley wrote it
// (a database opened read-only keeps its older schema), or "" when it
// lacks nothing.
func (s *Store) Missing() string {
	if s.version < 7 {
		return fmt.Sprintf("%s has schema version %d, older than this parley's %d: it does not store how an experiment asked for its arms "+
			"(the kind, each cell's parameter values and the information note); open it for writing once (e.g. parley merge) to upgrade it, "+
			"then run its 'parley experiment' command again with --db to store them", s.path, s.version, schemaVersion)
	}
	if s.version < 8 {
		return fmt.Sprintf("%s has schema version %d, older than this parley's %d: it does not store an experiment's baseline (--baseline), "+
			"so its paired tests compare the others with the first arm; open it for writing once (e.g. parley merge) to upgrade it, "+
			"then run its 'parley experiment' command again with --db (and --baseline) to store it", s.path, s.version, schemaVersion)
	}
	return ""
}

// Meta returns the tournament the database holds; ok is false for a
// database no tournament has opened yet.
func (s *Store) Meta(ctx context.Context) (m tournament.Meta, ok bool, err error) {
	design, baseline := "design", "baseline"
	if s.version < 7 {
		design = "''" // not stored: Missing says so
	}
	if s.version < 8 {
		baseline = "''" // not stored: the first arm
	}
	return readMeta(ctx, s.db, "main", s.path, design, baseline)
}

// readMeta reads the tournament in schema's meta table; design and
// baseline are the expressions of its design and baseline columns.
func readMeta(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, schema, name, design, baseline string) (m tournament.Meta, ok bool, err error) {
	var agents, scenarios, seed, timing, protocol, mediators, voters, arms, des, base string
	var self int
	err = q.QueryRowContext(ctx, `SELECT agents, scenarios, reps, deadline, seed, self_play, timing, planned,
		protocol, mediators, voters, variant, rule, info, noise, arms, `+design+`, `+baseline+` FROM `+schema+`.meta WHERE id = 1`).
		Scan(&agents, &scenarios, &m.Reps, &m.Deadline, &seed, &self, &timing, &m.Planned,
			&protocol, &mediators, &voters, &m.Variant, &m.Rule, &m.Info, &m.Noise, &arms, &des, &base)
	if errors.Is(err, sql.ErrNoRows) {
		return tournament.Meta{}, false, nil
	}
	if err != nil {
		return tournament.Meta{}, false, fmt.Errorf("sqlite: %s: reading the tournament: %w", name, err)
	}
	if err := json.Unmarshal([]byte(agents), &m.Agents); err != nil {
		return tournament.Meta{}, false, fmt.Errorf("sqlite: %s: meta.agents: %w", name, err)
	}
	if err := json.Unmarshal([]byte(scenarios), &m.Scenarios); err != nil {
		return tournament.Meta{}, false, fmt.Errorf("sqlite: %s: meta.scenarios: %w", name, err)
	}
	if m.Seed, err = strconv.ParseUint(seed, 10, 64); err != nil {
		return tournament.Meta{}, false, fmt.Errorf("sqlite: %s: meta.seed: %w", name, err)
	}
	if err := json.Unmarshal([]byte(mediators), &m.Mediators); err != nil {
		return tournament.Meta{}, false, fmt.Errorf("sqlite: %s: meta.mediators: %w", name, err)
	}
	if err := json.Unmarshal([]byte(voters), &m.Voters); err != nil {
		return tournament.Meta{}, false, fmt.Errorf("sqlite: %s: meta.voters: %w", name, err)
	}
	if err := json.Unmarshal([]byte(arms), &m.Arms); err != nil {
		return tournament.Meta{}, false, fmt.Errorf("sqlite: %s: meta.arms: %w", name, err)
	}
	if len(m.Arms) == 0 {
		m.Arms = nil
	}
	if des != "" {
		m.Design = new(tournament.Design)
		if err := json.Unmarshal([]byte(des), m.Design); err != nil {
			return tournament.Meta{}, false, fmt.Errorf("sqlite: %s: meta.design: %w", name, err)
		}
		m.Design.Baseline = base
	}
	if len(m.Agents) == 0 {
		m.Agents = nil
	}
	if len(m.Mediators) == 0 {
		m.Mediators = nil
	}
	if len(m.Voters) == 0 {
		m.Voters = nil
	}
	if m.Protocol, err = tournament.ParseProtocol(protocol); err != nil {
		return tournament.Meta{}, false, fmt.Errorf("sqlite: %s: meta.protocol: %w", name, err)
	}
	m.SelfPlay = self != 0
	m.Timing = tournament.Timing(timing)
	return m, true, nil
}

// Open records m in a new database, or checks that an existing one holds
// the same tournament, and returns which jobs are stored (a bitset read
// once, safe for concurrent use).
func (s *Store) Open(ctx context.Context, m tournament.Meta) (func(id int64) bool, error) {
	if m.Protocol == "" {
		m.Protocol = tournament.ProtocolSAO // as stored
	}
	old, ok, err := s.Meta(ctx)
	if err != nil {
		return nil, err
	}
	if ok {
		if old.Design == nil && m.Design != nil && !s.readOnly {
			// Written before the design was stored (schema version 6), or
			// by experiment.Run without a Design: the same arms, now with
			// how they were asked for.
			if err := s.setDesign(ctx, m.Design); err != nil {
				return nil, err
			}
			d := *m.Design
			d.Baseline = "" // stored below
			old.Design = &d
		}
		if old.Design != nil && m.Design != nil && old.Design.Baseline != m.Design.Baseline {
			// The baseline changes the report, not the runs: the database
			// keeps the latest command's (a read-only one keeps its own).
			if !s.readOnly {
				if err := s.setBaseline(ctx, m.Design.Baseline); err != nil {
					return nil, err
				}
			}
			old.Design.Baseline = m.Design.Baseline
		}
		if d := diffMeta(old, m); d != "" {
			return nil, fmt.Errorf("sqlite: %s holds another tournament (%s): use another database or the same settings", s.path, d)
		}
	} else {
		if s.readOnly {
			return nil, fmt.Errorf("sqlite: %s holds no tournament", s.path)
		}
		self := 0
		if m.SelfPlay {
			self = 1
		}
		arms := []byte("[]")
		if len(m.Arms) > 0 {
			if arms, err = json.Marshal(m.Arms); err != nil {
				return nil, fmt.Errorf("sqlite: %s: arms: %w", s.path, err)
			}
		}
		design, err := designText(m.Design)
		if err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", s.path, err)
		}
		baseline := ""
		if m.Design != nil {
			baseline = m.Design.Baseline
		}
		if _, err := s.db.ExecContext(ctx, `INSERT INTO meta (id, agents, scenarios, reps, deadline, seed, self_play, timing, planned, created,
			protocol, mediators, voters, variant, rule, info, noise, arms, design, baseline) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			string(appendStrings(nil, m.Agents)), string(appendStrings(nil, m.Scenarios)), m.Reps, m.Deadline, strconv.FormatUint(m.Seed, 10), self, string(m.Timing), m.Planned,
			time.Now().UTC().Format(time.RFC3339),
			string(m.Protocol), string(appendStrings(nil, m.Mediators)), string(appendStrings(nil, m.Voters)), m.Variant, m.Rule, m.Info, finite(m.Noise), string(arms), design, baseline); err != nil {
			return nil, fmt.Errorf("sqlite: %s: recording the tournament: %w", s.path, err)
		}
	}
	done := make([]uint64, (m.Planned+63)/64)
	rows, err := s.db.QueryContext(ctx, `SELECT job_id FROM runs`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", s.path, err)
		}
		if id < 0 || id >= m.Planned {
			return nil, fmt.Errorf("sqlite: %s: run %d is outside the tournament's %d runs", s.path, id, m.Planned)
		}
		done[id>>6] |= 1 << (uint(id) & 63)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	return func(id int64) bool {
		return id >= 0 && id < m.Planned && done[id>>6]&(1<<(uint(id)&63)) != 0
	}, nil
}

// designText is d as stored in meta.design (” for nil), without its
// baseline, which meta.baseline holds.
func designText(d *tournament.Design) (string, error) {
	if d == nil {
		return "", nil
	}
	dd := *d
	dd.Baseline = ""
	b, err := json.Marshal(dd)
	if err != nil {
		return "", fmt.Errorf("design: %w", err)
	}
	return string(b), nil
}

// setDesign stores d as the design of the database's tournament.
func (s *Store) setDesign(ctx context.Context, d *tournament.Design) error {
	text, err := designText(d)
	if err == nil {
		_, err = s.db.ExecContext(ctx, `UPDATE meta SET design = ? WHERE id = 1`, text)
	}
	if err != nil {
		return fmt.Errorf("sqlite: %s: recording the experiment's design: %w", s.path, err)
	}
	return nil
}

// setBaseline stores the baseline of the database's experiment.
func (s *Store) setBaseline(ctx context.Context, baseline string) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE meta SET baseline = ? WHERE id = 1`, baseline); err != nil {
		return fmt.Errorf("sqlite: %s: recording the experiment's baseline: %w", s.path, err)
	}
	return nil
}

// diffMeta names the first field in which two tournaments differ, or "".
func diffMeta(have, want tournament.Meta) string {
	switch {
	case !slices.Equal(have.Agents, want.Agents):
		return fmt.Sprintf("agents %s, not %s", strings.Join(have.Agents, ","), strings.Join(want.Agents, ","))
	case !slices.Equal(have.Scenarios, want.Scenarios):
		return fmt.Sprintf("scenarios %s, not %s", strings.Join(have.Scenarios, ","), strings.Join(want.Scenarios, ","))
	case have.Reps != want.Reps:
		return fmt.Sprintf("reps %d, not %d", have.Reps, want.Reps)
	case have.Deadline != want.Deadline:
		return fmt.Sprintf("deadline %d, not %d", have.Deadline, want.Deadline)
	case have.Seed != want.Seed:
		return fmt.Sprintf("seed %d, not %d", have.Seed, want.Seed)
	case have.SelfPlay != want.SelfPlay:
		return fmt.Sprintf("self-play %v, not %v", have.SelfPlay, want.SelfPlay)
	case have.Protocol != want.Protocol:
		return fmt.Sprintf("protocol %s, not %s", have.Protocol, want.Protocol)
	case !slices.Equal(have.Mediators, want.Mediators):
		return fmt.Sprintf("mediators %s, not %s", strings.Join(have.Mediators, ","), strings.Join(want.Mediators, ","))
	case !slices.Equal(have.Voters, want.Voters):
		return fmt.Sprintf("voters %s, not %s", strings.Join(have.Voters, ","), strings.Join(want.Voters, ","))
	case have.Variant != want.Variant:
		return fmt.Sprintf("variant %q, not %q", have.Variant, want.Variant)
	case have.Timing != want.Timing:
		return fmt.Sprintf("timing %s, not %s", timingName(have.Timing), timingName(want.Timing))
	case have.Planned != want.Planned:
		return fmt.Sprintf("%d planned runs, not %d", have.Planned, want.Planned)
	case !reflect.DeepEqual(have.Arms, want.Arms):
		return fmt.Sprintf("arms %s, not %s", armNames(have.Arms), armNames(want.Arms))
	case !reflect.DeepEqual(have.Design, want.Design):
		return fmt.Sprintf("design %s, not %s", designName(have.Design), designName(want.Design))
	case !reflect.DeepEqual(have, want):
		return "different settings"
	}
	return ""
}

// designName describes an experiment's design for messages.
func designName(d *tournament.Design) string {
	if d == nil {
		return "none"
	}
	return fmt.Sprintf("%s variants [%s] params [%s]", d.Kind, strings.Join(d.Variants, ","), strings.Join(d.Params, " "))
}

// armNames lists the arms' names, or says there are none.
func armNames(arms []tournament.Arm) string {
	if len(arms) == 0 {
		return "none"
	}
	ns := make([]string, len(arms))
	for i, a := range arms {
		ns[i] = a.Name
	}
	return strings.Join(ns, ",")
}

const columns = `job_id, scenario, rep, agents, agreement, utilities, discounted, advantage, rounds, reason, error, elapsed_ns, pareto_distance, nash_distance, welfare, worker, metrics_note, mediator, voters, fairness, arm, stage, time, locked`

// Write stores the records in one transaction, ignoring those whose job
// is already stored (also by another process writing the same database),
// and returns how many it stored, moved to the front of rs.
func (s *Store) Write(ctx context.Context, rs []tournament.Record) (int, error) {
	if len(rs) == 0 {
		return 0, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.insert == nil {
		st, err := s.db.PrepareContext(ctx, `INSERT OR IGNORE INTO runs (`+columns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return 0, fmt.Errorf("sqlite: %s: %w", s.path, err)
		}
		s.insert = st
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	st := tx.StmtContext(ctx, s.insert)
	var buf []byte
	var stored []int // indexes of the records inserted
	for i := range rs {
		r := &rs[i]
		var agreement, errText, nash, note, med, voters, fair, arm, stage any
		if r.Agreement != nil {
			b, err := json.Marshal(r.Agreement)
			if err != nil {
				tx.Rollback()
				return 0, fmt.Errorf("sqlite: run %d: agreement: %w", r.JobID, err)
			}
			agreement = string(b)
		}
		if r.Error != "" {
			errText = r.Error
		}
		if r.HasNash {
			nash = r.NashDistance
		}
		if r.MetricsNote != "" {
			note = r.MetricsNote
		}
		if r.Mediator != "" {
			med = r.Mediator
		}
		if r.Voters != nil {
			voters = string(appendStrings(nil, r.Voters))
		}
		if r.HasFairness {
			fair = finite(r.Fairness)
		}
		if r.Arm != "" {
			arm = r.Arm
		}
		if r.Stage != "" {
			stage = r.Stage
		}
		buf = appendStrings(buf[:0], r.Agents)
		agents := string(buf)
		buf = appendFloats(buf[:0], r.Utilities)
		utilities := string(buf)
		buf = appendFloats(buf[:0], r.Discounted)
		discounted := string(buf)
		buf = appendFloats(buf[:0], r.Advantage)
		advantage := string(buf)
		res, err := st.ExecContext(ctx, r.JobID, r.Scenario, r.Rep, agents, agreement, utilities, discounted, advantage,
			r.Rounds, r.Reason, errText, int64(r.Elapsed), finite(r.ParetoDistance), nash, finite(r.Welfare), r.Worker, note, med, voters, fair, arm, stage, finite(r.Time), r.Locked)
		var n int64
		if err == nil {
			n, err = res.RowsAffected()
		}
		if err != nil {
			tx.Rollback()
			return 0, fmt.Errorf("sqlite: %s: run %d: %w", s.path, r.JobID, err)
		}
		if n > 0 { // inserted, not ignored
			stored = append(stored, i)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	for k, i := range stored { // k <= i: a stable move to the front
		rs[k], rs[i] = rs[i], rs[k]
	}
	return len(stored), nil
}

// finite maps NaN and infinities (which SQLite cannot store as REAL) to 0.
func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

// appendFloats writes xs as a JSON array of shortest round-tripping
// numbers.
func appendFloats(b []byte, xs []float64) []byte {
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendFloat(b, finite(x), 'g', -1, 64)
	}
	return append(b, ']')
}

// appendStrings writes ss as a JSON array of strings.
func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		q, _ := json.Marshal(s)
		b = append(b, q...)
	}
	return append(b, ']')
}

// Count returns the number of stored runs.
func (s *Store) Count(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM runs`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	return n, nil
}

// Record returns the stored result of job id (ErrNotFound if none).
func (s *Store) Record(ctx context.Context, id int64) (tournament.Record, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+columns+` FROM runs WHERE job_id = ?`, id)
	if err != nil {
		return tournament.Record{}, fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return tournament.Record{}, fmt.Errorf("sqlite: %s: %w", s.path, err)
		}
		return tournament.Record{}, fmt.Errorf("%w: %d in %s", ErrNotFound, id, s.path)
	}
	return s.scan(rows)
}

// Records iterates over the stored runs in job order. Stop early by
// breaking out of the loop. The loop holds a connection: on an in-memory
// store (one connection) it must not call other methods of the store.
func (s *Store) Records(ctx context.Context) iter.Seq2[tournament.Record, error] {
	return func(yield func(tournament.Record, error) bool) {
		rows, err := s.db.QueryContext(ctx, `SELECT `+columns+` FROM runs ORDER BY job_id`)
		if err != nil {
			yield(tournament.Record{}, fmt.Errorf("sqlite: %s: %w", s.path, err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			r, err := s.scan(rows)
			if !yield(r, err) || err != nil {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(tournament.Record{}, fmt.Errorf("sqlite: %s: %w", s.path, err))
		}
	}
}

func (s *Store) scan(rows *sql.Rows) (tournament.Record, error) {
	var r tournament.Record
	var agents, utilities, discounted, advantage string
	var agreement, errText, note, med, voters, arm, stage sql.NullString
	var nash, fair sql.NullFloat64
	var elapsed int64
	if err := rows.Scan(&r.JobID, &r.Scenario, &r.Rep, &agents, &agreement, &utilities, &discounted, &advantage,
		&r.Rounds, &r.Reason, &errText, &elapsed, &r.ParetoDistance, &nash, &r.Welfare, &r.Worker, &note, &med, &voters, &fair,
		&arm, &stage, &r.Time, &r.Locked); err != nil {
		return r, fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	fail := func(col string, err error) (tournament.Record, error) {
		return tournament.Record{}, fmt.Errorf("sqlite: %s: run %d: %s: %w", s.path, r.JobID, col, err)
	}
	if err := json.Unmarshal([]byte(agents), &r.Agents); err != nil {
		return fail("agents", err)
	}
	if agreement.Valid {
		if err := json.Unmarshal([]byte(agreement.String), &r.Agreement); err != nil {
			return fail("agreement", err)
		}
	}
	var err error
	if r.Utilities, err = parseFloats(utilities); err != nil {
		return fail("utilities", err)
	}
	if r.Discounted, err = parseFloats(discounted); err != nil {
		return fail("discounted", err)
	}
	if r.Advantage, err = parseFloats(advantage); err != nil {
		return fail("advantage", err)
	}
	if voters.Valid {
		if err := json.Unmarshal([]byte(voters.String), &r.Voters); err != nil {
			return fail("voters", err)
		}
	}
	r.Mediator = med.String
	r.Arm, r.Stage = arm.String, stage.String
	r.Fairness, r.HasFairness = fair.Float64, fair.Valid
	r.Error = errText.String
	r.MetricsNote = note.String
	r.NashDistance, r.HasNash = nash.Float64, nash.Valid
	r.Elapsed = time.Duration(elapsed)
	return r, nil
}

// parseFloats reads a JSON array of numbers as written by appendFloats.
func parseFloats(s string) ([]float64, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, fmt.Errorf("not a JSON array: %.40q", s)
	}
	s = strings.TrimSpace(s[1 : len(s)-1])
	if s == "" {
		return []float64{}, nil
	}
	xs := make([]float64, 0, strings.Count(s, ",")+1)
	for f := range strings.SplitSeq(s, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, err
		}
		xs = append(xs, x)
	}
	return xs, nil
}

// Merge copies the runs of the results database at src (a shard of the
// same tournament) into s, recording src's tournament if s has none yet,
// and returns the number of runs added (runs s already holds are skipped).
func (s *Store) Merge(ctx context.Context, src string) (int64, error) {
	in, err := OpenReadOnly(src)
	if err != nil {
		return 0, err
	}
	m, ok, err := in.Meta(ctx)
	in.Close()
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, fmt.Errorf("sqlite: %s holds no tournament", src)
	}
	if _, err := s.Open(ctx, m); err != nil {
		return 0, err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	defer conn.Close()
	uri := "file:" + (&url.URL{Path: src}).EscapedPath() + "?mode=ro"
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS src`, uri); err != nil {
		return 0, fmt.Errorf("sqlite: attaching %s: %w", src, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `DETACH DATABASE src`)
	res, err := conn.ExecContext(ctx, `INSERT OR IGNORE INTO main.runs (`+columns+`) SELECT `+columns+` FROM src.runs`)
	if err != nil {
		return 0, fmt.Errorf("sqlite: merging %s into %s: %w", src, s.path, err)
	}
	return res.RowsAffected()
}

// MergeShards merges the results databases ins, shards of one tournament,
// into the database at out, created if needed, as 'parley merge' does: it
// first checks that every input holds the same tournament (errors start
// "merge:"), then merges each (Merge), calling added with the number of
// runs it added, and returns the runs out then holds and the
// tournament's planned runs.
func MergeShards(ctx context.Context, out string, ins []string, added func(in string, n int64)) (runs, planned int64, err error) {
	var first tournament.Meta
	for i, in := range ins {
		// Check every input before writing anything.
		st, err := OpenReadOnly(in)
		if err != nil {
			return 0, 0, err
		}
		m, ok, err := st.Meta(ctx)
		st.Close()
		if err != nil {
			return 0, 0, err
		}
		if !ok {
			return 0, 0, fmt.Errorf("merge: %s holds no tournament", in)
		}
		if i == 0 {
			first = m
		} else if !reflect.DeepEqual(m, first) {
			return 0, 0, fmt.Errorf("merge: %s and %s hold different tournaments (%+v and %+v)", ins[0], in, first, m)
		}
	}
	st, err := New(out)
	if err != nil {
		return 0, 0, err
	}
	defer st.Close()
	for _, in := range ins {
		n, err := st.Merge(ctx, in)
		if err != nil {
			return 0, 0, err
		}
		added(in, n)
	}
	m, _, err := st.Meta(ctx)
	if err != nil {
		return 0, 0, err
	}
	n, err := st.Count(ctx)
	if err != nil {
		return 0, 0, err
	}
	return n, int64(m.Planned), nil
}

// timingName names a tournament timing for messages.
func timingName(t tournament.Timing) string {
	if t == tournament.TimingAuto {
		return "auto"
	}
	return string(t)
}
