package mediator

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/parley-dev/parley"
)

// mutator is what the vote-only mediators share: the space, the locked
// issues and the random stream.
type mutator struct {
	g      geometry
	locked []int
	rand   *rand.Rand
	rounds int
	ready  bool
}

// Lock records the locked issues (protocol/mediated calls it before Init).
func (m *mutator) lock(issues []int) { m.locked = append(m.locked[:0], issues...) }

func (m *mutator) init(name string, s *parley.Session) error {
	if s == nil || s.Profile == nil || s.Profile.Space == nil {
		return fmt.Errorf("mediator: %s: %w", name, ErrNoSpace)
	}
	if s.Rand == nil {
		return fmt.Errorf("mediator: %s: session has no random stream", name)
	}
	if err := m.g.init(s.Profile.Space, m.locked); err != nil {
		return err
	}
	m.rand, m.rounds, m.ready = s.Rand, s.Deadline, true
	return nil
}

// Random proposes a random single-issue mutation of the current text every
// round: a uniformly chosen unlocked issue set to a uniformly chosen other
// value (GENIUS RandomFlippingMediator, after its first accepted bid). It never calls an early vote and adopts only what the
// rule adopts.
type Random struct{ mutator }

// NewRandom returns a random-mutation mediator.
func NewRandom() *Random { return &Random{} }

// Lock records the issues it must leave alone.
func (m *Random) Lock(issues []int) { m.lock(issues) }

// Init reads the space.
func (m *Random) Init(_ context.Context, s *parley.Session) error { return m.init("random", s) }

// Propose mutates one issue of the text.
func (m *Random) Propose(_ context.Context, st *parley.State) (parley.Outcome, error) {
	if !m.ready {
		return parley.NoOutcome, errors.New("mediator: random: Propose before Init")
	}
	return m.g.mutate(st.Text, m.rand), nil
}

// HillClimb proposes the single-issue neighbours of the current text in
// random order without repetition, starting over whenever the text changes
// (NegMAS HillClimbingSTMechanism). With truthful
// hill-climbing voters and unanimity the text climbs to a point that no
// single-issue change improves for everyone: a local optimum, not
// necessarily Pareto-optimal. When every neighbour has been rejected it
// starts over (annealing voters may accept later); with Call set it then
// also calls the final vote early, once per text.
type HillClimb struct {
	mutator
	nb     neighbourhood
	call   bool
	called parley.Outcome
}

// NewHillClimb returns a hill-climbing mediator; call makes it call the
// final vote at a local optimum.
func NewHillClimb(call bool) *HillClimb { return &HillClimb{call: call} }

// Lock records the issues it must leave alone.
func (m *HillClimb) Lock(issues []int) { m.lock(issues) }

// Init reads the space.
func (m *HillClimb) Init(_ context.Context, s *parley.Session) error {
	if err := m.init("hillclimb", s); err != nil {
		return err
	}
	m.nb.init(&m.g)
	m.called = parley.NoOutcome
	return nil
}

// Propose draws the next untried neighbour of the text.
func (m *HillClimb) Propose(_ context.Context, st *parley.State) (parley.Outcome, error) {
	if !m.ready {
		return parley.NoOutcome, errors.New("mediator: hillclimb: Propose before Init")
	}
	o, _ := m.nb.next(&m.g, st.Text, m.rand)
	return o, nil
}

// CallVote calls the final vote once the whole neighbourhood of the text
// has been rejected, when Call is set.
func (m *HillClimb) CallVote(_ context.Context, st *parley.State) bool {
	if !m.call || st.Text != m.nb.text || !m.nb.exhausted() || m.called == st.Text {
		return false
	}
	m.called = st.Text
	return true
}

// DefaultMediatorT0 is the annealing mediator's default initial temperature,
// in units of the fraction of parties rejecting a proposal: at the start a
// proposal one of two parties rejects is adopted with probability
// exp(-0.5/0.5) ≈ 0.37. It gave the highest welfare on the Klein-style
// scenarios of this package's tests (TestKleinAnnealingMediator).
const DefaultMediatorT0 = 0.5

// Anneal is the annealing mediator of Klein, Faratin and Bar-Yam ("Using an
// Annealing Mediator to Solve the Prisoners' Dilemma in the Negotiation of
// Complex Contracts", AMEC-IV, LNCS 2531, 2002): it
// proposes like HillClimb, the parties vote truthfully, and under
// parley.RuleMediator it adopts a proposal that some parties rejected with
// probability exp(-f/T), where f is the fraction of parties rejecting and
// the temperature T = T0·(1 - r/R) falls to 0 over the R rounds, so the
// mediator explores early and hill-climbs at the end. (The mediator sees
// votes only, so the fraction of rejections stands in for the utility loss
// of a voter's own annealing.) GENIUS's annealing agent uses a temperature
// that rises with time; that quirk is not copied. Under any rule other than
// RuleMediator the mechanism never asks, and Anneal behaves as HillClimb.
type Anneal struct {
	HillClimb
	t0 float64
}

// NewAnneal returns an annealing mediator with initial temperature t0 (0
// means DefaultMediatorT0).
func NewAnneal(t0 float64) *Anneal {
	if t0 == 0 {
		t0 = DefaultMediatorT0
	}
	return &Anneal{t0: t0}
}

// Init reads the space.
func (m *Anneal) Init(ctx context.Context, s *parley.Session) error {
	if math.IsNaN(m.t0) || m.t0 < 0 {
		return fmt.Errorf("mediator: anneal: temperature %v is negative", m.t0)
	}
	return m.HillClimb.Init(ctx, s)
}

// Adopt adopts a non-unanimous proposal with probability exp(-f/T).
func (m *Anneal) Adopt(_ context.Context, st *parley.State) bool {
	if !m.ready || len(st.Votes) == 0 {
		return false
	}
	rejects := 0
	for _, v := range st.Votes {
		if !v.Accept {
			rejects++
		}
	}
	if rejects == 0 {
		return true
	}
	T := m.t0 * (1 - progress(st.Round, m.rounds))
	if T <= 0 {
		return false
	}
	return m.rand.Float64() < math.Exp(-float64(rejects)/float64(len(st.Votes))/T)
}

var (
	_ Mediator = (*Random)(nil)
	_ Mediator = (*HillClimb)(nil)
	_ Mediator = (*Anneal)(nil)
)
