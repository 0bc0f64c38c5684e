// Package additive reads the linear-additive structure (parley.Additive)
// behind a utility function and evaluates utilities from contribution
// tables. It is the one implementation that package analysis (frontiers by
// Minkowski sums), protocol/mediated (declared profiles with noise) and
// strategy/mediator (penalised and enumerated frontiers) share.
package additive

import (
	"math"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
)

// Table is the linear-additive utility function
//
//	U(o) = B + (1-B)·min(1, Σ_i tab[i][o_i])
//
// over a contribution table tab (per issue, per value index). It satisfies
// parley.Additive. A Table is read-only after New: its table is private.
type Table struct {
	tab     [][]float64
	bonus   float64
	strides []int
}

var _ parley.Additive = (*Table)(nil)

// New returns the utility function over space with contribution table tab
// (one row per issue, one entry per value index, taken over: the caller
// must not change it afterwards) and agreement bonus B in [0,1).
func New(space *parley.OutcomeSpace, tab [][]float64, bonus float64) *Table {
	return &Table{tab: tab, bonus: bonus, strides: space.Strides()}
}

// Utility returns U(o), summing the contributions in issue order, one
// rounded term at a time, as ufun.LinearAdditive does, so that a table read
// from a linear-additive function gives its utilities bit for bit. It
// allocates nothing.
func (t *Table) Utility(o parley.Outcome) float64 {
	x := int(o)
	s := 0.0
	for i, row := range t.tab {
		s += row[(x/t.strides[i])%len(row)]
	}
	s = min(s, 1)
	if t.bonus != 0 {
		return t.bonus + float64((1-t.bonus)*s)
	}
	return s
}

// Contribution returns the contribution of value k of issue i.
func (t *Table) Contribution(i, k int) float64 { return t.tab[i][k] }

// AgreementBonus returns B.
func (t *Table) AgreementBonus() float64 { return t.bonus }

// sourcer is a utility function precomputed from another (ufun.Table).
type sourcer interface {
	Source() parley.UtilityFunction
}

// Find returns the parley.Additive behind uf: uf itself, or the function it
// was computed from through Source() (unwrapped a few times).
func Find(uf parley.UtilityFunction) (parley.Additive, bool) {
	for range 8 {
		if add, ok := uf.(parley.Additive); ok {
			return add, true
		}
		s, ok := uf.(sourcer)
		if !ok {
			return nil, false
		}
		if uf = s.Source(); uf == nil {
			return nil, false
		}
	}
	return nil, false
}

// Of returns the contribution table (tab[i][k] for value k of issue i) and
// the agreement bonus of uf over space when uf is linear-additive (Find)
// with a bonus in [0,1) and finite contributions, and its utilities match
// the additive formula (within 1e-9) on a fixed sample of outcomes. The
// check guards against wrappers that embed an additive function but change
// its utility (discounting, constraints). A panic in the additive function
// (one built for another space, indexed out of range) counts as "not
// additive here". The table is the caller's own.
func Of(space *parley.OutcomeSpace, uf parley.UtilityFunction) (tab [][]float64, bonus float64, ok bool) {
	add, found := Find(uf)
	if !found {
		return nil, 0, false
	}
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
	t := New(space, tab, bonus)
	n := uint64(space.Size())
	x := uint64(0x9e3779b97f4a7c15)
	for j := range 34 {
		var o uint64
		switch j {
		case 0:
		case 1:
			o = n - 1
		default:
			x = rng.SplitMix64(x) // a fixed, seed-free sample of outcomes
			o = x % n
		}
		if math.Abs(uf.Utility(parley.Outcome(o))-t.Utility(parley.Outcome(o))) > 1e-9 {
			return nil, 0, false
		}
	}
	return tab, bonus, true
}
