package cli

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/internal/golden"
)

// TestRobustnessCommand runs `parley experiment robustness` on the
// ceasefire with tiny settings: the documented JSON schema, the same seed
// giving the same bytes, one CSV row per point, and a plot file.
func TestRobustnessCommand(t *testing.T) {
	dir := t.TempDir()
	csvFile, plotFile := filepath.Join(dir, "points.csv"), filepath.Join(dir, "sobol.svg")
	args := []string{"experiment", "robustness", "ceasefire", "--samples", "2", "--runs", "2", "--bootstrap", "10", "--seed", "3",
		"--variants", "bilateral_only,mediated_from_start,bilateral_then_mediated,mediated_then_bilateral"}
	out := expCLI(t, append(args, "--json", "--csv", csvFile, "--plot", plotFile)...)
	var rep struct {
		Schema      string `json:"schema"`
		Samples     int    `json:"samples"`
		Points      int    `json:"points"`
		Runs        int    `json:"runs"`
		Arms        []string
		Assumptions []struct {
			Name      string
			Low, High float64
			Note      string
		}
		Orderings []struct {
			Metric, Arm, Other string
			Above, Below       ciJSON
			Ties, Points       int
		}
		Indices []struct {
			Metric, Arm, Other string
			Defined            bool
			Effects            []struct {
				Assumption   string
				First, Total ciJSON
			}
		}
		PointResults []struct {
			Block     string
			Values    []float64
			Agreement []float64
		} `json:"point_results"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	k := len(rep.Assumptions)
	if rep.Schema != "parley.robustness/1" || rep.Samples != 2 || rep.Runs != 2 || k < 6 || rep.Points != 2*(k+2) || len(rep.PointResults) != rep.Points {
		t.Fatalf("schema %q, samples %d, runs %d, %d assumptions, %d points", rep.Schema, rep.Samples, rep.Runs, k, rep.Points)
	}
	if len(rep.Arms) != 4 || len(rep.Orderings) != 12 || len(rep.Indices) != 12 {
		t.Errorf("%d arms, %d orderings, %d index sets", len(rep.Arms), len(rep.Orderings), len(rep.Indices))
	}
	// Every key of the output is documented in docs/cli.md.
	doc, err := os.ReadFile(filepath.Join("..", "docs", "cli.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "schema `parley.robustness/1`") {
		t.Error("docs/cli.md does not document schema parley.robustness/1")
	}
	var tree any
	if err := json.Unmarshal([]byte(out), &tree); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if !strings.Contains(string(doc), "`"+k+"`") && !strings.Contains(string(doc), `"`+k+`"`) {
					t.Errorf("key %q is not documented in docs/cli.md", k)
				}
				if k != "pool" {
					walk(x)
				}
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(tree)
	if again := expCLI(t, append(args, "--json", "--workers", "1")...); again != out {
		t.Error("the same seed gave different bytes")
	}
	rows := readCSV(t, csvFile)
	if len(rows) != rep.Points+1 || len(rows[0]) != 2+k+2*len(rep.Arms) || rows[1][1] != "A" {
		t.Errorf("CSV: %d rows of %d columns: %v", len(rows), len(rows[0]), rows[0])
	}
	if b, err := os.ReadFile(plotFile); err != nil || !strings.Contains(string(b), "<svg") {
		t.Errorf("plot: %v", err)
	}
	// Without --variants, the arms are those the protocol compares.
	table := expCLI(t, args[:len(args)-2]...)
	for _, want := range []string{"robustness ceasefire", "ORDERINGS", "SOBOL INDICES", "UA.reservation",
		"arms: bilateral_only, mediated_from_start, bilateral_then_mediated, mediated_then_bilateral\n"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
}

func TestRobustnessUsageErrors(t *testing.T) {
	src, err := catalog.BuiltinSource("ceasefire")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cut, _, ok := strings.Cut(string(src), "\nassumptions:")
	if !ok {
		t.Fatal("the ceasefire declares no assumptions: block")
	}
	plain, bad := filepath.Join(dir, "plain.yaml"), filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(plain, []byte(cut), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(strings.Replace(string(src), "name: US.bias", "name: US.patience", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"ceasefire", "--samples", "1"}, "--samples 1"},
		{[]string{"ceasefire", "--runs", "0"}, "--runs 0"},
		{[]string{"ceasefire", "--bootstrap", "0"}, "--bootstrap 0"},
		{[]string{"ceasefire", "--plot", "x.jpg"}, "--plot"},
		{[]string{"ceasefire", "--negotiators", "bogus", "--samples", "2"}, "--negotiators"},
		{[]string{plain}, "declares no assumptions"},
		{[]string{"ceasefire", "--variants", "nope"}, `--variants: scenario ceasefire has no variant "nope"`},
		{[]string{bad}, `assumptions[7]: bad sweep parameter "US.patience=0,1": unknown parameter "patience"`},
		{nil, "accepts 1 arg"},
	} {
		_, _, err := expRun(append([]string{"experiment", "robustness"}, c.args...)...)
		var u usageError
		if err == nil || !errors.As(err, &u) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want a usage error containing %q", c.args, err, c.want)
		}
	}
}

// TestRobustnessGolden pins the text report on tiny settings (two arms,
// two base samples, four runs per arm at each point).
func TestRobustnessGolden(t *testing.T) {
	out := expCLI(t, "experiment", "robustness", "ceasefire", "--samples", "2", "--runs", "4", "--bootstrap", "20",
		"--variants", "bilateral_only,mediated_from_start")
	golden.Check(t, "golden/robustness-tiny", []byte(out))
}
