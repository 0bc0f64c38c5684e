package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/golden"
)

// reasonNames are parley.Reason's names: the only end reasons any output
// may use.
func reasonNames() []string {
	var ns []string
	for _, r := range parley.Reasons() {
		ns = append(ns, r.String())
	}
	return ns
}

// traceLines splits a trace into its header, events and result.
func traceLines(t *testing.T, path string) (map[string]any, []map[string]any, map[string]any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		lines = append(lines, m)
	}
	if len(lines) < 2 || lines[0]["type"] != "header" || lines[len(lines)-1]["type"] != "result" {
		t.Fatalf("%s: want a header line first and a result line last", path)
	}
	for _, l := range lines[1 : len(lines)-1] {
		if l["type"] != "event" {
			t.Fatalf("%s: line of type %v between header and result", path, l["type"])
		}
	}
	return lines[0], lines[1 : len(lines)-1], lines[len(lines)-1]
}

// TestOneVocabulary runs negotiations that end in each way and checks
// that text, trace and JSON name the end reason, the rounds and the
// parties alike: the reason is a parley.Reason name in every output, the
// trace's header names what ran and its result line is the --json
// output, rounds count from 1 (the last event's round is the result's),
// and per-party values are keyed by party name.
func TestOneVocabulary(t *testing.T) {
	tests := []struct {
		reason string
		args   []string
	}{
		{"walk_away", []string{"run", "ceasefire", "--seed", "16"}},
		{"agreement", []string{"run", "ceasefire"}},
		{"mediator_exit", []string{"run", "ceasefire", "--variant", "mediated_from_start", "--seed", "4"}},
		{"ratification_failed", []string{"run", "ceasefire", "--variant", "mediated_from_start", "--seed", "33"}},
		{"deadline", []string{"run", "ceasefire", "--protocol", "sao", "--agents", "hardliner", "--deadline", "10"}},
		{"walk_away", []string{"run", "ceasefire", "--protocol", "sao"}},
		{"agreement", []string{"run", "ceasefire", "--protocol", "sao", "--agents", "conceder", "--deadline", "30"}},
	}
	dir := t.TempDir()
	for i, tc := range tests {
		t.Run(fmt.Sprintf("%d_%s", i, tc.reason), func(t *testing.T) {
			tf := filepath.Join(dir, fmt.Sprintf("%d.jsonl", i))
			text := cli(t, append(tc.args, "--trace", tf, "--show", "-1")...)
			out := cli(t, append(tc.args, "--json")...)
			var j map[string]any
			if err := json.Unmarshal([]byte(out), &j); err != nil {
				t.Fatal(err)
			}
			head, events, result := traceLines(t, tf)

			// The reason.
			if j["reason"] != tc.reason || !slices.Contains(reasonNames(), tc.reason) {
				t.Fatalf("reason %v, want %s", j["reason"], tc.reason)
			}
			if _, ok := j["cause"]; ok {
				t.Error(`--json has a "cause" beside "reason"`)
			}
			delete(result, "type")
			if !jsonEqual(t, result, j) {
				t.Errorf("the trace's result line differs from --json:\n%v\n%v", result, j)
			}
			rounds := int(j["rounds"].(float64))
			if want := fmt.Sprintf("Result: %s in round %d", tc.reason, rounds); !strings.Contains(text, want) {
				t.Errorf("text lacks %q:\n%s", want, text)
			}
			for _, old := range []string{"walked_away", "ratification_failure", "leaves", "cause"} {
				if strings.Contains(text, old) || strings.Contains(out, old) {
					t.Errorf("an output still says %q", old)
				}
			}

			// The header names what ran.
			if head["schema"] != "parley.trace/3" || head["scenario"] != "ceasefire" || head["seed"] != j["seed"] ||
				head["protocol"] != j["protocol"] || !jsonEqual(t, head["agents"], j["agents"]) {
				t.Errorf("trace header %v", head)
			}

			// Rounds from 1; actions named as in parley.ActionKind.
			last := events[len(events)-1]
			if r := events[0]["round"].(float64); r != 1 {
				t.Errorf("the first event is in round %v", r)
			}
			if tc.reason != "deadline" && int(last["round"].(float64)) != rounds {
				t.Errorf("the last event is in round %v, the result in round %d", last["round"], rounds)
			}
			if tc.reason == "walk_away" && last["action"] != "walk_away" {
				t.Errorf("a walk-away ends with action %v", last["action"])
			}
			for _, e := range events {
				if a := e["action"].(string); !slices.Contains([]string{"offer", "accept", "reject", "walk_away"}, a) {
					t.Errorf("action %q", a)
				}
				if a := e["action"].(string); !strings.Contains(text, " "+a) && !strings.Contains(text, ":"+a) {
					t.Errorf("the text never shows action %q", a)
				}
				if _, staged := e["stage"]; staged && e["stage_round"].(float64) > e["round"].(float64) {
					t.Errorf("stage round %v after global round %v", e["stage_round"], e["round"])
				}
			}

			// Per-party values keyed by party.
			parties := j["parties"].([]any)
			for _, k := range []string{"agents", "utilities", "discounted_utilities", "reservation", "advantage"} {
				m := j[k].(map[string]any)
				if len(m) != len(parties) {
					t.Errorf("%s has %d entries for %d parties", k, len(m), len(parties))
				}
				for _, p := range parties {
					if _, ok := m[p.(string)]; !ok {
						t.Errorf("%s lacks party %v", k, p)
					}
				}
			}
			if j["schema"] != "parley.run/3" {
				t.Errorf("schema %v", j["schema"])
			}
		})
	}
}

func jsonEqual(t *testing.T, a, b any) bool {
	t.Helper()
	x, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(x, y)
}

// TestReasonNamesAgree: the staged protocol and the experiments name each
// way a run ends as parley.Reason does.
func TestReasonNamesAgree(t *testing.T) {
	want := []string{"agreement", "deadline", "walk_away", "mediator_exit", "ratification_failed", "error"}
	if got := reasonNames(); !slices.Equal(got, want) {
		t.Fatalf("parley.Reasons() names %v, want %v", got, want)
	}
	for _, n := range want {
		if r, err := parley.ParseReason(n); err != nil || r.String() != n {
			t.Errorf("ParseReason(%q) = %v, %v", n, r, err)
		}
	}
	if _, err := parley.ParseReason("walked_away"); err == nil {
		t.Error(`ParseReason("walked_away") succeeded`)
	}
	if parley.End.String() != parley.ReasonWalkAway.String() {
		t.Errorf("walking away is action %q but reason %q", parley.End, parley.ReasonWalkAway)
	}
}

// TestGoldenOutput: the printed output of run, analyze and a trace, byte
// for byte (testdata/golden/*.golden; go test -run TestGoldenOutput
// -update rewrites them).
func TestGoldenOutput(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"run-demo", []string{"run", "ceasefire"}},
		{"run-staged-walk-away", []string{"run", "ceasefire", "--seed", "16"}},
		{"run-staged-agreement", []string{"run", "ceasefire", "--show", "4"}},
		{"run-mediated-votes", []string{"run", "ceasefire", "--variant", "mediated_from_start", "--seed", "7"}},
		{"run-sao-multilateral", []string{"run", "ceasefire", "--protocol", "sao", "--agents", "conceder,boulware,linear", "--deadline", "30", "--show", "3"}},
		{"analyze", []string{"analyze", "ceasefire", "--parties", "RU,UA"}},
		{"run-mediated-json", []string{"run", "ceasefire", "--variant", "mediated_from_start", "--seed", "7", "--json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			golden.Check(t, "golden/"+tc.name, []byte(cli(t, tc.args...)))
		})
	}
	t.Run("trace-mediated", func(t *testing.T) {
		tf := filepath.Join(dir, "m.jsonl")
		cli(t, "run", "ceasefire", "--variant", "mediated_from_start", "--seed", "7", "--trace", tf)
		b, err := os.ReadFile(tf)
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, "golden/trace-mediated", b)
	})
}

// TestVersion: parley --version names the build.
func TestVersion(t *testing.T) {
	out, _, code := exe(t, "--version")
	if code != 0 || !strings.HasPrefix(out, "parley ") || !strings.Contains(out, "go1.") {
		t.Fatalf("parley --version: exit %d, %q", code, out)
	}
}
