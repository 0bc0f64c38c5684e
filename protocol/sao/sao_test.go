package sao_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/sao"
)

// script plays a fixed list of actions, then repeats its last one.
type script struct {
	acts []parley.Action
	i    int
}

func (s *script) Init(context.Context, *parley.Session) error { s.i = 0; return nil }
func (s *script) Act(context.Context, *parley.State) (parley.Action, error) {
	a := s.acts[min(s.i, len(s.acts)-1)]
	s.i++
	return a, nil
}

func offer(o int) parley.Action { return parley.OfferOf(parley.Outcome(o)) }

var accept, end = parley.AcceptAction(), parley.EndAction()

// tiny is one issue with four values; party i's utility of value k is
// listed in us[i].
func tiny(t testing.TB, rv []float64, disc []float64, us ...[]float64) []*parley.Profile {
	t.Helper()
	space, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "x", Values: []string{"a", "b", "c", "d"}}})
	if err != nil {
		t.Fatal(err)
	}
	ps := make([]*parley.Profile, len(us))
	for i, u := range us {
		u := u
		ps[i] = &parley.Profile{Name: string(rune('A' + i)), Space: space, Reservation: rv[i], Discount: disc[i],
			Utility: parley.UtilityFunc(func(o parley.Outcome) float64 { return u[o] })}
	}
	return ps
}

func names(n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = string(rune('A' + i))
	}
	return s
}

func TestRun(t *testing.T) {
	u0 := []float64{1, 0.6, 0.3, 0}
	u1 := []float64{0, 0.4, 0.7, 1}
	u2 := []float64{0.5, 0.5, 1, 0}
	tests := []struct {
		name      string
		parties   [][]float64
		rv, disc  []float64
		deadline  int
		scripts   [][]parley.Action
		reason    parley.Reason
		agreement parley.Outcome
		steps     int
		rounds    int
		party     int
		utils     []float64
		disc2     []float64
		errHas    string
	}{
		{name: "bilateral immediate", parties: [][]float64{u0, u1}, rv: []float64{0, 0}, disc: []float64{1, 1}, deadline: 10,
			scripts: [][]parley.Action{{offer(1)}, {accept}},
			reason:  parley.ReasonAgreement, agreement: 1, steps: 2, rounds: 1, party: 1,
			utils: []float64{0.6, 0.4}, disc2: []float64{0.6, 0.4}},
		{name: "bilateral counter then accept, discounted", parties: [][]float64{u0, u1}, rv: []float64{0, 0}, disc: []float64{0.5, 1}, deadline: 10,
			scripts: [][]parley.Action{{offer(0), accept}, {offer(2)}},
			reason:  parley.ReasonAgreement, agreement: 2, steps: 3, rounds: 2, party: 0,
			// agreement at step 2 of 20: t = 0.1, δ=0.5 → 0.3·0.5^0.1
			utils: []float64{0.3, 0.7}, disc2: []float64{0.3 * math.Pow(0.5, 0.1), 0.7}},
		{name: "three parties need two accepts", parties: [][]float64{u0, u1, u2}, rv: []float64{0, 0, 0}, disc: []float64{1, 1, 1}, deadline: 10,
			scripts: [][]parley.Action{{offer(0), accept}, {accept, accept}, {offer(2)}},
			reason:  parley.ReasonAgreement, agreement: 2, steps: 5, rounds: 2, party: 1,
			utils: []float64{0.3, 0.7, 1}, disc2: []float64{0.3, 0.7, 1}},
		{name: "deadline gives reservation discounted at t=1", parties: [][]float64{u0, u1}, rv: []float64{0.2, 0.4}, disc: []float64{0.5, 1}, deadline: 3,
			scripts: [][]parley.Action{{offer(0)}, {offer(3)}},
			reason:  parley.ReasonDeadline, agreement: parley.NoOutcome, steps: 6, rounds: 3, party: -1,
			utils: []float64{0.2, 0.4}, disc2: []float64{0.1, 0.4}},
		{name: "walk away", parties: [][]float64{u0, u1}, rv: []float64{0.2, 0.4}, disc: []float64{1, 1}, deadline: 3,
			scripts: [][]parley.Action{{offer(0)}, {end}},
			reason:  parley.ReasonWalkAway, agreement: parley.NoOutcome, steps: 2, rounds: 1, party: 1,
			utils: []float64{0.2, 0.4}, disc2: []float64{0.2, 0.4}},
		{name: "accept with nothing on the table", parties: [][]float64{u0, u1}, rv: []float64{0, 0}, disc: []float64{1, 1}, deadline: 3,
			scripts: [][]parley.Action{{accept}, {end}},
			reason:  parley.ReasonError, agreement: parley.NoOutcome, steps: 1, rounds: 1, party: 0,
			utils: []float64{0, 0}, disc2: []float64{0, 0}, errHas: `party "A": accepted with no offer`},
		{name: "invalid offer", parties: [][]float64{u0, u1}, rv: []float64{0, 0}, disc: []float64{1, 1}, deadline: 3,
			scripts: [][]parley.Action{{offer(0)}, {offer(7)}},
			reason:  parley.ReasonError, agreement: parley.NoOutcome, steps: 2, rounds: 1, party: 1,
			utils: []float64{0, 0}, disc2: []float64{0, 0}, errHas: `party "B": invalid offer`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := tiny(t, tc.rv, tc.disc, tc.parties...)
			m, err := sao.New(ps, names(len(ps)), sao.Options{Deadline: tc.deadline})
			if err != nil {
				t.Fatal(err)
			}
			negs := make([]parley.Negotiator, len(ps))
			for i := range negs {
				negs[i] = &script{acts: tc.scripts[i]}
			}
			r, err := m.Run(context.Background(), negs, 1)
			if err != nil {
				t.Fatal(err)
			}
			if r.Reason != tc.reason || r.Agreement != tc.agreement || r.Steps != tc.steps || r.Rounds != tc.rounds || r.Party != tc.party {
				t.Fatalf("got reason %v agreement %d steps %d rounds %d party %d (err %v); want %v %d %d %d %d",
					r.Reason, r.Agreement, r.Steps, r.Rounds, r.Party, r.Err, tc.reason, tc.agreement, tc.steps, tc.rounds, tc.party)
			}
			for i := range tc.utils {
				if math.Abs(r.Utilities[i]-tc.utils[i]) > 1e-12 || math.Abs(r.Discounted[i]-tc.disc2[i]) > 1e-12 {
					t.Errorf("party %d: utility %v discounted %v, want %v %v", i, r.Utilities[i], r.Discounted[i], tc.utils[i], tc.disc2[i])
				}
			}
			if tc.errHas != "" && (r.Err == nil || !strings.Contains(r.Err.Error(), tc.errHas)) {
				t.Errorf("error %v, want it to contain %q", r.Err, tc.errHas)
			}
		})
	}
}

type panicky struct{ script }

func (p *panicky) Act(context.Context, *parley.State) (parley.Action, error) { panic("boom") }

type failing struct{ script }

func (f *failing) Act(context.Context, *parley.State) (parley.Action, error) {
	return parley.Action{}, errors.New("lost connection")
}

func TestFailingNegotiators(t *testing.T) {
	u := []float64{1, 0.5, 0.2, 0}
	tests := []struct {
		name   string
		neg    parley.Negotiator
		opts   sao.Options
		errHas string
	}{
		{"panic", &panicky{}, sao.Options{Deadline: 5}, `party "B": panic: boom`},
		{"error", &failing{}, sao.Options{Deadline: 5}, `party "B": lost connection`},
		{"panic with a turn timeout", &panicky{}, sao.Options{Deadline: 5, TurnTimeout: time.Hour}, `party "B": panic: boom`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := tiny(t, []float64{0, 0}, []float64{1, 1}, u, u)
			m, err := sao.New(ps, names(2), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			r, err := m.Run(context.Background(), []parley.Negotiator{&script{acts: []parley.Action{offer(0)}}, tc.neg}, 1)
			if err != nil {
				t.Fatal(err)
			}
			if r.Reason != parley.ReasonError || r.Party != 1 || r.Err == nil || !strings.Contains(r.Err.Error(), tc.errHas) {
				t.Fatalf("got %v party %d err %v; want error from party 1 containing %q", r.Reason, r.Party, r.Err, tc.errHas)
			}
			if r.Steps != 2 || r.Rounds != 1 || r.Time != 0.1 {
				t.Errorf("ended after %d steps, %d rounds at t = %v; want the failing turn's: 2, 1, 0.1", r.Steps, r.Rounds, r.Time)
			}
		})
	}
}

// TestPanicsAfterwards: after a seat's panic the reused mechanism runs the
// next negotiation in full, and a panic that is not a seat's (here the
// Trace callback's) is not taken for one: it goes up to the caller.
func TestPanicsAfterwards(t *testing.T) {
	u := []float64{1, 0.5, 0.2, 0}
	ps := tiny(t, []float64{0, 0}, []float64{1, 1}, u, u)
	tracePanics := false
	m, err := sao.New(ps, names(2), sao.Options{Deadline: 3, Trace: func(parley.Event) {
		if tracePanics {
			panic("trace")
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if r, err := m.Run(ctx, []parley.Negotiator{&script{acts: []parley.Action{offer(0)}}, &panicky{}}, 1); err != nil || r.Reason != parley.ReasonError {
		t.Fatalf("panicking seat: %v %v", r, err)
	}
	r, err := m.Run(ctx, []parley.Negotiator{&script{acts: []parley.Action{offer(0)}}, &script{acts: []parley.Action{offer(1)}}}, 2)
	if err != nil || r.Reason != parley.ReasonDeadline || r.Steps != 6 || r.Err != nil {
		t.Fatalf("the next run: %+v %v; want the deadline after 6 steps", r, err)
	}
	tracePanics = true
	defer func() {
		if p := recover(); p != "trace" {
			t.Errorf("recovered %v, want the Trace callback's panic", p)
		}
	}()
	r, err = m.Run(ctx, []parley.Negotiator{&script{acts: []parley.Action{offer(0)}}, &script{acts: []parley.Action{offer(1)}}}, 3)
	t.Errorf("Run returned %+v %v after its Trace callback panicked", r, err)
}

// randomOfferer offers random outcomes from its seeded stream and accepts
// with probability 0.05.
type randomOfferer struct{ s *parley.Session }

func (r *randomOfferer) Init(_ context.Context, s *parley.Session) error { r.s = s; return nil }
func (r *randomOfferer) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if st.Standing != parley.NoOutcome && r.s.Rand.Float64() < 0.05 {
		return parley.AcceptAction(), nil
	}
	return parley.OfferOf(parley.Outcome(r.s.Rand.IntN(r.s.Profile.Space.Size()))), nil
}

func TestSameSeedSameTrace(t *testing.T) {
	u := []float64{1, 0.5, 0.2, 0}
	ps := tiny(t, []float64{0, 0, 0}, []float64{1, 1, 1}, u, u, u)
	trace := func(seed uint64) string {
		var b strings.Builder
		m, err := sao.New(ps, names(3), sao.Options{Deadline: 50, Trace: func(e parley.Event) { fmt.Fprintf(&b, "%+v\n", e) }})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Run(context.Background(), []parley.Negotiator{&randomOfferer{}, &randomOfferer{}, &randomOfferer{}}, seed); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	a, b, c := trace(7), trace(7), trace(8)
	if a != b {
		t.Fatal("same seed gave different traces")
	}
	if a == c {
		t.Fatal("different seeds gave the same trace")
	}
}

func TestOptionsValidate(t *testing.T) {
	ps := tiny(t, []float64{0, 0}, []float64{1, 1}, []float64{1, 0, 0, 0}, []float64{1, 0, 0, 0})
	if _, err := sao.New(ps, names(2), sao.Options{}); err == nil || !strings.Contains(err.Error(), "no deadline") {
		t.Fatalf("zero options: got %v", err)
	}
	if _, err := sao.New(ps[:1], names(1), sao.Options{Deadline: 3}); err == nil {
		t.Fatal("one party accepted")
	}
}

func TestRoundsAllocateNothing(t *testing.T) {
	u := []float64{1, 0.5, 0.2, 0}
	ps := tiny(t, []float64{0, 0}, []float64{1, 0.9}, u, u)
	runAllocs := func(deadline int) float64 {
		m, err := sao.New(ps, names(2), sao.Options{Deadline: deadline})
		if err != nil {
			t.Fatal(err)
		}
		negs := []parley.Negotiator{&script{acts: []parley.Action{offer(0)}}, &script{acts: []parley.Action{offer(3)}}}
		return testing.AllocsPerRun(20, func() {
			if r, _ := m.Run(context.Background(), negs, 1); r.Reason != parley.ReasonDeadline {
				t.Fatal("expected the deadline")
			}
		})
	}
	short, long := runAllocs(10), runAllocs(1000)
	if long != short {
		t.Fatalf("a 1000-round run allocates %v times, a 10-round run %v: rounds allocate", long, short)
	}
}

// failInit is a negotiator whose Init fails.
type failInit struct{}

func (failInit) Init(context.Context, *parley.Session) error { return errors.New("cannot start") }
func (failInit) Act(context.Context, *parley.State) (parley.Action, error) {
	return parley.EndAction(), nil
}

// TestFailedStartPaysReservation: a negotiation that fails at Init pays
// every party its reservation value at the opening time (with its offset
// on a longer clock), discounted there, not 0.
func TestFailedStartPaysReservation(t *testing.T) {
	u := []float64{1, 0.5, 0.2, 0}
	ps := tiny(t, []float64{0.75, 0.4}, []float64{0.5, 0.9}, u, u)
	for _, tc := range []struct {
		opts sao.Options
		t    float64
	}{
		{sao.Options{Deadline: 10}, 0},
		{sao.Options{Deadline: 10, RoundOffset: 10, TotalRounds: 40}, 0.25},
	} {
		m, err := sao.New(ps, names(2), tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.Run(context.Background(), []parley.Negotiator{failInit{}, failInit{}}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if res.Reason != parley.ReasonError || res.Party != 0 || res.Err == nil {
			t.Fatalf("result %+v, want an error by party 0", res)
		}
		for i, p := range ps {
			if res.Utilities[i] != p.Reservation || math.Abs(res.Discounted[i]-p.Reservation*math.Pow(p.Discount, tc.t)) > 1e-12 {
				t.Errorf("offset %d: party %d paid %v (discounted %v), want its reservation value %v discounted at t = %v",
					tc.opts.RoundOffset, i, res.Utilities[i], res.Discounted[i], p.Reservation, tc.t)
			}
		}
	}
}
