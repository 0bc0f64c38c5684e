package strategy

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/parley-dev/parley"
)

// DefaultPAccept is the Random negotiator's default acceptance probability.
const DefaultPAccept = 0.1

// RandomOptions configure a Random negotiator. The zero value accepts with
// probability DefaultPAccept.
type RandomOptions struct {
	// PAccept is the probability of accepting an offer worth at least the
	// reservation value; 0 means DefaultPAccept, a negative value never
	// accepts.
	PAccept float64
}

// Validate names the first bad field.
func (o *RandomOptions) Validate() error {
	if math.IsNaN(o.PAccept) || o.PAccept > 1 {
		return fmt.Errorf("strategy: random: PAccept = %v, want at most 1", o.PAccept)
	}
	return nil
}

// Random offers outcomes drawn uniformly from the whole space and accepts
// an offer worth at least its reservation value with probability PAccept,
// every draw from Session.Rand. It is a baseline: unlike GENIUS
// RandomCounterOfferNegotiationParty (which accepts anything after t = 0.9
// and draws from an unseeded clock), it is reproducible and never accepts
// below its reservation value.
type Random struct {
	opts RandomOptions
	p    float64

	utility parley.UtilityFunction
	size    int64
	rv      float64
	rand    *rand.Rand
}

var _ parley.Negotiator = (*Random)(nil)

// NewRandom returns a Random negotiator; the options are checked at Init.
func NewRandom(opts RandomOptions) *Random {
	p := opts.PAccept
	switch {
	case p == 0:
		p = DefaultPAccept
	case p < 0:
		p = 0
	}
	return &Random{opts: opts, p: p}
}

// Init reads the profile.
func (r *Random) Init(_ context.Context, s *parley.Session) error {
	if err := r.opts.Validate(); err != nil {
		return err
	}
	if s == nil || s.Profile == nil || s.Profile.Space == nil || s.Profile.Utility == nil {
		return fmt.Errorf("strategy: random: %w", parley.ErrNoProfile)
	}
	if s.Rand == nil {
		return errors.New("strategy: random: session has no random stream")
	}
	r.utility, r.size, r.rv, r.rand = s.Profile.Utility, int64(s.Profile.Space.Size()), s.Profile.Reservation, s.Rand
	return nil
}

// Act accepts with probability PAccept an offer worth the reservation
// value, and otherwise offers a uniformly random outcome.
func (r *Random) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if r.rand == nil {
		return parley.Action{}, errors.New("strategy: random: Act before Init")
	}
	if st.Standing != parley.NoOutcome && st.Proposer != st.Me && r.p > 0 &&
		parley.AtLeast(r.utility.Utility(st.Standing), r.rv) && r.rand.Float64() < r.p {
		return parley.AcceptAction, nil
	}
	return parley.OfferOf(parley.Outcome(r.rand.Int64N(r.size))), nil
}
