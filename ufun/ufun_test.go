package ufun_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/ufun"
)

func space(t testing.TB, sizes ...int) *parley.OutcomeSpace {
	t.Helper()
	issues := make([]parley.Issue, len(sizes))
	for i, n := range sizes {
		issues[i] = parley.Issue{Name: fmt.Sprint("i", i), Kind: parley.Integer, Min: 0, Max: float64(n - 1)}
	}
	s, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLinearAdditive(t *testing.T) {
	s := space(t, 2, 3)
	u, err := ufun.NewLinearAdditive(s, []float64{0.25, 0.75}, [][]float64{{1, 0}, {0, 0.5, 1}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	// outcome = 3*a + b
	want := []float64{0.25, 0.625, 1, 0, 0.375, 0.75}
	for o, w := range want {
		if got := u.Utility(parley.Outcome(o)); math.Abs(got-w) > 1e-15 {
			t.Errorf("U(%d) = %v, want %v", o, got, w)
		}
	}
	b, _ := ufun.NewLinearAdditive(s, []float64{0.25, 0.75}, [][]float64{{1, 0}, {0, 0.5, 1}}, 0.4)
	if got := b.Utility(3); got != 0.4 {
		t.Errorf("bonus: U(worst) = %v, want 0.4", got)
	}
	if got := b.Utility(2); math.Abs(got-1) > 1e-15 {
		t.Errorf("bonus: U(best) = %v, want 1", got)
	}
}

func TestLinearAdditiveErrors(t *testing.T) {
	s := space(t, 2, 3)
	tests := []struct {
		w    []float64
		e    [][]float64
		b    float64
		want string
	}{
		{[]float64{0.5}, [][]float64{{1, 0}}, 0, "1 weights"},
		{[]float64{-0.5, 1.5}, [][]float64{{1, 0}, {0, 0, 1}}, 0, "negative"},
		{[]float64{0.5, 0.6}, [][]float64{{1, 0}, {0, 0, 1}}, 0, "sum to"},
		{[]float64{0.5, 0.5}, [][]float64{{1, 0}, {0, 1}}, 0, "2 evaluations for 3 values"},
		{[]float64{0.5, 0.5}, [][]float64{{1, 0}, {0, 2, 1}}, 0, "outside [0,1]"},
		{[]float64{0.5, 0.5}, [][]float64{{1, 0}, {0, 1, 1}}, 1, "bonus"},
	}
	for _, tc := range tests {
		if _, err := ufun.NewLinearAdditive(s, tc.w, tc.e, tc.b); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %v: error %v, want %q", tc.w, tc.e, err, tc.want)
		}
	}
}

func TestConstraint(t *testing.T) {
	s := space(t, 10, 10)
	c, err := ufun.NewConstraint(s, []ufun.Rect{
		{Utility: 30, Conds: []ufun.Cond{{Issue: 0, Lo: 0, Hi: 4}}},
		{Utility: 10, Conds: []ufun.Cond{{Issue: 0, Lo: 2, Hi: 3}, {Issue: 1, Lo: 5, Hi: 9}}},
		{Utility: 60, Exclusive: true, Conds: []ufun.Cond{{Issue: 1, Lo: 0, Hi: 1}}},
	}, 100)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		a, b int
		want float64
	}{
		{0, 0, 0.3}, // first only; inside the exclusive rectangle
		{2, 5, 1.0}, // all three
		{9, 9, 0.6}, // exclusive only
		{3, 1, 0.3}, // first; second fails on issue 1; inside exclusive
	}
	for _, tc := range tests {
		if got := c.Utility(parley.Outcome(tc.a*10 + tc.b)); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("U(%d,%d) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestIndex(t *testing.T) {
	u := []float64{0.5, 0.1, 0.9, 0.5, 0.3}
	x := ufun.NewIndex(u)
	wantOrder := []parley.Outcome{1, 4, 0, 3, 2}
	for i, o := range wantOrder {
		if x.Outcome(i) != o {
			t.Fatalf("order %v, want %v", x.Outcomes(), wantOrder)
		}
	}
	if x.Best() != 2 || x.Worst() != 1 || x.Max() != 0.9 || x.Min() != 0.1 {
		t.Fatal("best/worst wrong")
	}
	if o, ok := x.AtLeast(0.4); !ok || o != 0 {
		t.Fatalf("AtLeast(0.4) = %d %v", o, ok)
	}
	if _, ok := x.AtLeast(0.95); ok {
		t.Fatal("AtLeast above max found something")
	}
	// one ulp below 0.5 still counts as reaching 0.5
	if o, ok := x.AtLeast(math.Nextafter(0.5, 1)); !ok || o != 0 {
		t.Fatalf("AtLeast(0.5+ulp) = %d %v", o, ok)
	}
	for _, tc := range []struct {
		u    float64
		want int
	}{{0, 0}, {0.19, 0}, {0.21, 1}, {0.4, 2}, {0.75, 4}, {0.65, 3}, {2, 4}} {
		if got := x.Nearest(tc.u); got != tc.want {
			t.Errorf("Nearest(%v) = %d, want %d", tc.u, got, tc.want)
		}
	}
}

func TestTable(t *testing.T) {
	s := space(t, 50, 40, 30)
	r := rand.New(rand.NewPCG(1, 2))
	evals := [][]float64{make([]float64, 50), make([]float64, 40), make([]float64, 30)}
	for _, e := range evals {
		for k := range e {
			e[k] = r.Float64()
		}
	}
	la, err := ufun.NewLinearAdditive(s, []float64{0.2, 0.3, 0.5}, evals, 0)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := ufun.NewTable(s, la)
	if err != nil {
		t.Fatal(err)
	}
	for o := 0; o < s.Size(); o += 7 {
		if tb.Utility(parley.Outcome(o)) != la.Utility(parley.Outcome(o)) {
			t.Fatalf("table differs at %d", o)
		}
	}
	if tb.Index() != tb.Index() {
		t.Fatal("index rebuilt")
	}
	if tb.Source() != parley.UtilityFunction(la) {
		t.Fatal("source lost")
	}
}

type keyA struct{}
type keyB struct{}

// Derive builds a value once per table and key type, also when called from
// many goroutines at once, and shares it (and its error).
func TestDerive(t *testing.T) {
	s := space(t, 3, 4)
	t1 := ufun.TableOf(make([]float64, s.Size()))
	t2 := ufun.TableOf(make([]float64, s.Size()))
	var calls atomic.Int32
	build := func(tb *ufun.Table) (*int, error) {
		calls.Add(1)
		n := tb.Len()
		return &n, nil
	}
	var wg sync.WaitGroup
	got := make([]*int, 8)
	for i := range got {
		wg.Go(func() { got[i], _ = ufun.Derive[keyA](t1, build) })
	}
	wg.Wait()
	for i := range got {
		if got[i] != got[0] || *got[i] != 12 {
			t.Fatalf("goroutine %d: %p, want %p", i, got[i], got[0])
		}
	}
	if calls.Load() != 1 {
		t.Fatalf("%d builds, want 1", calls.Load())
	}
	if b, _ := ufun.Derive[keyB](t1, build); b == got[0] {
		t.Error("another key shared the value")
	}
	if c, _ := ufun.Derive[keyA](t2, build); c == got[0] {
		t.Error("another table shared the value")
	}
	boom := errors.New("boom")
	fail := func(*ufun.Table) (int, error) { calls.Add(1); return 0, boom }
	before := calls.Load()
	for range 2 {
		if _, err := ufun.Derive[struct{ k int }](t2, fail); err != boom {
			t.Fatalf("error %v, want boom", err)
		}
	}
	if calls.Load() != before+1 {
		t.Error("a failed build ran twice")
	}
}

func BenchmarkLinearAdditive(b *testing.B) {
	s := space(b, 5, 5, 5, 5, 5, 5, 5, 5)
	e := make([][]float64, 8)
	w := make([]float64, 8)
	for i := range e {
		e[i] = []float64{1, 0.75, 0.5, 0.25, 0}
		w[i] = 0.125
	}
	u, _ := ufun.NewLinearAdditive(s, w, e, 0)
	b.ReportAllocs()
	o := 0
	for b.Loop() {
		_ = u.Utility(parley.Outcome(o))
		o = (o + 7919) % s.Size()
	}
}

func ExampleIndex_Nearest() {
	x := ufun.NewIndex([]float64{0.2, 0.9, 0.6})
	i := x.Nearest(0.7)
	fmt.Println(x.Outcome(i), x.Util(i))
	// Output: 2 0.6
}

// The radix sort used for large tables gives exactly the comparison sort's
// order: ascending utility, ties (many, and negative zeros and negatives
// too) by outcome.
func TestRadixIndexMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	n := 1 << 17
	u := make([]float64, n)
	for i := range u {
		switch r.IntN(4) {
		case 0:
			u[i] = float64(r.IntN(50)) / 49 // many exact ties
		case 1:
			u[i] = r.Float64()
		case 2:
			u[i] = -r.Float64() * 1e-3
		default:
			u[i] = math.Nextafter(0.5, float64(r.IntN(2))) // one-ulp neighbours of 0.5
		}
	}
	u[7], u[8] = math.Copysign(0, -1), 0
	x := ufun.NewIndex(u)
	if x.Len() != n {
		t.Fatal("length")
	}
	for i := 1; i < n; i++ {
		a, b := x.Util(i-1), x.Util(i)
		if a > b || (a == b && x.Outcome(i-1) >= x.Outcome(i)) {
			t.Fatalf("position %d: (%v, %d) before (%v, %d)", i, a, x.Outcome(i-1), b, x.Outcome(i))
		}
		if x.Util(i) != u[x.Outcome(i)] {
			t.Fatalf("position %d: utility does not belong to its outcome", i)
		}
	}
}

func BenchmarkNewIndex(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	u := make([]float64, 5_764_801)
	for i := range u {
		u[i] = float64(r.IntN(1000)) / 999
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = ufun.NewIndex(u)
	}
}

// TestLinearAdditiveAsWritten: weights that do not sum to 1 are used as
// written and the weighted sum is clamped at 1 (GENIUS
// AdditiveUtilitySpace.getUtility); the values are hand-computed.
func TestLinearAdditiveAsWritten(t *testing.T) {
	s := space(t, 2, 3)
	evals := [][]float64{{1, 0}, {0, 0.5, 1}}
	tests := []struct {
		name string
		w    []float64
		want []float64 // by outcome 3*a + b
	}{
		// 0.5·e0 + 0.75·e1: the best outcome sums to 1.25, clamped to 1.
		{"over", []float64{0.5, 0.75}, []float64{0.5, 0.875, 1, 0, 0.375, 0.75}},
		// 0.25·e0 + 0.5·e1: never reaches 1.
		{"under", []float64{0.25, 0.5}, []float64{0.25, 0.5, 0.75, 0, 0.25, 0.5}},
		{"one", []float64{0.25, 0.75}, []float64{0.25, 0.625, 1, 0, 0.375, 0.75}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := ufun.NewLinearAdditiveAsWritten(s, tc.w, evals, 0)
			if err != nil {
				t.Fatal(err)
			}
			for o, w := range tc.want {
				if got := u.Utility(parley.Outcome(o)); got != w {
					t.Errorf("U(%d) = %v, want %v", o, got, w)
				}
			}
		})
	}
	for _, w := range [][]float64{{0, 0}, {-0.5, 1}, {math.Inf(1), 0}} {
		if _, err := ufun.NewLinearAdditiveAsWritten(s, w, evals, 0); err == nil {
			t.Errorf("weights %v: no error", w)
		}
	}
}

// Derive allocates nothing once the value is built (negotiators call it in
// Init, once per run).
func TestDeriveAllocs(t *testing.T) {
	tb := ufun.TableOf([]float64{0.5, 1})
	build := func(tb *ufun.Table) (*ufun.Index, error) { return tb.Index(), nil }
	if _, err := ufun.Derive[keyA](tb, build); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = ufun.Derive[keyA](tb, build) }); n != 0 {
		t.Errorf("%v allocations per call", n)
	}
}
