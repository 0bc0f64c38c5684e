// Package sqlitetest helps tests of results databases (store/sqlite).
package sqlitetest

import (
	"database/sql"
	"os"
	"testing"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

// dropV8 takes a database back to schema version 7's columns: without
// meta.baseline, an experiment's baseline (migration 0008).
const dropV8 = `ALTER TABLE meta DROP COLUMN baseline; UPDATE schema_version SET version = 7;`

// CopyAsVersion7 copies the results database src to dst as a Parley of
// schema version 7 wrote it: without meta.baseline, an experiment's
// baseline (migration 0008).
func CopyAsVersion7(tb testing.TB, src, dst string) {
	tb.Helper()
	copyAs(tb, src, dst, dropV8)
}

// CopyAsVersion6 copies the results database src to dst as a Parley of
// schema version 6 wrote it: also without meta.design, an experiment's
// design (migration 0007).
func CopyAsVersion6(tb testing.TB, src, dst string) {
	tb.Helper()
	copyAs(tb, src, dst, dropV8+`ALTER TABLE meta DROP COLUMN design; UPDATE schema_version SET version = 6`)
}

// copyAs copies src to dst and runs stmts on the copy.
func copyAs(tb testing.TB, src, dst, stmts string) {
	tb.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		tb.Fatal(err)
	}
	db, err := sql.Open("sqlite", dst)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmts); err != nil {
		tb.Fatalf("%s: %v", dst, err)
	}
}
