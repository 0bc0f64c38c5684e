package server

import (
	"fmt"
	"net/http"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/plan"
	"github.com/parley-dev/parley/scenario"
)

// Agents lists the strategies a server's resolvers know (Config.Agents),
// as GET /catalog shows them.
type Agents struct {
	// Negotiators are the strategies Config.Negotiator resolves, Voters
	// and Mediators those of Config.Voter and Config.Mediator.
	Negotiators []Agent `json:"negotiators"`
	Voters      []Agent `json:"voters"`
	Mediators   []Agent `json:"mediators"`
}

// Agent is one strategy of a registry: the name that starts its spec and
// a line saying what it does.
type Agent struct {
	Name string `json:"name"`
	Doc  string `json:"doc"`
}

// Catalog is the response of GET /catalog: what a negotiation may be
// created from on this server, the built-in scenarios and the strategies
// its resolvers know.
type Catalog struct {
	Scenarios []CatalogScenario `json:"scenarios"`
	Agents
}

// CatalogScenario is a built-in scenario as a create request may name it.
type CatalogScenario struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Parties     []string `json:"parties"`
	Outcomes    int      `json:"outcomes"`
	// Deadline is the rounds of protocols sao and mediated when the
	// request gives none (the scenario's, else 100).
	Deadline int `json:"deadline"`
	// Protocols are the protocols the scenario may be run with: sao, and
	// mediated unless a party is a mediator, and staged when it declares
	// a protocol.
	Protocols []string `json:"protocols"`
	// Variants are the variants of its declared protocol (protocol
	// staged), each with its rounds.
	Variants []CatalogVariant `json:"variants"`
}

// CatalogVariant is a variant of a scenario's declared protocol; the name
// "" is the declared stages in order.
type CatalogVariant struct {
	Name   string `json:"name"`
	Rounds int    `json:"rounds"`
	// Stages are the variant's stages in order: who offers or votes in
	// each, and who mediates, so that a client asks only for the seats
	// that act.
	Stages []CatalogStage `json:"stages"`
}

// CatalogStage is one stage of a declared protocol's variant, in the
// words of the stage event (Stage): public protocol structure, no
// party's preferences.
type CatalogStage struct {
	Name      string           `json:"name"`
	Mechanism parley.Mechanism `json:"mechanism"`
	// Participants are the parties (indices into the scenario's parties)
	// that offer (alternating_offers) or vote (mediated) in the stage.
	Participants []int `json:"participants"`
	// Mediator is a mediated stage's mediating party, or -1: a mediator
	// without interests (the request's mediator seat in either case), or
	// no mediator (alternating offers).
	Mediator int `json:"mediator"`
	Rounds   int `json:"rounds"`
}

// catalogStage is a plan's stage st as the catalog and the stage event
// declare it.
func catalogStage(st *parley.Stage) CatalogStage {
	cs := CatalogStage{Name: st.Name, Mechanism: st.Mechanism, Participants: st.Participants, Mediator: -1, Rounds: st.Rounds}
	if st.Mechanism == parley.MechanismMediated {
		cs.Mediator = st.Mediator
	}
	return cs
}

// builtinCatalog returns the catalog of the built-in scenarios (package
// catalog) and agents.
func builtinCatalog(agents Agents) (Catalog, error) {
	c := Catalog{Scenarios: []CatalogScenario{}, Agents: agents}
	for _, list := range []*[]Agent{&c.Negotiators, &c.Voters, &c.Mediators} {
		if *list == nil {
			*list = []Agent{}
		}
	}
	for _, name := range catalog.Names() {
		s, err := catalog.Builtin(name)
		if err != nil {
			return Catalog{}, fmt.Errorf("server: catalog: %w", err)
		}
		cs, err := catalogScenario(s)
		if err != nil {
			return Catalog{}, fmt.Errorf("server: catalog: scenario %s: %w", name, err)
		}
		c.Scenarios = append(c.Scenarios, cs)
	}
	return c, nil
}

// catalogScenario describes s as GET /catalog lists it.
func catalogScenario(s *scenario.Scenario) (CatalogScenario, error) {
	cs := CatalogScenario{Name: s.Name, Description: s.Description, Outcomes: s.Space.Size(),
		Deadline: s.Deadline, Protocols: []string{ProtocolSAO}, Variants: []CatalogVariant{}}
	if cs.Deadline <= 0 {
		cs.Deadline = defaultDeadline
	}
	mediator := false
	for _, p := range s.Parties {
		cs.Parties = append(cs.Parties, p.Name)
		mediator = mediator || p.Role == scenario.Mediator
	}
	if !mediator {
		cs.Protocols = append(cs.Protocols, ProtocolMediated)
	}
	if s.Protocol == nil {
		return cs, nil
	}
	cs.Protocols = append(cs.Protocols, ProtocolStaged)
	for _, v := range append([]string{""}, plan.Variants(s)...) {
		pl, err := plan.FromScenario(s, v)
		if err != nil {
			return CatalogScenario{}, err
		}
		cv := CatalogVariant{Name: v, Rounds: pl.Rounds(), Stages: make([]CatalogStage, len(pl.Stages))}
		for k := range pl.Stages {
			cv.Stages[k] = catalogStage(&pl.Stages[k])
		}
		cs.Variants = append(cs.Variants, cv)
	}
	return cs, nil
}

// catalog serves GET /catalog (the admin token when the server has one,
// as for listing).
func (s *Server) catalog(w http.ResponseWriter, r *http.Request) {
	if err := s.admitAdmin(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.builtins()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}
