package staged_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/staged"
)

// The test space: x in {a, b, c} by y in {p, q}; outcome = 2·x + y.
//
//	outcome  0    1    2    3    4    5
//	(x, y)   a,p  a,q  b,p  b,q  c,p  c,q
//	A        1    .8   .6   .5   .2   0
//	B        0    .3   .5   .7   .8   1
//	M        .2   .4   .9   1    .5   .3
//
// A and B have reservation 0.4 and discount 0.9 and 0.8; M (a mediator)
// reservation 0.1, no discounting.
func fixture(t testing.TB) ([]*parley.Profile, []string) {
	t.Helper()
	sp, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "x", Values: []string{"a", "b", "c"}}, {Name: "y", Values: []string{"p", "q"}}})
	if err != nil {
		t.Fatal(err)
	}
	table := func(u ...float64) parley.UtilityFunction {
		return parley.UtilityFunc(func(o parley.Outcome) float64 { return u[o] })
	}
	return []*parley.Profile{
		{Name: "A", Space: sp, Utility: table(1, .8, .6, .5, .2, 0), Reservation: 0.4, Discount: 0.9},
		{Name: "B", Space: sp, Utility: table(0, .3, .5, .7, .8, 1), Reservation: 0.4, Discount: 0.8},
		{Name: "M", Space: sp, Utility: table(.2, .4, .9, 1, .5, .3), Reservation: 0.1},
	}, []string{"A", "B", "M"}
}

// script plays a fixed list of actions (repeating the last) and records
// the times it was asked at.
type script struct {
	acts  []parley.Action
	i     int
	inits int
	times []float64
	sess  []parley.Session
}

func (s *script) Init(_ context.Context, sess *parley.Session) error {
	s.inits++
	s.sess = append(s.sess, *sess)
	return nil
}

func (s *script) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	s.times = append(s.times, st.Time)
	a := s.acts[min(s.i, len(s.acts)-1)]
	s.i++
	return a, nil
}

func offers(os ...int) []parley.Action {
	var as []parley.Action
	for _, o := range os {
		switch o {
		case -1:
			as = append(as, parley.AcceptAction())
		case -2:
			as = append(as, parley.EndAction())
		default:
			as = append(as, parley.OfferOf(parley.Outcome(o)))
		}
	}
	return as
}

// hill accepts a proposal at least as good as the text for it, and in the
// final vote a text it finds acceptable; it records what it saw.
type hill struct {
	p     *parley.Profile
	times []float64
	texts []parley.Outcome
	leave int // round at which to leave, or -1
}

func (h *hill) Init(_ context.Context, s *parley.Session) error {
	h.p = s.Profile
	return nil
}

func (h *hill) Vote(_ context.Context, st *parley.State) (parley.Vote, error) {
	h.times, h.texts = append(h.times, st.Time), append(h.texts, st.Text)
	if !st.Final && st.Round == h.leave {
		return parley.Vote{Leave: true}, nil
	}
	if st.Final {
		return parley.Vote{Accept: h.p.Acceptable(st.Text, st.Time)}, nil
	}
	u := h.p.Utility.Utility
	return parley.Vote{Accept: !h.p.Vetoed(st.Standing) && u(st.Standing) >= u(st.Text)}, nil
}

// proposer proposes a fixed list of outcomes (repeating the last; -1 steps
// back) and records its session, the locked issues and the texts it saw.
type proposer struct {
	props  []int
	i      int
	sess   parley.Session
	locked []int
	texts  []parley.Outcome
}

func (m *proposer) Init(_ context.Context, s *parley.Session) error {
	m.sess, m.i, m.texts = *s, 0, nil
	return nil
}

func (m *proposer) Lock(issues []int) { m.locked = append([]int(nil), issues...) }

func (m *proposer) Propose(_ context.Context, st *parley.State) (parley.Outcome, error) {
	m.texts = append(m.texts, st.Text)
	o := m.props[min(m.i, len(m.props)-1)]
	m.i++
	if o < 0 {
		return parley.NoOutcome, nil
	}
	return parley.Outcome(o), nil
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func seatsFor(negs map[int]*script, voters map[int]*hill, med mediated.Mediator) staged.Seats {
	s := staged.Seats{Negotiators: make([]parley.Negotiator, 3), Voters: make([]mediated.Voter, 3), Mediator: med}
	for i, n := range negs {
		s.Negotiators[i] = n
	}
	for i, v := range voters {
		s.Voters[i] = v
	}
	return s
}

func saoStage(name string, rounds int) parley.Stage {
	return parley.Stage{Name: name, Participants: []int{0, 1}, Mediator: -1, Mechanism: parley.MechanismAlternatingOffers, Rounds: rounds}
}

func mediatedStage(name string, rounds int) parley.Stage {
	return parley.Stage{Name: name, Participants: []int{0, 1}, Mediator: 2, Mechanism: parley.MechanismMediated, Rounds: rounds}
}

// TestTwoStages traces a bilateral stage then a mediated one by hand.
//
// Stage 1 (SAO, 4 rounds of 8 in all): A offers 0, 2, 2, 2; B offers 5, 3,
// 3, 3. Offers acceptable to both (u ≥ 0.4): 2 (A .6, B .5; Nash product
// .2·.1 = .02) and 3 (A .5, B .7; .1·.3 = .03): 3 is carried over.
// Stage 2 (mediated, rounds 4..7): the text starts at 3; M proposes 2
// (B rejects: .5 < .7), 1 (B rejects), 3, 3 (both accept, the text stays
// 3). Final vote at t = 8/8 = 1 on 3: both accept. A gets .5 (discounted
// .5·0.9), B .7 (.7·0.8), M, outside both stages' votes, 1.
func TestTwoStages(t *testing.T) {
	ps, names := fixture(t)
	a := &script{acts: offers(0, 2, 2, 2)}
	b := &script{acts: offers(5, 3, 3, 3)}
	va, vb := &hill{leave: -1}, &hill{leave: -1}
	med := &proposer{props: []int{2, 1, 3, 3}}
	bil := saoStage("bilateral", 4)
	bil.Carry = parley.CarryBestAcceptable
	plan := staged.Plan{Stages: []parley.Stage{bil, mediatedStage("mediated", 4)}}
	res, err := staged.Run(context.Background(), ps, names, plan, seatsFor(map[int]*script{0: a, 1: b}, map[int]*hill{0: va, 1: vb}, med), 1)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Agreed() || res.Agreement != 3 || res.Reason != parley.ReasonAgreement || !res.Ratified {
		t.Fatalf("result %+v, want a ratified agreement on 3", res)
	}
	if res.Stage != 1 || res.StageName != "mediated" || res.Rounds != 8 || res.Time != 1 || res.Party != -1 {
		t.Errorf("stage %d %q, rounds %d, time %v, party %d; want 1 mediated 8 1 -1", res.Stage, res.StageName, res.Rounds, res.Time, res.Party)
	}
	// 8 turns in stage 1; 4 proposals, 8 votes and 2 final votes in stage 2.
	if res.Steps != 8+14 {
		t.Errorf("steps %d, want 22", res.Steps)
	}
	for i, w := range []struct{ u, d float64 }{{.5, .5 * .9}, {.7, .7 * .8}, {1, 1}} {
		if !near(res.Utilities[i], w.u) || !near(res.Discounted[i], w.d) {
			t.Errorf("%s: utility %v discounted %v, want %v %v", names[i], res.Utilities[i], res.Discounted[i], w.u, w.d)
		}
	}
	// One clock: stage 1's turn s is at s/16, stage 2's round r at (4+r)/8.
	for k, tt := range a.times {
		if want := float64(2*k) / 16; !near(tt, want) {
			t.Errorf("A's turn %d at t = %v, want %v", k, tt, want)
		}
	}
	wantTimes := []float64{4. / 8, 5. / 8, 6. / 8, 7. / 8, 1}
	if fmt.Sprint(va.times) != fmt.Sprint(wantTimes) {
		t.Errorf("A's votes at %v, want %v", va.times, wantTimes)
	}
	if fmt.Sprint(med.texts) != "[3 3 3 3]" || med.sess.Profile.Name != ps[2].Name || med.sess.Profile == ps[2] || fmt.Sprint(med.sess.Names) != "[A B]" {
		t.Errorf("mediator saw texts %v, profile %v, names %v", med.texts, med.sess.Profile.Name, med.sess.Names)
	}
	if a.inits != 1 || len(a.sess) != 1 || a.sess[0].Deadline != 4 || fmt.Sprint(a.sess[0].Names) != "[A B]" {
		t.Errorf("A's sessions %+v", a.sess)
	}
}

// TestStallThenSAO: a stage stalls, and the second stage's agreement is
// discounted on the global clock.
//
// Stage 1 (6 rounds, stall:2): A always offers 0 and B 5, so only round 0
// brings progress; at the start of round 3 no progress for rounds 1 and 2
// moves the run on (A's End there is the stall, 7 turns in all). Stage 2
// (4 rounds) starts at global round 3 of 10: A offers 2, B accepts at its
// first turn, step 1: t = (3·2 + 1)/(10·2) = 0.35.
func TestStallThenSAO(t *testing.T) {
	ps, names := fixture(t)
	a := &script{acts: offers(0, 0, 0, 2)}
	b := &script{acts: offers(5, 5, 5, -1)}
	s1 := saoStage("talks", 6)
	s1.Transition = parley.Transition{Kind: parley.TransitionStall, K: 2}
	plan := staged.Plan{Stages: []parley.Stage{s1, saoStage("again", 4)}}
	var events []string
	plan.Trace = func(k int, e parley.Event) {
		events = append(events, fmt.Sprintf("%d:%d%s%d", k, e.Party, e.Action, e.Outcome))
	}
	res, err := staged.Run(context.Background(), ps, names, plan, seatsFor(map[int]*script{0: a, 1: b}, nil, nil), 1)
	if err != nil {
		t.Fatal(err)
	}
	if res.Agreement != 2 || res.Reason != parley.ReasonAgreement || res.Stage != 1 || res.Party != 1 {
		t.Fatalf("result %+v", res)
	}
	if res.Rounds != 4 || res.Steps != 9 || !near(res.Time, 0.35) {
		t.Errorf("rounds %d steps %d time %v, want 4 9 0.35", res.Rounds, res.Steps, res.Time)
	}
	for i, w := range []struct{ u, d float64 }{{.6, .6 * math.Pow(.9, .35)}, {.5, .5 * math.Pow(.8, .35)}, {.9, .9}} {
		if !near(res.Utilities[i], w.u) || !near(res.Discounted[i], w.d) {
			t.Errorf("%s: utility %v discounted %v, want %v %v", names[i], res.Utilities[i], res.Discounted[i], w.u, w.d)
		}
	}
	want := "0:0offer0 0:1offer5 0:0offer0 0:1offer5 0:0offer0 0:1offer5 0:0walk_away-1 1:0offer2 1:1accept2"
	if got := strings.Join(events, " "); got != want {
		t.Errorf("trace\n%s\nwant\n%s", got, want)
	}
}

// TestPartialIssues: the latest offers agree on y = p, so y is locked in
// the mediated stage, whose text starts at the best acceptable offer.
//
// Stage 1 (2 rounds): A offers 2 (b,p), B 4 (c,p), A 2, B 4. Only 2 is
// acceptable to both (A .6, B .5). Stage 2: the text starts at 2, y is
// locked. M proposes 2 (kept) and both accept 2 in the final vote; or
// M proposes 3 (b,q), which changes y: a mediator error.
func TestPartialIssues(t *testing.T) {
	ps, names := fixture(t)
	a := &script{acts: offers(2)}
	b := &script{acts: offers(4)}
	s1 := saoStage("talks", 2)
	s1.Carry = parley.CarryPartialIssues
	for _, tc := range []struct {
		props []int
		cause parley.Reason
	}{{[]int{2}, parley.ReasonAgreement}, {[]int{3}, parley.ReasonError}} {
		a.i, b.i = 0, 0
		med := &proposer{props: tc.props}
		va, vb := &hill{leave: -1}, &hill{leave: -1}
		plan := staged.Plan{Stages: []parley.Stage{s1, mediatedStage("mediation", 2)}}
		res, err := staged.Run(context.Background(), ps, names, plan, seatsFor(map[int]*script{0: a, 1: b}, map[int]*hill{0: va, 1: vb}, med), 3)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(med.locked) != "[1]" || fmt.Sprint(res.Locked) != "[1]" || med.texts[0] != 2 {
			t.Errorf("locked %v, result locked %v, first text %v; want [1] [1] 2", med.locked, res.Locked, med.texts)
		}
		if tc.cause == parley.ReasonError {
			if res.Reason != parley.ReasonError || res.Party != 2 || res.Err == nil || !strings.Contains(res.Err.Error(), `locked issue "y"`) {
				t.Errorf("cause %s party %d err %v, want the mediator's error", res.Reason, res.Party, res.Err)
			}
			continue
		}
		if res.Reason != parley.ReasonAgreement || res.Agreement != 2 {
			t.Errorf("cause %s agreement %v, want agreement on 2", res.Reason, res.Agreement)
		}
	}
}

// TestStartText: a carried text, a reference, or with carry none the mediated stage starts from a random
// text drawn from the seed, and with a reference from the reference.
func TestStartText(t *testing.T) {
	ps, names := fixture(t)
	s1 := saoStage("talks", 1)
	for _, tc := range []struct {
		name  string
		set   func(st *parley.Stage)
		carry parley.Carry
		check func(o parley.Outcome) bool
	}{
		{"carry", func(*parley.Stage) {}, parley.CarryBestAcceptable, func(o parley.Outcome) bool { return o == 3 }},
		{"reference", func(st *parley.Stage) {
			st.Start, st.Reference = parley.Start{Kind: parley.StartReference, Reference: "ref"}, 5
		}, parley.CarryBestAcceptable,
			func(o parley.Outcome) bool { return o == 5 }},
		{"nothing carried", func(*parley.Stage) {}, parley.CarryNone, func(o parley.Outcome) bool { return o >= 0 && o < 6 }},
	} {
		a, b := &script{acts: offers(3)}, &script{acts: offers(3)}
		med := &proposer{props: []int{-1}}
		s1.Carry = tc.carry
		s2 := mediatedStage("m", 1)
		tc.set(&s2)
		plan := staged.Plan{Stages: []parley.Stage{s1, s2}}
		res, err := staged.Run(context.Background(), ps, names, plan, seatsFor(map[int]*script{0: a, 1: b}, map[int]*hill{0: {leave: -1}, 1: {leave: -1}}, med), 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(med.texts) != 1 || !tc.check(med.texts[0]) {
			t.Errorf("%s: first text %v", tc.name, med.texts)
		}
		// The mediator stepped back in the last stage.
		if res.Reason != parley.ReasonMediatorExit || res.Party != 2 || res.Agreed() {
			t.Errorf("%s: cause %s party %d", tc.name, res.Reason, res.Party)
		}
		// No agreement: everyone gets r(t) at t = 1/2.
		for i, p := range ps {
			if !near(res.Utilities[i], p.Reservation) || !near(res.Discounted[i], p.Discounted(p.Reservation, 0.5)) {
				t.Errorf("%s: %s utility %v discounted %v", tc.name, names[i], res.Utilities[i], res.Discounted[i])
			}
		}
	}
}

// TestMediatorExitMovesOn: a mediator stepping back in the first stage
// hands over to the next; the carried text stands as the opening offer.
func TestMediatorExitMovesOn(t *testing.T) {
	ps, names := fixture(t)
	m1 := mediatedStage("m", 4)
	m1.Carry = parley.CarryBestAcceptable
	m1.Start, m1.Reference = parley.Start{Kind: parley.StartReference, Reference: "ref"}, 3
	a, b := &script{acts: offers(-1)}, &script{acts: offers(-1)}
	med := &proposer{props: []int{3, -1}}
	plan := staged.Plan{Stages: []parley.Stage{m1, saoStage("talks", 4)}}
	res, err := staged.Run(context.Background(), ps, names, plan,
		seatsFor(map[int]*script{0: a, 1: b}, map[int]*hill{0: {leave: -1}, 1: {leave: -1}}, med), 1)
	if err != nil {
		t.Fatal(err)
	}
	// Stage 1: round 0 keeps text 3, round 1 the mediator steps back (2
	// rounds used). Stage 2 opens with 3 standing: A and B accept it, in
	// round 2 of 8: t = (2·2 + 1)/16.
	if res.Agreement != 3 || res.Stage != 1 || res.Rounds != 3 || !near(res.Time, 5./16) {
		t.Errorf("agreement %v stage %d rounds %d time %v", res.Agreement, res.Stage, res.Rounds, res.Time)
	}
}

func TestWalkAway(t *testing.T) {
	ps, names := fixture(t)
	for _, tc := range []struct {
		p    float64
		want float64 // share of runs that reach stage 2
	}{{0, 0}, {1, 1}, {0.7, 0.7}} {
		s1 := saoStage("talks", 3)
		s1.OnWalkAwayNext = tc.p
		plan := staged.Plan{Stages: []parley.Stage{s1, saoStage("again", 3)}}
		const runs = 2000
		moved := 0
		for seed := range uint64(runs) {
			a, b := &script{acts: offers(0, 2)}, &script{acts: offers(-2, -1)}
			res, err := staged.Run(context.Background(), ps, names, plan, seatsFor(map[int]*script{0: a, 1: b}, nil, nil), seed)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case res.Reason == parley.ReasonWalkAway && res.Stage == 0 && res.Party == 1 && res.Rounds == 1:
			case res.Reason == parley.ReasonAgreement && res.Stage == 1 && res.Agreement == 2:
				moved++
			default:
				t.Fatalf("p %v seed %d: %+v", tc.p, seed, res)
			}
		}
		// Three standard errors of a binomial share at 2000 runs ≤ 0.034.
		if got := float64(moved) / runs; math.Abs(got-tc.want) > 0.035 {
			t.Errorf("p %v: %v of the runs moved on, want %v", tc.p, got, tc.want)
		}
	}
}

// TestAllRequest: a lone End is a request that stands in as a repeat of
// the party's latest offer; when both request in one round the stage
// moves on.
func TestAllRequest(t *testing.T) {
	ps, names := fixture(t)
	s1 := saoStage("talks", 6)
	s1.Transition = parley.Transition{Kind: parley.TransitionAllRequest}
	// Round 0: A offers 0, B offers 5. Round 1: A offers 1, B requests
	// (stands in as 5). Round 2: A offers 1, B offers 4. Round 3: A
	// requests (stands in as 1), B requests: on to stage 2 after 4 rounds.
	a := &script{acts: offers(0, 1, 1, -2, 2)}
	b := &script{acts: offers(5, -2, 4, -2, -1)}
	var events []string
	plan := staged.Plan{Stages: []parley.Stage{s1, saoStage("again", 2)},
		Trace: func(k int, e parley.Event) {
			events = append(events, fmt.Sprintf("%d:%d%s%d", k, e.Party, e.Action, e.Outcome))
		}}
	res, err := staged.Run(context.Background(), ps, names, plan, seatsFor(map[int]*script{0: a, 1: b}, nil, nil), 1)
	if err != nil {
		t.Fatal(err)
	}
	want := "0:0offer0 0:1offer5 0:0offer1 0:1offer5 0:0offer1 0:1offer4 0:0offer1 0:1walk_away-1 1:0offer2 1:1accept2"
	if got := strings.Join(events, " "); got != want {
		t.Errorf("trace\n%s\nwant\n%s", got, want)
	}
	if res.Agreement != 2 || res.Stage != 1 || res.Rounds != 5 {
		t.Errorf("%+v", res)
	}
	// A request before any offer of one's own stands in as one's best
	// outcome within one's red lines: A vetoes x = a, so (b, p).
	pv := *ps[0]
	pv.Vetoes = []parley.ValueRef{{Issue: 0, Value: 0}}
	ps2 := []*parley.Profile{&pv, ps[1], ps[2]}
	events = nil
	a, b = &script{acts: offers(-2, 2)}, &script{acts: offers(-1)}
	if _, err := staged.Run(context.Background(), ps2, names, plan, seatsFor(map[int]*script{0: a, 1: b}, nil, nil), 1); err != nil {
		t.Fatal(err)
	}
	if events[0] != "0:0offer2" {
		t.Errorf("first event %s, want A's best unvetoed outcome 2", events[0])
	}
}

// TestRatification: UA-style referendum with p = 0.5 on x = b.
func TestRatification(t *testing.T) {
	ps, names := fixture(t)
	pa := *ps[0]
	pa.Ratification = []parley.Ratification{{Value: parley.ValueRef{Issue: 0, Value: 1}, P: 0.5}}
	ps[0] = &pa
	plan := staged.Plan{Stages: []parley.Stage{saoStage("talks", 3)}}
	const runs = 4000
	ok := 0
	for seed := range uint64(runs) {
		a, b := &script{acts: offers(2)}, &script{acts: offers(-1)}
		res, err := staged.Run(context.Background(), ps, names, plan, seatsFor(map[int]*script{0: a, 1: b}, nil, nil), seed)
		if err != nil {
			t.Fatal(err)
		}
		// A signed agreement stays in Agreement; only a ratified one is
		// Agreed.
		if res.Agreement != 2 || res.Agreed() != res.Ratified {
			t.Fatalf("seed %d: %+v", seed, res)
		}
		switch {
		case res.Ratified && res.Reason == parley.ReasonAgreement && res.Utilities[0] == .6:
			ok++
		case !res.Ratified && res.Reason == parley.ReasonRatificationFailed && res.Utilities[0] == .4 && res.Utilities[2] == .1:
		default:
			t.Fatalf("seed %d: ratified %v cause %s utilities %v", seed, res.Ratified, res.Reason, res.Utilities)
		}
	}
	// 3 standard errors at 4000 runs: 0.024.
	if got := float64(ok) / runs; math.Abs(got-0.5) > 0.024 {
		t.Errorf("ratified %v of the runs, want 0.5", got)
	}
	// The same seed gives the same draw.
	r1, _ := staged.Run(context.Background(), ps, names, plan, seatsFor(map[int]*script{0: {acts: offers(2)}, 1: {acts: offers(-1)}}, nil, nil), 42)
	r2, _ := staged.Run(context.Background(), ps, names, plan, seatsFor(map[int]*script{0: {acts: offers(2)}, 1: {acts: offers(-1)}}, nil, nil), 42)
	if r1.Ratified != r2.Ratified {
		t.Error("ratification is not reproducible from the seed")
	}
}

// TestMediatedStall: the text stops improving and the stage moves on.
func TestMediatedStall(t *testing.T) {
	ps, names := fixture(t)
	m1 := mediatedStage("m", 10)
	m1.Transition = parley.Transition{Kind: parley.TransitionStall, K: 3}
	m1.Start, m1.Reference = parley.Start{Kind: parley.StartReference, Reference: "ref"}, 0
	m1.Carry = parley.CarryBestAcceptable
	// Round 0: text 0 (A 1, B 0); M proposes 2, which A rejects (.6 < 1).
	// M keeps proposing 2: no adoption, no progress. At the start of round
	// 3 (rounds 0..2 without progress) the stage moves on. Text 0 is not
	// acceptable to B, so nothing is carried: stage 2 opens at global
	// round 3 of 12 with an empty table; A offers 2 and B accepts.
	med := &proposer{props: []int{2}}
	a, b := &script{acts: offers(2)}, &script{acts: offers(-1)}
	plan := staged.Plan{Stages: []parley.Stage{m1, saoStage("talks", 2)}}
	res, err := staged.Run(context.Background(), ps, names, plan,
		seatsFor(map[int]*script{0: a, 1: b}, map[int]*hill{0: {leave: -1}, 1: {leave: -1}}, med), 1)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stage != 1 || len(med.texts) != 4 || res.Agreement != 2 || res.Rounds != 4 {
		t.Fatalf("stage %d, %d proposals; %+v", res.Stage, len(med.texts), res)
	}
	if !near(a.times[0], 3./12) || !near(res.Time, 7./24) {
		t.Errorf("stage 2 starts at t = %v, ends at %v; want 0.25 and 7/24", a.times[0], res.Time)
	}
}

func TestPlanErrors(t *testing.T) {
	ps, names := fixture(t)
	ok := func() staged.Plan {
		return staged.Plan{Stages: []parley.Stage{saoStage("a", 4), mediatedStage("b", 4)}}
	}
	for _, tc := range []struct {
		name string
		edit func(p *staged.Plan)
		want string
	}{
		{"no stages", func(p *staged.Plan) { p.Stages = nil }, "staged: no stages"},
		{"no mechanism", func(p *staged.Plan) { p.Stages[0].Mechanism = 0 }, `staged: stages[0]: stage "a": no mechanism (want alternating_offers or mediated)`},
		{"unknown mechanism", func(p *staged.Plan) { p.Stages[0].Mechanism = 9 }, `stages[0]: mechanism: stage "a": unknown mechanism Mechanism(9)`},
		{"one participant", func(p *staged.Plan) { p.Stages[0].Participants = []int{0} }, "1 participants, need at least 2"},
		{"unknown party", func(p *staged.Plan) { p.Stages[0].Participants = []int{0, 3} }, `participants[1]: stage "a": participant 2 is party 3, outside the 3 parties`},
		{"party twice", func(p *staged.Plan) { p.Stages[0].Participants = []int{1, 1} }, `party "B" listed twice (participants 1 and 2)`},
		{"no rounds", func(p *staged.Plan) { p.Stages[1].Rounds = 0 }, `stages[1]: rounds: stage "b": rounds 0, need at least 1`},
		{"stall never fires", func(p *staged.Plan) { p.Stages[0].Transition = parley.Transition{Kind: parley.TransitionStall, K: 4} }, "stall:4 can never fire in a stage of 4 rounds"},
		{"stall of zero", func(p *staged.Plan) { p.Stages[0].Transition = parley.Transition{Kind: parley.TransitionStall} }, "stall:0 can never fire: K must be at least 1 round"},
		{"all_request in mediation", func(p *staged.Plan) { p.Stages[1].Transition.Kind = parley.TransitionAllRequest }, "all_request is for alternating_offers stages"},
		{"unknown transition", func(p *staged.Plan) { p.Stages[1].Transition.Kind = 7 }, `unknown transition TransitionKind(7)`},
		{"unknown carry", func(p *staged.Plan) { p.Stages[1].Carry = 7 }, `unknown carry Carry(7)`},
		{"probability", func(p *staged.Plan) { p.Stages[0].OnWalkAwayNext = -0.5 }, "probability -0.5 outside [0,1]"},
		{"mediator participant", func(p *staged.Plan) { p.Stages[1].Mediator = 1 }, `mediator "B" is also participant 2`},
		{"mediator outside", func(p *staged.Plan) { p.Stages[1].Mediator = 9 }, "mediator is party 9"},
		{"random start in sao", func(p *staged.Plan) { p.Stages[0].Start.Kind = parley.StartRandom }, "start random is for mediated stages"},
		{"bad reference", func(p *staged.Plan) {
			p.Stages[1].Start, p.Stages[1].Reference = parley.Start{Kind: parley.StartReference, Reference: "far"}, 6
		}, "start reference:far: outcome 6 outside"},
		{"rule in sao", func(p *staged.Plan) { p.Stages[0].Rule = parley.RuleMajority }, "rule is for mediated stages"},
		{"unknown rule", func(p *staged.Plan) { p.Stages[1].Rule = 3 }, "unknown rule Rule(3)"},
		{"unknown info", func(p *staged.Plan) { p.Stages[1].Info = 5 }, "unknown info Info(5)"},
		{"negative noise", func(p *staged.Plan) { p.Stages[1].Noise = -1 }, "noise -1 outside [0,1]"},
		{"noise without declared info", func(p *staged.Plan) { p.Stages[1].Noise = 0.1 }, "noise is for info: declared"},
		{"hazard window", func(p *staged.Plan) { p.HazardWindow = -1 }, "hazard window -1 is negative"},
	} {
		p := ok()
		tc.edit(&p)
		_, err := staged.Run(context.Background(), ps, names, p, seatsFor(map[int]*script{0: {}, 1: {}}, map[int]*hill{0: {}, 1: {}}, &proposer{}), 1)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	p := ok()
	if _, err := staged.Run(context.Background(), ps, names, p, seatsFor(map[int]*script{0: {}}, map[int]*hill{0: {}, 1: {}}, &proposer{}), 1); err == nil ||
		!strings.Contains(err.Error(), `stage "a": party "B" has no negotiator`) {
		t.Errorf("missing negotiator: %v", err)
	}
	if _, err := staged.Run(context.Background(), ps, names, p, seatsFor(map[int]*script{0: {}, 1: {}}, map[int]*hill{0: {}}, &proposer{}), 1); err == nil ||
		!strings.Contains(err.Error(), `stage "b": party "B" has no voter`) {
		t.Errorf("missing voter: %v", err)
	}
	if _, err := staged.Run(context.Background(), ps, names, p, seatsFor(map[int]*script{0: {}, 1: {}}, map[int]*hill{0: {}, 1: {}}, nil), 1); err == nil ||
		!strings.Contains(err.Error(), `stage "b": no mediator`) {
		t.Errorf("missing mediator: %v", err)
	}
	if _, err := staged.Run(context.Background(), ps, names[:2], p, staged.Seats{}, 1); err == nil || !strings.Contains(err.Error(), "2 names for 3 parties") {
		t.Errorf("names: %v", err)
	}
	if p.Rounds() != 8 {
		t.Errorf("plan rounds %d", p.Rounds())
	}
}

// TestHazardWindow: Plan.HazardWindow reaches the stage's mechanism. A
// always walks away once it has seen no progress for the window, so with a
// window of 1 it leaves sooner than with the default (5).
func TestHazardWindow(t *testing.T) {
	ps, names := fixture(t)
	ps[0].Hazard = 1
	rounds := map[int]int{}
	for _, w := range []int{0, 1} {
		a, b := &script{acts: offers(0)}, &script{acts: offers(5)}
		plan := staged.Plan{Stages: []parley.Stage{saoStage("talks", 20)}, HazardWindow: w}
		res, err := staged.Run(context.Background(), ps, names, plan, seatsFor(map[int]*script{0: a, 1: b}, nil, nil), 1)
		if err != nil {
			t.Fatal(err)
		}
		if res.Reason != parley.ReasonWalkAway || res.Party != 0 {
			t.Fatalf("window %d: %s by %d, want A's walk-away", w, res.Reason, res.Party)
		}
		rounds[w] = res.Rounds
	}
	if rounds[1] >= rounds[0] {
		t.Errorf("A walked away in round %d with a window of 1, %d with the default", rounds[1], rounds[0])
	}
}

// TestStageSeedByName: a stage's random stream is keyed by its name, not
// its position, so the mediated stage "med" draws the same numbers when it
// opens the plan and when it follows direct talks, and a stage of another
// name draws others.
func TestStageSeedByName(t *testing.T) {
	ps, names := fixture(t)
	draws := func(stages ...parley.Stage) []uint64 {
		t.Helper()
		m := &proposer{props: []int{3}}
		negs := map[int]*script{0: {acts: offers(0)}, 1: {acts: offers(5)}}
		voters := map[int]*hill{0: {leave: -1}, 1: {leave: -1}}
		if _, err := staged.Run(context.Background(), ps, names, staged.Plan{Stages: stages}, seatsFor(negs, voters, m), 7); err != nil {
			t.Fatal(err)
		}
		if m.sess.Rand == nil {
			t.Fatal("the mediator's session has no random stream")
		}
		out := make([]uint64, 4)
		for i := range out {
			out[i] = m.sess.Rand.Uint64()
		}
		return out
	}
	first := draws(mediatedStage("med", 3))
	second := draws(saoStage("talks", 2), mediatedStage("med", 3))
	if fmt.Sprint(first) != fmt.Sprint(second) {
		t.Errorf("stage \"med\" drew %v first and %v after talks; want the same draws", first, second)
	}
	other := draws(saoStage("talks", 2), mediatedStage("other", 3))
	if fmt.Sprint(other) == fmt.Sprint(first) {
		t.Errorf("stages \"med\" and \"other\" drew the same numbers %v", first)
	}
}
