package scenario

import (
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/ufun"
)

// TestPrepared: Prepare leaves the scenario alone, holds tables with their
// sorted indices built, and hands out copies that a caller may scribble on
// without reaching the prepared profiles or the next caller.
func TestPrepared(t *testing.T) {
	s, err := Read("testdata/mixed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	before := make([]parley.UtilityFunction, len(s.Parties))
	for i, p := range s.Parties {
		before[i] = p.Profile.Utility
	}
	p, err := s.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	for i, pt := range s.Parties {
		if pt.Profile.Utility != before[i] {
			t.Fatalf("party %q: Prepare replaced the scenario's utility function", pt.Name)
		}
	}
	if p.Name() != s.Name || p.Space() != s.Space || p.Len() != len(s.Parties) || strings.Join(p.Names(), ",") != strings.Join(s.Names(), ",") {
		t.Fatalf("prepared %q %v over %p, scenario %q %v over %p", p.Name(), p.Names(), p.Space(), s.Name, s.Names(), s.Space)
	}
	for i := range p.Len() {
		tab, ok := p.Utility(i).(*ufun.Table)
		if !ok {
			t.Fatalf("party %d: utility %T, want *ufun.Table", i, p.Utility(i))
		}
		if tab.Source() != before[i] || tab.Index() == nil {
			t.Fatalf("party %d: table without its source or index", i)
		}
		for o := range s.Space.Size() {
			if tab.Utility(parley.Outcome(o)) != before[i].Utility(parley.Outcome(o)) {
				t.Fatalf("party %d: table differs at outcome %d", i, o)
			}
		}
	}
	// Callers get copies.
	ps := p.Profiles()
	ps[0].Reservation, ps[0].Utility = 0.99, nil
	ps[0].Vetoes = append(ps[0].Vetoes, parley.ValueRef{})
	names := p.Names()
	names[0] = "mallory"
	q := p.Profile(0)
	if q.Reservation == 0.99 || q.Utility == nil || len(q.Vetoes) != len(s.Parties[0].Profile.Vetoes) || p.Names()[0] == "mallory" {
		t.Fatalf("a caller's write reached the prepared profile: %+v", q)
	}
	if r := p.Reservations(); r[0] != s.Parties[0].Profile.Reservation {
		t.Fatalf("reservations %v", r)
	}
	// The scenario changed after Prepare does not change the Prepared.
	r0 := p.Profile(0).Reservation
	s.Parties[0].Profile.Reservation = r0/2 + 0.25
	if p.Profile(0).Reservation != r0 {
		t.Fatal("a change to the scenario reached the prepared profile")
	}
	// A bad scenario is refused, naming the party.
	s.Parties[1].Profile.Reservation = 2
	if _, err := s.Prepare(); err == nil || !strings.Contains(err.Error(), s.Parties[1].Name) {
		t.Fatalf("bad reservation value: error %v", err)
	}
}

// TestPrepareReuses: a copy of a scenario prepared after the original
// shares its tables when it is given the earlier Prepared, and only then.
func TestPrepareReuses(t *testing.T) {
	s, err := Read("testdata/mixed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	c := *s
	c.Parties = append([]Party(nil), s.Parties...)
	pr := *c.Parties[0].Profile
	pr.Reservation = 0.3
	c.Parties[0].Profile = &pr
	b, err := c.Prepare(a)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := c.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Len() {
		if b.Utility(i) != a.Utility(i) {
			t.Errorf("party %d: the copy built a new table", i)
		}
		if fresh.Utility(i) == a.Utility(i) {
			t.Errorf("party %d: a table shared without asking", i)
		}
	}
	if b.Profile(0).Reservation != 0.3 || a.Profile(0).Reservation == 0.3 {
		t.Error("reservation values mixed up")
	}
}
