package mediated_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/ufun"
)

// voter is a function-field fake Voter.
type voter struct {
	init func(s *parley.Session) error
	vote func(st *parley.State) (parley.Vote, error)
}

func (v *voter) Init(_ context.Context, s *parley.Session) error {
	if v.init == nil {
		return nil
	}
	return v.init(s)
}

func (v *voter) Vote(_ context.Context, st *parley.State) (parley.Vote, error) { return v.vote(st) }

// climber accepts a proposal at least as good as the text for p, and the
// final text iff p.Acceptable.
func climber(p *parley.Profile) *voter {
	return &voter{vote: func(st *parley.State) (parley.Vote, error) {
		if st.Final {
			return parley.Vote{Accept: p.Acceptable(st.Text, st.Time)}, nil
		}
		return parley.Vote{Accept: !p.Vetoed(st.Standing) && p.Utility.Utility(st.Standing) >= p.Utility.Utility(st.Text)}, nil
	}}
}

// yes accepts everything.
func yes() *voter {
	return &voter{vote: func(*parley.State) (parley.Vote, error) { return parley.Vote{Accept: true}, nil }}
}

// script is a mediator that proposes props in order, then the text.
type script struct {
	props []parley.Outcome
	init  func(s *parley.Session) error
	seen  []parley.State // copies of the states it was shown (Votes cloned)
}

func (m *script) Init(_ context.Context, s *parley.Session) error {
	if m.init != nil {
		return m.init(s)
	}
	return nil
}

func (m *script) Propose(_ context.Context, st *parley.State) (parley.Outcome, error) {
	c := *st
	c.Votes = append([]parley.Vote(nil), st.Votes...)
	m.seen = append(m.seen, c)
	if st.Round < len(m.props) {
		return m.props[st.Round], nil
	}
	return st.Text, nil
}

// adopter is a script whose Adopt says yes or no.
type adopter struct {
	script
	yes bool
}

func (m *adopter) Adopt(context.Context, *parley.State) bool { return m.yes }

// caller is a script that calls the final vote after round at.
type caller struct {
	script
	at []int
}

func (m *caller) CallVote(_ context.Context, st *parley.State) bool {
	for _, r := range m.at {
		if r == st.Round {
			return true
		}
	}
	return false
}

func twoIssue(t *testing.T) (*parley.OutcomeSpace, []*parley.Profile) {
	t.Helper()
	return parleytest.TwoIssue()
}

func run(t *testing.T, ps []*parley.Profile, med *parley.Profile, opts mediated.Options, vs []mediated.Voter, m mediated.Mediator) *parley.Result {
	t.Helper()
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	mech, err := mediated.New(ps, names, med, opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := mech.Run(context.Background(), vs, m, 1)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestRules checks which proposals become the text under each rule, on the
// buyer-seller scenario of parleytest.TwoIssue (outcome = 2·price +
// delivery; buyer .6 1 .3 .7 0 .4, seller .2 0 .6 .4 1 .8).
func TestRules(t *testing.T) {
	third := func(ps []*parley.Profile) []*parley.Profile {
		b := *ps[0]
		b.Name = "buyer2"
		return append(ps, &b)
	}
	tests := []struct {
		name    string
		three   bool
		opts    mediated.Options
		props   []parley.Outcome
		med     func(props []parley.Outcome) mediated.Mediator
		reason  parley.Reason
		agreed  parley.Outcome
		utils   []float64
		rounds  int
		sellerR float64
	}{
		// 0 → 3 (both gain: .6→.7, .2→.4); 1 is vetoed by the seller (.4→0),
		// 5 by the buyer (.7→.4): the text stays 3.
		{name: "unanimous", props: []parley.Outcome{3, 1, 5}, reason: parley.ReasonAgreement, agreed: 3, utils: []float64{0.7, 0.4}, rounds: 3},
		// 1 is good for both buyers and bad for the seller: 2 of 3.
		{name: "majority adopts 2 of 3", three: true, opts: mediated.Options{Rule: parley.RuleMajority}, props: []parley.Outcome{1},
			reason: parley.ReasonAgreement, agreed: 1, utils: []float64{1, 0, 1}, rounds: 1},
		{name: "unanimity blocks 2 of 3", three: true, props: []parley.Outcome{1},
			reason: parley.ReasonAgreement, agreed: 0, utils: []float64{0.6, 0.2, 0.6}, rounds: 1},
		{name: "mediator adopts", opts: mediated.Options{Rule: parley.RuleMediator}, props: []parley.Outcome{1},
			med:    func(p []parley.Outcome) mediated.Mediator { return &adopter{script: script{props: p}, yes: true} },
			reason: parley.ReasonAgreement, agreed: 1, utils: []float64{1, 0}, rounds: 1},
		{name: "mediator declines", opts: mediated.Options{Rule: parley.RuleMediator}, props: []parley.Outcome{1},
			med:    func(p []parley.Outcome) mediated.Mediator { return &adopter{script: script{props: p}} },
			reason: parley.ReasonAgreement, agreed: 0, utils: []float64{0.6, 0.2}, rounds: 1},
		{name: "mediator rule without Adopt is unanimity", opts: mediated.Options{Rule: parley.RuleMediator}, props: []parley.Outcome{1},
			reason: parley.ReasonAgreement, agreed: 0, utils: []float64{0.6, 0.2}, rounds: 1},
		{name: "adopter ignored under unanimity", props: []parley.Outcome{1},
			med:    func(p []parley.Outcome) mediated.Mediator { return &adopter{script: script{props: p}, yes: true} },
			reason: parley.ReasonAgreement, agreed: 0, utils: []float64{0.6, 0.2}, rounds: 1},
		// The seller's reservation .5 rejects the final text 3 (.4).
		{name: "final vote fails", props: []parley.Outcome{3}, sellerR: 0.5,
			reason: parley.ReasonDeadline, agreed: parley.NoOutcome, utils: []float64{0, 0.5}, rounds: 1},
		{name: "no final vote: last adopted text", opts: mediated.Options{NoFinalVote: true}, props: []parley.Outcome{3}, sellerR: 0.5,
			reason: parley.ReasonAgreement, agreed: 3, utils: []float64{0.7, 0.4}, rounds: 1},
		{name: "no final vote: nothing adopted", opts: mediated.Options{NoFinalVote: true}, props: []parley.Outcome{1, 5},
			reason: parley.ReasonDeadline, agreed: parley.NoOutcome, utils: []float64{0, 0}, rounds: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, ps := twoIssue(t)
			if tc.three {
				ps = third(ps)
			}
			ps[1].Reservation = tc.sellerR
			opts := tc.opts
			opts.Rounds = len(tc.props)
			opts.Start, opts.HasStart = 0, true
			vs := make([]mediated.Voter, len(ps))
			for i, p := range ps {
				vs[i] = climber(p)
			}
			var m mediated.Mediator = &script{props: tc.props}
			if tc.med != nil {
				m = tc.med(tc.props)
			}
			res := run(t, ps, nil, opts, vs, m)
			if res.Reason != tc.reason || res.Agreement != tc.agreed || res.Rounds != tc.rounds || res.Party != -1 {
				t.Fatalf("got %v on %d in %d rounds (party %d, err %v); want %v on %d in %d", res.Reason, res.Agreement, res.Rounds, res.Party, res.Err, tc.reason, tc.agreed, tc.rounds)
			}
			for i, u := range tc.utils {
				if math.Abs(res.Utilities[i]-u) > 1e-12 {
					t.Errorf("utility %d = %v, want %v", i, res.Utilities[i], u)
				}
			}
		})
	}
}

// TestMediatorView checks what the mediator sees: the text, its previous
// proposal as Standing, and the votes on it.
func TestMediatorView(t *testing.T) {
	_, ps := twoIssue(t)
	m := &script{props: []parley.Outcome{3, 1, 5}}
	var sess *parley.Session
	m.init = func(s *parley.Session) error { sess = s; return nil }
	run(t, ps, nil, mediated.Options{Rounds: 3, Start: 0, HasStart: true}, []mediated.Voter{climber(ps[0]), climber(ps[1])}, m)
	if sess.Party != -1 || sess.Protocol != "mediated" || sess.Deadline != 3 || sess.Declared != nil ||
		sess.Profile == nil || sess.Profile.Space == ps[0].Space || !sameSpace(sess.Profile.Space, ps[0].Space) || sess.Profile.Utility.Utility(3) != 0 || !reflect.DeepEqual(sess.Names, []string{"buyer", "seller"}) {
		t.Fatalf("mediator session %+v", sess)
	}
	want := []struct {
		text, standing parley.Outcome
		votes          []bool
	}{
		{0, parley.NoOutcome, []bool{false, false}},
		{3, 3, []bool{true, true}},
		{3, 1, []bool{true, false}},
	}
	for r, w := range want {
		st := m.seen[r]
		got := []bool{st.Votes[0].Accept, st.Votes[1].Accept}
		if st.Text != w.text || st.Standing != w.standing || !reflect.DeepEqual(got, w.votes) || st.Me != -1 || st.Round != r {
			t.Errorf("round %d: text %d standing %d votes %v me %d; want %d %d %v", r, st.Text, st.Standing, got, st.Me, w.text, w.standing, w.votes)
		}
	}
}

func TestTrace(t *testing.T) {
	_, ps := twoIssue(t)
	var evs []parley.Event
	opts := mediated.Options{Rounds: 2, TotalRounds: 4, RoundOffset: 1, Start: 0, HasStart: true, Trace: func(e parley.Event) { evs = append(evs, e) }}
	run(t, ps, nil, opts, []mediated.Voter{climber(ps[0]), climber(ps[1])}, &script{props: []parley.Outcome{3, 1}})
	want := []parley.Event{
		{Step: 0, Round: 0, Time: 0.25, Party: -1, Action: parley.Offer, Outcome: 3},
		{Step: 1, Round: 0, Time: 0.25, Party: 0, Action: parley.Accept, Outcome: 3},
		{Step: 2, Round: 0, Time: 0.25, Party: 1, Action: parley.Accept, Outcome: 3},
		{Step: 3, Round: 1, Time: 0.5, Party: -1, Action: parley.Offer, Outcome: 1},
		{Step: 4, Round: 1, Time: 0.5, Party: 0, Action: parley.Accept, Outcome: 1},
		{Step: 5, Round: 1, Time: 0.5, Party: 1, Action: parley.Reject, Outcome: 1},
		{Step: 6, Round: 2, Time: 0.75, Party: 0, Action: parley.Accept, Outcome: 3},
		{Step: 7, Round: 2, Time: 0.75, Party: 1, Action: parley.Accept, Outcome: 3},
	}
	if !reflect.DeepEqual(evs, want) {
		t.Fatalf("trace\n%v\nwant\n%v", evs, want)
	}
}

// TestRedLines: accepting one's own red line is an error, in a round or in
// the final vote; a text adopted by majority across a red line is never an
// agreement.
func TestRedLines(t *testing.T) {
	veto := []parley.ValueRef{{Issue: 0, Value: 2}} // price = high: outcomes 4, 5
	t.Run("accepting a vetoed proposal", func(t *testing.T) {
		_, ps := twoIssue(t)
		ps[0].Vetoes = veto
		res := run(t, ps, nil, mediated.Options{Rounds: 3, Start: 0, HasStart: true}, []mediated.Voter{yes(), yes()}, &script{props: []parley.Outcome{3, 5}})
		if res.Reason != parley.ReasonError || res.Party != 0 || res.Rounds != 2 || !strings.Contains(res.Err.Error(), `party "buyer": accepted an outcome that crosses its own red line`) {
			t.Fatalf("%v party %d rounds %d: %v", res.Reason, res.Party, res.Rounds, res.Err)
		}
	})
	t.Run("accepting a vetoed final text", func(t *testing.T) {
		_, ps := twoIssue(t)
		ps[1].Vetoes = veto
		// The seller votes yes to everything but the proposal; the start
		// text 4 crosses its red line, and it accepts it at the end.
		v := &voter{vote: func(st *parley.State) (parley.Vote, error) { return parley.Vote{Accept: st.Final}, nil }}
		res := run(t, ps, nil, mediated.Options{Rounds: 1, Start: 4, HasStart: true}, []mediated.Voter{yes(), v}, &script{props: []parley.Outcome{0}})
		if res.Reason != parley.ReasonError || res.Party != 1 || !strings.Contains(res.Err.Error(), "red line") {
			t.Fatalf("%v party %d: %v", res.Reason, res.Party, res.Err)
		}
	})
	for _, final := range []bool{true, false} {
		t.Run("majority across a red line, final vote "+map[bool]string{true: "on", false: "off"}[final], func(t *testing.T) {
			_, ps := twoIssue(t)
			b := *ps[0]
			b.Name = "buyer2"
			ps = append(ps, &b)
			ps[1].Vetoes = []parley.ValueRef{{Issue: 1, Value: 1}} // the seller vetoes fast delivery
			vs := []mediated.Voter{climber(ps[0]), climber(ps[1]), climber(ps[2])}
			res := run(t, ps, nil, mediated.Options{Rounds: 1, Rule: parley.RuleMajority, NoFinalVote: !final, Start: 0, HasStart: true}, vs, &script{props: []parley.Outcome{1}})
			if res.Reason != parley.ReasonDeadline || res.Agreement != parley.NoOutcome {
				t.Fatalf("%v on %d: %v", res.Reason, res.Agreement, res.Err)
			}
		})
	}
}

func TestLocked(t *testing.T) {
	_, ps := twoIssue(t)
	vs := []mediated.Voter{yes(), yes()}
	// delivery locked at slow (start 0): 2 (mid, slow) is fine, 3 (mid,
	// fast) changes delivery.
	res := run(t, ps, nil, mediated.Options{Rounds: 3, Locked: []int{1}, Start: 0, HasStart: true}, vs, &script{props: []parley.Outcome{2, 3}})
	if res.Reason != parley.ReasonError || res.Party != -1 || res.Rounds != 2 || !strings.Contains(res.Err.Error(), `mediator: proposal changes locked issue "delivery"`) {
		t.Fatalf("%v party %d rounds %d: %v", res.Reason, res.Party, res.Rounds, res.Err)
	}
	res = run(t, ps, nil, mediated.Options{Rounds: 3, Locked: []int{1}, Start: 0, HasStart: true}, vs, &script{props: []parley.Outcome{2, 4}})
	if res.Reason != parley.ReasonAgreement || res.Agreement != 4 {
		t.Fatalf("%v on %d: %v", res.Reason, res.Agreement, res.Err)
	}
}

func TestHazard(t *testing.T) {
	hold := func() mediated.Mediator { return &script{} } // always proposes the text: no progress
	t.Run("voter walks away after the window", func(t *testing.T) {
		_, ps := twoIssue(t)
		ps[1].Hazard = 1
		var evs []parley.Event
		res := run(t, ps, nil, mediated.Options{Rounds: 10, HazardWindow: 2, Start: 0, HasStart: true, Trace: func(e parley.Event) { evs = append(evs, e) }},
			[]mediated.Voter{yes(), yes()}, hold())
		// Rounds 0 and 1 pass; at round 2, 2 rounds without progress.
		if res.Reason != parley.ReasonWalkAway || res.Party != 1 || res.Rounds != 3 || res.Time != 0.2 {
			t.Fatalf("%v party %d rounds %d t %v", res.Reason, res.Party, res.Rounds, res.Time)
		}
		if last := evs[len(evs)-1]; last.Party != 1 || last.Action != parley.End || last.Round != 2 {
			t.Errorf("last event %+v", last)
		}
	})
	t.Run("mediator steps back", func(t *testing.T) {
		_, ps := twoIssue(t)
		med := &parley.Profile{Name: "US", Space: ps[0].Space, Utility: ps[0].Utility, Hazard: 1}
		res := run(t, ps, med, mediated.Options{Rounds: 10, Start: 0, HasStart: true}, []mediated.Voter{yes(), yes()}, hold())
		if res.Reason != parley.ReasonMediatorExit || res.Party != -1 || res.Rounds != 6 {
			t.Fatalf("%v party %d rounds %d", res.Reason, res.Party, res.Rounds)
		}
	})
	t.Run("progress resets the window", func(t *testing.T) {
		_, ps := twoIssue(t)
		ps[0].Hazard, ps[1].Hazard = 1, 1
		// 0 → 2 → 5 → 4 improves the seller every round... and the buyer
		// never: the buyer walks away at round 2.
		res := run(t, ps, nil, mediated.Options{Rounds: 3, HazardWindow: 2, Start: 0, HasStart: true}, []mediated.Voter{yes(), yes()}, &script{props: []parley.Outcome{2, 5, 4}})
		if res.Reason != parley.ReasonWalkAway || res.Party != 0 || res.Rounds != 3 {
			t.Fatalf("%v party %d rounds %d", res.Reason, res.Party, res.Rounds)
		}
	})
	t.Run("geometric with a seed", func(t *testing.T) {
		_, ps := twoIssue(t)
		ps[0].Hazard = 0.5
		m, err := mediated.New(ps, []string{"b", "s"}, nil, mediated.Options{Rounds: 100, HazardWindow: 2, Start: 0, HasStart: true})
		if err != nil {
			t.Fatal(err)
		}
		const N = 4000
		sum := 0.0
		for seed := range uint64(N) {
			res, _ := m.Run(context.Background(), []mediated.Voter{yes(), yes()}, hold(), seed)
			again, _ := m.Run(context.Background(), []mediated.Voter{yes(), yes()}, hold(), seed)
			if res.Reason != parley.ReasonWalkAway || again.Rounds != res.Rounds {
				t.Fatalf("seed %d: %v in %d, then %d rounds", seed, res.Reason, res.Rounds, again.Rounds)
			}
			sum += float64(res.Rounds - 1)
		}
		// The walk-away round is 2 + a geometric number of failures with
		// p = 0.5: mean 2 + (1-p)/p = 3, standard error √2/√N ≈ 0.022.
		if mean := sum / N; math.Abs(mean-3) > 0.1 {
			t.Errorf("mean walk-away round %v, want 3", mean)
		}
	})
}

func TestMediatorExitAndLeave(t *testing.T) {
	_, ps := twoIssue(t)
	ps[0].Drift = -0.5
	ps[0].Reservation = 0.5
	ps[0].Discount = 0.5
	exit := &script{props: []parley.Outcome{3, 3, 3, parley.NoOutcome}}
	res := run(t, ps, nil, mediated.Options{Rounds: 10, Start: 0, HasStart: true}, []mediated.Voter{yes(), yes()}, exit)
	// At round 3, t = 0.3: r(t) = 0.5 - 0.5·0.3 = 0.35, discounted 0.35·0.5^0.3.
	if res.Reason != parley.ReasonMediatorExit || res.Party != -1 || res.Rounds != 4 || res.Agreement != parley.NoOutcome ||
		math.Abs(res.Utilities[0]-0.35) > 1e-12 || math.Abs(res.Discounted[0]-0.35*math.Pow(0.5, 0.3)) > 1e-12 {
		t.Fatalf("%+v", res)
	}
	leave := &voter{vote: func(st *parley.State) (parley.Vote, error) { return parley.Vote{Leave: st.Round == 2}, nil }}
	res = run(t, ps, nil, mediated.Options{Rounds: 10, Start: 0, HasStart: true}, []mediated.Voter{yes(), leave}, &script{})
	if res.Reason != parley.ReasonWalkAway || res.Party != 1 || res.Rounds != 3 {
		t.Fatalf("%v party %d rounds %d", res.Reason, res.Party, res.Rounds)
	}
}

// TestTime: the global clock, the end time and the reservation drift and
// discount at the end.
func TestTime(t *testing.T) {
	_, ps := twoIssue(t)
	ps[1].Reservation, ps[1].Drift, ps[1].Discount = 0.5, -0.1, 0.8
	var times []float64
	m := &script{}
	m.init = func(*parley.Session) error { return nil }
	v := &voter{vote: func(st *parley.State) (parley.Vote, error) {
		if st.Me == 0 {
			times = append(times, st.Time)
		}
		return parley.Vote{}, nil
	}}
	res := run(t, ps, nil, mediated.Options{Rounds: 80, RoundOffset: 40, TotalRounds: 120}, []mediated.Voter{v, v}, m)
	if len(times) != 81 || times[0] != 40.0/120 || times[79] != 119.0/120 || times[80] != 1 {
		t.Fatalf("%d votes, times %v .. %v", len(times), times[0], times[len(times)-1])
	}
	if res.Reason != parley.ReasonDeadline || res.Time != 1 || res.Rounds != 80 ||
		math.Abs(res.Utilities[1]-0.4) > 1e-12 || math.Abs(res.Discounted[1]-0.32) > 1e-12 {
		t.Fatalf("%+v", res)
	}
}

func TestCallVote(t *testing.T) {
	_, ps := twoIssue(t)
	ps[1].Reservation = 0.3
	// The vote called after round 0 on text 0 fails (seller .2 < .3) and
	// the run goes on; after round 1 the text is 3 (seller .4 ≥ .3) and
	// the vote called then passes, at t = 2/10.
	m := &caller{script: script{props: []parley.Outcome{0, 3}}, at: []int{0, 1}}
	res := run(t, ps, nil, mediated.Options{Rounds: 10, Start: 0, HasStart: true}, []mediated.Voter{climber(ps[0]), climber(ps[1])}, m)
	if res.Reason != parley.ReasonAgreement || res.Agreement != 3 || res.Rounds != 2 || res.Time != 0.2 {
		t.Fatalf("%+v", res)
	}
	res = run(t, ps, nil, mediated.Options{Rounds: 10, NoFinalVote: true, Start: 0, HasStart: true}, []mediated.Voter{climber(ps[0]), climber(ps[1])},
		&caller{script: script{props: []parley.Outcome{0, 3}}, at: []int{0, 1}})
	if res.Reason != parley.ReasonAgreement || res.Rounds != 10 {
		t.Fatalf("NoFinalVote must ignore CallVote: %+v", res)
	}
}

type panicker struct{ script }

func (p *panicker) Adopt(context.Context, *parley.State) bool { panic("adopt boom") }

type callPanicker struct{ script }

func (p *callPanicker) CallVote(context.Context, *parley.State) bool { panic("call boom") }

type lockPanicker struct{ script }

func (p *lockPanicker) Lock([]int) { panic("lock boom") }

func TestFailures(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name  string
		vs    func() []mediated.Voter
		m     func() mediated.Mediator
		rule  parley.Rule
		party int
		msg   string
	}{
		{"voter init", func() []mediated.Voter {
			return []mediated.Voter{yes(), &voter{init: func(*parley.Session) error { return boom }}}
		}, nil, 0, 1,
			`mediated: party "seller": init: boom`},
		{"voter error", func() []mediated.Voter {
			return []mediated.Voter{&voter{vote: func(*parley.State) (parley.Vote, error) { return parley.Vote{}, boom }}, yes()}
		}, nil, 0, 0, `mediated: party "buyer": boom`},
		{"voter panic", func() []mediated.Voter {
			return []mediated.Voter{yes(), &voter{vote: func(*parley.State) (parley.Vote, error) { panic("kaput") }}}
		}, nil, 0, 1, `mediated: party "seller": panic: kaput`},
		{"mediator init", nil, func() mediated.Mediator { return &script{init: func(*parley.Session) error { return boom }} }, 0, -1,
			"mediated: mediator: init: boom"},
		{"mediator init panic", nil, func() mediated.Mediator { return &script{init: func(*parley.Session) error { panic("kaput") }} }, 0, -1,
			"mediated: mediator: init: panic: kaput"},
		{"invalid proposal", nil, func() mediated.Mediator { return &script{props: []parley.Outcome{99}} }, 0, -1,
			"mediated: mediator: invalid proposal: outcome 99 outside the space of 6 outcomes"},
		{"negative proposal", nil, func() mediated.Mediator { return &script{props: []parley.Outcome{-7}} }, 0, -1,
			"mediated: mediator: invalid proposal"},
		{"adopt panic", func() []mediated.Voter { return []mediated.Voter{yes(), no()} },
			func() mediated.Mediator { return &panicker{script{props: []parley.Outcome{1}}} }, parley.RuleMediator, -1,
			"mediated: mediator: adopt: panic: adopt boom"},
		{"call vote panic", nil, func() mediated.Mediator { return &callPanicker{script{props: []parley.Outcome{1}}} }, 0, -1,
			"mediated: mediator: call vote: panic: call boom"},
		{"lock panic", nil, func() mediated.Mediator { return &lockPanicker{} }, 0, -1,
			"mediated: mediator: init: panic: lock boom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, ps := twoIssue(t)
			vs := []mediated.Voter{yes(), yes()}
			if tc.vs != nil {
				vs = tc.vs()
			}
			var m mediated.Mediator = &script{props: []parley.Outcome{3}}
			if tc.m != nil {
				m = tc.m()
			}
			res := run(t, ps, nil, mediated.Options{Rounds: 3, Rule: tc.rule, Start: 0, HasStart: true}, vs, m)
			if res.Reason != parley.ReasonError || res.Party != tc.party || res.Err == nil || !strings.Contains(res.Err.Error(), tc.msg) {
				t.Fatalf("%v party %d: %v; want party %d and %q", res.Reason, res.Party, res.Err, tc.party, tc.msg)
			}
			if len(res.Utilities) != 2 {
				t.Errorf("utilities %v", res.Utilities)
			}
		})
	}
	t.Run("propose panic", func(t *testing.T) {
		_, ps := twoIssue(t)
		res := run(t, ps, nil, mediated.Options{Rounds: 3}, []mediated.Voter{yes(), yes()}, proposePanic{})
		if res.Reason != parley.ReasonError || res.Party != -1 || !strings.Contains(res.Err.Error(), "mediated: mediator: panic: propose boom") {
			t.Fatalf("%v %v", res.Reason, res.Err)
		}
	})
	t.Run("misuse", func(t *testing.T) {
		_, ps := twoIssue(t)
		m, _ := mediated.New(ps, []string{"b", "s"}, nil, mediated.Options{Rounds: 3})
		if _, err := m.Run(context.Background(), []mediated.Voter{yes()}, &script{}, 1); err == nil {
			t.Error("one voter for two parties: no error")
		}
		if _, err := m.Run(context.Background(), []mediated.Voter{yes(), yes()}, nil, 1); err == nil {
			t.Error("no mediator: no error")
		}
		if _, err := m.Run(context.Background(), []mediated.Voter{yes(), nil}, &script{}, 1); err == nil {
			t.Error("nil voter: no error")
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		m, _ = mediated.New(ps, []string{"b", "s"}, nil, mediated.Options{Rounds: 1000})
		if _, err := m.Run(ctx, []mediated.Voter{yes(), yes()}, &script{}, 1); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled: %v", err)
		}
	})
}

type proposePanic struct{}

func (proposePanic) Init(context.Context, *parley.Session) error { return nil }
func (proposePanic) Propose(context.Context, *parley.State) (parley.Outcome, error) {
	panic("propose boom")
}

// no rejects every proposal and accepts the final text.
func no() *voter {
	return &voter{vote: func(st *parley.State) (parley.Vote, error) { return parley.Vote{Accept: st.Final}, nil }}
}

// randomMed proposes uniformly random outcomes from its session's stream.
type randomMed struct {
	r    interface{ IntN(int) int }
	size int
}

func (m *randomMed) Init(_ context.Context, s *parley.Session) error {
	m.r, m.size = s.Rand, s.Profile.Space.Size()
	return nil
}
func (m *randomMed) Propose(context.Context, *parley.State) (parley.Outcome, error) {
	return parley.Outcome(m.r.IntN(m.size)), nil
}

// coin accepts with probability 1/2 from its session's stream.
type coin struct {
	r interface{ Float64() float64 }
}

func (c *coin) Init(_ context.Context, s *parley.Session) error { c.r = s.Rand; return nil }
func (c *coin) Vote(_ context.Context, st *parley.State) (parley.Vote, error) {
	return parley.Vote{Accept: st.Final || c.r.Float64() < 0.5}, nil
}

func TestSameSeedSameTrace(t *testing.T) {
	_, ps := parleytest.Synthetic(t, 3, 4, 4, 3)
	ps[0].Hazard = 0.05
	trace := func(seed uint64) []parley.Event {
		var evs []parley.Event
		m, err := mediated.New(ps, []string{"a", "b"}, nil, mediated.Options{Rounds: 50, Trace: func(e parley.Event) { evs = append(evs, e) }})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Run(context.Background(), []mediated.Voter{&coin{}, &coin{}}, &randomMed{}, seed); err != nil {
			t.Fatal(err)
		}
		return evs
	}
	a, b, c := trace(7), trace(7), trace(8)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed, different traces")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("different seeds, same trace")
	}
}

// still proposes the text and votes yes without allocating.
type still struct{}

func (still) Init(context.Context, *parley.Session) error { return nil }
func (still) Propose(_ context.Context, st *parley.State) (parley.Outcome, error) {
	return parley.Outcome((int(st.Text) + 1) % 6), nil
}
func (still) Vote(_ context.Context, st *parley.State) (parley.Vote, error) {
	return parley.Vote{Accept: st.Round%3 != 0}, nil
}

// asker is a still mediator that also decides on adoption and is asked
// whether to call the vote, without allocating.
type asker struct{ still }

func (asker) Adopt(_ context.Context, st *parley.State) bool    { return st.Round%2 == 0 }
func (asker) CallVote(_ context.Context, st *parley.State) bool { return false }

func TestRoundsAllocateNothing(t *testing.T) {
	_, ps := twoIssue(t)
	ps[0].Hazard = 0.01
	for _, tc := range []struct {
		med  mediated.Mediator
		rule parley.Rule
	}{{still{}, parley.RuleMajority}, {asker{}, parley.RuleMediator}} {
		allocs := func(rounds int) float64 {
			m, err := mediated.New(ps, []string{"b", "s"}, nil, mediated.Options{Rounds: rounds, Rule: tc.rule})
			if err != nil {
				t.Fatal(err)
			}
			vs := []mediated.Voter{still{}, still{}}
			seed := uint64(0)
			return testing.AllocsPerRun(20, func() {
				seed++
				if _, err := m.Run(context.Background(), vs, tc.med, seed); err != nil {
					t.Fatal(err)
				}
			})
		}
		short, long := allocs(100), allocs(1000)
		if short != long || long > 5 {
			t.Errorf("%T: allocations per run: %v for 100 rounds, %v for 1000; want the same small number", tc.med, short, long)
		}
		t.Logf("%T: allocations per run: %v", tc.med, long)
	}
}

// TestDeclared checks what the mediator sees at each information level.
func TestDeclared(t *testing.T) {
	space, ps := parleytest.Synthetic(t, 5, 3, 4, 2, 3)
	get := func(info parley.Info, noise float64, seed uint64, ps []*parley.Profile) []*parley.Profile {
		var got []*parley.Profile
		m := &script{init: func(s *parley.Session) error { got = s.Declared; return nil }}
		mech, err := mediated.New(ps, []string{"a", "b"}, nil, mediated.Options{Rounds: 1, Info: info, Noise: noise})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mech.Run(context.Background(), []mediated.Voter{yes(), yes()}, m, seed); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if d := get(parley.InfoVotes, 0.3, 1, ps); d != nil {
		t.Errorf("info none: declared %v", d)
	}
	for _, tc := range []struct {
		info  parley.Info
		noise float64
	}{{parley.InfoFull, 0.3}, {parley.InfoDeclared, 0}} {
		d := get(tc.info, tc.noise, 1, ps)
		if len(d) != 2 || !sameProfile(d[0], ps[0]) || !sameProfile(d[1], ps[1]) {
			t.Errorf("info %v noise %v: not the true profiles", tc.info, tc.noise)
		}
		if len(d) == 2 && (d[0] == ps[0] || d[1] == ps[1]) {
			t.Errorf("info %v noise %v: the mediator got the profiles the mechanism scores with, not copies", tc.info, tc.noise)
		}
	}
	d1, d1b, d2 := get(parley.InfoDeclared, 0.2, 1, ps), get(parley.InfoDeclared, 0.2, 1, ps), get(parley.InfoDeclared, 0.2, 2, ps)
	dev := 0.0
	for o := range parley.Outcome(space.Size()) {
		for a := range 2 {
			u := d1[a].Utility.Utility(o)
			if u < 0 || u > 1 || u != d1b[a].Utility.Utility(o) {
				t.Fatalf("declared utility %v, again %v", u, d1b[a].Utility.Utility(o))
			}
			dev += math.Abs(u - ps[a].Utility.Utility(o))
		}
	}
	if d1[0] == ps[0] || !sameSpace(d1[0].Space, space) {
		t.Error("declared profile is not a perturbed copy")
	}
	if d1[0].Utility.Utility(5) == d2[0].Utility.Utility(5) {
		t.Error("the noise does not depend on the seed")
	}
	if dev == 0 {
		t.Error("no noise")
	}
	// Linear-additive profiles stay linear-additive: the frontier of the
	// declared profiles is built by Minkowski sums.
	rep, err := analysis.Analyze(d1[0].Space, d1)
	if err != nil || rep.Method != analysis.Minkowski {
		t.Fatalf("analysis of declared profiles: %v, method %v", err, rep.Method)
	}
	// Non-additive profiles are perturbed outcome by outcome.
	_, two := parleytest.TwoIssue()
	d := get(parley.InfoDeclared, 0.1, 3, two)
	same := 0
	for o := range parley.Outcome(6) {
		u := d[1].Utility.Utility(o)
		if u < 0 || u > 1 {
			t.Fatalf("utility %v", u)
		}
		if u == two[1].Utility.Utility(o) {
			same++
		}
	}
	if same > 2 {
		t.Errorf("%d of 6 utilities unperturbed", same)
	}
}

func TestOptionsAndNew(t *testing.T) {
	_, ps := twoIssue(t)
	bad := []mediated.Options{
		{},
		{Rounds: -1},
		{Rounds: 10, RoundOffset: -1},
		{Rounds: 10, RoundOffset: 5, TotalRounds: 12},
		{Rounds: 10, Rule: 7},
		{Rounds: 10, Info: 9},
		{Rounds: 10, Noise: -0.1},
		{Rounds: 10, Noise: math.NaN()},
		{Rounds: 10, HazardWindow: -2},
		{Rounds: 10, Start: 6, HasStart: true},
		{Rounds: 10, Locked: []int{2}},
		{Rounds: 10, Locked: []int{1, 1}},
	}
	for _, o := range bad {
		if _, err := mediated.New(ps, []string{"b", "s"}, nil, o); err == nil || !strings.HasPrefix(err.Error(), "mediated: ") {
			t.Errorf("%+v: error %v", o, err)
		}
	}
	if _, err := mediated.New(ps[:1], []string{"b"}, nil, mediated.Options{Rounds: 1}); err == nil {
		t.Error("one party: no error")
	}
	if _, err := mediated.New(ps, []string{"b"}, nil, mediated.Options{Rounds: 1}); err == nil {
		t.Error("one name: no error")
	}
	other, _ := parleytest.Synthetic(t, 1, 2, 2)
	if _, err := mediated.New(ps, []string{"b", "s"}, &parley.Profile{Space: other, Utility: ps[0].Utility}, mediated.Options{Rounds: 1}); err == nil {
		t.Error("mediator over another space: no error")
	}
}

// seenVotes records what the mediator is shown of the votes.
type seenVotes struct {
	accepts []int
}

func (s *seenVotes) Init(context.Context, *parley.Session) error { return nil }
func (s *seenVotes) Propose(_ context.Context, st *parley.State) (parley.Outcome, error) {
	n := st.Accepts
	for _, v := range st.Votes {
		if v.Accept {
			n += 100
		}
	}
	s.accepts = append(s.accepts, n)
	return parley.Outcome(len(s.accepts) % 2), nil
}

// With parley.InfoNothing the mediator sees no votes; with parley.InfoVotes it does.
func TestInfoNothingHidesVotes(t *testing.T) {
	for _, tc := range []struct {
		info parley.Info
		seen bool
	}{{parley.InfoVotes, true}, {parley.InfoNothing, false}} {
		_, ps := parleytest.TwoIssue()
		m, err := mediated.New(ps, []string{"A", "B"}, nil, mediated.Options{Rounds: 5, Info: tc.info, Start: 0, HasStart: true, NoFinalVote: true})
		if err != nil {
			t.Fatal(err)
		}
		med := &seenVotes{}
		yes := func() mediated.Voter {
			return &voter{vote: func(*parley.State) (parley.Vote, error) { return parley.Vote{Accept: true}, nil }}
		}
		if _, err := m.Run(context.Background(), []mediated.Voter{yes(), yes()}, med, 1); err != nil {
			t.Fatal(err)
		}
		saw := false
		for _, n := range med.accepts[1:] {
			saw = saw || n > 0
		}
		if saw != tc.seen {
			t.Errorf("info %v: mediator saw votes %v, want %v (%v)", tc.info, saw, tc.seen, med.accepts)
		}
	}
}

// sameProfile reports whether a is a copy of b: the same name, values and
// (shared, immutable) utility function.
// sameSpace reports whether a and b are the same space, as copies are: the
// same issues, values and outcomes.
func sameSpace(a, b *parley.OutcomeSpace) bool {
	return a.Size() == b.Size() && reflect.DeepEqual(a.Issues, b.Issues)
}

func sameProfile(a, b *parley.Profile) bool {
	return a.Name == b.Name && a.Utility == b.Utility && sameSpace(a.Space, b.Space) && a.Reservation == b.Reservation &&
		a.Discount == b.Discount && a.Drift == b.Drift && a.Hazard == b.Hazard &&
		fmt.Sprint(a.Vetoes, a.Ratification) == fmt.Sprint(b.Vetoes, b.Ratification)
}

// TestDeclaredCapsAtOne: a GENIUS profile whose weights sum above 1 has its
// utility capped at 1; a declared (noisy) copy of it is capped the same way.
func TestDeclaredCapsAtOne(t *testing.T) {
	// 30×30 outcomes, of which only the best one sums above 1 (to 1.0001),
	// so that a check on a few samples cannot notice the cap.
	vals := make([]string, 30)
	ev := make([]float64, 30)
	for k := range vals {
		vals[k], ev[k] = fmt.Sprint(k), 1-math.Abs(float64(k-15))/15 // best at 15
	}
	space, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "x", Values: vals}, {Name: "y", Values: vals}})
	if err != nil {
		t.Fatal(err)
	}
	u, err := ufun.NewLinearAdditiveAsWritten(space, []float64{0.5, 0.5001}, [][]float64{ev, ev}, 0)
	if err != nil {
		t.Fatal(err)
	}
	ps := []*parley.Profile{{Name: "a", Space: space, Utility: u}, {Name: "b", Space: space, Utility: u}}
	var got []*parley.Profile
	m := &script{init: func(s *parley.Session) error { got = s.Declared; return nil }}
	mech, err := mediated.New(ps, []string{"a", "b"}, nil, mediated.Options{Rounds: 1, Info: parley.InfoDeclared, Noise: 1e-300})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mech.Run(context.Background(), []mediated.Voter{yes(), yes()}, m, 1); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("declared %v", got)
	}
	for o := range parley.Outcome(space.Size()) {
		if d, w := got[0].Utility.Utility(o), u.Utility(o); math.Abs(d-w) > 1e-12 {
			t.Errorf("outcome %d: declared %v, true %v", o, d, w)
		}
	}
}

// unlocker rewrites the list of locked issues it is handed, then proposes
// a change to issue 0, which is locked.
type unlocker struct{ space *parley.OutcomeSpace }

func (u *unlocker) Lock(issues []int) {
	for i := range issues {
		issues[i] = 1
	}
}

func (u *unlocker) Init(_ context.Context, s *parley.Session) error {
	u.space = s.Profile.Space
	return nil
}

func (u *unlocker) Propose(_ context.Context, st *parley.State) (parley.Outcome, error) {
	vals := u.space.Decode(st.Text, nil)
	vals[0] = (vals[0] + 1) % u.space.Issues[0].Size()
	return u.space.Encode(vals)
}

// TestLockedIssuesAreTheMechanisms: a mediator that rewrites the list of
// locked issues it is given (Locker) cannot unlock one.
func TestLockedIssuesAreTheMechanisms(t *testing.T) {
	_, ps := twoIssue(t)
	res := run(t, ps, nil, mediated.Options{Rounds: 3, Locked: []int{0}}, []mediated.Voter{yes(), yes()}, &unlocker{})
	if res.Reason != parley.ReasonError || res.Err == nil || !strings.Contains(res.Err.Error(), "locked issue") {
		t.Fatalf("result %+v (%v), want the mediator's change of a locked issue refused", res, res.Err)
	}
}

// TestStepsCountTheTrace: Result.Steps are the turns taken, the traced
// actions (texts, votes, a walk-away, the mediator's exit), and the turn
// that failed when the run ends in error, as in protocol sao.
func TestStepsCountTheTrace(t *testing.T) {
	boom := errors.New("boom")
	leave := func() *voter {
		return &voter{vote: func(st *parley.State) (parley.Vote, error) { return parley.Vote{Leave: st.Round == 2}, nil }}
	}
	fail := func() *voter {
		return &voter{vote: func(st *parley.State) (parley.Vote, error) {
			if st.Round == 1 {
				return parley.Vote{}, boom
			}
			return parley.Vote{}, nil
		}}
	}
	never := func() *voter {
		return &voter{vote: func(*parley.State) (parley.Vote, error) { return parley.Vote{}, nil }}
	}
	for _, tc := range []struct {
		name   string
		vs     []mediated.Voter
		m      mediated.Mediator
		reason parley.Reason
		failed int // turns that failed, untraced
	}{
		{"agreement", []mediated.Voter{yes(), yes()}, &script{props: []parley.Outcome{3}}, parley.ReasonAgreement, 0},
		{"deadline", []mediated.Voter{never(), never()}, &script{props: []parley.Outcome{3, 3, 3, 3, 3}}, parley.ReasonDeadline, 0},
		{"walk-away", []mediated.Voter{yes(), leave()}, &script{}, parley.ReasonWalkAway, 0},
		{"mediator exit", []mediated.Voter{no(), no()}, &script{props: []parley.Outcome{3, 3, parley.NoOutcome}}, parley.ReasonMediatorExit, 0},
		{"error", []mediated.Voter{yes(), fail()}, &script{}, parley.ReasonError, 1},
	} {
		_, ps := twoIssue(t)
		traced := 0
		res := run(t, ps, nil, mediated.Options{Rounds: 5, Start: 0, HasStart: true, Trace: func(parley.Event) { traced++ }}, tc.vs, tc.m)
		if res.Reason != tc.reason || res.Steps != traced+tc.failed {
			t.Errorf("%s: %v after %d steps, %d traced actions", tc.name, res.Reason, res.Steps, traced)
		}
	}
}

// failAt is a mediator that proposes outcome 3 every round and, at round
// at (of the final vote when final is set; after round at for CallVote
// when call is set), fails in the call named by where: by panicking, or by
// returning an error where the call can return one. Voters fail through
// failVoter.
type failAt struct {
	where     string // "propose", "adopt", "call" or "" (never)
	at        int
	panics    bool
	callAfter int // calls the final vote after this round (-1: never)
}

func (f *failAt) Init(context.Context, *parley.Session) error { return nil }
func (f *failAt) Propose(_ context.Context, st *parley.State) (parley.Outcome, error) {
	if f.where == "propose" && st.Round == f.at {
		if f.panics {
			panic("boom")
		}
		return 0, errors.New("boom")
	}
	return 3, nil
}
func (f *failAt) Adopt(_ context.Context, st *parley.State) bool {
	if f.where == "adopt" && st.Round == f.at {
		panic("boom")
	}
	return false
}
func (f *failAt) CallVote(_ context.Context, st *parley.State) bool {
	if f.where == "call" && st.Round == f.at {
		panic("boom")
	}
	return st.Round == f.callAfter
}

// failVoter rejects every proposal and the final text, failing (by a panic
// or an error) when it votes in round at, in a final vote or not as final
// says.
func failVoter(at int, final, panics bool) *voter {
	return &voter{vote: func(st *parley.State) (parley.Vote, error) {
		if st.Round == at && st.Final == final {
			if panics {
				panic("boom")
			}
			return parley.Vote{}, errors.New("boom")
		}
		return parley.Vote{}, nil
	}}
}

// TestSeatPanics: a seat that panics in one of its calls during the rounds
// (the mediator's Propose, Adopt or CallVote, a voter's Vote, in a round,
// a called vote or the final vote) ends the run with parley.ReasonError
// naming it, at that call: the step, round and time of the call, as the
// error it could have returned does (compared whole where the call can
// return one).
func TestSeatPanics(t *testing.T) {
	for _, tc := range []struct {
		name   string
		med    func(panics bool) *failAt
		voter  func(panics bool) *voter // the second voter
		rule   parley.Rule
		hasErr bool // the call can return an error instead
		party  int
		msg    string
		steps  int
		rounds int
		time   float64
	}{
		{"propose", func(p bool) *failAt { return &failAt{where: "propose", at: 1, panics: p, callAfter: -1} }, nil, 0, true,
			-1, `mediated: mediator: panic: boom`, 4, 2, 1.0 / 3},
		{"vote", nil, func(p bool) *voter { return failVoter(1, false, p) }, 0, true,
			1, `mediated: party "seller": panic: boom`, 6, 2, 1.0 / 3},
		{"vote in a called vote", func(bool) *failAt { return &failAt{callAfter: 0} }, func(p bool) *voter { return failVoter(0, true, p) }, 0, true,
			1, `mediated: party "seller": panic: boom`, 5, 1, 1.0 / 3},
		{"vote in the final vote", nil, func(p bool) *voter { return failVoter(3, true, p) }, 0, true,
			1, `mediated: party "seller": panic: boom`, 11, 4, 1},
		{"adopt", func(bool) *failAt { return &failAt{where: "adopt", at: 1, callAfter: -1} }, nil, parley.RuleMediator, false,
			-1, `mediated: mediator: adopt: panic: boom`, 6, 2, 1.0 / 3},
		{"call vote", func(bool) *failAt { return &failAt{where: "call", at: 1, callAfter: -1} }, nil, 0, false,
			-1, `mediated: mediator: call vote: panic: boom`, 6, 2, 1.0 / 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mk := func(panics bool) *parley.Result {
				_, ps := twoIssue(t)
				med := &failAt{callAfter: -1}
				if tc.med != nil {
					med = tc.med(panics)
				}
				v := failVoter(-1, false, panics)
				if tc.voter != nil {
					v = tc.voter(panics)
				}
				return run(t, ps, nil, mediated.Options{Rounds: 3, Rule: tc.rule, Start: 0, HasStart: true}, []mediated.Voter{no(), v}, med)
			}
			r := mk(true)
			if r.Reason != parley.ReasonError || r.Party != tc.party || r.Err == nil || r.Err.Error() != tc.msg {
				t.Fatalf("%v party %d: %v; want party %d and %q", r.Reason, r.Party, r.Err, tc.party, tc.msg)
			}
			if r.Steps != tc.steps || r.Rounds != tc.rounds || math.Abs(r.Time-tc.time) > 1e-12 {
				t.Errorf("ended after %d steps, %d rounds at t = %v; want %d, %d, %v", r.Steps, r.Rounds, r.Time, tc.steps, tc.rounds, tc.time)
			}
			if !tc.hasErr {
				return
			}
			e := mk(false)
			if want := strings.Replace(tc.msg, "panic: ", "", 1); e.Err == nil || e.Err.Error() != want {
				t.Fatalf("the failing call's error %v, want %q", e.Err, want)
			}
			r.Err, e.Err = nil, nil
			if !reflect.DeepEqual(r, e) {
				t.Errorf("panic ended the run with\n%+v\nan error with\n%+v", r, e)
			}
		})
	}
}

// TestPanicsAfterwards: after a seat's panic the reused mechanism runs the
// next run in full, and a panic that is not a seat's (here the Trace
// callback's) is not taken for one: it goes up to the caller.
func TestPanicsAfterwards(t *testing.T) {
	_, ps := twoIssue(t)
	tracePanics := false
	m, err := mediated.New(ps, []string{"buyer", "seller"}, nil, mediated.Options{Rounds: 3, Rule: parley.RuleMediator, Start: 0, HasStart: true,
		Trace: func(parley.Event) {
			if tracePanics {
				panic("trace")
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, panicky := range []struct {
		name string
		v    mediated.Voter
		med  mediated.Mediator
	}{
		{"propose", no(), &failAt{where: "propose", at: 1, panics: true, callAfter: -1}},
		{"vote", failVoter(1, false, true), &failAt{callAfter: -1}},
		{"adopt", no(), &failAt{where: "adopt", at: 0, callAfter: -1}},
		{"call vote", no(), &failAt{where: "call", at: 2, callAfter: -1}},
	} {
		if r, err := m.Run(ctx, []mediated.Voter{no(), panicky.v}, panicky.med, 1); err != nil || r.Reason != parley.ReasonError {
			t.Fatalf("%s panics: %+v %v", panicky.name, r, err)
		}
		r, err := m.Run(ctx, []mediated.Voter{no(), no()}, &failAt{callAfter: -1}, 2)
		if err != nil || r.Reason != parley.ReasonAgreement || r.Steps != 11 || r.Rounds != 3 || r.Err != nil {
			t.Fatalf("the run after the %s panic: %+v %v; want an agreement in the final vote after 11 steps", panicky.name, r, err)
		}
	}
	tracePanics = true
	defer func() {
		if p := recover(); p != "trace" {
			t.Errorf("recovered %v, want the Trace callback's panic", p)
		}
	}()
	r, err := m.Run(ctx, []mediated.Voter{no(), no()}, &failAt{callAfter: -1}, 3)
	t.Errorf("Run returned %+v %v after its Trace callback panicked", r, err)
}
