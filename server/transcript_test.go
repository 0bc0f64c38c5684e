package server_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/golden"
	"github.com/parley-dev/parley/server"
)

// transcript records HTTP exchanges as docs/server.md shows them.
type transcript struct {
	t   *testing.T
	srv testServer
	b   strings.Builder
}

// do sends a request, records it and its answer, and decodes the answer
// into out.
func (tr *transcript) do(who, method, path, token string, body any, out any) {
	tr.t.Helper()
	var rd io.Reader
	fmt.Fprintf(&tr.b, "# %s\n> %s %s\n", who, method, path)
	if token != "" {
		fmt.Fprintf(&tr.b, "> Authorization: Bearer %s\n", token)
	}
	if body != nil {
		b, _ := json.MarshalIndent(body, "", "  ")
		fmt.Fprintf(&tr.b, "%s\n", b)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, tr.srv.hs.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := tr.srv.hs.Client().Do(req)
	if err != nil {
		tr.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Fprintf(&tr.b, "< %d %s\n", resp.StatusCode, http.StatusText(resp.StatusCode))
	var evs server.Events
	if json.Unmarshal(b, &evs) == nil && evs.Events != nil {
		// One event a line.
		tr.b.WriteString("{\"events\": [\n")
		for i, e := range evs.Events {
			sep := ","
			if i == len(evs.Events)-1 {
				sep = ""
			}
			fmt.Fprintf(&tr.b, "  %s%s\n", e, sep)
		}
		fmt.Fprintf(&tr.b, "], \"complete\": %v}\n\n", evs.Complete)
	} else {
		var ind bytes.Buffer
		json.Indent(&ind, b, "", "  ")
		fmt.Fprintf(&tr.b, "%s\n", strings.TrimSpace(ind.String()))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			tr.t.Fatal(err)
		}
	}
}

// settle waits, through the owner's lens (not recorded), until the
// negotiation waits for a seat or has ended, so that what the seat reads
// next does not depend on timing.
func (tr *transcript) settle(id, owner string, after int64) int64 {
	tr.t.Helper()
	for {
		got := events(tr.t, tr.srv.hs, id, owner, after, 30)
		for _, raw := range got.Events {
			after = decode(tr.t, raw).Seq
		}
		if got.Complete || len(got.Events) > 0 && decode(tr.t, got.Events[len(got.Events)-1]).Type == server.TypeTurn {
			return after
		}
	}
}

// TestTranscript records a complete session, a person or program playing
// bob in the lunch scenario against boulware over REST, and checks it
// against testdata/transcript.golden and docs/server.md, which shows it.
func TestTranscript(t *testing.T) {
	srv := start(t, server.Config{Rand: &counter{}})
	tr := &transcript{t: t, srv: srv}
	var cr server.CreateResponse
	tr.do("the owner creates the negotiation", "POST", "/negotiations", "", server.CreateRequest{
		Files: map[string]string{"lunch.yaml": lunch(t)}, Seed: 1,
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "remote"}}}, &cr)
	bob := cr.Tokens.Seats[1]
	moves := []server.ActionRequest{
		{Action: "offer", Values: map[string]string{"place": "park", "time": "13:00"}},
		{Action: "offer", Values: map[string]string{"place": "deli", "time": "13:00"}},
		{Action: "offer", Values: map[string]string{"place": "deli", "time": "12:00"}},
		{Action: "offer", Values: map[string]string{"place": "deli", "time": "12:00"}},
		{Action: "offer", Values: map[string]string{"place": "deli", "time": "12:00"}},
		{Action: "accept"},
	}
	var after, ownerAt int64
	for i := 0; ; i++ {
		ownerAt = tr.settle(cr.ID, cr.Tokens.Owner, ownerAt)
		var got server.Events
		tr.do("bob reads his lens", "GET", fmt.Sprintf("/negotiations/%s/events?after=%d&wait=30", cr.ID, after), bob, nil, &got)
		var turn *server.Turn
		for _, raw := range got.Events {
			e := decode(t, raw)
			after = e.Seq
			if e.Turn != nil {
				turn = e.Turn
			}
		}
		if got.Complete {
			break
		}
		if turn == nil || i >= len(moves) {
			t.Fatalf("round %d: no turn, or out of moves", i)
		}
		m := moves[i]
		m.Step = turn.Step
		tr.do("bob acts", "POST", "/negotiations/"+cr.ID+"/actions", bob, m, nil)
	}
	tr.do("an observer looks", "GET", "/negotiations/"+cr.ID, cr.Tokens.Observer, nil, nil)
	tr.do("the owner looks", "GET", "/negotiations/"+cr.ID, cr.Tokens.Owner, nil, nil)
	got := tr.b.String()
	golden.Check(t, "transcript", []byte(got))

	path := filepath.Join("..", "docs", "server.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- transcript: begin (server/transcript_test.go) -->\n```text\n", "```\n<!-- transcript: end -->"
	i, j := bytes.Index(doc, []byte(begin)), bytes.Index(doc, []byte(end))
	if i < 0 || j < i {
		t.Fatalf("%s lacks the transcript markers", path)
	}
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		doc = append(append(append([]byte{}, doc[:i+len(begin)]...), got...), doc[j:]...)
		if err := os.WriteFile(path, doc, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(doc[i+len(begin):j]) != got {
		t.Errorf("%s's transcript is stale: run go test ./server -run TestTranscript -update", path)
	}
}
