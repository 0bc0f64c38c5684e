package mediator

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/parley-dev/parley"
)

// voter is what every voter keeps of its session.
type voter struct {
	p      *parley.Profile
	u      parley.UtilityFunction
	vetoes bool
	rand   *rand.Rand
	rounds int
}

func (v *voter) init(name string, s *parley.Session) error {
	if s == nil || s.Profile == nil || s.Profile.Utility == nil || s.Profile.Space == nil {
		return fmt.Errorf("mediator: %s: %w", name, parley.ErrNoProfile)
	}
	v.p, v.u, v.vetoes, v.rand, v.rounds = s.Profile, s.Profile.Utility, len(s.Profile.Vetoes) > 0, s.Rand, s.Deadline
	return nil
}

// worth is the voter's utility of o, with an outcome crossing one of its
// red lines worth -1 (below every outcome it could accept).
func (v *voter) worth(o parley.Outcome) float64 {
	if v.vetoes && v.p.Vetoed(o) {
		return -1
	}
	return v.u.Utility(o)
}

// final answers the binding final vote: Profile.Acceptable(text, t).
func (v *voter) final(st *parley.State) parley.Vote {
	return parley.Vote{Accept: v.p.Acceptable(st.Text, st.Time)}
}

// compare returns the proposal's and the text's worth and the truthful
// feedback (the proposal is -1 worse, 0 the same, +1 better).
func (v *voter) compare(st *parley.State) (up, ut float64, fb int8) {
	up, ut = v.worth(st.Standing), v.worth(st.Text)
	switch {
	case up > ut+parley.Eps:
		fb = 1
	case up < ut-parley.Eps:
		fb = -1
	}
	return up, ut, fb
}

// HillClimber votes for a proposal iff it is at least as good for it as the
// current text (Klein et al. 2003; GENIUS HillClimber votes ACCEPT iff
// u(last accepted) <= u(new)), never for one crossing its red lines, and
// answers the final vote with Profile.Acceptable. Its feedback is truthful.
type HillClimber struct{ voter }

// NewHillClimber returns a hill-climbing voter.
func NewHillClimber() *HillClimber { return &HillClimber{} }

// Init reads the profile.
func (h *HillClimber) Init(_ context.Context, s *parley.Session) error {
	return h.init("hillclimber", s)
}

// Vote accepts a proposal at least as good as the text.
func (h *HillClimber) Vote(_ context.Context, st *parley.State) (parley.Vote, error) {
	if h.p == nil {
		return parley.Vote{}, errors.New("mediator: hillclimber: Vote before Init")
	}
	if st.Final {
		return h.final(st), nil
	}
	up, _, fb := h.compare(st)
	return parley.Vote{Accept: up >= 0 && fb >= 0, Feedback: fb}, nil
}

// DefaultT0 is the annealing voter's default initial temperature, in
// utility units: a proposal 0.05 worse than the text is accepted with
// probability exp(-1) ≈ 0.37 at the start. It is the value that gave the
// highest welfare between two annealers on the Klein-style scenarios of
// this package's tests (TestKleinPrisonersDilemma, then with a
// hill-climbing mediator; with Klein's random one, two annealers reach
// 98.6% of the optimum).
const DefaultT0 = 0.05

// Annealer votes like a HillClimber but also accepts a worse proposal
// (Δ = u(proposal) - u(text) < 0) with probability exp(Δ/T), where the
// virtual temperature T = T0·(1 - r/R) falls to 0 over the R rounds of the
// negotiation (Klein et al. 2003). GENIUS's Annealer uses
// the normalised time itself as the temperature, which rises over the run
// and makes the agent more permissive near the deadline; that is the
// reverse of Klein's schedule and is not copied. Its feedback is truthful.
type Annealer struct {
	voter
	t0 float64
}

// NewAnnealer returns an annealing voter with initial temperature t0 (0
// means DefaultT0).
func NewAnnealer(t0 float64) *Annealer {
	if t0 == 0 {
		t0 = DefaultT0
	}
	return &Annealer{t0: t0}
}

// Init reads the profile.
func (a *Annealer) Init(_ context.Context, s *parley.Session) error {
	if math.IsNaN(a.t0) || a.t0 < 0 {
		return fmt.Errorf("mediator: annealer: temperature %v is negative", a.t0)
	}
	if err := a.init("annealer", s); err != nil {
		return err
	}
	if a.rand == nil {
		return errors.New("mediator: annealer: session has no random stream")
	}
	return nil
}

// Vote accepts a better proposal, and a worse one with probability exp(Δ/T).
func (a *Annealer) Vote(_ context.Context, st *parley.State) (parley.Vote, error) {
	if a.p == nil {
		return parley.Vote{}, errors.New("mediator: annealer: Vote before Init")
	}
	if st.Final {
		return a.final(st), nil
	}
	up, ut, fb := a.compare(st)
	accept := up >= 0 && fb >= 0
	if up >= 0 && fb < 0 {
		if T := a.t0 * (1 - progress(st.Round, a.rounds)); T > 0 {
			accept = a.rand.Float64() < math.Exp((up-ut)/T)
		}
	}
	return parley.Vote{Accept: accept, Feedback: fb}, nil
}

// Reservation is a reservation-aware hill-climber: it votes like a
// HillClimber but never accepts a proposal worth less than its reservation
// value r(t) (Profile.ReservationAt) at the time of the vote. From a text
// below its reservation value it therefore accepts only proposals that
// reach it in one step.
type Reservation struct{ voter }

// NewReservation returns a reservation-aware voter.
func NewReservation() *Reservation { return &Reservation{} }

// Init reads the profile.
func (rv *Reservation) Init(_ context.Context, s *parley.Session) error {
	return rv.init("reservation", s)
}

// Vote accepts a proposal at least as good as the text and as r(t).
func (rv *Reservation) Vote(_ context.Context, st *parley.State) (parley.Vote, error) {
	if rv.p == nil {
		return parley.Vote{}, errors.New("mediator: reservation: Vote before Init")
	}
	if st.Final {
		return rv.final(st), nil
	}
	up, _, fb := rv.compare(st)
	accept := up >= 0 && fb >= 0 && parley.AtLeast(up, rv.p.ReservationAt(st.Time))
	return parley.Vote{Accept: accept, Feedback: fb}, nil
}

// DefaultGain is the exaggerating voter's default threshold.
const DefaultGain = 0.1

// Exaggerator is a strategic voter: it rejects every proposal that is not a
// large gain for it (u(proposal) - u(text) >= Gain) and says so in its
// feedback (-1 for anything else), hoping that the mediator steers towards
// what it asks for. It shows why Klein, Faratin and Bar-Yam put the
// annealing in the mediator and constrain votes: an
// annealing mediator that reads rejections as costs is pulled towards the
// exaggerator, and with unanimity the text barely moves. It answers the
// final vote truthfully (Profile.Acceptable).
type Exaggerator struct {
	voter
	gain float64
}

// NewExaggerator returns an exaggerating voter with the given gain
// threshold (0 means DefaultGain).
func NewExaggerator(gain float64) *Exaggerator {
	if gain == 0 {
		gain = DefaultGain
	}
	return &Exaggerator{gain: gain}
}

// Init reads the profile.
func (e *Exaggerator) Init(_ context.Context, s *parley.Session) error {
	if math.IsNaN(e.gain) || e.gain < 0 {
		return fmt.Errorf("mediator: exaggerator: gain %v is negative", e.gain)
	}
	return e.init("exaggerator", s)
}

// Vote accepts only a large gain.
func (e *Exaggerator) Vote(_ context.Context, st *parley.State) (parley.Vote, error) {
	if e.p == nil {
		return parley.Vote{}, errors.New("mediator: exaggerator: Vote before Init")
	}
	if st.Final {
		return e.final(st), nil
	}
	up, ut, _ := e.compare(st)
	if up >= 0 && up-ut >= e.gain-parley.Eps {
		return parley.Vote{Accept: true, Feedback: 1}, nil
	}
	return parley.Vote{Feedback: -1}, nil
}

var (
	_ Voter = (*HillClimber)(nil)
	_ Voter = (*Annealer)(nil)
	_ Voter = (*Reservation)(nil)
	_ Voter = (*Exaggerator)(nil)
)

// Walker makes walking away a decision for any voter
// (parley.Profile.Walks): before each vote but the final one it records
// the current text's utility in a parley.Outlook (an outcome across one of
// its red lines counts as 0), and it leaves (Vote.Leave) when continuing,
// with the prospect of the text improving as it has so far, is worth less
// than its reservation value r(t) now; otherwise the inner voter votes.
// Its ceiling is 1: a voter has no target of its own.
type Walker struct {
	inner   Voter
	p       *parley.Profile
	end     float64
	outlook parley.Outlook
}

// NewWalker returns inner with the walk rule.
func NewWalker(inner Voter) *Walker { return &Walker{inner: inner} }

// Init reads the profile and the deadline, then initialises the inner
// voter.
func (w *Walker) Init(ctx context.Context, s *parley.Session) error {
	if s == nil || s.Profile == nil || s.Profile.Utility == nil {
		return fmt.Errorf("mediator: walker: %w", parley.ErrNoProfile)
	}
	w.p, w.end = s.Profile, 1
	if e := s.Clock.End(); e > 0 {
		w.end = e
	}
	w.outlook.Reset()
	return w.inner.Init(ctx, s)
}

// Vote leaves when continuing is worth less than r(t), and otherwise
// asks the inner voter.
func (w *Walker) Vote(ctx context.Context, st *parley.State) (parley.Vote, error) {
	if w.p == nil {
		return parley.Vote{}, errors.New("mediator: walker: Vote before Init")
	}
	if !st.Final {
		u := 0.0
		if !w.p.Vetoed(st.Text) {
			u = w.p.Utility.Utility(st.Text)
		}
		w.outlook.See(u, st.Time)
		if pr, ok := w.outlook.Expect(st.Time, 1); ok && w.p.Walks(pr, st.Time, w.end) {
			return parley.Vote{Leave: true}, nil
		}
	}
	return w.inner.Vote(ctx, st)
}

var _ Voter = (*Walker)(nil)
