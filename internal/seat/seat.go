// Package seat gives each seat of a negotiation (a negotiator, a voter or a
// mediator, which may be someone else's code) its own copy of what it may
// know, so that nothing a seat writes changes the mechanism's state, another
// seat's view or how anyone is scored.
//
// A mechanism keeps the authoritative parley.State and profiles and hands
// each seat, on every turn, a view from Views.Of, and once per run the
// session copies from Copies. Both reuse buffers kept between calls: a turn
// allocates nothing.
package seat

import "github.com/parley-dev/parley"

// Views holds one private parley.State per seat.
//
// Scalars are copied afresh on every turn. The offer history is copied
// into the seat's own buffer incrementally: each turn appends the records
// that are new since the seat's previous turn, so a turn costs O(1)
// amortised instead of O(history). The buffer is handed out with its
// capacity cut to its length, so a seat that appends to State.Offers gets
// a slice of its own; a seat that overwrites records it has already been
// shown corrupts only its own view, never the mechanism's history nor
// another seat's.
type Views struct {
	states []parley.State
	offers [][]parley.OfferRecord
	seen   []int
	votes  [][]parley.Vote
}

// Reset prepares views for n seats at the start of a run; capacity is the
// expected length of the offer history (a hint).
func (v *Views) Reset(n, capacity int) {
	if len(v.states) != n {
		v.states = make([]parley.State, n)
		v.offers = make([][]parley.OfferRecord, n)
		v.seen = make([]int, n)
		v.votes = make([][]parley.Vote, n)
		for i := range v.offers {
			v.offers[i] = make([]parley.OfferRecord, 0, capacity)
		}
	}
	clear(v.seen)
}

// Of returns seat i's view of auth: a copy of its scalars, its offer
// history, and no votes (State.Votes nil; only a mediator may see votes, see
// OfWithVotes).
func (v *Views) Of(i int, auth *parley.State) *parley.State {
	s := &v.states[i]
	k := v.seen[i]
	if k > len(auth.Offers) {
		k = 0
	}
	buf := append(v.offers[i][:k], auth.Offers[k:]...)
	v.offers[i], v.seen[i] = buf, len(buf)
	*s = *auth
	s.Offers = buf[:len(buf):len(buf)]
	s.Votes = nil
	return s
}

// OfWithVotes is Of with a private copy of votes (a mediator's view).
func (v *Views) OfWithVotes(i int, auth *parley.State, votes []parley.Vote) *parley.State {
	s := v.Of(i, auth)
	buf := append(v.votes[i][:0], votes...)
	v.votes[i] = buf
	s.Votes = buf[:len(buf):len(buf)]
	return s
}

// Copies holds the per-seat copies of sessions' names and profiles.
type Copies struct {
	profiles []parley.Profile
	spaces   []*parley.OutcomeSpace
	vetoes   [][]parley.ValueRef
	rats     [][]parley.Ratification
	names    [][]string
}

// Reset prepares copies for n seats.
func (c *Copies) Reset(n int) {
	if len(c.profiles) != n {
		c.profiles = make([]parley.Profile, n)
		c.spaces = make([]*parley.OutcomeSpace, n)
		c.vetoes = make([][]parley.ValueRef, n)
		c.rats = make([][]parley.Ratification, n)
		c.names = make([][]string, n)
	}
}

// Profile returns seat i's private copy of src: every field is copied
// afresh, the red lines, ratification risks and outcome space (whose issue
// and value names are exported) into the seat's own buffers, so that what
// a seat writes reaches no other seat and no later run. The utility
// function is shared: it is immutable (package ufun's types have no
// exported fields).
func (c *Copies) Profile(i int, src *parley.Profile) *parley.Profile {
	if src == nil {
		return nil
	}
	p := &c.profiles[i]
	*p = *src
	if src.Space != nil {
		c.spaces[i] = src.Space.CopyTo(c.spaces[i])
		p.Space = c.spaces[i]
	}
	c.vetoes[i] = append(c.vetoes[i][:0], src.Vetoes...)
	c.rats[i] = append(c.rats[i][:0], src.Ratification...)
	p.Vetoes = c.vetoes[i][:len(src.Vetoes):len(src.Vetoes)]
	p.Ratification = c.rats[i][:len(src.Ratification):len(src.Ratification)]
	if src.Vetoes == nil {
		p.Vetoes = nil
	}
	if src.Ratification == nil {
		p.Ratification = nil
	}
	return p
}

// Names returns seat i's private copy of names.
func (c *Copies) Names(i int, names []string) []string {
	c.names[i] = append(c.names[i][:0], names...)
	return c.names[i][:len(names):len(names)]
}

// Clone returns a copy of p that shares no writable memory with it (the
// utility function and space are immutable and shared). Mechanisms keep
// such a copy to score from.
func Clone(p *parley.Profile) *parley.Profile {
	if p == nil {
		return nil
	}
	q := *p
	q.Vetoes = append([]parley.ValueRef(nil), p.Vetoes...)
	q.Ratification = append([]parley.Ratification(nil), p.Ratification...)
	return &q
}
