package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/experiment"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/server/results"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
	"github.com/parley-dev/parley/tournament"
)

// resolver rebuilds stored tournaments with the built-in strategies, as
// the parley command does.
func resolver() tournament.Resolver {
	return tournament.Resolver{
		Agent:    func(spec string) (func() parley.Negotiator, error) { return strategy.Parse(spec) },
		Scenario: func(ref string) (*scenario.Scenario, error) { return catalog.Open(ref, catalog.Options{}) },
		Mediator: func(spec string) (func() parley.Mediator, error) {
			f, err := mediator.ParseMediator(spec)
			return f, err
		},
		Voter: func(spec string) (func() parley.Voter, error) { f, err := mediator.ParseVoter(spec); return f, err },
	}
}

// resultsServer runs a small tournament and a small sequencing
// experiment into databases tour.db and seq.db, and serves them with
// parley serve's handler, with a tournament of mediators (med.db) and
// half of the experiment (half.db).
func resultsServer(t *testing.T) (base string, tour, med *tournament.Report, seq *experiment.Report) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	r := resolver()
	sc, err := catalog.Builtin("ceasefire")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tournament.Config{Scenarios: []*scenario.Scenario{sc}, ScenarioRefs: []string{"ceasefire"}, Reps: 2, Seed: 5}
	for _, spec := range []string{"boulware", "conceder", "linear"} {
		f, _ := r.Agent(spec)
		cfg.Competitors = append(cfg.Competitors, tournament.Competitor{Name: spec, New: f})
	}
	tdb := filepath.Join(dir, "tour.db")
	st, err := sqlite.New(tdb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tournament.Run(ctx, cfg, st, tournament.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	edb := filepath.Join(dir, "seq.db")
	est, err := sqlite.New(edb)
	if err != nil {
		t.Fatal(err)
	}
	ecfg := experiment.Config{Runs: 6, Seed: 3, Ref: "ceasefire", Store: est, NeedsDeclared: mediator.NeedsDeclared,
		Mediator: func(spec string) (func() parley.Mediator, error) {
			f, err := mediator.ParseMediator(spec)
			return f, err
		}}
	for _, spec := range experiment.DefaultNegotiators() {
		f, _ := r.Agent(spec)
		ecfg.Pool.Negotiators = append(ecfg.Pool.Negotiators, experiment.Negotiator{Name: spec, New: f})
	}
	for _, spec := range experiment.DefaultVoters() {
		f, _ := r.Voter(spec)
		ecfg.Pool.Voters = append(ecfg.Pool.Voters, experiment.Voter{Name: spec, New: f})
	}
	if seq, err = experiment.Sequencing(ctx, sc, ecfg); err != nil {
		t.Fatal(err)
	}
	est.Close()
	// Half of the same experiment: a shard, whose report waits for the
	// other half.
	pdb := filepath.Join(dir, "half.db")
	if ecfg.Store, err = sqlite.New(pdb); err != nil {
		t.Fatal(err)
	}
	ecfg.Shard = tournament.Shard{Index: 0, Count: 2}
	if _, err := experiment.Sequencing(ctx, sc, ecfg); !errors.Is(err, experiment.ErrShard) {
		t.Fatalf("a shard of the experiment: %v", err)
	}
	ecfg.Store.(*sqlite.Store).Close()
	// A tournament of mediators on the server tests' lunch.
	lunch, err := scenario.Read(filepath.Join("..", "server", "testdata", "lunch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	mcfg := &tournament.Config{Protocol: tournament.ProtocolMediated, Scenarios: []*scenario.Scenario{lunch},
		ScenarioRefs: []string{filepath.Join("..", "server", "testdata", "lunch.yaml")}, Reps: 3, Seed: 2}
	for _, spec := range []string{"hillclimb", "random"} {
		f, _ := r.Mediator(spec)
		mcfg.Mediators = append(mcfg.Mediators, tournament.Mediator{Name: spec, New: f})
	}
	v, _ := r.Voter("hillclimber")
	mcfg.Voters = []tournament.Voter{{Name: "hillclimber", New: v}}
	mdb := filepath.Join(dir, "med.db")
	mst, err := sqlite.New(mdb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tournament.Run(ctx, mcfg, mst, tournament.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if med, err = mst.Report(ctx); err != nil {
		t.Fatal(err)
	}
	mst.Close()
	set, err := results.Open(ctx, []string{tdb, edb, pdb, mdb}, results.Options{Resolver: r, NeedsDeclared: mediator.NeedsDeclared})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set.Close() })
	ro, err := sqlite.OpenReadOnly(tdb)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if tour, err = ro.Report(ctx); err != nil {
		t.Fatal(err)
	}
	ts := serveWith(t, server.Config{Results: set})
	return ts.URL, tour, med, seq
}

// ci is how the results page writes an estimate.
func ci(e tournament.Estimate) string { return fmt.Sprintf("%.3f [%.3f, %.3f]", e.Mean, e.Low, e.High) }

// TestBrowserResults: from the home page to the results of a tournament
// (its leaderboard as a chart of means with 95% whiskers and as a table,
// the numbers of parley report) and of a sequencing experiment (its arms
// with their intervals), then from a run to its replay on the watch page,
// which shows how the run ended.
func TestBrowserResults(t *testing.T) {
	bctx := browser(t)
	base, tour, med, seq := resultsServer(t)
	run(t, bctx, "opening the home page", chromedp.Navigate(base+"/#/"), chromedp.WaitVisible(chromedp.CSS("#results-link")))
	run(t, bctx, "following the results link", chromedp.Click(chromedp.CSS("#results-link")), chromedp.WaitVisible(chromedp.CSS("#result-sets")))
	if got := eval[string](t, bctx, "reading the home link", `document.querySelector(".home-link")?.getAttribute("href") ?? ""`); got != "#/" {
		t.Errorf("the results page links home as %q", got)
	}
	if got := text(t, bctx, "#result-sets tbody"); !strings.Contains(got, "tour") || !strings.Contains(got, "12 of 12") || !strings.Contains(got, "42 of 42") {
		t.Errorf("the list of results shows %q", got)
	}
	run(t, bctx, "opening the tournament", chromedp.Click(chromedp.CSS(`#result-sets a[href="#/results/tour"]`)),
		chromedp.WaitVisible(chromedp.CSS("#leaderboard-chart")), chromedp.WaitVisible(chromedp.CSS("#runs")))

	// The chart: one row per agent, in the leaderboard's order, its dot
	// and whiskers at the report's numbers; the table: the same numbers.
	type row struct{ Label, Mean, Low, High string }
	rows := eval[[]row](t, bctx, "reading the chart", `[...document.querySelectorAll("#leaderboard-chart g.row")].map(g =>
	  ({Label: g.dataset.label, Mean: g.getAttribute("data-mean"), Low: g.getAttribute("data-low"), High: g.getAttribute("data-high")}))`)
	cells := eval[[][]string](t, bctx, "reading the table", `[...document.querySelectorAll("#leaderboard tbody tr")].map(tr => [...tr.children].map(c => c.textContent))`)
	if len(rows) != len(tour.Leaderboard) || len(cells) != len(tour.Leaderboard) {
		t.Fatalf("the chart has %d rows and the table %d, the leaderboard %d", len(rows), len(cells), len(tour.Leaderboard))
	}
	num := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
	for i, s := range tour.Leaderboard {
		if r := rows[i]; r.Label != s.Agent || num(r.Mean) != s.Utility.Mean || num(r.Low) != s.Utility.Low || num(r.High) != s.Utility.High {
			t.Errorf("chart row %d: %+v, want %s %v", i, r, s.Agent, s.Utility)
		}
		if c := cells[i]; c[0] != s.Agent || c[3] != ci(s.Utility) || c[4] != ci(s.Advantage) || c[5] != ci(s.AgreementRate) {
			t.Errorf("table row %d: %q, want %s, utility %s, advantage %s, agreement %s", i, c, s.Agent, ci(s.Utility), ci(s.Advantage), ci(s.AgreementRate))
		}
	}
	if n := eval[int](t, bctx, "counting runs", `document.querySelectorAll("#runs tbody tr a.replay").length`); n != 12 {
		t.Errorf("%d runs with a replay link, want 12", n)
	}
	checkReadable(t, bctx, "the tournament's results")
	screenshot(t, bctx, "results")

	// The experiment: its arms with their intervals.
	run(t, bctx, "opening the experiment", chromedp.Navigate(base+"/#/results/seq"), chromedp.WaitVisible(chromedp.CSS("#agreement-chart")),
		chromedp.WaitVisible(chromedp.CSS("#runs")))
	arms := eval[[][]string](t, bctx, "reading the arms", `[...document.querySelectorAll("#arms tbody tr")].map(tr => [...tr.children].map(c => c.textContent))`)
	bars := eval[[]string](t, bctx, "reading the chart", `[...document.querySelectorAll("#agreement-chart g.row")].map(g => g.dataset.label + " " + g.getAttribute("data-mean"))`)
	if len(arms) != len(seq.Arms) || len(bars) != len(seq.Arms) {
		t.Fatalf("%d arms in the table and %d in the chart, want %d", len(arms), len(bars), len(seq.Arms))
	}
	for i, a := range seq.Arms {
		if arms[i][0] != a.Name || arms[i][2] != ci(a.AgreementRate) || arms[i][4] != ci(a.Welfare) {
			t.Errorf("arm %d: %q, want %s agreement %s welfare %s", i, arms[i], a.Name, ci(a.AgreementRate), ci(a.Welfare))
		}
		if want := fmt.Sprintf("%s %v", a.Name, a.AgreementRate.Mean); bars[i] != want {
			t.Errorf("chart row %d: %q, want %q", i, bars[i], want)
		}
	}
	checkReadable(t, bctx, "the experiment's results")
	screenshot(t, bctx, "results-experiment")

	// A tournament of mediators: their leaderboard, welfare in the chart.
	run(t, bctx, "opening the tournament of mediators", chromedp.Navigate(base+"/#/results/med"), chromedp.WaitVisible(chromedp.CSS("#leaderboard-chart")))
	mrows := eval[[]row](t, bctx, "reading the chart", `[...document.querySelectorAll("#leaderboard-chart g.row")].map(g =>
	  ({Label: g.dataset.label, Mean: g.getAttribute("data-mean"), Low: g.getAttribute("data-low"), High: g.getAttribute("data-high")}))`)
	mcells := eval[[][]string](t, bctx, "reading the table", `[...document.querySelectorAll("#leaderboard tbody tr")].map(tr => [...tr.children].map(c => c.textContent))`)
	if len(med.Mediators) != 2 || len(mrows) != 2 || len(mcells) != 2 {
		t.Fatalf("%d mediators in the chart, %d in the table, %d in the report", len(mrows), len(mcells), len(med.Mediators))
	}
	for i, m := range med.Mediators {
		if r := mrows[i]; r.Label != m.Mediator || num(r.Mean) != m.Welfare.Mean || num(r.Low) != m.Welfare.Low || num(r.High) != m.Welfare.High {
			t.Errorf("chart row %d: %+v, want %s %v", i, r, m.Mediator, m.Welfare)
		}
		if c := mcells[i]; c[0] != m.Mediator || c[3] != ci(m.AgreementRate) || c[4] != ci(m.Welfare) {
			t.Errorf("table row %d: %q, want %s, agreement %s, welfare %s", i, c, m.Mediator, ci(m.AgreementRate), ci(m.Welfare))
		}
	}

	// An experiment with half of its runs: no report yet, saying why,
	// and its runs.
	run(t, bctx, "opening half an experiment", chromedp.Navigate(base+"/#/results/half"), chromedp.WaitVisible(chromedp.CSS("#runs")))
	if got := text(t, bctx, ".warning"); !strings.Contains(got, "half holds 21 of the experiment's 42 runs") {
		t.Errorf("half an experiment's page says %q", got)
	}
	if n := eval[int](t, bctx, "counting runs", `document.querySelectorAll("#runs tbody tr a.replay").length`); n != 21 {
		t.Errorf("half an experiment's page lists %d runs", n)
	}
	run(t, bctx, "opening the experiment again", chromedp.Navigate(base+"/#/results/seq"), chromedp.WaitVisible(chromedp.CSS("#runs")))

	// A run that reached an agreement, replayed: the watch page shows
	// that agreement.
	runs := eval[[][]string](t, bctx, "reading the runs", `[...document.querySelectorAll("#runs tbody tr")].map(tr => [tr.children[0].textContent, tr.children[4].textContent])`)
	id := -1
	for _, r := range runs {
		if strings.HasPrefix(r[1], "agreement") {
			id, _ = strconv.Atoi(r[0])
			break
		}
	}
	if id < 0 {
		t.Fatalf("no run on the first page reached an agreement: %q", runs)
	}
	run(t, bctx, "following the replay link", chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="#/results/seq/replay/%d"]`, id))),
		chromedp.WaitVisible(chromedp.CSS("#replay")), chromedp.WaitVisible(chromedp.CSS("#agreement")))
	if h := eval[string](t, bctx, "reading the address", `location.hash`); !strings.HasPrefix(h, "#/watch/r") {
		t.Errorf("the replay opened %q, not the watch page", h)
	}
	if got := text(t, bctx, "#ended"); got != "Agreement reached" {
		t.Errorf("the replay's ending reads %q", got)
	}
	var page struct{ Runs []tournament.Record }
	resp, err := http.Get(fmt.Sprintf("%s/results/seq/runs?offset=%d&limit=1", base, id))
	if err != nil {
		t.Fatal(err)
	}
	err = json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if err != nil || len(page.Runs) != 1 {
		t.Fatalf("reading run %d: %v", id, err)
	}
	stored := map[string]string{} // in words, as the page shows them
	for k, v := range page.Runs[0].Agreement {
		stored[words(k)] = words(v)
	}
	shown := eval[map[string]string](t, bctx, "reading the agreement shown",
		`Object.fromEntries([...document.querySelectorAll("#agreement dt")].map(dt => [dt.textContent, dt.nextElementSibling.textContent]))`)
	if len(stored) == 0 || fmt.Sprint(stored) != fmt.Sprint(shown) {
		t.Errorf("the replay shows the agreement %v, the stored run %v", shown, stored)
	}
}
