package strategy

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/parley-dev/parley"
)

// MaxRubinsteinWork bounds the backward induction a Rubinstein negotiator
// does in Init: turns × outcomes.
const MaxRubinsteinWork = 200_000_000

// RubinsteinOptions configure a Rubinstein negotiator. The zero value plays
// a pie: the opponent's utility is the complement of the negotiator's own,
// its discount factor the same, its reservation value 0.
type RubinsteinOptions struct {
	// OpponentDiscount is the opponent's discount factor δ in (0, 1]; 0
	// means the negotiator's own.
	OpponentDiscount float64
	// Opponent is the opponent's utility function when it is known
	// (Rubinstein's model assumes complete information); nil means the
	// complement 1 − u(ω) of the negotiator's own utility: splitting a pie.
	Opponent parley.UtilityFunction
	// OpponentReservation is the opponent's reservation value, in [0, 1].
	OpponentReservation float64
}

// Validate names the first bad field.
func (o *RubinsteinOptions) Validate() error {
	if math.IsNaN(o.OpponentDiscount) || o.OpponentDiscount < 0 || o.OpponentDiscount > 1 {
		return fmt.Errorf("strategy: rubinstein: OpponentDiscount = %v outside (0, 1] (0: the negotiator's own)", o.OpponentDiscount)
	}
	if math.IsNaN(o.OpponentReservation) || o.OpponentReservation < 0 || o.OpponentReservation > 1 {
		return fmt.Errorf("strategy: rubinstein: OpponentReservation = %v outside [0, 1]", o.OpponentReservation)
	}
	return nil
}

// Rubinstein plays the subgame-perfect equilibrium of the bilateral
// alternating-offers game with discounting (Rubinstein 1982, "Perfect
// equilibrium in a bargaining model", Econometrica 50(1)), solved by
// backward induction over the protocol's own clock (Session.Clock), its
// deadline and the outcome space.
//
// Each party's payoff is its utility discounted at the time of agreement,
// u·δ^t (parley.Profile.Discounted), or its reservation value discounted at
// the end without one. On the last turn the acting party can only accept,
// so an offer made then is worth nothing; on every earlier turn the
// proposer offers the outcome best for itself among those the responder
// accepts on the next turn, where the responder accepts an offer worth at
// least what it gets by going on (making its own equilibrium offer) or by
// walking away. Ties are broken towards the responder, then by outcome
// index. The negotiator accepts exactly the offers worth, discounted now, at
// least its equilibrium value of the turn (within parley.Eps).
//
// On a pie with per-turn discount factors d₁, d₂ (δᵢ = dᵢ^(turns)) the first
// proposer's share tends, as the deadline recedes, to Rubinstein's
// (1 − d₂)/(1 − d₁d₂), and the first offer is accepted at once. With a
// deadline, the equilibrium is the finite-horizon one: the party that makes
// the last acceptable offer gains. The opponent's utility, discount factor
// and reservation value are assumptions (RubinsteinOptions): the
// negotiator plays the equilibrium of the game it believes it is in, and
// against anyone else it still never accepts less than that game promises.
// It needs two parties, a round deadline and an enumerable space.
type Rubinstein struct {
	opts RubinsteinOptions
	s    *parley.Session

	me    int
	clock parley.Clock
	// plan[k] is the offer to make on turn k (NoOutcome: end the
	// negotiation); value[k] the negotiator's own equilibrium value of
	// turn k before acting, discounted.
	plan  []parley.Outcome
	value []float64
}

var _ parley.Negotiator = (*Rubinstein)(nil)

// NewRubinstein returns a Rubinstein negotiator with options o.
func NewRubinstein(o RubinsteinOptions) (*Rubinstein, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return &Rubinstein{opts: o}, nil
}

// Init solves the game by backward induction.
func (r *Rubinstein) Init(_ context.Context, s *parley.Session) error {
	r.s, r.plan, r.value = nil, nil, nil
	if s == nil || s.Profile == nil || s.Profile.Space == nil || s.Profile.Utility == nil {
		return errors.New("strategy: rubinstein: no profile")
	}
	if len(s.Names) != 2 || s.Party < 0 || s.Party > 1 {
		return fmt.Errorf("strategy: rubinstein: plays bilateral negotiations only (%d parties)", len(s.Names))
	}
	c := s.Clock
	if c.Rounds <= 0 || c.Parties != 2 {
		return errors.New("strategy: rubinstein: needs a round deadline (its equilibrium is computed over the protocol's turns)")
	}
	space := s.Profile.Space
	if !space.Enumerable() {
		return fmt.Errorf("strategy: rubinstein: %d outcomes are too many to enumerate", space.Size())
	}
	n, turns := space.Size(), c.Turns()
	if float64(n)*float64(turns) > MaxRubinsteinWork {
		return fmt.Errorf("strategy: rubinstein: %d turns × %d outcomes exceed the planning bound of %d", turns, n, MaxRubinsteinWork)
	}
	me, op := s.Party, 1-s.Party
	// u[i][x]: party i's undiscounted utility of x; vetoed[x]: x crosses
	// the negotiator's own red line.
	var u [2][]float64
	u[me], u[op] = make([]float64, n), make([]float64, n)
	vetoed := make([]bool, n)
	for x := range n {
		o := parley.Outcome(x)
		u[me][x] = s.Profile.Utility.Utility(o)
		if r.opts.Opponent != nil {
			u[op][x] = r.opts.Opponent.Utility(o)
		} else {
			u[op][x] = 1 - u[me][x]
		}
		vetoed[x] = len(s.Profile.Vetoes) > 0 && s.Profile.Vetoed(o)
	}
	var delta [2]float64
	delta[me] = s.Profile.DiscountFactor()
	delta[op] = r.opts.OpponentDiscount
	if delta[op] == 0 {
		delta[op] = delta[me]
	}
	disc := func(i int, v, t float64) float64 {
		t = min(1, max(0, t))
		if delta[i] == 1 {
			return v
		}
		return v * math.Pow(delta[i], t)
	}
	reservation := func(i int, t float64) float64 {
		if i == me {
			return s.Profile.ReservationAt(t)
		}
		return r.opts.OpponentReservation
	}
	// walk[i]: party i's payoff when someone ends the negotiation at time t.
	walk := func(i int, t float64) float64 { return disc(i, reservation(i, t), t) }

	end := c.End()
	plan := make([]parley.Outcome, turns)
	value := make([]float64, turns)
	// next[i]: party i's equilibrium payoff of the subgame that starts at
	// turn k+1 (before its actor decides). Past the last turn: the deadline.
	next := [2]float64{walk(0, end), walk(1, end)}
	for k := turns - 1; k >= 0; k-- {
		p := k % 2 // the actor of turn k
		q := 1 - p
		tk := c.At(k)
		// Going on (an offer nobody accepts, or on the last turn any offer)
		// gives next; walking away gives the reservation values now.
		cur := next
		plan[k] = parley.NoOutcome
		if w := walk(p, tk); w > cur[p]+parley.Eps {
			cur = [2]float64{walk(0, tk), walk(1, tk)}
		}
		if k < turns-1 {
			t1 := c.At(k + 1)
			// The responder accepts on turn k+1 what is worth at least its
			// value of that turn, itself at least its walk-away value.
			need := max(next[q], walk(q, t1)) - parley.Eps
			best, bp, bq := -1, 0.0, 0.0
			for x := range n {
				if vetoed[x] {
					continue
				}
				vq := disc(q, u[q][x], t1)
				if vq < need {
					continue
				}
				vp := disc(p, u[p][x], t1)
				if best < 0 || vp > bp+parley.Eps || (vp >= bp-parley.Eps && vq > bq+parley.Eps) {
					best, bp, bq = x, vp, vq
				}
			}
			if best >= 0 && bp >= cur[p]-parley.Eps {
				cur = [2]float64{}
				cur[p], cur[q] = bp, bq
				plan[k] = parley.Outcome(best)
			}
		}
		if plan[k] == parley.NoOutcome && cur == next {
			// Going on is best: make the offer best for the actor (the
			// responder refuses it).
			plan[k] = r.bestFor(u[me], vetoed)
		}
		value[k] = cur[me]
		next = cur
	}
	r.s, r.me, r.clock, r.plan, r.value = s, me, c, plan, value
	return nil
}

// bestFor returns the outcome best for the negotiator that its red lines
// allow (NoOutcome when they allow none).
func (r *Rubinstein) bestFor(u []float64, vetoed []bool) parley.Outcome {
	best := parley.NoOutcome
	for x := range u {
		if !vetoed[x] && (best == parley.NoOutcome || u[x] > u[best]+parley.Eps) {
			best = parley.Outcome(x)
		}
	}
	return best
}

// Act accepts an offer worth, discounted now, at least the equilibrium
// value of the turn, and otherwise makes the turn's equilibrium offer (or
// ends the negotiation where the equilibrium walks away).
func (r *Rubinstein) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if r.s == nil {
		return parley.Action{}, errors.New("strategy: rubinstein: Act before Init")
	}
	k := st.Step
	if k < 0 || k >= len(r.plan) {
		return parley.Action{}, fmt.Errorf("strategy: rubinstein: turn %d outside the %d turns planned", k, len(r.plan))
	}
	p := r.s.Profile
	if x := st.Standing; x != parley.NoOutcome && r.s.Profile.Space.Valid(x) && !(len(p.Vetoes) > 0 && p.Vetoed(x)) {
		if p.Discounted(p.Utility.Utility(x), r.clock.At(k)) >= r.value[k]-parley.Eps {
			return parley.AcceptAction(), nil
		}
	}
	if r.plan[k] == parley.NoOutcome {
		return parley.EndAction(), nil
	}
	return parley.OfferOf(r.plan[k]), nil
}
