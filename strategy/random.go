package strategy

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

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

// Random offers outcomes drawn uniformly from the whole space, less the
// outcomes across its own red lines (parley.Profile.Vetoes), and accepts an
// offer that is parley.Profile.Acceptable at the time (within its red lines
// and worth its reservation value r(t)) with probability PAccept, every
// draw from Session.Rand. It is a baseline: unlike GENIUS
// RandomCounterOfferNegotiationParty (which accepts anything after t = 0.9
// and draws from an unseeded clock), it is reproducible and never accepts
// below its reservation value.
type Random struct {
	opts RandomOptions
	p    float64

	profile *parley.Profile
	size    int64
	rand    *rand.Rand
	// With red lines: per issue, the allowed values times the issue's
	// stride, so that an outcome is a sum of one draw per issue (uniform
	// over the outcomes within the red lines, which form a product set).
	allowed [][]int
	futile  bool // some issue has every value vetoed
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
	r.profile, r.size, r.rand = s.Profile, int64(s.Profile.Space.Size()), s.Rand
	r.allowed, r.futile = nil, false
	if len(s.Profile.Vetoes) > 0 {
		r.allowed, r.futile = allowedValues(s.Profile)
	}
	return nil
}

// allowedValues lists, per issue, the contributions value·stride of the
// values p does not veto (outcomes number their values in mixed radix, the
// last issue fastest: parley.OutcomeSpace). futile reports an issue with
// every value vetoed.
func allowedValues(p *parley.Profile) (allowed [][]int, futile bool) {
	issues := p.Space.Issues
	allowed = make([][]int, len(issues))
	for i := range issues {
		for k := range issues[i].Size() {
			if !slices.Contains(p.Vetoes, parley.ValueRef{Issue: i, Value: k}) {
				allowed[i] = append(allowed[i], k*p.Space.Stride(i))
			}
		}
		if len(allowed[i]) == 0 {
			futile = true
		}
	}
	return allowed, futile
}

// Act accepts with probability PAccept an acceptable offer, and otherwise
// offers a uniformly random outcome within its red lines.
func (r *Random) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if r.rand == nil {
		return parley.Action{}, errors.New("strategy: random: Act before Init")
	}
	if r.futile {
		return parley.EndAction(), nil // every outcome crosses a red line
	}
	if st.Standing != parley.NoOutcome && st.Proposer != st.Me && r.p > 0 &&
		r.profile.Acceptable(st.Standing, st.Time) && r.rand.Float64() < r.p {
		return parley.AcceptAction(), nil
	}
	if r.allowed == nil {
		return parley.OfferOf(parley.Outcome(r.rand.Int64N(r.size))), nil
	}
	o := 0
	for _, vs := range r.allowed {
		o += vs[r.rand.IntN(len(vs))]
	}
	return parley.OfferOf(parley.Outcome(o)), nil
}
