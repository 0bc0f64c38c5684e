package sqlite

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/parley-dev/parley/tournament"
)

// TestPage: pages of the stored runs, in job order, as Records gives
// them, and bad bounds refused.
func TestPage(t *testing.T) {
	s := newStore(t, filepath.Join(t.TempDir(), "p.db"))
	if _, err := s.Open(ctx, meta()); err != nil {
		t.Fatal(err)
	}
	var rs []tournament.Record
	for _, id := range []int64{5, 1, 9, 2, 7} {
		r := records()[0]
		r.JobID = id
		rs = append(rs, r)
	}
	if _, err := s.Write(ctx, rs); err != nil {
		t.Fatal(err)
	}
	ids := func(rs []tournament.Record) []int64 {
		out := []int64{}
		for _, r := range rs {
			out = append(out, r.JobID)
		}
		return out
	}
	for _, c := range []struct {
		offset, limit int
		want          []int64
	}{
		{0, 2, []int64{1, 2}},
		{2, 2, []int64{5, 7}},
		{4, 10, []int64{9}},
		{5, 10, []int64{}},
		{0, 0, []int64{}},
	} {
		got, err := s.Page(ctx, c.offset, c.limit)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(got), c.want) {
			t.Errorf("Page(%d, %d) = runs %v, want %v", c.offset, c.limit, ids(got), c.want)
		}
	}
	all := allRecords(t, s)
	page, err := s.Page(ctx, 0, 100)
	if err != nil || len(page) != len(all) || page[2].Agreement["x"] != all[2].Agreement["x"] {
		t.Errorf("a page of every run differs from Records: %v", err)
	}
	if _, err := s.Page(ctx, -1, 2); err == nil {
		t.Error("a negative offset is accepted")
	}
}
