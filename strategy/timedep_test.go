package strategy_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/boa"
	"github.com/parley-dev/parley/ufun"
)

func TestTarget(t *testing.T) {
	// target = Pmin + (Pmax-Pmin)(1 - k - (1-k) t^(1/e)), computed by hand.
	tests := []struct {
		t, e, k, pmin, pmax float64
		want                float64
	}{
		{0, 0.2, 0, 0, 1, 1},
		{0.5, 0.2, 0, 0, 1, 1 - 0.03125}, // 0.5^5
		{1, 0.2, 0, 0, 1, 0},
		{0, 1, 0, 0, 1, 1},
		{0.5, 1, 0, 0, 1, 0.5},
		{1, 1, 0, 0, 1, 0},
		{0, 2, 0, 0, 1, 1},
		{0.5, 2, 0, 0, 1, 1 - math.Sqrt2/2}, // 0.5^0.5
		{1, 2, 0, 0, 1, 0},
		{0.5, 0, 0, 0, 1, 1},           // hardliner
		{0.5, 1, 0.1, 0.2, 0.9, 0.515}, // f = 0.1 + 0.9·0.5 = 0.55; 0.2 + 0.7·0.45
		{0, 1, 0.1, 0.2, 0.9, 0.83},    // f(0) = k
		{0.5, 0, 0.1, 0.2, 0.9, 0.83},  // e = 0: f = k
		{2, 1, 0, 0, 1, 0},             // t clamped
	}
	for _, tc := range tests {
		if got := strategy.Target(tc.t, tc.e, tc.k, tc.pmin, tc.pmax); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Target(t=%v, e=%v, k=%v, %v, %v) = %v, want %v", tc.t, tc.e, tc.k, tc.pmin, tc.pmax, got, tc.want)
		}
	}
}

// run negotiates once on profiles and returns the trace and the result.
func run(t testing.TB, profiles []*parley.Profile, deadline int, seed uint64, negs ...parley.Negotiator) ([]parley.Event, *parley.Result) {
	t.Helper()
	var trace []parley.Event
	names := make([]string, len(profiles))
	for i := range names {
		names[i] = profiles[i].Name
	}
	m, err := sao.New(profiles, names, sao.Options{Deadline: deadline, Trace: func(e parley.Event) { trace = append(trace, e) }})
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), negs, seed)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reason == parley.ReasonError {
		t.Fatalf("negotiation failed: %v", res.Err)
	}
	return trace, res
}

// offersBy returns the outcomes party p offered.
func offersBy(trace []parley.Event, p int) []parley.Outcome {
	var out []parley.Outcome
	for _, e := range trace {
		if e.Party == p && e.Action == parley.Offer {
			out = append(out, e.Outcome)
		}
	}
	return out
}

// TestTimeDependentFollowsTarget plays the buyer of TwoIssue against a seller
// that only offers outcome 4 (worth 0 to the buyer) for 5 rounds: the buyer
// moves at t = 0, 0.2, 0.4, 0.6, 0.8 and offers the cheapest outcome at or
// above its target. Buyer utilities: 4:0 2:0.3 5:0.4 0:0.6 3:0.7 1:1.
func TestTimeDependentFollowsTarget(t *testing.T) {
	tests := []struct {
		name string
		e    float64
		rv   float64
		want []parley.Outcome
	}{
		// targets 1, 0.99968, 0.98976, 0.92224, 0.67232
		{"boulware", strategy.BoulwareE, 0, []parley.Outcome{1, 1, 1, 1, 3}},
		// targets 1, 0.8, 0.6, 0.4, 0.2
		{"linear", strategy.LinearE, 0, []parley.Outcome{1, 1, 0, 5, 2}},
		// targets 1, 0.553, 0.368, 0.225, 0.106
		{"conceder", strategy.ConcederE, 0, []parley.Outcome{1, 0, 5, 2, 2}},
		// Pmin = rv = 0.5: targets 1, 0.9, 0.8, 0.7, 0.6
		{"linear rv 0.5", strategy.LinearE, 0.5, []parley.Outcome{1, 1, 1, 3, 0}},
		{"hardliner", strategy.HardlinerE, 0, []parley.Outcome{1, 1, 1, 1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, ps := parleytest.TwoIssue()
			ps[0].Reservation = tc.rv
			td := strategy.NewTimeDependent(strategy.TimeDependentOptions{E: tc.e})
			seller := &parleytest.Scripted{Actions: parleytest.Offers(4)}
			trace, res := run(t, ps, 5, 1, td, seller)
			if got := offersBy(trace, 0); !slices.Equal(got, tc.want) {
				t.Errorf("offers %v, want %v", got, tc.want)
			}
			if res.Reason != parley.ReasonDeadline || res.Rounds != 5 {
				t.Errorf("ended %v in round %d, want deadline in round 5", res.Reason, res.Rounds)
			}
		})
	}
}

// TestBoulwareVersusConceder is hand-traced: t = step/20; the buyer
// (Boulware, target 1 - t^5) offers outcome 1 until t = 0.8 (target
// 0.672: outcome 3, 0.7); the seller (Conceder, target 1 - t^0.5) offers
// 5, 5, 2, 2, 3, 3, 0, 0 and at t = 0.85 (target 0.078, next bid 0 worth
// 0.2) accepts 3, worth 0.4 to it.
func TestBoulwareVersusConceder(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	boulware := strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.BoulwareE})
	conceder := strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.ConcederE})
	trace, res := run(t, ps, 10, 1, boulware, conceder)
	if got, want := offersBy(trace, 0), []parley.Outcome{1, 1, 1, 1, 1, 1, 1, 1, 3}; !slices.Equal(got, want) {
		t.Errorf("boulware offered %v, want %v", got, want)
	}
	if got, want := offersBy(trace, 1), []parley.Outcome{5, 5, 2, 2, 3, 3, 0, 0}; !slices.Equal(got, want) {
		t.Errorf("conceder offered %v, want %v", got, want)
	}
	if !res.Agreed() || res.Agreement != 3 || res.Rounds != 9 || res.Party != 1 || res.Time != 0.85 {
		t.Errorf("result %+v, want agreement on 3 by party 1 in round 9 at t = 0.85", res)
	}
	if !slices.Equal(res.Utilities, []float64{0.7, 0.4}) {
		t.Errorf("utilities %v, want [0.7 0.4]", res.Utilities)
	}

	// Symmetric sanity: with the strategies swapped the seller, now
	// Boulware, does better and the buyer worse.
	_, swapped := run(t, ps, 10, 1, strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.ConcederE}),
		strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.BoulwareE}))
	if !swapped.Agreed() || swapped.Utilities[0] >= res.Utilities[0] || swapped.Utilities[1] <= res.Utilities[1] {
		t.Errorf("swapped: %+v; want the Boulware side to gain", swapped)
	}
}

func TestDeadline(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	ps[0].Reservation, ps[1].Reservation = 0.25, 0.3
	trace, res := run(t, ps, 20, 1, strategy.NewHardliner(), strategy.NewHardliner())
	if res.Reason != parley.ReasonDeadline || res.Rounds != 20 || res.Steps != 40 || len(trace) != 40 {
		t.Errorf("result %+v with %d events, want the deadline after 20 rounds", res, len(trace))
	}
	if !slices.Equal(res.Utilities, []float64{0.25, 0.3}) {
		t.Errorf("utilities %v, want the reservation values", res.Utilities)
	}
	for _, e := range trace {
		if want := []parley.Outcome{1, 4}[e.Party]; e.Action != parley.Offer || e.Outcome != want {
			t.Fatalf("step %d: %v %d, want the party's best outcome %d", e.Step, e.Action, e.Outcome, want)
		}
	}
}

func TestHardlinerAcceptsOnlyBest(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	// The seller offers the buyer 3 (0.7), 0 (0.6), then 1 (1.0, its best).
	seller := &parleytest.Scripted{Actions: parleytest.Offers(3, 0, 1)}
	trace, res := run(t, ps, 10, 1, strategy.NewHardliner(), seller)
	if got := offersBy(trace, 0); !slices.Equal(got, []parley.Outcome{1, 1, 1}) {
		t.Errorf("hardliner offered %v, want [1 1 1]", got)
	}
	if !res.Agreed() || res.Agreement != 1 || res.Rounds != 4 {
		t.Errorf("result %+v, want agreement on 1 in round 4", res)
	}
}

// TestReservationFloor: a conceder never accepts below its reservation
// value, whatever its acceptance condition says.
func TestReservationFloor(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	ps[0].Reservation = 0.5
	td := strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.ConcederE, Accept: boa.ACTime(0)})
	seller := &parleytest.Scripted{Actions: parleytest.Offers(5, 2, 4, 0)} // 0.4, 0.3, 0, then 0.6
	_, res := run(t, ps, 10, 1, td, seller)
	if !res.Agreed() || res.Agreement != 0 || res.Rounds != 5 {
		t.Errorf("result %+v, want agreement on 0 (the first offer above 0.5) in round 5", res)
	}

	// No outcome reaches the reservation value: it walks away at once.
	ps[0].Reservation = 1
	ps[0].Utility = scaled(ps[0].Utility.(*ufun.Table), 0.9)
	_, res = run(t, ps, 10, 1, strategy.NewTimeDependent(strategy.TimeDependentOptions{E: 1}), seller)
	if res.Reason != parley.ReasonWalkAway || res.Steps != 1 {
		t.Errorf("result %+v, want a walk-away at the first step", res)
	}
}

func scaled(t *ufun.Table, f float64) *ufun.Table {
	u := make([]float64, t.Len())
	for i, x := range t.Values() {
		u[i] = x * f
	}
	return ufun.TableOf(u)
}

// TestTies: among outcomes of equal utility the choice comes from the
// party's seeded stream: reproducible, and spread over the tie.
func TestTies(t *testing.T) {
	space, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "x", Values: []string{"a", "b", "c", "d", "e"}}})
	if err != nil {
		t.Fatal(err)
	}
	flat := ufun.TableOf([]float64{0.5, 1, 0.5, 1, 1})
	never := ufun.TableOf([]float64{1, 0, 1, 0, 0})
	ps := []*parley.Profile{{Name: "a", Space: space, Utility: flat}, {Name: "b", Space: space, Utility: never}}
	offers := func(seed uint64) []parley.Outcome {
		trace, _ := run(t, ps, 30, seed, strategy.NewHardliner(), &parleytest.Scripted{Actions: parleytest.Offers(0)})
		return offersBy(trace, 0)
	}
	a := offers(7)
	if !slices.Equal(a, offers(7)) {
		t.Errorf("same seed, different offers")
	}
	seen := map[parley.Outcome]int{}
	for _, o := range a {
		seen[o]++
	}
	if len(seen) != 3 || seen[1] == 0 || seen[3] == 0 || seen[4] == 0 {
		t.Errorf("offers %v: want all three best outcomes 1, 3, 4 and nothing else", a)
	}
}

// TestSampledSpace: a space of 10^10 outcomes cannot be enumerated; the
// strategies bid from a seeded sample that includes the exact best and
// worst outcomes of a linear-additive utility.
func TestSampledSpace(t *testing.T) {
	issues := make([]parley.Issue, 10)
	for i := range issues {
		issues[i] = parley.Issue{Name: string(rune('a' + i)), Kind: parley.Integer, Min: 0, Max: 9}
	}
	space, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		t.Fatal(err)
	}
	r := rng.New(1, 0)
	var ps []*parley.Profile
	for p := range 2 {
		w := make([]float64, 10)
		ev := make([][]float64, 10)
		for i := range w {
			w[i] = 0.1
			ev[i] = make([]float64, 10)
			for k := range ev[i] {
				ev[i][k] = r.Float64()
			}
		}
		la, err := ufun.NewLinearAdditive(space, w, ev, 0)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, &parley.Profile{Name: string(rune('p' + p)), Space: space, Utility: la, Reservation: 0.3})
	}
	negs := func() []parley.Negotiator {
		return []parley.Negotiator{
			strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.BoulwareE, Samples: 5000}),
			strategy.NewMiCRO(strategy.MiCROOptions{Samples: 5000}),
		}
	}
	a, res := run(t, ps, 100, 3, negs()...)
	b, _ := run(t, ps, 100, 3, negs()...)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different traces")
	}
	// The Boulware's first offer is the exact best outcome: the best value
	// of every issue.
	best := make([]int, 10)
	la := ps[0].Utility.(*ufun.LinearAdditive)
	for i, ev := range la.Evals() {
		best[i] = slices.Index(ev, slices.Max(ev))
	}
	if want, _ := space.Encode(best); a[0].Outcome != want {
		t.Errorf("first offer %d, want the best outcome %d", a[0].Outcome, want)
	}
	if res.Agreed() {
		for p := range ps {
			if res.Utilities[p] < 0.3 {
				t.Errorf("party %d agreed at %v, below its reservation value", p, res.Utilities[p])
			}
		}
	}
}

// TestReuse: one negotiator initialised for several runs behaves as a fresh
// one, also across profiles.
func TestReuse(t *testing.T) {
	_, two := parleytest.TwoIssue()
	_, syn := parleytest.Synthetic(t, 5, 4, 4, 3)
	td := strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.LinearE})
	for _, ps := range [][]*parley.Profile{two, syn, two} {
		got, _ := run(t, ps, 30, 9, td, strategy.NewMiCRO(strategy.MiCROOptions{}))
		want, _ := run(t, ps, 30, 9, strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.LinearE}),
			strategy.NewMiCRO(strategy.MiCROOptions{}))
		if !slices.Equal(got, want) {
			t.Errorf("reused negotiator: trace differs")
		}
	}
}

// TestReuseNewUtility: a profile whose utility function was replaced is
// sorted again.
func TestReuseNewUtility(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	td := strategy.NewHardliner()
	seller := &parleytest.Scripted{Actions: parleytest.Offers(4)}
	trace, _ := run(t, ps, 2, 1, td, seller)
	if got := offersBy(trace, 0); !slices.Equal(got, []parley.Outcome{1, 1}) {
		t.Fatalf("offers %v, want [1 1]", got)
	}
	ps[0].Utility = ufun.TableOf([]float64{0, 0.1, 0.2, 0.3, 0.4, 1})
	trace, _ = run(t, ps, 2, 1, td, seller)
	if got := offersBy(trace, 0); !slices.Equal(got, []parley.Outcome{5, 5}) {
		t.Errorf("after replacing the utility: offers %v, want [5 5]", got)
	}
	ps[0].Utility = parley.UtilityFunc(func(o parley.Outcome) float64 { return float64(o%2) * 0.5 })
	trace, _ = run(t, ps, 2, 1, td, seller)
	if got := offersBy(trace, 0); len(got) != 2 || got[0]%2 != 1 {
		t.Errorf("after replacing the utility by a function: offers %v, want odd outcomes", got)
	}
}

func TestOptionsValidate(t *testing.T) {
	bad := []strategy.TimeDependentOptions{{E: -1}, {E: math.NaN()}, {E: math.Inf(1)}, {K: 1.5}, {K: -0.1}, {Samples: -1}}
	_, ps := parleytest.TwoIssue()
	for _, o := range bad {
		if err := o.Validate(); err == nil {
			t.Errorf("%+v: no error", o)
		}
		err := strategy.NewTimeDependent(o).Init(context.Background(), &parley.Session{Profile: ps[0], Rand: rng.New(1, 0)})
		if err == nil {
			t.Errorf("%+v: Init gave no error", o)
		}
	}
	if err := (&strategy.RandomOptions{PAccept: 2}).Validate(); err == nil {
		t.Errorf("PAccept 2: no error")
	}
}
