package web_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/experiment"
	"github.com/parley-dev/parley/internal/sqlitetest"
	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/server/results"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/strategy/mediator"
)

// TestBrowserResultsSweep: a sweep's results page names the swept
// parameter and shows each cell's value in its own column, as parley
// experiment sweep reports it; the same database as an older parley
// wrote it (schema version 6, without the design) says what it cannot
// show.
func TestBrowserResultsSweep(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	r := resolver()
	sc, err := catalog.Builtin("ceasefire")
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "sweep.db")
	st, err := sqlite.New(db)
	if err != nil {
		t.Fatal(err)
	}
	cfg := experiment.Config{Runs: 3, Seed: 4, Ref: "ceasefire", Store: st, NeedsDeclared: mediator.NeedsDeclared, Mediator: r.Mediator}
	if cfg.Pool, err = experiment.NewPool(nil, nil, r.Agent, r.Voter); err != nil {
		t.Fatal(err)
	}
	rep, err := experiment.Design{Kind: experiment.KindSweep, Params: []string{"US.bias=0,0.5"}}.Run(ctx, sc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	old := filepath.Join(dir, "old.db")
	sqlitetest.CopyAsVersion6(t, db, old)
	set, err := results.Open(ctx, []string{db, old}, results.Options{Resolver: r, NeedsDeclared: mediator.NeedsDeclared})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set.Close() })
	base := serveWith(t, server.Config{Results: set}).URL
	bctx := browser(t)

	run(t, bctx, "opening the sweep", chromedp.Navigate(base+"/#/results/sweep"), chromedp.WaitVisible(chromedp.CSS("#arms")))
	if got := text(t, bctx, ".results-page > p:nth-of-type(2)"); !strings.HasPrefix(got, "Sweep of ceasefire over US.bias (0, 0.5)") {
		t.Errorf("the sweep's page says %q", got)
	}
	head := eval[[]string](t, bctx, "reading the arms' header", `[...document.querySelectorAll("#arms thead th")].map(c => c.textContent)`)
	cells := eval[[][]string](t, bctx, "reading the arms", `[...document.querySelectorAll("#arms tbody tr")].map(tr => [...tr.children].map(c => c.textContent))`)
	if !slices.Equal(head[:3], []string{"Arm", "US.bias", "Runs"}) || len(cells) != len(rep.Arms) {
		t.Fatalf("the arms' table: header %q, %d rows, want %d", head, len(cells), len(rep.Arms))
	}
	for i, a := range rep.Arms {
		if want := []string{a.Name, []string{"0", "0.5"}[i], "3", ci(a.AgreementRate)}; !slices.Equal(cells[i][:4], want) {
			t.Errorf("cell %d: %q, want %q", i, cells[i][:4], want)
		}
	}
	if n := eval[int](t, bctx, "looking for a missing note", `document.querySelectorAll("#missing").length`); n != 0 {
		t.Errorf("the sweep's page has a missing note")
	}

	run(t, bctx, "opening the older database", chromedp.Navigate(base+"/#/results/old"), chromedp.WaitVisible(chromedp.CSS("#missing")))
	if got := text(t, bctx, "#missing"); !strings.Contains(got, "schema version 6") || !strings.Contains(got, "parameter values") {
		t.Errorf("the older database's note: %q", got)
	}
	if head := eval[[]string](t, bctx, "reading the arms' header", `[...document.querySelectorAll("#arms thead th")].map(c => c.textContent)`); slices.Contains(head, "US.bias") {
		t.Errorf("the older database shows parameter columns %q", head)
	}
}
