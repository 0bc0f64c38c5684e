package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/server/serve"
)

// served is a running `parley serve` process.
type served struct {
	cmd    *exec.Cmd
	url    string
	stderr *bytes.Buffer
}

// startServe starts the test binary as `parley serve` on a free loopback
// port with database db.
func startServe(t *testing.T, db string, args ...string) *served {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, args...)...)
	cmd.Env = append(os.Environ(), "PARLEY_TEST_MAIN=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &served{cmd: cmd, stderr: &bytes.Buffer{}}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("parley serve: %v\n%s", err, s.stderr)
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok {
		t.Fatalf("parley serve's first line: %q", line)
	}
	s.url = url
	return s
}

// do sends a request with a token and decodes the JSON answer.
func (s *served) do(t *testing.T, method, path, token string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.url+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && json.Unmarshal(b, out) != nil {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return resp.StatusCode
}

// play plays a remote seat over REST until the log is complete or, with
// until set, until that returns true; it returns the last seq read.
func (s *served) play(t *testing.T, id, token string, until func(server.Event) bool) int64 {
	t.Helper()
	var after int64
	var ses *server.Session
	for {
		var got server.Events
		if st := s.do(t, "GET", fmt.Sprintf("/negotiations/%s/events?after=%d&wait=30", id, after), token, nil, &got); st != http.StatusOK {
			t.Fatalf("events: %d", st)
		}
		for _, raw := range got.Events {
			var e server.Event
			if err := json.Unmarshal(raw, &e); err != nil {
				t.Fatal(err)
			}
			after = e.Seq
			if until != nil && until(e) {
				return after
			}
			switch {
			case e.Session != nil:
				ses = e.Session
			case e.Turn != nil:
				// Offer the seat's best outcome, every turn.
				b := 0
				for o, u := range ses.Utilities {
					if u > ses.Utilities[b] {
						b = o
					}
				}
				a := server.ActionRequest{Step: e.Turn.Step, Action: "offer", Outcome: &b}
				if st := s.do(t, "POST", "/negotiations/"+id+"/actions", token, a, &map[string]any{}); st != http.StatusAccepted {
					t.Fatalf("action: %d", st)
				}
			}
		}
		if got.Complete {
			return after
		}
	}
}

// TestServeEndToEnd runs `parley serve`, plays a remote seat of a
// ceasefire negotiation over REST to its end, then kills the server
// (kill -9) in the middle of a second negotiation and stops it with
// SIGTERM in the middle of a third: after each restart on the same
// database every event a client saw is still there, and the interrupted
// negotiation has ended with reason error and its cause.
func TestServeEndToEnd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serve.db")
	s := startServe(t, db)
	req := server.CreateRequest{Scenario: "ceasefire", Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote"}, {Kind: "strategy", Spec: "conceder"}}}
	var cr server.CreateResponse
	if st := s.do(t, "POST", "/negotiations", "", req, &cr); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	s.play(t, cr.ID, cr.Tokens.Seats[1], nil)
	// A GeniusWeb party's URL goes to server/gwseat, which checks it.
	gw := server.CreateRequest{Scenario: "ceasefire", Seats: []server.Seat{{Kind: "geniusweb", URL: "ftp://example.org/party"}, {Kind: "remote"}, {Kind: "remote"}}}
	var gwErr struct{ Error string }
	if st := s.do(t, "POST", "/negotiations", "", gw, &gwErr); st != http.StatusBadRequest || !strings.Contains(gwErr.Error, `gwseat: party URL "ftp://example.org/party"`) {
		t.Errorf("a geniusweb seat with a bad URL: %d %q", st, gwErr.Error)
	}
	var v server.View
	s.do(t, "GET", "/negotiations/"+cr.ID, cr.Tokens.Seats[1], nil, &v)
	if v.Status != "ended" || v.Ended == nil || v.Ended.Reason == "error" || len(v.Results) != 1 || v.Results[0].Party != 1 {
		t.Fatalf("the seat's view at the end: %+v", v)
	}

	// interrupt creates a negotiation, waits for the remote seat's turn,
	// stops the server with sig, restarts it and returns the negotiation's
	// owner log before and after, and its ending.
	interrupt := func(sig os.Signal) (before, after []json.RawMessage, e *server.Ended) {
		var cr server.CreateResponse
		if st := s.do(t, "POST", "/negotiations", "", req, &cr); st != http.StatusCreated {
			t.Fatalf("create: %d", st)
		}
		s.play(t, cr.ID, cr.Tokens.Seats[1], func(e server.Event) bool { return e.Turn != nil })
		var got server.Events
		s.do(t, "GET", "/negotiations/"+cr.ID+"/events", cr.Tokens.Owner, nil, &got)
		before = got.Events
		if err := s.cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		err := s.cmd.Wait()
		if sig == syscall.SIGTERM && err != nil {
			t.Fatalf("parley serve after SIGTERM: %v\n%s", err, s.stderr)
		}
		s = startServe(t, db)
		s.do(t, "GET", "/negotiations/"+cr.ID+"/events", cr.Tokens.Owner, nil, &got)
		if !got.Complete {
			t.Fatalf("after %v the log is not complete", sig)
		}
		for _, raw := range got.Events {
			var ev server.Event
			json.Unmarshal(raw, &ev)
			if ev.Ended != nil {
				e = ev.Ended
			}
		}
		return before, got.Events, e
	}
	for _, tc := range []struct {
		sig   os.Signal
		cause string
	}{{syscall.SIGKILL, "the server restarted during the negotiation, which cannot resume"}, {syscall.SIGTERM, "the server shut down during the negotiation"}} {
		before, after, e := interrupt(tc.sig)
		if len(after) < len(before) {
			t.Fatalf("%v: %d events before, %d after", tc.sig, len(before), len(after))
		}
		for i := range before {
			if !bytes.Equal(before[i], after[i]) {
				t.Errorf("%v: event %d changed:\n%s\n%s", tc.sig, i+1, before[i], after[i])
			}
		}
		if e == nil || e.Reason != "error" || e.Cause != tc.cause {
			t.Errorf("%v: ended %+v, want reason error, cause %q", tc.sig, e, tc.cause)
		}
	}
}

// TestServeAdminToken: serve's admin token as the command picks it,
// announcing a made-up one on stderr; a bad --token-file is a usage error
// naming the flag.
func TestServeAdminToken(t *testing.T) {
	adminToken := func(w io.Writer, o serve.Options) (string, error) {
		tok, err := serve.AdminToken(o.Addr, o.TokenFile, announceToken(w))
		return tok, usage("serve", err)
	}
	var errb bytes.Buffer
	if tok, err := adminToken(&errb, serve.Options{Addr: "127.0.0.1:8080"}); err != nil || tok != "" || errb.Len() > 0 {
		t.Errorf("loopback: token %q, err %v, printed %q", tok, err, errb.String())
	}
	tok, err := adminToken(&errb, serve.Options{Addr: "0.0.0.0:8080"})
	if err != nil || len(tok) != 48 || !strings.Contains(errb.String(), "the admin token (Authorization: Bearer TOKEN) is "+tok) {
		t.Errorf("any address: token %q, err %v, printed %q", tok, err, errb.String())
	}
	file := filepath.Join(t.TempDir(), "admin.token")
	os.WriteFile(file, []byte(" secret \nignored\n"), 0o600)
	if tok, err := adminToken(io.Discard, serve.Options{Addr: "0.0.0.0:8080", TokenFile: file}); err != nil || tok != "secret" {
		t.Errorf("token file: %q, %v", tok, err)
	}
	os.WriteFile(file, []byte("\n"), 0o600)
	if _, err := adminToken(io.Discard, serve.Options{TokenFile: file}); !errors.As(err, new(usageError)) ||
		!strings.Contains(err.Error(), "serve: --token-file "+file+": the first line is empty") {
		t.Errorf("empty token file: %v", err)
	}
}
