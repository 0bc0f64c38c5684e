package anac

import (
	"fmt"
	"math"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/ufun"
)

// DefaultSamples is how many outcomes an agent of this package samples at
// Init when the outcome space is too large to enumerate
// (parley.MaxEnumerable). The GENIUS agents sample too: PonPokoAgent draws
// 30,000 random bids, CUHKAgent 20,000 on large domains.
const DefaultSamples = 100_000

// ladder is the party's own outcomes in ascending order of its utility,
// without those that cross its red lines: ufun.Ladder (shared with package
// strategy and strategy/boa), with the few extra questions these agents
// ask of it.
type ladder struct {
	ufun.Ladder
}

// init builds the ladder for s.Profile (reusing the previous one when the
// profile is unchanged). who names the agent in errors.
func (l *ladder) init(s *parley.Session, samples int, who string) error {
	if samples <= 0 {
		samples = DefaultSamples
	}
	if err := l.Init(s, samples); err != nil {
		return fmt.Errorf("anac: %s: %w", who, err)
	}
	return nil
}

// top returns an outcome of the highest utility (the last one on the
// ladder, so the choice is fixed).
func (l *ladder) top() parley.Outcome { return l.Outcome(l.Len() - 1) }

// upTo returns the position of the dearest outcome worth at most x (within
// parley.Eps), or -1 when every outcome is worth more.
func (l *ladder) upTo(x float64) int { return l.Above(x) - 1 }

// guard is Parley's reservation-value guard, the GuardReservation option
// every agent of the package has (off by default). The GENIUS originals
// know no red lines and, apart from the uses each agent's documentation
// lists, ignore their reservation value: they accept and offer outcomes
// worth less than it. With the guard on, an agent never accepts or offers
// an outcome worth less than r(t) and ends the negotiation when no outcome
// within its red lines is worth r(t). Red lines (vetoes) are respected
// whether the guard is on or off.
type guard bool

// floor returns the utility below which the agent neither accepts nor
// offers at time t: r(t) with the guard on, −∞ (no floor) with it off.
func (g guard) floor(l *ufun.Ladder, t float64) float64 {
	if g {
		return l.Reservation(t)
	}
	return math.Inf(-1)
}

// viable reports whether the agent may go on negotiating at time t: some
// outcome is within its red lines and, with the guard on, one of them is
// worth r(t). When none is, the agents end the negotiation.
func (g guard) viable(l *ufun.Ladder, t float64) bool {
	return !l.Empty() && parley.AtLeast(l.Best(), g.floor(l, t))
}

// acceptable reports whether the agent may agree to o, worth u to it, at
// time t: o crosses none of its red lines and, with the guard on, u ≥ r(t).
func (g guard) acceptable(l *ufun.Ladder, o parley.Outcome, u, t float64) bool {
	return !l.Profile().Vetoed(o) && parley.AtLeast(u, g.floor(l, t))
}

// offerOf returns the offer standing in st made by another party, if any.
func offerOf(st *parley.State) (parley.Outcome, bool) {
	if st.Standing == parley.NoOutcome || st.Proposer == st.Me {
		return parley.NoOutcome, false
	}
	return st.Standing, true
}

// historyHint is the capacity reserved at Init for per-negotiation
// histories, so that Act does not grow them: one entry per offer of the
// whole negotiation, at most 4096.
func historyHint(s *parley.Session) int {
	n := len(s.Names)
	if n < 2 {
		n = 2
	}
	if s.Deadline <= 0 {
		return 256
	}
	return min(s.Deadline*n, 4096)
}

// valueCounts counts, per issue, how often each value appeared in the
// offers it saw: the frequency tables of CUHKAgent, Atlas3 and AgentGG.
type valueCounts struct {
	n [][]int32
}

// reset sizes the tables for space and zeroes them, reusing storage.
func (c *valueCounts) reset(space *parley.OutcomeSpace) {
	if len(c.n) != len(space.Issues) {
		c.n = make([][]int32, len(space.Issues))
	}
	for i := range space.Issues {
		k := space.Issues[i].Size()
		if len(c.n[i]) != k {
			c.n[i] = make([]int32, k)
		}
		clear(c.n[i])
	}
}

// add counts the values of o.
func (c *valueCounts) add(space *parley.OutcomeSpace, o parley.Outcome) {
	for i := range c.n {
		c.n[i][space.ValueIndex(o, i)]++
	}
}

// score returns the sum over issues of the counts of o's values.
func (c *valueCounts) score(space *parley.OutcomeSpace, o parley.Outcome) int {
	s := 0
	for i := range c.n {
		s += int(c.n[i][space.ValueIndex(o, i)])
	}
	return s
}

// seenSet remembers distinct outcomes in first-seen order, with a count
// per outcome; storage is kept between negotiations.
type seenSet struct {
	list  []parley.Outcome
	count []int32
	at    map[parley.Outcome]int32
}

// reset empties the set, reserving room for hint outcomes.
func (s *seenSet) reset(hint int) {
	if s.at == nil || cap(s.list) < hint {
		s.at = make(map[parley.Outcome]int32, hint)
		s.list = make([]parley.Outcome, 0, hint)
		s.count = make([]int32, 0, hint)
		return
	}
	clear(s.at)
	s.list, s.count = s.list[:0], s.count[:0]
}

// add records one more sighting of o and reports whether it is new.
func (s *seenSet) add(o parley.Outcome) bool {
	if k, ok := s.at[o]; ok {
		s.count[k]++
		return false
	}
	s.at[o] = int32(len(s.list))
	s.list = append(s.list, o)
	s.count = append(s.count, 1)
	return true
}
