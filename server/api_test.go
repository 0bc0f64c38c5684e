package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/strategy"
)

// TestOpenAPI: /openapi.json is an OpenAPI 3.1 document listing exactly
// the routes the server serves.
func TestOpenAPI(t *testing.T) {
	srv := start(t, server.Config{})
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if st := call(t, srv.hs, "GET", "/openapi.json", "", nil, &doc); st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	var documented, served []string
	for p, ops := range doc.Paths {
		for m := range ops {
			documented = append(documented, strings.ToUpper(m)+" "+p)
		}
	}
	for _, r := range srv.s.Routes() {
		served = append(served, r.Method+" "+r.Path)
	}
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		t.Errorf("documented routes\n%v\nserved routes\n%v", documented, served)
	}
}

func TestHealthzAndMetrics(t *testing.T) {
	srv := start(t, server.Config{})
	if st := call(t, srv.hs, "GET", "/healthz", "", nil, nil); st != http.StatusOK {
		t.Errorf("healthz: %d", st)
	}
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)},
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote"}}})
	restSeat(t, srv, cr.ID, cr.Tokens.Seats[1], best)
	ending(t, srv, cr)
	resp, err := srv.hs.Client().Get(srv.hs.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`parley_negotiations_finished_total{reason="agreement"} 1`,
		`parley_negotiations_active 0`,
		`parley_actions_total 6`,
		`parley_action_latency_seconds_count 3`,
		`parley_seats_connected 0`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestLimits(t *testing.T) {
	srv := start(t, server.Config{RateLimit: 0.001, Burst: 3, AdminToken: "admin"})
	files := map[string]string{"lunch.yaml": lunch(t)}
	seats := []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote"}}
	var e apiErr
	if st := call(t, srv.hs, "POST", "/negotiations", "", server.CreateRequest{Files: files, Seats: seats}, &e); st != http.StatusUnauthorized {
		t.Errorf("create without the admin token: %d", st)
	}
	if st := call(t, srv.hs, "GET", "/negotiations", "wrong", nil, &e); st != http.StatusUnauthorized {
		t.Errorf("list with a wrong admin token: %d", st)
	}
	var cr server.CreateResponse
	if st := call(t, srv.hs, "POST", "/negotiations", "admin", server.CreateRequest{Files: files, Seats: seats}, &cr); st != http.StatusCreated {
		t.Fatalf("create with the admin token: %d", st)
	}
	// A body over the limit.
	big := `{"step":0,"action":"offer","values":{"x":"` + strings.Repeat("a", server.MaxActionBody) + `"}}`
	req, _ := http.NewRequest("POST", srv.hs.URL+"/negotiations/"+cr.ID+"/actions", strings.NewReader(big))
	req.Header.Set("Authorization", "Bearer "+cr.Tokens.Seats[1])
	resp, err := srv.hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over the limit: %d, want 413", resp.StatusCode)
	}
	// The burst of 3 is spent by the third request of one token; one per
	// 1000 s follows.
	for i, want := range []int{http.StatusOK, http.StatusOK, http.StatusTooManyRequests} {
		if st := call(t, srv.hs, "GET", "/negotiations/"+cr.ID, cr.Tokens.Seats[1], nil, nil); st != want {
			t.Errorf("request %d: %d, want %d", i+2, st, want)
		}
	}
	// Other tokens have their own budgets.
	if st := call(t, srv.hs, "GET", "/negotiations/"+cr.ID, cr.Tokens.Observer, nil, nil); st != http.StatusOK {
		t.Errorf("another token: %d", st)
	}
}

// TestOriginCheck: a browser on another origin cannot open a stream,
// unless the server lists its origin.
func TestOriginCheck(t *testing.T) {
	for _, tt := range []struct {
		patterns []string
		ok       bool
	}{{nil, false}, {[]string{"ui.example"}, true}} {
		srv := start(t, server.Config{OriginPatterns: tt.patterns})
		cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)},
			Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote"}}})
		u := "ws" + strings.TrimPrefix(srv.hs.URL, "http") + "/negotiations/" + cr.ID + "/stream?token=" + cr.Tokens.Observer
		c, resp, err := websocket.Dial(context.Background(), u, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"https://ui.example"}}})
		if tt.ok != (err == nil) {
			t.Errorf("origins %v: dial error %v", tt.patterns, err)
		}
		if err == nil {
			c.CloseNow()
		} else if resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("origins %v: refused without 403: %v", tt.patterns, resp)
		}
	}
}

func TestCreateErrors(t *testing.T) {
	srv := start(t, server.Config{})
	two := []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote"}}
	files := map[string]string{"lunch.yaml": lunch(t)}
	tests := []struct {
		name string
		body any
		want string
	}{
		{"no scenario", server.CreateRequest{Seats: two}, "scenario: give a built-in scenario's name or files"},
		{"both", server.CreateRequest{Scenario: "ceasefire", Files: files, Seats: two}, "scenario and files: give one, not both"},
		{"unknown built-in", server.CreateRequest{Scenario: "nope", Seats: two}, `no built-in scenario "nope"`},
		{"seat count", server.CreateRequest{Scenario: "ceasefire", Seats: two}, "seats: 2 seats for the 3 parties of ceasefire"},
		{"unknown strategy", server.CreateRequest{Files: files, Seats: []server.Seat{{Kind: "strategy", Spec: "nobody"}, {Kind: "remote"}}}, `seats[0]: `},
		{"seat kind", server.CreateRequest{Files: files, Seats: []server.Seat{{Kind: "robot"}, {Kind: "remote"}}}, `seats[0]: kind "robot"`},
		{"protocol", server.CreateRequest{Files: files, Protocol: "alternating", Seats: two}, `protocol: "alternating" is not served (want sao, mediated or staged)`},
		{"spec in mediated", server.CreateRequest{Files: files, Protocol: "mediated", Seats: two}, `seats[0]: protocol mediated has no alternating offers: a strategy seat only votes`},
		{"rule with sao", server.CreateRequest{Files: files, Rule: "majority", Seats: two}, `rule and info: only with protocol mediated`},
		{"unknown rule", server.CreateRequest{Files: files, Protocol: "mediated", Rule: "most", Seats: []server.Seat{{Kind: "strategy"}, {Kind: "remote"}}}, `rule: unknown rule "most"`},
		{"mediator with sao", server.CreateRequest{Files: files, Mediator: &server.Seat{Kind: "remote"}, Seats: two}, `mediator: only with protocol mediated or staged`},
		{"bad yaml", server.CreateRequest{Files: map[string]string{"x.yaml": "name: [", "": ""}, Seats: two}, `files: name ""`},
		{"yaml error", server.CreateRequest{Files: map[string]string{"x.yaml": "name: x\nissues: 3\n"}, Seats: two}, `x.yaml`},
		{"unknown field", map[string]any{"scenario": "ceasefire", "seat": 1}, `unknown field "seat"`},
		{"wrong type", map[string]any{"scenario": 3}, `field "scenario": want string`},
		{"staged without stages", server.CreateRequest{Files: files, Protocol: "staged", Seats: two}, "protocol: plan: scenario lunch declares no protocol"},
		{"variant with sao", server.CreateRequest{Files: files, Variant: "x", Seats: two}, "variant: only with protocol staged"},
		{"unknown variant", server.CreateRequest{Scenario: "ceasefire", Protocol: "staged", Variant: "nope", Seats: []server.Seat{{Kind: "remote"}, {Kind: "remote"}, {Kind: "remote"}}}, `nope`},
		{"voter with sao", server.CreateRequest{Files: files, Seats: []server.Seat{{Kind: "strategy", Spec: "boulware", Voter: "reservation"}, {Kind: "remote"}}}, "seats[0]: a voter spec is for protocols mediated and staged"},
		{"fallback of a strategy seat", server.CreateRequest{Files: files, Seats: []server.Seat{{Kind: "strategy", Spec: "boulware", Fallback: "conceder"}, {Kind: "remote"}}}, "seats[0]: a fallback is for remote seats"},
		{"unknown fallback", server.CreateRequest{Files: files, Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote", Fallback: "nobody"}}}, "seats[1]: fallback: "},
		{"negative turn_timeout", server.CreateRequest{Files: files, TurnTimeout: -1, Seats: two}, "turn_timeout: -1 seconds outside 1..86400"},
		{"long turn_timeout", server.CreateRequest{Files: files, TurnTimeout: server.MaxTurnTimeout + 1, Seats: two}, "turn_timeout: 86401 seconds outside 1..86400"},
		{"mixed files", server.CreateRequest{Files: map[string]string{"a.xml": "", "b.json": ""}, Seats: two}, "several files must be all .xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e apiErr
			if st := call(t, srv.hs, "POST", "/negotiations", "", tt.body, &e); st != http.StatusBadRequest {
				t.Fatalf("status %d (%s), want 400", st, e.Error)
			}
			if !strings.Contains(e.Error, tt.want) {
				t.Errorf("error %q, want it to contain %q", e.Error, tt.want)
			}
		})
	}
}

// TestUploadFormats creates negotiations from uploaded GENIUS XML and
// GeniusWeb JSON files (the readers' own test data).
func TestUploadFormats(t *testing.T) {
	srv := start(t, server.Config{})
	for _, dir := range []string{"../scenario/genius/testdata/small", "../scenario/geniusweb/testdata/jobs"} {
		files := map[string]string{}
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			files[e.Name()] = string(b)
		}
		cr := create(t, srv.hs, server.CreateRequest{Files: files, Deadline: 10,
			Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "conceder"}}})
		if e := ending(t, srv, cr); e.Reason == "error" {
			t.Errorf("%s: ended %+v", dir, e)
		}
	}
}

// TestStreamRateLimit: a seat's stream messages count against its token's
// rate limit; one over it is answered with an error message.
func TestStreamRateLimit(t *testing.T) {
	srv := start(t, server.Config{RateLimit: 0.001, Burst: 3})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)},
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote"}}})
	c := dial(t, srv.hs, cr.ID, cr.Tokens.Seats[1], 0) // spends 1
	defer c.CloseNow()
	var errs []string
	for range 3 {
		send(t, c, server.ActionRequest{Step: 9999, Action: "accept"})
		for {
			raw, _ := read(t, c)
			var m server.StreamError
			json.Unmarshal(raw, &m)
			if m.Type == "error" {
				errs = append(errs, m.Error)
				break
			}
		}
	}
	want := []string{"not your turn (or not this step)", "not your turn (or not this step)", "too many requests: slow down"}
	if !slices.Equal(errs, want) {
		t.Errorf("stream errors %q, want %q", errs, want)
	}
}

// TestGeniusWebSeat: a geniusweb seat is built by the Config's GeniusWeb
// constructor from its URL (here a stand-in that plays boulware) and
// driven like any other seat; without the constructor it is refused.
func TestGeniusWebSeat(t *testing.T) {
	var urls []string
	gw := func(url string) (func() parley.Negotiator, error) {
		urls = append(urls, url)
		return strategy.Parse("boulware")
	}
	req := server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)},
		Seats: []server.Seat{{Kind: "geniusweb", URL: "ws://127.0.0.1:9/party"}, {Kind: "strategy", Spec: "conceder"}}}
	srv := start(t, server.Config{GeniusWeb: gw})
	cr := create(t, srv.hs, req)
	if e := ending(t, srv, cr); e.Reason == "error" {
		t.Errorf("ended %+v", e)
	}
	if len(urls) != 1 || urls[0] != "ws://127.0.0.1:9/party" {
		t.Errorf("the constructor got %q, want the seat's URL once", urls)
	}
	var e apiErr
	without := start(t, server.Config{})
	if st := call(t, without.hs, "POST", "/negotiations", "", req, &e); st != http.StatusBadRequest || e.Error != "seats[0]: this server seats no GeniusWeb parties" {
		t.Errorf("without a GeniusWeb constructor: %d %q", st, e.Error)
	}
	req.Seats[0].URL = ""
	if st := call(t, srv.hs, "POST", "/negotiations", "", req, &e); st != http.StatusBadRequest || e.Error != "seats[0]: a geniusweb seat needs the party's url" {
		t.Errorf("without a URL: %d %q", st, e.Error)
	}
}

// stuck never acts.
type stuck struct{}

func (stuck) Init(context.Context, *parley.Session) error { return nil }
func (stuck) Act(ctx context.Context, _ *parley.State) (parley.Action, error) {
	<-ctx.Done()
	return parley.Action{}, ctx.Err()
}

// TestGeniusWebSeatDeadline: a geniusweb seat that does not act is held
// to the server's turn deadline.
func TestGeniusWebSeatDeadline(t *testing.T) {
	gw := func(string) (func() parley.Negotiator, error) {
		return func() parley.Negotiator { return stuck{} }, nil
	}
	srv := start(t, server.Config{GeniusWeb: gw, TurnTimeout: 20 * time.Millisecond})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)},
		Seats: []server.Seat{{Kind: "geniusweb", URL: "ws://127.0.0.1:9/party"}, {Kind: "strategy", Spec: "conceder"}}})
	if e := ending(t, srv, cr); e.Reason != "error" || e.Party != 0 || !strings.Contains(e.Cause, "deadline exceeded") {
		t.Errorf("ended %+v, want an error of party 0 past its deadline", e)
	}
}

// TestTurnTimeout: a negotiation's turn_timeout, not the server's, is
// the deadline its remote seats' turns carry; without one the server's
// applies.
func TestTurnTimeout(t *testing.T) {
	srv := start(t, server.Config{TurnTimeout: 90 * time.Second})
	for _, tt := range []struct {
		seconds int
		wantMS  int64
	}{{0, 90_000}, {300, 300_000}, {server.MaxTurnTimeout, server.MaxTurnTimeout * 1000}} {
		cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)}, TurnTimeout: tt.seconds,
			Seats: []server.Seat{{Kind: "remote"}, {Kind: "strategy", Spec: "boulware"}}})
		var turn *server.Turn
		for after := int64(0); turn == nil; {
			evs := events(t, srv.hs, cr.ID, cr.Tokens.Seats[0], after, 10)
			if len(evs.Events) == 0 {
				t.Fatalf("turn_timeout %d: no turn for the remote seat", tt.seconds)
			}
			for _, raw := range evs.Events {
				e := decode(t, raw)
				after = e.Seq
				if e.Turn != nil {
					turn = e.Turn
					break
				}
			}
		}
		if turn.TimeoutMS != tt.wantMS {
			t.Errorf("turn_timeout %d: the turn's timeout_ms is %d, want %d", tt.seconds, turn.TimeoutMS, tt.wantMS)
		}
	}
}
