package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// plotHeaders are how a file of each --plot extension starts and ends.
var plotHeaders = map[string][2]string{
	".png": {"\x89PNG\r\n\x1a\n", ""},
	".svg": {"<?xml", "</svg>"},
	".pdf": {"%PDF-1.", "%%EOF"},
}

// checkPlotFile checks that path holds a file of its extension's format.
func checkPlotFile(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := plotHeaders[filepath.Ext(path)]
	if !bytes.HasPrefix(b, []byte(h[0])) || !bytes.HasSuffix(bytes.TrimSpace(b), []byte(h[1])) {
		t.Errorf("%s: not a %s file (%d bytes: %q...)", path, filepath.Ext(path), len(b), b[:min(len(b), 20)])
	}
	if filepath.Ext(path) == ".svg" && !bytes.Contains(b[:min(len(b), 400)], []byte("<svg ")) {
		t.Errorf("%s: no <svg> root", path)
	}
}

// TestRunPlot: 'run --plot' writes each format, for alternating offers and
// for the ceasefire's staged protocol (bilateral offers, then mediated
// proposals), and the text output is unchanged by it.
func TestRunPlot(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
	}{
		{"staged", []string{"run", "ceasefire", "--agents", "conceder,linear"}},
		{"sao", []string{"run", "ceasefire", "--protocol", "sao", "--agents", "boulware,conceder,linear", "--deadline", "30"}},
	} {
		plain := cli(t, c.args...)
		for ext := range plotHeaders {
			path := filepath.Join(dir, c.name+ext)
			out := cli(t, append(c.args, "--plot", path)...)
			if out != plain {
				t.Errorf("%s: --plot changed the output", c.name)
			}
			checkPlotFile(t, path)
		}
	}
}

// TestRunPlotContent reads the SVG of the staged ceasefire run: a panel
// per pair of RU, UA and US with labelled axes, and a legend naming the
// offers, the mediator's proposals, both stages and the agreement.
func TestRunPlotContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.svg")
	out := cli(t, "run", "ceasefire", "--agents", "conceder,linear", "--plot", path)
	if !strings.Contains(out, "ratified") {
		t.Fatalf("the run this test reads ended otherwise:\n%s", out)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	svg := strings.ReplaceAll(string(b), "&#39;", "'")
	for text, n := range map[string]int{
		">RU and UA<": 1, ">RU and US<": 1, ">UA and US<": 1,
		">RU's utility (0 to 1)<": 2, ">UA's utility (0 to 1)<": 2, ">US's utility (0 to 1)<": 2,
		">RU offers<": 1, ">UA offers<": 1, ">US proposals<": 1,
		">stage 1 bilateral: offers<": 1, ">stage 2 mediated: proposals<": 1,
		">Pareto frontier<": 1, ">Nash point<": 1, ">Kalai-Smorodinsky point<": 1, ">agreement<": 1,
		">reservation values (dashed)<": 1,
	} {
		if got := strings.Count(svg, text); got != n {
			t.Errorf("%q appears %d times, want %d", text, got, n)
		}
	}
}

// TestPlotBadExtension: an extension that names no format is a usage error
// (exit 2) naming the flag, before anything runs or is written.
func TestPlotBadExtension(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"run", "ceasefire", "--plot", filepath.Join(dir, "run.jpg")},
		{"report", filepath.Join(dir, "missing.db"), "--plot", filepath.Join(dir, "lb.gif")},
		{"experiment", "sequencing", "ceasefire", "--runs", "1", "--plot", filepath.Join(dir, "x.eps")},
	} {
		_, errs, code := exe(t, args...)
		if code != 2 || !strings.Contains(errs, "--plot") || !strings.Contains(errs, "want a .png, .svg or .pdf file") {
			t.Errorf("parley %s: exit %d, stderr %q", strings.Join(args, " "), code, errs)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files written: %v", ents)
	}
}

// TestReportAndExperimentPlotFormats: 'report --plot' and 'experiment
// --plot' write every format.
func TestReportAndExperimentPlotFormats(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	trnOK(t, "tournament", "--agents", "boulware,conceder,linear", "--scenarios", market, "--reps", "2", "--db", db, "--quiet")
	for ext := range plotHeaders {
		p := filepath.Join(dir, "lb"+ext)
		trnOK(t, "report", db, "--plot", p)
		checkPlotFile(t, p)
		p = filepath.Join(dir, "seq"+ext)
		expCLI(t, "experiment", "sequencing", "ceasefire", "--runs", "3", "--plot", p)
		checkPlotFile(t, p)
	}
}

// TestQuietEverywhere: every command with a progress bar accepts --quiet
// (and -q), and none draws a bar when stderr is not a terminal.
func TestQuietEverywhere(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"experiment", "sequencing", "ceasefire", "--runs", "2"},
		{"experiment", "sweep", "ceasefire", "--set", "US.bias=0,1", "--runs", "2"},
		{"bench", "ceasefire", "--duration", "10ms", "--deadline", "20"},
		{"tournament", "--agents", "boulware,conceder", "--scenarios", market, "--db", filepath.Join(dir, "q.db")},
		{"convert", "ceasefire", filepath.Join(dir, "c.yaml")},
	} {
		for _, q := range []string{"", "--quiet", "-q"} {
			a := args
			if q != "" {
				a = append(append([]string(nil), args...), q)
			}
			_, errs, code := exe(t, a...)
			if code != 0 || strings.Contains(errs, "ETA") || strings.Contains(errs, "\x1b[") {
				t.Errorf("parley %s: exit %d, stderr %q", strings.Join(a, " "), code, errs)
			}
		}
	}
}

// TestPlotSaysWhere: every --plot says on stderr where it wrote the file.
func TestPlotSaysWhere(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"run", "ceasefire", "--plot", filepath.Join(dir, "staged.png")},
		{"run", "ceasefire", "--protocol", "sao", "--deadline", "10", "--plot", filepath.Join(dir, "sao.png")},
		{"experiment", "sequencing", "ceasefire", "--runs", "1", "--plot", filepath.Join(dir, "seq.png")},
	} {
		_, errs, code := exe(t, args...)
		want := "wrote the plot to " + args[len(args)-1] + "\n"
		if code != 0 || !strings.HasSuffix(errs, want) {
			t.Errorf("parley %s: exit %d, stderr %q, want it to end in %q", strings.Join(args, " "), code, errs, want)
		}
	}
}
