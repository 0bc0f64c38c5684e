package additive_test

import (
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/additive"
	"github.com/parley-dev/parley/ufun"
)

func space(t *testing.T, sizes ...int) *parley.OutcomeSpace {
	t.Helper()
	is := make([]parley.Issue, len(sizes))
	for i, n := range sizes {
		is[i] = parley.Issue{Name: string(rune('a' + i)), Kind: parley.Integer, Max: float64(n - 1)}
	}
	s, err := parley.NewOutcomeSpace(is)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// scaled embeds an additive function but changes its utilities.
type scaled struct{ *ufun.LinearAdditive }

func (u scaled) Utility(o parley.Outcome) float64 { return 0.9 * u.LinearAdditive.Utility(o) }

// wrong claims contributions for another space and panics on this one.
type wrong struct{ *ufun.LinearAdditive }

func (wrong) Contribution(i, k int) float64 { return []float64{0.5}[k] }

// TestOf reads the contribution table behind a linear-additive function,
// also behind a table, and gives its utilities bit for bit; functions that
// only look additive are refused.
func TestOf(t *testing.T) {
	s := space(t, 3, 4, 2)
	la, err := ufun.NewLinearAdditive(s, []float64{0.5, 0.3, 0.2},
		[][]float64{{0, 0.5, 1}, {1, 0.7, 0.1, 0}, {0.3, 1}}, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ufun.NewTable(s, la)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		uf   parley.UtilityFunction
		ok   bool
	}{
		{"linear-additive", la, true},
		{"table of linear-additive", tab, true},
		{"scaled", scaled{la}, false},
		{"panicking", wrong{la}, false},
		{"func", parley.UtilityFunc(func(parley.Outcome) float64 { return 0.5 }), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, bonus, ok := additive.Of(s, tc.uf)
			if ok != tc.ok {
				t.Fatalf("ok %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			if bonus != 0.1 || c[1][2] != la.Contribution(1, 2) {
				t.Fatalf("bonus %v, contribution %v", bonus, c[1][2])
			}
			u := additive.New(s, c, bonus)
			for o := range parley.Outcome(s.Size()) {
				if u.Utility(o) != la.Utility(o) {
					t.Fatalf("outcome %d: %v, linear-additive %v", o, u.Utility(o), la.Utility(o))
				}
			}
		})
	}
}

// TestTableCapped: a sum above 1 is capped before the bonus, as GENIUS does.
func TestTableCapped(t *testing.T) {
	s := space(t, 2, 2)
	u := additive.New(s, [][]float64{{0, 0.7}, {0, 0.6}}, 0.5)
	for _, tc := range []struct {
		o    parley.Outcome
		want float64
	}{{0, 0.5}, {1, 0.5 + 0.5*0.6}, {2, 0.5 + 0.5*0.7}, {3, 1}} {
		if got := u.Utility(tc.o); got != tc.want {
			t.Errorf("U(%d) = %v, want %v", tc.o, got, tc.want)
		}
	}
}
