package server_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley/server"
)

// exampleClient is one of the example clients under examples/.
type exampleClient struct {
	name        string // the test's name
	interpreter string // the program that runs it
	script      string // its path from this folder
}

var exampleClients = []exampleClient{
	{"python", "python3", "../examples/python/agent.py"},
	{"js", "node", "../examples/js/agent.mjs"},
}

// requireExamples, when set in the environment (.ci/run sets it), makes
// a missing interpreter fail the example tests instead of skipping them.
const requireExamples = "PARLEY_EXAMPLES_REQUIRED"

// path returns the path of the example's interpreter, skipping t
// loudly (or failing it, under requireExamples) when it is absent.
func (c exampleClient) path(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath(c.interpreter)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("SKIPPED: %s is not on PATH (%v), so %s did not run against the server (install it: apt-get install %s)",
		c.interpreter, err, c.script, map[string]string{"python3": "python3", "node": "nodejs"}[c.interpreter])
	if os.Getenv(requireExamples) != "" {
		t.Fatal(msg)
	}
	fmt.Fprintln(os.Stderr, msg) // seen without -v too
	t.Skip(msg)
	return ""
}

// runExample runs an example client with args and returns its standard
// output, failing t when it does not exit cleanly within two minutes.
// (Its standard error is only shown: Node 18 warns there that fetch is
// experimental.)
func runExample(t *testing.T, c exampleClient, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	var stdout, stderr strings.Builder
	cmd := exec.CommandContext(ctx, c.path(t), append([]string{c.script}, args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s%s", c.script, args, err, stdout.String(), stderr.String())
	}
	if stderr.Len() > 0 {
		t.Logf("%s wrote to its standard error:\n%s", c.script, stderr.String())
	}
	return stdout.String()
}

// summary is the example clients' last lines: how the negotiation ended
// and how many turns they played.
var summary = regexp.MustCompile(`(?m)^ended: (\w+)(?: \((\w+)\))? after (\d+) rounds; (\d+) turns played\nmy utility: [0-9.]+\n$`)

// TestExampleClients runs each example client (examples/) in the remote
// seat of a ceasefire negotiation against built-in agents, as a separate
// process talking to the server over loopback, and checks from the
// owner's lens that the negotiation ended without an error and that the
// client played its turns. Both clients play the same strategy, so they
// must produce the same negotiation; a deadline of 20 rounds makes their
// Boulware concede within it, so that a divergence would show. The
// server's rate limit is low enough that the clients must wait and retry
// (429) to finish.
func TestExampleClients(t *testing.T) {
	srv := start(t, server.Config{RateLimit: 20, Burst: 4})
	req := server.CreateRequest{Scenario: "ceasefire", Deadline: 20, Seats: []server.Seat{
		{Kind: server.SeatStrategy, Spec: "linear"}, {Kind: server.SeatRemote}, {Kind: server.SeatStrategy, Spec: "linear"}}}
	traces := map[string][]string{}
	for _, c := range exampleClients {
		t.Run(c.name, func(t *testing.T) {
			made := create(t, srv.hs, req)
			out := runExample(t, c, srv.hs.URL, made.ID, made.Tokens.Seats[1])
			m := summary.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("%s printed no summary:\n%s", c.script, out)
			}
			page := events(t, srv.hs, made.ID, made.Tokens.Owner, 0, 0)
			if !page.Complete {
				t.Fatalf("%s exited, but the negotiation has not ended:\n%s", c.script, out)
			}
			var ended *server.Ended
			var trace []string
			turns := 0
			for _, raw := range page.Events {
				e := decode(t, raw)
				switch {
				case e.Ended != nil:
					ended = e.Ended
				case e.Action != nil:
					trace = append(trace, fmt.Sprintf("%s %d %d", e.Type, e.Action.Party, e.Action.Outcome))
					if e.Action.Party == 1 {
						turns++
					}
				}
			}
			if ended == nil || ended.Reason == "error" {
				t.Fatalf("the negotiation ended with %+v, want agreement, deadline or walk_away:\n%s", ended, out)
			}
			if turns == 0 {
				t.Fatalf("%s took no action:\n%s", c.script, out)
			}
			if m[1] != ended.Reason || m[3] != strconv.Itoa(ended.Rounds) || m[4] != strconv.Itoa(turns) {
				t.Errorf("%s says %q; the log says %s after %d rounds, %d actions of its seat", c.script, m[0], ended.Reason, ended.Rounds, turns)
			}
			traces[c.name] = trace
			t.Logf("%s: %s after %d rounds, %d turns played", c.script, ended.Reason, ended.Rounds, turns)
		})
	}
	if py, js := traces["python"], traces["js"]; py != nil && js != nil && !slices.Equal(py, js) {
		t.Errorf("the Python and JavaScript clients play the same strategy but made different negotiations:\npython: %v\njs:     %v", py, js)
	}
}

// TestExampleClientsCreate runs each example client with the server's
// address alone: it creates a ceasefire negotiation itself and plays it
// to the end, printing what docs/server.md shows.
func TestExampleClientsCreate(t *testing.T) {
	doc, err := os.ReadFile("../docs/server.md")
	if err != nil {
		t.Fatal(err)
	}
	srv := start(t, server.Config{})
	for _, c := range exampleClients {
		t.Run(c.name, func(t *testing.T) {
			out := runExample(t, c, srv.hs.URL)
			m := summary.FindStringSubmatch(out)
			if m == nil || m[1] == "error" || m[4] == "0" {
				t.Fatalf("%s: want a summary of a negotiation ended without error, with turns played:\n%s", c.script, out)
			}
			if !strings.Contains(string(doc), "```text\n"+out+"```") {
				t.Errorf("docs/server.md's \"Example clients\" does not show what %s prints:\n%s", c.script, out)
			}
			var list struct{ Negotiations []server.Summary }
			if st := call(t, srv.hs, "GET", "/negotiations", "", nil, &list); st != http.StatusOK {
				t.Fatalf("GET /negotiations: status %d", st)
			}
			last := list.Negotiations[len(list.Negotiations)-1]
			if last.Scenario != "ceasefire" || last.Status != "ended" {
				t.Errorf("the negotiation the client made: %+v, want an ended ceasefire", last)
			}
		})
	}
}
