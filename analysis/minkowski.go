package analysis

import (
	"math"

	"github.com/parley-dev/parley"
)

// additives reports whether every utility function is linear-additive over
// space and, if so, returns the contribution tables (tabs[a][i][k] is party
// a's contribution of value k of issue i) and the agreement bonuses.
//
// A function counts as additive when it, or the function behind it through
// Source() (ufun.Table), implements Additive with a bonus in [0,1), finite
// contributions, and utilities that match the additive formula (within
// 1e-9) on a fixed sample of outcomes. The check guards against wrappers
// that embed an additive function but change its utility (discounting,
// constraints): those are enumerated instead.
func additives(space *parley.OutcomeSpace, ufs []parley.UtilityFunction) (tabs [][][]float64, bonus []float64, ok bool) {
	tabs = make([][][]float64, len(ufs))
	bonus = make([]float64, len(ufs))
	for a, uf := range ufs {
		add, found := additiveOf(uf)
		if !found {
			return nil, nil, false
		}
		t, b, good := probe(space, uf, add)
		if !good {
			return nil, nil, false
		}
		tabs[a], bonus[a] = t, b
	}
	return tabs, bonus, true
}

// additiveOf finds the Additive behind uf, unwrapping Source() a few times.
func additiveOf(uf parley.UtilityFunction) (Additive, bool) {
	for range 8 {
		if add, ok := uf.(Additive); ok {
			return add, true
		}
		s, ok := uf.(sourcer)
		if !ok {
			return nil, false
		}
		uf = s.Source()
		if uf == nil {
			return nil, false
		}
	}
	return nil, false
}

// probe reads add's contribution table over space and checks it against
// uf's utilities on a sample of outcomes. A panic in add (for example a
// function built for another space, indexed out of range) counts as "not
// additive here".
func probe(space *parley.OutcomeSpace, uf parley.UtilityFunction, add Additive) (tab [][]float64, bonus float64, ok bool) {
	defer func() {
		if recover() != nil {
			tab, bonus, ok = nil, 0, false
		}
	}()
	bonus = add.AgreementBonus()
	if math.IsNaN(bonus) || bonus < 0 || bonus >= 1 {
		return nil, 0, false
	}
	tab = make([][]float64, len(space.Issues))
	for i := range space.Issues {
		tab[i] = make([]float64, space.Issues[i].Size())
		for k := range tab[i] {
			c := add.Contribution(i, k)
			if math.IsNaN(c) || math.IsInf(c, 0) {
				return nil, 0, false
			}
			tab[i][k] = c
		}
	}
	n := uint64(space.Size())
	var vals []int
	x := uint64(0x9e3779b97f4a7c15)
	for j := range 34 {
		var o uint64
		switch j {
		case 0:
			o = 0
		case 1:
			o = n - 1
		default:
			x = splitmix(x)
			o = x % n
		}
		vals = space.Decode(parley.Outcome(o), vals)
		s := 0.0
		for i, k := range vals {
			s += tab[i][k]
		}
		s = min(s, 1)
		if bonus != 0 {
			s = bonus + (1-bonus)*s
		}
		if math.Abs(uf.Utility(parley.Outcome(o))-s) > 1e-9 {
			return nil, 0, false
		}
	}
	return tab, bonus, true
}

// splitmix is one step of the SplitMix64 generator (Steele, Lea, Flood,
// OOPSLA 2014), used for a fixed, seed-free sample of outcomes.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	z := x
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// minkowski builds the frontier of additive utilities without enumerating
// outcomes (GENIUS ParetoFrontierF does the same by
// divide and conquer for two parties). The utility vectors of all outcomes
// are the Minkowski sum C_1 ⊕ … ⊕ C_m of the per-issue contribution sets,
// and PF(A ⊕ B) ⊆ PF(A) ⊕ PF(B), so
//
//	F_0 = {0};  F_i = PF(F_{i-1} ⊕ PF(C_i))
//
// ends with the frontier. A candidate's code is its partial outcome index in
// mixed radix (first issue most significant), code·size_i + k after issue
// i, so the last codes are outcomes and the lowest code among equal partial
// vectors leads to the lowest outcome. Partial sums are accumulated in issue
// order exactly as an additive Utility does, so the final vectors equal
// Utility bit for bit. Raw sums are compared with tolerance Eps/(1-bonus)
// per party, which is Eps after the bonus transform; a last pass on the
// transformed vectors applies Eps itself.
func minkowski(space *parley.OutcomeSpace, tabs [][][]float64, bonus []float64) ([]Point, error) {
	d := len(tabs)
	tol := make([]float64, d)
	for a := range tol {
		tol[a] = parley.Eps / (1 - bonus[a])
	}
	cols := make([][]float64, d)
	for a := range cols {
		cols[a] = []float64{0}
	}
	codes := []int{0}
	ccols := make([][]float64, d)
	for i := range space.Issues {
		size := space.Issues[i].Size()
		// PF(C_i): the issue's useful values.
		for a := range ccols {
			ccols[a] = make([]float64, size)
			for k := range size {
				ccols[a][k] = tabs[a][i][k]
			}
		}
		vals := paretoIDs(ccols, nil, tol)
		if len(codes)*len(vals) > maxCandidates {
			return nil, errCandidates
		}
		// F_{i-1} ⊕ PF(C_i).
		m := len(codes) * len(vals)
		next := make([][]float64, d)
		for a := range next {
			next[a] = make([]float64, 0, m)
			for f := range codes {
				s := cols[a][f]
				for _, k := range vals {
					next[a] = append(next[a], s+ccols[a][k])
				}
			}
		}
		ncodes := make([]int, 0, m)
		for _, c := range codes {
			for _, k := range vals {
				ncodes = append(ncodes, c*size+k)
			}
		}
		keep := paretoIDs(next, ncodes, tol)
		for a := range cols {
			cols[a] = make([]float64, len(keep))
			for j, id := range keep {
				cols[a][j] = next[a][id]
			}
		}
		codes = make([]int, len(keep))
		for j, id := range keep {
			codes[j] = ncodes[id]
		}
	}
	for a, b := range bonus {
		for j, s := range cols[a] {
			// The cap at 1 (see Additive) can make points equal or
			// dominated that were not: the last pruning below removes them.
			s = min(s, 1)
			if b != 0 {
				s = b + (1-b)*s
			}
			cols[a][j] = s
		}
		tol[a] = parley.Eps
	}
	keep := paretoIDs(cols, codes, tol)
	return points(cols, codes, keep), nil
}
