package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parley-dev/parley/bench"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/internal/sharedtest"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/tracefile"
)

// TestMain lets the test binary act as the parley command, so that the
// end-to-end tests run the real main (exit codes included) without a
// separate build; otherwise it runs the tests and says what was skipped for
// lack of ../shared.
func TestMain(m *testing.M) {
	if os.Getenv("PARLEY_TEST_MAIN") == "1" {
		os.Exit(Main(context.Background(), os.Args[1:]))
	}
	os.Exit(sharedtest.Main(m, "github.com/parley-dev/parley/cli"))
}

// pg is the command without options, for tests that call its parts.
var pg, _ = newProgram(nil)

// parley runs the command in-process and returns stdout.
func cli(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if err := Run(context.Background(), args, &out, &errb); err != nil {
		t.Fatalf("parley %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

// exe runs the test binary as the parley command and returns its output and
// exit code.
func exe(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "PARLEY_TEST_MAIN=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// sharedScenario returns a folder of ../shared/scenarios/genius, skipping
// the test loudly when the shared data is absent.
func sharedScenario(t *testing.T, name string) string {
	t.Helper()
	return sharedtest.Path(t, "scenarios/genius/"+name)
}

func keys(m map[string]any) []string {
	var k []string
	for x := range m {
		k = append(k, x)
	}
	sort.Strings(k)
	return k
}

func TestAnalyzeCeasefireJSON(t *testing.T) {
	out := cli(t, "analyze", "ceasefire", "--parties", "RU,UA", "--json", "--ignore-red-lines")
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	want := []string{"kalai_smorodinsky", "max_welfare", "nash", "opposition", "outcomes", "pareto", "parties", "reservation", "scenario", "schema"}
	if got := keys(raw); !reflect.DeepEqual(got, want) {
		t.Fatalf("analyze --json keys %v, want exactly %v", got, want)
	}
	var j render.AnalyzeJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	// ceasefire.md §4 (checked there by enumeration and by Minkowski sums,
	// without red lines): 58,320 outcomes, a 78-point RU-UA frontier, Nash
	// at (0.652, 0.646) and opposition 0.497.
	if j.Outcomes != 58320 || j.Pareto.Size != 78 || len(j.Pareto.Points) != 78 {
		t.Fatalf("outcomes %d, frontier %d/%d; want 58320 and 78", j.Outcomes, j.Pareto.Size, len(j.Pareto.Points))
	}
	if j.Nash == nil || math.Abs(j.Nash.Utilities["RU"]-0.652) > 5e-4 || math.Abs(j.Nash.Utilities["UA"]-0.646) > 5e-4 {
		t.Fatalf("nash %+v, want (0.652, 0.646)", j.Nash)
	}
	if j.Nash.Outcome["territory"] != "freeze_line_us_recognition" || j.Nash.Outcome["sanctions"] != "full_lifting_g8" {
		t.Fatalf("nash outcome %v", j.Nash.Outcome)
	}
	// Kalai-Smorodinsky and maximal welfare come with their outcomes, as
	// Nash does.
	if j.KalaiSmorodinsky == nil || len(j.KalaiSmorodinsky.Outcome) != 9 || len(j.MaxWelfare.Outcome) != 9 ||
		math.Abs(j.MaxWelfare.Welfare-j.MaxWelfare.Utilities["RU"]-j.MaxWelfare.Utilities["UA"]) > 1e-12 {
		t.Fatalf("kalai-smorodinsky %+v, max welfare %+v", j.KalaiSmorodinsky, j.MaxWelfare)
	}
	if math.Abs(j.Opposition-0.497) > 5e-4 {
		t.Fatalf("opposition %v, want 0.497", j.Opposition)
	}
	if !reflect.DeepEqual(j.Parties, []string{"RU", "UA"}) || !reflect.DeepEqual(j.Reservation, map[string]float64{"RU": 0.5, "UA": 0.5}) {
		t.Fatalf("parties %v reservation %v", j.Parties, j.Reservation)
	}
}

// With the red lines (the default) the frontier is over the 11,664
// outcomes that cross none: 55 of the 78 unrestricted points hold a value
// one side vetoes, the 23 others stay, and 32 points that those vetoed
// outcomes dominated join them, 55 in all. The Nash point crosses no red
// line, so it stays.
func TestAnalyzeCeasefireRedLines(t *testing.T) {
	var j render.AnalyzeJSON
	if err := json.Unmarshal([]byte(cli(t, "analyze", "ceasefire", "--parties", "RU,UA", "--json")), &j); err != nil {
		t.Fatal(err)
	}
	if j.Outcomes != 58320 || j.Pareto.Size != 55 || j.Nash == nil || math.Abs(j.Nash.Utilities["RU"]-0.652) > 5e-4 {
		t.Fatalf("outcomes %d frontier %d nash %+v", j.Outcomes, j.Pareto.Size, j.Nash)
	}
	out := cli(t, "analyze", "ceasefire", "--parties", "RU,UA")
	if !strings.Contains(out, "Red lines: 5 values vetoed; 11664 outcomes cross none") {
		t.Fatalf("readable output does not report the red lines:\n%s", out)
	}
}

func TestRunJSONAndDeterminism(t *testing.T) {
	dir := t.TempDir()
	run := func(seed, trace string) (string, []byte) {
		tf := filepath.Join(dir, trace)
		out := cli(t, "run", "ceasefire", "--agents", "boulware,random", "--seed", seed, "--json", "--trace", tf)
		b, err := os.ReadFile(tf)
		if err != nil {
			t.Fatal(err)
		}
		return out, b
	}
	o1, t1 := run("42", "a.jsonl")
	o2, t2 := run("42", "b.jsonl")
	_, t3 := run("43", "c.jsonl")
	if o1 != o2 || !bytes.Equal(t1, t2) {
		t.Fatal("the same seed gave different output or traces")
	}
	if bytes.Equal(t1, t3) {
		t.Fatal("different seeds gave the same trace (the random agent should differ)")
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(o1), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"agreement", "utilities", "discounted_utilities", "rounds", "reason", "seed", "metrics"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("run --json lacks %q", k)
		}
	}
	var j tracefile.Run
	if err := json.Unmarshal([]byte(o1), &j); err != nil {
		t.Fatal(err)
	}
	if j.Seed != 42 || j.Deadline != 120 || !reflect.DeepEqual(j.Agents, map[string]string{"RU": "boulware", "UA": "random", "US": "boulware"}) {
		t.Fatalf("seed %d deadline %d agents %v", j.Seed, j.Deadline, j.Agents)
	}
	// A header line, one line per event, a result line. A walk-away
	// through the hazard is traced but is no turn.
	lines := bytes.Count(t1, []byte("\n")) - 2
	if lines != j.Steps && !(j.Reason == "walk_away" && lines == j.Steps+1) {
		t.Fatalf("trace has %d event lines for %d steps", lines, j.Steps)
	}
	if j.Reason == "agreement" {
		if len(j.Agreement) != 9 || j.Metrics == nil {
			t.Fatalf("agreement %v metrics %v", j.Agreement, j.Metrics)
		}
	} else if j.Agreement != nil {
		t.Fatalf("reason %s with agreement %v", j.Reason, j.Agreement)
	}
}

// Hardliners never move: the negotiation must end at the deadline with
// every party at its reservation value, discounted at t = 1.
func TestRunDeadline(t *testing.T) {
	out := cli(t, "run", "ceasefire", "--protocol", "sao", "--agents", "hardliner", "--deadline", "10", "--json")
	var j tracefile.Run
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	if j.Reason != "deadline" || j.Rounds != 10 || j.Agreement != nil {
		t.Fatalf("reason %s rounds %d agreement %v", j.Reason, j.Rounds, j.Agreement)
	}
	// The reservation at t = 1 includes the drift: UA's −0.10 (ceasefire.md §2.1).
	for p, c := range map[string]struct{ r, d float64 }{"RU": {0.5, 0.9}, "UA": {0.4, 0.8}, "US": {0.2, 0.7}} {
		if math.Abs(j.Utilities[p]-c.r) > 1e-12 || math.Abs(j.DiscountedUtilities[p]-c.r*c.d) > 1e-12 {
			t.Errorf("%s: utility %v discounted %v, want reservation %v and %v", p, j.Utilities[p], j.DiscountedUtilities[p], c.r, c.r*c.d)
		}
	}
}

func TestRunReadable(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"run", "ceasefire", "--protocol", "sao"}, []string{"Scenario ceasefire: 3 parties, 9 issues, 58320 outcomes", "Events:", "PARTY  UTILITY  DISCOUNTED  ADVANTAGE", "  1      RU     offer", "  ... 28 more ..."}},
		// The README's account of the demo.
		{[]string{"run", "ceasefire", "--seed", "16"}, []string{"17     bilateral  17           RU     walk_away", `Result: walk_away in round 17 (stage "bilateral", its round 17), t=0.133, by RU`}},
		{[]string{"run", "ceasefire"}, []string{"One run, seed 1, of the declared stages (ceasefire: 3 parties, 9 issues, 58320 outcomes):",
			"  1      bilateral  alternating_offers  RU+UA         40      1-40           none",
			"  2      mediated   mediated            RU+UA         80      41-120         US",
			"mediated   16           US     offer", `Result: agreement in round 56 (stage "mediated", its round 16)`}},
	}
	for _, tc := range tests {
		out := cli(t, tc.args...)
		for _, want := range tc.want {
			if !strings.Contains(out, want) {
				t.Errorf("parley %s: output lacks %q:\n%s", strings.Join(tc.args, " "), want, out)
			}
		}
	}
}

// TestDemoOneScreen: the README's demo, 'parley run ceasefire', fits on
// one screen (40 lines of at most 100 columns) and shows the question, a
// run that reaches the mediated stage, the arms at matched information
// and a one-line caveat. --show asks for the full account of the run.
func TestDemoOneScreen(t *testing.T) {
	out := cli(t, "run", "ceasefire")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) > 40 {
		t.Errorf("the demo prints %d lines, more than 40:\n%s", len(lines), out)
	}
	for i, l := range lines {
		if n := utf8.RuneCountInString(l); n > 100 {
			t.Errorf("line %d has %d columns, more than 100: %q", i+1, n, l)
		}
	}
	for _, want := range []string{"Question: Does a mediator help more", "  2      mediated   mediated", "mediated   16           -      final vote",
		"Result: agreement in round 56", "MEDIATOR SEES VOTES (MATCHED)", "  mediated_then_bilateral", "Caveat: "} {
		if !strings.Contains(out, want) {
			t.Errorf("the demo lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "Caveat"); n != 1 || !strings.HasPrefix(lines[len(lines)-1], "Caveat: ") {
		t.Errorf("want one caveat line, the last:\n%s", out)
	}
	full := cli(t, "run", "ceasefire", "--show", "6")
	for _, want := range []string{"Events: 96 offers or proposals in 56 rounds", "  ISSUE               VALUE", "distance to the Pareto frontier", "Caveat: "} {
		if !strings.Contains(full, want) {
			t.Errorf("run ceasefire --show 6 lacks %q:\n%s", want, full)
		}
	}
}

// The staged run: same seed, same bytes (trace included); every variant runs;
// a variant the scenario lacks is a usage error naming the known ones.
func TestRunStaged(t *testing.T) {
	dir := t.TempDir()
	a := cli(t, "run", "ceasefire", "--seed", "4", "--json", "--trace", filepath.Join(dir, "a.jsonl"))
	b := cli(t, "run", "ceasefire", "--seed", "4", "--json", "--trace", filepath.Join(dir, "b.jsonl"))
	ta, _ := os.ReadFile(filepath.Join(dir, "a.jsonl"))
	tb, _ := os.ReadFile(filepath.Join(dir, "b.jsonl"))
	if a != b || !bytes.Equal(ta, tb) || len(ta) == 0 {
		t.Fatal("the same seed gave different staged runs or traces")
	}
	if !bytes.Contains(ta, []byte(`"stage":"mediated"`)) || !bytes.Contains(ta, []byte(`"party":"US","action":"offer"`)) {
		t.Fatalf("trace lacks the mediated stage or the US's proposals:\n%.400s", ta)
	}
	for _, v := range []string{"bilateral_only", "mediated_from_start", "bilateral_then_mediated", "mediated_then_bilateral"} {
		var j tracefile.Run
		// bilateral_only has no mediated stage: --voters and --mediator
		// would do nothing there, which is a usage error.
		args, med := []string{"run", "ceasefire", "--variant", v, "--json"}, ""
		if v != "bilateral_only" {
			args, med = append(args, "--voters", "hillclimber,annealer", "--mediator", "nash"), "nash"
		}
		if err := json.Unmarshal([]byte(cli(t, args...)), &j); err != nil {
			t.Fatal(err)
		}
		if j.Variant != v || j.Deadline != 120 || j.Mediator != med || j.Reason == "" || j.Reason == "error" {
			t.Errorf("variant %s: %+v", v, j)
		}
		if j.Reason == "agreement" && (j.Ratified == nil || !*j.Ratified || j.Agreement == nil) {
			t.Errorf("variant %s: agreement without ratification or outcome", v)
		}
	}
	_, stderr, code := exe(t, "run", "ceasefire", "--variant", "nosuch")
	if code != 2 || !strings.Contains(stderr, "bilateral_only") {
		t.Fatalf("unknown variant: exit %d, %s", code, stderr)
	}
}

func TestListings(t *testing.T) {
	if out := cli(t, "scenarios"); !strings.Contains(out, "ceasefire") || !strings.Contains(out, "58320") {
		t.Errorf("scenarios:\n%s", out)
	}
	out := cli(t, "agents")
	for _, n := range []string{"boulware", "conceder", "linear", "hardliner", "random", "tft", "micro", "BOA OPPONENT MODELS", "bayesian", "combimax"} {
		if !strings.Contains(out, n) {
			t.Errorf("agents lacks %s:\n%s", n, out)
		}
	}
	var j render.AgentsJSON
	if err := json.Unmarshal([]byte(cli(t, "agents", "--json")), &j); err != nil {
		t.Fatal(err)
	}
	if len(j.Components.Bid) != 5 || len(j.Components.OM) != 3 || len(j.Components.AC) != 5 || j.Components.AC[1].Name != "const" ||
		!j.Components.AC[1].Params[0].Required || j.Components.AC[1].Params[0].Default != nil || *j.Components.AC[1].Params[0].Max != 1 {
		t.Errorf("agents --json components: %+v", j.Components)
	}
	for _, m := range j.Mediators {
		if m.Name == "hillclimb" && (m.Params[0].Type != "boolean" || m.Params[0].Default != false) {
			t.Errorf("hillclimb's call: %+v", m.Params[0])
		}
	}
}

func TestConvertRoundTrip(t *testing.T) {
	dir := t.TempDir()
	y := filepath.Join(dir, "cf.yaml")
	js := filepath.Join(dir, "cf.json")
	cli(t, "convert", "ceasefire", y)
	cli(t, "convert", y, js)
	a := cli(t, "analyze", "ceasefire", "--json")
	b := cli(t, "analyze", js, "--json")
	var ja, jb render.AnalyzeJSON
	if err := json.Unmarshal([]byte(a), &ja); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(b), &jb); err != nil {
		t.Fatal(err)
	}
	ja.Scenario, jb.Scenario = "", ""
	if !reflect.DeepEqual(ja, jb) {
		t.Fatal("analysis changed through YAML and JSON conversion")
	}
}

func TestConvertGeniusRoundTrip(t *testing.T) {
	src := sharedScenario(t, "EnglandZimbabwe_anac2010")
	dir := t.TempDir()
	cli(t, "convert", src, filepath.Join(dir, "ez.yaml"))
	cli(t, "convert", filepath.Join(dir, "ez.yaml"), filepath.Join(dir, "g"), "--to", "genius")
	a := cli(t, "analyze", src, "--json")
	b := cli(t, "analyze", filepath.Join(dir, "g"), "--json")
	var ja, jb render.AnalyzeJSON
	_ = json.Unmarshal([]byte(a), &ja)
	_ = json.Unmarshal([]byte(b), &jb)
	if ja.Pareto.Size != jb.Pareto.Size || ja.Nash == nil || jb.Nash == nil || !reflect.DeepEqual(ja.Nash.Outcome, jb.Nash.Outcome) {
		t.Fatalf("GENIUS -> YAML -> GENIUS changed the analysis: %+v vs %+v", ja.Pareto.Size, jb.Pareto.Size)
	}
	for k := range ja.Pareto.Points {
		for i := range ja.Pareto.Points[k] {
			if math.Abs(ja.Pareto.Points[k][i]-jb.Pareto.Points[k][i]) > 1e-12 {
				t.Fatalf("frontier point %d differs: %v vs %v", k, ja.Pareto.Points[k], jb.Pareto.Points[k])
			}
		}
	}
}

func TestRunGeniusDomainWithProfiles(t *testing.T) {
	dir := sharedScenario(t, "EnglandZimbabwe_anac2010")
	out := cli(t, "run", filepath.Join(dir, "EnglandZimbabwe_domain.xml"),
		"--profiles", filepath.Join(dir, "Zimbabwe.xml")+","+filepath.Join(dir, "England.xml"),
		"--agents", "micro,boulware", "--json")
	var j tracefile.Run
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(j.Parties, []string{"Zimbabwe", "England"}) {
		t.Fatalf("parties %v: --profiles must fix the order", j.Parties)
	}
}

func TestExitCodes(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: x\nissues:\n  - name: a\n    values: [p, q]\nparties:\n  - name: A\n    weights: {a: 1}\n    values: {a: {p: 1, q: 0}}\n    reservation: 1.5\n  - name: B\n    weights: {a: 1}\n    values: {a: {p: 0, q: 1}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "empty.db")
	if st, err := sqlite.New(empty); err != nil {
		t.Fatal(err)
	} else {
		st.Close()
	}
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"report", empty}, 1, "parley: sqlite: " + empty + " holds no tournament"},
		{[]string{"replay", empty, "0"}, 1, "parley: sqlite: " + empty + " holds no tournament"},
		{[]string{"merge", empty, "a.db", empty}, 2, "parley: merge: " + empty + " is both the output and an input"},
		{[]string{"run", "ceasefire", "--agents", "nosuch"}, 2, `unknown strategy`},
		{[]string{"run", "ceasefire", "--agents", "conceder:x=3"}, 2, `unknown parameter "x"`},
		{[]string{"run"}, 2, "accepts 1 arg"},
		{[]string{"run", "ceasefire", "--bogus"}, 2, "unknown flag"},
		{[]string{"run", "no/such/file.yaml"}, 1, "no such file"},
		{[]string{"run", "nosuchbuiltin"}, 1, `no built-in scenario "nosuchbuiltin"`},
		{[]string{"analyze", bad}, 1, "bad.yaml:9"},
		{[]string{"convert", "ceasefire", "out.txt"}, 2, "use --to"},
		// Options a package refuses name their flag and value (usage).
		{[]string{"run", "ceasefire", "--protocol", "sao", "--deadline", "0"}, 2, "parley: run: --deadline 0: want at least 1 round"},
		{[]string{"experiment", "sequencing", "ceasefire", "--runs", "0"}, 2, "parley: experiment sequencing: --runs 0: need at least 1 run"},
		{[]string{"experiment", "sweep", "ceasefire", "--set", "US.bias=0", "--workers", "-1"}, 2, "parley: experiment sweep: --workers -1: must not be negative"},
		{[]string{"experiment", "robustness", "ceasefire", "--limit", "-1s"}, 2, "parley: experiment robustness: --limit -1s: must not be negative"},
		{[]string{"experiment", "sequencing", "ceasefire", "--runs", "1", "--shard", "0/2"}, 2, "parley: experiment sequencing: --db: a shard needs a database"},
		{[]string{"experiment", "sequencing", "ceasefire", "--runs", "1", "--baseline", "nope"}, 2, `parley: experiment sequencing: --baseline "nope": no such arm (have bilateral_only,`},
		{[]string{"experiment", "sequencing", "ceasefire", "--negotiators", "nobody"}, 2, `parley: experiment sequencing: --negotiators: strategy "nobody"`},
		{[]string{"worker", "--queue", "nats://127.0.0.1:1", "--concurrency", "-1"}, 2, "parley: worker: --concurrency -1: must not be negative"},
		{[]string{"worker", "--queue", "nats://127.0.0.1:1", "--queue-reconnect-for", "-1s"}, 2, "parley: worker: --queue-reconnect-for -1s: must not be negative"},
		{[]string{"serve", "--addr", "8080"}, 2, `parley: serve: --addr "8080": address 8080: missing port in address`},
	}
	for _, tc := range tests {
		_, stderr, code := exe(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("parley %s: exit %d stderr %q; want exit %d and %q", strings.Join(tc.args, " "), code, stderr, tc.code, tc.stderr)
		}
		if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
			t.Errorf("parley %s panicked:\n%s", strings.Join(tc.args, " "), stderr)
		}
	}
}

func TestBenchRuns(t *testing.T) {
	out := cli(t, "bench", "ceasefire", "--duration", "50ms", "--deadline", "50", "--json")
	var b struct {
		Schema    string         `json:"schema"`
		Scenarios []bench.Result `json:"scenarios"`
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatal(err)
	}
	rows := b.Scenarios
	if b.Schema != "parley.bench/2" || len(rows) != 1 || rows[0].Outcomes != 58320 || rows[0].Negotiations == 0 || rows[0].ParetoPoints == 0 {
		t.Fatalf("bench rows %+v", rows)
	}
}

// TestFlagsThatWouldDoNothing: a flag that the chosen protocol would
// ignore, or that would silently mean something else, is a usage error
// (exit 2) naming the flag, and so is an unknown command (issue 8, item
// 14). The allowed forms run.
func TestFlagsThatWouldDoNothing(t *testing.T) {
	dir, err := os.MkdirTemp("", "parley-flags")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	plain := filepath.Join(dir, "plain.yaml")
	cli(t, "convert", "ceasefire", plain)
	// The same scenario without its protocol section.
	data, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	if i := bytes.Index(data, []byte("\nprotocol:")); i >= 0 {
		data = data[:i+1]
	} else {
		t.Fatalf("converted ceasefire has no protocol section:\n%.300s", data)
	}
	if err := os.WriteFile(plain, data, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"nosuch"}, `unknown command "nosuch"`},
		{[]string{"tournement"}, "did you mean tournament"},
		// Annealing needs rule mediator; the ceasefire's stage is unanimous.
		{[]string{"run", "ceasefire", "--mediator", "anneal"}, `--mediator: mediator "anneal" adopts rejected proposals only under rule "mediator"`},
		{[]string{"run", "ceasefire", "--deadline", "0"}, "--deadline 0"},
		{[]string{"run", "ceasefire", "--protocol", "sao", "--deadline", "0"}, "--deadline 0"},
		{[]string{"run", plain, "--variant", "bilateral_only"}, "--variant: scenario"},
		{[]string{"run", plain, "--mediator", "nash"}, "--mediator: scenario"},
		{[]string{"run", "ceasefire", "--protocol", "sao", "--voters", "annealer"}, "--voters goes with"},
		// The US mediates: a third negotiator or voter would sit idle.
		{[]string{"run", "ceasefire", "--agents", "boulware,conceder,micro"}, "--agents: spec 3 (micro) would go to US"},
		{[]string{"run", "ceasefire", "--voters", "reservation,annealer,hillclimber"}, "--voters: spec 3 (hillclimber) would go to US"},
		{[]string{"run", "ceasefire", "--variant", "bilateral_only", "--mediator", "nash"}, "--mediator: protocol variant bilateral_only has no mediated stage"},
		{[]string{"run", "ceasefire", "--variant", "mediated_from_start", "--agents", "conceder"}, "--agents: no party negotiates"},
		// Alternating-offers flags do not switch protocols silently.
		{[]string{"run", "ceasefire", "--deadline", "50"}, "--deadline applies to plain alternating offers"},
		{[]string{"run", "ceasefire", "--timing", "steps"}, "--timing applies to plain alternating offers"},
		{[]string{"run", "ceasefire", "--time-limit", "1m"}, "--time-limit applies to plain alternating offers"},
		{[]string{"run", "ceasefire", "--protocol", "staged", "--deadline", "50"}, "--deadline applies to plain alternating offers"},
	}
	for _, tc := range tests {
		_, stderr, code := exe(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("parley %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(tc.args, " "), code, stderr, tc.stderr)
		}
	}
	for _, args := range [][]string{
		{"run", "ceasefire", "--agents", "boulware,conceder", "--voters", "reservation,annealer"},
		{"run", "ceasefire", "--protocol", "sao", "--deadline", "5", "--agents", "boulware,conceder,micro"},
		{"run", plain, "--deadline", "5"},
		{"run", "ceasefire", "--variant", "mediated_from_start", "--mediator", "hillclimb"},
	} {
		if _, stderr, code := exe(t, args...); code != 0 {
			t.Errorf("parley %s: exit %d, stderr %q", strings.Join(args, " "), code, stderr)
		}
	}
}

// TestRunHelpExamples: the examples of 'parley run --help' that need no
// files run (a flag they give must not be refused as doing nothing).
func TestRunHelpExamples(t *testing.T) {
	ran := 0
	for _, line := range strings.Split(pg.newRunCmd().Example, "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || f[0] != "parley" || f[2] != "ceasefire" {
			continue
		}
		cli(t, append(f[1:], "--json")...)
		ran++
	}
	if ran < 4 {
		t.Fatalf("only %d examples ran", ran)
	}
}

// TestRunTwoMediatorPolicies: one mediator seat serves every mediated
// stage, so stages naming different mediator_policy specs are an error
// (not the first one silently) unless --mediator names the seat's.
func TestRunTwoMediatorPolicies(t *testing.T) {
	src, err := os.ReadFile("../catalog/scenarios/ceasefire.yaml")
	if err != nil {
		t.Fatal(err)
	}
	again := `    - name: again
      participants: [RU, UA]
      mechanism: mediated
      rounds: 10
      mediator_policy: hillclimb
  variants:`
	two := strings.Replace(string(src), "  variants:", again, 1)
	file := filepath.Join(t.TempDir(), "two.yaml")
	if err := os.WriteFile(file, []byte(two), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := exe(t, "run", file)
	if code != 1 || !strings.Contains(stderr, `mediated stages "mediated" and "again" name different mediator policies ("biased:bias=0.25", "hillclimb")`) {
		t.Errorf("exit %d, %s", code, stderr)
	}
	cli(t, "run", file, "--mediator", "nash")
}
