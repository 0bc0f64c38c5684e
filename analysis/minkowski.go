package analysis

import (
	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/additive"
)

// additives reports whether every utility function is linear-additive over
// space (additive.Of: parley.Additive, possibly behind a table's Source(),
// checked against its utilities on a sample of outcomes) and, if so,
// returns the contribution tables (tabs[a][i][k] is party a's contribution
// of value k of issue i) and the agreement bonuses.
func additives(space *parley.OutcomeSpace, ufs []parley.UtilityFunction) (tabs [][][]float64, bonus []float64, ok bool) {
	tabs = make([][][]float64, len(ufs))
	bonus = make([]float64, len(ufs))
	for a, uf := range ufs {
		t, b, good := additive.Of(space, uf)
		if !good {
			return nil, nil, false
		}
		tabs[a], bonus[a] = t, b
	}
	return tabs, bonus, true
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
