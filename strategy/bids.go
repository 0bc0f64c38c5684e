package strategy

import (
	"math/rand/v2"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy/boa"
	"github.com/parley-dev/parley/ufun"
)

// DefaultSamples is how many outcomes a strategy samples at Init when the
// outcome space is too large to enumerate (parley.MaxEnumerable).
const DefaultSamples = ufun.DefaultSamples

// bids lists outcomes in ascending order of the party's own utility, so
// that "the cheapest outcome worth at least x" is a binary search
// (ufun.Ladder). The list leaves out every outcome that crosses one of the
// party's own red lines (parley.Profile.Vetoes): a strategy never offers
// one. With every outcome vetoed the list is empty (and the strategy ends
// the negotiation).
//
// For an enumerable space it is the sorted index of the profile's
// ufun.Table (built at Init when the profile's utility is not a table
// already), shared with every other negotiator of that profile. For a space
// too large to enumerate (say the 10^10 outcomes of an ANAC 2014 domain) it
// is a sample of outcomes drawn from a generator seeded by Session.Rand,
// plus the exact best and worst outcomes when the utility is
// linear-additive. Bidding is then limited to the sample.
type bids = ufun.Ladder

// accepts asks ac whether to accept the standing offer of st, worth u, when
// the bid the negotiator would send is worth next and r(t) = r. It fills c,
// the negotiator's own reused Context (so the call allocates nothing), with
// Next = parley.NoOutcome: the negotiator picks among equally good bids only
// after deciding. It does not keep st.
func accepts(ac boa.Acceptance, c *boa.Context, b *bids, st *parley.State, u, next, r float64, rnd *rand.Rand) bool {
	// Field by field rather than *c = boa.Context{...}: the literal is
	// built on the stack one word at a time and copied in with wider loads,
	// which stall on those stores.
	c.State, c.Outcomes, c.Model, c.Rand = st, b, nil, rnd
	c.Reservation, c.Offer, c.OfferUtility, c.Next, c.NextUtility = r, st.Standing, u, parley.NoOutcome, next
	ok := ac.Accept(c)
	c.State = nil
	return ok
}
