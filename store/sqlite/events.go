package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"sync"
	"time"
)

// The event logs of parley serve have a schema of their own, versioned in
// the event_schema_version table and migrated by events/*.sql, apart from
// the tournament schema: a results database (New) may take them beside
// its tournament, but a database that holds only event logs is not a
// results database.

//go:embed events/*.sql
var eventMigrations embed.FS

// Events is the event store of parley serve (package server's Log) in an
// SQLite database: one append-only sequence of records per negotiation.
// Its methods are safe for concurrent use. Once Append returns nil, the
// records survive the process being killed.
//
// Appends are group-committed: one goroutine writes, and it commits every
// append that is waiting when it starts a transaction in that one
// transaction (at most maxGroup of them), so that a thousand negotiations
// appending at once share commits instead of queueing for them one by
// one. An append that does not follow its log's last entry fails alone.
type Events struct {
	db   *sql.DB
	ckpt *sql.DB // checkpoints the WAL (nil in memory)
	path string

	appends chan *appendReq
	stop    chan struct{}
	stopped chan struct{}
	closeMu sync.RWMutex // held for reading while an append is queued
	closed  bool

	ckptStopped chan struct{}

	// Owned by the writer goroutine: each negotiation's last stored seq
	// (read from the database the first time it appears), and the
	// prepared statements.
	last   map[string]int64
	insert *sql.Stmt
	lastQ  *sql.Stmt
	newNeg *sql.Stmt
}

// maxGroup bounds the appends committed in one transaction.
const maxGroup = 256

// appendReq is one Append waiting for the writer.
type appendReq struct {
	negotiation string
	first       int64
	records     [][]byte
	done        chan error
}

// OpenEvents opens the event store at path, creating it if needed and
// bringing its schema up to date. ":memory:" is a private in-memory
// database.
func OpenEvents(p string) (*Events, error) {
	dsn, q, err := location(p)
	if err != nil {
		return nil, err
	}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	var ckpt *sql.DB
	if p != ":memory:" {
		// The writer does not checkpoint the WAL itself (a checkpoint in
		// the middle of a commit held up every negotiation waiting for
		// it: the appends' p99 went from under 1 ms to 11 ms at 1,000
		// negotiations); a connection of its own does, passively, which
		// never blocks the writer.
		cq := q
		q = url.Values{}
		for k, v := range cq {
			q[k] = slices.Clone(v)
		}
		q.Add("_pragma", "wal_autocheckpoint(0)")
		if ckpt, err = sql.Open("sqlite", dsn+"?"+cq.Encode()); err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", p, err)
		}
		ckpt.SetMaxOpenConns(1)
	}
	db, err := sql.Open("sqlite", dsn+"?"+q.Encode())
	if err != nil {
		if ckpt != nil {
			ckpt.Close()
		}
		return nil, fmt.Errorf("sqlite: %s: %w", p, err)
	}
	db.SetMaxOpenConns(1) // one writer; reads are rare (at start-up)
	e := &Events{db: db, ckpt: ckpt, path: p, appends: make(chan *appendReq, maxGroup), stop: make(chan struct{}),
		stopped: make(chan struct{}), ckptStopped: make(chan struct{}), last: map[string]int64{}}
	ctx := context.Background()
	fail := func(err error) (*Events, error) {
		db.Close()
		if ckpt != nil {
			ckpt.Close()
		}
		return nil, err
	}
	if err := e.migrate(ctx); err != nil {
		return fail(err)
	}
	for _, st := range []struct {
		to  **sql.Stmt
		sql string
	}{
		{&e.insert, `INSERT INTO events (negotiation, seq, record) VALUES (?, ?, ?)`},
		{&e.lastQ, `SELECT coalesce(max(seq), 0) FROM events WHERE negotiation = ?`},
		{&e.newNeg, `INSERT INTO event_negotiations (negotiation) VALUES (?)`},
	} {
		if *st.to, err = db.PrepareContext(ctx, st.sql); err != nil {
			return fail(fmt.Errorf("sqlite: %s: %w", p, err))
		}
	}
	go e.write()
	go e.checkpoint()
	return e, nil
}

// Close stops the writer, after the appends already waiting, and closes
// the database; later appends fail.
func (e *Events) Close() error {
	e.closeMu.Lock()
	if !e.closed {
		e.closed = true
		close(e.stop)
	}
	e.closeMu.Unlock()
	<-e.stopped
	<-e.ckptStopped
	err := e.db.Close()
	if e.ckpt != nil {
		err = errors.Join(err, e.ckpt.Close())
	}
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", e.path, err)
	}
	return nil
}

// checkpointEvery is how often the WAL is checkpointed.
const checkpointEvery = 200 * time.Millisecond

// checkpoint copies the WAL into the database from its own connection,
// passively (it waits for no reader and blocks no writer), until Close.
func (e *Events) checkpoint() {
	defer close(e.ckptStopped)
	if e.ckpt == nil {
		return
	}
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-t.C:
			// A failed checkpoint loses nothing (the WAL keeps the
			// records); the next tick tries again.
			e.ckpt.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`)
		}
	}
}

// migrate applies the event migrations the database lacks.
func (e *Events) migrate(ctx context.Context) error {
	names, err := fs.Glob(eventMigrations, "events/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	var n int
	if err := e.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'event_schema_version'`).Scan(&n); err != nil {
		return fmt.Errorf("sqlite: %s: %w", e.path, err)
	}
	v := 0
	if n > 0 {
		if err := e.db.QueryRowContext(ctx, `SELECT version FROM event_schema_version`).Scan(&v); err != nil {
			return fmt.Errorf("sqlite: %s: reading the event schema version: %w", e.path, err)
		}
	}
	if v > len(names) {
		return fmt.Errorf("sqlite: %s has event schema version %d, newer than this parley's %d: use a newer parley", e.path, v, len(names))
	}
	for i := v; i < len(names); i++ {
		src, err := eventMigrations.ReadFile(names[i])
		if err != nil {
			return err
		}
		stmts := string(src)
		if i == 0 && n == 0 {
			stmts = "CREATE TABLE event_schema_version (version INTEGER NOT NULL);\nINSERT INTO event_schema_version VALUES (0);\n" + stmts
		}
		if err := e.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, stmts); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `UPDATE event_schema_version SET version = ?`, i+1)
			return err
		}); err != nil {
			return fmt.Errorf("sqlite: %s: migration %s: %w", e.path, path.Base(names[i]), err)
		}
	}
	return nil
}

// tx runs f in a transaction, committed when f returns nil.
func (e *Events) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := e.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Append stores records as entries first, first+1, ... of negotiation's
// log, durably, before it returns. first must follow the last stored
// entry. Once the writer has taken the append, Append waits for its commit
// whatever ctx does, so that an append never half-happens behind its
// caller's back.
func (e *Events) Append(ctx context.Context, negotiation string, first int64, records [][]byte) error {
	r := &appendReq{negotiation: negotiation, first: first, records: records, done: make(chan error, 1)}
	e.closeMu.RLock()
	if e.closed {
		e.closeMu.RUnlock()
		return fmt.Errorf("sqlite: %s: negotiation %s: the event store is closed", e.path, negotiation)
	}
	select {
	case e.appends <- r:
		e.closeMu.RUnlock()
	case <-ctx.Done():
		e.closeMu.RUnlock()
		return fmt.Errorf("sqlite: %s: negotiation %s: %w", e.path, negotiation, ctx.Err())
	}
	if err := <-r.done; err != nil {
		return fmt.Errorf("sqlite: %s: negotiation %s: %w", e.path, negotiation, err)
	}
	return nil
}

// write is the writer goroutine: it commits the waiting appends in groups
// until Close.
func (e *Events) write() {
	defer close(e.stopped)
	group := make([]*appendReq, 0, maxGroup)
	for {
		var r *appendReq
		select {
		case r = <-e.appends:
		case <-e.stop:
			// Commit what is already queued, then stop.
			for {
				select {
				case r := <-e.appends:
					e.commit([]*appendReq{r})
				default:
					return
				}
			}
		}
		group = append(group[:0], r)
	more:
		for len(group) < maxGroup {
			select {
			case r := <-e.appends:
				group = append(group, r)
			default:
				break more
			}
		}
		e.commit(group)
		clear(group)
	}
}

// commit writes a group of appends in one transaction and answers each.
// An append that does not follow its log is refused alone; a failed
// transaction fails the whole group, and the logs it touched are read
// again from the database next time.
func (e *Events) commit(group []*appendReq) {
	ctx := context.Background()
	errs := make([]error, len(group))
	tx, err := e.db.BeginTx(ctx, nil)
	if err == nil {
		err = e.appendAll(ctx, tx, group, errs)
		if err != nil {
			tx.Rollback()
		} else {
			err = tx.Commit()
		}
	}
	if err != nil {
		for _, r := range group {
			delete(e.last, r.negotiation)
			r.done <- err
		}
		return
	}
	for i, r := range group {
		r.done <- errs[i]
	}
}

// appendAll inserts the group's records in tx, setting errs[i] for an
// append that does not follow its log.
func (e *Events) appendAll(ctx context.Context, tx *sql.Tx, group []*appendReq, errs []error) error {
	insert, lastQ, newNeg := tx.StmtContext(ctx, e.insert), tx.StmtContext(ctx, e.lastQ), tx.StmtContext(ctx, e.newNeg)
	for i, r := range group {
		last, ok := e.last[r.negotiation]
		if !ok {
			if err := lastQ.QueryRowContext(ctx, r.negotiation).Scan(&last); err != nil {
				return err
			}
		}
		if r.first != last+1 {
			errs[i] = fmt.Errorf("append at %d after %d entries", r.first, last)
			e.last[r.negotiation] = last
			continue
		}
		if last == 0 {
			if _, err := newNeg.ExecContext(ctx, r.negotiation); err != nil {
				return err
			}
		}
		for k, rec := range r.records {
			if _, err := insert.ExecContext(ctx, r.negotiation, r.first+int64(k), rec); err != nil {
				return err
			}
		}
		e.last[r.negotiation] = last + int64(len(r.records))
	}
	return nil
}

// Records returns every record of negotiation's log, in order.
func (e *Events) Records(ctx context.Context, negotiation string) ([][]byte, error) {
	rows, err := e.db.QueryContext(ctx, `SELECT seq, record FROM events WHERE negotiation = ? ORDER BY seq`, negotiation)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: negotiation %s: %w", e.path, negotiation, err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var seq int64
		var r []byte
		if err := rows.Scan(&seq, &r); err != nil {
			return nil, fmt.Errorf("sqlite: %s: negotiation %s: %w", e.path, negotiation, err)
		}
		if seq != int64(len(out))+1 {
			return nil, fmt.Errorf("sqlite: %s: negotiation %s: entry %d missing", e.path, negotiation, len(out)+1)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: negotiation %s: %w", e.path, negotiation, err)
	}
	return out, nil
}

// Negotiations returns the negotiations that have records, in the order
// of their first record.
func (e *Events) Negotiations(ctx context.Context) ([]string, error) {
	rows, err := e.db.QueryContext(ctx, `SELECT negotiation FROM event_negotiations ORDER BY rowid`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", e.path, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", e.path, err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", e.path, err)
	}
	return out, nil
}
