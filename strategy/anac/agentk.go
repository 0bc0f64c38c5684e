package anac

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/parley-dev/parley"
)

// AgentKOptions configure AgentK. The zero value is the ANAC 2010 agent.
type AgentKOptions struct {
	// Tremor is the width of the random jitter of the bidding exponent β
	// around α (default 2, as in Agent_K.java).
	Tremor float64
	// Samples is the number of outcomes sampled when the space is too
	// large to enumerate (default DefaultSamples).
	Samples int
	// GuardReservation is a Parley adaptation, off by default: the agent
	// never accepts or offers an outcome worth less than its reservation
	// value r(t), and ends the negotiation when no outcome is worth r(t).
	// Agent_K.java never reads its reservation value.
	GuardReservation bool
}

// Validate names the first bad field.
func (o *AgentKOptions) Validate() error {
	if math.IsNaN(o.Tremor) || math.IsInf(o.Tremor, 0) || o.Tremor < 0 {
		return fmt.Errorf("anac: agentk: Tremor = %v, want a finite value ≥ 0", o.Tremor)
	}
	if o.Samples < 0 {
		return fmt.Errorf("anac: agentk: Samples = %d is negative", o.Samples)
	}
	return nil
}

func (o AgentKOptions) tremor() float64 {
	if o.Tremor == 0 {
		return 2
	}
	return o.Tremor
}

// agentKSearchLimit bounds the random draws of one bid search; past it the
// search takes the cheapest outcome at the bid target from the sorted list
// (the Java loop has no bound).
const agentKSearchLimit = 1 << 16

// AgentKReading is what AgentK makes of the offers it has received, as
// computed in Agent_K.acceptProbability.
type AgentKReading struct {
	Mean        float64 // mean utility of the offers received, μ
	Deviation   float64 // sqrt(12·variance): the width of a uniform with that variance
	EstimateMax float64 // μ + (1 − μ)·Deviation: the best utility the opponent is expected to give
	Alpha       float64 // 1 + tremor + 10μ − 2·tremor·μ: the concession exponent
	Target      float64 // the acceptance target
	P           float64 // the probability of accepting the offer (0 when below 0.1)
}

// AgentKRead computes AgentK's reading after an offer worth x at time t,
// when the offers received so far (x included) have utilities with mean
// mean and population variance variance (Agent_K.java acceptProbability,
// lines 185–275):
//
//	dev = sqrt(12·var), estimateMax = μ + (1 − μ)·dev,
//	α = 1 + tremor + 10μ − 2·tremor·μ,
//	preTarget = 1 − t^α·(1 − estimateMax), ratio = min(2, (dev + 0.1)/(1 − preTarget)),
//	target = ratio·preTarget + 1 − ratio, pulled towards estimateMax
//	(r = target − estimateMax, m = 400 − 300·t³, f = min(m, 1/r²),
//	target −= r·f/m; target = estimateMax when not above it),
//	p = t^α/5 + (x − estimateMax) + (x − target), 0 when p < 0.1.
func AgentKRead(x, mean, variance, t, tremor float64) AgentKReading {
	dev := math.Sqrt(variance * 12)
	if math.IsNaN(dev) {
		dev = 0
	}
	x = min(x, 1)
	est := mean + (1-mean)*dev
	alpha := 1 + tremor + 10*mean - 2*tremor*mean
	target := agentKTarget(t, alpha, dev, est)
	p := math.Pow(t, alpha)/5 + (x - est) + (x - target)
	if p < 0.1 {
		p = 0
	}
	return AgentKReading{Mean: mean, Deviation: dev, EstimateMax: est, Alpha: alpha, Target: target, P: p}
}

// agentKTarget is the target of Agent_K.java for exponent e (α for the
// acceptance target, β for the bid target).
func agentKTarget(t, e, dev, est float64) float64 {
	pre := 1 - math.Pow(t, e)*(1-est)
	ratio := (dev + 0.1) / (1 - pre)
	if math.IsNaN(ratio) || ratio > 2 {
		ratio = 2
	}
	target := ratio*pre + 1 - ratio
	m := 400 - 300*t*t*t
	if target > est {
		r := target - est
		f := 1 / (r * r)
		if f > m || math.IsNaN(f) {
			f = m
		}
		return target - r*f/m
	}
	return est
}

// AgentK is the winner of ANAC 2010 (Kawaguchi, Fujita and Ito). It keeps
// the running mean μ and variance of the utilities of the offers it
// receives, estimates the best the opponent will give, estimateMax =
// μ + (1 − μ)·sqrt(12·var), and from it an acceptance target and a bid
// target that fall with time (see AgentKRead). It accepts an offer worth x
// with probability p = t^α/5 + (x − estimateMax) + (x − target) (none below
// 0.1). Otherwise it re-offers, at random, one of the opponent's earlier
// offers worth more than its target, or draws random outcomes until one is
// worth its bid target, lowering the bid target by 0.01 after every 500
// failed draws. It ignores the discount factor, as the 2010 agent does.
//
// Checked against GENIUS agents/anac/y2010/AgentK/Agent_K.java (read in
// Escheck/agents, which matches GENIUS 9.1.9 line for line): chooseAction
// lines 79–102, selectBid 104–141, acceptProbability 185–275. Changes:
// every random choice comes from Session.Rand (Java uses four unseeded
// generators); previously offered bids are kept in first-seen order (Java
// iterates a HashMap); the bid target starts the search at most at the
// best utility the party can offer (Java wastes 500 draws per 0.01 above
// it) and a search is bounded, falling back to the sorted outcomes.
// Parley's red lines: it never offers or accepts a vetoed outcome (and
// ends the negotiation when every outcome is vetoed). Like the Java it
// ignores its reservation value, unless GuardReservation is set.
//
// Act allocates nothing once the received-bid history has the room
// reserved at Init (one entry per offer up to the deadline).
type AgentK struct {
	opts   AgentKOptions
	tremor float64
	guard  guard
	lad    ladder
	u      parley.UtilityFunction
	space  *parley.OutcomeSpace
	rand   *rand.Rand
	ready  bool

	target, bidTarget float64
	sum, sum2         float64
	n                 int
	recv              seenSet   // distinct offers received, within the red lines
	recvU             []float64 // their utilities
	reading           AgentKReading
}

var _ parley.Negotiator = (*AgentK)(nil)

// NewAgentK returns AgentK; the options are checked at Init.
func NewAgentK(opts AgentKOptions) *AgentK { return &AgentK{opts: opts} }

// Init sorts the outcomes and resets the statistics.
func (a *AgentK) Init(_ context.Context, s *parley.Session) error {
	a.ready = false
	if err := a.opts.Validate(); err != nil {
		return err
	}
	if err := a.lad.init(s, a.opts.Samples, "agentk"); err != nil {
		return err
	}
	a.tremor = a.opts.tremor()
	a.guard = guard(a.opts.GuardReservation)
	a.u, a.space, a.rand = a.lad.Func(), s.Profile.Space, s.Rand
	a.target, a.bidTarget = 1, 1
	a.sum, a.sum2, a.n = 0, 0, 0
	a.reading = AgentKReading{}
	hint := historyHint(s)
	a.recv.reset(hint)
	if cap(a.recvU) < hint {
		a.recvU = make([]float64, 0, hint)
	}
	a.recvU = a.recvU[:0]
	a.ready = true
	return nil
}

// Reading returns AgentK's reading of the last offer it received (the
// zero value before the first).
func (a *AgentK) Reading() AgentKReading { return a.reading }

// BidTarget returns the utility AgentK's bid search aims at.
func (a *AgentK) BidTarget() float64 { return a.bidTarget }

// Act accepts the standing offer with AgentK's probability or offers a bid.
func (a *AgentK) Act(_ context.Context, st *parley.State) (parley.Action, error) {
	if !a.ready {
		return parley.Action{}, errors.New("anac: agentk: Act before Init")
	}
	t := st.Time
	if !a.guard.viable(&a.lad.Ladder, t) {
		return parley.EndAction(), nil
	}
	if x, ok := offerOf(st); ok {
		ux := a.u.Utility(x)
		p := a.observe(x, ux, t)
		if p > a.rand.Float64() && a.guard.acceptable(&a.lad.Ladder, x, ux, t) {
			return parley.AcceptAction(), nil
		}
	}
	return parley.OfferOf(a.selectBid(t)), nil
}

// observe updates the statistics with an offer x worth ux and returns the
// probability of accepting it; it also sets the targets.
func (a *AgentK) observe(x parley.Outcome, ux, t float64) float64 {
	if !a.lad.Profile().Vetoed(x) && a.recv.add(x) {
		a.recvU = append(a.recvU, ux)
	}
	a.sum += ux
	a.sum2 += ux * ux
	a.n++
	mean := a.sum / float64(a.n)
	variance := a.sum2/float64(a.n) - mean*mean
	rd := AgentKRead(ux, mean, variance, t, a.tremor)
	beta := rd.Alpha + a.rand.Float64()*a.tremor - a.tremor/2
	a.reading = rd
	a.target = rd.Target
	a.bidTarget = agentKTarget(t, beta, rd.Deviation, rd.EstimateMax)
	return rd.P
}

// selectBid re-offers an earlier offer worth more than the target, or
// searches random outcomes for one worth the bid target.
func (a *AgentK) selectBid(t float64) parley.Outcome {
	r := a.guard.floor(&a.lad.Ladder, t)
	k := 0
	for _, u := range a.recvU {
		if u > a.target && parley.AtLeast(u, r) {
			k++
		}
	}
	if k > 0 {
		j := a.rand.IntN(k)
		for i, u := range a.recvU {
			if u > a.target && parley.AtLeast(u, r) {
				if j == 0 {
					return a.recv.list[i]
				}
				j--
			}
		}
	}
	if a.bidTarget > a.lad.Best() {
		a.bidTarget = a.lad.Best()
	}
	size := int64(a.space.Size())
	loop := 0
	for draws := 0; draws < agentKSearchLimit; draws++ {
		if loop > 500 {
			a.bidTarget -= 0.01
			loop = 0
		}
		o := parley.Outcome(a.rand.Int64N(size))
		if u := a.u.Utility(o); u >= a.bidTarget && parley.AtLeast(u, r) && !a.lad.Profile().Vetoed(o) {
			return o
		}
		loop++
	}
	return a.lad.Pick(min(a.lad.Search(max(a.bidTarget, r)), a.lad.Len()-1), a.rand)
}
