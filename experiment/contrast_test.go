package experiment

import (
	"testing"

	"github.com/parley-dev/parley"
)

// TestContrast classifies pairs of arms by their stages, as the ceasefire
// variants and their controls pair up.
func TestContrast(t *testing.T) {
	bil := func(rounds int, carry parley.Carry) parley.Stage {
		return parley.Stage{Name: "bilateral", Mechanism: parley.MechanismAlternatingOffers, Participants: []int{0, 1}, Mediator: -1, Rounds: rounds, Carry: carry}
	}
	med := func(rounds int, start parley.StartKind) parley.Stage {
		return parley.Stage{Name: "mediated", Mechanism: parley.MechanismMediated, Participants: []int{0, 1}, Mediator: 2, Rounds: rounds,
			Carry: parley.CarryBestAcceptable, Start: parley.Start{Kind: start}}
	}
	bOnly := []parley.Stage{bil(120, parley.CarryPartialIssues)}
	mFirst := []parley.Stage{med(120, parley.StartRandom)}
	mFallback := []parley.Stage{med(120, parley.StartRandom), bil(80, parley.CarryPartialIssues)}
	bThenM := []parley.Stage{bil(40, parley.CarryPartialIssues), med(80, parley.StartCarry)}
	bThenMNone := []parley.Stage{bil(40, parley.CarryNone), med(80, parley.StartCarry)}
	mThenB := []parley.Stage{med(40, parley.StartCarry), bil(80, parley.CarryPartialIssues)}
	for _, c := range []struct {
		name string
		a, b []parley.Stage
		want string
	}{
		{"talks then mediation vs mediation then talks", bThenM, mThenB, ContrastOrder},
		{"mediation from the start vs the same with a fallback", mFirst, mFallback, ContrastFallback},
		{"the same, the other way round", mFallback, mFirst, ContrastFallback},
		{"carry partial_issues vs none", bThenM, bThenMNone, ContrastCarry},
		{"talks only vs mediation only", bOnly, mFirst, ""},
		{"talks only vs talks then mediation: the talks' budget differs", bOnly, bThenM, ""},
		{"mediation from the start vs mediation then talks: the mediated budget differs", mFirst, mThenB, ""},
		{"an arm with itself", bThenM, bThenM, ""},
	} {
		if got := contrast(c.a, c.b); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestContrastOrderSettings: arms with the same stages in another order
// are an order contrast only when each stage keeps its settings; talks
// that hand over nothing, then mediation, against mediation then talks
// differ in the talks' carry-over as well.
func TestContrastOrderSettings(t *testing.T) {
	bil := parley.Stage{Name: "bilateral", Mechanism: parley.MechanismAlternatingOffers, Participants: []int{0, 1}, Mediator: -1, Rounds: 40, Carry: parley.CarryPartialIssues}
	med := parley.Stage{Name: "mediated", Mechanism: parley.MechanismMediated, Participants: []int{0, 1}, Mediator: 2, Rounds: 80, Carry: parley.CarryBestAcceptable}
	none := bil
	none.Carry = parley.CarryNone
	bil80, med40 := bil, med
	bil80.Rounds, med40.Rounds = 80, 40
	if got := contrast([]parley.Stage{none, med}, []parley.Stage{med40, bil80}); got != "" {
		t.Errorf("another carry and another order: %q, want none", got)
	}
	if got := contrast([]parley.Stage{bil, med}, []parley.Stage{med40, bil80}); got != ContrastOrder {
		t.Errorf("another order: %q, want %q", got, ContrastOrder)
	}
}
