package anac_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/strategy/anac"
	"github.com/parley-dev/parley/ufun"
)

// ag1Ladder returns a one-issue space whose value k is worth u[k] to the
// returned profile.
func ag1Ladder(t testing.TB, u []float64) (*parley.OutcomeSpace, *parley.Profile) {
	t.Helper()
	vals := make([]string, len(u))
	for k := range vals {
		vals[k] = fmt.Sprint("v", k)
	}
	space, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "x", Values: vals}})
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ufun.NewTable(space, parley.UtilityFunc(func(o parley.Outcome) float64 { return u[o] }))
	if err != nil {
		t.Fatal(err)
	}
	return space, &parley.Profile{Name: "me", Space: space, Utility: tab}
}

// ag1Run negotiates once and returns the trace.
func ag1Run(t testing.TB, profiles []*parley.Profile, negs []parley.Negotiator, deadline int, seed uint64) ([]parley.Event, *parley.Result) {
	t.Helper()
	var ev []parley.Event
	names := make([]string, len(profiles))
	for i := range names {
		names[i] = fmt.Sprint("p", i)
	}
	m, err := sao.New(profiles, names, sao.Options{Deadline: deadline, Trace: func(e parley.Event) { ev = append(ev, e) }})
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), negs, seed)
	if err != nil || res.Reason == parley.ReasonError {
		t.Fatalf("run: %v %v", err, res.Err)
	}
	return ev, res
}

// ag1Act calls Act and fails the test on an error.
func ag1Act(t *testing.T, n parley.Negotiator, st *parley.State) parley.Action {
	t.Helper()
	a, err := n.Act(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestHardHeadedTarget checks the concession curve against KLH.get_p worked
// by hand, with u_min = 0.585 and u_max = 1 (Ka = e = 0.05):
//
//	d = 1, t = 0:     Fa = 0.05, p = 0.585 + 0.95·0.415 = 0.97925
//	d = 1, t = 0.5:   Fa = 0.05 + 0.95·0.5^20, p = 0.97925 − 0.415·0.95·0.5^20
//	d = 1, t = 0.9:   Fa = 0.05 + 0.95·0.9^20 = 0.16485..., p = 0.585 + 0.415·(1 − Fa)
//	d = 1, t = 1:     Fa = 1, p = 0.585
//	d = 0.5, t = 0.25 (t ≤ s): e' = 0.1, Fa = 0.05 + 0.95·0.5^10,
//	                  min' = 0.585 + 0.415·0.5 = 0.7925, p = 0.7925 + (1 − Fa)·0.2075
//	d = 0.5, t = 0.75 (t > s): Fa = 0.05 + 0.95·0.5^(1/30),
//	                  max' = 0.7925, p = 0.585 + (1 − Fa)·0.2075
//	d = 0.95, t = 1:  Fa = 0.05 + 0.95·(1/0.95)^20 > 1: the Java's p falls
//	                  below u_min; clamped to 0.585.
func TestHardHeadedTarget(t *testing.T) {
	cases := []struct {
		t, d, want float64
	}{
		{0, 1, 0.97925},
		{0.5, 1, 0.97925 - 0.415*0.95*math.Pow(0.5, 20)},
		{0.9, 1, 0.585 + 0.415*(1-(0.05+0.95*math.Pow(0.9, 20)))},
		{1, 1, 0.585},
		{0.25, 0.5, 0.7925 + (1-(0.05+0.95*math.Pow(0.5, 10)))*0.2075},
		{0.75, 0.5, 0.585 + (1-(0.05+0.95*math.Pow(0.5, 1.0/30)))*0.2075},
		{1, 0.95, 0.585},
	}
	for _, c := range cases {
		if got := anac.HardHeadedTarget(c.t, c.d, 0.05, 0.05, 0.585, 1); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("p(t=%v, d=%v) = %.12f, want %.12f", c.t, c.d, got, c.want)
		}
	}
}

// TestHardHeadedHoldsFirm: on a ladder of nine outcomes worth 0.6, 0.65,
// ..., 1, HardHeaded opens with 1; early on (p ≈ 0.979) the next outcome
// down, 0.95, is below its curve, so it repeats one of its earlier bids (1)
// and refuses 0.95; near the end (t = 0.99, p = 0.585 + 0.415·(1 −
// 0.05 − 0.95·0.99^20) = 0.6565...) it concedes one step to 0.95; it then
// accepts 0.95, worth as much as its next bid, and an offer above the
// lowest bid it made.
func TestHardHeadedHoldsFirm(t *testing.T) {
	u := []float64{0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1}
	_, p := ag1Ladder(t, u)
	h := anac.NewHardHeaded(anac.HardHeadedOptions{})
	if err := h.Init(context.Background(), &parley.Session{Profile: p, Names: []string{"me", "them"}, Deadline: 100, Rand: rng.New(1, 0)}); err != nil {
		t.Fatal(err)
	}
	st := &parley.State{Parties: 2, Standing: parley.NoOutcome, Proposer: -1}
	step := func(tm float64, offer parley.Outcome) parley.Action {
		st.Time = tm
		if offer != parley.NoOutcome {
			st.Offers = append(st.Offers, parley.OfferRecord{Party: 1, Outcome: offer, Time: tm})
			st.Standing, st.Proposer = offer, 1
		}
		a := ag1Act(t, h, st)
		if a.Kind == parley.Offer {
			st.Offers = append(st.Offers, parley.OfferRecord{Party: 0, Outcome: a.Outcome, Time: tm})
		}
		return a
	}
	want := []struct {
		t     float64
		offer parley.Outcome // the opponent's offer (value index), or NoOutcome
		act   parley.Action
	}{
		{0, parley.NoOutcome, parley.OfferOf(8)}, // its best
		{0.02, 0, parley.OfferOf(8)},             // 0.95 is below p: an earlier bid, 1 again
		{0.04, 7, parley.OfferOf(8)},             // 0.95 is refused
		{0.5, 6, parley.OfferOf(8)},              // still p > 0.95
		{0.99, 6, parley.OfferOf(7)},             // p = 0.657: one step down
		{0.992, 7, parley.AcceptAction()},        // 0.95 ≥ its next bid
	}
	for i, w := range want {
		if a := step(w.t, w.offer); a != w.act {
			t.Fatalf("turn %d (t = %v): %v %d, want %v %d", i, w.t, a.Kind, a.Outcome, w.act.Kind, w.act.Outcome)
		}
	}
	if p := h.Target(); math.Abs(p-anac.HardHeadedTarget(0.992, 1, 0.05, 0.05, 0.585, 1)) > 1e-12 {
		t.Errorf("Target() = %v", p)
	}
}

// TestHardHeadedNeverBelowCurve: against an opponent that never moves,
// HardHeaded's every offer on a 400-outcome scenario is worth at least its
// curve p(t) (so at least 0.585) and, until t = 0.8, at least p(0.8) ≈
// 0.97; it concedes only at the end, where some offer falls below the
// curve's early value.
func TestHardHeadedNeverBelowCurve(t *testing.T) {
	_, ps := parleytest.Synthetic(t, 21, 5, 5, 4, 4)
	best := ps[0].Utility.(*ufun.Table).Index().Max()
	for seed := uint64(1); seed <= 3; seed++ {
		ev, res := ag1Run(t, ps, []parley.Negotiator{anac.NewHardHeaded(anac.HardHeadedOptions{}),
			&parleytest.Scripted{Actions: parleytest.Offers(ps[1].Utility.(*ufun.Table).Index().Best())}}, 200, seed)
		if res.Agreed() {
			t.Fatalf("seed %d: agreed on %d with an opponent that never moves", seed, res.Agreement)
		}
		lowEnd := math.Inf(1)
		for _, e := range ev {
			if e.Party != 0 || e.Action != parley.Offer {
				continue
			}
			u := ps[0].Utility.Utility(e.Outcome)
			p := anac.HardHeadedTarget(e.Time, 1, 0.05, 0.05, 0.585, best)
			if u < p-1e-12 || u < 0.585 {
				t.Fatalf("seed %d: at t = %.3f offered %.4f, below its curve %.4f", seed, e.Time, u, p)
			}
			if e.Time < 0.8 && u < anac.HardHeadedTarget(0.8, 1, 0.05, 0.05, 0.585, best)-1e-12 {
				t.Fatalf("seed %d: at t = %.3f offered %.4f, conceding early", seed, e.Time, u)
			}
			if e.Time > 0.95 {
				lowEnd = min(lowEnd, u)
			}
		}
		t.Logf("seed %d: best %.4f, lowest offer after t = 0.95: %.4f", seed, best, lowEnd)
		if lowEnd >= anac.HardHeadedTarget(0, 1, 0.05, 0.05, 0.585, best) {
			t.Errorf("seed %d: never conceded below %.4f at the end", seed, lowEnd)
		}
	}
}

// TestHardHeadedConformance runs parleytest.TestNegotiator on HardHeaded,
// on the two-issue scenario, a synthetic one with ties, a three-party one,
// one with discounting and a reservation value, and one with red lines.
func TestHardHeadedConformance(t *testing.T) {
	for name, f := range map[string]func() parley.Negotiator{
		"hardheaded":    func() parley.Negotiator { return anac.NewHardHeaded(anac.HardHeadedOptions{}) },
		"hardheaded-e1": func() parley.Negotiator { return anac.NewHardHeaded(anac.HardHeadedOptions{E: 1, MinUtility: 0.3}) },
	} {
		t.Run(name, func(t *testing.T) { ag1Conformance(t, f) })
	}
}

// ag1Conformance runs parleytest.TestNegotiator on f over several
// scenarios.
func ag1Conformance(t *testing.T, f func() parley.Negotiator) {
	_, syn := parleytest.Synthetic(t, 11, 3, 3, 2)
	for _, p := range syn {
		tab := p.Utility.(*ufun.Table)
		p.Utility = parley.UtilityFunc(func(o parley.Outcome) float64 { return math.Round(tab.Utility(o)*10) / 10 })
	}
	three := []*parley.Profile{syn[0], syn[1], {Name: "third", Space: syn[0].Space, Utility: syn[0].Utility, Reservation: 0.2}}
	_, disc := parleytest.Synthetic(t, 5, 4, 3, 3)
	for _, p := range disc {
		p.Discount, p.Reservation = 0.6, 0.3
	}
	_, red := parleytest.Synthetic(t, 6, 3, 4, 3)
	red[0].Vetoes = []parley.ValueRef{{Issue: 1, Value: 0}, {Issue: 2, Value: 2}}
	red[0].Drift = 0.4
	parleytest.TestNegotiator(t, f)
	parleytest.TestNegotiator(t, f, syn...)
	parleytest.TestNegotiator(t, f, three...)
	parleytest.TestNegotiator(t, f, disc...)
	parleytest.TestNegotiator(t, f, red...)
}

// ag1RedLines checks that the negotiator from f never offers or accepts
// an outcome across its red lines nor, with a drifting reservation value,
// below r(t).
func ag1RedLines(t *testing.T, f func() parley.Negotiator) {
	_, ps := parleytest.Synthetic(t, 8, 4, 3, 3)
	ps[0].Vetoes = []parley.ValueRef{{Issue: 0, Value: 1}, {Issue: 2, Value: 0}}
	ps[0].Reservation, ps[0].Drift = 0.3, 0.3
	script := make([]parley.Outcome, 60)
	for i := range script {
		script[i] = parley.Outcome((i * 5) % ps[0].Space.Size())
	}
	for seed := uint64(1); seed <= 5; seed++ {
		ev, _ := ag1Run(t, ps, []parley.Negotiator{f(), &parleytest.Scripted{Actions: parleytest.Offers(script...)}}, 60, seed)
		for _, e := range ev {
			if e.Party == 0 && e.Action != parley.End && !ps[0].Acceptable(e.Outcome, e.Time) {
				t.Fatalf("seed %d: %v of %s at t = %.3f: vetoed %v or below r(t)", seed, e.Action, ps[0].Space.Format(e.Outcome), e.Time, ps[0].Vetoed(e.Outcome))
			}
		}
	}
}

func TestHardHeadedRedLines(t *testing.T) {
	ag1RedLines(t, func() parley.Negotiator { return anac.NewHardHeaded(anac.HardHeadedOptions{}) })
}

// ag1Allocs returns the allocations of one Act of n (initialised on a
// synthetic scenario), with a new opponent offer every turn.
func ag1Allocs(t *testing.T, n parley.Negotiator) float64 {
	space, ps := parleytest.Synthetic(t, 2, 4, 4, 4, 3, 3)
	if err := n.Init(context.Background(), &parley.Session{Profile: ps[0], Names: []string{"a", "b"}, Deadline: 1000, Rand: rng.New(1, 0)}); err != nil {
		t.Fatal(err)
	}
	st := &parley.State{Parties: 2, Deadline: 1000, Standing: parley.NoOutcome, Proposer: -1, Offers: make([]parley.OfferRecord, 0, 2100)}
	i := 0
	return testing.AllocsPerRun(500, func() {
		st.Time = float64(i) / 1000
		st.Standing, st.Proposer = parley.Outcome((i*37)%space.Size()), 1
		st.Offers = append(st.Offers, parley.OfferRecord{Party: 1, Outcome: st.Standing, Time: st.Time})
		i++
		a := ag1Act(t, n, st)
		if a.Kind == parley.Offer {
			st.Offers = append(st.Offers, parley.OfferRecord{Party: 0, Outcome: a.Outcome, Time: st.Time})
		}
	})
}

func TestHardHeadedAllocs(t *testing.T) {
	a := ag1Allocs(t, anac.NewHardHeaded(anac.HardHeadedOptions{}))
	t.Logf("HardHeaded: %v allocations per Act", a)
	if a != 0 {
		t.Errorf("%v allocations per Act, want 0", a)
	}
}

// HardHeaded's curve holds near its best utility until late and concedes
// to u_min = 0.585 at the deadline.
func ExampleHardHeadedTarget() {
	for _, t := range []float64{0, 0.5, 0.9, 0.95, 0.99, 1} {
		fmt.Printf("t=%.2f p=%.4f\n", t, anac.HardHeadedTarget(t, 1, 0.05, 0.05, 0.585, 1))
	}
	// Output:
	// t=0.00 p=0.9792
	// t=0.50 p=0.9792
	// t=0.90 p=0.9313
	// t=0.95 p=0.8379
	// t=0.99 p=0.6568
	// t=1.00 p=0.5850
}

// HardHeaded and Nice Tit-for-Tat, each against a simple conceder and
// against each other, on a synthetic scenario.
func ExampleNewHardHeaded() {
	ps, err := ag1Example()
	if err != nil {
		fmt.Println(err)
		return
	}
	hh := func() parley.Negotiator { return anac.NewHardHeaded(anac.HardHeadedOptions{}) }
	nt := func() parley.Negotiator { return anac.NewNiceTitForTat(anac.NiceTitForTatOptions{}) }
	cc := func() parley.Negotiator { return &parleytest.Conceder{} }
	for _, pair := range []struct {
		name string
		a, b func() parley.Negotiator
	}{{"hardheaded-conceder", hh, cc}, {"nicetft-conceder", nt, cc}, {"hardheaded-nicetft", hh, nt}} {
		m, err := sao.New(ps, []string{"a", "b"}, sao.Options{Deadline: 100})
		if err != nil {
			fmt.Println(err)
			return
		}
		res, err := m.Run(context.Background(), []parley.Negotiator{pair.a(), pair.b()}, 1)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %s in round %d, utilities %.3f\n", pair.name, res.Reason, res.Rounds, res.Utilities)
	}
	// Output:
	// hardheaded-conceder: agreement in round 89, utilities [0.950 0.125]
	// nicetft-conceder: agreement in round 32, utilities [0.575 0.725]
	// hardheaded-nicetft: agreement in round 99, utilities [0.875 0.050]
}

// ag1Example returns two opposed linear-additive profiles over three
// issues of five values: party a values k/4 on every issue with weights
// 0.5, 0.3, 0.2; party b values 1 − k/4 with weights 0.2, 0.3, 0.5.
func ag1Example() ([]*parley.Profile, error) {
	var issues []parley.Issue
	for _, name := range []string{"price", "delivery", "warranty"} {
		issues = append(issues, parley.Issue{Name: name, Values: []string{"0", "1", "2", "3", "4"}})
	}
	space, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		return nil, err
	}
	up, down := []float64{0, 0.25, 0.5, 0.75, 1}, []float64{1, 0.75, 0.5, 0.25, 0}
	var ps []*parley.Profile
	for _, p := range []struct {
		name string
		w    []float64
		ev   []float64
	}{{"a", []float64{0.5, 0.3, 0.2}, up}, {"b", []float64{0.2, 0.3, 0.5}, down}} {
		la, err := ufun.NewLinearAdditive(space, p.w, [][]float64{p.ev, p.ev, p.ev}, 0)
		if err != nil {
			return nil, err
		}
		ps = append(ps, &parley.Profile{Name: p.name, Space: space, Utility: la})
	}
	return ps, nil
}
