package tournament_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tournament"
)

// cheater raises its own reservation value to 0.998, drops its red lines
// and renames every issue value through the session it is handed, then
// walks away at once.
type cheater struct{}

func (cheater) Init(_ context.Context, s *parley.Session) error {
	s.Profile.Reservation, s.Profile.Discount, s.Profile.Vetoes = 0.998, 1, nil
	// The space is shared: renaming its values must not reach the records.
	for i := range s.Profile.Space.Issues {
		for k := range s.Profile.Space.Issues[i].Values {
			s.Profile.Space.Issues[i].Values[k] = "forged"
		}
	}
	for i := range s.Names {
		s.Names[i] = "cheater"
	}
	return nil
}

func (cheater) Act(context.Context, *parley.State) (parley.Action, error) {
	return parley.EndAction(), nil
}

// TestCheaterCannotRewriteScoring: a seat that edits its own profile is
// still paid its true reservation value, and the shared scenario is left
// as it was, so later negotiations without the cheater score as in a
// tournament the cheater never joined.
func TestCheaterCannotRewriteScoring(t *testing.T) {
	honest := competitors(t, "boulware", "conceder")
	withCheat := append(slices.Clone(honest), tournament.Competitor{Name: "cheater", New: func() parley.Negotiator { return cheater{} }})
	sc := twoIssue("tiny")
	sc.Parties[0].Profile.Reservation, sc.Parties[1].Profile.Reservation = 0.2, 0.3
	run := func(cs []tournament.Competitor) map[string]tournament.Record {
		t.Helper()
		st := newMemStore()
		cfg := &tournament.Config{Competitors: cs, Scenarios: []*scenario.Scenario{sc}, Reps: 5, Deadline: 20, Seed: 9}
		if _, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{}); err != nil {
			t.Fatal(err)
		}
		out := map[string]tournament.Record{}
		for _, r := range st.sorted() {
			r = strip(r)
			r.JobID = 0 // job numbers differ between the two tournaments
			out[fmt.Sprint(r.Agents, r.Rep)] = r
		}
		return out
	}
	clean := run(honest)
	dirty := run(withCheat)
	if sc.Parties[0].Profile.Reservation != 0.2 || sc.Parties[1].Profile.Reservation != 0.3 {
		t.Fatalf("the shared scenario's reservation values changed to %v, %v", sc.Parties[0].Profile.Reservation, sc.Parties[1].Profile.Reservation)
	}
	cheats := 0
	for k, r := range dirty {
		i := slices.Index(r.Agents, "cheater")
		if i < 0 {
			if fmt.Sprint(clean[k]) != fmt.Sprint(r) {
				t.Errorf("%s without the cheater: %+v, in a tournament without it %+v", k, r, clean[k])
			}
			continue
		}
		cheats++
		if want := sc.Parties[i].Profile.Reservation; r.Utilities[i] != want {
			t.Errorf("%s: the cheater was paid %v, its true reservation value is %v", k, r.Utilities[i], want)
		}
	}
	if cheats == 0 {
		t.Fatal("no negotiation with the cheater")
	}
}

// cheatMediator edits everything its session hands it (the declared
// profiles, their space, the names) and then proposes the text until the
// deadline.
type cheatMediator struct{}

func (cheatMediator) Init(_ context.Context, s *parley.Session) error {
	for _, p := range s.Declared {
		p.Reservation, p.Vetoes = 0, nil
		for i := range p.Space.Issues {
			for k := range p.Space.Issues[i].Values {
				p.Space.Issues[i].Values[k] = "forged"
			}
		}
	}
	for i := range s.Names {
		s.Names[i] = "cheater"
	}
	return nil
}

func (cheatMediator) Propose(_ context.Context, st *parley.State) (parley.Outcome, error) {
	return st.Text, nil
}

// TestCheatingMediatorCannotRewriteScoring: in a mediated tournament, a
// mediator that edits what it is handed changes neither the scenario nor
// the records of the other mediators, which meet the same voter pools with
// the same seeds whether it takes part or not.
func TestCheatingMediatorCannotRewriteScoring(t *testing.T) {
	sc := twoIssue("tiny")
	sc.Parties[0].Profile.Reservation, sc.Parties[1].Profile.Reservation = 0.2, 0.3
	run := func(ms []tournament.Mediator) []tournament.Record {
		t.Helper()
		st := newMemStore()
		cfg := &tournament.Config{Protocol: tournament.ProtocolMediated, Mediators: ms, Voters: voters(t, "hillclimber", "annealer"),
			Scenarios: []*scenario.Scenario{sc}, Reps: 3, Deadline: 20, Seed: 9, Info: parley.InfoFull}
		if _, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{}); err != nil {
			t.Fatal(err)
		}
		var out []tournament.Record
		for _, r := range st.sorted() {
			r.Elapsed = 0
			out = append(out, r)
		}
		return out
	}
	honest := mediators(t, "hillclimb")
	clean := run(honest)
	dirty := run(append(slices.Clone(honest), tournament.Mediator{Name: "cheater", New: func() mediated.Mediator { return cheatMediator{} }}))
	if sc.Parties[0].Profile.Reservation != 0.2 || sc.Parties[1].Profile.Reservation != 0.3 || sc.Space.Issues[0].Values[0] == "forged" {
		t.Fatalf("the cheating mediator changed the shared scenario: reservation values %v, %v, values %v",
			sc.Parties[0].Profile.Reservation, sc.Parties[1].Profile.Reservation, sc.Space.Issues[0].Values)
	}
	if fmt.Sprint(dirty[:len(clean)]) != fmt.Sprint(clean) {
		t.Errorf("the honest mediator's records changed when a cheater joined:\n got %+v\nwant %+v", dirty[:len(clean)], clean)
	}
	agreed := 0
	for _, r := range dirty {
		if r.Agreement != nil {
			agreed++
		}
		for _, v := range r.Agreement {
			if v == "forged" {
				t.Fatalf("a record names a forged value: %+v", r)
			}
		}
	}
	if agreed == 0 {
		t.Fatal("no agreement to check the names of")
	}
}
