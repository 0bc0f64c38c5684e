package analysis

import (
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/additive"
)

// Red lines (parley.Profile.Vetoes) make every outcome holding a vetoed
// value unacceptable to that party whatever its utility, so such outcomes
// can never be agreements. Since vetoes name single values, the outcomes
// that cross nobody's red line form a product space: each issue keeps the
// values nobody vetoes ("hard vetoes on single issue
// values: delete those values before summing"). Analyze works on that
// sub-space and maps the outcomes back.

// feasible is the sub-space of the outcomes that cross no red line.
type feasible struct {
	full, sub  *parley.OutcomeSpace
	keep       [][]int // keep[i][k]: the full value index of sub value k of issue i
	subStride  []int
	fullStride []int
	excluded   int // values removed
}

// restrict returns the feasible sub-space of space under the profiles' red
// lines, or nil when no profile has any. An issue left without values is
// an error: no outcome can then be agreed.
func restrict(space *parley.OutcomeSpace, profiles []*parley.Profile) (*feasible, error) {
	n := len(space.Issues)
	vetoed := make([][]bool, n)
	any := false
	for _, p := range profiles {
		for _, v := range p.Vetoes {
			if vetoed[v.Issue] == nil {
				vetoed[v.Issue] = make([]bool, space.Issues[v.Issue].Size())
			}
			vetoed[v.Issue][v.Value] = true
			any = true
		}
	}
	if !any {
		return nil, nil
	}
	f := &feasible{full: space, keep: make([][]int, n), subStride: make([]int, n), fullStride: make([]int, n)}
	issues := make([]parley.Issue, n)
	for i := range space.Issues {
		is := &space.Issues[i]
		var names []string
		for k := 0; k < is.Size(); k++ {
			if vetoed[i] != nil && vetoed[i][k] {
				f.excluded++
				continue
			}
			f.keep[i] = append(f.keep[i], k)
			names = append(names, is.Value(k))
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("analysis: issue %q: every value crosses some party's red line, so no outcome can be agreed", is.Name)
		}
		issues[i] = parley.Issue{Name: is.Name, Values: names}
	}
	sub, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		return nil, fmt.Errorf("analysis: red lines: %w", err)
	}
	f.sub = sub
	for i := range n {
		f.subStride[i], f.fullStride[i] = sub.Stride(i), space.Stride(i)
	}
	return f, nil
}

// outcome maps a sub-space outcome to the full space. It allocates nothing.
func (f *feasible) outcome(o parley.Outcome) parley.Outcome {
	x, full := int(o), 0
	for i, keep := range f.keep {
		full += keep[(x/f.subStride[i])%len(keep)] * f.fullStride[i]
	}
	return parley.Outcome(full)
}

// utility returns uf seen through the sub-space: additive (with the kept
// values' contributions) when uf is, so that the Minkowski method still
// applies.
func (f *feasible) utility(uf parley.UtilityFunction) parley.UtilityFunction {
	if add, ok := additive.Find(uf); ok {
		return &feasibleAdditive{feasibleFunc{f, uf}, add}
	}
	return &feasibleFunc{f, uf}
}

type feasibleFunc struct {
	f  *feasible
	uf parley.UtilityFunction
}

func (u *feasibleFunc) Utility(o parley.Outcome) float64 { return u.uf.Utility(u.f.outcome(o)) }

type feasibleAdditive struct {
	feasibleFunc
	add parley.Additive
}

func (u *feasibleAdditive) Contribution(i, k int) float64 {
	return u.add.Contribution(i, u.f.keep[i][k])
}
func (u *feasibleAdditive) AgreementBonus() float64 { return u.add.AgreementBonus() }
