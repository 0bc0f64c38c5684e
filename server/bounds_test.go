package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/server"
)

// TestMaxActive: with MaxActive negotiations running, creating one more
// answers 503 with Retry-After and the JSON error, counted in the
// metrics; once one ends, creating succeeds again.
func TestMaxActive(t *testing.T) {
	srv := start(t, server.Config{MaxActive: 1})
	files := map[string]string{"lunch.yaml": lunch(t)}
	waits := server.CreateRequest{Files: files, Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote"}}}
	cr := create(t, srv.hs, waits)
	waitTurn(t, srv, cr.ID, cr.Tokens.Seats[1], 0) // running, waiting for its seat

	body, err := json.Marshal(waits)
	if err != nil {
		t.Fatal(err)
	}
	resp, body := do(t, "POST", srv.hs.URL+"/negotiations", nil, bytes.NewReader(body))
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" ||
		resp.Header.Get("Content-Type") != "application/json" || !strings.Contains(string(body), `"error":"server: too many negotiations running`) {
		t.Fatalf("create over MaxActive: %d, Retry-After %q, %q: %s", resp.StatusCode, resp.Header.Get("Retry-After"), resp.Header.Get("Content-Type"), body)
	}
	if _, m := do(t, "GET", srv.hs.URL+"/metrics", nil, nil); !strings.Contains(string(m), "parley_negotiations_refused_total 1\n") {
		t.Errorf("metrics lack the refusal:\n%s", m)
	}
	restSeat(t, srv, cr.ID, cr.Tokens.Seats[1], func(_ *server.Session, tu *server.Turn) server.ActionRequest {
		return server.ActionRequest{Step: tu.Step, Action: "walk_away"}
	})
	next := create(t, srv.hs, waits) // the ended one freed its place
	if next.ID != "n2" {
		t.Fatalf("created %s, want n2", next.ID)
	}
}

// TestEvictedReloaded: with MaxFinished 1 and the SQLite log, a finished
// negotiation leaves memory when another finishes, and its tokens still
// show it: every lens (owner, seat, observer), its view, events and the
// owner's utility space, byte for byte as before it left; a server
// reopened on the database shows the same, without having read it into
// memory at start-up.
func TestEvictedReloaded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "serve.db")
	srv := start(t, server.Config{Log: openEvents(t, path), MaxFinished: 1})
	files := map[string]string{"lunch.yaml": lunch(t)}
	cr := create(t, srv.hs, server.CreateRequest{Files: files, Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote"}}})
	waitTurn(t, srv, cr.ID, cr.Tokens.Seats[1], 0)
	hdr := http.Header{"Authorization": {"Bearer " + cr.Tokens.Owner}}
	running := map[string]string{}
	for _, p := range []string{"/space", "/space/points"} { // from the scenario prepared to run
		_, b := do(t, "GET", srv.hs.URL+"/negotiations/"+cr.ID+p, hdr, nil)
		running[p] = string(b)
	}
	restSeat(t, srv, cr.ID, cr.Tokens.Seats[1], best)
	lenses := map[string]string{"owner": cr.Tokens.Owner, "seat": cr.Tokens.Seats[1], "observer": cr.Tokens.Observer}
	paths := []string{"", "/events?after=0", "/events?after=5", "/space", "/space?x=1&y=0", "/space/points"}
	answers := func(srv testServer) map[string]string {
		out := map[string]string{}
		for lens, tok := range lenses {
			for _, p := range paths {
				hdr := http.Header{"Authorization": {"Bearer " + tok}}
				resp, b := do(t, "GET", srv.hs.URL+"/negotiations/"+cr.ID+p, hdr, nil)
				out[lens+" "+p] = resp.Status + "\n" + string(b)
			}
		}
		return out
	}
	before := answers(srv)
	for p, b := range running {
		if got := before["owner "+p]; got != "200 OK\n"+b {
			t.Errorf("owner %s after the end (rebuilt):\n%s\nwhile running:\n%s", p, got, b)
		}
	}
	if !srv.s.InMemory(cr.ID) || srv.s.Holds(cr.ID) {
		t.Fatal("the finished negotiation left memory before another finished, or kept its prepared scenario")
	}
	other := create(t, srv.hs, server.CreateRequest{Files: files, Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "conceder"}}})
	ending(t, srv, other)
	if srv.s.InMemory(cr.ID) {
		t.Fatal("the least recently used finished negotiation stayed in memory beyond MaxFinished 1")
	}
	compare := func(what string, got map[string]string) {
		t.Helper()
		for k, want := range before {
			if got[k] != want {
				t.Errorf("%s: %s:\n%s\nwant\n%s", what, k, got[k], want)
			}
		}
	}
	compare("read back", answers(srv))
	if !srv.s.InMemory(cr.ID) || srv.s.InMemory(other.ID) {
		t.Fatal("reading back did not make the negotiation the one in memory")
	}
	var list struct{ Negotiations []server.Summary }
	call(t, srv.hs, "GET", "/negotiations", "", nil, &list)
	if len(list.Negotiations) != 2 || list.Negotiations[0].Status != "ended" || list.Negotiations[1].Scenario != "lunch" {
		t.Errorf("list: %+v", list.Negotiations)
	}

	reopened := start(t, server.Config{Log: openEvents(t, path), MaxFinished: 1})
	if reopened.s.InMemory(cr.ID) || reopened.s.InMemory(other.ID) {
		t.Fatal("start-up kept negotiations in memory")
	}
	compare("after a restart", answers(reopened))
}

// TestReplayReleased: a replay keeps its scenario, not its prepared
// scenario, and its owner's /space and /space/points, prepared again,
// are those of a negotiation created from the same scenario.
func TestReplayReleased(t *testing.T) {
	sc, err := scenario.Read("testdata/lunch.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srv := start(t, server.Config{Results: &fakeResults{sc: sc}, AdminToken: "adm"})
	var rp server.ReplayResponse
	if st := call(t, srv.hs, "POST", "/results/t/runs/2/replay", "adm", nil, &rp); st != http.StatusCreated {
		t.Fatalf("replay: %d", st)
	}
	if srv.s.Holds(rp.ID) {
		t.Fatal("a replay keeps its prepared scenario")
	}
	var cr server.CreateResponse
	req := server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)}, Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "conceder"}}}
	if st := call(t, srv.hs, "POST", "/negotiations", "adm", req, &cr); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	for _, p := range []string{"/space", "/space/points"} {
		_, want := do(t, "GET", srv.hs.URL+"/negotiations/"+cr.ID+p, http.Header{"Authorization": {"Bearer " + cr.Tokens.Owner}}, nil)
		resp, got := do(t, "GET", srv.hs.URL+"/negotiations/"+rp.ID+p, http.Header{"Authorization": {"Bearer " + rp.Token}}, nil)
		if resp.StatusCode != http.StatusOK || !bytes.Equal(got, want) {
			t.Errorf("the replay's %s: %s\n%s\nwant\n%s", p, resp.Status, got, want)
		}
	}
}
