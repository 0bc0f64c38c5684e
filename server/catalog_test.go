package server_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/server"
)

// TestCatalog: GET /catalog lists every built-in scenario as package
// catalog has it (parties, outcomes, deadline, protocols, and the declared
// protocol's variants with their rounds), and exactly the agents of the
// server's configuration, a program's own among them; it wants the admin
// token when the server has one.
func TestCatalog(t *testing.T) {
	agents := server.Agents{
		Negotiators: []server.Agent{{Name: "boulware", Doc: "concedes late"}, {Name: "mine", Doc: "a program's own"}},
		Voters:      []server.Agent{{Name: "reservation", Doc: "accepts above its reservation value"}},
	}
	srv := start(t, server.Config{AdminToken: "admin", Agents: agents})
	var got server.Catalog
	if st := call(t, srv.hs, "GET", "/catalog", "", nil, &got); st != http.StatusUnauthorized {
		t.Fatalf("without the admin token: %d, want 401", st)
	}
	if st := call(t, srv.hs, "GET", "/catalog", "admin", nil, &got); st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	if !slices.Equal(got.Negotiators, agents.Negotiators) || !slices.Equal(got.Voters, agents.Voters) || got.Mediators == nil || len(got.Mediators) != 0 {
		t.Errorf("agents %+v, want the configuration's %+v (and an empty list of mediators)", got.Agents, agents)
	}

	names := catalog.Names()
	if len(got.Scenarios) != len(names) {
		t.Fatalf("%d scenarios, package catalog has %v", len(got.Scenarios), names)
	}
	for i, name := range names {
		s, err := catalog.Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		cs := got.Scenarios[i]
		var parties []string
		mediator := false
		for _, p := range s.Parties {
			parties = append(parties, p.Name)
			mediator = mediator || p.Role == scenario.Mediator
		}
		if cs.Name != name || cs.Description != s.Description || !slices.Equal(cs.Parties, parties) || cs.Outcomes != s.Space.Size() {
			t.Errorf("%s: %+v, want parties %v, %d outcomes", name, cs, parties, s.Space.Size())
		}
		if s.Deadline > 0 && cs.Deadline != s.Deadline {
			t.Errorf("%s: deadline %d, want %d", name, cs.Deadline, s.Deadline)
		}
		if want := !mediator; slices.Contains(cs.Protocols, "mediated") != want {
			t.Errorf("%s: protocols %v: mediated listed %v, want %v", name, cs.Protocols, !want, want)
		}
		if want := s.Protocol != nil; slices.Contains(cs.Protocols, "staged") != want {
			t.Errorf("%s: protocols %v: staged listed %v, want %v", name, cs.Protocols, !want, want)
		}
		var variants []server.CatalogVariant
		if s.Protocol != nil {
			for _, v := range append([]string{""}, plan.Variants(s)...) {
				pl, err := plan.FromScenario(s, v)
				if err != nil {
					t.Fatal(err)
				}
				cv := server.CatalogVariant{Name: v, Rounds: pl.Rounds()}
				for _, st := range pl.Stages {
					med := -1
					if st.Mechanism == parley.MechanismMediated {
						med = st.Mediator
					}
					cv.Stages = append(cv.Stages, server.CatalogStage{Name: st.Name, Mechanism: st.Mechanism, Participants: st.Participants, Mediator: med, Rounds: st.Rounds})
				}
				variants = append(variants, cv)
			}
		}
		if !reflect.DeepEqual(cs.Variants, variants) && len(cs.Variants)+len(variants) > 0 {
			t.Errorf("%s: variants %+v, want %+v", name, cs.Variants, variants)
		}
	}

	// Known answers for the ceasefire: the US mediates, so protocol
	// mediated (a mediator without interests) is not offered.
	i := slices.Index(names, "ceasefire")
	if i < 0 {
		t.Fatal("no built-in ceasefire")
	}
	cf := got.Scenarios[i]
	if !slices.Equal(cf.Parties, []string{"RU", "UA", "US"}) || cf.Outcomes != 58320 || cf.Deadline != 120 ||
		!slices.Equal(cf.Protocols, []string{"sao", "staged"}) || len(cf.Variants) < 2 || cf.Variants[1].Name != "bilateral_only" {
		t.Errorf("ceasefire: %+v", cf)
	}
	// Its variants' stages, by hand: who offers, votes and mediates (the
	// home page asks only for those seats).
	talks := server.CatalogStage{Name: "bilateral", Mechanism: parley.MechanismAlternatingOffers, Participants: []int{0, 1}, Mediator: -1}
	mediation := server.CatalogStage{Name: "mediated", Mechanism: parley.MechanismMediated, Participants: []int{0, 1}, Mediator: 2}
	stages := func(v string) []server.CatalogStage {
		for _, cv := range cf.Variants {
			if cv.Name == v {
				out := slices.Clone(cv.Stages)
				for k := range out {
					out[k].Rounds = 0
				}
				return out
			}
		}
		t.Fatalf("ceasefire: no variant %q", v)
		return nil
	}
	for v, want := range map[string][]server.CatalogStage{
		"bilateral_only":          {talks},
		"mediated_from_start":     {mediation},
		"mediated_then_bilateral": {mediation, talks},
	} {
		if got := stages(v); !reflect.DeepEqual(got, want) {
			t.Errorf("ceasefire %s: stages %+v, want %+v", v, got, want)
		}
	}
	// The stages' mechanisms are named as the stage event names them.
	b, err := json.Marshal(cf.Variants[1].Stages)
	if err != nil {
		t.Fatal(err)
	}
	if want := `[{"name":"bilateral","mechanism":"alternating_offers","participants":[0,1],"mediator":-1,"rounds":120}]`; string(b) != want {
		t.Errorf("bilateral_only's stages in JSON: %s, want %s", b, want)
	}
}

// TestCatalogDoc: docs/server.md's example of GET /catalog shows what the
// endpoint answers (the first scenario, as its jq filter picks it).
func TestCatalogDoc(t *testing.T) {
	srv := start(t, server.Config{})
	var c server.Catalog
	if st := call(t, srv.hs, "GET", "/catalog", "", nil, &c); st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	s := c.Scenarios[0]
	b, err := json.Marshal(struct {
		Name      string                  `json:"name"`
		Parties   []string                `json:"parties"`
		Deadline  int                     `json:"deadline"`
		Protocols []string                `json:"protocols"`
		Variants  []server.CatalogVariant `json:"variants"`
	}{s.Name, s.Parties, s.Deadline, s.Protocols, s.Variants[1:3]})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join("..", "docs", "server.md"))
	if err != nil {
		t.Fatal(err)
	}
	const cmd = "$ curl -s 127.0.0.1:8080/catalog | jq -c '.scenarios[0] | {name, parties, deadline, protocols, variants: .variants[1:3]}'\n"
	_, after, ok := strings.Cut(string(doc), cmd)
	if !ok {
		t.Fatalf("docs/server.md lacks the line %q", cmd)
	}
	if got, _, _ := strings.Cut(after, "\n"); got != string(b) {
		t.Errorf("docs/server.md shows\n%s\nthe server answers\n%s", got, b)
	}
}
