package tournament_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/tournament"
)

// twoIssue returns parleytest.TwoIssue as a scenario (buyer, seller).
func twoIssue(name string) *scenario.Scenario {
	space, profiles := parleytest.TwoIssue()
	return &scenario.Scenario{Name: name, Source: "test:" + name, Space: space, Parties: []scenario.Party{
		{Name: "buyer", Role: scenario.Negotiator, Profile: profiles[0]},
		{Name: "seller", Role: scenario.Negotiator, Profile: profiles[1]},
	}}
}

// threeParty returns a three-party scenario over TwoIssue's space.
func threeParty(name string) *scenario.Scenario {
	s := twoIssue(name)
	_, profiles := parleytest.TwoIssue()
	p := *profiles[1]
	p.Space = s.Space
	s.Parties = append(s.Parties, scenario.Party{Name: "third", Role: scenario.Negotiator, Profile: &p})
	return s
}

// synthetic returns a two-party scenario of the given issue sizes.
func synthetic(tb testing.TB, name string, seed uint64, sizes ...int) *scenario.Scenario {
	space, profiles := parleytest.Synthetic(tb, seed, sizes...)
	return &scenario.Scenario{Name: name, Source: "test:" + name, Space: space, Parties: []scenario.Party{
		{Name: "a", Role: scenario.Negotiator, Profile: profiles[0]},
		{Name: "b", Role: scenario.Negotiator, Profile: profiles[1]},
	}}
}

// competitors builds competitors from strategy specs.
func competitors(tb testing.TB, specs ...string) []tournament.Competitor {
	tb.Helper()
	var cs []tournament.Competitor
	for _, s := range specs {
		f, err := strategy.Parse(s)
		if err != nil {
			tb.Fatal(err)
		}
		cs = append(cs, tournament.Competitor{Name: s, New: f})
	}
	return cs
}

// memStore is tournament.MemStore that counts its writes and can fail one.
type memStore struct {
	tournament.MemStore
	mu      sync.Mutex
	writes  int
	batches []int
	failAt  int // Write fails on this call (1-based), 0 never
}

func newMemStore() *memStore { return &memStore{} }

func (m *memStore) Write(ctx context.Context, rs []tournament.Record) (int, error) {
	m.mu.Lock()
	m.writes++
	if m.writes == m.failAt {
		m.mu.Unlock()
		return 0, errors.New("memstore: disk full")
	}
	m.batches = append(m.batches, len(rs))
	m.mu.Unlock()
	return m.MemStore.Write(ctx, rs)
}

// sorted returns the stored records in job order, without the fields that
// depend on the machine (Elapsed, Worker).
func (m *memStore) sorted() []tournament.Record {
	var rs []tournament.Record
	for r := range m.Records(context.Background()) {
		rs = append(rs, strip(r))
	}
	return rs
}

func strip(r tournament.Record) tournament.Record {
	r.Elapsed, r.Worker = 0, ""
	return r
}

// scripted negotiators for isolation tests.

// yes accepts any standing offer and otherwise offers outcome 3.
type yes struct{}

func (yes) Init(context.Context, *parley.Session) error { return nil }
func (yes) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if st.Standing != parley.NoOutcome {
		return parley.AcceptAction(), nil
	}
	return parley.OfferOf(3), nil
}

// panicky panics on its second turn.
type panicky struct{ turns int }

func (p *panicky) Init(context.Context, *parley.Session) error { p.turns = 0; return nil }
func (p *panicky) Act(context.Context, *parley.State) (parley.Action, error) {
	p.turns++
	if p.turns == 2 {
		panic("boom")
	}
	return parley.OfferOf(0), nil // (0.6, 0.2): the hardliner accepts it in neither role
}

// failing returns an error on its first turn.
type failing struct{}

func (failing) Init(context.Context, *parley.Session) error { return nil }
func (failing) Act(context.Context, *parley.State) (parley.Action, error) {
	return parley.Action{}, errors.New("out of ideas")
}

// looping never returns from its first Act (it sleeps in a loop, so the
// abandoned goroutine costs no CPU).
type looping struct{ stop <-chan struct{} }

func (looping) Init(context.Context, *parley.Session) error { return nil }
func (l looping) Act(context.Context, *parley.State) (parley.Action, error) {
	for {
		select {
		case <-l.stop:
			return parley.EndAction(), nil
		case <-time.After(time.Millisecond):
		}
	}
}

// slow takes 2ms per turn but returns: a long negotiation that the
// mechanism stops at the limit.
type slow struct{}

func (slow) Init(context.Context, *parley.Session) error { return nil }
func (slow) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	time.Sleep(2 * time.Millisecond)
	return parley.OfferOf(0), nil
}

// runReport runs the tournament into a memory store and reports it.
func runReport(t *testing.T, cfg *tournament.Config) *tournament.Report {
	t.Helper()
	st := newMemStore()
	if _, err := tournament.Run(context.Background(), cfg, st, tournament.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	return tally(t, st)
}

// tally reports the records of a memory store.
func tally(t *testing.T, st *memStore) *tournament.Report {
	t.Helper()
	tl := tournament.NewTally(*st.tmeta())
	for _, r := range st.sorted() {
		if err := tl.Add(&r); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := tl.Report()
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// tmeta returns the stored tournament.
func (m *memStore) tmeta() *tournament.Meta {
	meta, _, _ := m.Meta(context.Background())
	return &meta
}

// trecs returns the stored records by job id.
func (m *memStore) trecs() map[int64]tournament.Record {
	out := map[int64]tournament.Record{}
	for r := range m.Records(context.Background()) {
		out[r.JobID] = r
	}
	return out
}

// put stores r as if an earlier run had.
func (m *memStore) put(r tournament.Record) {
	m.MemStore.Write(context.Background(), []tournament.Record{r})
}
