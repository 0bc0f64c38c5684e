package parley

import "math"

// Walk-outs as decisions. A party with the walk rule leaves a negotiation
// when continuing is worth less to it than leaving now (Profile.Walks).
// Leaving at normalised time t yields its reservation value r(t)
// (Profile.ReservationAt, drifting). Continuing yields what it expects to
// be offered (a Prospect: the best offer so far, b, improving at the rate
// ρ seen so far, up to a ceiling c), which it may take at any time s
// between now and the deadline end, or else r(end) at the deadline. Every
// value is discounted alike (u·δ^t), so, relative to now,
//
//	continue = max( r(end)·δ^(end−t), max over s in [t, end] of min(b + ρ·(s−t), c)·δ^(s−t) )
//
// and the party leaves iff continue < r(t) − Eps. Hence nobody leaves when
// continuing is worth more, and nobody leaves while the best offer so far
// is worth r(t) (s = t). The estimate comes from an Outlook of what the
// party has been offered; without two observations at different times
// there is none and the party stays. The rule is Parley's, not a published
// one; the exogenous walk-away hazard (Profile.Hazard) is a separate,
// optional shock.

// Prospect is what a party expects to be offered from now on: the best
// offer so far (Best), improving at Rate per unit of normalised time, never
// beyond Ceiling (a negotiator's own target: it does not expect more than
// it asks for).
type Prospect struct {
	Best, Rate, Ceiling float64
}

// Outlook estimates a Prospect from the offers a party has seen. The zero
// value has seen nothing; it allocates nothing.
type Outlook struct {
	first, best float64 // utilities of the first and the best offer seen
	tFirst      float64 // when the first was seen
	n           int
}

// Reset forgets everything seen (a new negotiation).
func (o *Outlook) Reset() { *o = Outlook{} }

// See records an offer (or a standing text) worth u to the party at time t.
func (o *Outlook) See(u, t float64) {
	if o.n == 0 {
		o.first, o.best, o.tFirst = u, u, t
	}
	o.best = max(o.best, u)
	o.n++
}

// Expect returns the prospect at time t: the best offer so far, improving
// at the average rate (best − first)/(t − t_first) seen since the first,
// up to ceiling. ok is false without two observations at different times.
func (o *Outlook) Expect(t, ceiling float64) (pr Prospect, ok bool) {
	if o.n < 2 || !(t > o.tFirst) {
		return Prospect{}, false
	}
	return Prospect{Best: o.best, Rate: max(0, o.best-o.first) / (t - o.tFirst), Ceiling: ceiling}, true
}

// Value returns max over x in [0, horizon] of min(Best + Rate·x, Ceiling)·δ^x
// (δ in (0, 1]; 0 means 1): the most the prospect is worth now, taken at
// the best time within the horizon. A ceiling below Best counts as Best.
func (pr Prospect) Value(delta, horizon float64) float64 {
	b, rho, c := pr.Best, max(pr.Rate, 0), max(pr.Ceiling, pr.Best)
	horizon = max(horizon, 0)
	if delta <= 0 || delta > 1 {
		delta = 1
	}
	f := func(x float64) float64 { return min(b+rho*x, c) * math.Pow(delta, x) }
	v := f(0)
	if rho == 0 {
		return v
	}
	xc := min((c-b)/rho, horizon) // where the ceiling is reached (or the horizon)
	v = max(v, f(xc))             // beyond xc the value only falls (δ ≤ 1)
	if delta < 1 {
		// (b + ρx)·δ^x peaks at x* = −1/ln δ − b/ρ.
		if x := -1/math.Log(delta) - b/rho; x > 0 && x < xc {
			v = max(v, f(x))
		}
	}
	return v
}

// ContinueValue returns what continuing until the deadline end is worth
// at time t, relative to now, with prospect pr: max(r(end)·δ^(end−t),
// pr.Value(δ, end−t)).
func (p *Profile) ContinueValue(pr Prospect, t, end float64) float64 {
	end = max(end, t)
	d := p.DiscountFactor()
	return max(p.ReservationAt(end)*math.Pow(d, end-t), pr.Value(d, end-t))
}

// Walks reports whether the party leaves at time t with prospect pr and
// the deadline at end: ContinueValue(pr, t, end) < r(t) − Eps.
func (p *Profile) Walks(pr Prospect, t, end float64) bool {
	return p.ContinueValue(pr, t, end) < p.ReservationAt(t)-Eps
}
