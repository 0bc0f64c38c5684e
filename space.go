package parley

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// IssueKind says how an issue's values are given.
type IssueKind uint8

const (
	// Discrete issues have a finite list of named values.
	Discrete IssueKind = iota
	// Integer issues take every integer in [Min, Max].
	Integer
	// Real issues take real numbers in [Min, Max]; Parley enumerates them on
	// a declared grid of Steps evenly spaced points (both ends included).
	Real
)

// String returns the kind's name as used in scenario files.
func (k IssueKind) String() string {
	switch k {
	case Discrete:
		return "discrete"
	case Integer:
		return "integer"
	case Real:
		return "real"
	}
	return fmt.Sprintf("IssueKind(%d)", uint8(k))
}

// ParseIssueKind is the inverse of IssueKind.String.
func ParseIssueKind(s string) (IssueKind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "discrete", "":
		return Discrete, nil
	case "integer", "int":
		return Integer, nil
	case "real", "float":
		return Real, nil
	}
	return 0, fmt.Errorf("unknown issue kind %q (want discrete, integer or real)", s)
}

// Issue is one dimension of the outcome space. Whatever its kind, an issue
// has Size() values addressed by a value index 0..Size()-1: the position in
// Values for a discrete issue, Min+k for an integer issue, and the k-th grid
// point for a real issue.
type Issue struct {
	Name   string
	Kind   IssueKind
	Values []string // Discrete: the value names, in order.
	Min    float64  // Integer, Real: lower bound (inclusive).
	Max    float64  // Integer, Real: upper bound (inclusive).
	Steps  int      // Real: number of grid points, at least 2.
}

// Size returns the number of values of the issue.
func (is *Issue) Size() int {
	switch is.Kind {
	case Integer:
		return int(is.Max-is.Min) + 1
	case Real:
		return is.Steps
	}
	return len(is.Values)
}

// Number returns the numeric value with index k of an integer or real issue
// (and k itself for a discrete issue).
func (is *Issue) Number(k int) float64 {
	switch is.Kind {
	case Integer:
		return is.Min + float64(k)
	case Real:
		if is.Steps <= 1 {
			return is.Min
		}
		if k == is.Steps-1 {
			return is.Max
		}
		return is.Min + float64(k)*(is.Max-is.Min)/float64(is.Steps-1)
	}
	return float64(k)
}

// Value returns the text of the value with index k: its name for a discrete
// issue, the number in shortest form otherwise.
func (is *Issue) Value(k int) string {
	if is.Kind == Discrete {
		return is.Values[k]
	}
	return strconv.FormatFloat(is.Number(k), 'g', -1, 64)
}

// Index returns the index of the value written v: a name for a discrete
// issue, a number for an integer issue, and a number on the grid (within
// 1e-9 of the range) for a real issue.
func (is *Issue) Index(v string) (int, error) {
	if is.Kind == Discrete {
		for k, name := range is.Values {
			if name == v {
				return k, nil
			}
		}
		return 0, fmt.Errorf("issue %q: unknown value %q", is.Name, v)
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return 0, fmt.Errorf("issue %q: value %q is not a number", is.Name, v)
	}
	return is.IndexOf(x)
}

// IndexOf returns the index of the numeric value x of an integer or real
// issue. For a real issue x must lie on the grid (within 1e-9 of the range).
func (is *Issue) IndexOf(x float64) (int, error) {
	switch is.Kind {
	case Integer:
		if x != math.Trunc(x) || x < is.Min || x > is.Max {
			return 0, fmt.Errorf("issue %q: %v is not an integer in [%v, %v]", is.Name, x, is.Min, is.Max)
		}
		return int(x - is.Min), nil
	case Real:
		if x < is.Min || x > is.Max || is.Steps < 2 {
			return 0, fmt.Errorf("issue %q: %v is outside [%v, %v]", is.Name, x, is.Min, is.Max)
		}
		f := (x - is.Min) / (is.Max - is.Min) * float64(is.Steps-1)
		k := math.Round(f)
		if math.Abs(f-k) > 1e-9*float64(is.Steps) {
			return 0, fmt.Errorf("issue %q: %v is not on the %d-point grid of [%v, %v]", is.Name, x, is.Steps, is.Min, is.Max)
		}
		return int(k), nil
	}
	return 0, fmt.Errorf("issue %q: discrete issue has no numeric values", is.Name)
}

// Validate reports what is wrong with the issue, naming the field.
func (is *Issue) Validate() error {
	if strings.TrimSpace(is.Name) == "" {
		return errors.New("issue: empty name")
	}
	switch is.Kind {
	case Discrete:
		if len(is.Values) == 0 {
			return fmt.Errorf("issue %q: no values", is.Name)
		}
		seen := make(map[string]bool, len(is.Values))
		for _, v := range is.Values {
			if seen[v] {
				return fmt.Errorf("issue %q: value %q appears twice", is.Name, v)
			}
			seen[v] = true
		}
	case Integer:
		if is.Min != math.Trunc(is.Min) || is.Max != math.Trunc(is.Max) {
			return fmt.Errorf("issue %q: integer bounds %v, %v are not integers", is.Name, is.Min, is.Max)
		}
		if is.Max < is.Min {
			return fmt.Errorf("issue %q: upper bound %v below lower bound %v", is.Name, is.Max, is.Min)
		}
		if is.Max-is.Min >= 1<<31 {
			return fmt.Errorf("issue %q: integer range [%v, %v] is too wide", is.Name, is.Min, is.Max)
		}
	case Real:
		if math.IsNaN(is.Min) || math.IsNaN(is.Max) || math.IsInf(is.Min, 0) || math.IsInf(is.Max, 0) {
			return fmt.Errorf("issue %q: real bounds must be finite", is.Name)
		}
		if is.Max <= is.Min {
			return fmt.Errorf("issue %q: upper bound %v not above lower bound %v", is.Name, is.Max, is.Min)
		}
		if is.Steps < 2 {
			return fmt.Errorf("issue %q: real issue needs a discretisation of at least 2 steps, got %d", is.Name, is.Steps)
		}
	default:
		return fmt.Errorf("issue %q: unknown kind %d", is.Name, is.Kind)
	}
	return nil
}

// Outcome is a complete assignment of values to issues, as a dense index
// into its OutcomeSpace (mixed radix, the first issue most significant).
type Outcome int

// NoOutcome stands for "no outcome": no offer on the table, no agreement.
const NoOutcome Outcome = -1

// MaxEnumerable is the largest outcome space for which Parley precomputes
// utility tables and sorted indices (about 20 million outcomes).
const MaxEnumerable = 20_000_000

// OutcomeSpace is the Cartesian product of its issues. Outcomes are numbered
// 0..Size()-1 in mixed radix. The space must not be changed after
// NewOutcomeSpace; the numbering (ValueIndex, Decode, Encode, Valid) uses
// private copies of the issues' sizes, so a seat that writes to Issues
// cannot change which values an outcome holds, and so cannot dodge a red
// line or a ratification vote.
type OutcomeSpace struct {
	Issues  []Issue
	strides []int
	sizes   []int
	size    int
	count   float64
}

// ErrTooLarge is returned when an outcome space cannot be indexed by int.
var ErrTooLarge = errors.New("outcome space too large")

// NewOutcomeSpace validates the issues and builds the space.
func NewOutcomeSpace(issues []Issue) (*OutcomeSpace, error) {
	if len(issues) == 0 {
		return nil, errors.New("outcome space: no issues")
	}
	names := make(map[string]bool, len(issues))
	s := &OutcomeSpace{Issues: issues, strides: make([]int, len(issues)), sizes: make([]int, len(issues)), count: 1}
	for i := range issues {
		if err := issues[i].Validate(); err != nil {
			return nil, fmt.Errorf("outcome space: %w", err)
		}
		if names[issues[i].Name] {
			return nil, fmt.Errorf("outcome space: issue %q appears twice", issues[i].Name)
		}
		names[issues[i].Name] = true
		s.count *= float64(issues[i].Size())
	}
	if s.count > float64(math.MaxInt64/2) {
		return nil, fmt.Errorf("outcome space: %.3g outcomes: %w", s.count, ErrTooLarge)
	}
	stride := 1
	for i := len(issues) - 1; i >= 0; i-- {
		s.strides[i] = stride
		s.sizes[i] = issues[i].Size()
		stride *= s.sizes[i]
	}
	s.size = stride
	return s, nil
}

// CopyTo makes dst a deep copy of s, as Clone does, reusing dst's buffers
// (nil dst allocates), and returns it. Protocols use it to hand each seat
// its own copy of the space in every run without allocating: a seat that
// renames issues or values changes only its own copy.
func (s *OutcomeSpace) CopyTo(dst *OutcomeSpace) *OutcomeSpace {
	if dst == nil || dst == s {
		dst = &OutcomeSpace{}
	}
	if len(dst.Issues) != len(s.Issues) {
		dst.Issues = make([]Issue, len(s.Issues))
	}
	for i, is := range s.Issues {
		d := &dst.Issues[i]
		vals := d.Values
		if len(vals) != len(is.Values) {
			vals = make([]string, len(is.Values))
		}
		copy(vals, is.Values)
		*d = is
		d.Values = vals
		if is.Values == nil {
			d.Values = nil
		}
	}
	dst.strides = append(dst.strides[:0], s.strides...)
	dst.sizes = append(dst.sizes[:0], s.sizes...)
	dst.size, dst.count = s.size, s.count
	return dst
}

// Clone returns a deep copy of s: the same outcomes, with its own issues
// and value names, for a holder that must not see changes made to s
// through its exported Issues.
func (s *OutcomeSpace) Clone() *OutcomeSpace { return s.CopyTo(nil) }

// Size returns the number of outcomes.
func (s *OutcomeSpace) Size() int { return s.size }

// Enumerable reports whether the space is small enough (MaxEnumerable) for
// utility tables and exhaustive analysis.
func (s *OutcomeSpace) Enumerable() bool { return s.size <= MaxEnumerable }

// Stride returns the step between outcomes that differ by one in the value
// of issue i alone: the product of the sizes of the issues after i (outcomes
// are numbered in mixed radix, the first issue most significant), so that
// ValueIndex(o, i) = (o / Stride(i)) mod Issues[i].Size().
func (s *OutcomeSpace) Stride(i int) int { return s.strides[i] }

// Strides returns a copy of every issue's Stride, in issue order.
func (s *OutcomeSpace) Strides() []int { return append([]int(nil), s.strides...) }

// Issue returns the index of the issue called name, or -1.
func (s *OutcomeSpace) Issue(name string) int {
	for i := range s.Issues {
		if s.Issues[i].Name == name {
			return i
		}
	}
	return -1
}

// ValueIndex returns the value index of issue i in outcome o.
func (s *OutcomeSpace) ValueIndex(o Outcome, i int) int {
	return (int(o) / s.strides[i]) % s.sizes[i]
}

// Decode writes the value index of every issue of o into dst (grown if
// needed) and returns it.
func (s *OutcomeSpace) Decode(o Outcome, dst []int) []int {
	if cap(dst) < len(s.sizes) {
		dst = make([]int, len(s.sizes))
	}
	dst = dst[:len(s.sizes)]
	x := int(o)
	for i := len(s.sizes) - 1; i >= 0; i-- {
		n := s.sizes[i]
		dst[i] = x % n
		x /= n
	}
	return dst
}

// Encode returns the outcome with the given value indices, one per issue.
func (s *OutcomeSpace) Encode(values []int) (Outcome, error) {
	if len(values) != len(s.sizes) {
		return NoOutcome, fmt.Errorf("outcome: %d values for %d issues", len(values), len(s.sizes))
	}
	o := 0
	for i, k := range values {
		if k < 0 || k >= s.sizes[i] {
			return NoOutcome, fmt.Errorf("outcome: issue %q: value index %d out of range [0, %d)", s.Issues[i].Name, k, s.sizes[i])
		}
		o += k * s.strides[i]
	}
	return Outcome(o), nil
}

// Valid reports whether o is an outcome of the space.
func (s *OutcomeSpace) Valid(o Outcome) bool { return o >= 0 && int(o) < s.size }

// Check returns an error naming the problem when o is not an outcome of s.
func (s *OutcomeSpace) Check(o Outcome) error {
	if !s.Valid(o) {
		return fmt.Errorf("outcome %d outside the space of %d outcomes", int(o), s.size)
	}
	return nil
}

// Named returns o as issue name -> value text.
func (s *OutcomeSpace) Named(o Outcome) map[string]string {
	if !s.Valid(o) {
		return nil
	}
	m := make(map[string]string, len(s.Issues))
	for i := range s.Issues {
		m[s.Issues[i].Name] = s.Issues[i].Value(s.ValueIndex(o, i))
	}
	return m
}

// Parse returns the outcome given as issue name -> value text. Every issue
// must be given, and nothing else.
func (s *OutcomeSpace) Parse(named map[string]string) (Outcome, error) {
	if len(named) != len(s.Issues) {
		for k := range named {
			if s.Issue(k) < 0 {
				return NoOutcome, fmt.Errorf("outcome: unknown issue %q", k)
			}
		}
	}
	o := 0
	for i := range s.Issues {
		v, ok := named[s.Issues[i].Name]
		if !ok {
			return NoOutcome, fmt.Errorf("outcome: issue %q missing", s.Issues[i].Name)
		}
		k, err := s.Issues[i].Index(v)
		if err != nil {
			return NoOutcome, fmt.Errorf("outcome: %w", err)
		}
		o += k * s.strides[i]
	}
	return Outcome(o), nil
}

// Format writes o as "issue=value, issue=value" in issue order.
func (s *OutcomeSpace) Format(o Outcome) string {
	if !s.Valid(o) {
		return "none"
	}
	var b strings.Builder
	for i := range s.Issues {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.Issues[i].Name)
		b.WriteByte('=')
		b.WriteString(s.Issues[i].Value(s.ValueIndex(o, i)))
	}
	return b.String()
}
