package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
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
// Its methods are safe for concurrent use. An appended batch is one
// transaction: once Append returns, the records survive the process being
// killed.
type Events struct {
	db   *sql.DB
	path string
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
	db, err := sql.Open("sqlite", dsn+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", p, err)
	}
	db.SetMaxOpenConns(1) // one writer; reads are rare (at start-up)
	e := &Events{db: db, path: p}
	if err := e.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return e, nil
}

// Close closes the database.
func (e *Events) Close() error {
	if err := e.db.Close(); err != nil {
		return fmt.Errorf("sqlite: %s: %w", e.path, err)
	}
	return nil
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
// log in one transaction. first must follow the last stored entry.
func (e *Events) Append(ctx context.Context, negotiation string, first int64, records [][]byte) error {
	err := e.tx(ctx, func(tx *sql.Tx) error {
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events WHERE negotiation = ?`, negotiation).Scan(&last); err != nil {
			return err
		}
		if first != last+1 {
			return fmt.Errorf("append at %d after %d entries", first, last)
		}
		if last == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO event_negotiations (negotiation) VALUES (?)`, negotiation); err != nil {
				return err
			}
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO events (negotiation, seq, record) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for i, r := range records {
			if _, err := st.ExecContext(ctx, negotiation, first+int64(i), r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: %s: negotiation %s: %w", e.path, negotiation, err)
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
