// Package sqlitetest helps tests of results databases (store/sqlite).
package sqlitetest

import (
	"database/sql"
	"os"
	"testing"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

// CopyAsVersion6 copies the results database src to dst as a Parley of
// schema version 6 wrote it: without meta.design, an experiment's design
// (migration 0007).
func CopyAsVersion6(tb testing.TB, src, dst string) {
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
	if _, err := db.Exec(`ALTER TABLE meta DROP COLUMN design; UPDATE schema_version SET version = 6`); err != nil {
		tb.Fatalf("%s: %v", dst, err)
	}
}
