// Package scenario defines a negotiation scenario (an outcome space and the
// parties' private profiles) and reads and writes Parley's own YAML and JSON
// scenario format. GENIUS XML and GeniusWeb JSON live in scenario/genius and
// scenario/geniusweb.
package scenario

import (
	"fmt"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/ufun"
)

// Role is a party's place in the negotiation.
type Role string

const (
	// Negotiator is a party that makes and accepts offers (the default).
	Negotiator Role = "negotiator"
	// Mediator is a party that proposes texts in mediated protocols. In
	// alternating offers it sits at the table like any negotiator.
	Mediator Role = "mediator"
)

// Party is one party of a scenario.
type Party struct {
	Name    string
	Role    Role
	Profile *parley.Profile
}

// Scenario is an outcome space and the parties' profiles, in turn order.
type Scenario struct {
	Name        string
	Description string
	Source      string // the file or folder it was read from, or "builtin:NAME"
	Space       *parley.OutcomeSpace
	Parties     []Party
	// Deadline is the scenario's suggested number of rounds (0: none given).
	Deadline int
	// References are named outcomes worth looking at (published texts, ...),
	// in file order.
	References []Reference
	// Protocol is the declared protocol (stages and variants), or nil.
	Protocol *Protocol
	// Assumptions are the uncertain numbers of the scenario with the
	// ranges they may take (the file's assumptions: list, in file order).
	Assumptions []Assumption
	// Warnings are what the reader found odd but accepted (GENIUS profile
	// weights that do not sum to 1, a value evaluated twice, ...), one line
	// each naming the file and, where known, the line. Readers never print
	// them; the caller shows them to the user.
	Warnings []string
}

// Reference is a named outcome of a scenario.
type Reference struct {
	Name    string
	Outcome parley.Outcome
}

// Validate checks the scenario: at least two parties with distinct names,
// each with a valid profile over the scenario's space, and the declared
// protocol, if any.
func (s *Scenario) Validate() error {
	if err := s.validateParties(); err != nil {
		return err
	}
	if s.Protocol != nil {
		if err := s.Protocol.Validate(s); err != nil {
			return fmt.Errorf("scenario %s: %w", s.Name, err)
		}
	}
	return nil
}

// validateParties is Validate without the protocol.
func (s *Scenario) validateParties() error {
	if s.Space == nil {
		return fmt.Errorf("scenario %s: no outcome space", s.Name)
	}
	if len(s.Parties) < 2 {
		return fmt.Errorf("scenario %s: %d parties, need at least 2", s.Name, len(s.Parties))
	}
	seen := map[string]bool{}
	for i, p := range s.Parties {
		if p.Name == "" {
			return fmt.Errorf("scenario %s: party %d has no name", s.Name, i+1)
		}
		if seen[p.Name] {
			return fmt.Errorf("scenario %s: party %q appears twice", s.Name, p.Name)
		}
		seen[p.Name] = true
		if p.Profile == nil {
			return fmt.Errorf("scenario %s: party %q has no profile", s.Name, p.Name)
		}
		if p.Profile.Space != s.Space {
			return fmt.Errorf("scenario %s: party %q: profile over another outcome space", s.Name, p.Name)
		}
		if err := p.Profile.Validate(); err != nil {
			return fmt.Errorf("scenario %s: party %q: %w", s.Name, p.Name, err)
		}
	}
	return nil
}

// Names returns the party names in order.
func (s *Scenario) Names() []string {
	n := make([]string, len(s.Parties))
	for i, p := range s.Parties {
		n[i] = p.Name
	}
	return n
}

// Party returns the index of the party called name, or -1.
func (s *Scenario) Party(name string) int {
	for i, p := range s.Parties {
		if p.Name == name {
			return i
		}
	}
	return -1
}

// PartyIndices returns the indices of the parties named (surrounding
// spaces ignored), in the order given, or of every party when names is
// empty; a name that is no party's is an error naming the parties.
func (s *Scenario) PartyIndices(names []string) ([]int, error) {
	if len(names) == 0 {
		idx := make([]int, len(s.Parties))
		for i := range idx {
			idx[i] = i
		}
		return idx, nil
	}
	var idx []int
	for _, n := range names {
		i := s.Party(strings.TrimSpace(n))
		if i < 0 {
			return nil, fmt.Errorf("scenario %s has no party %q (have %s)", s.Name, n, strings.Join(s.Names(), ", "))
		}
		idx = append(idx, i)
	}
	return idx, nil
}

// PartiesAt returns the profiles and names of the parties at indices (as
// PartyIndices returns them), in that order; an index that is no party's
// is an error.
func (s *Scenario) PartiesAt(indices []int) ([]*parley.Profile, []string, error) {
	profs, names := make([]*parley.Profile, len(indices)), make([]string, len(indices))
	for k, i := range indices {
		if i < 0 || i >= len(s.Parties) {
			return nil, nil, fmt.Errorf("scenario %s has no party %d (have %d parties)", s.Name, i, len(s.Parties))
		}
		profs[k], names[k] = s.Parties[i].Profile, s.Parties[i].Name
	}
	return profs, names, nil
}

// Profiles returns the parties' profiles in order.
func (s *Scenario) Profiles() []*parley.Profile {
	ps := make([]*parley.Profile, len(s.Parties))
	for i, p := range s.Parties {
		ps[i] = p.Profile
	}
	return ps
}

// Base returns the utility function behind u: the source of a precomputed
// table, or u itself. Writers use it to recover the model (linear-additive,
// constraint) a profile was read as.
func Base(u parley.UtilityFunction) parley.UtilityFunction {
	if t, ok := u.(*ufun.Table); ok && t.Source() != nil {
		return t.Source()
	}
	return u
}

// Extras lists what the scenario holds beyond plain preferences (red
// lines, reservation drift, walk-away hazards, ratification, a declared
// protocol): things the GENIUS and GeniusWeb formats cannot express, so
// their writers refuse rather than drop them.
func (s *Scenario) Extras() []string {
	var x []string
	for _, p := range s.Parties {
		pr := p.Profile
		if len(pr.Vetoes) > 0 {
			x = append(x, fmt.Sprintf("party %q: red lines (vetoes)", p.Name))
		}
		if pr.Drift != 0 {
			x = append(x, fmt.Sprintf("party %q: reservation drift", p.Name))
		}
		if pr.Hazard != 0 {
			x = append(x, fmt.Sprintf("party %q: walk-away hazard", p.Name))
		}
		if pr.Report != parley.ReportTruthful {
			x = append(x, fmt.Sprintf("party %q: reporting strategy (report)", p.Name))
		}
		if len(pr.Ratification) > 0 {
			x = append(x, fmt.Sprintf("party %q: ratification", p.Name))
		}
	}
	if s.Protocol != nil {
		x = append(x, "the declared protocol (stages and variants)")
	}
	if len(s.Assumptions) > 0 {
		x = append(x, "assumption ranges (assumptions)")
	}
	return x
}
