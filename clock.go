package parley

// Clock is how a protocol with a round deadline counts normalised time
// t ∈ [0, 1] over its turns. Deadlines, reservation drift
// (Profile.ReservationAt) and discounting (Profile.Discounted) are counted
// in it. The protocol hands each seat its Clock in Session.Clock, so that a
// negotiator that plans ahead (backward induction, discount-aware
// concession) can know the time of every future turn.
//
// Turns are numbered from 0 within one run; the party that acts on turn s
// is s mod Parties.
type Clock struct {
	Parties int // turns per round
	// Rounds is the run's round budget (its deadline). 0 means the run has
	// no round deadline, only a wall-time limit, whose times cannot be
	// known ahead: At and End then return 0.
	Rounds int
	// Cost is how many units of the clock one round of this run takes (0
	// means 1). Offset and Total count units. A staged protocol declares a
	// cost per stage (Stage.RoundCost) so that a round of mediation and a
	// round of alternating offers can weigh differently on one clock.
	Cost int
	// Offset is the number of units used before this run on a longer clock
	// (earlier stages of a staged protocol).
	Offset int
	// Total is the number of units of the whole clock, Offset and this
	// run's Cost·Rounds included; 0 means Cost·Rounds (a run that is the
	// whole clock).
	Total int
	// GENIUS selects GENIUS's round-based timing, in which every turn of
	// round R (from 1) sees t = (Offset+Cost·R)/(Total+1) (GENIUS
	// DiscreteTimeline.getTime, which counts the round being played).
	// Otherwise time counts turns: turn s sees t = (Offset·Parties +
	// Cost·s)/(Total·Parties), so the first turn sees t = Offset/Total.
	GENIUS bool
}

// cost returns the units per round.
func (c Clock) cost() int {
	if c.Cost <= 0 {
		return 1
	}
	return c.Cost
}

// total returns the units of the whole clock.
func (c Clock) total() int {
	if c.Total == 0 {
		return c.cost() * c.Rounds
	}
	return c.Total
}

// At returns the normalised time of turn s of the run (from 0). The
// arithmetic is Ticker's, so the two never disagree.
func (c Clock) At(s int) float64 {
	k := c.Ticker()
	return k.At(s)
}

// End returns the normalised time at which the deadline ends the run: 1
// for a run that ends the whole clock.
func (c Clock) End() float64 {
	if c.Rounds <= 0 {
		return 0
	}
	if c.GENIUS {
		return float64(c.Offset+c.cost()*c.Rounds) / float64(c.total()+1)
	}
	return float64(c.Offset+c.cost()*c.Rounds) / float64(c.total())
}

// Ticker returns the clock's time function for a protocol's hot loop:
// Ticker.At(s) is At(s), bit for bit, with the per-run arithmetic done
// once.
func (c Clock) Ticker() Ticker {
	k := Ticker{parties: max(c.Parties, 1), step: c.cost(), genius: c.GENIUS, none: c.Rounds <= 0 || c.Parties <= 0}
	if c.GENIUS {
		k.num0, k.den = c.Offset+c.cost(), float64(c.total()+1)
	} else {
		k.num0, k.den = c.Offset*c.Parties, float64(c.total()*c.Parties)
	}
	return k
}

// Ticker is a Clock prepared for repeated At calls (Clock.Ticker).
type Ticker struct {
	num0, step, parties int
	den                 float64
	genius, none        bool
}

// At returns the normalised time of turn s, as Clock.At does.
func (k *Ticker) At(s int) float64 {
	switch {
	case k.none:
		return 0
	case k.genius:
		return float64(k.num0+k.step*(s/k.parties)) / k.den
	}
	return float64(k.num0+k.step*s) / k.den
}

// Units returns the units of the clock this run can use: Cost·Rounds.
func (c Clock) Units() int { return c.cost() * c.Rounds }

// Start returns the normalised time at which the run opens (before its
// first turn): Offset/Total, or Offset/(Total+1) with GENIUS timing.
func (c Clock) Start() float64 {
	if c.Rounds <= 0 {
		return 0
	}
	if c.GENIUS {
		return float64(c.Offset) / float64(c.total()+1)
	}
	return float64(c.Offset) / float64(c.total())
}

// Turns returns the number of turns the run can last: Rounds·Parties.
func (c Clock) Turns() int { return c.Rounds * c.Parties }
