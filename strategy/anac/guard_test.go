package anac_test

import (
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/strategy/anac"
)

// guardCase is a bilateral negotiation against an opponent that offers
// the same outcome, worth less than the agent's reservation value, on
// every turn: the agent's profile is the percent ladder (outcome k worth
// k/100) scaled by scale, with reservation value r and discount factor d.
type guardCase struct {
	r, d, scale float64
	offer       parley.Outcome
}

// run plays the agent from f against the offer for seed, over 100
// rounds, and returns the agent's profile, the trace and the result.
func (c guardCase) run(t *testing.T, f func() parley.Negotiator, seed uint64) (*parley.Profile, []parley.Event, *parley.Result) {
	t.Helper()
	u := percent()
	for i := range u {
		u[i] *= c.scale
	}
	_, me := ladderSpace(t, u...)
	me.Reservation, me.Discount = c.r, c.d
	v := percent()
	for i := range v {
		v[i] = 1 - v[i]
	}
	_, opp := ladderSpace(t, v...)
	opp.Name, opp.Space = "opp", me.Space
	script := make([]parley.Outcome, 101)
	for i := range script {
		script[i] = c.offer
	}
	ev, res := ag1Run(t, []*parley.Profile{me, opp}, []parley.Negotiator{f(), &parleytest.Scripted{Actions: parleytest.Offers(script...)}}, 100, seed)
	return me, ev, res
}

// guardCases gives, per agent, a case where the GENIUS original agrees
// below its reservation value (or, for CUHKAgent, opens although no
// outcome reaches it).
var guardCases = map[string]guardCase{
	// No use of the reservation value in the Java: each accepts 0.9
	// (AgentK with its probability, the others as their rules reach it).
	"agentk":     {r: 0.95, d: 1, scale: 1, offer: 90},
	"hardheaded": {r: 0.95, d: 1, scale: 1, offer: 90},
	"nicetft":    {r: 0.95, d: 1, scale: 1, offer: 90},
	"ponpoko":    {r: 0.95, d: 1, scale: 1, offer: 90},
	// AgentGG's lower bound has no reservation floor before t = 0.9.
	"agentgg": {r: 0.95, d: 1, scale: 1, offer: 90},
	// Atlas3 accepts what reaches its threshold, which discounting
	// (d = 0.5) brings below the reservation value: 0.57 < 0.6.
	"atlas3": {r: 0.6, d: 0.5, scale: 1, offer: 57},
	// CUHKAgent opens with its best bid (0.9) whatever its reservation
	// value (0.95) and ends the negotiation at its next turn
	// (TerminateCurrentNegotiation: r ≥ its next bid).
	"cuhkagent": {r: 0.95, d: 1, scale: 0.9, offer: 90},
}

// TestGuardReservationOff: by default (GuardReservation off) each agent
// does what its Java does with a reservation value above 0: it agrees to
// an offer worth less than that value when its own rules say so (for
// CUHKAgent: it opens, then ends the negotiation). With the guard on it
// never accepts or offers an outcome worth less than r(t), and ends the
// negotiation at once when no outcome reaches it.
func TestGuardReservationOff(t *testing.T) {
	for _, e := range anac.Agents() {
		c, ok := guardCases[e.Name]
		if !ok {
			t.Fatalf("%s: no guard case", e.Name)
		}
		t.Run(e.Name, func(t *testing.T) {
			off := func() parley.Negotiator { return e.WithGuard(false) }
			on := func() parley.Negotiator { return e.WithGuard(true) }
			below := 0
			for seed := range uint64(10) {
				p, ev, res := c.run(t, off, seed)
				if e.Name == "cuhkagent" {
					if len(ev) < 3 || ev[0].Action != parley.Offer || ev[0].Outcome != 100 || ev[2].Action != parley.End {
						t.Fatalf("seed %d: guard off: %v, want its best bid, then End", seed, ev)
					}
					continue
				}
				if res.Agreed() && p.Utility.Utility(res.Agreement) < c.r {
					below++
				}
			}
			if e.Name != "cuhkagent" && below == 0 {
				t.Errorf("guard off: no agreement below the reservation value %v in 10 seeds; the Java agrees", c.r)
			}
			for seed := range uint64(10) {
				p, ev, _ := c.run(t, on, seed)
				for i, x := range ev {
					if x.Party != 0 {
						continue
					}
					if e.Name == "cuhkagent" && i == 0 && x.Action != parley.End {
						t.Fatalf("seed %d: guard on: opened with %v, want End (nothing reaches %v)", seed, x, c.r)
					}
					if x.Action != parley.End && !p.Acceptable(x.Outcome, x.Time) {
						t.Fatalf("seed %d: guard on: %v of %v worth %v < r = %v", seed, x.Action, x.Outcome, p.Utility.Utility(x.Outcome), c.r)
					}
				}
			}
		})
	}
}

// TestGuardOptionDefaults: an agent's New is its WithGuard(false): the
// guard is off by default.
func TestGuardOptionDefaults(t *testing.T) {
	for _, e := range anac.Agents() {
		c := guardCases[e.Name]
		for seed := range uint64(3) {
			_, a, ra := c.run(t, e.New, seed)
			_, b, rb := c.run(t, func() parley.Negotiator { return e.WithGuard(false) }, seed)
			if len(a) != len(b) || ra.Agreement != rb.Agreement || ra.Rounds != rb.Rounds {
				t.Errorf("%s seed %d: New differs from WithGuard(false)", e.Name, seed)
			}
		}
	}
}
