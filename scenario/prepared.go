package scenario

import (
	"fmt"
	"reflect"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/seat"
	"github.com/parley-dev/parley/ufun"
)

// Prepared is a scenario made ready to run, built once (Scenario.Prepare)
// and read-only afterwards: the parties' names and profiles, validated over
// one outcome space, with every utility function over an enumerable space
// precomputed as a ufun.Table whose sorted Index is built, so that a
// utility costs one lookup and strategies find outcomes near a utility by
// binary search.
//
// A Prepared holds its own copies of the profiles; its accessors hand out
// copies too, so nothing a caller (or a seat) writes reaches it. The tables
// and the outcome space are shared by every copy: they are immutable, and
// sharing them is what lets every negotiation of a tournament on the
// scenario reuse one preparation. Values derived from a table (the Index,
// geniuscompat's GENIUS order: ufun.Derive) are built once per table.
//
// Protocols take the profiles (Profiles) as plain parley types; each seat
// of a run still gets a private copy of its own profile only.
type Prepared struct {
	name     string
	space    *parley.OutcomeSpace
	names    []string
	profiles []*parley.Profile
}

// Prepare validates the parties (as Validate does, without the protocol)
// and returns the scenario ready to run. It does not change s: later
// changes to s (a sweep's copy with another reservation value) do not
// reach the Prepared, and a changed scenario is prepared anew.
//
// A party whose utility function is the one a table of an earlier
// Prepared over the same space was computed from (ufun.Table.Source) gets
// that table instead of a new one: copies of one scenario that differ in
// other fields (an experiment's arms) then share their tables, and with
// them sorted indices and anything strategies derive from them.
func (s *Scenario) Prepare(earlier ...*Prepared) (*Prepared, error) {
	if err := s.validateParties(); err != nil {
		return nil, err
	}
	p := &Prepared{name: s.Name, space: s.Space, names: s.Names(), profiles: make([]*parley.Profile, len(s.Parties))}
	for i, pt := range s.Parties {
		q := seat.Clone(pt.Profile)
		if t := tableOf(s.Space, q.Utility, earlier); t != nil {
			q.Utility = t
		} else if s.Space.Enumerable() {
			t, err := ufun.NewTable(s.Space, q.Utility)
			if err != nil {
				return nil, fmt.Errorf("scenario %s: party %q: %w", s.Name, pt.Name, err)
			}
			if t.Len() != s.Space.Size() {
				return nil, fmt.Errorf("scenario %s: party %q: utility table has %d entries for %d outcomes", s.Name, pt.Name, t.Len(), s.Space.Size())
			}
			t.Index()
			q.Utility = t
		}
		p.profiles[i] = q
	}
	return p, nil
}

// tableOf returns the table of earlier over space computed from u, or nil.
// Only utility functions behind pointers are compared (by identity);
// others may not be comparable.
func tableOf(space *parley.OutcomeSpace, u parley.UtilityFunction, earlier []*Prepared) *ufun.Table {
	if u == nil || reflect.TypeOf(u).Kind() != reflect.Pointer {
		return nil
	}
	for _, e := range earlier {
		if e == nil || e.space != space {
			continue
		}
		for _, q := range e.profiles {
			if t, ok := q.Utility.(*ufun.Table); ok && (t.Source() == u || t == u) {
				return t
			}
		}
	}
	return nil
}

// Name returns the scenario's name.
func (p *Prepared) Name() string { return p.name }

// Space returns the outcome space.
func (p *Prepared) Space() *parley.OutcomeSpace { return p.space }

// Len returns the number of parties.
func (p *Prepared) Len() int { return len(p.profiles) }

// Names returns a copy of the party names, in turn order.
func (p *Prepared) Names() []string { return append([]string(nil), p.names...) }

// Profiles returns fresh copies of the prepared profiles, in turn order.
func (p *Prepared) Profiles() []*parley.Profile {
	ps := make([]*parley.Profile, len(p.profiles))
	for i, q := range p.profiles {
		ps[i] = seat.Clone(q)
	}
	return ps
}

// Profile returns a fresh copy of party i's prepared profile.
func (p *Prepared) Profile(i int) *parley.Profile { return seat.Clone(p.profiles[i]) }

// Utility returns party i's prepared utility function (a *ufun.Table when
// the space is enumerable).
func (p *Prepared) Utility(i int) parley.UtilityFunction { return p.profiles[i].Utility }

// Reservations returns every party's reservation value at t = 0.
func (p *Prepared) Reservations() []float64 {
	r := make([]float64, len(p.profiles))
	for i, q := range p.profiles {
		r[i] = q.Reservation
	}
	return r
}
