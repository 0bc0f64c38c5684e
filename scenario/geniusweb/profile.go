package geniusweb

import (
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/ufun"
)

// MaxIssueValues bounds the number of values of one number issue, whose
// evaluation table holds one number per value.
const MaxIssueValues = 1 << 22

// weightTol is how far the weights may sum from 1.
const weightTol = 1e-6

// Type tags of the two value-set utilities, 2.x and 1.x spellings.
var (
	discreteTags = []string{"DiscreteValueSetUtilities", "discreteutils"}
	numberTags   = []string{"NumberValueSetUtilities", "numberutils"}
)

// issueDef is one issue of a GeniusWeb domain.
type issueDef struct {
	name            string
	discrete        bool
	values          []string // discrete
	low, high, step float64  // number
	at              *jvalue
}

// rawDomain is the domain embedded in a profile, issues in file order.
type rawDomain struct {
	name   string
	issues []issueDef
}

func (d *rawDomain) issue(name string) *issueDef {
	for i := range d.issues {
		if d.issues[i].name == name {
			return &d.issues[i]
		}
	}
	return nil
}

// numberUtils is a NumberValueSetUtilities.
type numberUtils struct{ lowV, lowU, highV, highU float64 }

// at is NumberValueSetUtilities.getUtility: linear between the end points,
// rounded half-up to 8 decimals, 0 outside them.
func (n numberUtils) at(x float64) float64 {
	if x < n.lowV || x > n.highV {
		return 0
	}
	u := n.lowU + (n.highU-n.lowU)*(x-n.lowV)/(n.highV-n.lowV)
	return math.Floor(u*1e8+0.5) / 1e8
}

// issueUtil is the value-set utilities of one issue.
type issueUtil struct {
	discrete bool
	values   map[string]float64
	num      numberUtils
}

// rawProfile is a LinearAdditiveUtilitySpace before it is bound to a space.
type rawProfile struct {
	doc     *doc
	party   string
	name    string
	domain  rawDomain
	utils   map[string]*issueUtil
	weights map[string]float64
	resBid  *jvalue // the issuevalues object, or nil
}

// partyName returns the file name without directory and extension.
func partyName(file string) string {
	base := path.Base(strings.ReplaceAll(file, "\\", "/"))
	return strings.TrimSuffix(base, path.Ext(base))
}

func field(prefix, key string) string { return prefix + "[" + strconv.Quote(key) + "]" }

// ParseProfile parses a GeniusWeb LinearAdditiveUtilitySpace. The profile's
// outcome space is built from the domain it embeds, issues in file order.
// name is the file name: it is used in error messages, and the profile is
// named after it without directory and extension.
func ParseProfile(name string, data []byte) (*parley.Profile, error) {
	d, err := parseJSON(name, data)
	if err != nil {
		return nil, err
	}
	raw, err := profileOf(d)
	if err != nil {
		return nil, err
	}
	space, err := raw.space()
	if err != nil {
		return nil, err
	}
	return raw.bind(space)
}

// profileTag returns the type tag of a profile document, or "" when the
// document is no profile (a domain file, specials.json, ...).
func profileTag(d *doc) string {
	r := d.root
	if r.kind != jObj || len(r.keys) != 1 {
		return ""
	}
	k := r.keys[0]
	if strings.HasSuffix(k, "UtilitySpace") || strings.HasSuffix(k, "PartialOrdering") || strings.HasSuffix(k, "Profile") {
		return k
	}
	return ""
}

// profileOf reads the profile in d.
func profileOf(d *doc) (*rawProfile, error) {
	tag := profileTag(d)
	if tag != "LinearAdditiveUtilitySpace" {
		if tag == "" {
			if r := d.root; r.kind == jObj && len(r.keys) == 1 {
				return nil, d.errAt(d.root, "", "not a GeniusWeb profile: top-level key %q is no profile type (want {\"LinearAdditiveUtilitySpace\": {...}})", r.keys[0])
			}
			return nil, d.errAt(d.root, "", "not a GeniusWeb profile (want {\"LinearAdditiveUtilitySpace\": {...}})")
		}
		return nil, d.errAt(d.root, tag, "unsupported profile type (only LinearAdditiveUtilitySpace is read)")
	}
	p := d.root.vals[0]
	if p.kind != jObj {
		return nil, d.errAt(p, tag, "got a %s, want an object", p.kind)
	}
	raw := &rawProfile{doc: d, party: partyName(d.file), utils: map[string]*issueUtil{}, weights: map[string]float64{}}
	if n := p.get("name"); n != nil && n.kind == jStr {
		raw.name = n.str
	}
	if err := raw.readDomain(p.get("domain")); err != nil {
		return nil, err
	}
	if err := raw.readUtilities(p.get("issueUtilities")); err != nil {
		return nil, err
	}
	if err := raw.readWeights(p.get("issueWeights")); err != nil {
		return nil, err
	}
	res := p.get("reservationBid")
	if res == nil {
		res = p.get("reservationbid")
	}
	if res != nil && res.kind != jNull {
		iv := res.get("issuevalues")
		if res.kind != jObj || iv == nil || iv.kind != jObj {
			return nil, d.errAt(res, "reservationBid", "want null or {\"issuevalues\": {...}}")
		}
		for i, k := range iv.keys {
			f := field("reservationBid.issuevalues", k)
			is := raw.domain.issue(k)
			if is == nil {
				return nil, d.errAt(iv.vals[i], f, "no such issue in the domain")
			}
			v := iv.vals[i]
			switch {
			case is.discrete && v.kind != jStr, !is.discrete && v.kind != jNum:
				return nil, d.errAt(v, f, "got a %s for a %s issue", v.kind, map[bool]string{true: "discrete", false: "number"}[is.discrete])
			case is.discrete && !contains(is.values, v.str):
				return nil, d.errAt(v, f, "value %q is not in the domain", v.str)
			}
		}
		raw.resBid = iv
	}
	return raw, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (raw *rawProfile) readDomain(dv *jvalue) error {
	d := raw.doc
	if dv == nil || dv.kind != jObj {
		return d.errAt(dv, "domain", "missing or not an object")
	}
	if n := dv.get("name"); n != nil && n.kind == jStr {
		raw.domain.name = n.str
	}
	iv := dv.get("issuesValues")
	if iv == nil || iv.kind != jObj {
		return d.errAt(dv, "domain.issuesValues", "missing or not an object")
	}
	if len(iv.keys) == 0 {
		return d.errAt(iv, "domain.issuesValues", "no issues")
	}
	for i, name := range iv.keys {
		f := field("domain.issuesValues", name)
		vs := iv.vals[i]
		// Accept a type-tagged value set too.
		if vs.kind == jObj && len(vs.keys) == 1 && (vs.keys[0] == "DiscreteValueSet" || vs.keys[0] == "NumberValueSet") {
			vs = vs.vals[0]
		}
		is := issueDef{name: name, at: vs}
		switch {
		case vs.get("values") != nil:
			vals := vs.get("values")
			if vals.kind != jArr {
				return d.errAt(vals, f+".values", "got a %s, want an array of strings", vals.kind)
			}
			is.discrete = true
			for _, v := range vals.vals {
				if v.kind != jStr {
					return d.errAt(v, f+".values", "got a %s, want a string (a discrete value)", v.kind)
				}
				if contains(is.values, v.str) {
					return d.errAt(v, f+".values", "value %q appears twice", v.str)
				}
				is.values = append(is.values, v.str)
			}
			if len(is.values) == 0 {
				return d.errAt(vals, f+".values", "no values")
			}
		case vs.get("range") != nil:
			rg := vs.get("range")
			var lo, hi, st *jvalue
			switch rg.kind {
			case jArr:
				if len(rg.vals) != 3 {
					return d.errAt(rg, f+".range", "want [low, high, step], got %d numbers", len(rg.vals))
				}
				lo, hi, st = rg.vals[0], rg.vals[1], rg.vals[2]
			case jObj:
				lo, hi, st = rg.get("low"), rg.get("high"), rg.get("step")
			default:
				return d.errAt(rg, f+".range", "got a %s, want [low, high, step]", rg.kind)
			}
			var err error
			if is.low, err = d.number(lo, f+".range.low"); err != nil {
				return err
			}
			if is.high, err = d.number(hi, f+".range.high"); err != nil {
				return err
			}
			if is.step, err = d.number(st, f+".range.step"); err != nil {
				return err
			}
		default:
			return d.errAt(vs, f, "want {\"values\": [...]} or {\"range\": [low, high, step]}")
		}
		if raw.domain.issue(name) != nil {
			return d.errAt(vs, f, "issue appears twice")
		}
		raw.domain.issues = append(raw.domain.issues, is)
	}
	return nil
}

// tagged returns the body of a {"Tag": body} object whose tag is one of
// tags, or nil.
func tagged(v *jvalue, tags []string) *jvalue {
	if v == nil || v.kind != jObj || len(v.keys) != 1 {
		return nil
	}
	for _, t := range tags {
		if v.keys[0] == t {
			return v.vals[0]
		}
	}
	return nil
}

func (raw *rawProfile) readUtilities(uv *jvalue) error {
	d := raw.doc
	if uv == nil || uv.kind != jObj {
		return d.errAt(uv, "issueUtilities", "missing or not an object")
	}
	for i, name := range uv.keys {
		f := field("issueUtilities", name)
		v := uv.vals[i]
		is := raw.domain.issue(name)
		if is == nil {
			return d.errAt(v, f, "no such issue in the domain")
		}
		if body := tagged(v, discreteTags); body != nil {
			if !is.discrete {
				return d.errAt(v, f, "discrete utilities for number issue %q", name)
			}
			vu := body.get("valueUtilities")
			if vu == nil || vu.kind != jObj {
				return d.errAt(body, f+".valueUtilities", "missing or not an object")
			}
			iu := &issueUtil{discrete: true, values: map[string]float64{}}
			for j, val := range vu.keys {
				ff := field(f+".valueUtilities", val)
				if !contains(is.values, val) {
					return d.errAt(vu.vals[j], ff, "value %q is not in the domain", val)
				}
				u, err := d.number(vu.vals[j], ff)
				if err != nil {
					return err
				}
				if !(u >= 0 && u <= 1) {
					return d.errAt(vu.vals[j], ff, "utility %v outside [0,1]", u)
				}
				iu.values[val] = u
			}
			raw.utils[name] = iu
			continue
		}
		if body := tagged(v, numberTags); body != nil {
			if is.discrete {
				return d.errAt(v, f, "number utilities for discrete issue %q", name)
			}
			var n numberUtils
			var err error
			for _, p := range []struct {
				key string
				dst *float64
			}{{"lowValue", &n.lowV}, {"lowUtility", &n.lowU}, {"highValue", &n.highV}, {"highUtility", &n.highU}} {
				if *p.dst, err = d.number(body.get(p.key), f+"."+p.key); err != nil {
					if body.get(p.key) == nil {
						return d.errAt(body, f+"."+p.key, "missing")
					}
					return err
				}
			}
			if !(n.lowU >= 0 && n.lowU <= 1) {
				return d.errAt(body, f+".lowUtility", "utility %v outside [0,1]", n.lowU)
			}
			if !(n.highU >= 0 && n.highU <= 1) {
				return d.errAt(body, f+".highUtility", "utility %v outside [0,1]", n.highU)
			}
			if !(n.highV > n.lowV) {
				return d.errAt(body, f+".highValue", "highValue %v must exceed lowValue %v", n.highV, n.lowV)
			}
			raw.utils[name] = &issueUtil{num: n}
			continue
		}
		return d.errAt(v, f, "want {\"DiscreteValueSetUtilities\": ...} or {\"NumberValueSetUtilities\": ...} (1.x: discreteutils, numberutils)")
	}
	for _, is := range raw.domain.issues {
		if raw.utils[is.name] == nil {
			return d.errAt(uv, field("issueUtilities", is.name), "missing: every issue of the domain needs utilities")
		}
	}
	return nil
}

func (raw *rawProfile) readWeights(wv *jvalue) error {
	d := raw.doc
	if wv == nil || wv.kind != jObj {
		return d.errAt(wv, "issueWeights", "missing or not an object")
	}
	sum := 0.0
	for i, name := range wv.keys {
		f := field("issueWeights", name)
		if raw.domain.issue(name) == nil {
			return d.errAt(wv.vals[i], f, "no such issue in the domain")
		}
		w, err := d.number(wv.vals[i], f)
		if err != nil {
			return err
		}
		if !(w >= 0 && w <= 1) {
			return d.errAt(wv.vals[i], f, "weight %v outside [0,1]", w)
		}
		raw.weights[name] = w
		sum += w
	}
	for _, is := range raw.domain.issues {
		if _, ok := raw.weights[is.name]; !ok {
			return d.errAt(wv, field("issueWeights", is.name), "missing: every issue of the domain needs a weight")
		}
	}
	if math.Abs(sum-1) > weightTol {
		return d.errAt(wv, "issueWeights", "weights sum to %v, not 1", sum)
	}
	return nil
}

// space builds the outcome space of the profile's domain.
func (raw *rawProfile) space() (*parley.OutcomeSpace, error) {
	d := raw.doc
	issues := make([]parley.Issue, len(raw.domain.issues))
	for i, is := range raw.domain.issues {
		f := field("domain.issuesValues", is.name)
		x := parley.Issue{Name: is.name}
		if is.discrete {
			x.Values = is.values
		} else {
			if !(is.step > 0) {
				return nil, d.errAt(is.at, f+".range", "step %v must be positive", is.step)
			}
			if is.high < is.low {
				return nil, d.errAt(is.at, f+".range", "high %v below low %v", is.high, is.low)
			}
			count := (is.high - is.low) / is.step
			k := math.Round(count)
			if math.Abs(count-k) > 1e-9*math.Max(1, k) {
				return nil, d.errAt(is.at, f+".range", "step %v does not divide [%v, %v]", is.step, is.low, is.high)
			}
			if k+1 > MaxIssueValues {
				return nil, d.errAt(is.at, f+".range", "%v values, more than %d", k+1, MaxIssueValues)
			}
			if is.step == 1 && is.low == math.Trunc(is.low) && is.high == math.Trunc(is.high) {
				x.Kind, x.Min, x.Max = parley.Integer, is.low, is.high
			} else {
				x.Kind, x.Min, x.Max, x.Steps = parley.Real, is.low, is.high, int(k)+1
			}
		}
		if err := x.Validate(); err != nil {
			return nil, d.errAt(is.at, f, "%w", err)
		}
		issues[i] = x
	}
	space, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		return nil, d.errAt(nil, "domain", "%w", err)
	}
	return space, nil
}

// bind builds the profile over space, whose issues must be those of the
// profile's domain (in any order).
func (raw *rawProfile) bind(space *parley.OutcomeSpace) (*parley.Profile, error) {
	d := raw.doc
	n := len(space.Issues)
	weights := make([]float64, n)
	evals := make([][]float64, n)
	for i := range space.Issues {
		is := &space.Issues[i]
		iu := raw.utils[is.Name]
		if iu == nil {
			return nil, d.errAt(nil, field("issueUtilities", is.Name), "missing")
		}
		weights[i] = raw.weights[is.Name]
		ev := make([]float64, is.Size())
		for k := range ev {
			if iu.discrete {
				ev[k] = iu.values[is.Values[k]] // a missing value scores 0
			} else {
				ev[k] = iu.num.at(is.Number(k))
			}
		}
		evals[i] = ev
	}
	u, err := ufun.NewLinearAdditive(space, weights, evals, 0)
	if err != nil {
		return nil, d.errAt(nil, "", "%w", err)
	}
	p := &parley.Profile{Name: raw.party, Space: space, Utility: u, Discount: 1}
	if raw.resBid != nil {
		r, err := raw.reservation(space)
		if err != nil {
			return nil, err
		}
		p.Reservation = r
	}
	return p, nil
}

// reservation returns the utility of the reservation bid: the weighted sum
// over the issues it gives (LinearAdditiveUtilitySpace.getUtility).
func (raw *rawProfile) reservation(space *parley.OutcomeSpace) (float64, error) {
	d := raw.doc
	iv := raw.resBid
	s := 0.0
	for i := range space.Issues {
		is := &space.Issues[i]
		v := iv.get(is.Name)
		if v == nil {
			continue
		}
		f := field("reservationBid.issuevalues", is.Name)
		iu := raw.utils[is.Name]
		if iu.discrete {
			s += raw.weights[is.Name] * iu.values[v.str]
			continue
		}
		x, err := d.number(v, f)
		if err != nil {
			return 0, err
		}
		if _, err := is.IndexOf(x); err != nil {
			return 0, d.errAt(v, f, "value %v is not in the domain: %w", x, err)
		}
		s += raw.weights[is.Name] * iu.num.at(x)
	}
	if s > 1 {
		s = 1
	}
	return s, nil
}

// sameDomain reports how the domain of b differs from that of a, or nil.
func sameDomain(a, b *rawDomain) error {
	if a.name != b.name {
		return fmt.Errorf("domain %q, but %q in the first profile", b.name, a.name)
	}
	if len(a.issues) != len(b.issues) {
		return fmt.Errorf("%d issues, but %d in the first profile", len(b.issues), len(a.issues))
	}
	for _, x := range a.issues {
		y := b.issue(x.name)
		switch {
		case y == nil:
			return fmt.Errorf("no issue %q, which the first profile has", x.name)
		case x.discrete != y.discrete || x.low != y.low || x.high != y.high || x.step != y.step || len(x.values) != len(y.values):
			return fmt.Errorf("issue %q has other values than in the first profile", x.name)
		}
		for _, v := range x.values {
			if !contains(y.values, v) {
				return fmt.Errorf("issue %q lacks value %q of the first profile", x.name, v)
			}
		}
	}
	return nil
}
