package experiment

import (
	"slices"

	"github.com/parley-dev/parley"
)

// The kinds of contrast between two arms that the report names, so that a
// reader can tell an effect of sequencing from an effect of what comes
// with it (Comparison.Contrast, Report.Contrasts).
const (
	// ContrastOrder: the arms run the same stages, with the same
	// settings but perhaps another share of the same total budget, in
	// another order: an order effect.
	ContrastOrder = "order"
	// ContrastFallback: one arm runs the other's stages, in the same order
	// and with the same settings, and then further stages to fall back on
	// when those end without agreement: a fallback effect.
	ContrastFallback = "fallback"
	// ContrastCarry: the arms run the same stages in the same order with
	// the same budgets, and differ in what some stage carries over: a
	// carry effect.
	ContrastCarry = "carry"
)

// Contrast is a pair of arms whose difference is of a named kind.
type Contrast struct {
	Arm      string `json:"arm"`
	Baseline string `json:"baseline"`
	Kind     string `json:"kind"` // ContrastOrder, ContrastFallback or ContrastCarry
}

// contrast returns the kind of contrast between two arms' stages, "" when
// they differ otherwise (or are the same).
func contrast(a, b []parley.Stage) string {
	if len(a) > len(b) {
		a, b = b, a
	}
	names := func(ss []parley.Stage) []string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = s.Name
		}
		return out
	}
	na, nb := names(a), names(b)
	switch {
	case len(a) < len(b):
		for i := range a {
			x := a[i]
			if i == len(a)-1 {
				x.Carry = b[i].Carry // nothing follows a's last stage
			}
			if !sameStage(x, b[i]) {
				return ""
			}
		}
		return ContrastFallback
	case slices.Equal(na, nb):
		carry := false
		for i := range a {
			x, y := a[i], b[i]
			if x.Carry != y.Carry {
				carry = true
				x.Carry = y.Carry
			}
			if !sameStage(x, y) {
				return ""
			}
		}
		if carry {
			return ContrastCarry
		}
		return ""
	}
	if len(a) != len(b) || rounds(a) != rounds(b) {
		return ""
	}
	// The same stages, each with the same settings but perhaps another
	// share of the budget, in another order.
	for _, x := range a {
		j := slices.IndexFunc(b, func(y parley.Stage) bool { return y.Name == x.Name })
		if j < 0 {
			return ""
		}
		y := b[j]
		y.Rounds = x.Rounds
		if !sameStage(x, y) {
			return ""
		}
	}
	return ContrastOrder
}

func rounds(ss []parley.Stage) int {
	n := 0
	for _, s := range ss {
		n += s.Rounds
	}
	return n
}

// sameStage reports whether two stages have the same settings.
func sameStage(x, y parley.Stage) bool {
	return x.Name == y.Name && x.Mechanism == y.Mechanism && slices.Equal(x.Participants, y.Participants) &&
		x.Mediator == y.Mediator && x.Rounds == y.Rounds && x.Transition == y.Transition && x.Carry == y.Carry &&
		x.OnWalkAwayNext == y.OnWalkAwayNext && x.Start == y.Start && x.Reference == y.Reference &&
		x.Rule == y.Rule && x.Info == y.Info && x.Noise == y.Noise && x.NoFinalVote == y.NoFinalVote
}

// contrasts names the kind of every comparison of r between arms whose
// stages make it an order, fallback or carry contrast, and lists those
// pairs in r.Contrasts. stages maps an arm's name to its plan's stages.
func contrasts(r *Report, stages map[string][]parley.Stage) {
	r.Contrasts = []Contrast{}
	for i := range r.Comparisons {
		c := &r.Comparisons[i]
		c.Contrast = contrast(stages[c.Arm], stages[c.Baseline])
		if c.Contrast == "" {
			continue
		}
		if n := len(r.Contrasts); n > 0 && r.Contrasts[n-1].Arm == c.Arm && r.Contrasts[n-1].Baseline == c.Baseline {
			continue
		}
		r.Contrasts = append(r.Contrasts, Contrast{Arm: c.Arm, Baseline: c.Baseline, Kind: c.Contrast})
	}
}
