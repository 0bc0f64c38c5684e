package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley/tournament"
)

// TestMediatorTournamentCLI runs a tournament of mediators from the
// command line and reports it as text and JSON; the stored runs replay.
func TestMediatorTournamentCLI(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	out := trnOK(t, "tournament", "--mediators", "nash,hillclimb,biased:bias=0.5", "--voters", "hillclimber,annealer",
		"--scenarios", market, "--reps", "2", "--deadline", "40", "--db", db)
	for _, want := range []string{"tournament: 24 runs: ran 24", "Mediated tournament: 3 mediators, voters hillclimber,annealer, 1 scenarios, 2 reps, 40 rounds, rule mediator, info declared",
		"rounds to agreement", "fairness [95% CI]", "Pairwise (runs paired by scenario, voter pool, rep and seed", "rounds_to_agreement"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	m, recs := stored(t, db)
	if m.Protocol != tournament.ProtocolMediated || len(recs) != 24 || recs[0].Mediator != "nash" || len(recs[0].Voters) != 2 {
		t.Fatalf("stored meta %+v, first run %+v", m, recs[0])
	}
	js := trnOK(t, "report", db, "--json")
	var rep struct {
		Mediators []struct {
			Mediator string         `json:"mediator"`
			Runs     int            `json:"runs"`
			Welfare  map[string]any `json:"welfare"`
			Fairness map[string]any `json:"fairness"`
			Rounds   map[string]any `json:"rounds_to_agreement"`
			Other    map[string]any `json:"-"`
		} `json:"mediators"`
		Pairwise []map[string]any `json:"mediator_pairwise"`
	}
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Mediators) != 3 || rep.Mediators[0].Welfare["n"] == nil || len(rep.Pairwise) == 0 {
		t.Fatalf("report --json: %s", js)
	}
	if out := trnOK(t, "replay", db, "7"); !strings.Contains(out, "Same result as stored") {
		t.Errorf("replay: %s", out)
	}
	// Resuming with the same settings runs nothing; other mediators are
	// another tournament.
	if out := trnOK(t, "tournament", "--mediators", "nash,hillclimb,biased:bias=0.5", "--voters", "hillclimber,annealer",
		"--scenarios", market, "--reps", "2", "--deadline", "40", "--db", db, "--quiet"); !strings.Contains(out, "ran 0 in") {
		t.Errorf("resume: %s", out)
	}
	if _, errs, code := trnExe(t, "tournament", "--mediators", "nash", "--voters", "hillclimber,annealer",
		"--scenarios", market, "--reps", "2", "--deadline", "40", "--db", db); code != 1 || !strings.Contains(errs, "mediators nash,hillclimb,biased:bias=0.5, not nash") {
		t.Errorf("other mediators: exit %d, %s", code, errs)
	}
}

// TestStagedTournamentCLI runs negotiators inside the ceasefire's declared
// stages.
func TestStagedTournamentCLI(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	out := trnOK(t, "tournament", "--protocol", "staged", "--agents", "boulware,conceder", "--scenarios", "ceasefire", "--reps", "2", "--db", db)
	if !strings.Contains(out, "Staged tournament: 2 agents, 1 scenarios, 2 reps, protocol the declared stages, mediator biased:bias=0.25, voters reservation") {
		t.Errorf("output:\n%s", out)
	}
	m, recs := stored(t, db)
	if m.Protocol != tournament.ProtocolStaged || len(recs) != 4 || recs[0].Agents[2] != "" {
		t.Fatalf("stored %+v, %+v", m, recs)
	}
	if out := trnOK(t, "replay", db, "3"); !strings.Contains(out, "Same result as stored") {
		t.Errorf("replay: %s", out)
	}
}

// TestTournamentProtocolFlags: combinations that make no sense exit 2,
// naming the flag, before anything is created.
func TestTournamentProtocolFlags(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"mediators with agents", []string{"--agents", "boulware,conceder", "--mediators", "nash", "--scenarios", market}, "--mediators: applies to mediated and staged"},
		{"voters with sao", []string{"--agents", "boulware,conceder", "--voters", "hillclimber", "--scenarios", market}, "--voters: applies to mediated and staged"},
		{"agents in mediated", []string{"--protocol", "mediated", "--agents", "boulware", "--mediators", "nash", "--voters", "hillclimber", "--scenarios", market}, "--agents: a mediated tournament's competitors"},
		{"mediated without voters", []string{"--mediators", "nash", "--scenarios", market}, "needs voters: give --voters"},
		{"mediated timing", []string{"--mediators", "nash", "--voters", "hillclimber", "--timing", "genius", "--scenarios", market}, "--timing: applies to alternating offers only"},
		{"anneal without rule mediator", []string{"--mediators", "hillclimb,anneal", "--voters", "hillclimber", "--rule", "unanimous", "--scenarios", market}, `--rule: unanimous: mediator "anneal"`},
		{"bad rule", []string{"--mediators", "nash", "--voters", "hillclimber", "--rule", "dictator", "--scenarios", market}, `--rule: unknown rule "dictator" (want unanimous, majority or mediator)`},
		{"bad mediator", []string{"--mediators", "nash,oracle", "--voters", "hillclimber", "--scenarios", market}, `--mediators: mediator "oracle"`},
		{"staged deadline", []string{"--protocol", "staged", "--agents", "boulware,conceder", "--deadline", "50", "--scenarios", "ceasefire"}, "--deadline: a staged protocol's stages set their own rounds"},
		{"staged two mediators", []string{"--protocol", "staged", "--agents", "boulware,conceder", "--mediators", "nash,ks", "--scenarios", "ceasefire"}, "--mediators: 2 mediators"},
		{"staged without protocol", []string{"--protocol", "staged", "--agents", "boulware,conceder", "--scenarios", market}, "--scenarios: scenario " + market + " declares no protocol"},
		{"staged bad variant", []string{"--protocol", "staged", "--agents", "boulware,conceder", "--variant", "nosuch", "--scenarios", "ceasefire"}, "--variant: "},
		{"variant with sao", []string{"--agents", "boulware,conceder", "--variant", "bilateral_only", "--scenarios", "ceasefire"}, "--variant: applies to staged tournaments"},
		{"noise with sao", []string{"--agents", "boulware,conceder", "--noise", "0.1", "--scenarios", market}, "--noise: applies to mediated tournaments"},
		{"noise without declared", []string{"--mediators", "nash", "--voters", "hillclimber", "--info", "full", "--noise", "0.1", "--scenarios", market}, "--noise: 0.1: noise perturbs declared profiles"},
		{"negative noise", []string{"--mediators", "nash", "--voters", "hillclimber", "--noise", "-1", "--scenarios", market}, "--noise: -1: want a non-negative number"},
		{"unknown protocol", []string{"--protocol", "auction", "--agents", "boulware,conceder", "--scenarios", market}, `--protocol: "auction": want sao, mediated or staged`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := trnExe(t, append([]string{"tournament", "--db", db, "--quiet"}, tt.args...)...)
			if code != 2 || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tt.want)
			}
			if _, err := os.Stat(db); err == nil {
				t.Fatal("bad input created the database")
			}
		})
	}
}

// TestDocsProtocolTournaments runs the commands of docs/tournaments.md's
// "Tournaments of mediators" and "Staged tournaments" sections as written
// and checks that their documented output is the real one: every line
// shown (but "..." elisions) comes in order, the summary line's timing
// aside.
func TestDocsProtocolTournaments(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "tournaments.md"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	timing := regexp.MustCompile(`ran (\d+) in [0-9.]+s \([0-9]+/s\)`)
	for _, section := range []string{"## Tournaments of mediators", "## Staged tournaments"} {
		t.Run(section[3:], func(t *testing.T) {
			_, text, ok := strings.Cut(string(doc), section+"\n")
			if !ok {
				t.Fatalf("docs/tournaments.md has no section %q", section)
			}
			text, _, _ = strings.Cut(text, "\n## ")
			_, rest, ok := strings.Cut(text, "```sh\n")
			if !ok {
				t.Fatal("no command")
			}
			cmd, rest, _ := strings.Cut(rest, "```")
			_, rest, _ = strings.Cut(rest, "```\n")
			want, _, _ := strings.Cut(rest, "```")
			args := strings.Fields(strings.ReplaceAll(cmd, "\\\n", " "))
			if len(args) == 0 || args[0] != "parley" {
				t.Fatalf("command %q", cmd)
			}
			got := trnOK(t, args[1:]...)
			got = timing.ReplaceAllString(got, "ran $1 in")
			lines := strings.Split(got, "\n")
			at := 0
			for _, w := range strings.Split(strings.TrimRight(want, "\n"), "\n") {
				if strings.TrimSpace(w) == "..." {
					continue
				}
				w = timing.ReplaceAllString(w, "ran $1 in")
				for at < len(lines) && lines[at] != w {
					at++
				}
				if at == len(lines) {
					t.Fatalf("documented line not in the output (in order):\n%s\noutput:\n%s", w, got)
				}
				at++
			}
		})
	}
}

// TestMediatorTournamentFile: a tournament file sets the protocol's
// fields as the flags do, and a bad one is named with its line.
func TestMediatorTournamentFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "m.yaml")
	os.WriteFile(file, []byte("mediators: [nash, hillclimb]\nvoters: [hillclimber]\nscenarios: [ceasefire]\nrule: majority\ninfo: declared\nnoise: 0.05\ndeadline: 20\ndb: m.db\n"), 0o644)
	out := trnOK(t, "tournament", file, "--quiet")
	if !strings.Contains(out, "tournament: 2 runs: ran 2") {
		t.Fatalf("output %s", out)
	}
	m, _ := stored(t, filepath.Join(dir, "m.db"))
	if m.Protocol != tournament.ProtocolMediated || m.Rule != "majority" || m.Info != "declared" || m.Noise != 0.05 || m.Deadline != 20 {
		t.Errorf("meta %+v", m)
	}
	os.WriteFile(file, []byte("agents: [boulware, conceder]\nscenarios: [ceasefire]\nprotocol: staged\ndeadline: 20\ndb: s.db\n"), 0o644)
	if _, errs, code := trnExe(t, "tournament", file); code != 2 || !strings.Contains(errs, "m.yaml:4:11: deadline: a staged protocol's stages set their own rounds") {
		t.Errorf("exit %d, %s", code, errs)
	}
}

// TestWorkerProtocols runs a mediated and a staged tournament on two
// 'parley worker' processes: the workers rebuild mediators, voters and the
// ceasefire's stages from the queued tournament, and store what a local
// run stores.
func TestWorkerProtocols(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a NATS server and worker processes")
	}
	srv := startNATS(t)
	url := srv.ClientURL()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	for i := range 2 {
		w := startWorkerProcess(t, "--queue", url, "--concurrency", "1", "--name", fmt.Sprintf("w%d", i), "--scenarios", "testdata/tournament")
		w.waitLog(t, "serving")
		t.Cleanup(func() { _ = w.cmd.Process.Kill() })
	}
	dir := t.TempDir()
	for name, args := range map[string][]string{
		"mediated": {"--mediators", "hillclimb,nash", "--voters", "hillclimber,annealer", "--scenarios", "testdata/tournament/market.yaml", "--reps", "3", "--deadline", "30"},
		"staged":   {"--protocol", "staged", "--agents", "boulware,conceder", "--scenarios", "ceasefire", "--reps", "3"},
	} {
		local, dist := filepath.Join(dir, name+"-local.db"), filepath.Join(dir, name+"-dist.db")
		args = append(args, "--quiet")
		if _, errs, err := command(ctx, newTournamentCmd(), append(args, "--db", local)...); err != nil {
			t.Fatalf("%s: local: %v\n%s", name, err, errs)
		}
		if _, errs, err := command(ctx, newTournamentCmd(), append(args, "--db", dist, "--queue", url)...); err != nil {
			t.Fatalf("%s: --queue: %v\n%s", name, err, errs)
		}
		lm, want := readRecords(t, local)
		dm, got := readRecords(t, dist)
		if !reflect.DeepEqual(lm, dm) || len(got) != len(want) || len(want) == 0 {
			t.Fatalf("%s: meta %+v / %+v, %d / %d runs", name, lm, dm, len(want), len(got))
		}
		for id, w := range want {
			g := got[id]
			if g.Worker != "w0" && g.Worker != "w1" {
				t.Errorf("%s: run %d ran on %q", name, id, g.Worker)
			}
			g.Elapsed, w.Elapsed, g.Worker, w.Worker = 0, 0, "", ""
			if !reflect.DeepEqual(g, w) {
				t.Fatalf("%s: run %d:\n got %+v\nwant %+v", name, id, g, w)
			}
		}
	}
}
