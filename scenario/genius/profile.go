package genius

import (
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/ufun"
)

// ParseProfile parses a GENIUS preference profile (root element
// utility_space) over domain d. name is the file name: it is used in error
// messages, and the profile is named after it without directory and
// extension ("England.xml" gives the party "England").
//
// What GENIUS accepts but looks like a mistake (weights that do not sum to
// 1, a value evaluated twice, a weight for no issue, ...) is read as GENIUS
// reads it and reported in warnings, one line each naming the file and line.
func ParseProfile(name string, data []byte, d *Domain) (*parley.Profile, []string, error) {
	root, err := parseXML(name, data)
	if err != nil {
		return nil, nil, err
	}
	return profile(name, root, d)
}

// partyName returns the file name without directory and extension.
func partyName(file string) string {
	base := path.Base(strings.ReplaceAll(file, "\\", "/"))
	return strings.TrimSuffix(base, path.Ext(base))
}

// maxWarnings bounds the warnings kept for one file, so that a hostile file
// cannot make them grow with its size.
const maxWarnings = 20

// warner collects the warnings about one file.
type warner struct {
	file    string
	list    []string
	dropped int
}

// add records a warning at the line of n.
func (w *warner) add(n *node, format string, args ...any) {
	if len(w.list) >= maxWarnings {
		w.dropped++
		return
	}
	w.list = append(w.list, errorf(w.file, n, format, args...).Error())
}

// done returns the warnings, with a last line counting those left out.
func (w *warner) done() []string {
	if w.dropped > 0 {
		w.list = append(w.list, (&Error{File: w.file, Err: fmt.Errorf("%d more warnings", w.dropped)}).Error())
	}
	return w.list
}

// profile builds a profile from the element tree of a profile file.
func profile(file string, root *node, d *Domain) (*parley.Profile, []string, error) {
	w := &warner{file: file}
	p, err := w.profile(root, d)
	if err != nil {
		return nil, nil, err
	}
	return p, w.done(), nil
}

func (w *warner) profile(root *node, d *Domain) (*parley.Profile, error) {
	file := w.file
	if d == nil || d.Space == nil {
		return nil, &Error{File: file, Err: fmt.Errorf("no domain")}
	}
	if root.name != "utility_space" {
		return nil, errorf(file, root, "root element is <%s>, want <utility_space>", root.name)
	}
	p := &parley.Profile{Name: partyName(file), Space: d.Space, Discount: 1}
	if rv := root.child("reservation"); rv != nil {
		// AdditiveUtilitySpace.loadTreeRecursive catches a reservation it
		// cannot read, prints "Utility space has no reservation value" and
		// goes on with 0.
		s, ok := rv.attr("value")
		v, err := parseNumber(file, rv, "reservation value", s)
		switch {
		case !ok:
			w.add(rv, "<reservation> without a value attribute: reservation value 0, as in GENIUS")
		case err != nil:
			w.add(rv, "reservation value %q is not a number: reservation value 0, as in GENIUS", s)
		case v < 0 || v > 1:
			return nil, errorf(file, rv, "reservation value %v outside [0,1]", v)
		default:
			p.Reservation = v
		}
	}
	if df := root.child("discount_factor"); df != nil {
		s, ok := df.attr("value")
		if !ok {
			// The SON domain writes <discount_factor><value>1</value>.
			if vn := df.child("value"); vn != nil {
				s, ok = vn.text, true
			}
		}
		if ok {
			v, err := parseNumber(file, df, "discount factor", s)
			if err != nil {
				// GENIUS catches this, prints "Utility space has no
				// discount factor" and does not discount.
				w.add(df, "discount factor %q is not a number: no discounting, as in GENIUS", s)
			} else if v > 0 && v <= 1 {
				// AbstractUtilitySpace.validateDiscount: d <= 0 or d > 1
				// means 1.
				p.Discount = v
			}
		}
	}
	obj := root.child("objective")
	if obj == nil {
		return nil, errorf(file, root, "no <objective> in <utility_space>")
	}
	typ, _ := root.attr("type")
	var err error
	if strings.EqualFold(typ, "nonlinear") || obj.child("utility") != nil {
		p.Utility, err = nonlinear(file, obj, d)
	} else {
		var issues []*node
		if issues, err = w.profileIssues(obj, d); err == nil {
			p.Utility, err = w.additive(obj, d, issues)
		}
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// profileIssues finds the <issue> elements of a profile's objective tree and
// matches each to its domain issue by number, as GENIUS does
// (AdditiveUtilitySpace.loadTreeRecursive looks issues up by index only). It
// returns, per domain issue, its element (nil where the profile has none).
func (w *warner) profileIssues(obj *node, d *Domain) ([]*node, error) {
	file := w.file
	out := make([]*node, len(d.Numbers))
	var walk func(o *node) error
	walk = func(o *node) error {
		for _, k := range o.kids {
			switch k.name {
			case "objective":
				if err := walk(k); err != nil {
					return err
				}
			case "issue":
				num, ok, err := intAttr(file, k, "index")
				if err != nil {
					return err
				}
				name, _ := k.attr("name")
				if !ok {
					return errorf(file, k, "issue %q without an index attribute", name)
				}
				i := d.issue(num)
				if i < 0 {
					w.add(k, "issue %q (index %d) is not in the domain: ignored, as in GENIUS", name, num)
					continue
				}
				is := &d.Space.Issues[i]
				if _, named := k.attr("name"); named && name != is.Name {
					w.add(k, "issue index %d is called %q here but %q in the domain: GENIUS matches issues by index", num, name, is.Name)
				}
				if typ, ok := k.attr("type"); ok {
					kind, err := parley.ParseIssueKind(typ)
					if err != nil {
						return errorf(file, k, "issue %q: %w", is.Name, err)
					}
					// GENIUS builds the evaluator the profile names and
					// fails when it meets a value of the domain's kind.
					if kind != is.Kind {
						return errorf(file, k, "issue %q is %s here but %s in the domain", is.Name, kind, is.Kind)
					}
				}
				if out[i] != nil {
					// A later evaluator replaces an earlier one (a HashMap put).
					w.add(k, "issue %q given again (first at line %d): GENIUS uses the last", is.Name, out[i].line)
				}
				out[i] = k
			}
		}
		return nil
	}
	return out, walk(obj)
}

// weightSumTolerance is how far from 1 the issue weights of a profile may
// sum before ParseProfile warns about them: rounding in the sum, not a
// different intent.
const weightSumTolerance = 1e-9

// short formats x with the fewest significant digits (at least 8) that
// tell it from 1, so that 1.0000518041717 prints as 1.0000518.
func short(x float64) string {
	for p := 8; p < 17; p++ {
		if s := strconv.FormatFloat(x, 'g', p, 64); s != "1" {
			if v, _ := strconv.ParseFloat(s, 64); v != 1 {
				return s
			}
		}
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// additive builds the linear-additive utility function of a profile
// (GENIUS AdditiveUtilitySpace).
func (w *warner) additive(obj *node, d *Domain, issues []*node) (*ufun.LinearAdditive, error) {
	file := w.file
	space := d.Space
	n := len(space.Issues)
	weights := make([]float64, n)
	wnode := make([]*node, n)
	var collect func(o *node) error
	collect = func(o *node) error {
		for _, k := range o.kids {
			switch k.name {
			case "objective":
				if err := collect(k); err != nil {
					return err
				}
			case "weight":
				num, ok, err := intAttr(file, k, "index")
				if err != nil {
					return err
				}
				if !ok {
					return errorf(file, k, "weight without an index attribute")
				}
				i := d.issue(num)
				if i < 0 {
					if !d.objectives[num] {
						// GENIUS keeps weights in a map by index and
						// never looks this one up.
						w.add(k, "weight for index %d, which is no issue of the domain: ignored, as in GENIUS", num)
					}
					continue // weights of objectives do not enter the utility
				}
				v, err := numberAttr(file, k, "value")
				if err != nil {
					return err
				}
				if v < 0 {
					return errorf(file, k, "issue %q: negative weight %v", space.Issues[i].Name, v)
				}
				if wnode[i] != nil {
					w.add(k, "second weight for issue %q (first at line %d): GENIUS uses the last", space.Issues[i].Name, wnode[i].line)
				}
				weights[i], wnode[i] = v, k
			}
		}
		return nil
	}
	if err := collect(obj); err != nil {
		return nil, err
	}
	sum := 0.0
	for i := range weights {
		if wnode[i] == nil {
			// GENIUS builds no evaluator for an issue without a weight,
			// and getUtility then fails on every bid.
			return nil, errorf(file, obj, "issue %q has no weight", space.Issues[i].Name)
		}
		sum += weights[i]
	}
	if !(sum > 0) || math.IsInf(sum, 0) {
		return nil, errorf(file, obj, "issue weights sum to %v; need a positive sum", sum)
	}
	// GENIUS 9 uses the weights as written: AdditiveUtilitySpace(domain,
	// file) loads them in loadTreeRecursive and never calls normalizeWeights
	// (only the constructor taking a map of evaluators does), and getUtility
	// clamps the weighted sum at 1. So does Parley, whatever the weights sum
	// to, and says so when they do not sum to 1.
	if math.Abs(sum-1) > weightSumTolerance {
		w.add(obj, "issue weights sum to %s, not 1: used as written, with utilities capped at 1, as in GENIUS", short(sum))
	}
	evals := make([][]float64, n)
	for i := range space.Issues {
		is := &space.Issues[i]
		el := issues[i]
		if el == nil {
			return nil, errorf(file, obj, "issue %q of the domain is missing", is.Name)
		}
		if is.Size() > MaxIssueValues {
			return nil, errorf(file, el, "issue %q has %d values, more than the %d a linear-additive profile supports", is.Name, is.Size(), MaxIssueValues)
		}
		var err error
		switch is.Kind {
		case parley.Discrete:
			evals[i], err = w.discreteEvals(el, is)
		case parley.Integer:
			evals[i], err = integerEvals(file, el, is)
		case parley.Real:
			evals[i], err = realEvals(file, el, is)
		}
		if err != nil {
			return nil, err
		}
	}
	u, err := ufun.NewLinearAdditiveAsWritten(space, weights, evals, 0)
	if err != nil {
		return nil, errorf(file, obj, "%w", err)
	}
	return u, nil
}

// discreteEvals reads the <item evaluation=..> of a discrete issue and
// divides them by their maximum (EvaluatorDiscrete.normalize: a maximum
// below 1e-5 makes every value 0). As in EvaluatorDiscrete.loadFromXML, the
// evaluations are a map from value to number: a value given twice keeps its
// last evaluation, an item without a readable evaluation is skipped, and a
// value the domain does not have is kept aside but counts in the maximum
// (getEvalMax). A value of the domain left without an evaluation is an
// error: GENIUS fails on every bid that holds it.
func (w *warner) discreteEvals(el *node, is *parley.Issue) ([]float64, error) {
	file := w.file
	ev := make([]float64, len(is.Values))
	at := make([]*node, len(is.Values))
	skipped := make([]*node, len(is.Values)) // items skipped for want of a readable evaluation
	missing := make([]bool, len(is.Values))  // ... the last of them had none at all
	extra := map[string]float64{}
	for _, it := range el.children("item") {
		v, ok := it.attr("value")
		if !ok {
			return nil, errorf(file, it, "issue %q: <item> without a value attribute", is.Name)
		}
		k := -1
		for j, name := range is.Values {
			if name == v {
				k = j
				break
			}
		}
		s, hasEval := it.attr("evaluation")
		if !hasEval || s == "null" {
			if k >= 0 {
				skipped[k], missing[k] = it, true
			}
			continue
		}
		e, err := parseNumber(file, it, "evaluation", s)
		if err != nil {
			if k >= 0 {
				skipped[k], missing[k] = it, false
			}
			w.add(it, "issue %q: value %q: evaluation %q is not a number: skipped, as in GENIUS", is.Name, v, s)
			continue
		}
		if e < 0 {
			return nil, errorf(file, it, "issue %q: value %q: negative evaluation %v", is.Name, v, e)
		}
		if k < 0 {
			w.add(it, "issue %q has no value %q in the domain: ignored, but its evaluation %v counts in the issue's maximum, as in GENIUS", is.Name, v, e)
			extra[v] = e
			continue
		}
		if at[k] != nil {
			w.add(it, "issue %q: value %q evaluated again (first at line %d): GENIUS keeps the last evaluation", is.Name, v, at[k].line)
		}
		ev[k], at[k] = e, it
	}
	max := 0.0
	for k := range ev {
		if at[k] == nil {
			where := el
			if skipped[k] != nil {
				where = skipped[k]
			}
			return nil, errorf(file, where, "issue %q: value %q has no evaluation", is.Name, is.Values[k])
		}
		if missing[k] {
			w.add(skipped[k], "issue %q: value %q: an <item> without an evaluation is skipped, as in GENIUS", is.Name, is.Values[k])
		}
		max = math.Max(max, ev[k])
	}
	for _, e := range extra {
		max = math.Max(max, e)
	}
	for k := range ev {
		if max < 0.00001 {
			ev[k] = 0
		} else {
			ev[k] /= max
		}
	}
	return ev, nil
}

// integerEvals samples the linear evaluator of an integer issue on every
// value: clamp01(slope·(v−lowerbound)+offset) (genius.core EvaluatorInteger).
// Files of GENIUS before version 5 instead give ftype="linear" with
// parameter1 (slope) and parameter0 on the raw value v; both are read.
func integerEvals(file string, el *node, is *parley.Issue) ([]float64, error) {
	lower := is.Min
	_, hasLower := el.attr("lowerbound")
	_, hasUpper := el.attr("upperbound")
	if hasLower {
		lo, _, err := bounds(file, el, true)
		if err != nil {
			return nil, err
		}
		lower = lo
	}
	if ev := el.child("evaluator"); (ev == nil || hasAttr(ev, "slope")) && (!hasLower || !hasUpper) {
		// GENIUS 9's EvaluatorInteger.loadFromXML parses both attributes
		// of the profile's <issue> and fails without them. (Files of
		// GENIUS before version 5, with parameter0/parameter1, are read
		// as before: GENIUS 9 reads neither.)
		return nil, errorf(file, el, "issue %q: an integer issue needs lowerbound and upperbound attributes in the profile (GENIUS fails to load it without them)", is.Name)
	}
	slope, offset := 0.0, 0.0 // GENIUS defaults when there is no evaluator
	if ev := el.child("evaluator"); ev != nil {
		_, hasSlope := ev.attr("slope")
		_, hasP1 := ev.attr("parameter1")
		var err error
		switch {
		case hasSlope:
			if slope, err = numberAttr(file, ev, "slope"); err != nil {
				return nil, err
			}
			if offset, err = numberAttr(file, ev, "offset"); err != nil {
				return nil, err
			}
		case hasP1:
			if slope, err = numberAttr(file, ev, "parameter1"); err != nil {
				return nil, err
			}
			if offset, err = numberAttr(file, ev, "parameter0"); err != nil {
				return nil, err
			}
			lower = 0
		default:
			return nil, errorf(file, ev, "issue %q: integer evaluator without slope and offset", is.Name)
		}
	}
	out := make([]float64, is.Size())
	for k := range out {
		// EVALFUNCTYPE.evalLinear: slope·x + offset, the product rounded
		// before the sum (no fused multiply-add), as in Java.
		out[k] = clamp01(float64(slope*(is.Min+float64(k)-lower)) + offset)
	}
	return out, nil
}

// realEvals samples the evaluator of a real issue on the issue's grid
// (EvaluatorReal.getEvaluation).
func realEvals(file string, el *node, is *parley.Issue) ([]float64, error) {
	ev := el.child("evaluator")
	if ev == nil {
		return nil, errorf(file, el, "issue %q: real issue without an <evaluator>", is.Name)
	}
	ftype, _ := ev.attr("ftype")
	param := func(k int) (float64, error) {
		return numberAttr(file, ev, "parameter"+strconv.Itoa(k))
	}
	var f func(x float64) float64
	switch strings.ToLower(ftype) {
	case "linear":
		p0, err := param(0)
		if err != nil {
			return nil, err
		}
		p1, err := param(1)
		if err != nil {
			return nil, err
		}
		f = func(x float64) float64 { return clamp01(float64(p1*x) + p0) }
	case "constant":
		p0, err := param(0)
		if err != nil {
			return nil, err
		}
		f = func(float64) float64 { return p0 }
	case "triangular", "triangular_variable_top":
		var p [4]float64
		n := 3
		p[3] = 1
		if strings.EqualFold(ftype, "triangular_variable_top") {
			n = 4
		}
		for k := 0; k < n; k++ {
			v, err := param(k)
			if err != nil {
				return nil, err
			}
			p[k] = v
		}
		f = func(x float64) float64 { return triangular(x, p[0], p[1], p[2], p[3]) }
	default:
		return nil, errorf(file, ev, "issue %q: unknown real evaluator ftype %q (want linear, constant, triangular or triangular_variable_top)", is.Name, ftype)
	}
	out := make([]float64, is.Size())
	for k := range out {
		x := RealValue(is, k)
		out[k] = f(x)
		if !(out[k] >= 0 && out[k] <= 1) {
			return nil, errorf(file, ev, "issue %q: evaluation %v of value %v outside [0,1]", is.Name, out[k], x)
		}
	}
	return out, nil
}

// RealValue returns the k-th grid point of real issue is as GENIUS computes
// it (BidIterator.next): lower + ((upper−lower)/(steps−1))·k. It can differ
// from Issue.Number in the last bit (and at the upper bound), and GENIUS
// evaluates its bids at these points.
func RealValue(is *parley.Issue, k int) float64 {
	if is.Steps < 2 {
		return is.Min
	}
	step := (is.Max - is.Min) / float64(is.Steps-1)
	return is.Min + float64(step*float64(k))
}

// triangular is EVALFUNCTYPE.evalTriangularVariableTop: 0 below lower,
// rising linearly to top at x = top, falling to 0 at upper.
func triangular(x, lower, upper, top, topValue float64) float64 {
	switch {
	case x < lower:
		return 0
	case x < top:
		return topValue * (x - lower) / (top - lower)
	case x < upper:
		return topValue * (1 - (x-top)/(upper-top))
	}
	return 0
}

func clamp01(x float64) float64 {
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// nonlinear builds the hyper-rectangle utility function of an ANAC 2014
// profile (NonlinearUtilitySpace): the objective holds
// <utility maxutility="M"><ufun aggregation="sum"> with <hyperRectangle
// utility=u [weight=w]> children of <INCLUDES|EXCLUDES index min max>
// bounds, and possibly nested <ufun weight=w> elements.
func nonlinear(file string, obj *node, d *Domain) (*ufun.Constraint, error) {
	ut := obj.child("utility")
	if ut == nil {
		return nil, errorf(file, obj, "non-linear profile without <utility>")
	}
	max, err := numberAttr(file, ut, "maxutility")
	if err != nil {
		return nil, err
	}
	if !(max > 0) {
		return nil, errorf(file, ut, "maxutility %v must be positive", max)
	}
	top := ut.child("ufun")
	if top == nil {
		return nil, errorf(file, ut, "<utility> without <ufun>")
	}
	var rects []ufun.Rect
	// The weight of the top ufun is not applied (NonlinearUtilitySpace
	// divides nonlinearFunction.getUtility by maxutility); nested ufuns
	// multiply theirs (UtilityFunction.getUtility).
	var walk func(u *node, factor float64) error
	walk = func(u *node, factor float64) error {
		if agg, ok := u.attr("aggregation"); ok && !strings.EqualFold(strings.TrimSpace(agg), "sum") {
			return errorf(file, u, "ufun aggregation %q is not supported (only sum)", agg)
		}
		for _, k := range u.kids {
			switch k.name {
			case "ufun":
				w := 1.0
				if _, ok := k.attr("weight"); ok {
					if w, err = numberAttr(file, k, "weight"); err != nil {
						return err
					}
				}
				if err := walk(k, factor*w); err != nil {
					return err
				}
			case "hyperRectangle":
				r, keep, err := rect(file, k, d)
				if err != nil {
					return err
				}
				r.Utility *= factor
				if keep {
					rects = append(rects, r)
				}
			}
		}
		return nil
	}
	if err := walk(top, 1); err != nil {
		return nil, err
	}
	c, err := ufun.NewConstraint(d.Space, rects, max)
	if err != nil {
		return nil, errorf(file, ut, "%w", err)
	}
	return c, nil
}

// rect reads one hyperRectangle. Its bounds are integer issue values; they
// become value indices (value − lowerbound). A rectangle that can never
// contribute is dropped (keep == false).
func rect(file string, n *node, d *Domain) (r ufun.Rect, keep bool, err error) {
	u, err := numberAttr(file, n, "utility")
	if err != nil {
		return r, false, err
	}
	w := 1.0 // Constraint.weight defaults to 1
	if _, ok := n.attr("weight"); ok {
		if w, err = numberAttr(file, n, "weight"); err != nil {
			return r, false, err
		}
	}
	r.Utility = u * w
	// GENIUS loadHyperRectangles: any EXCLUDES makes the rectangle
	// exclusive, and then only the EXCLUDES bounds count.
	bounds := n.children("INCLUDES")
	if ex := n.children("EXCLUDES"); len(ex) > 0 {
		r.Exclusive, bounds = true, ex
	}
	empty := false
	for _, b := range bounds {
		num, ok, err := intAttr(file, b, "index")
		if err != nil {
			return r, false, err
		}
		if !ok {
			return r, false, errorf(file, b, "<%s> without an index attribute", b.name)
		}
		i := d.issue(num)
		if i < 0 {
			return r, false, errorf(file, b, "<%s> refers to index %d, which is no issue of the domain", b.name, num)
		}
		is := &d.Space.Issues[i]
		if is.Kind != parley.Integer {
			return r, false, errorf(file, b, "<%s> bounds %s issue %q; only integer issues can be bounded", b.name, is.Kind, is.Name)
		}
		lo, ok, err := intAttr(file, b, "min")
		if err == nil && !ok {
			err = errorf(file, b, "<%s> without a min attribute", b.name)
		}
		if err != nil {
			return r, false, err
		}
		hi, ok, err := intAttr(file, b, "max")
		if err == nil && !ok {
			err = errorf(file, b, "<%s> without a max attribute", b.name)
		}
		if err != nil {
			return r, false, err
		}
		if lo > hi {
			empty = true
			continue
		}
		r.Conds = append(r.Conds, ufun.Cond{Issue: i, Lo: lo - int(is.Min), Hi: hi - int(is.Min)})
	}
	if empty {
		if !r.Exclusive {
			return r, false, nil // an empty bound is never met
		}
		// An empty bound is always violated: the rectangle always counts.
		r.Exclusive, r.Conds = false, nil
	}
	return r, true, nil
}

// hasAttr reports whether n has the attribute name.
func hasAttr(n *node, name string) bool {
	_, ok := n.attr(name)
	return ok
}
