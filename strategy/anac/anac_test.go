package anac_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/strategy/anac"
	"github.com/parley-dev/parley/ufun"
)

// winners are AgentK, CUHKAgent, Atlas3, PonPokoAgent and AgentGG (the
// ANAC winners of 2010, 2012, 2015, 2017 and 2019; HardHeaded and Nice
// Tit-for-Tat have tests of their own), with a few non-default options.
var winners = []struct {
	name string
	new  func() parley.Negotiator
}{
	{"agentk", func() parley.Negotiator { return anac.NewAgentK(anac.AgentKOptions{}) }},
	{"agentk-tremor", func() parley.Negotiator { return anac.NewAgentK(anac.AgentKOptions{Tremor: 0.5}) }},
	{"cuhkagent", func() parley.Negotiator { return anac.NewCUHK(anac.CUHKOptions{}) }},
	{"cuhkagent-rounds", func() parley.Negotiator { return anac.NewCUHK(anac.CUHKOptions{ConcedeByRounds: true}) }},
	{"atlas3", func() parley.Negotiator { return anac.NewAtlas3(anac.Atlas3Options{}) }},
	{"ponpoko", func() parley.Negotiator { return anac.NewPonPoko(anac.PonPokoOptions{}) }},
	{"ponpoko-4", func() parley.Negotiator { return anac.NewPonPoko(anac.PonPokoOptions{Pattern: 5}) }},
	{"agentgg", func() parley.Negotiator { return anac.NewAgentGG(anac.AgentGGOptions{}) }},
	{"agentgg-few", func() parley.Negotiator { return anac.NewAgentGG(anac.AgentGGOptions{Candidates: 3}) }},
}

// TestWinnersConformance runs parleytest.TestNegotiator on each agent, on the
// two-issue scenario, a synthetic one, a three-party one and one with
// discounting and a reservation value.
func TestWinnersConformance(t *testing.T) {
	_, syn := parleytest.Synthetic(t, 11, 3, 3, 2)
	// Utilities rounded to tenths (many ties), as plain functions (not
	// tables), so Init builds the tables.
	for _, p := range syn {
		p.Utility = coarse(p.Space, p.Utility)
	}
	three := []*parley.Profile{syn[0], syn[1],
		{Name: "third", Space: syn[0].Space, Utility: syn[0].Utility, Reservation: 0.2}}
	_, disc := parleytest.Synthetic(t, 5, 4, 3, 3)
	for _, p := range disc {
		p.Discount, p.Reservation = 0.6, 0.3
	}
	for _, a := range winners {
		t.Run(a.name, func(t *testing.T) {
			parleytest.TestNegotiator(t, a.new)
			parleytest.TestNegotiator(t, a.new, syn...)
			parleytest.TestNegotiator(t, a.new, three...)
			parleytest.TestNegotiator(t, a.new, disc...)
		})
	}
}

// TestWinnersLargeSpace plays the agents against each other on a space too
// large to enumerate (10^8 outcomes), where they bid from a sample: no
// errors, and the same seed gives the same trace. (parleytest's Conceder
// needs an enumerable space, so TestNegotiator cannot run here.)
func TestWinnersLargeSpace(t *testing.T) {
	if testing.Short() {
		t.Skip("samples outcomes at every Init")
	}
	ps := large(t)
	agents := []struct {
		name string
		new  func() parley.Negotiator
	}{
		{"agentk", func() parley.Negotiator { return anac.NewAgentK(anac.AgentKOptions{Samples: 5000}) }},
		{"cuhkagent", func() parley.Negotiator { return anac.NewCUHK(anac.CUHKOptions{Samples: 5000}) }},
		{"atlas3", func() parley.Negotiator { return anac.NewAtlas3(anac.Atlas3Options{Samples: 5000}) }},
		{"ponpoko", func() parley.Negotiator { return anac.NewPonPoko(anac.PonPokoOptions{Samples: 5000}) }},
		{"agentgg", func() parley.Negotiator { return anac.NewAgentGG(anac.AgentGGOptions{Samples: 5000}) }},
	}
	for _, a := range agents {
		for _, b := range agents {
			trace := func() []parley.Event {
				var tr []parley.Event
				m, err := sao.New(ps, []string{"a", "b"}, sao.Options{Deadline: 60,
					Trace: func(e parley.Event) { tr = append(tr, e) }})
				if err != nil {
					t.Fatal(err)
				}
				res, err := m.Run(context.Background(), []parley.Negotiator{a.new(), b.new()}, 9)
				if err != nil || res.Reason == parley.ReasonError {
					t.Fatalf("%s vs %s: %v %v", a.name, b.name, err, res.Err)
				}
				return tr
			}
			if x, y := trace(), trace(); !slices.Equal(x, y) {
				t.Errorf("%s vs %s: two runs with the same seed differ", a.name, b.name)
			}
		}
	}
}

// large returns two opposed linear-additive profiles over 8 issues of 10
// values.
func large(t testing.TB) []*parley.Profile {
	issues := make([]parley.Issue, 8)
	for i := range issues {
		vals := make([]string, 10)
		for k := range vals {
			vals[k] = fmt.Sprint(k)
		}
		issues[i] = parley.Issue{Name: fmt.Sprintf("i%d", i), Values: vals}
	}
	space, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		t.Fatal(err)
	}
	r := rng.New(7, 0)
	ps := make([]*parley.Profile, 2)
	for p := range ps {
		w := make([]float64, 8)
		ev := make([][]float64, 8)
		for i := range w {
			w[i] = 0.125
			ev[i] = make([]float64, 10)
			for k := range ev[i] {
				ev[i][k] = float64(k) / 9
				if p == 1 {
					ev[i][k] = 1 - ev[i][k]
				}
				ev[i][k] = min(max(ev[i][k]+0.05*(r.Float64()-0.5), 0), 1)
			}
		}
		la, err := ufun.NewLinearAdditive(space, w, ev, 0)
		if err != nil {
			t.Fatal(err)
		}
		ps[p] = &parley.Profile{Name: fmt.Sprint("p", p), Space: space, Utility: la}
	}
	return ps
}

// coarse rounds a utility to tenths, as a plain function.
func coarse(space *parley.OutcomeSpace, u parley.UtilityFunction) parley.UtilityFunction {
	v := make([]float64, space.Size())
	for o := range v {
		v[o] = float64(int(u.Utility(parley.Outcome(o))*10+0.5)) / 10
	}
	return parley.UtilityFunc(func(o parley.Outcome) float64 { return v[o] })
}

// TestWinnersRedLines: against every agent of this file, an
// agent never offers an outcome that crosses its red lines or is worth
// less than its reservation value at the time (which drifts upwards
// here), and accepts only what its profile finds acceptable.
func TestWinnersRedLines(t *testing.T) {
	_, ps := parleytest.Synthetic(t, 21, 5, 4, 3)
	ps[0].Vetoes = []parley.ValueRef{{Issue: 0, Value: 1}, {Issue: 2, Value: 0}}
	ps[0].Reservation, ps[0].Drift = 0.2, 0.3
	ps[1].Vetoes = []parley.ValueRef{{Issue: 1, Value: 3}}
	ps[1].Reservation = 0.35
	opps := winners // parleytest.Conceder knows no red lines
	agreements := 0
	for _, a := range winners {
		for _, o := range opps {
			for seat := range 2 {
				negs := []parley.Negotiator{o.new(), o.new()}
				negs[seat] = a.new()
				var trace []parley.Event
				m, err := sao.New(ps, []string{"a", "b"}, sao.Options{Deadline: 80,
					Trace: func(e parley.Event) { trace = append(trace, e) }})
				if err != nil {
					t.Fatal(err)
				}
				for seed := range uint64(3) {
					trace = trace[:0]
					res, err := m.Run(context.Background(), negs, seed)
					if err != nil || res.Reason == parley.ReasonError {
						t.Fatalf("%s in seat %d vs %s: %v %v", a.name, seat, o.name, err, res.Err)
					}
					if res.Agreed() {
						agreements++
					}
					p := ps[seat]
					for _, e := range trace {
						if e.Party != seat || e.Action == parley.End {
							continue
						}
						u := p.Utility.Utility(e.Outcome)
						switch {
						case e.Action == parley.Offer && (p.Vetoed(e.Outcome) || !parley.AtLeast(u, p.ReservationAt(e.Time))):
							t.Fatalf("%s in seat %d vs %s: offered %s worth %v at t = %v (r = %v, vetoed %v)",
								a.name, seat, o.name, p.Space.Format(e.Outcome), u, e.Time, p.ReservationAt(e.Time), p.Vetoed(e.Outcome))
						case e.Action == parley.Accept && !p.Acceptable(e.Outcome, e.Time):
							t.Fatalf("%s in seat %d vs %s: accepted %s worth %v at t = %v (r = %v)",
								a.name, seat, o.name, p.Space.Format(e.Outcome), u, e.Time, p.ReservationAt(e.Time))
						}
					}
				}
			}
		}
	}
	if agreements == 0 {
		t.Error("no agreement at all: the scenario is too hard to test acceptance")
	}
}

// actState returns a mid-negotiation State for party 0 with a standing
// offer of party 1 and a history of n offers.
func actState(space *parley.OutcomeSpace, n int) *parley.State {
	st := &parley.State{Parties: 2, Me: 0, Deadline: n, Standing: 0, Proposer: 1}
	for i := range n {
		st.Offers = append(st.Offers, parley.OfferRecord{Party: 1 - i%2, Outcome: parley.Outcome(i % space.Size()),
			Step: i, Round: i / 2, Time: float64(i) / float64(2*n)})
	}
	return st
}

// TestWinnersActAllocs: once Init has reserved room for the histories, Act
// allocates nothing.
func TestWinnersActAllocs(t *testing.T) {
	space, ps := parleytest.Synthetic(t, 2, 4, 4, 4, 3, 3)
	for _, a := range winners {
		n := a.new()
		if err := n.Init(context.Background(), &parley.Session{Profile: ps[0], Names: []string{"a", "b"},
			Deadline: 1000, Rand: rng.New(1, 0)}); err != nil {
			t.Fatal(err)
		}
		st := actState(space, 1000)
		i := 0
		allocs := testing.AllocsPerRun(2000, func() {
			st.Time = float64(i%1000) / 1000
			st.Round = i % 1000
			st.Standing = parley.Outcome((i * 7) % space.Size())
			i++
			if _, err := n.Act(context.Background(), st); err != nil {
				t.Fatal(err)
			}
		})
		t.Logf("%s: %v allocations per Act", a.name, allocs)
		if allocs != 0 {
			t.Errorf("%s: %v allocations per Act, want 0", a.name, allocs)
		}
	}
}

// TestWinnersRunAllocs reports the allocations of a whole self-play negotiation
// through a reused mechanism (Init included): the same for 100 and 1,000
// rounds, so the rounds allocate nothing.
func TestWinnersRunAllocs(t *testing.T) {
	_, ps := parleytest.Synthetic(t, 3, 5, 4, 4)
	for _, a := range winners {
		allocs := func(deadline int) float64 {
			m, err := sao.New(ps, []string{"a", "b"}, sao.Options{Deadline: deadline})
			if err != nil {
				t.Fatal(err)
			}
			negs := []parley.Negotiator{a.new(), a.new()}
			return testing.AllocsPerRun(20, func() {
				if res, err := m.Run(context.Background(), negs, 1); err != nil || res.Reason == parley.ReasonError {
					t.Fatalf("%v %v", err, res.Err)
				}
			})
		}
		short, long := allocs(100), allocs(1000)
		t.Logf("%s: %v allocations per 100-round run, %v per 1000-round run", a.name, short, long)
		if short != long {
			t.Errorf("%s: %v allocations per 100-round run, %v per 1000-round run: the rounds allocate", a.name, short, long)
		}
	}
}

// TestRoundRobin plays every agent of Agents against every other (and
// itself) in both roles on two synthetic scenarios through sao: every
// negotiation must end without error.
func TestRoundRobin(t *testing.T) {
	agents := anac.Agents()
	type score struct {
		sum    float64
		n, agr int
	}
	scores := make([]score, len(agents))
	for sc, sizes := range [][]int{{4, 4, 3}, {6, 5, 4, 2}} {
		_, ps := parleytest.Synthetic(t, uint64(100+sc), sizes...)
		m, err := sao.New(ps, []string{"a", "b"}, sao.Options{Deadline: 100})
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range agents {
			for j, b := range agents {
				for seed := range uint64(2) {
					res, err := m.Run(context.Background(), []parley.Negotiator{a.New(), b.New()}, seed)
					if err != nil || res.Reason == parley.ReasonError {
						t.Errorf("scenario %d: %s vs %s, seed %d: %v %v", sc, a.Name, b.Name, seed, err, res.Err)
						continue
					}
					for k, x := range []int{i, j} {
						scores[x].sum += res.Utilities[k]
						scores[x].n++
						if res.Agreed() {
							scores[x].agr++
						}
					}
				}
			}
		}
	}
	for i, a := range agents {
		s := scores[i]
		t.Logf("%-10s mean utility %.3f, agreements %d of %d", a.Name, s.sum/float64(s.n), s.agr, s.n)
	}
}

// TestAgents: the list has the seven agents, with unique names, each
// making a fresh negotiator per call.
func TestAgents(t *testing.T) {
	want := []string{"agentk", "hardheaded", "nicetft", "cuhkagent", "atlas3", "ponpoko", "agentgg"}
	got := anac.Agents()
	if len(got) != len(want) {
		t.Fatalf("%d agents, want %d", len(got), len(want))
	}
	for i, e := range got {
		if e.Name != want[i] || e.Summary == "" || e.New == nil {
			t.Errorf("entry %d: %q (%q), want %q with a summary and a constructor", i, e.Name, e.Summary, want[i])
			continue
		}
		if x, y := e.New(), e.New(); x == y {
			t.Errorf("%s: New returned the same negotiator twice", e.Name)
		}
	}
}

// TestWinnersBadOptions: invalid options fail at Init, naming the field.
func TestWinnersBadOptions(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	for _, n := range []parley.Negotiator{
		anac.NewAgentK(anac.AgentKOptions{Tremor: -1}),
		anac.NewAgentK(anac.AgentKOptions{Samples: -1}),
		anac.NewCUHK(anac.CUHKOptions{Samples: -1}),
		anac.NewAtlas3(anac.Atlas3Options{Samples: -1}),
		anac.NewPonPoko(anac.PonPokoOptions{Pattern: 6}),
		anac.NewPonPoko(anac.PonPokoOptions{Pattern: -1}),
		anac.NewAgentGG(anac.AgentGGOptions{Candidates: -1}),
	} {
		err := n.Init(context.Background(), session(ps[0], 1, 10))
		if err == nil {
			t.Errorf("%T: no error", n)
			continue
		}
		if _, err := n.Act(context.Background(), turn{t: 0}.state(10)); err == nil {
			t.Errorf("%T: Act after a failed Init gave no error", n)
		}
	}
}
