package genius

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/parley-dev/parley"
)

// DefaultRealSteps is the number of evenly spaced points (both bounds
// included) on which a real issue is enumerated when neither the domain file
// (Parley's steps attribute) nor Reader.RealSteps says otherwise. It is the
// value GENIUS uses for analysis of real issues
// (genius.core.issue.IssueReal: fNumberOfDiscretizationSteps = 21).
const DefaultRealSteps = 21

// MaxIssueValues bounds the number of values of one issue in a
// linear-additive profile, whose evaluation tables hold one number per value.
const MaxIssueValues = 1 << 22

// Domain is a parsed GENIUS domain: the outcome space and the GENIUS number
// (the index attribute) of each issue, by which profiles refer to issues.
type Domain struct {
	Name    string // the name of the root objective
	Space   *parley.OutcomeSpace
	Numbers []int // Numbers[i] is the index attribute of Space.Issues[i]
	// Warnings are what the file holds that GENIUS accepts but that looks
	// like a mistake (a value listed twice), one line each.
	Warnings []string

	objectives map[int]bool // index attributes of objectives (not issues)
}

// issue returns the position of the issue with GENIUS number num, or -1.
func (d *Domain) issue(num int) int {
	for i, n := range d.Numbers {
		if n == num {
			return i
		}
	}
	return -1
}

// Reader reads GENIUS files. The zero value reads them as GENIUS does.
type Reader struct {
	// RealSteps is the number of grid points (at least 2) for real issues
	// whose domain entry carries no steps attribute; 0 means
	// DefaultRealSteps.
	RealSteps int
}

func (r Reader) realSteps() int {
	if r.RealSteps == 0 {
		return DefaultRealSteps
	}
	return r.RealSteps
}

// ParseDomain parses a GENIUS domain file (root element
// negotiation_template); name is used in error messages.
func ParseDomain(name string, data []byte) (*Domain, error) {
	return Reader{}.ParseDomain(name, data)
}

// ParseDomain parses a GENIUS domain file; name is used in error messages.
func (r Reader) ParseDomain(name string, data []byte) (*Domain, error) {
	root, err := parseXML(name, data)
	if err != nil {
		return nil, err
	}
	return r.domain(name, root)
}

// domain builds a Domain from the element tree of a domain file.
func (r Reader) domain(file string, root *node) (*Domain, error) {
	if root.name != "negotiation_template" {
		return nil, errorf(file, root, "root element is <%s>, want <negotiation_template>", root.name)
	}
	us := root.child("utility_space")
	if us == nil {
		return nil, errorf(file, root, "no <utility_space> in <negotiation_template>")
	}
	obj := us.child("objective")
	if obj == nil {
		return nil, errorf(file, us, "no <objective> in <utility_space>")
	}
	d := &Domain{objectives: map[int]bool{}}
	w := &warner{file: file}
	d.Name, _ = obj.attr("name")
	var (
		issues []parley.Issue
		lines  []*node
		seen   = map[int]*node{}
	)
	var walk func(o *node) error
	walk = func(o *node) error {
		if num, ok, err := intAttr(file, o, "index"); err != nil {
			return err
		} else if ok {
			d.objectives[num] = true
		}
		// GENIUS DomainImpl.buildTreeRecursive adds an objective's
		// sub-objectives before its issues, and GENIUS enumerates bids and
		// sums utilities over the issues in preorder of that tree
		// (Objective.getPreorderIssueEnumeration): so the issues of nested
		// objectives come first, whatever the file order.
		for _, k := range o.kids {
			if k.name == "objective" {
				if err := walk(k); err != nil {
					return err
				}
			}
		}
		for _, k := range o.kids {
			switch k.name {
			case "issue":
				num, ok, err := intAttr(file, k, "index")
				if err != nil {
					return err
				}
				if !ok {
					return errorf(file, k, "issue without an index attribute")
				}
				if prev, dup := seen[num]; dup {
					return errorf(file, k, "issue index %d already used at line %d", num, prev.line)
				}
				seen[num] = k
				is, err := r.issue(w, k)
				if err != nil {
					return err
				}
				for j := range issues {
					if issues[j].Name == is.Name {
						return errorf(file, k, "issue %q already defined at line %d", is.Name, lines[j].line)
					}
				}
				issues = append(issues, is)
				lines = append(lines, k)
				d.Numbers = append(d.Numbers, num)
			}
		}
		return nil
	}
	if err := walk(obj); err != nil {
		return nil, err
	}
	if len(issues) == 0 {
		return nil, errorf(file, obj, "domain has no issues")
	}
	space, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		return nil, errorf(file, us, "%w", err)
	}
	d.Space = space
	d.Warnings = w.done()
	return d, nil
}

// issue parses one <issue> element of a domain file.
func (r Reader) issue(w *warner, n *node) (parley.Issue, error) {
	file := w.file
	name, _ := n.attr("name")
	is := parley.Issue{Name: name}
	typ, ok := n.attr("type")
	if !ok {
		// GENIUS DomainImpl: no type attribute means discrete.
		typ = "discrete"
	}
	kind, err := parley.ParseIssueKind(typ)
	if err != nil {
		return is, errorf(file, n, "issue %q: %w", name, err)
	}
	is.Kind = kind
	switch kind {
	case parley.Discrete:
		seen := map[string]*node{}
		for _, it := range n.children("item") {
			v, ok := it.attr("value")
			if !ok {
				return is, errorf(file, it, "issue %q: <item> without a value attribute", name)
			}
			if first, dup := seen[v]; dup {
				// GENIUS's IssueDiscrete keeps both in its list, and both
				// are the same value to its evaluators (ValueDiscrete
				// equality is by name): one value here.
				w.add(it, "issue %q: value %q listed again (first at line %d): read once", name, v, first.line)
				continue
			}
			seen[v] = it
			is.Values = append(is.Values, v)
		}
	case parley.Integer:
		lo, hi, err := bounds(file, n, true)
		if err != nil {
			return is, fmt.Errorf("%w (issue %q)", err, name)
		}
		is.Min, is.Max = lo, hi
	case parley.Real:
		lo, hi, err := bounds(file, n, false)
		if err != nil {
			return is, fmt.Errorf("%w (issue %q)", err, name)
		}
		is.Min, is.Max = lo, hi
		is.Steps = r.realSteps()
		if steps, ok, err := intAttr(file, n, "steps"); err != nil {
			return is, err
		} else if ok {
			is.Steps = steps
		}
	}
	if err := is.Validate(); err != nil {
		return is, errorf(file, n, "%w", err)
	}
	return is, nil
}

// bounds reads lowerbound and upperbound from the issue element itself or,
// failing that, from its <range> child (GENIUS puts integer bounds on the
// issue and real bounds on <range>; older files do either).
func bounds(file string, n *node, integer bool) (lo, hi float64, err error) {
	src := n
	if _, ok := n.attr("lowerbound"); !ok {
		if rg := n.child("range"); rg != nil {
			src = rg
		}
	}
	get := func(attr string) (float64, error) {
		s, ok := src.attr(attr)
		if !ok {
			return 0, errorf(file, src, "missing %s", attr)
		}
		if integer {
			v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
			if err != nil {
				return 0, errorf(file, src, "%s %q is not an integer", attr, s)
			}
			return float64(v), nil
		}
		return parseNumber(file, src, attr, s)
	}
	if lo, err = get("lowerbound"); err != nil {
		return 0, 0, err
	}
	if hi, err = get("upperbound"); err != nil {
		return 0, 0, err
	}
	return lo, hi, nil
}

// intAttr reads an optional integer attribute (a Java int).
func intAttr(file string, n *node, attr string) (int, bool, error) {
	s, ok := n.attr(attr)
	if !ok {
		return 0, false, nil
	}
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
	if err != nil {
		return 0, true, errorf(file, n, "%s %q is not an integer", attr, s)
	}
	return int(v), true, nil
}

// parseNumber parses a finite decimal number as Java's Double.valueOf does
// (surrounding blanks allowed).
func parseNumber(file string, n *node, attr, s string) (float64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimRight(t, "dDfF") // Java accepts a type suffix: 1.0d
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return 0, errorf(file, n, "%s %q is out of range", attr, s)
		}
		return 0, errorf(file, n, "%s %q is not a number", attr, s)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errorf(file, n, "%s %q is not a finite number", attr, s)
	}
	return v, nil
}

// numberAttr reads a required number attribute.
func numberAttr(file string, n *node, attr string) (float64, error) {
	s, ok := n.attr(attr)
	if !ok {
		return 0, errorf(file, n, "<%s> without a %s attribute", n.name, attr)
	}
	return parseNumber(file, n, attr, s)
}
