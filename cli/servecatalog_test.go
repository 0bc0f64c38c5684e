package cli

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
)

// TestServeCatalog: parley serve's GET /catalog lists the program's own
// registries, the agents its options register (WithNegotiator,
// WithVoter, WithMediator) after the built-in ones, and a negotiation
// may seat the registered negotiator.
func TestServeCatalog(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	opts := []Option{
		WithNegotiator("mine", "a test conceder", newConceder),
		WithVoter("myvoter", "a test voter", func() mediated.Voter { return nil }),
		WithMediator("mymediator", "a test mediator", func() mediated.Mediator { return nil }),
	}
	go func() {
		done <- Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "serve.db")}, pw, io.Discard, opts...)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("parley serve: %v", err)
	}
	go io.Copy(io.Discard, pr)
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok {
		t.Fatalf("parley serve's first line: %q", line)
	}
	s := &served{url: url}
	var c server.Catalog
	if st := s.do(t, "GET", "/catalog", "", nil, &c); st != http.StatusOK {
		t.Fatalf("GET /catalog: %d", st)
	}
	for _, tc := range []struct {
		what     string
		got      []server.Agent
		builtins []string
		mine     server.Agent
	}{
		{"negotiators", c.Negotiators, strategy.Negotiators().Names(), server.Agent{Name: "mine", Doc: "a test conceder"}},
		{"voters", c.Voters, mediator.Voters().Names(), server.Agent{Name: "myvoter", Doc: "a test voter"}},
		{"mediators", c.Mediators, mediator.Mediators().Names(), server.Agent{Name: "mymediator", Doc: "a test mediator"}},
	} {
		var names []string
		for _, a := range tc.got {
			names = append(names, a.Name)
		}
		want := append(tc.builtins, tc.mine.Name)
		if strings.Join(names, ",") != strings.Join(want, ",") || tc.got[len(tc.got)-1] != tc.mine {
			t.Errorf("%s: %v, want %v (the last %+v)", tc.what, names, want, tc.mine)
		}
	}
	if len(c.Scenarios) == 0 || c.Scenarios[0].Name != "ceasefire" {
		t.Errorf("scenarios %+v, want the built-in ceasefire", c.Scenarios)
	}
	req := server.CreateRequest{Scenario: "ceasefire", Deadline: 10,
		Seats: []server.Seat{{Kind: "strategy", Spec: "mine"}, {Kind: "strategy", Spec: "mine"}, {Kind: "strategy", Spec: "boulware"}}}
	var cr server.CreateResponse
	if st := s.do(t, "POST", "/negotiations", "", req, &cr); st != http.StatusCreated {
		t.Fatalf("creating a negotiation that seats mine: %d", st)
	}
}
