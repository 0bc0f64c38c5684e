package parley

// Additive is a linear-additive utility function with an agreement bonus:
//
//	U(o) = B + (1-B)·min(1, Σ_i Contribution(i, o_i))
//
// where o_i is the value index of issue i in o and B = AgreementBonus() lies
// in [0,1). The sum is capped at 1 as GENIUS caps it
// (AdditiveUtilitySpace.getUtility), which matters only for weights that sum
// to more than 1, as GENIUS profile files may have.
//
// It is the one description of additive structure that packages share:
// analysis builds frontiers from it by Minkowski sums, protocol/mediated
// perturbs declared profiles issue by issue, and mediators enumerate only
// the individually rational outcomes. ufun.LinearAdditive satisfies it
// (Contribution(i, k) = W[i]·Eval[i][k]); a precomputed table exposes the
// function it was computed from through Source() parley.UtilityFunction.
//
// Implementations are read-only: Contribution must return the same number
// for the same (i, k) on every call, from any goroutine, and must not
// allocate. Callers do not trust the claim blindly: they check it against
// Utility on a sample of outcomes, so that a wrapper that embeds an
// additive function but changes its utilities is not taken for additive.
type Additive interface {
	UtilityFunction
	// Contribution returns the share of value index k of issue i in the
	// sum, before the bonus is applied.
	Contribution(i, k int) float64
	// AgreementBonus returns B.
	AgreementBonus() float64
}
