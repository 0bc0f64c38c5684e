// Package mediator provides mediator and voter strategies for single-text
// mediation (protocol/mediated).
//
// Mediators hold the text and propose changes: random single-issue
// mutation, hill-climbing over the text's neighbourhood, simulated annealing
// in the mediator (Klein, Faratin and Bar-Yam, AMEC-IV 2002), a
// feedback-learning mediator (Aydoğan et al. 2014), and mediators that seek
// the Nash or Kalai–Smorodinsky point of the parties' declared preferences,
// or a point biased towards their own interests. Voters answer proposals:
// hill-climbing, annealing, reservation-aware and exaggerating voters.
//
// The types here are parley.Voter and parley.Mediator, the roles
// protocol/mediated calls, and satisfy its optional Adopter, Caller and
// Locker structurally: this package imports only parley, ufun and
// analysis. ParseMediator and ParseVoter turn specs
// such as "anneal:t0=0.5" into factories.
package mediator

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/parley-dev/parley"
)

// Mediator is the mediator role, parley.Mediator: Init once per run, then
// Propose once per round with st.Text the current text, st.Standing the
// previous proposal and st.Votes the votes on it. Returning
// parley.NoOutcome steps back.
type Mediator = parley.Mediator

// Voter is the voter role, parley.Voter: Init once per run, then Vote on
// every proposal (st.Standing against st.Text), and on the text itself
// when st.Final is set.
type Voter = parley.Voter

// ErrNoSpace is returned by a mediator whose session has no profile, so
// that it cannot learn the outcome space (protocol/mediated always gives
// one).
var ErrNoSpace = errors.New("mediator: session has no profile, so no outcome space")

// geometry is the issue structure a mediator mutates texts in.
type geometry struct {
	space   *parley.OutcomeSpace
	strides []int
	sizes   []int
	locked  []bool
	free    []int // unlocked issues with at least two values
}

// init reads the space and the locked issues, reusing g's buffers.
func (g *geometry) init(space *parley.OutcomeSpace, locked []int) error {
	n := len(space.Issues)
	g.space = space
	g.strides = resize(g.strides, n)
	g.sizes = resize(g.sizes, n)
	g.locked = resize(g.locked, n)
	clear(g.locked)
	for _, i := range locked {
		if i < 0 || i >= n {
			return fmt.Errorf("mediator: locked issue %d outside the %d issues", i, n)
		}
		g.locked[i] = true
	}
	for i := range n {
		g.strides[i] = space.Stride(i)
		g.sizes[i] = space.Issues[i].Size()
	}
	g.free = g.free[:0]
	for i := range n {
		if !g.locked[i] && g.sizes[i] > 1 {
			g.free = append(g.free, i)
		}
	}
	return nil
}

// value returns the value index of issue i in o.
func (g *geometry) value(o parley.Outcome, i int) int {
	return (int(o) / g.strides[i]) % g.sizes[i]
}

// with returns o with issue i set to value v.
func (g *geometry) with(o parley.Outcome, i, v int) parley.Outcome {
	return o + parley.Outcome((v-g.value(o, i))*g.strides[i])
}

// diff returns the single issue in which a and b differ, or -1 when they
// are equal or differ in more than one issue.
func (g *geometry) diff(a, b parley.Outcome) int {
	at := -1
	for i := range g.sizes {
		if g.value(a, i) != g.value(b, i) {
			if at >= 0 {
				return -1
			}
			at = i
		}
	}
	return at
}

// mutate returns o with one uniformly chosen free issue set to a uniformly
// chosen other value (o itself when no issue is free).
func (g *geometry) mutate(o parley.Outcome, r *rand.Rand) parley.Outcome {
	if len(g.free) == 0 {
		return o
	}
	i := g.free[r.IntN(len(g.free))]
	v := r.IntN(g.sizes[i] - 1)
	if v >= g.value(o, i) {
		v++
	}
	return g.with(o, i, v)
}

// neighbourhood draws the single-issue neighbours of a text in random order
// without repetition (NegMAS HillClimbingSTMechanism's neighbourhood),
// starting over when the text changes or every neighbour
// has been drawn.
type neighbourhood struct {
	perm  []int32 // neighbour codes, partly shuffled
	start []int   // per free issue: its first code; len(free)+1 entries
	k     int     // codes perm[:k] have been drawn for this text
	text  parley.Outcome
}

func (nb *neighbourhood) init(g *geometry) {
	nb.start = resize(nb.start, len(g.free)+1)
	c := 0
	for j, i := range g.free {
		nb.start[j] = c
		c += g.sizes[i] - 1
	}
	nb.start[len(g.free)] = c
	nb.perm = resize(nb.perm, c)
	for j := range nb.perm {
		nb.perm[j] = int32(j)
	}
	nb.k, nb.text = 0, parley.NoOutcome
}

// next returns the next neighbour of text and whether the neighbourhood of
// this text had been exhausted before (and so starts over).
func (nb *neighbourhood) next(g *geometry, text parley.Outcome, r *rand.Rand) (parley.Outcome, bool) {
	if text != nb.text {
		nb.text, nb.k = text, 0
	}
	n := len(nb.perm)
	if n == 0 {
		return text, true
	}
	wrapped := false
	if nb.k == n {
		nb.k, wrapped = 0, true
	}
	j := nb.k + r.IntN(n-nb.k)
	nb.perm[nb.k], nb.perm[j] = nb.perm[j], nb.perm[nb.k]
	c := int(nb.perm[nb.k])
	nb.k++
	// Find the free issue holding code c (few issues: a linear scan).
	f := 0
	for nb.start[f+1] <= c {
		f++
	}
	i := g.free[f]
	v := c - nb.start[f]
	if v >= g.value(text, i) {
		v++
	}
	return g.with(text, i, v), wrapped
}

// exhausted reports whether every neighbour of the current text has been
// drawn.
func (nb *neighbourhood) exhausted() bool { return nb.k == len(nb.perm) }

// resize returns s with length n, reusing its array when large enough.
func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// progress returns the fraction of this negotiation's rounds gone by at
// round r of rounds (stage-local, in [0,1]).
func progress(r, rounds int) float64 {
	if rounds <= 0 {
		return 0
	}
	return min(1, max(0, float64(r)/float64(rounds)))
}
