package mediator

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/internal/additive"
	"github.com/parley-dev/parley/ufun"
)

// Solution names the point a Seeker aims at.
type Solution uint8

const (
	// SolutionNash is the Nash bargaining solution of the declared
	// profiles: argmax Π (u_i - r_i) over individually rational outcomes
	// (analysis.Nash).
	SolutionNash Solution = iota
	// SolutionKS is the Kalai–Smorodinsky solution of the declared
	// profiles (analysis.KalaiSmorodinsky).
	SolutionKS
	// SolutionBiased is argmax (1-α)·N̂(o) + α·û_M(o) over the outcomes
	// the mediator expects the parties to accept: N̂ is
	// the parties' Nash product divided by its largest value, û_M the
	// mediator's own utility rescaled to [0,1] over those outcomes, α the
	// bias.
	SolutionBiased
)

// String returns "nash", "ks" or "biased".
func (s Solution) String() string {
	switch s {
	case SolutionNash:
		return "nash"
	case SolutionKS:
		return "ks"
	case SolutionBiased:
		return "biased"
	}
	return fmt.Sprintf("Solution(%d)", uint8(s))
}

// SeekerOptions configure a Seeker.
type SeekerOptions struct {
	Solution Solution
	// Bias is α in [0,1] for SolutionBiased: 0 seeks the Nash point (ties
	// broken by the mediator's utility), 1 the mediator's favourite among
	// the outcomes it expects the parties to accept.
	Bias float64
	// NoCall keeps the mediator from calling the final vote early (by
	// default it calls it once the text is its target, or when it has
	// nothing left to propose).
	NoCall bool
}

// Validate names the first bad field.
func (o *SeekerOptions) Validate() error {
	if o.Solution > SolutionBiased {
		return fmt.Errorf("mediator: unknown solution %d", o.Solution)
	}
	if math.IsNaN(o.Bias) || o.Bias < 0 || o.Bias > 1 {
		return fmt.Errorf("mediator: bias %v outside [0,1]", o.Bias)
	}
	return nil
}

// Seeker is a mediator that knows the parties' declared preferences
// (Session.Declared; protocol/mediated InfoDeclared or InfoFull) and
// moves the text towards a target point: the Nash or
// Kalai–Smorodinsky point of the declared profiles, or a point biased
// towards its own utility (Session.Profile). Reservation values are the
// declared ones at t = 0 (as in analysis.Analyze), and an outcome crossing
// a declared red line (or changing a locked issue) is never a candidate.
//
// It computes its plan once per run, in Init (or, when issues are locked,
// at its first proposal, once it knows their values): the frontier of the
// declared profiles (with its own utility for SolutionBiased) by package
// analysis, and its individually rational points ordered by their score.
// Each round it proposes, in order: the target itself, once per text (a
// mediator deciding under parley.RuleMediator adopts it, see Adopt);
// then the best-scoring candidate that every party should find at least as
// good as the text by its declared utilities (what truthful hill-climbing
// voters accept), each candidate once per text; and otherwise the text
// itself. It calls the final vote early (unless NoCall) when the text is
// the target or it has nothing left to propose, once per text.
type Seeker struct {
	opts  SeekerOptions
	cache *planCache

	g        geometry
	locked   []int
	lockVals []int
	declared []*parley.Profile
	own      *parley.Profile
	plan     *plan
	keyBuf   []partyKey // reused by makePlan

	ut     []float64 // declared utilities of the current text
	stamp  []int     // per candidate: the epoch it was last proposed in
	epoch  int
	text   parley.Outcome
	last   parley.Outcome // last proposal
	tried  bool           // the target was proposed for this text
	called parley.Outcome
	ready  bool
}

// NewSeeker returns a target-seeking mediator; the options are checked at
// Init.
func NewSeeker(opts SeekerOptions) *Seeker { return &Seeker{opts: opts} }

// NewNash returns a Nash-seeking mediator.
func NewNash() *Seeker { return NewSeeker(SeekerOptions{Solution: SolutionNash}) }

// NewKS returns a Kalai–Smorodinsky-seeking mediator.
func NewKS() *Seeker { return NewSeeker(SeekerOptions{Solution: SolutionKS}) }

// NewBiased returns a mediator biased towards its own utility by α in [0,1].
func NewBiased(bias float64) *Seeker {
	return NewSeeker(SeekerOptions{Solution: SolutionBiased, Bias: bias})
}

// Lock records the issues it must leave alone.
func (m *Seeker) Lock(issues []int) { m.locked = append(m.locked[:0], issues...) }

// Target returns the point the mediator aims at in this run, or
// parley.NoOutcome when no outcome is individually rational by the
// declared profiles (or, with locked issues, before the first proposal).
func (m *Seeker) Target() parley.Outcome {
	if m.plan == nil {
		return parley.NoOutcome
	}
	return m.plan.target
}

// Init reads the declared profiles and computes the plan.
func (m *Seeker) Init(_ context.Context, s *parley.Session) error {
	m.ready, m.plan = false, nil
	name := m.opts.Solution.String()
	if err := m.opts.Validate(); err != nil {
		return err
	}
	if s == nil || s.Profile == nil || s.Profile.Space == nil {
		return fmt.Errorf("mediator: %s: %w", name, ErrNoSpace)
	}
	if len(s.Declared) == 0 {
		return fmt.Errorf("mediator: %s: needs the parties' declared preferences (info declared or full)", name)
	}
	for i, p := range s.Declared {
		if p == nil || p.Utility == nil || p.Space != s.Profile.Space {
			return fmt.Errorf("mediator: %s: declared profile %d is missing or over another space", name, i+1)
		}
	}
	if err := m.g.init(s.Profile.Space, m.locked); err != nil {
		return err
	}
	m.declared, m.own = s.Declared, s.Profile
	m.ut = resize(m.ut, len(s.Declared))
	m.text, m.last, m.called, m.tried = parley.NoOutcome, parley.NoOutcome, parley.NoOutcome, false
	if len(m.locked) == 0 {
		if err := m.makePlan(nil); err != nil {
			return err
		}
	}
	m.ready = true
	return nil
}

// makePlan computes (or fetches from the cache) the plan for the locked
// values of text (nil when nothing is locked).
func (m *Seeker) makePlan(lockVals []int) error {
	var own *parley.Profile
	if m.opts.Solution == SolutionBiased {
		own = m.own
	}
	key, keyed := newPlanKey(m.keyBuf[:0], m.opts, m.declared, own, m.locked, lockVals)
	m.keyBuf = key.parties[:0]
	var p *plan
	if keyed {
		p = m.cache.find(&key)
	}
	if p == nil {
		var err error
		if p, err = buildPlan(m.opts, m.declared, own, m.locked, lockVals); err != nil {
			return fmt.Errorf("mediator: %s: %w", m.opts.Solution, err)
		}
		if keyed {
			m.cache.add(key.clone(), p)
		}
	}
	m.plan = p
	m.stamp = resize(m.stamp, len(p.cands))
	clear(m.stamp)
	m.epoch = 0
	return nil
}

// Propose moves the text towards the target.
func (m *Seeker) Propose(_ context.Context, st *parley.State) (parley.Outcome, error) {
	if !m.ready {
		return parley.NoOutcome, fmt.Errorf("mediator: %s: Propose before Init", m.opts.Solution)
	}
	x := st.Text
	if m.plan == nil {
		m.lockVals = resize(m.lockVals, len(m.locked))
		for j, i := range m.locked {
			m.lockVals[j] = m.g.value(x, i)
		}
		if err := m.makePlan(m.lockVals); err != nil {
			return parley.NoOutcome, err
		}
	}
	p := m.plan
	if x != m.text {
		m.text, m.tried = x, false
		m.epoch++
		for a, d := range m.declared {
			m.ut[a] = d.Utility.Utility(x)
			if len(d.Vetoes) > 0 && d.Vetoed(x) {
				m.ut[a] = -1
			}
		}
	}
	m.last = x
	if p.target == parley.NoOutcome || x == p.target {
		return x, nil
	}
	if !m.tried {
		m.tried = true
		m.last = p.target
		return p.target, nil
	}
	n := len(m.declared)
	for j := 1; j < len(p.cands); j++ {
		c := &p.cands[j]
		if m.stamp[j] == m.epoch || c.o == x {
			continue
		}
		u := p.u[j*n : (j+1)*n]
		ok := true
		for a := range n {
			if !parley.AtLeast(u[a], m.ut[a]) {
				ok = false
				break
			}
		}
		if ok {
			m.stamp[j] = m.epoch
			m.last = c.o
			return c.o, nil
		}
	}
	return x, nil
}

// Adopt adopts a proposal that is the target (under parley.RuleMediator
// the mediator decides on proposals some parties rejected): a trusted
// mediator imposes the point it computed.
func (m *Seeker) Adopt(_ context.Context, st *parley.State) bool {
	return m.plan != nil && m.plan.target != parley.NoOutcome && st.Standing == m.plan.target
}

// CallVote calls the final vote once the text is the target, or when the
// mediator holds the text for lack of anything to propose (once per text).
func (m *Seeker) CallVote(_ context.Context, st *parley.State) bool {
	if m.opts.NoCall || m.plan == nil || m.called == st.Text {
		return false
	}
	if st.Text == m.plan.target || m.last == st.Text {
		m.called = st.Text
		return true
	}
	return false
}

// plan is the precomputed part of a Seeker: its target and candidates.
type plan struct {
	key    planKey
	target parley.Outcome
	cands  []cand    // individually rational frontier points, target first, then by score
	u      []float64 // the candidates' declared utilities, len(declared) per candidate
}

type cand struct {
	o     parley.Outcome
	score float64
}

// planKey is what a plan depends on, held by value: the options, the
// locked issues and their values, and per declared profile (then the
// mediator's own, for SolutionBiased) its utility function, reservation
// value and red lines.
type planKey struct {
	opts     SeekerOptions
	parties  []partyKey
	locked   []int
	lockVals []int
}

// partyKey is one profile's share of a planKey. The utility function is
// compared by identity, which is sound because only the immutable types of
// package ufun (prepared tables above all: scenario.Prepared hands every
// run the same ones) are keyed.
type partyKey struct {
	u      parley.UtilityFunction
	r      float64
	vetoes []parley.ValueRef
}

// newPlanKey returns the key of a plan, built in buf, and false when some
// utility function is not one of ufun's immutable types (a declared
// profile with noise, a func): such plans are not shared. The key refers
// to its arguments' slices: clone it before keeping it.
func newPlanKey(buf []partyKey, opts SeekerOptions, declared []*parley.Profile, own *parley.Profile, locked, lockVals []int) (planKey, bool) {
	k := planKey{opts: opts, locked: locked, lockVals: lockVals, parties: buf[:0]}
	for j := range len(declared) + 1 {
		p := own
		if j < len(declared) {
			p = declared[j]
		} else if own == nil {
			break
		}
		switch p.Utility.(type) {
		case *ufun.Table, *ufun.LinearAdditive, *ufun.Constraint:
		default:
			return planKey{parties: k.parties}, false
		}
		k.parties = append(k.parties, partyKey{u: p.Utility, r: p.Reservation, vetoes: p.Vetoes})
	}
	return k, true
}

// clone returns a copy of k that shares no slice with the profiles and
// locks it was built from.
func (k planKey) clone() planKey {
	k.locked, k.lockVals = slices.Clone(k.locked), slices.Clone(k.lockVals)
	k.parties = slices.Clone(k.parties)
	for i := range k.parties {
		k.parties[i].vetoes = slices.Clone(k.parties[i].vetoes)
	}
	return k
}

func (k *planKey) equal(o *planKey) bool {
	return k.opts == o.opts && slices.Equal(k.locked, o.locked) && slices.Equal(k.lockVals, o.lockVals) &&
		slices.EqualFunc(k.parties, o.parties, func(a, b partyKey) bool {
			return a.u == b.u && a.r == b.r && slices.Equal(a.vetoes, b.vetoes)
		})
}

// planCache keeps the plans of recent declared profile sets, so that many
// runs with the same (noise-free) declared profiles share one computation.
// It is safe for concurrent use; a nil cache holds nothing.
type planCache struct {
	mu      sync.Mutex
	entries []*plan
}

const planCacheSize = 8

// find returns the cached plan for k, or nil.
func (c *planCache) find(k *planKey) *plan {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.entries {
		if p.key.equal(k) {
			return p
		}
	}
	return nil
}

// add caches p under k, dropping the oldest plan when full.
func (c *planCache) add(k planKey, p *plan) {
	if c == nil {
		return
	}
	p.key = k
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) == planCacheSize {
		c.entries = c.entries[1:]
	}
	c.entries = append(c.entries, p)
}

// buildPlan computes the target and the ordered candidates from the
// declared profiles (and own, the mediator's profile, for SolutionBiased).
func buildPlan(opts SeekerOptions, declared []*parley.Profile, own *parley.Profile, locked, lockVals []int) (*plan, error) {
	space := declared[0].Space
	n := len(declared)
	cols := n
	if opts.Solution == SolutionBiased {
		cols++
	}
	ufs := make([]parley.UtilityFunction, cols)
	bans := make([][]parley.ValueRef, cols)
	r := make([]float64, n)
	for a, d := range declared {
		bans[a] = d.Vetoes
		if a == 0 {
			bans[a] = lockBans(space, bans[a], locked, lockVals)
		}
		ufs[a], r[a] = d.Utility, d.Reservation
	}
	if cols > n {
		ufs[n], bans[n] = own.Utility, own.Vetoes
	}
	var front []analysis.Point
	var err error
	ok := false
	if opts.Solution == SolutionBiased {
		// The frontier with the mediator's own utility has many more
		// points than the parties' alone: enumerate only the individually
		// rational outcomes when everyone is additive.
		front, ok, err = rationalFrontier(space, ufs, bans, r)
	}
	if !ok && err == nil {
		for a := range ufs {
			ufs[a] = penalize(space, ufs[a], bans[a])
		}
		front, err = analysis.Frontier(space, ufs)
	}
	if err != nil {
		return nil, err
	}
	ir := front[:0:0]
	for _, q := range front {
		if analysis.Rational(q.U[:n], r) {
			ir = append(ir, q)
		}
	}
	p := &plan{target: parley.NoOutcome}
	if len(ir) == 0 {
		return p, nil
	}
	scores := make([]float64, len(ir))
	var target analysis.Point
	switch opts.Solution {
	case SolutionNash:
		target, _ = analysis.Nash(ir, r)
		for j, q := range ir {
			scores[j] = nashProduct(q.U[:n], r)
		}
	case SolutionKS:
		target, _ = analysis.KalaiSmorodinsky(ir, r)
		ideal, _ := analysis.Ideal(ir, r)
		for j, q := range ir {
			scores[j] = minGain(q.U, r, ideal)
		}
	case SolutionBiased:
		best, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
		for _, q := range ir {
			best = max(best, nashProduct(q.U[:n], r))
			lo, hi = min(lo, q.U[n]), max(hi, q.U[n])
		}
		a := opts.Bias
		bi := -1
		for j, q := range ir {
			s := 0.0
			if best > 0 {
				s = (1 - a) * nashProduct(q.U[:n], r) / best
			}
			if hi-lo > parley.Eps {
				s += a * (q.U[n] - lo) / (hi - lo)
			}
			scores[j] = s
			if bi < 0 || better(s, analysis.Welfare(q.U[:n]), q.Outcome, scores[bi], analysis.Welfare(ir[bi].U[:n]), ir[bi].Outcome) {
				bi = j
			}
		}
		target = ir[bi]
	}
	order := make([]int, len(ir))
	for j := range order {
		order[j] = j
	}
	slices.SortFunc(order, func(x, y int) int {
		if ir[x].Outcome == target.Outcome {
			return -1
		}
		if ir[y].Outcome == target.Outcome {
			return 1
		}
		if c := cmp.Compare(scores[y], scores[x]); c != 0 {
			return c
		}
		if c := cmp.Compare(analysis.Welfare(ir[y].U[:n]), analysis.Welfare(ir[x].U[:n])); c != 0 {
			return c
		}
		return cmp.Compare(ir[x].Outcome, ir[y].Outcome)
	})
	p.target = target.Outcome
	p.cands = make([]cand, len(ir))
	p.u = make([]float64, len(ir)*n)
	for j, x := range order {
		p.cands[j] = cand{o: ir[x].Outcome, score: scores[x]}
		copy(p.u[j*n:(j+1)*n], ir[x].U[:n])
	}
	return p, nil
}

// better is analysis's tie rule: a higher score by more than Eps, then a
// higher welfare by more than Eps, then the lower outcome.
func better(s, w float64, o parley.Outcome, bs, bw float64, bo parley.Outcome) bool {
	switch {
	case s > bs+parley.Eps:
		return true
	case s < bs-parley.Eps:
		return false
	case w > bw+parley.Eps:
		return true
	case w < bw-parley.Eps:
		return false
	}
	return o < bo
}

func nashProduct(u, r []float64) float64 {
	s := 1.0
	for a, x := range u {
		s *= max(x-r[a], 0)
	}
	return s
}

// minGain is the Kalai–Smorodinsky score of analysis.KalaiSmorodinsky.
func minGain(u, r, ideal []float64) float64 {
	s := math.Inf(1)
	for a := range r {
		span := ideal[a] - r[a]
		if span <= parley.Eps {
			continue
		}
		s = min(s, (u[a]-r[a])/span)
	}
	if math.IsInf(s, 1) {
		return 1
	}
	return s
}

// rationalFrontier returns the Pareto frontier (over every column of ufs)
// of the outcomes that are individually rational for the first len(r)
// columns and hold no banned value of any column, when every utility
// function is linear-additive (ok = false otherwise). It enumerates those
// outcomes depth-first in outcome order, pruning a partial outcome as soon
// as some party's best completion falls short of its reservation value,
// and sums contributions in issue order as an additive Utility does, so
// that the utilities are exact.
func rationalFrontier(space *parley.OutcomeSpace, ufs []parley.UtilityFunction, bans [][]parley.ValueRef, r []float64) (front []analysis.Point, ok bool, err error) {
	cols, m := len(ufs), len(space.Issues)
	tabs := make([][][]float64, cols)
	bonus := make([]float64, cols)
	for a, uf := range ufs {
		if tabs[a], bonus[a], ok = additive.Of(space, uf); !ok {
			return nil, false, nil
		}
	}
	// The values allowed on each issue, in order.
	allowed := make([][]int, m)
	for i := range m {
		for v := range space.Issues[i].Size() {
			ban := false
			for _, bs := range bans {
				for _, b := range bs {
					ban = ban || b.Issue == i && b.Value == v
				}
			}
			if !ban {
				allowed[i] = append(allowed[i], v)
			}
		}
		if len(allowed[i]) == 0 {
			return nil, true, nil
		}
	}
	// need[a] is the raw sum party a needs; rest[a][i] the largest sum of
	// issues i.. it can still get.
	need := make([]float64, len(r))
	rest := make([][]float64, len(r))
	for a := range r {
		need[a] = (r[a] - parley.Eps - bonus[a]) / (1 - bonus[a])
		rest[a] = make([]float64, m+1)
		for i := m - 1; i >= 0; i-- {
			best := math.Inf(-1)
			for _, v := range allowed[i] {
				best = max(best, tabs[a][i][v])
			}
			rest[a][i] = rest[a][i+1] + best
		}
	}
	// contrib[i] holds, per allowed value of issue i, its contribution to
	// each column, contiguously; step[i] the outcome offset of each value.
	contrib := make([][]float64, m)
	step := make([][]int, m)
	for i := range m {
		for _, v := range allowed[i] {
			for a := range cols {
				contrib[i] = append(contrib[i], tabs[a][i][v])
			}
			step[i] = append(step[i], v*space.Stride(i))
		}
	}
	np := len(r)
	restAt := make([]float64, (m+1)*np) // rest[a][i] flattened as [i*np+a]
	for a := range np {
		for i := range m + 1 {
			restAt[i*np+a] = rest[a][i]
		}
	}
	const limit = 1 << 22
	// Room for a few thousand rational outcomes (the ceasefire scenario
	// has about 4,000 of its 58,320) saves most regrowing.
	c0 := min(space.Size(), 1<<12)
	ids := make([]parley.Outcome, 0, c0)
	us := make([][]float64, cols)
	for a := range us {
		us[a] = make([]float64, 0, c0)
	}
	sums := make([]float64, (m+1)*cols) // sums[i*cols+a]: partial sum of issues < i
	pos := make([]int, m+1)             // the next allowed value to try at depth i
	outs := make([]int, m+1)            // the partial outcome index at depth i
	// Depth-first, iteratively: at depth i try the allowed values of issue
	// i in order.
	i := 0
	pos[0] = 0
	for i >= 0 {
		if i == m {
			if len(ids) == limit {
				return nil, false, nil // too many: let the general method handle it
			}
			ids = append(ids, parley.Outcome(outs[m]))
			for a := range cols {
				u := sums[m*cols+a]
				if bonus[a] != 0 {
					u = bonus[a] + (1-bonus[a])*u
				}
				us[a] = append(us[a], u)
			}
			i--
			continue
		}
		k := pos[i]
		if k == len(step[i]) {
			i--
			continue
		}
		pos[i]++
		base, next, c := sums[i*cols:(i+1)*cols], sums[(i+1)*cols:(i+2)*cols], contrib[i][k*cols:(k+1)*cols]
		fits := true
		for a := range cols {
			next[a] = base[a] + c[a]
			if a < np && next[a]+restAt[(i+1)*np+a] < need[a] {
				fits = false
			}
		}
		if fits {
			outs[i+1] = outs[i] + step[i][k]
			i++
			pos[i] = 0
		}
	}
	if len(ids) == 0 {
		return nil, true, nil
	}
	if cols == 3 {
		return skyline3(ids, us), true, nil
	}
	pts, err := analysis.FrontierOf(us)
	if err != nil {
		return nil, true, err
	}
	for j := range pts {
		pts[j].Outcome = ids[pts[j].Outcome]
	}
	return pts, true, nil
}

// skyline3 returns the points (us[0][j], us[1][j], us[2][j]), outcome
// ids[j], that no other point dominates, comparing exactly (a superset of
// analysis's frontier, which merges values within Eps; for a mediator's
// candidates that is harmless). Among equal vectors the first id is kept.
// It sorts by the third coordinate and keeps the undominated (x, y) pairs
// seen so far as a staircase (Kung, Luccio, Preparata, JACM 1975): O(n log
// n) where analysis.FrontierOf's general method costs several times more.
func skyline3(ids []parley.Outcome, us [][]float64) []analysis.Point {
	x, y, z := us[0], us[1], us[2]
	type item struct {
		z, x, y float64
		j       int32
	}
	// Elimination filter (after Godfrey, Shipley and Gryz, VLDB 2005): the
	// few points of largest sum dominate most others, which then need no
	// sorting.
	const window = 16
	var top [window]int32
	nt := 0
	sum := func(j int32) float64 { return x[j] + y[j] + z[j] }
	for j := range int32(len(ids)) {
		switch {
		case nt < window:
			top[nt] = j
			nt++
		case sum(j) > sum(top[nt-1]):
			top[nt-1] = j
		default:
			continue
		}
		for k := nt - 1; k > 0 && sum(top[k]) > sum(top[k-1]); k-- {
			top[k], top[k-1] = top[k-1], top[k]
		}
	}
	order := make([]item, 0, len(ids)/4)
	for j := range int32(len(ids)) {
		dominated := false
		for _, q := range top[:nt] {
			if q != j && x[q] >= x[j] && y[q] >= y[j] && z[q] >= z[j] &&
				(x[q] > x[j] || y[q] > y[j] || z[q] > z[j] || q < j) {
				dominated = true
				break
			}
		}
		if !dominated {
			order = append(order, item{z[j], x[j], y[j], j})
		}
	}
	slices.SortFunc(order, func(a, b item) int {
		// Utilities are finite: plain comparisons suffice.
		switch {
		case a.z > b.z:
			return -1
		case a.z < b.z:
			return 1
		case a.x > b.x:
			return -1
		case a.x < b.x:
			return 1
		case a.y > b.y:
			return -1
		case a.y < b.y:
			return 1
		}
		return int(a.j - b.j)
	})
	type step struct{ x, y float64 }
	var stair []step // x descending, y ascending
	var keep []int32
	for _, it := range order {
		j := it.j
		k := sort.Search(len(stair), func(i int) bool { return stair[i].x < x[j] })
		if k > 0 && stair[k-1].y >= y[j] {
			continue // dominated (or equal to an earlier point)
		}
		keep = append(keep, j)
		lo := k
		for lo > 0 && stair[lo-1].x <= x[j] {
			lo-- // equal x, lower y: dominated in (x, y) by the new point
		}
		hi := k
		for hi < len(stair) && stair[hi].y <= y[j] {
			hi++
		}
		stair = slices.Replace(stair, lo, hi, step{x[j], y[j]})
	}
	slices.Sort(keep)
	buf := make([]float64, 3*len(keep))
	pts := make([]analysis.Point, len(keep))
	for i, j := range keep {
		u := buf[3*i : 3*i+3 : 3*i+3]
		u[0], u[1], u[2] = x[j], y[j], z[j]
		pts[i] = analysis.Point{Outcome: ids[j], U: u}
	}
	return pts
}

// lockBans adds to banned every value of a locked issue other than its
// locked value.
func lockBans(space *parley.OutcomeSpace, banned []parley.ValueRef, locked, vals []int) []parley.ValueRef {
	if len(vals) == 0 {
		return banned
	}
	out := slices.Clone(banned)
	for j, i := range locked {
		for v := range space.Issues[i].Size() {
			if v != vals[j] {
				out = append(out, parley.ValueRef{Issue: i, Value: v})
			}
		}
	}
	return out
}

// penalize returns uf with every outcome holding a banned value pushed to
// a utility of at most -1, so that no such outcome is individually rational
// and none dominates an allowed outcome. A linear-additive uf stays
// linear-additive (its banned contributions made very negative), so that
// analysis.Frontier still uses Minkowski sums.
func penalize(space *parley.OutcomeSpace, uf parley.UtilityFunction, banned []parley.ValueRef) parley.UtilityFunction {
	if len(banned) == 0 {
		return uf
	}
	if tab, bonus, ok := additive.Of(space, uf); ok {
		sum := 0.0
		for _, row := range tab {
			sum += max(0, slices.Max(row))
		}
		pen := -(sum + 2/(1-bonus))
		for _, b := range banned {
			tab[b.Issue][b.Value] = pen
		}
		return additive.New(space, tab, bonus)
	}
	return bannedFunc{uf: uf, banned: banned, space: space}
}

// bannedFunc is uf with banned outcomes worth -1.
type bannedFunc struct {
	uf     parley.UtilityFunction
	banned []parley.ValueRef
	space  *parley.OutcomeSpace
}

func (b bannedFunc) Utility(o parley.Outcome) float64 {
	for _, v := range b.banned {
		if b.space.ValueIndex(o, v.Issue) == v.Value {
			return -1
		}
	}
	return b.uf.Utility(o)
}

var _ Mediator = (*Seeker)(nil)
