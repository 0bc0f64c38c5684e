package mediated

import (
	"math"
	"math/rand/v2"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/additive"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/internal/seat"
)

// declSource is what the mechanism knows of a profile to perturb it: its
// contribution table when it is linear-additive (tab == nil otherwise).
type declSource struct {
	tab   [][]float64
	top   []float64 // per issue, the largest contribution (the weight, for evaluations normalised to a best value of 1)
	bonus float64
}

// newDeclSource reads uf's contribution table (additive.Of: uf, or the
// function behind it, is parley.Additive and agrees with the additive
// formula on a sample of outcomes) when no contribution is negative;
// otherwise it returns a declSource that perturbs outcome utilities.
func newDeclSource(space *parley.OutcomeSpace, uf parley.UtilityFunction) declSource {
	tab, bonus, ok := additive.Of(space, uf)
	if !ok {
		return declSource{}
	}
	d := declSource{tab: tab, top: make([]float64, len(tab)), bonus: bonus}
	for i, row := range tab {
		for _, c := range row {
			if c < 0 {
				return declSource{}
			}
			d.top[i] = max(d.top[i], c)
		}
	}
	return d
}

// declared returns the run's Session.Declared for the mediator.
func (m *Mechanism) declared(seed uint64) []*parley.Profile {
	if m.opts.Info == parley.InfoNone || m.opts.Info == parley.InfoNothing {
		return nil
	}
	if m.decl == nil {
		// The mediator's own copies of the true profiles: it may read them,
		// but what it writes must not reach the profiles the mechanism
		// scores with.
		for i, p := range m.truth {
			m.declOut[i] = m.declCopy.Profile(i, p)
		}
		return m.declOut[:len(m.truth):len(m.truth)]
	}
	rng.Reseed(&m.noise, seed, streamNoise)
	r := rand.New(&m.noise)
	sigma := m.opts.Noise
	out := make([]*parley.Profile, len(m.profiles))
	for i, p := range m.profiles {
		q := seat.Clone(p)
		d := &m.decl[i]
		if d.tab != nil {
			tab := make([][]float64, len(d.tab))
			for is, row := range d.tab {
				tab[is] = make([]float64, len(row))
				for k, c := range row {
					if d.top[is] <= 0 {
						continue
					}
					e := min(1, max(0, c/d.top[is]+sigma*r.NormFloat64()))
					tab[is][k] = d.top[is] * e
				}
			}
			// Still linear-additive (parley.Additive), so that the frontier
			// of declared profiles is built without enumeration.
			q.Utility = additive.New(m.space, tab, d.bonus)
		} else {
			q.Utility = &declaredNoisy{u: p.Utility, sigma: sigma, key: r.Uint64()}
		}
		out[i] = q
	}
	return out
}

// declaredNoisy is a declared utility function that perturbs every
// outcome's utility by N(0, sigma), clipped to [0,1]. The noise of an
// outcome is a hash of the run's key and the outcome, so it needs no table
// and is the same at every call.
type declaredNoisy struct {
	u     parley.UtilityFunction
	sigma float64
	key   uint64
}

// Utility returns the declared utility of o.
func (d *declaredNoisy) Utility(o parley.Outcome) float64 {
	h1 := rng.SplitMix64(d.key ^ uint64(o))
	h2 := rng.SplitMix64(h1)
	// Box–Muller with u1 in (0,1].
	u1 := (float64(h1>>11) + 1) / (1 << 53)
	u2 := float64(h2>>11) / (1 << 53)
	z := math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
	return min(1, max(0, d.u.Utility(o)+d.sigma*z))
}
