package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/strategy"
)

// offerBest always offers the seat's best outcome that crosses none of
// its red lines (by its utilities: the test scenario's red-lined
// outcomes are not its best).
func offerBest(ses *server.Session, t *server.Turn) server.ActionRequest {
	a := best(ses, t)
	if a.Action == "accept" {
		a = best(ses, &server.Turn{Step: t.Step, Standing: -1})
	}
	return a
}

// walkAway walks away at once.
func walkAway(_ *server.Session, t *server.Turn) server.ActionRequest {
	return server.ActionRequest{Step: t.Step, Action: "walk_away"}
}

// response is one answer of the walk: what was asked, with which token,
// and the body.
type response struct {
	what, token string
	body        []byte
}

// walk asks every endpoint of negotiation id with token and returns the
// answers. events is how many events the token's lens shows now: the
// stream must send exactly those.
func walk(t *testing.T, srv testServer, id, token string, stream, seat bool) []response {
	t.Helper()
	var out []response
	get := func(what, method, path string, body any) {
		var b []byte
		if body != nil {
			b, _ = json.Marshal(body)
		}
		req, _ := http.NewRequest(method, srv.hs.URL+path, bytes.NewReader(b))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := srv.hs.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		resp.Body.Close()
		out = append(out, response{fmt.Sprintf("%s %s → %d", method, path, resp.StatusCode), token, buf.Bytes()})
	}
	get("view", "GET", "/negotiations/"+id, nil)
	get("events", "GET", "/negotiations/"+id+"/events", nil)
	get("events after 3", "GET", "/negotiations/"+id+"/events?after=3", nil)
	get("list", "GET", "/negotiations", nil)
	get("act", "POST", "/negotiations/"+id+"/actions", server.ActionRequest{Step: 9999, Action: "accept"})
	get("bad act", "POST", "/negotiations/"+id+"/actions", map[string]any{"step": 1, "action": "offer", "outcome": "x"})
	get("assist", "GET", "/negotiations/"+id+"/assist", nil)
	get("space", "GET", "/negotiations/"+id+"/space?x=1&y=0", nil)
	get("space points", "GET", "/negotiations/"+id+"/space/points", nil)
	get("space outcomes", "GET", "/negotiations/"+id+"/space/points?outcomes=0,1", nil)
	get("openapi", "GET", "/openapi.json", nil)
	get("catalog", "GET", "/catalog", nil)
	get("metrics", "GET", "/metrics", nil)
	if !stream {
		return out
	}
	var evs server.Events
	call(t, srv.hs, "GET", "/negotiations/"+id+"/events", token, nil, &evs)
	c := dial(t, srv.hs, id, token, 0)
	defer c.CloseNow()
	for range evs.Events {
		raw, ok := read(t, c)
		if !ok {
			t.Fatal("stream closed early")
		}
		out = append(out, response{"stream", token, raw})
	}
	if evs.Complete {
		if _, ok := read(t, c); ok {
			t.Error("the stream of an ended negotiation sent more than the events")
		}
		return out
	}
	if seat {
		send(t, c, server.ActionRequest{Step: 9999, Action: "accept"})
		for {
			raw, ok := read(t, c)
			if !ok {
				t.Fatal("no error message on the stream")
			}
			out = append(out, response{"stream", token, raw})
			if bytes.Contains(raw, []byte(`"type":"error"`)) {
				break
			}
		}
	}
	c.Close(websocket.StatusNormalClosure, "")
	return out
}

// objects returns every JSON object in v, depth first.
func objects(v any, out []map[string]any) []map[string]any {
	switch x := v.(type) {
	case map[string]any:
		out = append(out, x)
		for _, y := range x {
			out = objects(y, out)
		}
	case []any:
		for _, y := range x {
			out = objects(y, out)
		}
	}
	return out
}

// secrets returns, by party, texts that only that party's lens (and the
// owner's) may contain: its utility table, its reservation value, its red
// lines and its result, as its private events encode them.
func secrets(t *testing.T, owner []json.RawMessage) map[int][]string {
	t.Helper()
	out := map[int][]string{}
	for _, raw := range owner {
		e := decode(t, raw)
		switch {
		case e.Session != nil:
			s := e.Session
			u, _ := json.Marshal(s.Utilities)
			out[s.Party] = append(out[s.Party], `"utilities":`+string(u), fmt.Sprintf(`"reservation":%v`, s.Reservation))
			if len(s.RedLines) > 0 {
				r, _ := json.Marshal(s.RedLines)
				out[s.Party] = append(out[s.Party], string(r))
			}
		case e.Result != nil:
			out[e.Result.Party] = append(out[e.Result.Party], fmt.Sprintf(`"utility":%v`, e.Result.Utility))
		}
	}
	return out
}

// check proves that the answers for a lens hold nothing another party
// keeps private: no event of another audience, no private payload of
// another party, none of its secret texts.
func check(t *testing.T, rs []response, lens string, party int, secret map[int][]string) {
	t.Helper()
	for _, r := range rs {
		if r.what == "GET /openapi.json → 200" {
			continue // the same static document for everyone
		}
		// Suggestions are the mediator's alone.
		if strings.HasSuffix(r.what, " → 200") && strings.Contains(r.what, "/assist ") && lens != "mediator" {
			t.Errorf("%s: %s: %.300s", lens, r.what, r.body)
		}
		if strings.Contains(r.what, "/space") && !strings.HasSuffix(r.what, "→ 403") {
			t.Errorf("%s: %s: only the owner may read the utility space", lens, r.what)
		}
		var v any
		if json.Unmarshal(r.body, &v) != nil {
			if r.what == "GET /metrics → 200" {
				continue // Prometheus text: counts only
			}
			t.Errorf("%s %s: not JSON: %.200s", lens, r.what, r.body)
			continue
		}
		for _, o := range objects(v, nil) {
			if a, ok := o["audience"].(string); ok && a != "public" && !slices.Contains(strings.Split(a, "|"), lens) {
				t.Errorf("%s: %s shows an event of audience %s: %.300s", lens, r.what, a, r.body)
			}
			if lens == "mediator" {
				continue // its session holds the declared profiles its information level allows
			}
			for _, key := range []string{"setup", "session", "result", "turn", "results", "vote", "declared", "analysis"} {
				x, ok := o[key]
				if !ok || x == nil {
					continue
				}
				if lens == "observer" {
					t.Errorf("observer: %s shows %q: %.300s", r.what, key, r.body)
				}
				if key == "setup" {
					t.Errorf("%s: %s shows the owner's setup", lens, r.what)
				}
				for _, p := range objects(x, nil) {
					if q, ok := p["party"].(float64); ok && int(q) != party {
						t.Errorf("%s: %s shows party %v's %s: %.300s", lens, r.what, q, key, r.body)
					}
				}
			}
		}
		for q, texts := range secret {
			if q == party || lens == "mediator" { // info: declared shows it the voters' profiles (noise 0: the true ones)
				continue
			}
			for _, s := range texts {
				if strings.Contains(string(r.body), s) {
					t.Errorf("%s: %s holds party %d's private %.80s", lens, r.what, q, s)
				}
			}
		}
	}
}

// TestNoLeaks walks every endpoint with every kind of token, while a
// negotiation waits for a seat and after it ended (in agreement, and by a
// walk-away), and proves that no answer for a seat or an observer holds
// another party's private data. It also checks that the walk met every
// type of event and message. Both walk again once they have left memory
// (MaxFinished 2, two more ended) and been read back from the log.
func TestNoLeaks(t *testing.T) {
	srv := start(t, server.Config{MaxFinished: 2})
	files := map[string]string{"lunch.yaml": lunch(t)}
	agree := create(t, srv.hs, server.CreateRequest{Files: files, Seats: []server.Seat{{Kind: "remote"}, {Kind: "remote"}}})
	walked := create(t, srv.hs, server.CreateRequest{Files: files, Seats: []server.Seat{{Kind: "remote"}, {Kind: "strategy", Spec: "boulware"}}})

	type lensTok struct {
		lens  string
		party int
		tok   string
	}
	lensesOf := func(cr server.CreateResponse) []lensTok {
		ls := []lensTok{{"observer", -1, cr.Tokens.Observer}}
		for p, tok := range cr.Tokens.Seats {
			if tok != "" {
				ls = append(ls, lensTok{fmt.Sprintf("seat:%d", p), p, tok})
			}
		}
		return ls
	}
	var all []response
	met := map[string]bool{}
	walkAll := func(cr, other server.CreateResponse) {
		owner := events(t, srv.hs, cr.ID, cr.Tokens.Owner, 0, 0)
		sec := secrets(t, owner.Events)
		for _, l := range lensesOf(cr) {
			rs := walk(t, srv, cr.ID, l.tok, true, l.lens != "observer")
			check(t, rs, l.lens, l.party, sec)
			all = append(all, rs...)
		}
		// No token, an unknown one, another negotiation's and the owner's.
		for _, tok := range []string{"", "not-a-token", other.Tokens.Seats[0], cr.Tokens.Owner} {
			all = append(all, walk(t, srv, cr.ID, tok, tok == cr.Tokens.Owner, false)...)
		}
		for _, raw := range owner.Events {
			met[decode(t, raw).Type] = true
		}
	}
	// While seat 0 of both has its first turn.
	for _, cr := range []server.CreateResponse{agree, walked} {
		for after := int64(0); ; {
			got := events(t, srv.hs, cr.ID, cr.Tokens.Seats[0], after, 10)
			if len(got.Events) > 0 && decode(t, got.Events[len(got.Events)-1]).Type == server.TypeTurn {
				break
			}
			if n := len(got.Events); n > 0 {
				after = decode(t, got.Events[n-1]).Seq
			}
		}
		walkAll(cr, agree)
	}
	done := make(chan bool)
	go func() { wsSeat(t, srv.hs, agree.ID, agree.Tokens.Seats[0], offerBest); done <- true }()
	restSeat(t, srv, agree.ID, agree.Tokens.Seats[1], best)
	<-done
	restSeat(t, srv, walked.ID, walked.Tokens.Seats[0], walkAway)
	walkAll(agree, walked)
	walkAll(walked, agree)
	evict(t, srv, files, agree.ID, walked.ID)
	walkAll(agree, walked)
	walkAll(walked, agree)

	for _, typ := range []string{"created", "setup", "session", "turn", "offer", "accept", "walk_away", "ended", "result", "analysis"} {
		if !met[typ] {
			t.Errorf("the walk met no %s event", typ)
		}
	}
	var statuses []string
	for _, r := range all {
		statuses = append(statuses, r.what[strings.LastIndex(r.what, " ")+1:])
	}
	for _, st := range []string{"200", "202", "400", "401", "403", "404", "409"} {
		if st == "202" {
			continue // acting is covered by the seats' play above
		}
		if !slices.Contains(statuses, st) {
			t.Errorf("the walk met no status %s", st)
		}
	}
}

// TestNoLeaksStaged is TestNoLeaks for a staged protocol with two remote
// seats and a remote mediator: no seat sees the other's votes, session or
// result, the observer sees no vote, and the mediator sees only the votes
// and declared profiles its stage's information level allows; and none
// does once the negotiation has left memory and been read back from the
// log (MaxFinished 1).
func TestNoLeaksStaged(t *testing.T) {
	srv := start(t, server.Config{MaxFinished: 1})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"talks.yaml": testdata(t, "talks.yaml")}, Protocol: "staged",
		Seats:    []server.Seat{{Kind: "remote"}, {Kind: "remote"}, {Kind: "strategy", Spec: "boulware"}},
		Mediator: &server.Seat{Kind: "remote"}})
	lenses := []struct {
		lens  string
		party int
		tok   string
	}{{"observer", -1, cr.Tokens.Observer}, {"seat:0", 0, cr.Tokens.Seats[0]}, {"seat:1", 1, cr.Tokens.Seats[1]}, {"mediator", -1, cr.Tokens.Mediator}}
	met := map[string]bool{}
	walkAll := func() {
		owner := events(t, srv.hs, cr.ID, cr.Tokens.Owner, 0, 0)
		sec := secrets(t, owner.Events)
		for _, l := range lenses {
			check(t, walk(t, srv, cr.ID, l.tok, true, l.lens != "observer"), l.lens, l.party, sec)
		}
		for _, raw := range owner.Events {
			met[decode(t, raw).Type] = true
		}
	}
	waitTurn(t, srv, cr.ID, cr.Tokens.Seats[0], 0)
	walkAll()
	neg := func() parley.Negotiator { f, _ := strategy.Parse("boulware"); return f() }
	vot := func() parley.Voter { f, _ := resolveVoter("reservation"); return f() }
	done := make(chan bool)
	for p := range 2 {
		go func() {
			remoteStrategy(t, srv, cr.ID, cr.Tokens.Seats[p], player{neg: neg(), vot: vot()})
			done <- true
		}()
	}
	// On the mediator's first turn its token gets suggestions (assist),
	// and no other does.
	waitTurn(t, srv, cr.ID, cr.Tokens.Mediator, 0)
	walkAll()
	rs := walk(t, srv, cr.ID, cr.Tokens.Mediator, false, true)
	check(t, rs, "mediator", -1, secrets(t, events(t, srv.hs, cr.ID, cr.Tokens.Owner, 0, 0).Events))
	if !slices.ContainsFunc(rs, func(r response) bool { return strings.HasSuffix(r.what, "/assist → 200") }) {
		t.Errorf("on its turn the mediator got no suggestions: %v", rs)
	}
	m, _ := resolveMediator("nash:call=false")
	remoteStrategy(t, srv, cr.ID, cr.Tokens.Mediator, player{med: m()})
	<-done
	<-done
	walkAll()
	evict(t, srv, map[string]string{"lunch.yaml": lunch(t)}, cr.ID)
	walkAll()
	for _, typ := range []string{"created", "setup", "stage", "session", "turn", "offer", "accept", "reject", "ended", "result"} {
		if !met[typ] {
			t.Errorf("the walk met no %s event", typ)
		}
	}
}

// evict runs two negotiations of strategies to their end, so that the
// finished negotiations named by ids leave memory (MaxFinished at most 2), and
// fails unless they have.
func evict(t *testing.T, srv testServer, files map[string]string, ids ...string) {
	t.Helper()
	for range 2 {
		ending(t, srv, create(t, srv.hs, server.CreateRequest{Files: files,
			Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "conceder"}}}))
	}
	for _, id := range ids {
		if srv.s.InMemory(id) {
			t.Fatalf("negotiation %s stayed in memory after two more ended", id)
		}
	}
}
