package scenario

import (
	"bytes"
	"cmp"
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/ufun"
)

// MaxValues is the largest number of values the issues of a scenario file
// may have together (the sum of their sizes, not the size of the outcome
// space). A linear-additive profile holds one utility per value, so the
// limit, with MaxCells, keeps a short file from asking for gigabytes.
const MaxValues = 1_000_000

// MaxCells bounds the number of parties times the number of values (the
// utilities that linear-additive profiles would hold together).
const MaxCells = 32 * MaxValues

// maxExactInt bounds integer issues: beyond 2^53 float64 no longer tells
// neighbouring integers apart.
const maxExactInt = 1 << 53

// Model names of the utility models a party may use.
const (
	ModelLinearAdditive = "linear-additive"
	ModelConstraint     = "constraint"
)

// Read reads a scenario file in Parley's format: YAML for names ending in
// .yaml or .yml, JSON for .json (see docs/scenario-format.md). Errors are
// *Error values naming the file, the line and the field.
func Read(path string) (*Scenario, error) {
	var format string
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		format = "yaml"
	case ".json":
		format = "json"
	default:
		return nil, fmt.Errorf("scenario: %s: unknown extension %q (want .yaml, .yml or .json)", path, filepath.Ext(path))
	}
	data, err := ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	return Parse(path, data, format)
}

// Parse reads a scenario in Parley's format from data. format is "yaml" (or
// "yml") or "json"; name is the file name used in errors and as the
// scenario's Source (and its Name when the file gives none).
func Parse(name string, data []byte, format string) (*Scenario, error) {
	data = bytes.TrimPrefix(data, bom)
	if len(data) > MaxFileSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("the file is larger than the limit of %d bytes (%d MiB, scenario.MaxFileSize)", MaxFileSize, MaxFileSize>>20)}
	}
	x := newIndex(name, data)
	var f fileScenario
	switch strings.ToLower(format) {
	case "yaml", "yml":
		if err := decodeYAML(x, &f); err != nil {
			return nil, err
		}
	case "json":
		if err := decodeJSON(x, data, &f); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("scenario: %s: unknown format %q (want yaml or json)", name, format)
	}
	l := &loader{x: x}
	s, err := l.scenario(&f)
	if err != nil {
		return nil, err
	}
	if s.Name == "" {
		s.Name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	s.Source = name
	return s, nil
}

// The file schema. YAML and JSON share it; pointers tell "absent" from
// zero where the default is not zero or where zero is invalid.
type fileScenario struct {
	Name        string                    `yaml:"name" json:"name"`
	Description string                    `yaml:"description" json:"description"`
	Deadline    int                       `yaml:"deadline" json:"deadline"`
	Issues      []fileIssue               `yaml:"issues" json:"issues"`
	Parties     []fileParty               `yaml:"parties" json:"parties"`
	References  map[string]map[string]any `yaml:"references" json:"references"`
	Protocol    *fileProtocol             `yaml:"protocol" json:"protocol"`
	Assumptions []fileAssumption          `yaml:"assumptions" json:"assumptions"`
}

type fileProtocol struct {
	Question string                       `yaml:"question" json:"question"`
	Compare  []string                     `yaml:"compare" json:"compare"`
	Stages   []fileStage                  `yaml:"stages" json:"stages"`
	Variants map[string][]fileVariantStep `yaml:"variants" json:"variants"`
}

type fileStage struct {
	Name           string   `yaml:"name" json:"name"`
	Participants   []string `yaml:"participants" json:"participants"`
	Mechanism      string   `yaml:"mechanism" json:"mechanism"`
	Rounds         *int     `yaml:"rounds" json:"rounds"`
	RoundCost      *int     `yaml:"round_cost" json:"round_cost"`
	Transition     string   `yaml:"transition" json:"transition"`
	Carry          string   `yaml:"carry" json:"carry"`
	OnWalkAwayNext *float64 `yaml:"on_walk_away_next" json:"on_walk_away_next"`
	Start          string   `yaml:"start" json:"start"`
	Mediator       string   `yaml:"mediator" json:"mediator"`
	Rule           string   `yaml:"rule" json:"rule"`
	Info           string   `yaml:"info" json:"info"`
	Noise          *float64 `yaml:"noise" json:"noise"`
	MediatorPolicy string   `yaml:"mediator_policy" json:"mediator_policy"`
	FinalVote      *bool    `yaml:"final_vote" json:"final_vote"`
}

type fileVariantStep struct {
	Stage      string `yaml:"stage" json:"stage"`
	Rounds     *int   `yaml:"rounds" json:"rounds"`
	Transition string `yaml:"transition" json:"transition"`
	Carry      string `yaml:"carry" json:"carry"`
	Start      string `yaml:"start" json:"start"`
}

type fileIssue struct {
	Name   string   `yaml:"name" json:"name"`
	Type   string   `yaml:"type" json:"type"`
	Values []string `yaml:"values" json:"values"`
	Min    *float64 `yaml:"min" json:"min"`
	Max    *float64 `yaml:"max" json:"max"`
	Steps  *int     `yaml:"steps" json:"steps"`
}

type fileParty struct {
	Name           string                         `yaml:"name" json:"name"`
	Role           string                         `yaml:"role" json:"role"`
	Reservation    *float64                       `yaml:"reservation" json:"reservation"`
	Discount       *float64                       `yaml:"discount" json:"discount"`
	Model          string                         `yaml:"model" json:"model"`
	Weights        map[string]*float64            `yaml:"weights" json:"weights"`
	Values         map[string]map[string]*float64 `yaml:"values" json:"values"`
	Linear         map[string]fileLinear          `yaml:"linear" json:"linear"`
	AgreementBonus *float64                       `yaml:"agreement_bonus" json:"agreement_bonus"`
	Max            *float64                       `yaml:"max" json:"max"`
	Rects          []fileRect                     `yaml:"rects" json:"rects"`

	ReservationDrift *float64                       `yaml:"reservation_drift" json:"reservation_drift"`
	WalkAwayHazard   *float64                       `yaml:"walk_away_hazard" json:"walk_away_hazard"`
	Report           string                         `yaml:"report" json:"report"`
	Vetoes           map[string][]any               `yaml:"vetoes" json:"vetoes"`
	Ratification     map[string]map[string]*float64 `yaml:"ratification" json:"ratification"`

	// NormalizeWeights false keeps the weights as written, as GENIUS does
	// (utilities capped at 1); nil or true makes them relative.
	NormalizeWeights *bool `yaml:"normalize_weights" json:"normalize_weights"`
}

type fileLinear struct {
	AtMin *float64 `yaml:"at_min" json:"at_min"`
	AtMax *float64 `yaml:"at_max" json:"at_max"`
}

type fileRect struct {
	Utility   *float64         `yaml:"utility" json:"utility"`
	Exclusive bool             `yaml:"exclusive" json:"exclusive"`
	Where     map[string][]any `yaml:"where" json:"where"`
}

// decodeYAML parses data with goccy/go-yaml under the limits of
// parseYAML, indexes the positions of its fields and decodes it strictly
// (unknown fields and duplicate keys are errors) into f.
func decodeYAML(x *index, f *fileScenario) error {
	body, err := x.parseOneDoc()
	if err != nil {
		return err
	}
	if body != nil {
		x.light, x.body = true, body
		x.indexYAML(body, nil, 0)
		x.root = x.entries[""]
		if x.root != nil && !x.root.mapping {
			return x.errorf(nil, "a scenario file must be a mapping (name:, issues:, parties:, ...)")
		}
	}
	if x.root == nil {
		x.root = &entry{}
	}
	if x.root.line == 0 {
		x.root.line, x.root.col = 1, 1
	}
	if body == nil {
		return nil
	}
	return x.decodeNode(body, f)
}

// decodeJSON decodes data strictly into f with encoding/json after
// indexing it (which also rejects duplicate keys) and checking its keys
// against the schema exactly (encoding/json alone would match keys
// case-insensitively and not say where an unknown field is).
func decodeJSON(x *index, data []byte, f *fileScenario) error {
	if err := x.checkJSONNodes(); err != nil {
		return err
	}
	x.light = true
	if err := x.indexJSON(data); err != nil {
		return err
	}
	if !x.root.mapping {
		return x.errorf(nil, "a scenario file must be an object")
	}
	if p := x.unknownField(reflect.TypeFor[fileScenario](), nil); p != nil {
		return x.errorf(p, "unknown field %q", strings.TrimPrefix(p[len(p)-1], "."))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(f); err != nil {
		return x.jsonError(data, err)
	}
	return nil
}

// loader turns the decoded file into a Scenario, checking every rule of
// the format and pointing errors at the field through the index.
type loader struct {
	x      *index
	space  *parley.OutcomeSpace
	names  map[*parley.Issue]map[string]int // value name -> index, per large discrete issue
	byName map[string]int                   // issue name -> index, for many issues
}

// issueNamed returns the index of the issue named name in the loader's
// space, or -1, through a map built once: OutcomeSpace.Issue searches
// the issues one by one, which made a file of many issues quadratic.
func (l *loader) issueNamed(name string) int {
	if len(l.space.Issues) < 32 {
		return l.space.Issue(name)
	}
	if l.byName == nil {
		l.byName = make(map[string]int, len(l.space.Issues))
		for i := range l.space.Issues {
			l.byName[l.space.Issues[i].Name] = i
		}
	}
	if i, ok := l.byName[name]; ok {
		return i
	}
	return -1
}

// index returns the index of the value named v of the issue is (one of
// the loader's space), as is.Index does, but through a map for a large
// discrete issue: looking up each entry of a value table one by one would
// take time quadratic in the issue's size.
func (l *loader) index(is *parley.Issue, v string) (int, error) {
	if is.Kind != parley.Discrete || len(is.Values) < 32 {
		return is.Index(v)
	}
	m, ok := l.names[is]
	if !ok {
		m = make(map[string]int, len(is.Values))
		for k, name := range is.Values {
			m[name] = k
		}
		if l.names == nil {
			l.names = map[*parley.Issue]map[string]int{}
		}
		l.names[is] = m
	}
	if k, ok := m[v]; ok {
		return k, nil
	}
	return is.Index(v) // its error
}

func (l *loader) scenario(f *fileScenario) (*Scenario, error) {
	if err := l.text(path{}.key("name"), "scenario name", f.Name); err != nil {
		return nil, err
	}
	if err := l.text(path{}.key("description"), "description", f.Description); err != nil {
		return nil, err
	}
	if f.Deadline < 0 {
		return nil, l.x.errorf(path{}.key("deadline"), "deadline %d is negative", f.Deadline)
	}
	issues, err := l.issues(f.Issues)
	if err != nil {
		return nil, err
	}
	space, err := parley.NewOutcomeSpace(issues)
	if err != nil {
		return nil, l.x.errorf(path{}.key("issues"), "%v", err)
	}
	l.space = space
	s := &Scenario{Name: f.Name, Description: f.Description, Space: space, Deadline: f.Deadline}
	pp := path{}.key("parties")
	if len(f.Parties) < 2 {
		return nil, l.x.errorf(pp, "%d parties, need at least 2", len(f.Parties))
	}
	values := 0
	for i := range space.Issues {
		values += space.Issues[i].Size()
	}
	if len(f.Parties)*values > MaxCells {
		return nil, l.x.errorf(pp, "%d parties over %d issue values make more than %d utilities", len(f.Parties), values, MaxCells)
	}
	seen := map[string]int{}
	for i := range f.Parties {
		fp := &f.Parties[i]
		q := pp.at(i)
		if strings.TrimSpace(fp.Name) == "" {
			return nil, l.x.errorf(q, "party %d has no name", i+1)
		}
		if err := l.text(q.key("name"), "party name", fp.Name); err != nil {
			return nil, err
		}
		if j, ok := seen[fp.Name]; ok {
			return nil, l.x.errorf(q.key("name"), "party %q appears twice (parties %d and %d)", fp.Name, j+1, i+1)
		}
		seen[fp.Name] = i
		p, err := l.party(q, fp)
		if err != nil {
			return nil, err
		}
		s.Parties = append(s.Parties, p)
	}
	refs, err := l.references(f.References)
	if err != nil {
		return nil, err
	}
	s.References = refs
	if err := s.Validate(); err != nil {
		return nil, l.x.errorf(nil, "%v", err)
	}
	if f.Protocol != nil {
		pr, err := l.protocol(f.Protocol)
		if err != nil {
			return nil, err
		}
		if fe := pr.check(s); fe != nil {
			return nil, l.x.errorf(fe.path, "%s", fe.msg)
		}
		s.Protocol = pr
	}
	if s.Assumptions, err = l.assumptions(s, f.Assumptions); err != nil {
		return nil, err
	}
	return s, nil
}

// text checks that a name or description is valid UTF-8 (the writers
// could not reproduce it otherwise).
func (l *loader) text(p path, what, s string) error {
	if !utf8.ValidString(s) {
		return l.x.errorf(p, "%s %q is not valid UTF-8", what, s)
	}
	return nil
}

func (l *loader) issues(fis []fileIssue) ([]parley.Issue, error) {
	ip := path{}.key("issues")
	if len(fis) == 0 {
		return nil, l.x.errorf(ip, "no issues")
	}
	issues := make([]parley.Issue, len(fis))
	seen := map[string]int{}
	total := 0
	for i := range fis {
		fi := &fis[i]
		q := ip.at(i)
		if strings.TrimSpace(fi.Name) == "" {
			return nil, l.x.errorf(q, "issue %d has no name", i+1)
		}
		if err := l.text(q.key("name"), "issue name", fi.Name); err != nil {
			return nil, err
		}
		if j, ok := seen[fi.Name]; ok {
			return nil, l.x.errorf(q.key("name"), "issue %q appears twice (issues %d and %d)", fi.Name, j+1, i+1)
		}
		seen[fi.Name] = i
		is, err := l.issue(q, fi)
		if err != nil {
			return nil, err
		}
		if total += is.Size(); total > MaxValues {
			return nil, l.x.errorf(q, "the issues up to %q have %d values together, more than the limit of %d", fi.Name, total, MaxValues)
		}
		issues[i] = is
	}
	return issues, nil
}

func (l *loader) issue(q path, fi *fileIssue) (parley.Issue, error) {
	is := parley.Issue{Name: fi.Name}
	kind, err := parley.ParseIssueKind(fi.Type)
	if err != nil {
		return is, l.x.errorf(q.key("type"), "issue %q: %v", fi.Name, err)
	}
	is.Kind = kind
	if kind == parley.Discrete {
		switch {
		case fi.Min != nil:
			return is, l.x.errorf(q.key("min"), "issue %q: min is for integer and real issues (add type: integer or type: real)", fi.Name)
		case fi.Max != nil:
			return is, l.x.errorf(q.key("max"), "issue %q: max is for integer and real issues (add type: integer or type: real)", fi.Name)
		case fi.Steps != nil:
			return is, l.x.errorf(q.key("steps"), "issue %q: steps is for real issues (add type: real)", fi.Name)
		case len(fi.Values) == 0:
			return is, l.x.errorf(q, "issue %q has no values", fi.Name)
		}
		vp := q.key("values")
		seen := make(map[string]int, len(fi.Values))
		for k, v := range fi.Values {
			if v == "" {
				return is, l.x.errorf(vp.at(k), "issue %q: value %d is empty", fi.Name, k+1)
			}
			if err := l.text(vp.at(k), "value", v); err != nil {
				return is, err
			}
			if j, ok := seen[v]; ok {
				return is, l.x.errorf(vp.at(k), "issue %q: value %q listed twice (values %d and %d)", fi.Name, v, j+1, k+1)
			}
			seen[v] = k
		}
		is.Values = fi.Values
		return is, nil
	}
	if fi.Values != nil {
		return is, l.x.errorf(q.key("values"), "issue %q: a %s issue takes min and max, not values", fi.Name, kind)
	}
	if fi.Min == nil || fi.Max == nil {
		return is, l.x.errorf(q, "issue %q: a %s issue needs min and max", fi.Name, kind)
	}
	is.Min, is.Max = *fi.Min, *fi.Max
	for _, b := range []struct {
		name string
		v    float64
	}{{"min", is.Min}, {"max", is.Max}} {
		if math.IsNaN(b.v) || math.IsInf(b.v, 0) {
			return is, l.x.errorf(q.key(b.name), "issue %q: %s %v is not a finite number", fi.Name, b.name, b.v)
		}
	}
	if kind == parley.Integer {
		if fi.Steps != nil {
			return is, l.x.errorf(q.key("steps"), "issue %q: steps is for real issues; an integer issue takes every integer in [min, max]", fi.Name)
		}
		for _, b := range []struct {
			name string
			v    float64
		}{{"min", is.Min}, {"max", is.Max}} {
			if b.v != math.Trunc(b.v) {
				return is, l.x.errorf(q.key(b.name), "issue %q: %s %v is not an integer", fi.Name, b.name, b.v)
			}
			if math.Abs(b.v) > maxExactInt {
				return is, l.x.errorf(q.key(b.name), "issue %q: %s %v is beyond ±2^53", fi.Name, b.name, b.v)
			}
		}
		if is.Max < is.Min {
			return is, l.x.errorf(q.key("max"), "issue %q: max %v is below min %v", fi.Name, is.Max, is.Min)
		}
		if is.Max-is.Min >= MaxValues {
			return is, l.x.errorf(q.key("max"), "issue %q: %v values, more than the limit of %d", fi.Name, is.Max-is.Min+1, MaxValues)
		}
		return is, nil
	}
	// Real.
	if fi.Steps == nil {
		return is, l.x.errorf(q, "issue %q: a real issue needs steps (the number of grid points, at least 2)", fi.Name)
	}
	is.Steps = *fi.Steps
	if is.Max <= is.Min {
		return is, l.x.errorf(q.key("max"), "issue %q: max %v is not above min %v", fi.Name, is.Max, is.Min)
	}
	if is.Steps < 2 || is.Steps > MaxValues {
		return is, l.x.errorf(q.key("steps"), "issue %q: steps %d outside [2, %d]", fi.Name, is.Steps, MaxValues)
	}
	// Every grid point must be told apart from its neighbours and read
	// back as itself, or value tables could not name them.
	step := (is.Max - is.Min) / float64(is.Steps-1)
	if math.IsInf(is.Max-is.Min, 0) || !(step > 1e-9*math.Max(math.Abs(is.Min), math.Abs(is.Max))) {
		return is, l.x.errorf(q.key("steps"), "issue %q: a grid of %d points on [%v, %v] is finer than float64 can tell apart", fi.Name, is.Steps, is.Min, is.Max)
	}
	for k := range is.Steps {
		if j, err := is.IndexOf(is.Number(k)); err != nil || j != k {
			return is, l.x.errorf(q.key("steps"), "issue %q: a grid of %d points on [%v, %v] is finer than float64 can tell apart", fi.Name, is.Steps, is.Min, is.Max)
		}
	}
	return is, nil
}

func (l *loader) party(q path, fp *fileParty) (Party, error) {
	p := Party{Name: fp.Name}
	switch r := Role(fp.Role); r {
	case "":
		p.Role = Negotiator
	case Negotiator, Mediator:
		p.Role = r
	default:
		return p, l.x.errorf(q.key("role"), "party %q: unknown role %q (want negotiator or mediator)", fp.Name, fp.Role)
	}
	prof := &parley.Profile{Name: fp.Name, Space: l.space, Discount: 1}
	if fp.Reservation != nil {
		r := *fp.Reservation
		if math.IsNaN(r) || r < 0 || r > 1 {
			return p, l.x.errorf(q.key("reservation"), "party %q: reservation %v outside [0,1]", fp.Name, r)
		}
		prof.Reservation = r
	}
	if fp.Discount != nil {
		d := *fp.Discount
		if math.IsNaN(d) || d <= 0 || d > 1 {
			return p, l.x.errorf(q.key("discount"), "party %q: discount %v outside (0,1]", fp.Name, d)
		}
		prof.Discount = d
	}
	if err := l.realism(q, fp, prof); err != nil {
		return p, err
	}
	var err error
	switch fp.Model {
	case "", ModelLinearAdditive:
		prof.Utility, err = l.linearAdditive(q, fp)
	case ModelConstraint:
		prof.Utility, err = l.constraint(q, fp)
	default:
		return p, l.x.errorf(q.key("model"), "party %q: unknown model %q (want %s or %s)", fp.Name, fp.Model, ModelLinearAdditive, ModelConstraint)
	}
	if err != nil {
		return p, err
	}
	p.Profile = prof
	return p, nil
}

// unit checks that a utility-like number is in [0,1].
func unit(v float64) bool { return v >= 0 && v <= 1 }

func (l *loader) linearAdditive(q path, fp *fileParty) (*ufun.LinearAdditive, error) {
	name := fp.Name
	switch {
	case fp.Max != nil:
		return nil, l.x.errorf(q.key("max"), "party %q: max belongs to model: constraint", name)
	case fp.Rects != nil:
		return nil, l.x.errorf(q.key("rects"), "party %q: rects belong to model: constraint", name)
	}
	sp := l.space
	n := len(sp.Issues)
	wp := q.key("weights")
	if len(fp.Weights) == 0 {
		return nil, l.x.errorf(wp, "party %q: no weights (a linear-additive profile needs a weight for every issue)", name)
	}
	w := make([]float64, n)
	has := make([]bool, n)
	for _, k := range keys(l.x, wp, fp.Weights) {
		i := l.issueNamed(k)
		if i < 0 {
			return nil, l.x.errorf(wp.key(k), "party %q: weight for unknown issue %q", name, k)
		}
		v := fp.Weights[k]
		switch {
		case v == nil:
			return nil, l.x.errorf(wp.key(k), "party %q: weight for issue %q is empty", name, k)
		case math.IsNaN(*v) || math.IsInf(*v, 0):
			return nil, l.x.errorf(wp.key(k), "party %q: weight %v for issue %q is not a finite number", name, *v, k)
		case *v < 0:
			return nil, l.x.errorf(wp.key(k), "party %q: weight %v for issue %q is negative", name, *v, k)
		}
		w[i], has[i] = *v, true
	}
	sum := 0.0
	for i := range w {
		if !has[i] {
			return nil, l.x.errorf(wp, "party %q: no weight for issue %q", name, sp.Issues[i].Name)
		}
		sum += w[i]
	}
	if sum == 0 {
		return nil, l.x.errorf(wp, "party %q: weights are all zero", name)
	}
	if math.IsInf(sum, 0) {
		return nil, l.x.errorf(wp, "party %q: weights sum to %v", name, sum)
	}
	// The file's weights are relative (docs/scenario-format.md) unless
	// normalize_weights is false. Weights that already sum to 1 within the
	// tolerance of ufun.NewLinearAdditive are kept as written, so that
	// writing any linear-additive profile and reading it back gives exactly
	// the same numbers.
	asWritten := fp.NormalizeWeights != nil && !*fp.NormalizeWeights
	if !asWritten && math.Abs(sum-1) > 1e-6 {
		for i := range w {
			w[i] /= sum
		}
	}

	vp, lp := q.key("values"), q.key("linear")
	for _, k := range keys(l.x, vp, fp.Values) {
		if l.issueNamed(k) < 0 {
			return nil, l.x.errorf(vp.key(k), "party %q: utilities for unknown issue %q", name, k)
		}
	}
	for _, k := range keys(l.x, lp, fp.Linear) {
		i := l.issueNamed(k)
		switch {
		case i < 0:
			return nil, l.x.errorf(lp.key(k), "party %q: linear utilities for unknown issue %q", name, k)
		case sp.Issues[i].Kind == parley.Discrete:
			return nil, l.x.errorf(lp.key(k), "party %q: issue %q is discrete: give its values a table under values, not linear", name, k)
		}
		if _, ok := fp.Values[k]; ok {
			return nil, l.x.errorf(lp.key(k), "party %q: issue %q has both a value table and linear utilities", name, k)
		}
	}
	evals := make([][]float64, n)
	for i := range sp.Issues {
		is := &sp.Issues[i]
		evals[i] = make([]float64, is.Size())
		if tab, ok := fp.Values[is.Name]; ok {
			if err := l.table(vp.key(is.Name), name, is, tab, evals[i]); err != nil {
				return nil, err
			}
			continue
		}
		if lin, ok := fp.Linear[is.Name]; ok {
			lk := lp.key(is.Name)
			if lin.AtMin == nil || lin.AtMax == nil {
				return nil, l.x.errorf(lk, "party %q: linear utilities of issue %q need at_min and at_max", name, is.Name)
			}
			if !unit(*lin.AtMin) {
				return nil, l.x.errorf(lk.key("at_min"), "party %q: issue %q: at_min %v outside [0,1]", name, is.Name, *lin.AtMin)
			}
			if !unit(*lin.AtMax) {
				return nil, l.x.errorf(lk.key("at_max"), "party %q: issue %q: at_max %v outside [0,1]", name, is.Name, *lin.AtMax)
			}
			for k := range evals[i] {
				evals[i][k] = lerp(is, k, *lin.AtMin, *lin.AtMax)
			}
			continue
		}
		if w[i] != 0 {
			return nil, l.x.errorf(vp, "party %q: no utilities for issue %q (give a table under values or, for a numeric issue, linear)", name, is.Name)
		}
	}
	bonus := 0.0
	if fp.AgreementBonus != nil {
		bonus = *fp.AgreementBonus
		if math.IsNaN(bonus) || bonus < 0 || bonus >= 1 {
			return nil, l.x.errorf(q.key("agreement_bonus"), "party %q: agreement_bonus %v outside [0,1)", name, bonus)
		}
	}
	newUfun := ufun.NewLinearAdditive
	if asWritten {
		newUfun = ufun.NewLinearAdditiveAsWritten
	}
	u, err := newUfun(sp, w, evals, bonus)
	if err != nil {
		return nil, l.x.errorf(q, "party %q: %v", name, err)
	}
	return u, nil
}

// lerp is the utility of value k of numeric issue is when its utility runs
// linearly from a at Min to b at Max. It is exact at both ends.
func lerp(is *parley.Issue, k int, a, b float64) float64 {
	if is.Max == is.Min {
		return a
	}
	t := (is.Number(k) - is.Min) / (is.Max - is.Min)
	return a*(1-t) + b*t
}

// table fills evals from a value table: every value of the issue once,
// each utility in [0,1].
func (l *loader) table(tp path, party string, is *parley.Issue, tab map[string]*float64, evals []float64) error {
	set := make([]bool, len(evals))
	for _, k := range keys(l.x, tp, tab) {
		j, err := l.index(is, k)
		if err != nil {
			return l.x.errorf(tp.key(k), "party %q: issue %q has no value %q", party, is.Name, k)
		}
		if set[j] {
			return l.x.errorf(tp.key(k), "party %q: issue %q: value %q listed twice", party, is.Name, is.Value(j))
		}
		v := tab[k]
		if v == nil {
			return l.x.errorf(tp.key(k), "party %q: issue %q: no utility for value %q", party, is.Name, k)
		}
		if !unit(*v) {
			return l.x.errorf(tp.key(k), "party %q: issue %q: utility %v of value %q outside [0,1]", party, is.Name, *v, k)
		}
		evals[j], set[j] = *v, true
	}
	for j, ok := range set {
		if !ok {
			return l.x.errorf(tp, "party %q: issue %q: no utility for value %q", party, is.Name, is.Value(j))
		}
	}
	return nil
}

func (l *loader) constraint(q path, fp *fileParty) (*ufun.Constraint, error) {
	name := fp.Name
	switch {
	case fp.NormalizeWeights != nil:
		return nil, l.x.errorf(q.key("normalize_weights"), "party %q: normalize_weights belongs to model: %s", name, ModelLinearAdditive)
	case fp.Weights != nil:
		return nil, l.x.errorf(q.key("weights"), "party %q: weights belong to model: %s", name, ModelLinearAdditive)
	case fp.Values != nil:
		return nil, l.x.errorf(q.key("values"), "party %q: values belong to model: %s", name, ModelLinearAdditive)
	case fp.Linear != nil:
		return nil, l.x.errorf(q.key("linear"), "party %q: linear belongs to model: %s", name, ModelLinearAdditive)
	case fp.AgreementBonus != nil:
		return nil, l.x.errorf(q.key("agreement_bonus"), "party %q: agreement_bonus belongs to model: %s", name, ModelLinearAdditive)
	case fp.Max == nil:
		return nil, l.x.errorf(q, "party %q: a constraint profile needs max (the utility sum that counts as 1)", name)
	}
	m := *fp.Max
	if !(m > 0) || math.IsInf(m, 0) {
		return nil, l.x.errorf(q.key("max"), "party %q: max %v must be a positive number", name, m)
	}
	rp := q.key("rects")
	if len(fp.Rects) == 0 {
		return nil, l.x.errorf(rp, "party %q: a constraint profile needs rects", name)
	}
	rects := make([]ufun.Rect, len(fp.Rects))
	total := 0.0
	for r := range fp.Rects {
		fr := &fp.Rects[r]
		p := rp.at(r)
		if fr.Utility == nil {
			return nil, l.x.errorf(p, "party %q: rect %d has no utility", name, r+1)
		}
		if u := *fr.Utility; math.IsNaN(u) || math.IsInf(u, 0) {
			return nil, l.x.errorf(p.key("utility"), "party %q: rect %d: utility %v is not a finite number", name, r+1, u)
		}
		if total += math.Abs(*fr.Utility); math.IsInf(total, 0) {
			return nil, l.x.errorf(p.key("utility"), "party %q: rect utilities up to rect %d overflow when summed", name, r+1)
		}
		rects[r] = ufun.Rect{Utility: *fr.Utility, Exclusive: fr.Exclusive}
		wp := p.key("where")
		for _, k := range keys(l.x, wp, fr.Where) {
			i := l.issueNamed(k)
			if i < 0 {
				return nil, l.x.errorf(wp.key(k), "party %q: rect %d: unknown issue %q", name, r+1, k)
			}
			is := &l.space.Issues[i]
			b := fr.Where[k]
			if len(b) != 2 {
				return nil, l.x.errorf(wp.key(k), "party %q: rect %d: issue %q needs [lo, hi], got %d values", name, r+1, k, len(b))
			}
			var idx [2]int
			for j, v := range b {
				s, ok := scalarText(v)
				if !ok {
					return nil, l.x.errorf(wp.key(k).at(j), "party %q: rect %d: issue %q: bound %v is not a value", name, r+1, k, v)
				}
				x, err := l.index(is, s)
				if err != nil {
					return nil, l.x.errorf(wp.key(k).at(j), "party %q: rect %d: %v", name, r+1, err)
				}
				idx[j] = x
			}
			if idx[0] > idx[1] {
				return nil, l.x.errorf(wp.key(k), "party %q: rect %d: issue %q: empty range [%s, %s]", name, r+1, k, is.Value(idx[0]), is.Value(idx[1]))
			}
			rects[r].Conds = append(rects[r].Conds, ufun.Cond{Issue: i, Lo: idx[0], Hi: idx[1]})
		}
	}
	c, err := ufun.NewConstraint(l.space, rects, m)
	if err != nil {
		return nil, l.x.errorf(q, "party %q: %v", name, err)
	}
	return c, nil
}

// scalarText returns the text of a decoded scalar: a string as is, a
// number in shortest form. Anything else (lists, mappings, null, booleans)
// is not an issue value.
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case uint64:
		return strconv.FormatUint(x, 10), true
	case int:
		return strconv.Itoa(x), true
	}
	return "", false
}

func (l *loader) references(refs map[string]map[string]any) ([]Reference, error) {
	rp := path{}.key("references")
	var out []Reference
	vals := make([]int, len(l.space.Issues))
	for _, name := range keys(l.x, rp, refs) {
		q := rp.key(name)
		if strings.TrimSpace(name) == "" {
			return nil, l.x.errorf(q, "reference with an empty name")
		}
		if err := l.text(q, "reference name", name); err != nil {
			return nil, err
		}
		m := refs[name]
		for _, k := range keys(l.x, q, m) {
			if l.issueNamed(k) < 0 {
				return nil, l.x.errorf(q.key(k), "reference %q: unknown issue %q", name, k)
			}
		}
		for i := range l.space.Issues {
			is := &l.space.Issues[i]
			v, ok := m[is.Name]
			if !ok {
				return nil, l.x.errorf(q, "reference %q: no value for issue %q", name, is.Name)
			}
			s, ok := scalarText(v)
			if !ok {
				return nil, l.x.errorf(q.key(is.Name), "reference %q: issue %q: %v is not a value", name, is.Name, v)
			}
			k, err := l.index(is, s)
			if err != nil {
				return nil, l.x.errorf(q.key(is.Name), "reference %q: %v", name, err)
			}
			vals[i] = k
		}
		o, err := l.space.Encode(vals)
		if err != nil {
			return nil, l.x.errorf(q, "reference %q: %v", name, err)
		}
		out = append(out, Reference{Name: name, Outcome: o})
	}
	return out, nil
}

// realism reads a party's reservation drift, walk-away hazard, vetoes and
// ratification risks into prof. Vetoes and ratification risks are sorted
// by issue and value index, so that writing and reading again gives the
// same profile.
func (l *loader) realism(q path, fp *fileParty, prof *parley.Profile) error {
	name := fp.Name
	if fp.ReservationDrift != nil {
		d := *fp.ReservationDrift
		if math.IsNaN(d) || math.IsInf(d, 0) {
			return l.x.errorf(q.key("reservation_drift"), "party %q: reservation_drift %v is not a finite number", name, d)
		}
		prof.Drift = d
	}
	if fp.WalkAwayHazard != nil {
		h := *fp.WalkAwayHazard
		if math.IsNaN(h) || h < 0 || h > 1 {
			return l.x.errorf(q.key("walk_away_hazard"), "party %q: walk_away_hazard %v outside [0,1] (a probability per round)", name, h)
		}
		prof.Hazard = h
	}
	if fp.Report != "" {
		r, err := parley.ParseReport(fp.Report)
		if err != nil {
			return l.x.errorf(q.key("report"), "party %q: %v", name, err)
		}
		prof.Report = r
	}
	sp := l.space
	vp := q.key("vetoes")
	for _, k := range keys(l.x, vp, fp.Vetoes) {
		i := l.issueNamed(k)
		if i < 0 {
			return l.x.errorf(vp.key(k), "party %q: veto on unknown issue %q", name, k)
		}
		is := &sp.Issues[i]
		seen := map[int]int{}
		for j, v := range fp.Vetoes[k] {
			s, ok := scalarText(v)
			if !ok {
				return l.x.errorf(vp.key(k).at(j), "party %q: veto on issue %q: %v is not a value", name, k, v)
			}
			x, err := l.index(is, s)
			if err != nil {
				return l.x.errorf(vp.key(k).at(j), "party %q: veto: issue %q has no value %q", name, k, s)
			}
			if jj, dup := seen[x]; dup {
				return l.x.errorf(vp.key(k).at(j), "party %q: veto on issue %q: value %q listed twice (%d and %d)", name, k, is.Value(x), jj+1, j+1)
			}
			seen[x] = j
			prof.Vetoes = append(prof.Vetoes, parley.ValueRef{Issue: i, Value: x})
		}
		if len(seen) == is.Size() {
			return l.x.errorf(vp.key(k), "party %q: vetoes every value of issue %q: no outcome would be acceptable to it", name, k)
		}
	}
	slices.SortFunc(prof.Vetoes, compareRefs)
	rp := q.key("ratification")
	for _, k := range keys(l.x, rp, fp.Ratification) {
		i := l.issueNamed(k)
		if i < 0 {
			return l.x.errorf(rp.key(k), "party %q: ratification on unknown issue %q", name, k)
		}
		is := &sp.Issues[i]
		tab := fp.Ratification[k]
		set := map[int]bool{}
		for _, v := range keys(l.x, rp.key(k), tab) {
			x, err := l.index(is, v)
			if err != nil {
				return l.x.errorf(rp.key(k).key(v), "party %q: ratification: issue %q has no value %q", name, k, v)
			}
			if set[x] {
				return l.x.errorf(rp.key(k).key(v), "party %q: ratification: issue %q: value %q listed twice", name, k, is.Value(x))
			}
			set[x] = true
			pv := tab[v]
			if pv == nil {
				return l.x.errorf(rp.key(k).key(v), "party %q: ratification: issue %q: no probability for value %q", name, k, v)
			}
			if p := *pv; math.IsNaN(p) || p < 0 || p > 1 {
				return l.x.errorf(rp.key(k).key(v), "party %q: ratification: issue %q: probability %v of value %q outside [0,1]", name, k, p, v)
			}
			prof.Ratification = append(prof.Ratification, parley.Ratification{Value: parley.ValueRef{Issue: i, Value: x}, P: *pv})
		}
	}
	slices.SortFunc(prof.Ratification, func(a, b parley.Ratification) int { return compareRefs(a.Value, b.Value) })
	return nil
}

// compareRefs orders value references by issue, then value.
func compareRefs(a, b parley.ValueRef) int {
	if c := cmp.Compare(a.Issue, b.Issue); c != 0 {
		return c
	}
	return cmp.Compare(a.Value, b.Value)
}

// word reads the protocol word text into dst (its UnmarshalText); an
// absent (empty) text leaves the zero value, which is the default.
func word(dst encoding.TextUnmarshaler, text string) error {
	if text == "" {
		return nil
	}
	return dst.UnmarshalText([]byte(text))
}

// override reads the protocol word text into a new *dst, a variant step's
// override; an absent (empty) text leaves it nil (no override).
func override[T any, P interface {
	*T
	encoding.TextUnmarshaler
}](dst **T, text string) error {
	if text == "" {
		return nil
	}
	v := new(T)
	if err := P(v).UnmarshalText([]byte(text)); err != nil {
		return err
	}
	*dst = v
	return nil
}

// fieldErr is the outcome of reading one field.
type fieldErr struct {
	field string
	err   error
}

// fields returns the first field's error, at q.field, after what.
func (l *loader) fields(q path, what string, fs ...fieldErr) error {
	for _, f := range fs {
		if f.err != nil {
			return l.x.errorf(q.key(f.field), "%s: %v", what, f.err)
		}
	}
	return nil
}

// protocol converts the file's protocol section; the rules that involve
// the parties and references are checked afterwards by Protocol.check.
func (l *loader) protocol(fp *fileProtocol) (*Protocol, error) {
	pp := path{}.key("protocol")
	sp := pp.key("stages")
	pr := &Protocol{Question: fp.Question, Compare: fp.Compare}
	if err := l.text(pp.key("question"), "question", fp.Question); err != nil {
		return nil, err
	}
	if strings.ContainsAny(fp.Question, "\r\n") {
		return nil, l.x.errorf(pp.key("question"), "question: one line, please (it heads the output of parley run)")
	}
	for i := range fp.Stages {
		fs := &fp.Stages[i]
		q := sp.at(i)
		if err := l.text(q.key("name"), "stage name", fs.Name); err != nil {
			return nil, err
		}
		st := Stage{Name: fs.Name, Participants: fs.Participants, Mediator: fs.Mediator,
			MediatorPolicy: fs.MediatorPolicy}
		if fs.Rounds == nil {
			return nil, l.x.errorf(q, "stage %q: no rounds (the stage's round budget)", fs.Name)
		}
		st.Rounds = *fs.Rounds
		if fs.RoundCost != nil {
			if *fs.RoundCost < 1 {
				return nil, l.x.errorf(q.key("round_cost"), "stage %q: round_cost %d, need at least 1 (units of the clock per round)", fs.Name, *fs.RoundCost)
			}
			st.RoundCost = *fs.RoundCost
		}
		// Absent words keep the zero values, which are the defaults; the
		// mechanism has none (Protocol.check says so).
		if err := l.fields(q, fmt.Sprintf("stage %q", fs.Name),
			fieldErr{"mechanism", word(&st.Mechanism, fs.Mechanism)},
			fieldErr{"transition", word(&st.Transition, fs.Transition)},
			fieldErr{"carry", word(&st.Carry, fs.Carry)},
			fieldErr{"start", word(&st.Start, fs.Start)},
			fieldErr{"rule", word(&st.Rule, fs.Rule)},
			fieldErr{"info", word(&st.Info, fs.Info)},
		); err != nil {
			return nil, err
		}
		if fs.OnWalkAwayNext != nil {
			st.OnWalkAwayNext = *fs.OnWalkAwayNext
		}
		if fs.Noise != nil {
			st.Noise = *fs.Noise
		}
		if fs.FinalVote != nil {
			st.NoFinalVote = !*fs.FinalVote
		}
		// A word of mediated stages is an error in an alternating-offers
		// stage even when it states the default.
		if st.Mechanism == parley.MechanismAlternatingOffers {
			for _, f := range []struct {
				field string
				set   bool
			}{{"rule", fs.Rule != ""}, {"info", fs.Info != ""}, {"final_vote", fs.FinalVote != nil}} {
				if f.set {
					return nil, l.x.errorf(q.key(f.field), "stage %q: %s is for mediated stages", fs.Name, f.field)
				}
			}
		}
		pr.Stages = append(pr.Stages, st)
	}
	vp := pp.key("variants")
	for _, name := range keys(l.x, vp, fp.Variants) {
		if err := l.text(vp.key(name), "variant name", name); err != nil {
			return nil, err
		}
		v := Variant{Name: name}
		for j, fs := range fp.Variants[name] {
			q := vp.key(name).at(j)
			if fs.Stage == "" {
				return nil, l.x.errorf(q, "variant %q: step %d names no stage", name, j+1)
			}
			step := VariantStep{Stage: fs.Stage}
			if fs.Rounds != nil {
				if *fs.Rounds <= 0 {
					return nil, l.x.errorf(q.key("rounds"), "variant %q: stage %q: rounds %d, need at least 1", name, fs.Stage, *fs.Rounds)
				}
				step.Rounds = *fs.Rounds
			}
			if err := l.fields(q, fmt.Sprintf("variant %q: stage %q", name, fs.Stage),
				fieldErr{"transition", override(&step.Transition, fs.Transition)},
				fieldErr{"carry", override(&step.Carry, fs.Carry)},
				fieldErr{"start", override(&step.Start, fs.Start)},
			); err != nil {
				return nil, err
			}
			v.Steps = append(v.Steps, step)
		}
		pr.Variants = append(pr.Variants, v)
	}
	return pr, nil
}
