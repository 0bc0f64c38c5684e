package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// expRun runs the parley command line with the experiment command
// registered (whether or not newRoot registers it).
func expRun(args ...string) (string, string, error) {
	var out, errb bytes.Buffer
	root := pg.newRoot(&out, &errb)
	found := false
	for _, c := range root.Commands() {
		found = found || c.Name() == "experiment"
	}
	if !found {
		root.AddCommand(pg.newExperimentCmd())
	}
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

func expCLI(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, err := expRun(args...)
	if err != nil {
		t.Fatalf("parley %s: %v\n%s", strings.Join(args, " "), err, errs)
	}
	return out
}

// ciJSON is the one shape of a confidence interval in Parley's JSON.
type ciJSON struct {
	Mean      float64
	Low, High *float64
	N         int
}

// TestExperimentSequencingJSON checks the documented --json schema
// (docs/mediation.md) on a small run, and that the same seed gives the
// same bytes whatever the number of workers.
func TestExperimentSequencingJSON(t *testing.T) {
	out := expCLI(t, "experiment", "sequencing", "ceasefire", "--runs", "20", "--seed", "7", "--json")
	var raw struct {
		Arms []map[string]json.RawMessage `json:"arms"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw.Arms) != 7 {
		t.Fatalf("%d arms, want 7", len(raw.Arms))
	}
	for _, k := range []string{"name", "runs", "agreement_rate", "ratified_rate", "utility", "discounted_utility", "advantage", "welfare", "breakdown"} {
		for i, a := range raw.Arms {
			if _, ok := a[k]; !ok {
				t.Errorf("arm %d lacks %q", i, k)
			}
		}
	}
	var rep struct {
		Experiment string `json:"experiment"`
		Runs       int    `json:"runs"`
		Baseline   string `json:"baseline"`
		Schema     string `json:"schema"`
		Arms       []struct {
			Name          string            `json:"name"`
			Runs          int               `json:"runs"`
			AgreementRate ciJSON            `json:"agreement_rate"`
			RatifiedRate  ciJSON            `json:"ratified_rate"`
			Utility       map[string]ciJSON `json:"utility"`
			Welfare       ciJSON            `json:"welfare"`
			Breakdown     map[string]int    `json:"breakdown"`
			Advantage     map[string]ciJSON `json:"advantage"`
			Discounted    map[string]ciJSON `json:"discounted_utility"`
		} `json:"arms"`
		Comparisons []struct {
			Arm, Metric string
			P           float64 `json:"p"`
			PHolm       float64 `json:"p_holm"`
			Log10P      float64 `json:"log10_p"`
			Difference  ciJSON  `json:"difference"`
		} `json:"comparisons"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	want := []string{"bilateral_only", "mediated_from_start", "bilateral_then_mediated", "mediated_then_bilateral",
		"mediated_from_start_fallback", "bilateral_then_mediated_carry_none", "bilateral_then_mediated_carry_best"}
	for i, a := range rep.Arms {
		if a.Name != want[i] || a.Runs != 20 {
			t.Errorf("arm %d: %q with %d runs", i, a.Name, a.Runs)
		}
		ar := a.AgreementRate
		if ar.Low == nil || ar.High == nil || *ar.Low > ar.Mean || ar.Mean > *ar.High || ar.N != 20 {
			t.Errorf("arm %s: agreement rate %+v", a.Name, ar)
		}
		if a.RatifiedRate.Mean > a.AgreementRate.Mean {
			t.Errorf("arm %s: ratified %v above agreed %v", a.Name, a.RatifiedRate, a.AgreementRate)
		}
		for _, m := range []map[string]ciJSON{a.Utility, a.Discounted, a.Advantage} {
			if got := sortedKeys(m); !reflect.DeepEqual(got, []string{"RU", "UA", "US"}) {
				t.Errorf("arm %s: per-party parties %v", a.Name, got)
			}
		}
		if math.Abs(a.Welfare.Mean-a.Utility["RU"].Mean-a.Utility["UA"].Mean) > 1e-9 {
			t.Errorf("arm %s: welfare %v is not the negotiators' utility sum", a.Name, a.Welfare)
		}
		n := 0
		for _, c := range a.Breakdown {
			n += c
		}
		if n != 20 || len(a.Breakdown) != 6 {
			t.Errorf("arm %s: breakdown %v", a.Name, a.Breakdown)
		}
		if got := float64(a.Breakdown["agreement"]) / 20; got != a.RatifiedRate.Mean {
			t.Errorf("arm %s: %d ratified agreements, rate %v", a.Name, a.Breakdown["agreement"], a.RatifiedRate)
		}
	}
	if rep.Schema != "parley.experiment/2" || rep.Experiment != "sequencing" || rep.Runs != 20 || rep.Baseline != "bilateral_only" || len(rep.Comparisons) != 21*5 {
		t.Errorf("experiment %q, runs %d, baseline %q, %d comparisons", rep.Experiment, rep.Runs, rep.Baseline, len(rep.Comparisons))
	}
	for _, c := range rep.Comparisons {
		if c.P < 0 || c.P > 1 || c.PHolm < c.P-1e-15 || c.PHolm > 1 || math.Abs(c.Log10P-math.Log10(c.P)) > 1e-9 {
			t.Errorf("comparison %+v", c)
		}
		// Every difference, of rates too, has its paired interval.
		if d := c.Difference; d.Low == nil || d.High == nil || *d.Low > d.Mean+1e-12 || d.Mean > *d.High+1e-12 {
			t.Errorf("comparison %s %s: difference %+v", c.Arm, c.Metric, d)
		}
	}
	again := expCLI(t, "experiment", "sequencing", "ceasefire", "--runs", "20", "--seed", "7", "--json", "--workers", "1")
	if again != out {
		t.Error("the same seed gave different output (workers 1 vs all)")
	}
	other := expCLI(t, "experiment", "sequencing", "ceasefire", "--runs", "20", "--seed", "8", "--json")
	if other == out {
		t.Error("a different seed gave the same output")
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var k []string
	for x := range m {
		k = append(k, x)
	}
	for i := range k {
		for j := i + 1; j < len(k); j++ {
			if k[j] < k[i] {
				k[i], k[j] = k[j], k[i]
			}
		}
	}
	return k
}

// TestExperimentTableFiles: the readable table, --csv, --csv-runs and
// --plot.
func TestExperimentTableFiles(t *testing.T) {
	dir := t.TempDir()
	csvFile, runsFile, png := filepath.Join(dir, "arms.csv"), filepath.Join(dir, "runs.csv"), filepath.Join(dir, "seq.png")
	out := expCLI(t, "experiment", "sequencing", "ceasefire", "--runs", "12", "--csv", csvFile, "--csv-runs", runsFile,
		"--plot", png, "--baseline", "bilateral_then_mediated")
	for _, s := range []string{"sequencing ceasefire: 12 runs per arm", "bilateral_then_mediated", "AGREED", "paired tests between every pair of arms",
		"mediated_then_bilateral             bilateral_then_mediated", "order effects (the same stages in another order): mediated_then_bilateral vs bilateral_then_mediated"} {
		if !strings.Contains(out, s) {
			t.Errorf("table lacks %q:\n%s", s, out)
		}
	}
	rows := readCSV(t, csvFile)
	if len(rows) != 8 || rows[0][0] != "arm" || rows[3][0] != "bilateral_then_mediated" {
		t.Errorf("arms csv: %v", rows)
	}
	if rows := readCSV(t, runsFile); len(rows) != 1+7*12 {
		t.Errorf("runs csv: %d rows", len(rows))
	}
	b, err := os.ReadFile(png)
	if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG\r\n")) {
		t.Errorf("plot: %v, %d bytes", err, len(b))
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestExperimentSweep(t *testing.T) {
	out := expCLI(t, "experiment", "sweep", "ceasefire", "--set", "US.bias=0,1", "--set", "UA.reservation=0.45:0.5:0.05", "--runs", "6", "--json")
	var rep struct {
		Experiment string `json:"experiment"`
		Parameters []struct {
			Name   string   `json:"name"`
			Values []string `json:"values"`
		} `json:"parameters"`
		Arms []struct {
			Name   string         `json:"name"`
			Params map[string]any `json:"params"`
		} `json:"arms"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Experiment != "sweep" || len(rep.Arms) != 4 || len(rep.Parameters) != 2 {
		t.Fatalf("%+v", rep)
	}
	if rep.Arms[1].Name != "US.bias=0 UA.reservation=0.5" || rep.Arms[1].Params["UA.reservation"] != 0.5 {
		t.Errorf("arm 1: %+v", rep.Arms[1])
	}
}

// TestSequencingFactor: --factor crosses the arms with a parameter's
// levels, and the header (text and JSON) states the information condition.
func TestSequencingFactor(t *testing.T) {
	out := expCLI(t, "experiment", "sequencing", "ceasefire", "--factor", "mediated.info=votes,full", "--variants", "bilateral_only,mediated_from_start", "--runs", "4", "--json")
	var rep struct {
		Information string `json:"information"`
		Arms        []struct {
			Name     string `json:"name"`
			Mediator string `json:"mediator"`
		} `json:"arms"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Arms) != 4 || rep.Arms[1].Name != "mediated_from_start mediated.info=votes" || rep.Arms[1].Mediator != "feedback:call=true" ||
		rep.Arms[3].Name != "mediated_from_start mediated.info=full" || rep.Arms[3].Mediator != "biased:bias=0.25" {
		t.Errorf("arms %+v", rep.Arms)
	}
	if !strings.HasPrefix(rep.Information, "factor mediated.info=votes,full") {
		t.Errorf("information %q", rep.Information)
	}
	text := expCLI(t, "experiment", "sequencing", "ceasefire", "--runs", "2")
	if !strings.Contains(text, "\ninformation: matched: the mediator sees votes only") {
		t.Errorf("no information line in the header:\n%s", text)
	}
}

// TestExperimentBadInput: each mistake is a usage error (exit code 2)
// naming the flag, and nothing runs.
func TestExperimentBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "ceasefire", "--set", "XX.reservation=0.5"}, `--set: bad sweep parameter "XX.reservation=0.5": no party called "XX"`},
		{[]string{"sweep", "ceasefire", "--set", "UA.patience=0.5"}, `--set: bad sweep parameter "UA.patience=0.5": unknown parameter "patience"`},
		{[]string{"sweep", "ceasefire", "--set", "UA.reservation=0.3:1.2:0.1"}, "value 1.1 outside [0, 1]"},
		{[]string{"sweep", "ceasefire", "--set", "US.bias=0", "--set", "US.bias=1"}, "set twice"},
		{[]string{"sweep", "ceasefire"}, "experiment sweep: --set: no parameters to sweep"},
		{[]string{"sequencing", "ceasefire", "--factor", "mediated.info=secret"}, `--factor: bad sweep parameter "mediated.info=secret"`},
		{[]string{"sequencing", "ceasefire", "--runs", "0"}, "--runs 0"},
		{[]string{"sequencing", "ceasefire", "--variants", "nope"}, `--variants: scenario ceasefire has no variant "nope"`},
		{[]string{"sequencing", "ceasefire", "--baseline", "nope", "--runs", "1"}, "--baseline"},
		{[]string{"sequencing", "ceasefire", "--negotiators", "bogus"}, "--negotiators"},
		{[]string{"sequencing", "ceasefire", "--voters", "bogus"}, "--voters"},
		{[]string{"sequencing", "ceasefire", "--plot", "x.jpg"}, "--plot"},
		{[]string{"sequencing"}, "accepts 1 arg"},
		{nil, "name an experiment"},
	} {
		_, _, err := expRun(append([]string{"experiment"}, c.args...)...)
		var u usageError
		if err == nil || !errors.As(err, &u) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("experiment %v: error %v, want a usage error containing %q", c.args, err, c.want)
		}
	}
}

// TestDocsMediationExample: the experiment outputs pasted in
// docs/mediation.md are the real output of the commands quoted with them.
// Each takes a few seconds (4,000 runs), so -short skips them.
func TestDocsMediationExample(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the 1000-run docs examples")
	}
	doc, err := os.ReadFile(filepath.Join("..", "docs", "mediation.md"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, part := range strings.Split(string(doc), "`parley experiment ")[1:] {
		cmdline, rest, _ := strings.Cut(part, "`")
		// Only commands followed by their output block.
		intro, after, ok := strings.Cut(rest, "```text\n")
		if !ok || strings.Contains(intro, "```") || strings.Count(intro, "\n") > 4 {
			continue
		}
		want, _, _ := strings.Cut(after, "```")
		args := append([]string{"experiment"}, strings.Fields(cmdline)...)
		if got := expCLI(t, args...); got != want {
			t.Errorf("docs/mediation.md: the output of `parley %s` is stale; got:\n%s", strings.Join(args, " "), got)
		}
		n++
	}
	if n < 2 {
		t.Fatalf("found %d experiment outputs in docs/mediation.md, want 2", n)
	}
}

// docTableFields returns the field names of the n-th table (from 0) after
// marker in a doc: the backquoted names in each row's first cell.
func docTableFields(t *testing.T, doc, marker string, n int) []string {
	t.Helper()
	_, rest, ok := strings.Cut(doc, marker)
	if !ok {
		t.Fatalf("doc lacks %q", marker)
	}
	var fields []string
	table := -1
	in := false
	for _, line := range strings.Split(rest, "\n") {
		switch {
		case strings.HasPrefix(line, "| field |"):
			table++
			in = true
		case in && strings.HasPrefix(line, "|---"):
		case in && strings.HasPrefix(line, "| "):
			if table == n {
				cell := strings.Split(line, "|")[1]
				for _, f := range strings.Split(cell, ",") {
					fields = append(fields, strings.Trim(strings.TrimSpace(f), "`"))
				}
			}
		default:
			in = false
		}
	}
	sort.Strings(fields)
	return fields
}

// TestDocsExperimentSchema: the --json schema tables of docs/mediation.md
// list exactly the keys a real sequencing report has (optional keys
// included: a sweep's parameters and params, first_error).
func TestDocsExperimentSchema(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "mediation.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	var real struct {
		Top         map[string]json.RawMessage
		Arms        []map[string]json.RawMessage `json:"arms"`
		Comparisons []map[string]json.RawMessage `json:"comparisons"`
	}
	out := expCLI(t, "experiment", "sequencing", "ceasefire", "--runs", "4", "--seed", "7", "--json")
	if err := json.Unmarshal([]byte(out), &real.Top); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(out), &real); err != nil {
		t.Fatal(err)
	}
	optional := map[string]bool{"parameters": true, "params": true, "first_error": true, "party": true}
	check := func(what string, n int, got map[string]json.RawMessage) {
		keys := map[string]bool{}
		for k := range got {
			keys[k] = true
		}
		for _, f := range docTableFields(t, doc, "### `--json` schema", n) {
			if !keys[f] && !optional[f] {
				t.Errorf("docs list %s field %q, real output lacks it", what, f)
			}
			delete(keys, f)
		}
		for k := range keys {
			t.Errorf("real %s field %q is not documented", what, k)
		}
	}
	check("report", 0, real.Top)
	check("arm", 1, real.Arms[1])
	check("comparison", 2, real.Comparisons[len(real.Comparisons)-1])
}

// TestExperimentRunErrors: runs that end in error are warned about on
// stderr and make the command exit 1 (the report is still printed), unless
// --allow-errors; a clean experiment exits 0 without the warning. The
// biased mediator cannot work on votes alone (mediated.info=votes), and a
// sweep runs the scenario as declared, so every run of that cell ends in
// error.
func TestExperimentRunErrors(t *testing.T) {
	args := []string{"experiment", "sweep", "ceasefire", "--set", "mediated.info=declared,votes", "--variants", "bilateral_then_mediated", "--runs", "6", "-q"}
	out, errOut, code := exe(t, args...)
	if code != 1 {
		t.Fatalf("exit code %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "warning: 6 runs ended in error") || !strings.Contains(errOut, "mediated.info=votes: 6, the first run 0:") ||
		!strings.Contains(errOut, "--allow-errors") {
		t.Errorf("stderr %q, want the warning naming the arm and the flag", errOut)
	}
	if !strings.Contains(out, "paired tests between every pair of arms") {
		t.Errorf("the report is not printed:\n%s", out)
	}
	out, errOut, code = exe(t, append(args, "--allow-errors")...)
	if code != 0 || !strings.Contains(errOut, "warning: 6 runs ended in error") || !strings.Contains(out, "AGREED") {
		t.Errorf("--allow-errors: exit code %d, stderr %q", code, errOut)
	}
	_, errOut, code = exe(t, "experiment", "sequencing", "ceasefire", "--variants", "bilateral_only,mediated_from_start", "--runs", "6", "-q")
	if code != 0 || strings.Contains(errOut, "warning") {
		t.Errorf("clean experiment: exit code %d, stderr %q", code, errOut)
	}
}
