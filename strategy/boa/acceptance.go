package boa

import (
	"math"

	"github.com/parley-dev/parley"
)

// The acceptance conditions of Baarslag, Hindriks and Jonker ("Effective
// acceptance conditions in multi-issue negotiation", Decision Support
// Systems 60, 2014; GENIUS negotiator/boaframework/acceptanceconditions/
// other/AC_Next.java, AC_Const, AC_Time, AC_Combi, AC_CombiMaxInWindow):
// the one library of them, used by the BOA Negotiator and by package
// strategy's negotiators (its "ac" parameter reads Acceptances). Utilities
// are the party's own, undiscounted (with a discount factor both sides of
// every comparison would be scaled by the same δ^t).

// ACNext is AC_next(α, β): accept iff α·u(x_opp) + β ≥ u(x_next), where
// x_next is the bid the agent would send. ACNext(1, 0) is the classic one.
func ACNext(alpha, beta float64) AcceptanceFunc {
	return func(c *Context) bool { return parley.AtLeast(alpha*c.OfferUtility+beta, c.NextUtility) }
}

// ACConst is AC_const(c): accept iff u(x_opp) ≥ c.
func ACConst(c float64) AcceptanceFunc {
	return func(x *Context) bool { return parley.AtLeast(x.OfferUtility, c) }
}

// ACTime is AC_time(T): accept any offer once the normalised time t ≥ T.
func ACTime(T float64) AcceptanceFunc {
	return func(c *Context) bool { return c.State != nil && c.State.Time >= T }
}

// ACAny accepts when any of the conditions does (checked in order).
func ACAny(conds ...Acceptance) AcceptanceFunc {
	conds = append([]Acceptance(nil), conds...)
	return func(c *Context) bool {
		for _, a := range conds {
			if a.Accept(c) {
				return true
			}
		}
		return false
	}
}

// ACCombi is AC_combi(T) = AC_next(1, 0) ∨ AC_time(T) (GENIUS AC_Combi).
func ACCombi(T float64) AcceptanceFunc { return ACAny(ACNext(1, 0), ACTime(T)) }

// ACCombiMax is AC_combi(T, MAX^W), the best condition of Baarslag et al.
// 2014: AC_next(1, 0), or t ≥ T and u(x_opp) is at least the best utility
// among the offers the other parties made in the window [t − (1 − t), t]
// (the remaining time mirrored back, as GENIUS AC_CombiMaxInWindow).
func ACCombiMax(T float64) AcceptanceFunc {
	next := ACNext(1, 0)
	return func(c *Context) bool {
		if next(c) {
			return true
		}
		st := c.State
		if st == nil || st.Time < T || c.Outcomes == nil {
			return false
		}
		u := c.Outcomes.Func()
		lo := st.Time - (1 - st.Time)
		best := math.Inf(-1)
		for i := len(st.Offers) - 1; i >= 0 && st.Offers[i].Time >= lo; i-- {
			if r := &st.Offers[i]; r.Party != st.Me {
				best = max(best, u.Utility(r.Outcome))
			}
		}
		return parley.AtLeast(c.OfferUtility, best)
	}
}
