package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/golden"
)

// mediationDoc is the document whose tables TestDocsMediationTables checks.
var mediationDoc = filepath.Join("..", "docs", "mediation.md")

// seqReport is the part of a sequencing report (--json) that the tables
// of docs/mediation.md quote.
type seqReport struct {
	Arms []struct {
		Name          string
		Variant       string
		AgreementRate ciJSON `json:"agreement_rate"`
	}
	Comparisons []struct {
		Arm, Baseline, Metric string
		Difference            ciJSON
		PHolm                 float64 `json:"p_holm"`
	}
}

// sequencing runs `parley experiment sequencing ceasefire --runs 1000
// --seed 1` with more arguments and returns its report.
func sequencing(t *testing.T, args ...string) *seqReport {
	t.Helper()
	args = append([]string{"experiment", "sequencing", "ceasefire", "--runs", "1000", "--seed", "1", "--json"}, args...)
	var r seqReport
	if err := json.Unmarshal([]byte(expCLI(t, args...)), &r); err != nil {
		t.Fatalf("parley %s: %v", strings.Join(args, " "), err)
	}
	return &r
}

// arm returns the name of variant's arm in level (from 0) of a report
// whose arms are ordered by level, then variant, as --factor orders them.
func (r *seqReport) arm(t *testing.T, level int, variant string) string {
	t.Helper()
	levels := 0
	for _, a := range r.Arms {
		if a.Variant != variant {
			continue
		}
		if levels == level {
			return a.Name
		}
		levels++
	}
	t.Fatalf("no arm of variant %s at level %d", variant, level)
	return ""
}

// rate is the signed-agreement rate of an arm, as the tables print it.
func (r *seqReport) rate(t *testing.T, name string) string {
	t.Helper()
	for _, a := range r.Arms {
		if a.Name == name {
			return fmt.Sprintf("%.3f", a.AgreementRate.Mean)
		}
	}
	t.Fatalf("no arm %q", name)
	return ""
}

// diff is the paired difference arm − base in the agreement rate, with
// Newcombe's interval and the Holm-adjusted significance, as the tables
// print it: *, ** and *** for p < 0.05, 0.01 and 0.001, (n.s.) for
// p_Holm = 1, else p_Holm itself.
func (r *seqReport) diff(t *testing.T, arm, base string) string {
	t.Helper()
	for _, c := range r.Comparisons {
		if c.Metric != "agreement" {
			continue
		}
		sign := 1.0
		switch {
		case c.Arm == arm && c.Baseline == base:
		case c.Arm == base && c.Baseline == arm:
			sign = -1
		default:
			continue
		}
		d := c.Difference
		if d.Low == nil || d.High == nil {
			t.Fatalf("%s vs %s: no interval", arm, base)
		}
		lo, hi := sign**d.Low, sign**d.High
		if sign < 0 {
			lo, hi = hi, lo
		}
		mark := fmt.Sprintf("(p_Holm %.2f)", c.PHolm)
		switch {
		case c.PHolm < 0.001:
			mark = "***"
		case c.PHolm < 0.01:
			mark = "**"
		case c.PHolm < 0.05:
			mark = "*"
		case c.PHolm == 1:
			mark = "(n.s.)"
		}
		return fmt.Sprintf("%s [%s, %s] %s", signed(sign*d.Mean), signed(lo), signed(hi), mark)
	}
	t.Fatalf("no agreement comparison of %s and %s", arm, base)
	return ""
}

// signed writes x with three decimals and a sign, the minus as U+2212.
func signed(x float64) string { return strings.Replace(fmt.Sprintf("%+.3f", x), "-", "−", 1) }

// mdTable writes a Markdown table.
func mdTable(head []string, rows [][]string) string {
	var b strings.Builder
	line := func(cells []string) { b.WriteString("| " + strings.Join(cells, " | ") + " |\n") }
	line(head)
	b.WriteString(strings.Repeat("|---", len(head)) + "|\n")
	for _, r := range rows {
		line(r)
	}
	return b.String()
}

// tick quotes a name as the tables do.
func tick(s string) string { return "`" + s + "`" }

// infoTables are the two tables of "Information as a factor": each arm's
// agreement rate at each of the mediator's information levels, and the
// paired contrasts within each level.
func infoTables(t *testing.T) []string {
	levels := []string{"votes", "self_report", "declared", "full"}
	r := sequencing(t, "--factor", "mediated.info="+strings.Join(levels, ","))
	variants := []string{"bilateral_only", "mediated_from_start", "bilateral_then_mediated", "mediated_then_bilateral",
		"mediated_from_start_fallback", "bilateral_then_mediated_carry_none", "bilateral_then_mediated_carry_best"}
	var rates [][]string
	for _, v := range variants {
		row := []string{tick(v)}
		for l := range levels {
			row = append(row, r.rate(t, r.arm(t, l, v)))
		}
		rates = append(rates, row)
	}
	contrasts := []struct{ label, arm, base string }{
		{"", "mediated_from_start", "bilateral_only"},
		{"", "bilateral_then_mediated", "bilateral_only"},
		{"", "mediated_then_bilateral", "bilateral_only"},
		{"order: ", "mediated_then_bilateral", "bilateral_then_mediated"},
		{"fallback: ", "mediated_from_start_fallback", "mediated_from_start"},
		{"carry: ", "bilateral_then_mediated_carry_none", "bilateral_then_mediated"},
		{"carry: ", "bilateral_then_mediated_carry_best", "bilateral_then_mediated"},
	}
	var diffs [][]string
	for _, c := range contrasts {
		name := tick(c.arm)
		if c.label == "carry: " {
			name = tick(strings.TrimPrefix(c.arm, c.base))
		}
		row := []string{c.label + name + " − " + tick(c.base)}
		for l := range levels {
			row = append(row, r.diff(t, r.arm(t, l, c.arm), r.arm(t, l, c.base)))
		}
		diffs = append(diffs, row)
	}
	return []string{
		mdTable(append([]string{"arm"}, levels...), rates),
		mdTable(append([]string{"contrast"}, levels...), diffs),
	}
}

// oneAtATimeTable is the table of "Other assumptions, one at a time": the
// arms' agreement rates and two contrasts as declared and with one
// assumption changed, each row from its own command.
func oneAtATimeTable(t *testing.T) string {
	const (
		walkPool     = "boulware:walk=true,linear:walk=true,conceder:e=2,walk=true,tft"
		walkVoters   = "hillclimber:walk=true,annealer:walk=true,reservation:walk=true"
		discountPool = "boulware:discount=true,linear:discount=true,conceder:e=2,discount=true,tft"
	)
	settings := []struct {
		label string
		args  []string
		level int // the factor's level, from 0
	}{
		{"as declared", nil, 0},
		{"US hazard 0", []string{"--factor", "US.hazard=0,0.03,0.1"}, 0},
		{"US hazard 0.1", []string{"--factor", "US.hazard=0,0.03,0.1"}, 2},
		{"RU hazard 0", []string{"--factor", "RU.hazard=0,0.01,0.05"}, 0},
		{"RU hazard 0.05", []string{"--factor", "RU.hazard=0,0.01,0.05"}, 2},
		{"RU drift −0.1", []string{"--factor", "RU.drift=-0.1,0,0.05"}, 0},
		{"RU drift +0.05", []string{"--factor", "RU.drift=-0.1,0,0.05"}, 2},
		{"mediated round cost 2", []string{"--factor", "mediated.round_cost=1,2"}, 1},
		{"discount-aware pool", []string{"--negotiators", discountPool}, 0},
		{"walk rule (`walk=true`)", []string{"--negotiators", walkPool, "--voters", walkVoters}, 0},
	}
	arms := []string{"bilateral_only", "mediated_from_start", "bilateral_then_mediated", "mediated_then_bilateral"}
	reports := map[string]*seqReport{}
	var rows [][]string
	for _, s := range settings {
		key := strings.Join(s.args, " ")
		r := reports[key]
		if r == nil {
			r = sequencing(t, s.args...)
			reports[key] = r
		}
		row := []string{s.label}
		for _, a := range arms {
			row = append(row, r.rate(t, r.arm(t, s.level, a)))
		}
		row = append(row,
			r.diff(t, r.arm(t, s.level, "mediated_then_bilateral"), r.arm(t, s.level, "bilateral_only")),
			r.diff(t, r.arm(t, s.level, "mediated_then_bilateral"), r.arm(t, s.level, "bilateral_then_mediated")))
		rows = append(rows, row)
	}
	head := []string{"setting"}
	for _, a := range arms {
		head = append(head, tick(a))
	}
	head = append(head, "`mediated_then_bilateral` − `bilateral_only`", "order: `mediated_then_bilateral` − `bilateral_then_mediated`")
	return mdTable(head, rows)
}

// docTable returns the byte range of the Markdown table in doc whose head
// row starts with head, which must occur once.
func docTable(t *testing.T, doc, head string) (int, int) {
	t.Helper()
	if n := strings.Count(doc, "\n"+head); n != 1 {
		t.Fatalf("docs/mediation.md has %d tables headed %q, want 1", n, head)
	}
	start := strings.Index(doc, "\n"+head) + 1
	end := start
	for end < len(doc) && strings.HasPrefix(doc[end:], "|") {
		nl := strings.IndexByte(doc[end:], '\n')
		if nl < 0 {
			return start, len(doc)
		}
		end += nl + 1
	}
	return start, end
}

// robustnessExcerpt checks the abridged output of `parley experiment
// robustness ceasefire --samples 64 --runs 200` in doc: every block
// (lines between blank lines) of the excerpt must be a block of the
// command's output, in the output's order. It returns doc with the
// excerpt's blocks replaced by the current ones (the block with the same
// first line up to its first ", "), for -update.
func robustnessExcerpt(t *testing.T, doc string) string {
	t.Helper()
	const cmd = "`parley experiment robustness ceasefire --samples 64 --runs 200`"
	i := strings.Index(doc, cmd)
	if i < 0 {
		t.Fatalf("docs/mediation.md lacks %s", cmd)
	}
	open := strings.Index(doc[i:], "```text\n")
	if open < 0 {
		t.Fatalf("docs/mediation.md: no output block after %s", cmd)
	}
	start := i + open + len("```text\n")
	end := start + strings.Index(doc[start:], "```")
	out := expCLI(t, "experiment", "robustness", "ceasefire", "--samples", "64", "--runs", "200")
	blocks := strings.Split(strings.TrimSuffix(out, "\n"), "\n\n")
	key := func(b string) string {
		first, _, _ := strings.Cut(b, "\n")
		k, _, _ := strings.Cut(first, ", ")
		return k
	}
	var fresh []string
	next := 0
	for _, eb := range strings.Split(strings.TrimSuffix(doc[start:end], "\n"), "\n\n") {
		found := -1
		for k := next; k < len(blocks); k++ {
			if blocks[k] == eb || golden.Update() && key(blocks[k]) == key(eb) {
				found = k
				break
			}
		}
		if found < 0 {
			t.Errorf("docs/mediation.md: this block of the robustness excerpt is not in the command's output (after its block %d); run with -update to renew it:\n%s\n\nthe output:\n%s", next, eb, out)
			return doc
		}
		fresh = append(fresh, blocks[found])
		next = found + 1
	}
	return doc[:start] + strings.Join(fresh, "\n\n") + "\n" + doc[end:]
}

// TestDocsMediationTables: the tables of docs/mediation.md's sequencing
// section ("Information as a factor" and "Other assumptions, one at a
// time") are rendered from the reports of the commands they quote, and
// the excerpt in "Global sensitivity" is the robustness command's own
// output, abridged by whole blocks. -update rewrites them in the doc.
// The commands make about 130,000 runs and 512,000 robustness runs (about
// 25 s): -short skips the test, and so does the race detector, under which
// it would take minutes and test no code that the other tests do not.
func TestDocsMediationTables(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the docs' experiments (about 25 s)")
	}
	if raceEnabled {
		t.Skip("race detector: skipping the docs' experiments (minutes under -race; the same code runs in the other tests)")
	}
	b, err := os.ReadFile(mediationDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	tables := append(infoTables(t), oneAtATimeTable(t))
	for _, want := range tables {
		head, _, _ := strings.Cut(want, "\n")
		start, end := docTable(t, doc, head)
		if got := doc[start:end]; got != want {
			if golden.Update() {
				doc = doc[:start] + want + doc[end:]
				continue
			}
			t.Errorf("docs/mediation.md: the table headed %q is stale (run with -update to renew it); the commands print:\n%s\nthe doc has:\n%s", head, want, got)
		}
	}
	doc = robustnessExcerpt(t, doc)
	if golden.Update() && doc != string(b) {
		if err := os.WriteFile(mediationDoc, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
