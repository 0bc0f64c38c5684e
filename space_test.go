package parley_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
)

func mixed(t testing.TB) *parley.OutcomeSpace {
	t.Helper()
	s, err := parley.NewOutcomeSpace([]parley.Issue{
		{Name: "colour", Values: []string{"red", "green", "blue"}},
		{Name: "qty", Kind: parley.Integer, Min: 8, Max: 14},
		{Name: "price", Kind: parley.Real, Min: 0, Max: 1, Steps: 5},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestEncodeDecode(t *testing.T) {
	s := mixed(t)
	if s.Size() != 3*7*5 {
		t.Fatalf("size %d, want 105", s.Size())
	}
	var buf []int
	for o := 0; o < s.Size(); o++ {
		buf = s.Decode(parley.Outcome(o), buf)
		got, err := s.Encode(buf)
		if err != nil || got != parley.Outcome(o) {
			t.Fatalf("outcome %d: decode %v encode %d %v", o, buf, got, err)
		}
		for i := range buf {
			if s.ValueIndex(parley.Outcome(o), i) != buf[i] {
				t.Fatalf("outcome %d issue %d: ValueIndex disagrees with Decode", o, i)
			}
		}
		back, err := s.Parse(s.Named(parley.Outcome(o)))
		if err != nil || back != parley.Outcome(o) {
			t.Fatalf("outcome %d: named round trip gave %d %v", o, back, err)
		}
	}
	// Mixed radix, first issue most significant: blue(2), qty 10 (index 2), price 0.75 (index 3).
	o, err := s.Parse(map[string]string{"colour": "blue", "qty": "10", "price": "0.75"})
	if err != nil || o != parley.Outcome(2*35+2*5+3) {
		t.Fatalf("Parse = %d, %v; want %d", o, err, 2*35+2*5+3)
	}
	if got := s.Format(o); got != "colour=blue, qty=10, price=0.75" {
		t.Fatalf("Format = %q", got)
	}
}

// TestStrides: Stride(i) is the product of the sizes of the issues after
// i, Strides is a copy, and a seat that rewrites Issues changes neither.
func TestStrides(t *testing.T) {
	s := mixed(t) // sizes 3, 7, 5
	want := []int{35, 5, 1}
	got := s.Strides()
	for i, w := range want {
		if s.Stride(i) != w || got[i] != w {
			t.Fatalf("issue %d: Stride %d, Strides %v; want %d", i, s.Stride(i), got, w)
		}
	}
	got[0] = 99
	s.Issues[2].Steps = 50
	if s.Stride(0) != 35 || s.Strides()[0] != 35 || s.Stride(1) != 5 {
		t.Fatalf("strides changed to %v", s.Strides())
	}
	s.Issues[2].Steps = 5
	if o := parley.Outcome(2*35 + 4*5 + 1); s.Named(o)["qty"] != "12" {
		t.Fatalf("Named(%d) = %v", o, s.Named(o))
	}
}

func TestParseErrors(t *testing.T) {
	s := mixed(t)
	tests := []struct {
		in   map[string]string
		want string
	}{
		{map[string]string{"colour": "pink", "qty": "10", "price": "0"}, `issue "colour": unknown value "pink"`},
		{map[string]string{"colour": "red", "qty": "15", "price": "0"}, `issue "qty": 15 is not an integer in [8, 14]`},
		{map[string]string{"colour": "red", "qty": "9.5", "price": "0"}, `is not an integer`},
		{map[string]string{"colour": "red", "qty": "9", "price": "0.3"}, `not on the 5-point grid`},
		{map[string]string{"colour": "red", "qty": "9"}, `issue "price" missing`},
		{map[string]string{"colour": "red", "qty": "9", "price": "0", "size": "L"}, `unknown issue "size"`},
	}
	for _, tc := range tests {
		if _, err := s.Parse(tc.in); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%v) error %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestBadIssues(t *testing.T) {
	tests := []struct {
		issues []parley.Issue
		want   string
	}{
		{nil, "no issues"},
		{[]parley.Issue{{Name: "a"}}, `issue "a": no values`},
		{[]parley.Issue{{Name: "a", Values: []string{"x", "x"}}}, `value "x" appears twice`},
		{[]parley.Issue{{Name: "a", Values: []string{"x"}}, {Name: "a", Values: []string{"y"}}}, `issue "a" appears twice`},
		{[]parley.Issue{{Name: "a", Kind: parley.Integer, Min: 3, Max: 1}}, "below lower bound"},
		{[]parley.Issue{{Name: "a", Kind: parley.Real, Min: 0, Max: 1}}, "at least 2 steps"},
		{[]parley.Issue{{Name: "", Values: []string{"x"}}}, "empty name"},
	}
	for _, tc := range tests {
		if _, err := parley.NewOutcomeSpace(tc.issues); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.issues, err, tc.want)
		}
	}
}

func TestHugeSpaceIsIndexedNotEnumerable(t *testing.T) {
	issues := make([]parley.Issue, 10)
	for i := range issues {
		issues[i] = parley.Issue{Name: fmt.Sprint("i", i), Kind: parley.Integer, Min: 0, Max: 9}
	}
	s, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		t.Fatal(err)
	}
	if s.Size() != 10_000_000_000 || s.Enumerable() {
		t.Fatalf("size %d enumerable %v", s.Size(), s.Enumerable())
	}
}

func ExampleOutcomeSpace_Named() {
	s, _ := parley.NewOutcomeSpace([]parley.Issue{
		{Name: "price", Kind: parley.Integer, Min: 1, Max: 3},
		{Name: "colour", Values: []string{"red", "blue"}},
	})
	fmt.Println(s.Size(), s.Format(3), s.Named(5)["colour"])
	// Output: 6 price=2, colour=blue blue
}

func TestCloneIsIndependent(t *testing.T) {
	s, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "x", Values: []string{"a", "b"}}, {Name: "n", Kind: parley.Integer, Min: 1, Max: 3}})
	if err != nil {
		t.Fatal(err)
	}
	c := s.Clone()
	s.Issues[0].Values[0], s.Issues[1].Max = "forged", 9
	if c.Issues[0].Values[0] != "a" || c.Issues[1].Max != 3 || c.Size() != 6 {
		t.Fatalf("clone %+v changed with the original", c.Issues)
	}
	if got := c.Named(parley.Outcome(c.Size() - 1)); got["x"] != "b" || got["n"] != "3" {
		t.Errorf("clone names the last outcome %v", got)
	}
}

// TestCopyTo: CopyTo gives a deep copy that shares nothing writable with
// the source, and reusing the copy allocates nothing.
func TestCopyTo(t *testing.T) {
	s, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "a", Values: []string{"x", "y"}}, {Name: "b", Values: []string{"p", "q", "r"}}})
	if err != nil {
		t.Fatal(err)
	}
	c := s.CopyTo(nil)
	c.Issues[0].Name, c.Issues[1].Values[2] = "forged", "forged"
	if s.Issues[0].Name != "a" || s.Issues[1].Values[2] != "r" {
		t.Fatalf("writing the copy changed the source: %v", s.Issues)
	}
	if got := s.CopyTo(c); got != c || c.Issues[0].Name != "a" || c.Issues[1].Values[2] != "r" || c.Size() != 6 || c.Stride(1) != s.Stride(1) {
		t.Fatalf("CopyTo did not restore the copy in place: %v", c.Issues)
	}
	if n := testing.AllocsPerRun(100, func() { s.CopyTo(c) }); n != 0 {
		t.Errorf("CopyTo into a copy allocates %v times", n)
	}
	if o, _ := c.Encode([]int{1, 2}); o != 5 || c.Format(5) != s.Format(5) {
		t.Errorf("the copy numbers outcomes otherwise: %d %q", o, c.Format(5))
	}
}
