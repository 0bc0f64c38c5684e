package chart

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/ufun"
)

func TestFormatOf(t *testing.T) {
	for _, c := range []struct {
		path string
		want Format
		ok   bool
	}{
		{"run.png", PNG, true},
		{"dir.v2/Run.PNG", PNG, true},
		{"a.svg", SVG, true},
		{"a.pdf", PDF, true},
		{"a.jpg", "", false},
		{"a.eps", "", false},
		{"png", "", false},
		{"", "", false},
	} {
		got, err := FormatOf(c.path)
		if got != c.want || (err == nil) != c.ok {
			t.Errorf("FormatOf(%q) = %q, %v; want %q, ok %v", c.path, got, err, c.want, c.ok)
		}
		if err != nil && (!errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), c.path)) {
			t.Errorf("FormatOf(%q): error %q should name the file and wrap ErrFormat", c.path, err)
		}
	}
}

// threeParty is parleytest.TwoIssue with a mediator "med" whose utility
// is the mean of the others'.
func threeParty(t *testing.T) *Negotiation {
	t.Helper()
	sp, ps := parleytest.TwoIssue()
	mu, err := ufun.NewTable(sp, parley.UtilityFunc(func(o parley.Outcome) float64 {
		return (ps[0].Utility.Utility(o) + ps[1].Utility.Utility(o)) / 2
	}))
	if err != nil {
		t.Fatal(err)
	}
	ps[0].Reservation = 0.25
	ps = append(ps, &parley.Profile{Name: "med", Space: sp, Utility: mu, Reservation: 0.1})
	return &Negotiation{
		Title:    "two-issue, seed 1",
		Subtitle: "agreement in stage mediated, round 3",
		Parties:  []string{"buyer", "seller", "med"},
		Profiles: ps,
		Stages: []parley.Stage{{Name: "talks", Mechanism: parley.MechanismAlternatingOffers},
			{Name: "mediated", Mechanism: parley.MechanismMediated}},
		Moves: []Move{
			{Stage: 0, Party: 0, Outcome: 1}, {Stage: 0, Party: 1, Outcome: 4},
			{Stage: 0, Party: 0, Outcome: 3}, {Stage: 0, Party: 1, Outcome: 5},
			{Stage: 1, Party: 2, Outcome: 3}, {Stage: 1, Party: 2, Outcome: 5},
		},
		Agreement: 5,
	}
}

// TestNegotiationPanels checks what the run plot draws: one panel per pair
// of parties, every move in each, the pair's frontier (TwoIssue's is 1, 3,
// 5, 4 for buyer and seller), the solutions, the agreement, axis labels
// and a legend naming movers and stages.
func TestNegotiationPanels(t *testing.T) {
	n := threeParty(t)
	panels, _, names, err := n.build()
	if err != nil {
		t.Fatal(err)
	}
	if len(panels) != 3 {
		t.Fatalf("%d panels, want 3 (every pair of 3 parties)", len(panels))
	}
	wantPairs := [][2]int{{0, 1}, {0, 2}, {1, 2}}
	for k, pn := range panels {
		if [2]int{pn.a, pn.b} != wantPairs[k] {
			t.Errorf("panel %d: pair %d,%d, want %v", k, pn.a, pn.b, wantPairs[k])
		}
		if pn.moves != len(n.Moves) || pn.cloud != 6 || !pn.agreement || pn.note != "" {
			t.Errorf("panel %d: %d moves, %d outcomes, agreement %v, note %q; want %d, 6, true, none", k, pn.moves, pn.cloud, pn.agreement, pn.note, len(n.Moves))
		}
		if x, y := pn.p.X.Label.Text, pn.p.Y.Label.Text; x != n.Parties[pn.a]+"'s utility (0 to 1)" || y != n.Parties[pn.b]+"'s utility (0 to 1)" {
			t.Errorf("panel %d: axes %q, %q", k, x, y)
		}
		if pn.p.X.Min > 0 || pn.p.X.Max < 1 || pn.p.Y.Min > 0 || pn.p.Y.Max < 1 {
			t.Errorf("panel %d: range x [%v, %v] y [%v, %v] does not hold [0, 1]", k, pn.p.X.Min, pn.p.X.Max, pn.p.Y.Min, pn.p.Y.Max)
		}
	}
	if p := panels[0]; p.frontier != 4 || !p.nash || !p.ks {
		t.Errorf("buyer/seller: %d frontier points, Nash %v, KS %v; want 4, true, true", p.frontier, p.nash, p.ks)
	}
	for _, want := range []string{"outcomes", "Pareto frontier", "reservation values (dashed)", "Nash point", "Kalai-Smorodinsky point",
		"agreement", "buyer offers", "seller offers", "med proposals", "stage 1 talks: offers", "stage 2 mediated: proposals"} {
		if !slices.Contains(names, want) {
			t.Errorf("legend %q lacks %q", names, want)
		}
	}

	n.AgreementLabel = "agreement, not ratified"
	if _, _, names, _ := n.build(); !slices.Contains(names, "agreement, not ratified") || slices.Contains(names, "agreement") {
		t.Errorf("legend %q does not use AgreementLabel", names)
	}

	// Two parties: one panel, without a panel title.
	n.Parties, n.Profiles, n.Moves, n.Stages = n.Parties[:2], n.Profiles[:2], n.Moves[:4], nil
	for i := range n.Moves {
		n.Moves[i].Stage = 0
	}
	panels, _, names, err = n.build()
	if err != nil || len(panels) != 1 || panels[0].p.Title.Text != "" || slices.Contains(names, "stage 1 talks: offers") {
		t.Errorf("two parties: %v, %d panels, legend %q", err, len(panels), names)
	}
}

func TestNegotiationErrors(t *testing.T) {
	for name, edit := range map[string]func(n *Negotiation){
		"one party":        func(n *Negotiation) { n.Parties, n.Profiles = n.Parties[:1], n.Profiles[:1] },
		"profiles missing": func(n *Negotiation) { n.Profiles = n.Profiles[:2] },
		"party range":      func(n *Negotiation) { n.Moves[0].Party = 3 },
		"stage range":      func(n *Negotiation) { n.Moves[0].Stage = 2 },
		"outcome range":    func(n *Negotiation) { n.Moves[1].Outcome = 6 },
		"agreement range":  func(n *Negotiation) { n.Agreement = 99 },
		"bad pair":         func(n *Negotiation) { n.Pairs = [][2]int{{1, 1}} },
	} {
		n := threeParty(t)
		edit(n)
		if err := Write(&bytes.Buffer{}, PNG, n); err == nil || !strings.HasPrefix(err.Error(), "chart: negotiation: ") {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

// TestWriteFormats: every format writes a file of its kind.
func TestWriteFormats(t *testing.T) {
	figs := map[string]Figure{
		"negotiation": threeParty(t),
		"leaderboard": &Leaderboard{Title: "t", Rows: []LeaderboardRow{
			{Agent: "a", Utility: Interval{0.7, 0.6, 0.8, true}, Advantage: Interval{0.2, 0.1, 0.3, true}},
			{Agent: "b", Utility: Interval{0.5, 0.5, 0.5, false}, Advantage: Interval{-0.1, -0.3, 0.05, true}}}},
		"arms": &Arms{Title: "t", Rows: []ArmRow{
			{Name: "x", Agreement: Interval{0.9, 0.8, 1, true}, Ratified: Interval{0.5, 0.4, 0.6, true}, Welfare: Interval{1.1, 1.0, 1.2, true}}}},
	}
	dir := os.Getenv("PARLEY_PLOT_DIR") // set to look at the figures
	for name, f := range figs {
		for _, format := range []Format{PNG, SVG, PDF} {
			var b bytes.Buffer
			if err := Write(&b, format, f); err != nil {
				t.Fatalf("%s %s: %v", name, format, err)
			}
			if err := checkHeader(format, b.Bytes()); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			if dir != "" {
				_ = os.WriteFile(filepath.Join(dir, name+"."+string(format)), b.Bytes(), 0o644)
			}
		}
	}
}

// checkHeader checks that data starts as a file of format does.
func checkHeader(format Format, data []byte) error {
	ok := false
	switch format {
	case PNG:
		ok = bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n"))
	case SVG:
		ok = bytes.HasPrefix(data, []byte("<?xml")) && bytes.Contains(data[:min(len(data), 300)], []byte("<svg ")) &&
			bytes.HasSuffix(bytes.TrimSpace(data), []byte("</svg>"))
	case PDF:
		ok = bytes.HasPrefix(data, []byte("%PDF-1.")) && bytes.HasSuffix(bytes.TrimSpace(data), []byte("%%EOF"))
	}
	if !ok {
		return errors.New("not a " + string(format) + " file: " + string(data[:min(len(data), 40)]))
	}
	return nil
}

func TestSave(t *testing.T) {
	dir := t.TempDir()
	n := threeParty(t)
	for _, f := range []string{"a.png", "a.SVG", "a.pdf"} {
		if err := Save(filepath.Join(dir, f), n); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, f))
		format, _ := FormatOf(f)
		if err != nil || checkHeader(format, b) != nil {
			t.Errorf("%s: %v, %v", f, err, checkHeader(format, b))
		}
	}
	if err := Save(filepath.Join(dir, "a.gif"), n); !errors.Is(err, ErrFormat) {
		t.Errorf("a.gif: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a.gif")); !os.IsNotExist(err) {
		t.Error("a.gif written despite the error")
	}
}

// TestArmsRange: rates are drawn on [0, 1] exactly, whatever the
// intervals, and every axis is labelled; welfare's range holds every
// whisker and ends on labelled ticks.
func TestArmsRange(t *testing.T) {
	a := &Arms{Rows: []ArmRow{
		{Name: "a", Agreement: Interval{1, 0.93, 1, true}, Ratified: Interval{0.97, 0.9, 1, true}, Welfare: Interval{1.2, 1.17, 1.26, true}},
		{Name: "b", Agreement: Interval{0.1, 0.03, 0.2, true}, Ratified: Interval{0, 0, 0.05, true}, Welfare: Interval{0.9, 0.81, 0.97, true}},
	}}
	pa, pw, _, entries, err := a.build()
	if err != nil {
		t.Fatal(err)
	}
	if pa.Y.Min != 0 || pa.Y.Max != 1 {
		t.Errorf("rates on [%v, %v], want [0, 1]", pa.Y.Min, pa.Y.Max)
	}
	if pw.Y.Min > 0.81 || pw.Y.Max < 1.26 {
		t.Errorf("welfare on [%v, %v] cuts a whisker of [0.81, 1.26]", pw.Y.Min, pw.Y.Max)
	}
	ends := map[float64]bool{}
	for _, tk := range pw.Y.Tick.Marker.Ticks(pw.Y.Min, pw.Y.Max) {
		if tk.Label != "" {
			ends[tk.Value] = true
		}
	}
	if !ends[pw.Y.Min] || !ends[pw.Y.Max] || len(ends) < 3 {
		t.Errorf("welfare ticks %v do not label both ends of [%v, %v]", ends, pw.Y.Min, pw.Y.Max)
	}
	for _, p := range []struct{ x, y string }{{pa.X.Label.Text, pa.Y.Label.Text}, {pw.X.Label.Text, pw.Y.Label.Text}} {
		if p.x != "arm" || p.y == "" {
			t.Errorf("axes %q, %q", p.x, p.y)
		}
	}
	if !slices.Equal(entries, []string{"signed", "ratified", "welfare"}) {
		t.Errorf("legend %v", entries)
	}
	if _, _, _, _, err := (&Arms{}).build(); err == nil {
		t.Error("no arms: no error")
	}
}

// TestLeaderboardRange: the range holds every whisker and 0 and ends on
// labelled ticks.
func TestLeaderboardRange(t *testing.T) {
	l := &Leaderboard{Rows: []LeaderboardRow{
		{Agent: "a", Utility: Interval{0.8, 0.74, 0.87, true}, Advantage: Interval{0.3, 0.24, 0.37, true}},
		{Agent: "b", Utility: Interval{0.5, 0.5, 0.5, false}, Advantage: Interval{-0.1, -0.23, 0.05, true}},
	}}
	p, _, _, err := l.build()
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Min > -0.23 || p.Y.Max < 0.87 {
		t.Errorf("range [%v, %v] cuts a whisker of [-0.23, 0.87]", p.Y.Min, p.Y.Max)
	}
	var labels []string
	for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got := strings.Join(labels, " "); got != "-0.4 -0.2 0.0 0.2 0.4 0.6 0.8 1.0" {
		t.Errorf("ticks %s", got)
	}
	if p.X.Label.Text == "" || p.Y.Label.Text == "" {
		t.Errorf("axes %q, %q", p.X.Label.Text, p.Y.Label.Text)
	}
	if _, _, _, err := (&Leaderboard{}).build(); err == nil {
		t.Error("no rows: no error")
	}
}

func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		n      int
		want   []string
	}{
		{0, 1, 4, []string{"0.00", "0.25", "0.50", "0.75", "1.00"}},
		{1.08, 1.21, 5, []string{"1.10", "1.15", "1.20"}},
		{0, 100, 5, []string{"0", "20", "40", "60", "80", "100"}},
	} {
		var got []string
		for _, tk := range niceTicks(c.lo, c.hi, c.n) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("niceTicks(%v, %v, %d) = %v, want %v", c.lo, c.hi, c.n, got, c.want)
		}
	}
}

// TestTitleWraps: a title wider than the figure breaks after spaces into
// lines that fit, and a short one stays whole.
func TestTitleWraps(t *testing.T) {
	long := strings.Repeat("party_with_a_long_name boulware, ", 12)
	rows := titleRows(6*72, long, "subtitle")
	if len(rows) < 3 || rows[len(rows)-1].text != "subtitle" {
		t.Fatalf("rows %v", rows)
	}
	var joined []string
	for _, r := range rows[:len(rows)-1] {
		if w := r.sty.Width(r.text); w > 6*72-24 {
			t.Errorf("line %q is %v wide, more than the figure", r.text, w)
		}
		joined = append(joined, r.text)
	}
	if strings.Join(joined, " ") != strings.TrimSpace(long) {
		t.Errorf("wrapping lost words: %q", strings.Join(joined, " "))
	}
	if rows := titleRows(6*72, "short"); len(rows) != 1 || rows[0].text != "short" {
		t.Errorf("short title: %v", rows)
	}
}

// TestSameBytes: the same figure gives the same bytes in every format
// (the PDF writer's clock is overwritten). The fake clock of a synctest
// bubble moves a second between the two writes.
func TestSameBytes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for _, format := range []Format{PNG, SVG, PDF} {
			var a, b bytes.Buffer
			if err := Write(&a, format, threeParty(t)); err != nil {
				t.Fatal(err)
			}
			time.Sleep(1100 * time.Millisecond)
			if err := Write(&b, format, threeParty(t)); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s: two writes differ", format)
			}
		}
	})
}
