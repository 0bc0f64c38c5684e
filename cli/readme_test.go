package cli

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/sharedtest"
)

// TestReadmeTour runs every parley command of the README's CLI tour as
// written (./parley ...), so the README stays true, from a scratch folder
// with ../shared beside it as beside the clone. Commands that need ../shared
// are skipped (loudly, and counted in the package's summary line) when it
// is absent. It also checks that the scenario folders the tour copies into
// ../shared are the ones the commands (and the tests) use, and that every
// file the tour writes is listed in .gitignore.
func TestReadmeTour(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, tour, ok := strings.Cut(string(readme), "## A tour of the CLI")
	if !ok {
		t.Fatal("README has no CLI tour")
	}
	tour, _, _ = strings.Cut(tour, "\n## ")
	var lines []string
	for rest := tour; ; {
		var block string
		var found bool
		if _, rest, found = strings.Cut(rest, "```sh\n"); !found {
			break
		}
		block, rest, _ = strings.Cut(rest, "```")
		lines = append(lines, strings.Split(block, "\n")...)
	}
	gitignore, err := os.ReadFile(filepath.Join("..", ".gitignore"))
	if err != nil {
		t.Fatal(err)
	}

	shared, _ := filepath.Abs(filepath.Join("..", "..", "shared"))
	_, serr := os.Stat(shared)
	// Run from a scratch folder that has ../shared beside it, like the repo.
	tmp := t.TempDir()
	work := filepath.Join(tmp, "repo")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	if serr == nil {
		if err := os.Symlink(shared, filepath.Join(tmp, "shared")); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(work)
	vars := map[string]string{}
	expand := func(s string) string {
		for k, v := range vars {
			s = strings.ReplaceAll(s, "$"+k, v)
		}
		return s
	}
	skippedOutputs := map[string]bool{} // files a skipped command would have written
	written := map[string]bool{}        // top-level files the tour writes
	ran, copied := 0, 0
	for _, line := range lines {
		line, _, _ = strings.Cut(line, "#")
		line = strings.TrimSpace(line)
		if name, val, ok := strings.Cut(line, "="); ok && !strings.ContainsAny(name, " $") {
			vars[name] = expand(val)
			continue
		}
		f := strings.Fields(expand(line))
		switch {
		case len(f) == 0:
			continue
		case len(f) >= 4 && f[0] == "go" && f[1] == "build" && f[2] == "-o":
			written[f[3]] = true
			continue
		case len(f) == 4 && f[0] == "cp" && f[1] == "-r":
			// The copy must name a folder of ../shared/scenarios/genius,
			// where the commands and the tests look.
			if !strings.HasPrefix(f[3], "../shared/scenarios/genius/") {
				t.Errorf("README copies scenarios to %s, not into ../shared/scenarios/genius", f[3])
			}
			if serr == nil {
				if _, err := os.Stat(f[3]); err != nil {
					t.Errorf("README copies a scenario to %s, which ../shared lacks: %v", f[3], err)
				}
			}
			copied++
			continue
		case f[0] != "./parley":
			continue // git clone, mkdir: set-up outside the repository
		}
		args := f[1:]
		line = strings.Join(f, " ")
		needsSkipped := false
		for _, a := range args {
			needsSkipped = needsSkipped || skippedOutputs[a]
		}
		if (strings.Contains(line, "../shared") && serr != nil) || needsSkipped {
			t.Run(line, func(t *testing.T) {
				sharedtest.Skipf(t, shared, "SKIPPING README command (no ../shared): %s", line)
			})
			if args[0] == "convert" && len(args) >= 3 {
				skippedOutputs[args[2]] = true
			}
			for i, a := range args {
				if a == "--db" && i+1 < len(args) {
					skippedOutputs[args[i+1]] = true
				}
			}
			continue
		}
		if args[0] == "bench" {
			args = append(args, "--duration", "100ms")
		}
		t.Run(line, func(t *testing.T) { cli(t, args...) })
		ran++
	}
	if ran < 5 || copied < 5 {
		t.Fatalf("only %d README commands ran and %d copies were checked", ran, copied)
	}
	entries, err := os.ReadDir(work)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		written[e.Name()] = true
	}
	for name := range written {
		if !ignored(string(gitignore), name) {
			t.Errorf("the README tour writes %s, which .gitignore does not list", name)
		}
	}
}

// ignored reports whether the top-level file name matches a line of the
// .gitignore text (patterns "/name", "/dir/" and globs such as "*.db").
func ignored(gitignore, name string) bool {
	for _, p := range strings.Split(gitignore, "\n") {
		p = strings.TrimSpace(p)
		if p == "" || strings.HasPrefix(p, "#") {
			continue
		}
		p = strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/")
		if ok, _ := filepath.Match(p, name); ok {
			return true
		}
	}
	return false
}

// jsonBlock returns the first ```json block after marker in docs/cli.md.
func jsonBlock(t *testing.T, marker string) string {
	t.Helper()
	return fenced(t, marker, "json")
}

// fenced returns the first ```lang block after marker in docs/cli.md.
func fenced(t *testing.T, marker, lang string) string {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "docs", "cli.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), marker)
	if !ok {
		t.Fatalf("docs/cli.md lacks %q", marker)
	}
	_, block, _ := strings.Cut(rest, "```"+lang+"\n")
	block, _, _ = strings.Cut(block, "```")
	return block
}

// TestDocsRunExample: the run examples in docs/cli.md are the real output.
func TestDocsRunExample(t *testing.T) {
	for _, tc := range []struct {
		marker string
		args   []string
	}{
		{"`--json` output of `parley run ceasefire --protocol sao --json`", []string{"run", "ceasefire", "--protocol", "sao", "--json"}},
		{"`parley run ceasefire --json` (checked by a test)", []string{"run", "ceasefire", "--json"}},
	} {
		want := jsonBlock(t, tc.marker)
		if got := cli(t, tc.args...); got != want {
			t.Fatalf("docs/cli.md example %q is stale; got:\n%s", tc.marker, got)
		}
	}
}

// TestDocsAnalyzeExample: the abbreviated analyze example in docs/cli.md
// has exactly the real keys and the real headline numbers.
func TestDocsAnalyzeExample(t *testing.T) {
	var doc, real map[string]any
	if err := json.Unmarshal([]byte(jsonBlock(t, "## `parley analyze SCENARIO`")), &doc); err != nil {
		t.Fatalf("docs/cli.md analyze example is not JSON: %v", err)
	}
	if err := json.Unmarshal([]byte(cli(t, "analyze", "ceasefire", "--parties", "RU,UA", "--json")), &real); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(keys(doc), keys(real)) {
		t.Fatalf("docs keys %v, real keys %v", keys(doc), keys(real))
	}
	if doc["outcomes"] != real["outcomes"] || math.Abs(doc["opposition"].(float64)-real["opposition"].(float64)) > 5e-4 {
		t.Fatalf("docs %v/%v, real %v/%v", doc["outcomes"], doc["opposition"], real["outcomes"], real["opposition"])
	}
	dp, rp := doc["pareto"].(map[string]any), real["pareto"].(map[string]any)
	if dp["size"] != rp["size"] {
		t.Fatalf("docs frontier size %v, real %v", dp["size"], rp["size"])
	}
	if doc["schema"] != real["schema"] || !reflect.DeepEqual(doc["reservation"], real["reservation"]) {
		t.Fatalf("docs schema %v reservation %v, real %v %v", doc["schema"], doc["reservation"], real["schema"], real["reservation"])
	}
	for _, k := range []string{"nash", "kalai_smorodinsky", "max_welfare"} {
		d, r := doc[k].(map[string]any), real[k].(map[string]any)
		if !reflect.DeepEqual(keys(d), keys(r)) || !reflect.DeepEqual(keys(d["utilities"].(map[string]any)), keys(r["utilities"].(map[string]any))) {
			t.Fatalf("docs %s %v, real %v", k, d, r)
		}
		for p, u := range d["utilities"].(map[string]any) {
			if math.Abs(u.(float64)-r["utilities"].(map[string]any)[p].(float64)) > 5e-4 {
				t.Fatalf("docs %s utility of %s %v, real %v", k, p, u, r["utilities"])
			}
		}
		if d["outcome"].(map[string]any)["territory"] != r["outcome"].(map[string]any)["territory"] {
			t.Fatalf("docs %s outcome %v, real %v", k, d["outcome"], r["outcome"])
		}
	}
}

// TestDocsTraceExample: the trace example in docs/cli.md is the real file.
func TestDocsTraceExample(t *testing.T) {
	tf := filepath.Join(t.TempDir(), "t.jsonl")
	cli(t, "run", "testdata/tournament/market.yaml", "--agents", "boulware,conceder", "--deadline", "3", "--trace", tf)
	got, err := os.ReadFile(tf)
	if err != nil {
		t.Fatal(err)
	}
	if want := fenced(t, "### Trace files", "jsonl"); string(got) != want {
		t.Fatalf("docs/cli.md trace example is stale; got:\n%s", got)
	}
	// The header of a staged run's trace, with its stages.
	cli(t, "run", "ceasefire", "--trace", tf)
	if got, err = os.ReadFile(tf); err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(got), "\n")
	if want := fenced(t, "### Stages", "jsonl"); header+"\n" != want {
		t.Fatalf("docs/cli.md's staged trace header is stale; got:\n%s", header)
	}
}

// TestDocsAgentsExample: the agents --json example in docs/cli.md is
// boulware's real first parameter.
func TestDocsAgentsExample(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(jsonBlock(t, "## `parley scenarios`, `parley agents`")), &doc); err != nil {
		t.Fatal(err)
	}
	var real struct {
		Schema      string `json:"schema"`
		Negotiators []struct {
			Name   string           `json:"name"`
			Params []map[string]any `json:"params"`
		} `json:"negotiators"`
	}
	if err := json.Unmarshal([]byte(cli(t, "agents", "--json")), &real); err != nil {
		t.Fatal(err)
	}
	if real.Schema != "parley.agents/2" || real.Negotiators[0].Name != "boulware" || !reflect.DeepEqual(real.Negotiators[0].Params[0], doc) {
		t.Fatalf("docs %v, real %s %s %v", doc, real.Schema, real.Negotiators[0].Name, real.Negotiators[0].Params[0])
	}
}

// TestDocsSchemas: every schema a command prints is in docs/cli.md's table,
// and every key of the scenarios and bench outputs is documented there.
func TestDocsSchemas(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "cli.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{schemaRun, schemaTrace, schemaAnalyze, schemaAgents, schemaExperiment, schemaReport, schemaScenarios, schemaBench} {
		if !strings.Contains(string(doc), "| `"+s+"` |") {
			t.Errorf("docs/cli.md's schema table lacks %s", s)
		}
	}
	for _, args := range [][]string{{"scenarios", "--json"}, {"bench", "ceasefire", "--duration", "20ms", "--deadline", "20", "--json"}} {
		var top map[string]any
		if err := json.Unmarshal([]byte(cli(t, args...)), &top); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(doc), fmt.Sprintf("schema `%s`", top["schema"])) {
			t.Errorf("docs/cli.md does not document %s", top["schema"])
		}
		for k := range top["scenarios"].([]any)[0].(map[string]any) {
			if !strings.Contains(string(doc), "`"+k+"`") && !strings.Contains(string(doc), `"`+k+`"`) {
				t.Errorf("%s: key %q is not documented in docs/cli.md", args[0], k)
			}
		}
	}
}
