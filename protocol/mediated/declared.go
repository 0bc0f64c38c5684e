package mediated

import (
	"math"
	"math/rand/v2"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/additive"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/internal/seat"
)

// What the mediator sees of each party (Session.Declared), by
// Options.Info:
//
//   - parley.InfoVotes, parley.InfoNothing: nothing (nil).
//   - parley.InfoFull, and parley.InfoDeclared without noise: copies of
//     the true profiles.
//   - parley.InfoSelfReport: each party's report (report), computed once
//     in New from its profile and its reporting strategy (Profile.Report):
//     deterministic, and built from that party's profile alone.
//   - parley.InfoDeclared with noise σ (noisy): drawn afresh in every run
//     from the run's seed.

// declSource is what the mechanism knows of a profile to perturb or
// report it: its contribution table when it is linear-additive (tab ==
// nil otherwise).
type declSource struct {
	tab   [][]float64
	top   []float64 // per issue, the largest contribution (the weight, for evaluations normalised to a best value of 1)
	bonus float64
}

// newDeclSource reads uf's contribution table (additive.Of: uf, or the
// function behind it, is parley.Additive and agrees with the additive
// formula on a sample of outcomes) when no contribution is negative;
// otherwise it returns a declSource without a table.
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

// withWeights returns the table with issue i's weight set to w[i]: every
// contribution of issue i scaled by w[i]/top[i].
func (d *declSource) withWeights(space *parley.OutcomeSpace, w []float64) *additive.Table {
	tab := make([][]float64, len(d.tab))
	for is, row := range d.tab {
		tab[is] = make([]float64, len(row))
		if d.top[is] <= 0 {
			continue
		}
		for k, c := range row {
			tab[is][k] = c / d.top[is] * w[is]
		}
	}
	return additive.New(space, tab, d.bonus)
}

// exaggeratedReservation is what parley.ReportExaggerate declares for a
// reservation value r: a third of the way from r to 1.
func exaggeratedReservation(r float64) float64 { return r + (1-r)/3 }

// exaggeratedWeights returns the weights top with the largest (the first
// of equals) doubled, at most to their sum, and the others scaled so
// that the sum stays the same.
func exaggeratedWeights(top []float64) []float64 {
	w := append([]float64(nil), top...)
	sum, t := 0.0, 0
	for i, x := range w {
		sum += x
		if x > w[t] {
			t = i
		}
	}
	if len(w) == 0 || w[t] <= 0 {
		return w
	}
	nt := min(2*w[t], sum)
	rest := sum - w[t]
	for i := range w {
		switch {
		case i == t:
			w[i] = nt
		case rest > 0:
			w[i] *= (sum - nt) / rest
		}
	}
	return w
}

// report returns the profile party p declares under its reporting
// strategy (parley.InfoSelfReport): a new profile sharing nothing
// writable with p.
func report(space *parley.OutcomeSpace, p *parley.Profile, d *declSource) *parley.Profile {
	q := seat.Clone(p)
	switch p.Report {
	case parley.ReportExaggerate:
		q.Reservation = exaggeratedReservation(p.Reservation)
		if d.tab != nil {
			q.Utility = d.withWeights(space, exaggeratedWeights(d.top))
		}
	case parley.ReportHideRedLines:
		q.Vetoes = nil
	}
	return q
}

// declared returns the run's Session.Declared for the mediator.
func (m *Mechanism) declared(seed uint64) []*parley.Profile {
	if m.base == nil && m.decl == nil {
		return nil
	}
	if m.decl == nil {
		// The mediator's own copies: it may read them, but what it writes
		// must not reach the profiles the mechanism scores with.
		for i, p := range m.base {
			m.declOut[i] = m.declCopy.Profile(i, p)
		}
		return m.declOut[:len(m.base):len(m.base)]
	}
	rng.Reseed(&m.noise, seed, streamNoise)
	r := rand.New(&m.noise)
	out := make([]*parley.Profile, len(m.profiles))
	for i, p := range m.profiles {
		out[i] = noisy(m.space, p, &m.decl[i], m.opts.Noise, r)
	}
	return out
}

// noisy returns a declared profile of p with noise σ (parley.InfoDeclared):
//
//   - weights (linear-additive profiles): each issue's share of the sum of
//     weights perturbed by N(0, σ), clipped at 0, and the weights rescaled
//     to their true sum (the true weights if every share is clipped);
//   - evaluations: each value's evaluation relative to the best value of
//     its issue perturbed by N(0, σ) and clipped to [0,1]; the declared
//     profile is still linear-additive. A profile that is not is perturbed
//     outcome by outcome (declaredNoisy);
//   - the reservation value perturbed by N(0, σ), clipped to [0,1];
//   - red lines: each one dropped with probability σ, and with
//     probability σ one false red line added, on a uniformly drawn value
//     that is not already one.
func noisy(space *parley.OutcomeSpace, p *parley.Profile, d *declSource, sigma float64, r *rand.Rand) *parley.Profile {
	q := seat.Clone(p)
	if d.tab != nil {
		sum := 0.0
		for _, x := range d.top {
			sum += x
		}
		w := make([]float64, len(d.top))
		tot := 0.0
		for is, x := range d.top {
			if sum > 0 {
				w[is] = max(0, x/sum+sigma*r.NormFloat64())
			}
			tot += w[is]
		}
		for is := range w {
			if tot > 0 {
				w[is] *= sum / tot
			} else {
				w[is] = d.top[is]
			}
		}
		tab := make([][]float64, len(d.tab))
		for is, row := range d.tab {
			tab[is] = make([]float64, len(row))
			for k, c := range row {
				if d.top[is] <= 0 {
					continue
				}
				e := min(1, max(0, c/d.top[is]+sigma*r.NormFloat64()))
				tab[is][k] = w[is] * e
			}
		}
		// Still linear-additive (parley.Additive), so that the frontier
		// of declared profiles is built without enumeration.
		q.Utility = additive.New(space, tab, d.bonus)
	} else {
		q.Utility = &declaredNoisy{u: p.Utility, sigma: sigma, key: r.Uint64()}
	}
	q.Reservation = min(1, max(0, p.Reservation+sigma*r.NormFloat64()))
	q.Vetoes = q.Vetoes[:0]
	for _, v := range p.Vetoes {
		if r.Float64() >= sigma {
			q.Vetoes = append(q.Vetoes, v)
		}
	}
	if r.Float64() < sigma {
		if v, ok := falseRedLine(space, p, r); ok {
			q.Vetoes = append(q.Vetoes, v)
		}
	}
	if len(q.Vetoes) == 0 {
		q.Vetoes = nil
	}
	return q
}

// falseRedLine draws a value uniformly among those that are not one of
// p's red lines (ok false when every value is).
func falseRedLine(space *parley.OutcomeSpace, p *parley.Profile, r *rand.Rand) (parley.ValueRef, bool) {
	n := 0
	for _, is := range space.Issues {
		n += is.Size()
	}
	n -= len(p.Vetoes)
	if n <= 0 {
		return parley.ValueRef{}, false
	}
	k := r.IntN(n)
	for i, is := range space.Issues {
		for v := range is.Size() {
			ref := parley.ValueRef{Issue: i, Value: v}
			if isVeto(p.Vetoes, ref) {
				continue
			}
			if k == 0 {
				return ref, true
			}
			k--
		}
	}
	return parley.ValueRef{}, false
}

func isVeto(vs []parley.ValueRef, v parley.ValueRef) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
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
