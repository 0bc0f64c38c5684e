package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/parley-dev/parley/store/sqlite"
)

func TestEventsAppendAndReopen(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "serve.db")
	e, err := sqlite.OpenEvents(p)
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.Append(ctx, "n2", 1, [][]byte{[]byte(`a`), []byte(`b`)}))
	must(e.Append(ctx, "n1", 1, [][]byte{[]byte(`x`)}))
	must(e.Append(ctx, "n2", 3, [][]byte{[]byte(`c`)}))
	for _, bad := range []struct {
		first int64
		want  string
	}{{3, "append at 3 after 3 entries"}, {5, "append at 5 after 3 entries"}, {1, "append at 1 after 3"}} {
		err := e.Append(ctx, "n2", bad.first, [][]byte{[]byte(`z`)})
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("append at %d: %v, want %q", bad.first, err, bad.want)
		}
	}
	must(e.Close())

	// A reopened store has every committed record, in order.
	e, err = sqlite.OpenEvents(p)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ids, err := e.Negotiations(ctx)
	must(err)
	if !slices.Equal(ids, []string{"n2", "n1"}) {
		t.Errorf("negotiations %v, want [n2 n1]", ids)
	}
	recs, err := e.Records(ctx, "n2")
	must(err)
	var got []string
	for _, r := range recs {
		got = append(got, string(r))
	}
	if !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("records %q, want [a b c]", got)
	}
	if recs, err := e.Records(ctx, "none"); err != nil || len(recs) != 0 {
		t.Errorf("records of an unknown negotiation: %q, %v", recs, err)
	}
}

// A results database (sqlite.New) may take the event logs beside its
// tournament, and stays a results database.
func TestEventsBesideTournament(t *testing.T) {
	p := filepath.Join(t.TempDir(), "results.db")
	st, err := sqlite.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	e, err := sqlite.OpenEvents(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Append(context.Background(), "n1", 1, [][]byte{[]byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = sqlite.New(p)
	if err != nil {
		t.Fatalf("the results database with event logs: %v", err)
	}
	st.Close()
}

// TestEventsGroupCommit: many negotiations appending at once share the
// writer's transactions; every record is stored in order, an append that
// does not follow its log fails alone, and after Close appends fail.
func TestEventsGroupCommit(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "serve.db")
	e, err := sqlite.OpenEvents(p)
	if err != nil {
		t.Fatal(err)
	}
	const negs, turns = 64, 20
	var wg sync.WaitGroup
	errs := make(chan error, negs*turns)
	for n := range negs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("n%02d", n)
			for k := range turns {
				if err := e.Append(ctx, id, int64(2*k+1), [][]byte{fmt.Appendf(nil, "%s-%d-a", id, k), fmt.Appendf(nil, "%s-%d-b", id, k)}); err != nil {
					errs <- err
				}
				// A stale append from the same negotiation fails alone.
				if k == turns/2 {
					if err := e.Append(ctx, id, 1, [][]byte{[]byte("stale")}); err == nil {
						errs <- fmt.Errorf("%s: a stale append was stored", id)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Append(ctx, "late", 1, [][]byte{[]byte("x")}); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("append after Close: %v", err)
	}
	e, err = sqlite.OpenEvents(p)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for n := range negs {
		id := fmt.Sprintf("n%02d", n)
		recs, err := e.Records(ctx, id)
		if err != nil || len(recs) != 2*turns {
			t.Fatalf("%s: %d records, %v", id, len(recs), err)
		}
		for k := range turns {
			if string(recs[2*k]) != fmt.Sprintf("%s-%d-a", id, k) || string(recs[2*k+1]) != fmt.Sprintf("%s-%d-b", id, k) {
				t.Fatalf("%s: turn %d stored as %q %q", id, k, recs[2*k], recs[2*k+1])
			}
		}
	}
}
