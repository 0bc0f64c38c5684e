// Package analysis computes the properties of a negotiation scenario and of
// its agreements: the exact Pareto frontier, the Nash and Kalai–Smorodinsky
// bargaining solutions, maximal social welfare, the opposition of a domain,
// and per-agreement distances to these reference points.
//
// Every function is pure and deterministic. Utilities are compared with the
// tolerance parley.Eps: two utility vectors are equal when they differ by at
// most Eps in every coordinate, and a dominates b when a_i >= b_i - Eps for
// every party and a_j > b_j + Eps for some party. Real scenarios hold
// outcomes whose utilities tie in decimal but differ by one ulp in float64;
// without the tolerance such a tie would add a spurious frontier point
// (GENIUS PartialBidPoint.isDominatedBy uses 1e-13 the same way).
// Equality within Eps is not transitive; results are exact whenever values
// meant to be equal lie within Eps of each other and values meant to differ
// differ by more, which holds for float64 utilities of real scenarios.
//
// The frontier is computed in one of three ways, chosen by Frontier:
// the Minkowski-sum method when every utility function is linear-additive
// (no enumeration, so it also works on spaces far too large to enumerate), a
// sort-and-sweep for two parties and a Sort-Filter-Skyline for three or more
// parties over enumerated utilities.
package analysis

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/parley-dev/parley"
)

// Point is one point of a Pareto frontier: an outcome and its utility
// vector, one utility per party in the order the utility functions were
// given.
type Point struct {
	Outcome parley.Outcome `json:"outcome"`
	U       []float64      `json:"utilities"`
}

// Method names the algorithm that computed a frontier.
type Method string

const (
	// Minkowski is the Minkowski-sum method for linear-additive utilities:
	// the frontier of the sum of per-issue contribution sets, pruned after
	// every partial sum.
	Minkowski Method = "minkowski"
	// Sweep is the two-party sort-and-sweep over enumerated utilities,
	// preceded by a linear bucket filter.
	Sweep Method = "sweep"
	// Skyline is Sort-Filter-Skyline (Chomicki, Godfrey, Gryz, Liang,
	// "Skyline with Presorting", ICDE 2003) over enumerated utilities for
	// any number of parties, preceded by a LESS-style elimination filter
	// (Godfrey, Shipley, Gryz, VLDB 2005) and, for three parties, by an
	// O(n log n) sweep filter (Kung, Luccio, Preparata, JACM 1975).
	Skyline Method = "skyline"
)

// valuer is a utility function that holds its value for every outcome of an
// enumerable space, indexed by outcome.
type valuer interface {
	Values() []float64
}

// maxCandidates bounds the candidates of one Minkowski merge step; beyond
// it the frontier is too large for the method to pay off.
var maxCandidates = 1 << 22

var errCandidates = errors.New("analysis: Minkowski step exceeds the candidate limit")

// Frontier returns the Pareto frontier of the outcome space under the given
// utility functions (one per party, in order): every outcome whose utility
// vector no other outcome dominates, one representative per distinct
// utility vector. Among outcomes with equal vectors (within parley.Eps) the
// representative is the one with the lowest outcome index.
//
// Points are sorted by U[0] descending, then U[1] descending and so on, then
// by outcome; for two parties U[1] is then ascending.
//
// When every utility function is linear-additive (parley.Additive,
// possibly behind a table whose Source() is additive), the frontier is
// built by the Minkowski-sum method without enumerating outcomes. Otherwise
// the space must be enumerable (parley.OutcomeSpace.Enumerable); if it is
// not, the error wraps parley.ErrTooLarge.
func Frontier(space *parley.OutcomeSpace, ufs []parley.UtilityFunction) ([]Point, error) {
	pts, _, err := frontier(space, ufs)
	return pts, err
}

// frontier is Frontier that also reports the method used.
func frontier(space *parley.OutcomeSpace, ufs []parley.UtilityFunction) ([]Point, Method, error) {
	if space == nil {
		return nil, "", errors.New("analysis: no outcome space")
	}
	if len(ufs) == 0 {
		return nil, "", errors.New("analysis: no utility functions")
	}
	for a, uf := range ufs {
		if uf == nil {
			return nil, "", fmt.Errorf("analysis: party %d: no utility function", a+1)
		}
	}
	if tabs, bonus, ok := additives(space, ufs); ok {
		pts, err := minkowski(space, tabs, bonus)
		if err == nil {
			return pts, Minkowski, nil
		}
		if !errors.Is(err, errCandidates) || !space.Enumerable() {
			return nil, "", fmt.Errorf("%w: %w", err, parley.ErrTooLarge)
		}
	}
	if !space.Enumerable() {
		return nil, "", fmt.Errorf("analysis: %d outcomes and not every utility function is linear-additive: %w", space.Size(), parley.ErrTooLarge)
	}
	us, err := Utilities(space, ufs)
	if err != nil {
		return nil, "", err
	}
	pts, err := FrontierOf(us)
	if err != nil {
		return nil, "", err
	}
	if len(us) == 2 {
		return pts, Sweep, nil
	}
	return pts, Skyline, nil
}

// Utilities returns every party's utility for every outcome of an
// enumerable space: us[a][o] is party a's utility of outcome o. A utility
// function that exposes its precomputed values (a Values() []float64 method
// returning one value per outcome) is not re-evaluated, and its slice is
// returned as is: callers must not modify the result.
func Utilities(space *parley.OutcomeSpace, ufs []parley.UtilityFunction) ([][]float64, error) {
	if space == nil {
		return nil, errors.New("analysis: no outcome space")
	}
	if !space.Enumerable() {
		return nil, fmt.Errorf("analysis: %d outcomes exceed the enumeration limit of %d: %w", space.Size(), parley.MaxEnumerable, parley.ErrTooLarge)
	}
	n := space.Size()
	us := make([][]float64, len(ufs))
	for a, uf := range ufs {
		if uf == nil {
			return nil, fmt.Errorf("analysis: party %d: no utility function", a+1)
		}
		if v, ok := uf.(valuer); ok {
			if vs := v.Values(); len(vs) == n {
				us[a] = vs
				continue
			}
		}
		us[a] = evaluate(n, uf)
	}
	return us, nil
}

// evaluate computes f on outcomes 0..n-1, in parallel for large n.
func evaluate(n int, f parley.UtilityFunction) []float64 {
	u := make([]float64, n)
	workers := runtime.GOMAXPROCS(0)
	if n < 1<<16 {
		workers = 1
	}
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, n)
		wg.Go(func() {
			for o := lo; o < hi; o++ {
				u[o] = f.Utility(parley.Outcome(o))
			}
		})
	}
	wg.Wait()
	return u
}

// FrontierOf returns the Pareto frontier of precomputed utilities: us[a][o]
// is party a's utility of outcome o, and every party must give the same
// number of outcomes. Its representatives and order are those of Frontier.
// Two parties use the sort-and-sweep, more use Sort-Filter-Skyline.
func FrontierOf(us [][]float64) ([]Point, error) {
	if len(us) == 0 {
		return nil, errors.New("analysis: no utilities")
	}
	n := len(us[0])
	for a, u := range us {
		if len(u) != n {
			return nil, fmt.Errorf("analysis: party %d has %d utilities, party 1 has %d", a+1, len(u), n)
		}
		for o, x := range u {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("analysis: party %d: utility of outcome %d is %v", a+1, o, x)
			}
		}
	}
	if len(us) == 2 {
		return points2(sweep(us[0], us[1], nil, parley.Eps, parley.Eps)), nil
	}
	tol := make([]float64, len(us))
	for a := range tol {
		tol[a] = parley.Eps
	}
	return points(us, nil, skylineIDs(us, nil, tol)), nil
}

// points builds the frontier points of the candidates ids (outcome =
// codes[id], or id when codes is nil), sorted as documented on Frontier.
func points(cols [][]float64, codes []int, ids []int) []Point {
	d := len(cols)
	buf := make([]float64, len(ids)*d)
	pts := make([]Point, len(ids))
	for j, id := range ids {
		u := buf[j*d : (j+1)*d : (j+1)*d]
		for a := range cols {
			u[a] = cols[a][id]
		}
		o := id
		if codes != nil {
			o = codes[id]
		}
		pts[j] = Point{Outcome: parley.Outcome(o), U: u}
	}
	sortPoints(pts)
	return pts
}

// points2 builds the frontier points of two-party candidates whose ids are
// outcomes.
func points2(c []pt2) []Point {
	buf := make([]float64, 2*len(c))
	pts := make([]Point, len(c))
	for j, p := range c {
		u := buf[2*j : 2*j+2 : 2*j+2]
		u[0], u[1] = p.u0, p.u1
		pts[j] = Point{Outcome: parley.Outcome(p.id), U: u}
	}
	sortPoints(pts)
	return pts
}

// sortPoints sorts by U descending (lexicographic), then outcome.
func sortPoints(pts []Point) {
	order := func(p, q Point) int {
		for a := range p.U {
			if c := cmp.Compare(q.U[a], p.U[a]); c != 0 {
				return c
			}
		}
		return cmp.Compare(p.Outcome, q.Outcome)
	}
	if !slices.IsSortedFunc(pts, order) {
		slices.SortFunc(pts, order)
	}
}

// paretoIDs returns the candidates (indices 0..len(cols[0])-1) on the
// Pareto frontier, one per class of equal vectors (the lowest code), in no
// particular order. tol[a] is the tolerance of coordinate a.
func paretoIDs(cols [][]float64, codes []int, tol []float64) []int {
	if len(cols) != 2 {
		return skylineIDs(cols, codes, tol)
	}
	out := sweep(cols[0], cols[1], codes, tol[0], tol[1])
	ids := make([]int, len(out))
	for j, p := range out {
		ids[j] = p.id
	}
	return ids
}

// pt2 is a two-party candidate: its utilities and its index.
type pt2 struct {
	u0, u1 float64
	id     int
}

// sweep is the two-party frontier with tolerances t0,
// t1: the candidates that may be on the frontier, sorted by (u0 desc, u1
// desc, code asc) (see sorted2), are swept once. It returns the frontier
// with u0 descending; a candidate's code is codes[id], or id when codes is
// nil.
func sweep(u0, u1 []float64, codes []int, t0, t1 float64) []pt2 {
	code := func(id int) int {
		if codes == nil {
			return id
		}
		return codes[id]
	}
	cand := sorted2(u0, u1, code, t0)
	// Invariant: out is the frontier of the points seen so far, u0
	// descending and u1 ascending; its last point has the highest u1. It
	// reuses cand's array, behind the read position.
	out := cand[:0]
	for _, p := range cand {
		if len(out) == 0 {
			out = append(out, p)
			continue
		}
		q := &out[len(out)-1]
		switch {
		case p.u1 > q.u1+t1:
			// p is better than every kept point in u1 by more than the
			// tolerance, so nothing kept dominates it; it dominates the
			// kept points whose u0 is within t0 of its own.
			for len(out) > 0 && out[len(out)-1].u0 <= p.u0+t0 {
				out = out[:len(out)-1]
			}
			out = append(out, p)
		case p.u1 >= q.u1-t1 && q.u0-p.u0 <= t0:
			// Equal to q within the tolerance: keep the lower code.
			if code(p.id) < code(q.id) {
				*q = p
			}
		default:
			// q dominates p.
		}
	}
	return slices.Clip(out)
}

// sorted2 returns the candidates that may be on the two-party frontier,
// sorted by (u0 desc, u1 desc, code asc).
//
// Large inputs are split into buckets of u0 wider than 2·t0. A point is
// dropped when some point two or more buckets higher (so better in u0 by
// more than t0) has a strictly higher u1, since that point dominates it.
// The survivors are distributed by bucket (a counting sort, as the bucket
// is monotone in u0) and each bucket is sorted on its own, which is much
// faster than one sort when most points survive.
func sorted2(u0, u1 []float64, code func(int) int, t0 float64) []pt2 {
	order := func(p, q pt2) int {
		if p.u0 != q.u0 {
			if p.u0 > q.u0 {
				return -1
			}
			return 1
		}
		if p.u1 != q.u1 {
			if p.u1 > q.u1 {
				return -1
			}
			return 1
		}
		return cmp.Compare(code(p.id), code(q.id))
	}
	n := len(u0)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range u0 {
		lo = min(lo, x)
		hi = max(hi, x)
	}
	nb := min(n/16, 1<<16)
	if n < 1<<12 || !(hi-lo > 4*t0*float64(nb)) {
		c := make([]pt2, n)
		for i := range c {
			c[i] = pt2{u0[i], u1[i], i}
		}
		slices.SortFunc(c, order)
		return c
	}
	scale := float64(nb) / (hi - lo)
	bucket := func(x float64) int { return min(int((x-lo)*scale), nb-1) }
	top := make([]float64, nb+2) // top[b]: highest u1 in buckets >= b
	for b := range top {
		top[b] = math.Inf(-1)
	}
	for i, x := range u0 {
		b := bucket(x)
		top[b] = max(top[b], u1[i])
	}
	for b := nb - 2; b >= 0; b-- {
		top[b] = max(top[b], top[b+1])
	}
	// start[b]: where bucket b begins in the output, highest bucket first.
	start := make([]int, nb+1)
	for i, x := range u0 {
		if b := bucket(x); u1[i] >= top[b+2] {
			start[b]++
		}
	}
	total := 0
	for b := nb - 1; b >= 0; b-- {
		k := start[b]
		start[b] = total
		total += k
	}
	start[nb] = total // unused sentinel
	c := make([]pt2, total)
	next := slices.Clone(start[:nb])
	for i, x := range u0 {
		if b := bucket(x); u1[i] >= top[b+2] {
			c[next[b]] = pt2{x, u1[i], i}
			next[b]++
		}
	}
	for b := range nb {
		if seg := c[start[b]:next[b]]; len(seg) > 1 {
			slices.SortFunc(seg, order)
		}
	}
	return c
}

// relation compares a with b under tolerances tol: it reports whether a
// dominates b, and whether they are equal.
func relation(cols [][]float64, a, b int, tol []float64) (dominates, equal bool) {
	strict := false
	for k, col := range cols {
		x, y := col[a], col[b]
		if x < y-tol[k] {
			return false, false
		}
		if x > y+tol[k] {
			strict = true
		}
	}
	if strict {
		return true, false
	}
	// a >= b - tol everywhere and a <= b + tol everywhere.
	return false, true
}

// skylineIDs returns the frontier of any number of parties.
//
// Every input goes through the elimination filter of LESS (eliminate) and
// then Sort-Filter-Skyline (window). Three parties get two more steps in
// between: the O(n log n) sweep filter3 removes every point dominated with
// all coordinates at least as large, and nearTies sets aside the survivors
// that no other survivor can dominate or equal within the tolerances, which
// are final; only the rest, usually none, go through the window. Large
// three-party frontiers thus cost O(n log n) rather than O(n·|F|).
func skylineIDs(cols [][]float64, codes []int, tol []float64) []int {
	ids := eliminate(cols, len(cols[0]), tol)
	if len(cols) != 3 || len(ids) < 32 {
		return window(cols, codes, ids, tol)
	}
	clean, suspects := nearTies(cols, filter3(cols, ids, tol), tol)
	return append(clean, window(cols, codes, suspects, tol)...)
}

// window is Sort-Filter-Skyline (Chomicki, Godfrey, Gryz, Liang, ICDE
// 2003) over the candidates ids: a presort by the sum of utilities
// (descending; a point can only be dominated by a point of larger sum, up
// to the tolerances) and one pass through a window of frontier points,
// stored contiguously. Because of the tolerances a later point may still
// dominate a window point whose sum is below its own plus Σtol; such
// window points, at the window's tail, are removed when it is inserted.
// The cost is O(n·|F|·d) in the worst case, where |F| is the frontier size.
func window(cols [][]float64, codes []int, ids []int, tol []float64) []int {
	d := len(cols)
	code := func(id int) int {
		if codes == nil {
			return id
		}
		return codes[id]
	}
	sumTol := 0.0
	for _, t := range tol {
		sumTol += t
	}
	type cand struct {
		s  float64
		id int
	}
	cs := make([]cand, len(ids))
	for j, id := range ids {
		cs[j] = cand{sum(cols, id), id}
	}
	slices.SortFunc(cs, func(p, q cand) int {
		if c := cmp.Compare(q.s, p.s); c != 0 {
			return c
		}
		return cmp.Compare(code(p.id), code(q.id))
	})
	// The window: point j has utilities wu[j*d:(j+1)*d], sum ws[j] and
	// index wid[j]. Points are appended in presort order, so ws is
	// non-increasing up to Σtol (an equal point may replace an entry).
	var wu, ws []float64
	var wid []int
	p := make([]float64, d)
	hot := 0 // the last dominator found: the next point often shares it
	for _, c := range cs {
		for a, col := range cols {
			p[a] = col[c.id]
		}
		keep := true
		if hot < len(wid) {
			if dom, _ := dominance(wu[hot*d:(hot+1)*d], p, tol); dom {
				continue
			}
		}
		for j := range wid {
			dom, eq := dominance(wu[j*d:(j+1)*d], p, tol)
			if dom {
				keep, hot = false, j
				break
			}
			if eq {
				if code(c.id) < code(wid[j]) {
					copy(wu[j*d:(j+1)*d], p)
					ws[j], wid[j] = c.s, c.id
				}
				keep = false
				break
			}
		}
		if !keep {
			continue
		}
		for j := len(wid) - 1; j >= 0 && ws[j] < c.s+2*sumTol; j-- {
			if dom, _ := dominance(p, wu[j*d:(j+1)*d], tol); dom {
				wu = slices.Delete(wu, j*d, (j+1)*d)
				ws = slices.Delete(ws, j, j+1)
				wid = slices.Delete(wid, j, j+1)
			}
		}
		wu = append(wu, p...)
		ws = append(ws, c.s)
		wid = append(wid, c.id)
	}
	return wid
}

// sum returns the sum of candidate id's utilities.
func sum(cols [][]float64, id int) float64 {
	s := 0.0
	for _, col := range cols {
		s += col[id]
	}
	return s
}

// dominance compares utility vectors w and p under tolerances tol: it
// reports whether w dominates p, and whether they are equal.
func dominance(w, p, tol []float64) (dominates, equal bool) {
	strict := false
	for k, x := range w {
		if x < p[k]-tol[k] {
			return false, false
		}
		if x > p[k]+tol[k] {
			strict = true
		}
	}
	return strict, !strict
}

// eliminate is the elimination filter of LESS: a small window of the
// highest-sum points seen so far drops every point one of them dominates.
// It returns the survivors 0..n-1 in order.
func eliminate(cols [][]float64, n int, tol []float64) []int {
	const size = 8
	if n < 1<<12 {
		ids := make([]int, n)
		for i := range ids {
			ids[i] = i
		}
		return ids
	}
	var ef []int
	var efs []float64
	var ids []int
	for i := 0; i < n; i++ {
		dominated := false
		for _, e := range ef {
			if dom, _ := relation(cols, e, i, tol); dom {
				dominated = true
				break
			}
		}
		if dominated {
			continue
		}
		ids = append(ids, i)
		s := sum(cols, i)
		if len(ef) < size {
			ef = append(ef, i)
			efs = append(efs, s)
			continue
		}
		worst := 0
		for j := range efs {
			if efs[j] < efs[worst] {
				worst = j
			}
		}
		if s > efs[worst] {
			ef[worst], efs[worst] = i, s
		}
	}
	return ids
}

// filter3 drops, in O(n log n), the three-party candidates ids that
// another candidate dominates with every coordinate at least as large (no
// tolerance needed on the "at least" side), and returns the others in the
// order given. It is the sweep of Kung, Luccio and Preparata ("On finding
// the maxima of a set of vectors", JACM 1975) used as a filter: candidates
// are taken by u0 descending, and two max-Fenwick trees over the rank of u1
// hold u2 of the candidates seen so far (all) and of those better in u0 by
// more than t0 (late). A candidate p is dropped when a seen q has q ≥ p and
//
//	q0 > p0+t0  (late: max u2 over q1 ≥ p1 is ≥ p2), or
//	q1 > p1+t1  (all:  max u2 over q1 > p1+t1 is ≥ p2), or
//	q2 > p2+t2  (all:  max u2 over q1 ≥ p1 is > p2+t2).
//
// What remains is the frontier plus points dominated only within the
// tolerances, which the window pass of skylineIDs settles.
func filter3(cols [][]float64, ids []int, tol []float64) []int {
	u0, u1, u2 := cols[0], cols[1], cols[2]
	n := len(ids)
	type pt struct {
		u float64
		j int // position in ids
	}
	// rank[j]: the rank of u1 among the distinct values vals (ascending);
	// above[r]: the first rank whose value exceeds vals[r]+t1.
	byU1 := make([]pt, n)
	for j, id := range ids {
		byU1[j] = pt{u1[id], j}
	}
	slices.SortFunc(byU1, func(p, q pt) int { return cmp.Compare(p.u, q.u) })
	rank := make([]int, n)
	var vals []float64
	for _, p := range byU1 {
		if len(vals) == 0 || vals[len(vals)-1] != p.u {
			vals = append(vals, p.u)
		}
		rank[p.j] = len(vals) - 1
	}
	m := len(vals)
	above := make([]int, m)
	for r, hi := 0, 0; r < m; r++ {
		for hi < m && vals[hi] <= vals[r]+tol[1] {
			hi++
		}
		above[r] = hi
	}
	// By u0 descending, then u1 and u2 descending: whatever dominates p with
	// every coordinate at least as large comes before it.
	order := byU1
	for j, id := range ids {
		order[j] = pt{u0[id], j}
	}
	slices.SortFunc(order, func(p, q pt) int {
		if c := cmp.Compare(q.u, p.u); c != 0 {
			return c
		}
		if c := cmp.Compare(rank[q.j], rank[p.j]); c != 0 {
			return c
		}
		if c := cmp.Compare(u2[ids[q.j]], u2[ids[p.j]]); c != 0 {
			return c
		}
		return cmp.Compare(p.j, q.j)
	})
	all, late := newFenwick(m), newFenwick(m)
	keep := make([]bool, n)
	next := 0
	for k, p := range order {
		for ; next < k && order[next].u > p.u+tol[0]; next++ {
			q := order[next].j
			late.update(rank[q], u2[ids[q]])
		}
		r, x := rank[p.j], u2[ids[p.j]]
		dominated := late.query(r) >= x ||
			all.query(above[r]) >= x ||
			all.query(r) > x+tol[2]
		keep[p.j] = !dominated
		all.update(r, x)
	}
	var out []int
	for j, k := range keep {
		if k {
			out = append(out, ids[j])
		}
	}
	return out
}

// fenwick is a Fenwick tree (binary indexed tree) over ranks 0..m-1 that
// answers "the largest value stored at rank r or above".
type fenwick []float64

func newFenwick(m int) fenwick {
	f := make(fenwick, m+1)
	for i := range f {
		f[i] = math.Inf(-1)
	}
	return f
}

// update stores v at rank r.
func (f fenwick) update(r int, v float64) {
	for i := len(f) - 1 - r; i < len(f); i += i & -i {
		f[i] = max(f[i], v)
	}
}

// query returns the largest value stored at ranks >= r (-Inf if none).
func (f fenwick) query(r int) float64 {
	best := math.Inf(-1)
	for i := len(f) - 1 - r; i > 0; i -= i & -i {
		best = max(best, f[i])
	}
	return best
}

// nearTies splits the three-party candidates ids, none of which dominates
// another with every coordinate at least as large (filter3), into those
// that are certainly on the frontier and the suspects that still need the
// window pass.
//
// If q dominates or equals p within the tolerances, some coordinate has
// q_a < p_a ≤ q_a + tol_a (else q ≥ p exactly, and filter3 would have
// dropped p), or q = p exactly. Following exact dominance upwards from q
// reaches a candidate that also dominates p and, for the same reason, is
// within tol_a but not equal to p in some coordinate. So a candidate with
// no exact duplicate and, in every coordinate, no other candidate's value
// within tol_a (other than its own value) is final. Suspects are found by
// sorting the candidates on each coordinate and on the whole vector.
func nearTies(cols [][]float64, ids []int, tol []float64) (clean, suspects []int) {
	n := len(ids)
	suspect := make([]bool, n)
	order := make([]int, n)
	for a, col := range cols {
		for j := range order {
			order[j] = j
		}
		slices.SortFunc(order, func(i, j int) int { return cmp.Compare(col[ids[i]], col[ids[j]]) })
		// Runs of equal values; adjacent runs closer than tol_a are suspect.
		for lo := 0; lo < n; {
			hi := lo + 1
			for hi < n && col[ids[order[hi]]] == col[ids[order[lo]]] {
				hi++
			}
			if hi < n && col[ids[order[hi]]]-col[ids[order[lo]]] <= tol[a] {
				end := hi + 1
				for end < n && col[ids[order[end]]] == col[ids[order[hi]]] {
					end++
				}
				for _, j := range order[lo:end] {
					suspect[j] = true
				}
			}
			lo = hi
		}
	}
	for j := range order {
		order[j] = j
	}
	vec := func(i, j int) int {
		for _, col := range cols {
			if c := cmp.Compare(col[ids[i]], col[ids[j]]); c != 0 {
				return c
			}
		}
		return 0
	}
	slices.SortFunc(order, vec)
	for k := 1; k < n; k++ {
		if vec(order[k-1], order[k]) == 0 {
			suspect[order[k-1]], suspect[order[k]] = true, true
		}
	}
	for j, id := range ids {
		if suspect[j] {
			suspects = append(suspects, id)
		} else {
			clean = append(clean, id)
		}
	}
	return clean, suspects
}
