package staged

import (
	"context"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
)

// tracker follows one stage: progress for the stall rule, the best
// acceptable offer or text, the participants' latest offers, and whether
// the stage's transition rule fired.
type tracker struct {
	r    *runner
	st   *parley.Stage
	ps   []*parley.Profile // the participants' profiles, in stage order
	kind parley.TransitionKind

	best     []float64 // per participant: best utility offered to it (or of a text) so far
	progress int       // the last round with progress, -1 for none

	bestOut  parley.Outcome // best acceptable offer or text so far
	bestNash float64
	hasBest  bool

	latest    []parley.Outcome // per participant: its latest offer in the stage
	lastOffer parley.Outcome   // the latest offer of anyone
	textSeen  bool

	moved   bool // the transition rule fired
	movedAt int  // rounds of the stage used when it fired
	streak  int  // consecutive requests (parley.TransitionAllRequest)
	own     []parley.Outcome
}

func newTracker(r *runner, st *parley.Stage) *tracker {
	n := len(st.Participants)
	tk := &tracker{r: r, st: st, ps: make([]*parley.Profile, n), kind: st.Transition.Kind,
		best: make([]float64, n), progress: -1, bestOut: parley.NoOutcome,
		latest: make([]parley.Outcome, n), lastOffer: parley.NoOutcome}
	for j, i := range st.Participants {
		tk.ps[j] = r.profiles[i]
		tk.best[j] = -1
		tk.latest[j] = parley.NoOutcome
	}
	return tk
}

// opened records a standing offer the stage opens with, at time t.
func (tk *tracker) opened(o parley.Outcome, t float64) {
	for i, p := range tk.ps {
		tk.best[i] = p.Utility.Utility(o)
	}
	tk.candidate(o, t)
}

// saoEvent follows an alternating-offers stage through its trace.
func (tk *tracker) saoEvent(e parley.Event) {
	if e.Action != parley.Offer || e.Party < 0 || e.Party >= len(tk.ps) {
		return
	}
	p, o := e.Party, e.Outcome
	tk.latest[p], tk.lastOffer = o, o
	for i, pr := range tk.ps {
		if i == p {
			continue
		}
		if u := pr.Utility.Utility(o); u > tk.best[i]+parley.Eps {
			tk.best[i], tk.progress = u, e.Round
		}
	}
	tk.candidate(o, e.Time)
}

// text records the text a mediated stage's voters see in round r at time
// t; in a final vote only as a candidate for carrying over.
func (tk *tracker) text(o parley.Outcome, r int, t float64, final bool) {
	if !tk.textSeen {
		tk.textSeen = true
		for i, p := range tk.ps {
			tk.best[i] = p.Utility.Utility(o)
		}
	} else if !final {
		// The text seen in round r was adopted in round r-1.
		for i, p := range tk.ps {
			if u := p.Utility.Utility(o); u > tk.best[i]+parley.Eps {
				tk.best[i], tk.progress = u, r-1
			}
		}
	}
	tk.candidate(o, t)
}

// candidate keeps o if every participant finds it acceptable at time t and
// its Nash product over the reservation values r(t) beats the best so far.
func (tk *tracker) candidate(o parley.Outcome, t float64) {
	nash := 1.0
	for _, p := range tk.ps {
		if !p.Acceptable(o, t) {
			return
		}
		nash *= max(0, p.Utility.Utility(o)-p.ReservationAt(t))
	}
	if !tk.hasBest || nash > tk.bestNash+parley.Eps {
		tk.bestOut, tk.bestNash, tk.hasBest = o, nash, true
	}
}

// stalled reports, at the start of round r, whether none of the K rounds
// before it brought progress.
func (tk *tracker) stalled(r int) bool {
	return tk.kind == parley.TransitionStall && r > 0 && r-tk.progress > tk.st.Transition.K
}

func (tk *tracker) move(rounds int) { tk.moved, tk.movedAt = true, rounds }

// carry returns what the stage hands over under policy c.
func (tk *tracker) carry(c parley.Carry) carried {
	var out carried
	if c == parley.CarryNone {
		return out
	}
	if tk.hasBest {
		out.start, out.has = tk.bestOut, true
	}
	if c != parley.CarryPartialIssues || tk.st.Mechanism != parley.MechanismAlternatingOffers || tk.lastOffer == parley.NoOutcome {
		return out
	}
	sp := tk.r.space
	for i := range sp.Issues {
		v, same := -1, true
		for _, o := range tk.latest {
			if o == parley.NoOutcome {
				same = false
				break
			}
			if w := sp.ValueIndex(o, i); v < 0 {
				v = w
			} else if w != v {
				same = false
				break
			}
		}
		if same {
			out.locked = append(out.locked, i)
		}
	}
	if len(out.locked) == 0 {
		return out
	}
	out.lockText = tk.lastOffer
	if tk.hasBest {
		out.lockText = tk.r.setValues(tk.bestOut, tk.lastOffer, out.locked)
	}
	return out
}

// hold is what a participant's request to move on stands in for when it
// does not complete a round of requests: its latest offer in the stage, or
// its best outcome within its red lines, or (with neither) End.
func (tk *tracker) hold(me int) parley.Action {
	if o := tk.latest[me]; o != parley.NoOutcome {
		return parley.OfferOf(o)
	}
	if tk.own == nil {
		tk.own = make([]parley.Outcome, len(tk.ps))
		for i := range tk.own {
			tk.own[i] = parley.NoOutcome
		}
	}
	if tk.own[me] == parley.NoOutcome {
		p, sp := tk.ps[me], tk.r.space
		if !sp.Enumerable() {
			return parley.EndAction()
		}
		best := -1.0
		for o := range sp.Size() {
			oo := parley.Outcome(o)
			if u := p.Utility.Utility(oo); u > best && !p.Vetoed(oo) {
				best, tk.own[me] = u, oo
			}
		}
		if tk.own[me] == parley.NoOutcome {
			return parley.EndAction()
		}
	}
	return parley.OfferOf(tk.own[me])
}

// seat is a participant's negotiator in an alternating-offers stage, with
// the stage's transition rule applied around it.
type seat struct {
	parley.Negotiator
	tk *tracker
	me int
}

// Act moves the stage on when its stall rule fires at the start of a
// round, and turns End into a request under parley.TransitionAllRequest.
func (s *seat) Act(ctx context.Context, st *parley.State) (parley.Action, error) {
	tk := s.tk
	if s.me == 0 && tk.stalled(st.Round) {
		tk.move(st.Round)
		return parley.EndAction(), nil
	}
	a, err := s.Negotiator.Act(ctx, st)
	if err != nil || tk.kind != parley.TransitionAllRequest {
		return a, err
	}
	if a.Kind != parley.End {
		tk.streak = 0
		return a, nil
	}
	tk.streak++
	if tk.streak >= len(tk.ps) {
		tk.move(st.Round + 1)
		return a, nil
	}
	return tk.hold(s.me), nil
}

// voter is a participant's voter in a mediated stage: it shows the tracker
// every text and moves the stage on when its stall rule fires.
type voter struct {
	mediated.Voter
	tk *tracker
	me int
}

// Vote records the text and, at the first vote of a stalled round, leaves
// on the stage's behalf.
func (v *voter) Vote(ctx context.Context, st *parley.State) (parley.Vote, error) {
	tk := v.tk
	if v.me == 0 {
		tk.text(st.Text, st.Round, st.Time, st.Final)
		if !st.Final && tk.stalled(st.Round) {
			tk.move(st.Round)
			return parley.Vote{Leave: true}, nil
		}
	}
	return v.Voter.Vote(ctx, st)
}
