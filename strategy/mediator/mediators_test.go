package mediator_test

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/strategy/mediator"
)

// session returns a mediator session over space for n parties.
func session(space *parley.OutcomeSpace, n int, seed uint64) *parley.Session {
	names := make([]string, n)
	for i := range names {
		names[i] = string(rune('A' + i))
	}
	return &parley.Session{Party: -1, Names: names, Deadline: 100, Rand: rng.New(seed, 9),
		Profile: &parley.Profile{Name: "M", Space: space, Utility: parley.UtilityFunc(func(parley.Outcome) float64 { return 0 })}}
}

// changed returns the issues in which a and b differ.
func changed(space *parley.OutcomeSpace, a, b parley.Outcome) []int {
	var is []int
	for i := range space.Issues {
		if space.ValueIndex(a, i) != space.ValueIndex(b, i) {
			is = append(is, i)
		}
	}
	return is
}

func TestRandomMediator(t *testing.T) {
	space, _ := parleytest.Synthetic(t, 1, 3, 4, 2)
	m := mediator.NewRandom()
	m.Lock([]int{1})
	if err := m.Init(context.Background(), session(space, 2, 1)); err != nil {
		t.Fatal(err)
	}
	text, _ := space.Encode([]int{1, 2, 0})
	count := map[[2]int]int{}
	const N = 6000
	for range N {
		o, err := m.Propose(context.Background(), &parley.State{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		is := changed(space, text, o)
		if len(is) != 1 || is[0] == 1 {
			t.Fatalf("proposal %v changes issues %v of %v", space.Format(o), is, space.Format(text))
		}
		count[[2]int{is[0], space.ValueIndex(o, is[0])}]++
	}
	// Issue 0 or 2 with probability 1/2 each; issue 0's two other values
	// 1/4 each, issue 2's other value 1/2.
	want := map[[2]int]float64{{0, 0}: 0.25, {0, 2}: 0.25, {2, 1}: 0.5}
	if len(count) != len(want) {
		t.Fatalf("proposals %v", count)
	}
	for k, p := range want {
		if got := float64(count[k]) / N; math.Abs(got-p) > 0.03 {
			t.Errorf("issue %d value %d: %.3f, want %.2f", k[0], k[1], got, p)
		}
	}
}

func TestHillClimbNeighbourhood(t *testing.T) {
	space, _ := parleytest.Synthetic(t, 1, 3, 4, 2)
	m := mediator.NewHillClimb(true)
	if err := m.Init(context.Background(), session(space, 2, 1)); err != nil {
		t.Fatal(err)
	}
	text, _ := space.Encode([]int{1, 2, 0})
	st := &parley.State{Text: text}
	// 2 + 3 + 1 = 6 neighbours, each once, then the vote, once.
	seen := map[parley.Outcome]bool{}
	for k := range 6 {
		if m.CallVote(context.Background(), st) {
			t.Fatalf("vote called after %d of 6 neighbours", k)
		}
		o, _ := m.Propose(context.Background(), st)
		if len(changed(space, text, o)) != 1 || seen[o] {
			t.Fatalf("proposal %d: %v (seen %v)", k, space.Format(o), seen[o])
		}
		seen[o] = true
	}
	if !m.CallVote(context.Background(), st) || m.CallVote(context.Background(), st) {
		t.Error("want one early vote at the local optimum")
	}
	o, _ := m.Propose(context.Background(), st)
	if !seen[o] {
		t.Errorf("after the neighbourhood: %v", space.Format(o))
	}
	// A new text: a new neighbourhood.
	st.Text = o
	for range 6 {
		p, _ := m.Propose(context.Background(), st)
		if len(changed(space, o, p)) != 1 {
			t.Fatalf("%v is not a neighbour of %v", space.Format(p), space.Format(o))
		}
	}
	if !m.CallVote(context.Background(), st) {
		t.Error("no early vote at the second local optimum")
	}
	if mediator.NewHillClimb(false).CallVote(context.Background(), st) {
		t.Error("vote called without call=true")
	}
}

func TestAnnealAdopt(t *testing.T) {
	space, _ := parleytest.Synthetic(t, 1, 3, 4, 2)
	m := mediator.NewAnneal(0.5)
	if err := m.Init(context.Background(), session(space, 2, 4)); err != nil {
		t.Fatal(err)
	}
	one := []parley.Vote{{Accept: true}, {}}
	none := []parley.Vote{{}, {}}
	for _, tc := range []struct {
		votes []parley.Vote
		round int
		want  float64
	}{
		{one, 0, math.Exp(-1)},  // f = 1/2, T = .5
		{one, 50, math.Exp(-2)}, // T = .25
		{none, 0, math.Exp(-2)}, // f = 1
		{none, 100, 0},          // T = 0
		{[]parley.Vote{{Accept: true}, {Accept: true}}, 100, 1},
	} {
		const N = 20000
		yes := 0
		for range N {
			if m.Adopt(context.Background(), &parley.State{Votes: tc.votes, Round: tc.round}) {
				yes++
			}
		}
		if got := float64(yes) / N; math.Abs(got-tc.want) > 0.015 {
			t.Errorf("votes %v round %d: adopts %.3f, want %.3f", tc.votes, tc.round, got, tc.want)
		}
	}
}

// localOptimum reports whether no single-issue change of o is at least as
// good for every party and better for one.
func localOptimum(space *parley.OutcomeSpace, ps []*parley.Profile, o parley.Outcome) bool {
	vals := space.Decode(o, nil)
	for i := range space.Issues {
		for v := range space.Issues[i].Size() {
			if v == vals[i] {
				continue
			}
			w := append([]int(nil), vals...)
			w[i] = v
			p, _ := space.Encode(w)
			ge, gt := true, false
			for _, pr := range ps {
				a, b := pr.Utility.Utility(p), pr.Utility.Utility(o)
				ge = ge && a >= b-parley.Eps
				gt = gt || a > b+parley.Eps
			}
			if ge && gt {
				return false
			}
		}
	}
	return true
}

// TestLocalOptimum: with truthful hill-climbers and unanimity, the
// hill-climbing and feedback mediators stop at a point no single-issue
// change improves for everyone (mediation.md §1, note 2), and then call
// the final vote.
func TestLocalOptimum(t *testing.T) {
	for _, spec := range []string{"hillclimb:call=true", "feedback:call=true"} {
		f, err := mediator.ParseMediator(spec)
		if err != nil {
			t.Fatal(err)
		}
		for seed := range uint64(20) {
			space, ps := parleytest.Synthetic(t, seed, 4, 3, 5, 3, 2)
			m, err := mediated.New(ps, []string{"a", "b"}, nil, mediated.Options{Rounds: 400})
			if err != nil {
				t.Fatal(err)
			}
			var text parley.Outcome
			res, err := m.Run(context.Background(), []mediated.Voter{mediator.NewHillClimber(), mediator.NewHillClimber()}, f(), seed)
			if err != nil || res.Reason != parley.ReasonAgreement || res.Rounds == 400 {
				t.Fatalf("%s seed %d: %v in %d rounds, %v", spec, seed, res.Reason, res.Rounds, err)
			}
			text = res.Agreement
			if !localOptimum(space, ps, text) {
				t.Errorf("%s seed %d: %v is not a local optimum", spec, seed, space.Format(text))
			}
		}
	}
}

// TestFeedbackLearns: the feedback mediator proposes every missing value
// first, then learns and stops asking what it knows.
func TestFeedbackLearns(t *testing.T) {
	_, ps := parleytest.TwoIssue()
	var props []parley.Outcome
	m, err := mediated.New(ps, []string{"buyer", "seller"}, nil, mediated.Options{Rounds: 12, Start: 0, HasStart: true,
		Trace: func(e parley.Event) {
			if e.Party == -1 {
				props = append(props, e.Outcome)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), []mediated.Voter{mediator.NewHillClimber(), mediator.NewHillClimber()}, mediator.NewFeedback(false), 1)
	if err != nil || res.Agreement != 0 {
		t.Fatalf("%v on %v: %v", res.Reason, res.Agreement, res.Err)
	}
	// From (low, slow), every single-issue change hurts someone: 1, 2 and
	// 4 (in some order) are each proposed once and rejected; then it has
	// nothing left to try and holds the text.
	first := map[parley.Outcome]bool{}
	for _, o := range props[:3] {
		first[o] = true
	}
	if !reflect.DeepEqual(first, map[parley.Outcome]bool{1: true, 2: true, 4: true}) {
		t.Errorf("first proposals %v", props[:3])
	}
	for _, o := range props[3:] {
		if o != 0 {
			t.Errorf("proposals %v: want the text after the first three", props)
			break
		}
	}
}

func TestMediatorErrors(t *testing.T) {
	for _, m := range []mediator.Mediator{mediator.NewRandom(), mediator.NewHillClimb(false), mediator.NewAnneal(0), mediator.NewFeedback(false), mediator.NewNash()} {
		if _, err := m.Propose(context.Background(), &parley.State{}); err == nil {
			t.Errorf("%T: Propose before Init: no error", m)
		}
		if err := m.Init(context.Background(), &parley.Session{}); err == nil {
			t.Errorf("%T: Init without a profile: no error", m)
		}
	}
	space, _ := parleytest.Synthetic(t, 1, 3, 4, 2)
	s := session(space, 2, 1)
	s.Rand = nil
	if err := mediator.NewRandom().Init(context.Background(), s); err == nil {
		t.Error("no random stream: no error")
	}
	if err := mediator.NewAnneal(-1).Init(context.Background(), session(space, 2, 1)); err == nil {
		t.Error("negative temperature: no error")
	}
	h := mediator.NewHillClimb(false)
	h.Lock([]int{5})
	if err := h.Init(context.Background(), session(space, 2, 1)); err == nil {
		t.Error("locked issue 5 of 3: no error")
	}
}
