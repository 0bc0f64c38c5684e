package parleytest

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/protocol/sao"
)

// Seats are adversaries: a negotiator, voter or mediator may be someone
// else's code. The checks in this file hold the mechanisms to that: nothing
// a seat writes to the State or Session it is handed may change the
// mechanism's state, another seat's view or the scoring, and a seat may
// read only what its role may know.

// Vandalize overwrites every field of st that a seat could write to, the
// elements of its slices included, with garbage. A mechanism must be
// indifferent to it: the mechanism keeps its own state, and each seat's
// State is a private view.
func Vandalize(st *parley.State) {
	for i := range st.Offers {
		st.Offers[i] = parley.OfferRecord{Party: -3, Outcome: 0, Step: -1, Round: -1, Time: math.NaN()}
	}
	st.Offers = append(st.Offers, parley.OfferRecord{Party: -3})
	for i := range st.Votes {
		st.Votes[i] = parley.Vote{Accept: true, Feedback: 1}
	}
	st.Votes = append(st.Votes, parley.Vote{Accept: true})
	st.Step, st.Round, st.Time, st.Deadline, st.Parties, st.Me = -1, -1, math.NaN(), -1, -1, -1
	st.Standing, st.Proposer, st.Accepts, st.Text, st.Final = 0, -3, 1<<20, 0, !st.Final
}

// vandalizeSession overwrites what a seat could write to in its session:
// its names, its own profile (a reservation value of 0.998, no discount,
// no red lines, sure ratification) and, for a mediator, the declared
// profiles.
func vandalizeSession(s *parley.Session) {
	for i := range s.Names {
		s.Names[i] = "forged"
	}
	forge := func(p *parley.Profile) {
		if p == nil {
			return
		}
		p.Name = "forged"
		if p.Space != nil {
			for i := range p.Space.Issues {
				p.Space.Issues[i].Name = "forged"
				for k := range p.Space.Issues[i].Values {
					p.Space.Issues[i].Values[k] = "forged"
				}
			}
		}
		p.Reservation, p.Discount, p.Drift, p.Hazard = 0.998, 1, 0.5, 0
		for i := range p.Vetoes {
			p.Vetoes[i] = parley.ValueRef{}
		}
		p.Vetoes = p.Vetoes[:0]
		for i := range p.Ratification {
			p.Ratification[i].P = 1
		}
	}
	forge(s.Profile)
	for _, p := range s.Declared {
		forge(p)
	}
	s.Party, s.Deadline = -7, -7
}

// Vandal wraps n in a seat that behaves as n does but, after every call,
// overwrites its State (Vandalize) and, after Init, its session: its names,
// its own profile (reservation value 0.998, no discount, no red lines,
// sure ratification, every issue and value of its space renamed "forged")
// and any declared profiles. Run a mechanism with and
// without it: a mechanism that treats its seats as adversaries gives the
// same trace and result.
func Vandal(n parley.Negotiator) parley.Negotiator { return &vandal{inner: n} }

// VandalVoter is Vandal for a mediated.Voter.
func VandalVoter(v mediated.Voter) mediated.Voter { return &vandalVoter{inner: v} }

// VandalMediator is Vandal for a mediated.Mediator.
func VandalMediator(m mediated.Mediator) mediated.Mediator { return &vandalMediator{inner: m} }

// vandal wraps a negotiator and vandalises its session after Init and its
// State after every Act.
type vandal struct {
	inner parley.Negotiator
}

func (v *vandal) Init(ctx context.Context, s *parley.Session) error {
	err := v.inner.Init(ctx, s)
	vandalizeSession(s)
	return err
}

func (v *vandal) Act(ctx context.Context, st *parley.State) (parley.Action, error) {
	a, err := v.inner.Act(ctx, st)
	Vandalize(st)
	return a, err
}

// forger accepts as soon as an offer stands, after writing its own best
// outcome into State.Standing, hoping the mechanism records that.
type forger struct {
	best parley.Outcome
}

func (f *forger) Init(_ context.Context, s *parley.Session) error {
	if s == nil || s.Profile == nil {
		return parley.ErrNoProfile
	}
	f.best = 0
	for o := range parley.Outcome(s.Profile.Space.Size()) {
		if s.Profile.Utility.Utility(o) > s.Profile.Utility.Utility(f.best) {
			f.best = o
		}
	}
	return nil
}

func (f *forger) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if st.Standing == parley.NoOutcome {
		return parley.OfferOf(f.best), nil
	}
	st.Standing, st.Proposer, st.Accepts = f.best, st.Me, st.Parties
	return parley.AcceptAction(), nil
}

// snapshot is what a caller's profiles look like, to check that a run left
// them alone.
func snapshot(ps []*parley.Profile) string {
	var b []byte
	for _, p := range ps {
		b = fmt.Appendf(b, "%s %v %v %v %v %v %v %v|", p.Name, p.Reservation, p.Discount, p.Drift, p.Hazard, p.Vetoes, p.Ratification, p.Space.Issues)
	}
	return string(b)
}

// outcomeOf is a run's result as compared by the checks.
func outcomeOf(r *parley.Result) string {
	return fmt.Sprintf("agreement %d reason %v rounds %d steps %d time %v party %d utilities %v discounted %v",
		r.Agreement, r.Reason, r.Rounds, r.Steps, r.Time, r.Party, r.Utilities, r.Discounted)
}

// TestSAO checks that protocol/sao treats its seats as adversaries, on the
// scenario given by profiles (TwoIssue when none are given; an enumerable
// space is needed). It checks that:
//
//   - a seat that writes its own best outcome into State.Standing and then
//     accepts agrees to the offer that was really on the table;
//   - a seat that overwrites its State after every turn, and its names and
//     profile after Init (raising its reservation value to 0.998, dropping
//     its red lines), changes neither the trace nor the result, and leaves
//     the caller's profiles as they were;
//   - a negotiator's session holds no other party's preferences
//     (Session.Declared is nil) and Finish tells it only its own result.
func TestSAO(t *testing.T, profiles ...*parley.Profile) {
	t.Helper()
	if len(profiles) == 0 {
		_, profiles = TwoIssue()
	}
	names := make([]string, len(profiles))
	for i := range names {
		names[i] = fmt.Sprintf("party%d", i)
	}
	space := profiles[0].Space
	runSAO := func(negs []parley.Negotiator, seed uint64) ([]parley.Event, *parley.Result) {
		t.Helper()
		var trace []parley.Event
		m, err := sao.New(profiles, names, sao.Options{Deadline: conformanceDeadline,
			Trace: func(e parley.Event) { trace = append(trace, e) }})
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.Run(context.Background(), negs, seed)
		if err != nil {
			t.Fatal(err)
		}
		return trace, res
	}

	t.Run("forged-standing-offer", func(t *testing.T) {
		// Party 0 offers its worst outcome for the forger, party 1 forges.
		worst := parley.Outcome(0)
		for o := range parley.Outcome(space.Size()) {
			if profiles[1].Utility.Utility(o) < profiles[1].Utility.Utility(worst) {
				worst = o
			}
		}
		negs := make([]parley.Negotiator, len(profiles))
		for i := range negs {
			negs[i] = &Scripted{Actions: []parley.Action{parley.OfferOf(worst), parley.AcceptAction()}}
		}
		negs[1] = &forger{}
		_, res := runSAO(negs, 1)
		if res.Agreed() && res.Agreement != worst {
			t.Errorf("agreement on %d, but the offer on the table was %d: a seat forged the agreement", res.Agreement, worst)
		}
	})

	t.Run("vandal-seats", func(t *testing.T) {
		before := snapshot(profiles)
		honest := make([]parley.Negotiator, len(profiles))
		for i := range honest {
			honest[i] = &Conceder{}
		}
		wantTrace, wantRes := runSAO(honest, 3)
		want := outcomeOf(wantRes)
		for seat := range profiles {
			negs := make([]parley.Negotiator, len(profiles))
			for i := range negs {
				negs[i] = &Conceder{}
			}
			negs[seat] = &vandal{inner: &Conceder{}}
			gotTrace, gotRes := runSAO(negs, 3)
			if !slices.Equal(gotTrace, wantTrace) {
				t.Errorf("seat %d vandalised its State and session: the trace changed: %s", seat, diff(wantTrace, gotTrace))
			}
			if got := outcomeOf(gotRes); got != want {
				t.Errorf("seat %d vandalised its State and session: result %s, want %s", seat, got, want)
			}
			if after := snapshot(profiles); after != before {
				t.Errorf("seat %d vandalised its session: the caller's profiles changed from %s to %s", seat, before, after)
			}
		}
	})

	t.Run("what-a-negotiator-knows", func(t *testing.T) {
		negs := make([]parley.Negotiator, len(profiles))
		spies := make([]*spy, len(profiles))
		for i := range negs {
			spies[i] = &spy{inner: &Conceder{}}
			negs[i] = spies[i]
		}
		_, res := runSAO(negs, 5)
		for i, s := range spies {
			if s.declared {
				t.Errorf("party %d: its session holds other parties' profiles (Session.Declared)", i)
			}
			if s.sameProfile != nil && s.sameProfile == profiles[i] {
				t.Errorf("party %d: its session holds the very profile the caller passed in, not a private copy", i)
			}
			if len(s.endings) != 1 {
				t.Errorf("party %d: Finish called %d times, want once", i, len(s.endings))
				continue
			}
			e := s.endings[0]
			if e.Utility != res.Utilities[i] || e.Discounted != res.Discounted[i] || e.Agreement != res.Agreement || e.Reason != res.Reason {
				t.Errorf("party %d: Finish told it %+v; the result is %s", i, e, outcomeOf(res))
			}
		}
	})
}

// spy records what a seat was told.
type spy struct {
	inner       parley.Negotiator
	declared    bool
	sameProfile *parley.Profile
	endings     []parley.Ending
}

func (s *spy) Init(ctx context.Context, ss *parley.Session) error {
	s.declared = s.declared || ss.Declared != nil
	s.sameProfile = ss.Profile
	return s.inner.Init(ctx, ss)
}

func (s *spy) Act(ctx context.Context, st *parley.State) (parley.Action, error) {
	return s.inner.Act(ctx, st)
}

func (s *spy) Finish(_ context.Context, e parley.Ending) { s.endings = append(s.endings, e) }

// TestMediated checks that protocol/mediated treats its seats as
// adversaries, on the scenario given by profiles (TwoIssue when none are
// given). It checks that:
//
//   - voters never see other parties' votes (State.Votes nil, Accepts 0),
//     while the mediator sees them under information level "none" and not
//     under "nothing";
//   - a voter or a mediator that overwrites its State after every call, and
//     its names, profile and declared profiles after Init, changes neither
//     the trace nor the result, and leaves the caller's profiles as they
//     were, at every information level.
func TestMediated(t *testing.T, profiles ...*parley.Profile) {
	t.Helper()
	if len(profiles) == 0 {
		_, profiles = TwoIssue()
	}
	n := len(profiles)
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("party%d", i)
	}
	runMed := func(info parley.Info, voters []mediated.Voter, med mediated.Mediator, seed uint64) ([]parley.Event, *parley.Result) {
		t.Helper()
		var trace []parley.Event
		m, err := mediated.New(profiles, names, nil, mediated.Options{Rounds: conformanceDeadline, Info: info,
			Trace: func(e parley.Event) { trace = append(trace, e) }})
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.Run(context.Background(), voters, med, seed)
		if err != nil {
			t.Fatal(err)
		}
		return trace, res
	}
	honestVoters := func() []mediated.Voter {
		vs := make([]mediated.Voter, n)
		for i := range vs {
			vs[i] = &BetterVoter{}
		}
		return vs
	}

	t.Run("votes-are-the-mediators", func(t *testing.T) {
		for _, info := range []parley.Info{parley.InfoVotes, parley.InfoNothing, parley.InfoFull} {
			vs := make([]mediated.Voter, n)
			spies := make([]*voteSpy, n)
			for i := range vs {
				spies[i] = &voteSpy{inner: &BetterVoter{}}
				vs[i] = spies[i]
			}
			med := &medSpy{inner: &RandomMediator{}}
			runMed(info, vs, med, 1)
			for i, s := range spies {
				if s.sawVotes {
					t.Errorf("info %v: voter %d saw other parties' votes", info, i)
				}
			}
			if wantVotes := info != parley.InfoNothing; med.sawVotes != wantVotes {
				t.Errorf("info %v: the mediator saw votes: %v, want %v", info, med.sawVotes, wantVotes)
			}
		}
	})

	t.Run("vandal-seats", func(t *testing.T) {
		before := snapshot(profiles)
		for _, info := range []parley.Info{parley.InfoVotes, parley.InfoFull} {
			wantTrace, wantRes := runMed(info, honestVoters(), &RandomMediator{}, 2)
			want := outcomeOf(wantRes)
			for seat := -1; seat < n; seat++ {
				vs := honestVoters()
				var med mediated.Mediator = &RandomMediator{}
				if seat < 0 {
					med = &vandalMediator{inner: med}
				} else {
					vs[seat] = &vandalVoter{inner: vs[seat]}
				}
				gotTrace, gotRes := runMed(info, vs, med, 2)
				if !slices.Equal(gotTrace, wantTrace) {
					t.Errorf("info %v: seat %d (-1: the mediator) vandalised its State and session: the trace changed: %s", info, seat, diff(wantTrace, gotTrace))
				}
				if got := outcomeOf(gotRes); got != want {
					t.Errorf("info %v: seat %d (-1: the mediator) vandalised its State and session: result %s, want %s", info, seat, got, want)
				}
				if after := snapshot(profiles); after != before {
					t.Errorf("info %v: seat %d vandalised its session: the caller's profiles changed from %s to %s", info, seat, before, after)
				}
			}
		}
	})
}

type voteSpy struct {
	inner    mediated.Voter
	sawVotes bool
}

func (s *voteSpy) Init(ctx context.Context, ss *parley.Session) error { return s.inner.Init(ctx, ss) }

func (s *voteSpy) Vote(ctx context.Context, st *parley.State) (parley.Vote, error) {
	s.sawVotes = s.sawVotes || len(st.Votes) > 0 || st.Accepts != 0
	return s.inner.Vote(ctx, st)
}

type medSpy struct {
	inner    mediated.Mediator
	sawVotes bool
}

func (s *medSpy) Init(ctx context.Context, ss *parley.Session) error { return s.inner.Init(ctx, ss) }

func (s *medSpy) Propose(ctx context.Context, st *parley.State) (parley.Outcome, error) {
	for _, v := range st.Votes {
		s.sawVotes = s.sawVotes || v.Accept
	}
	s.sawVotes = s.sawVotes || st.Accepts > 0
	return s.inner.Propose(ctx, st)
}

type vandalVoter struct{ inner mediated.Voter }

func (v *vandalVoter) Init(ctx context.Context, s *parley.Session) error {
	err := v.inner.Init(ctx, s)
	vandalizeSession(s)
	return err
}

func (v *vandalVoter) Vote(ctx context.Context, st *parley.State) (parley.Vote, error) {
	vote, err := v.inner.Vote(ctx, st)
	Vandalize(st)
	return vote, err
}

type vandalMediator struct{ inner mediated.Mediator }

func (v *vandalMediator) Init(ctx context.Context, s *parley.Session) error {
	err := v.inner.Init(ctx, s)
	vandalizeSession(s)
	return err
}

func (v *vandalMediator) Propose(ctx context.Context, st *parley.State) (parley.Outcome, error) {
	o, err := v.inner.Propose(ctx, st)
	Vandalize(st)
	return o, err
}

// BetterVoter is a simple deterministic voter for tests: it accepts a
// proposal worth at least as much to it as the current text and crossing
// none of its red lines, and in the final vote accepts a text it can agree
// to (parley.Profile.Acceptable). It copies what it needs at Init.
type BetterVoter struct {
	p parley.Profile
}

var _ mediated.Voter = (*BetterVoter)(nil)

// Init keeps a copy of the voter's profile.
func (v *BetterVoter) Init(_ context.Context, s *parley.Session) error {
	if s == nil || s.Profile == nil || s.Profile.Utility == nil || s.Profile.Space == nil {
		return fmt.Errorf("parleytest: voter: %w", parley.ErrNoProfile)
	}
	v.p = *s.Profile
	v.p.Vetoes = slices.Clone(s.Profile.Vetoes)
	return nil
}

// Vote accepts proposals that are no worse than the text.
func (v *BetterVoter) Vote(_ context.Context, st *parley.State) (parley.Vote, error) {
	if v.p.Utility == nil {
		return parley.Vote{}, fmt.Errorf("parleytest: voter: Vote before Init")
	}
	if st.Final {
		return parley.Vote{Accept: v.p.Acceptable(st.Text, st.Time)}, nil
	}
	u := v.p.Utility.Utility
	return parley.Vote{Accept: !v.p.Vetoed(st.Standing) && parley.AtLeast(u(st.Standing), u(st.Text))}, nil
}

// RandomMediator is a simple mediator for tests: it proposes outcomes drawn
// uniformly from its Session.Rand and never steps back.
type RandomMediator struct {
	s *parley.OutcomeSpace
	r interface{ Int64N(int64) int64 }
}

var _ mediated.Mediator = (*RandomMediator)(nil)

// Init keeps the space and the random stream.
func (m *RandomMediator) Init(_ context.Context, s *parley.Session) error {
	if s == nil || s.Profile == nil || s.Profile.Space == nil || s.Rand == nil {
		return fmt.Errorf("parleytest: mediator: %w", parley.ErrNoProfile)
	}
	m.s, m.r = s.Profile.Space, s.Rand
	return nil
}

// Propose draws the next proposal.
func (m *RandomMediator) Propose(context.Context, *parley.State) (parley.Outcome, error) {
	if m.s == nil {
		return parley.NoOutcome, fmt.Errorf("parleytest: mediator: Propose before Init")
	}
	return parley.Outcome(m.r.Int64N(int64(m.s.Size()))), nil
}
