package render_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/internal/golden"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/tournament"
	"github.com/parley-dev/parley/tracefile"
)

// market is the command's small test scenario (2 parties, 200 outcomes).
func market(t *testing.T) *scenario.Scenario {
	t.Helper()
	s, err := catalog.Open(filepath.Join("..", "..", "testdata", "tournament", "market.yaml"), catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// TestSummary prints hand-made runs: the values are the renderer's input,
// so the golden files show exactly how each field is printed.
func TestSummary(t *testing.T) {
	s := market(t)
	setup := tracefile.Setup{Scenario: s.Name, Protocol: tracefile.ProtocolSAO, Parties: s.Names(),
		Agents: map[string]string{"buyer": "boulware", "seller": "conceder"}, Seed: 7, Deadline: 3, Timing: "steps"}
	var events []tracefile.Entry
	for i, o := range []parley.Outcome{0, 199, 10, 150, 20, 150} {
		kind := parley.Offer
		if i == 5 {
			kind = parley.Accept
		}
		events = append(events, tracefile.Entry{Stage: -1, Event: parley.Event{Step: i, Round: i / 2, Time: float64(i) / 6, Party: i % 2, Action: kind, Outcome: o}})
	}
	agreed := &tracefile.Run{Schema: tracefile.SchemaRun, Setup: setup, Reason: "agreement", Rounds: 3, Steps: 6, Time: 5.0 / 6,
		Agreement: tracefile.Outcome(s.Space, 150), AcceptedBy: ptr("seller"),
		Utilities: map[string]float64{"buyer": 0.5, "seller": 0.75}, DiscountedUtilities: map[string]float64{"buyer": 0.5, "seller": 0.75},
		Advantage: map[string]float64{"buyer": 0.3, "seller": 0.45}, MetricsParties: s.Names(),
		Metrics: &analysis.Metrics{Welfare: 1.25, ParetoDistance: 0.1, NashDistance: 0.2, HasNash: true}}
	failed := &tracefile.Run{Schema: tracefile.SchemaRun, Setup: setup, Reason: "error", Rounds: 1, Steps: 1, Time: -1,
		EndedBy: ptr("seller"), Error: "seller: offered outcome 9999 outside the space", Utilities: map[string]float64{"buyer": 0.2, "seller": 0.3},
		MetricsParties: s.Names(), AnalysisError: "no outcome is individually rational"}
	for _, tc := range []struct {
		name   string
		run    *tracefile.Run
		events []tracefile.Entry
		show   int
	}{
		{"summary-agreement", agreed, events, -1},
		{"summary-cut", agreed, events, 2},
		{"summary-error", failed, events[:1], 6},
		{"summary-no-events", failed, nil, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			render.Summary(&b, s, tc.run, tc.events, tc.show)
			golden.Check(t, tc.name, b.Bytes())
		})
	}
}

// TestStagedSummary prints a made-up staged run of the ceasefire: direct
// talks, then a mediated stage with a proposal, its votes and a final vote.
func TestStagedSummary(t *testing.T) {
	s, err := catalog.Builtin("ceasefire")
	if err != nil {
		t.Fatal(err)
	}
	setup := tracefile.Setup{Scenario: s.Name, Protocol: tracefile.ProtocolStaged, Variant: "v", Parties: s.Names(),
		Agents: map[string]string{"RU": "boulware", "UA": "conceder", "US": "boulware"}, Voters: map[string]string{"RU": "reservation", "UA": "reservation", "US": "reservation"},
		Mediator: "nash", Seed: 1, Deadline: 4, Timing: "steps", Stages: []tracefile.Stage{
			{Name: "direct", Mechanism: parley.MechanismAlternatingOffers, Participants: []string{"RU", "UA"}, Rounds: 2, FirstRound: 1},
			tracefile.StageOf(s.Names(), s.Space, &parley.Stage{Name: "mediated", Mechanism: parley.MechanismMediated, Participants: []int{0, 1}, Mediator: 2, Rounds: 2, Info: parley.InfoDeclared, Noise: 0.1}, 3),
		}}
	events := []tracefile.Entry{
		{Stage: 0, Event: parley.Event{Round: 0, Party: 0, Action: parley.Offer, Outcome: 1}},
		{Stage: 0, Event: parley.Event{Step: 1, Round: 0, Time: 0.1, Party: 1, Action: parley.Offer, Outcome: 2}},
		{Stage: 1, Offset: 2, Event: parley.Event{Round: 0, Time: 0.5, Party: -1, Action: parley.Offer, Outcome: 3}},
		{Stage: 1, Offset: 2, Event: parley.Event{Round: 0, Time: 0.5, Party: 0, Action: parley.Accept, Outcome: 3}},
		{Stage: 1, Offset: 2, Event: parley.Event{Round: 0, Time: 0.5, Party: 1, Action: parley.Reject, Outcome: 3}},
		{Stage: 1, Offset: 2, Event: parley.Event{Round: 1, Time: 0.9, Party: 0, Action: parley.Accept, Outcome: 3}},
		{Stage: 1, Offset: 2, Event: parley.Event{Round: 1, Time: 0.9, Party: 1, Action: parley.Accept, Outcome: 3}},
	}
	run := &tracefile.Run{Schema: tracefile.SchemaRun, Setup: setup, Reason: "ratification_failed", Stage: "mediated", StageRound: 2, Rounds: 4, Time: 0.9,
		Agreement: tracefile.Outcome(s.Space, 3), Ratified: ptr(false), LockedIssues: []string{"territory"},
		Utilities: map[string]float64{"RU": 0.5, "UA": 0.5, "US": 0.2}, MetricsParties: []string{"RU", "UA"},
		Metrics: &analysis.Metrics{Welfare: 1, ParetoDistance: 0.3, HasKS: true, KSDistance: 0.25}}
	var b bytes.Buffer
	render.Summary(&b, s, run, events, -1)
	golden.Check(t, "summary-staged", b.Bytes())
	b.Reset()
	render.Brief(&b, s, run, events)
	golden.Check(t, "brief-staged", b.Bytes())
}

// TestBrief prints a made-up longer staged run of the ceasefire in
// short: 12 rounds of direct talks, then 6 mediated proposals, the last
// accepted by both. The brief keeps the first two rows, the last of the
// direct talks and the first proposal, and the last three rows, says how
// many it leaves out in each gap, wraps the agreement within BriefWidth
// columns and lists no metrics.
func TestBrief(t *testing.T) {
	s, err := catalog.Builtin("ceasefire")
	if err != nil {
		t.Fatal(err)
	}
	setup := tracefile.Setup{Scenario: s.Name, Protocol: tracefile.ProtocolStaged, Parties: s.Names(),
		Agents: map[string]string{"RU": "boulware", "UA": "conceder", "US": "boulware"}, Voters: map[string]string{"RU": "reservation", "UA": "reservation", "US": "reservation"},
		Mediator: "nash", Seed: 3, Deadline: 20, Timing: "steps", Stages: []tracefile.Stage{
			{Name: "direct", Mechanism: parley.MechanismAlternatingOffers, Participants: []string{"RU", "UA"}, Rounds: 12, FirstRound: 1},
			tracefile.StageOf(s.Names(), s.Space, &parley.Stage{Name: "mediated", Mechanism: parley.MechanismMediated, Participants: []int{0, 1}, Mediator: 2, Rounds: 8, Info: parley.InfoDeclared, Noise: 0.1}, 13),
		}}
	var events []tracefile.Entry
	for r := range 12 {
		for p := range 2 {
			events = append(events, tracefile.Entry{Stage: 0, Event: parley.Event{Step: 2*r + p, Round: r, Party: p, Action: parley.Offer, Outcome: parley.Outcome(100*r + p)}})
		}
	}
	for r := range 6 {
		o := parley.Outcome(5000 + 7*r)
		last := parley.Reject
		if r == 5 {
			last = parley.Accept
		}
		events = append(events,
			tracefile.Entry{Stage: 1, Offset: 12, Event: parley.Event{Round: r, Party: -1, Action: parley.Offer, Outcome: o}},
			tracefile.Entry{Stage: 1, Offset: 12, Event: parley.Event{Round: r, Party: 0, Action: parley.Accept, Outcome: o}},
			tracefile.Entry{Stage: 1, Offset: 12, Event: parley.Event{Round: r, Party: 1, Action: last, Outcome: o}})
	}
	run := &tracefile.Run{Schema: tracefile.SchemaRun, Setup: setup, Reason: "agreement", Stage: "mediated", StageRound: 6, Rounds: 18, Time: 0.85,
		Agreement: tracefile.Outcome(s.Space, 5035), Utilities: map[string]float64{"RU": 0.6, "UA": 0.55, "US": 0.7},
		DiscountedUtilities: map[string]float64{"RU": 0.55, "UA": 0.45, "US": 0.5}, Advantage: map[string]float64{"RU": 0.1, "UA": 0.05, "US": 0.5},
		MetricsParties: []string{"RU", "UA"}, Metrics: &analysis.Metrics{Welfare: 1.15, ParetoDistance: 0.05}}
	var b bytes.Buffer
	render.Brief(&b, s, run, events)
	golden.Check(t, "brief-long", b.Bytes())
	for i, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if n := utf8.RuneCountInString(l); n > render.BriefWidth {
			t.Errorf("line %d has %d columns, more than %d: %q", i+1, n, render.BriefWidth, l)
		}
	}
}

func TestAnalysis(t *testing.T) {
	s := market(t)
	rep, err := analysis.Analyze(s.Space, s.Profiles())
	if err != nil {
		t.Fatal(err)
	}
	j := render.NewAnalyzeJSON(s, s.Names(), rep)
	var text, points bytes.Buffer
	render.Analysis(&text, s, rep, j, false)
	render.Analysis(&points, s, rep, j, true)
	golden.Check(t, "analysis", text.Bytes())
	golden.Check(t, "analysis-points", points.Bytes())
}

// TestReport prints the report of a small real tournament (three agents,
// self-play, two reps on market), run job by job.
func TestReport(t *testing.T) {
	cfg := &tournament.Config{Reps: 2, Deadline: 30, Seed: 1, SelfPlay: true}
	for _, spec := range []string{"boulware", "conceder", "tft"} {
		f, err := strategy.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Competitors = append(cfg.Competitors, tournament.Competitor{Name: spec, New: f})
	}
	cfg.Scenarios, cfg.ScenarioRefs = []*scenario.Scenario{market(t)}, []string{"market.yaml"}
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	m, err := cfg.Meta()
	if err != nil {
		t.Fatal(err)
	}
	tally := tournament.NewTally(m)
	for id := range tournament.Count(cfg) {
		j, err := tournament.JobAt(cfg, id)
		if err != nil {
			t.Fatal(err)
		}
		r, err := tournament.RunNegotiation(context.Background(), cfg, j, tournament.RunnerOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := tally.Add(&r); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := tally.Report()
	if err != nil {
		t.Fatal(err)
	}
	var text, csv, js, want bytes.Buffer
	if err := render.WriteReport(&text, rep, false, false); err != nil {
		t.Fatal(err)
	}
	if err := render.WriteReport(&csv, rep, false, true); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "report", text.Bytes())
	golden.Check(t, "report-csv", csv.Bytes())
	// --json wins over --csv, as 'parley report' never gets both.
	if err := render.WriteReport(&js, rep, true, true); err != nil {
		t.Fatal(err)
	}
	if err := render.WriteReportJSON(&want, rep); err != nil || !bytes.Equal(js.Bytes(), want.Bytes()) {
		t.Errorf("WriteReport as JSON differs from WriteReportJSON (%v)", err)
	}
}
