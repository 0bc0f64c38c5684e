package analysis

import (
	"math"

	"github.com/parley-dev/parley"
)

// reservation returns r[a], or 0 when r is too short.
func reservation(r []float64, a int) float64 {
	if a < len(r) {
		return r[a]
	}
	return 0
}

// Rational reports whether the utility vector u is individually rational
// for reservation values r: u[a] >= r[a] - parley.Eps for every party. A
// nil or short r counts as reservation 0 for the missing parties.
func Rational(u, r []float64) bool {
	for a, x := range u {
		if !parley.AtLeast(x, reservation(r, a)) {
			return false
		}
	}
	return true
}

// Welfare returns the social welfare Σ_a u[a].
func Welfare(u []float64) float64 {
	s := 0.0
	for _, x := range u {
		s += x
	}
	return s
}

// Distance returns the Euclidean distance between utility vectors a and b
// (over their common length).
func Distance(a, b []float64) float64 {
	s := 0.0
	for i := range min(len(a), len(b)) {
		d := a[i] - b[i]
		s += d * d
	}
	return math.Sqrt(s)
}

// better reports whether a candidate with score s, welfare w and outcome o
// beats the best so far (bs, bw, bo): a higher score by more than Eps, then
// on a tie within Eps a higher welfare by more than Eps, then a lower
// outcome.
func better(s, w float64, o parley.Outcome, bs, bw float64, bo parley.Outcome) bool {
	if s > bs+parley.Eps {
		return true
	}
	if s < bs-parley.Eps {
		return false
	}
	if w > bw+parley.Eps {
		return true
	}
	if w < bw-parley.Eps {
		return false
	}
	return o < bo
}

// Nash returns the Nash bargaining solution (J. Nash, "The Bargaining
// Problem", Econometrica 18(2), 1950) on a discrete frontier: among the
// individually rational points (Rational(p.U, r)), the one maximising the
// product of gains Π_a (u_a - r_a), gains within Eps below zero counted as
// zero. Products within Eps tie; ties go to the higher welfare, then the
// lower outcome. The disagreement point is r, the undiscounted reservation
// values, as in GENIUS BidSpace.getNash. ok is false when no point is
// individually rational.
func Nash(front []Point, r []float64) (p Point, ok bool) {
	best := -1
	var bs, bw float64
	for i, q := range front {
		if !Rational(q.U, r) {
			continue
		}
		s := 1.0
		for a, x := range q.U {
			s *= max(x-reservation(r, a), 0)
		}
		w := Welfare(q.U)
		if best < 0 || better(s, w, q.Outcome, bs, bw, front[best].Outcome) {
			best, bs, bw = i, s, w
		}
	}
	if best < 0 {
		return Point{}, false
	}
	return front[best], true
}

// Ideal returns the ideal point of the individually rational part of the
// frontier: a[i] = max u_i over its points. ok is false when no point is
// individually rational.
func Ideal(front []Point, r []float64) (a []float64, ok bool) {
	for _, q := range front {
		if !Rational(q.U, r) {
			continue
		}
		if a == nil {
			a = append([]float64(nil), q.U...)
			continue
		}
		for i, x := range q.U {
			a[i] = max(a[i], x)
		}
	}
	return a, a != nil
}

// KalaiSmorodinsky returns the Kalai–Smorodinsky solution (E. Kalai and
// M. Smorodinsky, "Other Solutions to Nash's Bargaining Problem",
// Econometrica 43(3), 1975) on a discrete frontier: among the individually
// rational points, the one maximising the smallest normalised gain
// g_a = (u_a - r_a)/(ideal_a - r_a), where ideal is Ideal(front, r). A
// party whose ideal is within Eps of its reservation value gains nothing
// anywhere and is left out of the minimum (g_a = 1). The max–min form
// always picks a frontier point; GENIUS's variant, which
// minimises Σ|u_i - u_j| and ignores r and the ideal, is not used. Scores
// within Eps tie; ties go to the higher welfare, then the lower outcome. ok
// is false when no point is individually rational.
func KalaiSmorodinsky(front []Point, r []float64) (p Point, ok bool) {
	ideal, ok := Ideal(front, r)
	if !ok {
		return Point{}, false
	}
	best := -1
	var bs, bw float64
	for i, q := range front {
		if !Rational(q.U, r) {
			continue
		}
		s := math.Inf(1)
		for a, x := range q.U {
			ra := reservation(r, a)
			span := ideal[a] - ra
			if span <= parley.Eps {
				continue
			}
			s = min(s, (x-ra)/span)
		}
		if math.IsInf(s, 1) {
			s = 1
		}
		w := Welfare(q.U)
		if best < 0 || better(s, w, q.Outcome, bs, bw, front[best].Outcome) {
			best, bs, bw = i, s, w
		}
	}
	return front[best], true
}

// MaxWelfare returns a point of maximal social welfare Σ_a u_a. Over the
// frontier this is the maximum over all outcomes; reservation values are
// ignored, as in NegMAS max_welfare_points. Welfare within Eps ties; ties go
// to the lower outcome. ok is false only for an empty frontier.
func MaxWelfare(front []Point) (p Point, ok bool) {
	best := -1
	var bw float64
	for i, q := range front {
		w := Welfare(q.U)
		if best < 0 || better(w, w, q.Outcome, bw, bw, front[best].Outcome) {
			best, bw = i, w
		}
	}
	if best < 0 {
		return Point{}, false
	}
	return front[best], true
}

// Opposition returns the opposition of a domain as defined by GENIUS
// MultilateralAnalysis.getOpposition: the smallest Euclidean distance from
// an outcome's utility vector to the point (1, …, 1) where every party is
// fully satisfied. For utilities in [0,1] the nearest outcome is on the
// frontier (a dominating point is never farther), so the frontier suffices.
// 0 means no conflict; a linear zero-sum two-party domain gives √2/2 ≈
// 0.7071. ok is false for an empty frontier.
func Opposition(front []Point) (float64, bool) {
	best := math.Inf(1)
	for _, q := range front {
		s := 0.0
		for _, x := range q.U {
			s += (1 - x) * (1 - x)
		}
		best = min(best, s)
	}
	if len(front) == 0 {
		return 0, false
	}
	return math.Sqrt(best), true
}

// ParetoDistance returns the smallest Euclidean distance from the utility
// vector u to a frontier point (NegMAS OutcomeOptimality.pareto_optimality
// starts from it). It is 0 for a frontier point. ok is false for an empty
// frontier.
func ParetoDistance(front []Point, u []float64) (float64, bool) {
	best := math.Inf(1)
	for _, q := range front {
		best = min(best, Distance(q.U, u))
	}
	if len(front) == 0 {
		return 0, false
	}
	return best, true
}
