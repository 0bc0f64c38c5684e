package mediated

import (
	"math"
	"math/rand/v2"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/internal/seat"
)

// additive is a linear-additive utility function, U(o) = B + (1-B)·Σ_i
// Contribution(i, o_i): ufun.LinearAdditive has these methods, and package
// analysis declares the same interface (analysis.Additive) to build
// frontiers by Minkowski sums.
type additive interface {
	Contribution(i, k int) float64
	AgreementBonus() float64
}

// sourcer is a utility function precomputed from another (ufun.Table).
type sourcer interface {
	Source() parley.UtilityFunction
}

// declSource is what the mechanism knows of a profile to perturb it: its
// contribution table when it is linear-additive (tab == nil otherwise).
type declSource struct {
	tab   [][]float64
	top   []float64 // per issue, the largest contribution (the weight, for evaluations normalised to a best value of 1)
	bonus float64
}

// newDeclSource reads uf's contribution table when uf, or the function
// behind it (Source), is linear-additive and agrees with the additive
// formula on a sample of outcomes; otherwise it returns a declSource that
// perturbs outcome utilities.
func newDeclSource(space *parley.OutcomeSpace, uf parley.UtilityFunction) (d declSource) {
	defer func() {
		if recover() != nil {
			d = declSource{}
		}
	}()
	var add additive
	f := uf
	for range 8 {
		if a, ok := f.(additive); ok {
			add = a
			break
		}
		s, ok := f.(sourcer)
		if !ok || s.Source() == nil {
			return declSource{}
		}
		f = s.Source()
	}
	if add == nil {
		return declSource{}
	}
	d.bonus = add.AgreementBonus()
	if math.IsNaN(d.bonus) || d.bonus < 0 || d.bonus >= 1 {
		return declSource{}
	}
	d.tab = make([][]float64, len(space.Issues))
	d.top = make([]float64, len(space.Issues))
	for i := range space.Issues {
		d.tab[i] = make([]float64, space.Issues[i].Size())
		for k := range d.tab[i] {
			c := add.Contribution(i, k)
			if math.IsNaN(c) || math.IsInf(c, 0) || c < 0 {
				return declSource{}
			}
			d.tab[i][k] = c
			d.top[i] = max(d.top[i], c)
		}
	}
	// Check the table against uf itself on a fixed sample (a wrapper may
	// embed an additive function but change its utilities).
	size := uint64(space.Size())
	var vals []int
	x := uint64(0x243f6a8885a308d3)
	for j := range 24 {
		o := uint64(0)
		switch j {
		case 0:
		case 1:
			o = size - 1
		default:
			x = rng.SplitMix64(x)
			o = x % size
		}
		vals = space.Decode(parley.Outcome(o), vals)
		s := 0.0
		for i, k := range vals {
			s += d.tab[i][k]
		}
		s = min(s, 1)
		if d.bonus != 0 {
			s = d.bonus + (1-d.bonus)*s
		}
		if math.Abs(uf.Utility(parley.Outcome(o))-s) > 1e-9 {
			return declSource{}
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
			a := newDeclaredAdditive(m.space, d.bonus)
			for is, row := range d.tab {
				a.tab[is] = make([]float64, len(row))
				for k, c := range row {
					if d.top[is] <= 0 {
						continue
					}
					e := min(1, max(0, c/d.top[is]+sigma*r.NormFloat64()))
					a.tab[is][k] = d.top[is] * e
				}
			}
			q.Utility = a
		} else {
			q.Utility = &declaredNoisy{u: p.Utility, sigma: sigma, key: r.Uint64()}
		}
		out[i] = q
	}
	return out
}

// declaredAdditive is a declared linear-additive utility function:
// U(o) = B + (1-B)·Σ_i tab[i][o_i]. It satisfies analysis.Additive, so the
// frontier of declared profiles is still built without enumeration.
type declaredAdditive struct {
	tab     [][]float64
	bonus   float64
	strides []int
	sizes   []int
}

func newDeclaredAdditive(space *parley.OutcomeSpace, bonus float64) *declaredAdditive {
	n := len(space.Issues)
	a := &declaredAdditive{tab: make([][]float64, n), bonus: bonus, strides: make([]int, n), sizes: make([]int, n)}
	stride := 1
	for i := n - 1; i >= 0; i-- {
		a.strides[i] = stride
		a.sizes[i] = space.Issues[i].Size()
		stride *= a.sizes[i]
	}
	return a
}

// Utility returns the declared utility of o.
func (a *declaredAdditive) Utility(o parley.Outcome) float64 {
	x := int(o)
	s := 0.0
	for i, row := range a.tab {
		s += row[(x/a.strides[i])%a.sizes[i]]
	}
	// Capped at 1 as ufun.LinearAdditive is (GENIUS
	// AdditiveUtilitySpace.getUtility), for weights that sum above 1.
	s = min(s, 1)
	if a.bonus != 0 {
		return a.bonus + (1-a.bonus)*s
	}
	return s
}

// Contribution returns the declared contribution of value k of issue i.
func (a *declaredAdditive) Contribution(i, k int) float64 { return a.tab[i][k] }

// AgreementBonus returns the bonus B.
func (a *declaredAdditive) AgreementBonus() float64 { return a.bonus }

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
