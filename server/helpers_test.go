package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
)

// lunch is the text of testdata/lunch.yaml.
func lunch(tb testing.TB) string { return testdata(tb, "lunch.yaml") }

// testdata returns the text of a file under testdata/.
func testdata(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// resolve is the strategy resolver the parley command passes.
func resolve(spec string) (func() parley.Negotiator, error) { return strategy.Parse(spec) }

// resolveVoter and resolveMediator are the voter and mediator resolvers
// the parley command passes ("" is the default mediator, nash here).
func resolveVoter(spec string) (func() parley.Voter, error) {
	f, err := mediator.Voters().Parse(spec)
	return f, err
}

func resolveMediator(spec string) (func() parley.Mediator, error) {
	if spec == "" {
		spec = "nash"
	}
	f, err := mediator.Mediators().Parse(spec)
	return f, err
}

// counter is a deterministic token source for tests.
type counter struct{ n byte }

func (c *counter) Read(p []byte) (int, error) {
	for i := range p {
		c.n++
		p[i] = c.n
	}
	return len(p), nil
}

// testServer is a server behind an httptest server.
type testServer struct {
	s  *server.Server
	hs *httptest.Server
}

// start starts a server with cfg (its Negotiator set to the strategy
// registry when nil) behind an httptest server, stopped at the test's end.
func start(tb testing.TB, cfg server.Config) testServer {
	tb.Helper()
	if cfg.Negotiator == nil {
		cfg.Negotiator = resolve
	}
	if cfg.Voter == nil {
		cfg.Voter = resolveVoter
	}
	if cfg.Mediator == nil {
		cfg.Mediator = resolveMediator
	}
	s, err := server.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	tb.Cleanup(func() {
		hs.Close()
		if err := s.Shutdown(context.Background()); err != nil {
			tb.Error(err)
		}
	})
	return testServer{s, hs}
}

// call does one request with a token and decodes the JSON answer into
// out (when not nil); it returns the status.
func call(tb testing.TB, hs *httptest.Server, method, path, token string, body, out any) int {
	tb.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			tb.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	hdr := http.Header{}
	if token != "" {
		hdr.Set("Authorization", "Bearer "+token)
	}
	resp, b := do(tb, method, hs.URL+path, hdr, rd)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			tb.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	if out != nil && resp.StatusCode >= 300 {
		if e, ok := out.(*apiErr); ok {
			json.Unmarshal(b, e)
		}
	}
	return resp.StatusCode
}

// do does one request with the headers hdr and returns the response
// and its whole body.
func do(tb testing.TB, method, url string, hdr http.Header, body io.Reader) (*http.Response, []byte) {
	tb.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp, b
}

type apiErr struct {
	Error string `json:"error"`
}

// create creates a negotiation, failing the test on an error.
func create(tb testing.TB, hs *httptest.Server, req server.CreateRequest) server.CreateResponse {
	tb.Helper()
	var out server.CreateResponse
	var e apiErr
	if st := call(tb, hs, "POST", "/negotiations", "", req, &out); st != http.StatusCreated {
		call(tb, hs, "POST", "/negotiations", "", req, &e)
		tb.Fatalf("create: status %d: %s", st, e.Error)
	}
	return out
}

// events long-polls the events of a lens after seq.
func events(tb testing.TB, hs *httptest.Server, id, token string, after int64, wait int) server.Events {
	tb.Helper()
	var out server.Events
	if st := call(tb, hs, "GET", fmt.Sprintf("/negotiations/%s/events?after=%d&wait=%d", id, after, wait), token, nil, &out); st != http.StatusOK {
		tb.Fatalf("events: status %d", st)
	}
	return out
}

// decode reads an event.
func decode(tb testing.TB, raw []byte) server.Event {
	tb.Helper()
	var e server.Event
	if err := json.Unmarshal(raw, &e); err != nil {
		tb.Fatal(err)
	}
	return e
}

// lines joins the raw events one per line.
func lines(evs []json.RawMessage) string {
	var b strings.Builder
	for _, e := range evs {
		b.Write(e)
		b.WriteByte('\n')
	}
	return b.String()
}

// dial opens the stream of a lens after seq.
func dial(tb testing.TB, hs *httptest.Server, id, token string, after int64) *websocket.Conn {
	tb.Helper()
	u := "ws" + strings.TrimPrefix(hs.URL, "http") + fmt.Sprintf("/negotiations/%s/stream?after=%d", id, after)
	c, _, err := websocket.Dial(context.Background(), u, &websocket.DialOptions{
		HTTPHeader: http.Header{"Authorization": {"Bearer " + token}}})
	if err != nil {
		tb.Fatalf("dial %s: %v", u, err)
	}
	c.SetReadLimit(1 << 24)
	return c
}

// read reads one message; ok is false when the stream closed normally.
func read(tb testing.TB, c *websocket.Conn) (raw []byte, ok bool) {
	tb.Helper()
	_, b, err := c.Read(context.Background())
	if websocket.CloseStatus(err) == websocket.StatusNormalClosure {
		return nil, false
	}
	if err != nil {
		tb.Fatalf("read: %v", err)
	}
	return b, true
}

// send writes one JSON message.
func send(tb testing.TB, c *websocket.Conn, v any) {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.Write(context.Background(), websocket.MessageText, b); err != nil {
		tb.Fatalf("write: %v", err)
	}
}

// wsSeat plays a seat over its stream until the stream closes; it
// returns the raw messages received.
func wsSeat(tb testing.TB, hs *httptest.Server, id, token string, policy func(*server.Session, *server.Turn) server.ActionRequest) [][]byte {
	tb.Helper()
	c := dial(tb, hs, id, token, 0)
	defer c.CloseNow()
	var ses *server.Session
	var got [][]byte
	for {
		raw, ok := read(tb, c)
		if !ok {
			return got
		}
		got = append(got, raw)
		e := decode(tb, raw)
		switch {
		case e.Session != nil:
			ses = e.Session
		case e.Turn != nil:
			send(tb, c, policy(ses, e.Turn))
		}
	}
}
