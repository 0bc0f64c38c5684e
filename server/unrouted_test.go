package server_test

import (
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/parley-dev/parley/server"
)

// raw does a request and returns its status, headers and body.
func raw(t *testing.T, method, url string, hdr http.Header) (int, http.Header, []byte) {
	t.Helper()
	resp, b := do(t, method, url, hdr, nil)
	return resp.StatusCode, resp.Header, b
}

// jsonError fails t unless the response is application/json
// {"error": message} with a message containing want.
func jsonError(t *testing.T, what string, h http.Header, b []byte, want string) {
	t.Helper()
	if mt, _, _ := mime.ParseMediaType(h.Get("Content-Type")); mt != "application/json" {
		t.Errorf("%s: Content-Type %q, want application/json (body %q)", what, h.Get("Content-Type"), b)
	}
	var e map[string]any
	if err := json.Unmarshal(b, &e); err != nil || len(e) != 1 || !strings.Contains(e["error"].(string), want) {
		t.Errorf("%s: body %q, want {\"error\": ...%s...}", what, b, want)
	}
}

// TestUnroutedJSON: a path the API does not have is a JSON 404, a route
// asked with another method a JSON 405 with Allow, a stream opened
// without a WebSocket handshake a JSON 426; the UI's page and files keep
// answering as files (and its missing files as a file server does).
func TestUnroutedJSON(t *testing.T) {
	srv := start(t, server.Config{})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)}, Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote"}}})
	for _, c := range []struct {
		method, path string
		status       int
		allow, msg   string
	}{
		{"GET", "/nope", 404, "", "GET /nope: no such path in the API"},
		{"GET", "/negotiations/" + cr.ID + "/nope", 404, "", "no such path"},
		{"GET", "/results/a/b/c/d", 404, "", "no such path"},
		{"POST", "/nope", 404, "", "no such path"},
		{"DELETE", "/negotiations/" + cr.ID, 405, "GET, HEAD", "DELETE /negotiations/" + cr.ID + ": method not allowed (allowed: GET, HEAD)"},
		{"PUT", "/negotiations", 405, "GET, HEAD, POST", "method not allowed"},
		{"GET", "/negotiations/" + cr.ID + "/actions", 405, "POST", "allowed: POST"},
		{"POST", "/healthz", 405, "GET, HEAD", "method not allowed"},
		{"POST", "/results/x/runs", 405, "GET, HEAD", "method not allowed"},
	} {
		what := c.method + " " + c.path
		st, h, b := raw(t, c.method, srv.hs.URL+c.path, nil)
		if st != c.status || h.Get("Allow") != c.allow {
			t.Errorf("%s: %d Allow %q, want %d Allow %q", what, st, h.Get("Allow"), c.status, c.allow)
		}
		jsonError(t, what, h, b, c.msg)
	}
	// A stream without a WebSocket handshake: 426, as JSON.
	st, h, b := raw(t, "GET", srv.hs.URL+"/negotiations/"+cr.ID+"/stream?token="+cr.Tokens.Observer, nil)
	if st != http.StatusUpgradeRequired {
		t.Errorf("a stream without a handshake: %d, want 426", st)
	}
	jsonError(t, "a stream without a handshake", h, b, "Upgrade")
	// A stream from another origin: 403, as JSON.
	u := "ws" + strings.TrimPrefix(srv.hs.URL, "http") + "/negotiations/" + cr.ID + "/stream?token=" + cr.Tokens.Observer
	_, resp, err := websocket.Dial(context.Background(), u, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"https://elsewhere.example"}}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("a stream from another origin: %v %v", err, resp)
	}
	// A stream that opens still opens.
	c, _, err := websocket.Dial(context.Background(), u, nil)
	if err != nil {
		t.Fatalf("a stream: %v", err)
	}
	c.CloseNow()

	// The UI: its page and its files, and a missing file as a file server
	// answers it.
	for _, c := range []struct {
		method, path string
		status       int
		ctype        string
	}{
		{"GET", "/", 200, "text/html"},
		{"HEAD", "/", 200, "text/html"},
		{"GET", "/ui/app.js", 200, "text/javascript"},
		{"GET", "/ui/nope.js", 404, "text/plain"},
		{"POST", "/", 405, "text/plain"},
	} {
		st, h, _ := raw(t, c.method, srv.hs.URL+c.path, nil)
		if mt, _, _ := mime.ParseMediaType(h.Get("Content-Type")); st != c.status || mt != c.ctype {
			t.Errorf("%s %s: %d %q, want %d %s", c.method, c.path, st, h.Get("Content-Type"), c.status, c.ctype)
		}
	}
}

// TestRetryAfter: a request the rate limit refuses is a JSON 429 with
// Retry-After, the whole seconds until the budget allows one more.
func TestRetryAfter(t *testing.T) {
	srv := start(t, server.Config{RateLimit: 0.001, Burst: 2}) // one request per 1000 s
	for i, want := range []int{200, 200, 429} {
		st, h, b := raw(t, "GET", srv.hs.URL+"/catalog", nil)
		if st != want {
			t.Fatalf("request %d: %d, want %d", i+1, st, want)
		}
		if want != 429 {
			if h.Get("Retry-After") != "" {
				t.Errorf("request %d: Retry-After %q on a %d", i+1, h.Get("Retry-After"), st)
			}
			continue
		}
		if h.Get("Retry-After") != "1000" {
			t.Errorf("Retry-After %q, want 1000", h.Get("Retry-After"))
		}
		jsonError(t, "a refused request", h, b, "too many requests")
	}
}
