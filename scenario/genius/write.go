package genius

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/ufun"
)

// linearTol is how far a sampled evaluation may lie from the line Write
// fits through it; it is Parley's utility tolerance.
const linearTol = parley.Eps

// Write writes s into folder dir (created if needed) as a GENIUS scenario:
// the domain as NAME_domain.xml and one profile per party as PARTY.xml.
// ReadDir(dir) gives back the same outcome space and utilities (within
// 1e-12), with the parties ordered by file name. dir should hold no other
// GENIUS files. Nothing is written unless every file can be.
//
// Each profile's utility function must be (or be a table computed from) a
// *ufun.LinearAdditive without bonus or a *ufun.Constraint over integer
// issues. GENIUS scales each discrete issue's best value to 1, so a weighted
// discrete issue whose best evaluation is not 1 cannot be written; integer
// and real issues need evaluations linear in the value. Real issues carry
// a steps attribute, a Parley extension GENIUS ignores, so that their grid
// reads back unchanged.
func Write(dir string, s *scenario.Scenario) error {
	if s == nil || s.Space == nil {
		return errors.New("genius: write: no scenario")
	}
	if x := s.Extras(); len(x) > 0 {
		return fmt.Errorf("genius: write: scenario %s holds what GENIUS cannot express: %s", s.Name, strings.Join(x, "; "))
	}
	domName := fileStem(s.Name) + "_domain.xml"
	files := map[string][]byte{}
	var buf bytes.Buffer
	if err := WriteDomain(&buf, s.Name, s.Space); err != nil {
		return err
	}
	files[strings.ToLower(domName)] = append([]byte(nil), buf.Bytes()...)
	names := []string{domName}
	for _, p := range s.Parties {
		if err := checkFileName(p.Name); err != nil {
			return fmt.Errorf("genius: write: party %q: %w", p.Name, err)
		}
		f := p.Name + ".xml"
		if _, dup := files[strings.ToLower(f)]; dup {
			return fmt.Errorf("genius: write: party %q: file %s is already taken", p.Name, f)
		}
		if p.Profile == nil {
			return fmt.Errorf("genius: write: party %q has no profile", p.Name)
		}
		buf.Reset()
		if err := writeProfile(&buf, p.Name, p.Profile, s.Space); err != nil {
			return err
		}
		files[strings.ToLower(f)] = append([]byte(nil), buf.Bytes()...)
		names = append(names, f)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("genius: write: %w", err)
	}
	for _, f := range names {
		if err := os.WriteFile(filepath.Join(dir, f), files[strings.ToLower(f)], 0o644); err != nil {
			return fmt.Errorf("genius: write: %w", err)
		}
	}
	return nil
}

// fileStem turns a scenario name into a file name stem.
func fileStem(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '/' || r == '\\' || r == ':' || r < ' ':
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	s := strings.Trim(b.String(), ". ")
	if s == "" {
		return "scenario"
	}
	return s
}

// checkFileName reports why name cannot name a profile file.
func checkFileName(name string) error {
	if name == "" || name == "." || name == ".." {
		return errors.New("name cannot be a file name")
	}
	if strings.ContainsAny(name, "/\\\x00") {
		return errors.New("name contains a path separator or NUL")
	}
	return nil
}

// xmlWriter accumulates XML text and remembers the first error.
type xmlWriter struct {
	b   bytes.Buffer
	err error
}

func (w *xmlWriter) printf(format string, args ...any) { fmt.Fprintf(&w.b, format, args...) }

// attr returns ` name="escaped value"`.
func (w *xmlWriter) attr(name, value string) string {
	if w.err == nil {
		if err := checkXMLText(value); err != nil {
			w.err = fmt.Errorf("%s %q: %w", name, value, err)
		}
	}
	var b strings.Builder
	b.WriteString(" ")
	b.WriteString(name)
	b.WriteString(`="`)
	_ = xml.EscapeText(&b, []byte(value))
	b.WriteString(`"`)
	return b.String()
}

// checkXMLText reports a character XML 1.0 cannot carry.
func checkXMLText(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("not valid UTF-8")
	}
	for _, r := range s {
		if !(r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
			r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return fmt.Errorf("character %U cannot appear in XML", r)
		}
	}
	return nil
}

func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func intNum(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// WriteDomain writes space as a GENIUS domain file whose root objective is
// called name. Issues are numbered 1, 2, ... in order.
func WriteDomain(w io.Writer, name string, space *parley.OutcomeSpace) error {
	if space == nil {
		return errors.New("genius: write domain: no outcome space")
	}
	if name == "" {
		name = "root"
	}
	x := &xmlWriter{}
	x.printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<negotiation_template>\n")
	x.printf("\t<utility_space number_of_issues=\"%d\">\n", len(space.Issues))
	x.printf("\t\t<objective index=\"0\"%s type=\"objective\" etype=\"objective\">\n", x.attr("name", name))
	for i := range space.Issues {
		writeIssue(x, "\t\t\t", i, &space.Issues[i], true)
	}
	x.printf("\t\t</objective>\n\t</utility_space>\n</negotiation_template>\n")
	if x.err != nil {
		return fmt.Errorf("genius: write domain: %w", x.err)
	}
	_, err := w.Write(x.b.Bytes())
	return err
}

// writeIssue writes the opening of an issue element; in a domain file
// (domain == true) it also writes the values and closes the element.
func writeIssue(x *xmlWriter, ind string, i int, is *parley.Issue, domain bool) {
	k := is.Kind.String()
	x.printf("%s<issue index=\"%d\"%s type=\"%s\" etype=\"%s\" vtype=\"%s\"", ind, i+1, x.attr("name", is.Name), k, k, k)
	switch is.Kind {
	case parley.Integer:
		if is.Min < math.MinInt32 || is.Max > math.MaxInt32 {
			if x.err == nil {
				x.err = fmt.Errorf("issue %q: bounds [%v, %v] exceed GENIUS's 32-bit integers", is.Name, is.Min, is.Max)
			}
		}
		x.printf(" lowerbound=\"%s\" upperbound=\"%s\"", intNum(is.Min), intNum(is.Max))
	case parley.Real:
		x.printf(" steps=\"%d\"", is.Steps)
	}
	x.printf(">\n")
	if !domain {
		return
	}
	switch is.Kind {
	case parley.Discrete:
		for k, v := range is.Values {
			x.printf("%s\t<item index=\"%d\"%s/>\n", ind, k+1, x.attr("value", v))
		}
	case parley.Real:
		x.printf("%s\t<range lowerbound=\"%s\" upperbound=\"%s\"/>\n", ind, num(is.Min), num(is.Max))
	}
	x.printf("%s</issue>\n", ind)
}

// WriteProfile writes p as a GENIUS profile file over the domain that
// WriteDomain writes for p.Space. See Write for what can be written.
func WriteProfile(w io.Writer, p *parley.Profile) error {
	if p == nil {
		return errors.New("genius: write profile: no profile")
	}
	return writeProfile(w, p.Name, p, p.Space)
}

func writeProfile(w io.Writer, party string, p *parley.Profile, space *parley.OutcomeSpace) error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("genius: write: party %q: %s", party, fmt.Sprintf(format, args...))
	}
	if space == nil {
		return fail("no outcome space")
	}
	if p.Utility == nil {
		return fail("no utility function")
	}
	if math.IsNaN(p.Reservation) || p.Reservation < 0 || p.Reservation > 1 {
		return fail("reservation value %v outside [0,1]", p.Reservation)
	}
	x := &xmlWriter{}
	var err error
	switch u := scenario.Base(p.Utility).(type) {
	case *ufun.LinearAdditive:
		err = writeAdditive(x, u, space)
	case *ufun.Constraint:
		err = writeConstraint(x, u, space)
	default:
		err = fmt.Errorf("utility function %T has no GENIUS form (want *ufun.LinearAdditive or *ufun.Constraint)", u)
	}
	if err == nil {
		err = x.err
	}
	if err != nil {
		return fail("%v", err)
	}
	x.printf("\t<discount_factor value=\"%s\"/>\n", num(p.DiscountFactor()))
	x.printf("\t<reservation value=\"%s\"/>\n", num(p.Reservation))
	x.printf("</utility_space>\n")
	_, err = w.Write(x.b.Bytes())
	return err
}

// writeAdditive writes the objective of a linear-additive profile.
func writeAdditive(x *xmlWriter, u *ufun.LinearAdditive, space *parley.OutcomeSpace) error {
	if u.AgreementBonus() != 0 {
		return fmt.Errorf("agreement bonus %v has no GENIUS form", u.AgreementBonus())
	}
	if len(u.Weights()) != len(space.Issues) || len(u.Evals()) != len(space.Issues) {
		return errors.New("utility function over another outcome space")
	}
	x.printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<utility_space>\n")
	x.printf("\t<objective index=\"0\" name=\"root\" type=\"objective\" etype=\"objective\">\n")
	for i := range space.Issues {
		is := &space.Issues[i]
		ev := u.Evals()[i]
		if len(ev) != is.Size() {
			return fmt.Errorf("issue %q: %d evaluations for %d values", is.Name, len(ev), is.Size())
		}
		writeIssue(x, "\t\t", i, is, false)
		switch is.Kind {
		case parley.Discrete:
			max := 0.0
			for _, e := range ev {
				max = math.Max(max, e)
			}
			if u.Weight(i) > 0 && math.Abs(max-1) > linearTol {
				return fmt.Errorf("issue %q: best evaluation is %v, but GENIUS scales every discrete issue's best value to 1", is.Name, max)
			}
			for k, v := range is.Values {
				x.printf("\t\t\t<item index=\"%d\"%s evaluation=\"%s\"/>\n", k+1, x.attr("value", v), num(ev[k]))
			}
		case parley.Integer:
			slope, offset, ok := fitClampedLine(func(k int) float64 { return float64(k) }, ev)
			if !ok {
				return fmt.Errorf("issue %q: evaluations are not a (clamped) linear function of the value, and GENIUS integer evaluators are linear (slope and offset) only", is.Name)
			}
			x.printf("\t\t\t<evaluator ftype=\"linear\" slope=\"%s\" offset=\"%s\"/>\n", num(slope), num(offset))
		case parley.Real:
			p1, p0, ok := fitClampedLine(func(k int) float64 { return RealValue(is, k) }, ev)
			if !ok {
				return fmt.Errorf("issue %q: evaluations are not a (clamped) linear function of the value; only linear real evaluators are written", is.Name)
			}
			x.printf("\t\t\t<range lowerbound=\"%s\" upperbound=\"%s\"/>\n", num(is.Min), num(is.Max))
			x.printf("\t\t\t<evaluator ftype=\"linear\" parameter0=\"%s\" parameter1=\"%s\"/>\n", num(p0), num(p1))
		}
		x.printf("\t\t</issue>\n")
	}
	for i, w := range u.Weights() {
		x.printf("\t\t<weight index=\"%d\" value=\"%s\"/>\n", i+1, num(w))
	}
	x.printf("\t</objective>\n")
	return nil
}

// writeConstraint writes the objective of a non-linear (hyper-rectangle)
// profile. GENIUS reads the utility from the first child of utility_space,
// so the objective comes before discount and reservation.
func writeConstraint(x *xmlWriter, c *ufun.Constraint, space *parley.OutcomeSpace) error {
	x.printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<utility_space type=\"nonlinear\">\n")
	x.printf("\t<objective index=\"0\" name=\"root\" type=\"objective\" etype=\"objective\">\n")
	for i := range space.Issues {
		writeIssue(x, "\t\t", i, &space.Issues[i], false)
		x.printf("\t\t</issue>\n")
	}
	x.printf("\t\t<utility maxutility=\"%s\">\n", num(c.Max()))
	x.printf("\t\t\t<ufun type=\"PlainUfun\" weight=\"1\" aggregation=\"sum\">\n")
	for _, r := range c.Rects() {
		if len(r.Conds) == 0 {
			if r.Exclusive {
				continue // no bound to violate: never counts
			}
			x.printf("\t\t\t\t<hyperRectangle utility=\"%s\"/>\n", num(r.Utility))
			continue
		}
		tag := "INCLUDES"
		if r.Exclusive {
			tag = "EXCLUDES"
		}
		x.printf("\t\t\t\t<hyperRectangle utility=\"%s\">\n", num(r.Utility))
		for _, cd := range r.Conds {
			if cd.Issue < 0 || cd.Issue >= len(space.Issues) {
				return fmt.Errorf("rectangle bound on issue %d of %d", cd.Issue, len(space.Issues))
			}
			is := &space.Issues[cd.Issue]
			if is.Kind != parley.Integer {
				return fmt.Errorf("issue %q: GENIUS bounds only integer issues in hyper-rectangles, not %s ones", is.Name, is.Kind)
			}
			x.printf("\t\t\t\t\t<%s index=\"%d\" min=\"%d\" max=\"%d\"/>\n", tag, cd.Issue+1, cd.Lo+int(is.Min), cd.Hi+int(is.Min))
		}
		x.printf("\t\t\t\t</hyperRectangle>\n")
	}
	x.printf("\t\t\t</ufun>\n\t\t</utility>\n\t</objective>\n")
	return nil
}

// fitClampedLine finds a, b with clamp01(a·x(k)+b) = e[k] (within
// linearTol) for every k: GENIUS's linear integer and real evaluators. It
// tries lines through a few telling points: the ends, the first and last
// unclamped values, and their clamped neighbours.
func fitClampedLine(x func(k int) float64, e []float64) (a, b float64, ok bool) {
	n := len(e)
	if n == 0 {
		return 0, 0, false
	}
	check := func(a, b float64) bool {
		for k, v := range e {
			if math.Abs(clamp01(a*x(k)+b)-v) > linearTol {
				return false
			}
		}
		return true
	}
	if n == 1 || check(0, e[0]) {
		return 0, e[0], check(0, e[0])
	}
	first, last := -1, -1
	for k, v := range e {
		if v > 0 && v < 1 {
			if first < 0 {
				first = k
			}
			last = k
		}
	}
	cand := []int{0, n - 1}
	if first >= 0 {
		cand = append(cand, first, last, first-1, last+1)
	}
	// Steps between the clamp levels 0 and 1.
	for k := 1; k < n && len(cand) < 16; k++ {
		if (e[k-1] == 0 || e[k-1] == 1) && e[k] != e[k-1] {
			cand = append(cand, k-1, k)
		}
	}
	for _, i := range cand {
		for _, j := range cand {
			if i < 0 || j < 0 || i >= n || j >= n || i >= j || x(i) == x(j) {
				continue
			}
			a := (e[j] - e[i]) / (x(j) - x(i))
			b := e[i] - a*x(i)
			if check(a, b) {
				return a, b, true
			}
		}
	}
	return 0, 0, false
}
