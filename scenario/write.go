package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/ufun"
)

// WriteYAML writes s in Parley's YAML format. Every party's utility
// function must be (or be a table computed from) a *ufun.LinearAdditive or
// a *ufun.Constraint over s.Space. Numbers are written in shortest form
// (strconv 'g', -1), so reading the file back gives the same utilities.
func WriteYAML(w io.Writer, s *Scenario) error {
	doc, err := encode(s)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	writeBlockMap(&b, doc, 0, "")
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("scenario: write %s: %w", s.Name, err)
	}
	return nil
}

// WriteJSON writes s in Parley's JSON format (the YAML schema as JSON),
// under the same conditions as WriteYAML.
func WriteJSON(w io.Writer, s *Scenario) error {
	doc, err := encode(s)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("scenario: write %s: %w", s.Name, err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("scenario: write %s: %w", s.Name, err)
	}
	return nil
}

// omap is an ordered mapping, the tree both writers print. Values are
// string, float64, int, bool, []any or *omap. A flow mapping or list is
// written on one line in YAML.
type omap struct {
	keys []string
	vals []any
	flow bool
}

func (m *omap) set(k string, v any) {
	m.keys = append(m.keys, k)
	m.vals = append(m.vals, v)
}

// flowList is a list written on one line in YAML.
type flowList []any

// MarshalJSON writes m as a JSON object in key order.
func (m *omap) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range m.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(jsonString(k))
		b.WriteByte(':')
		v, err := json.Marshal(m.vals[i])
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// encode builds the file tree of s.
func encode(s *Scenario) (*omap, error) {
	if s == nil || s.Space == nil {
		return nil, fmt.Errorf("scenario: write: no outcome space")
	}
	sp := s.Space
	if err := checkText("scenario name", s.Name); err != nil {
		return nil, err
	}
	if err := checkText("description", s.Description); err != nil {
		return nil, err
	}
	doc := &omap{}
	doc.set("name", s.Name)
	if s.Description != "" {
		doc.set("description", s.Description)
	}
	if s.Deadline != 0 {
		doc.set("deadline", s.Deadline)
	}
	issues := make([]any, len(sp.Issues))
	for i := range sp.Issues {
		is := &sp.Issues[i]
		if err := checkText("issue name", is.Name); err != nil {
			return nil, err
		}
		m := &omap{}
		m.set("name", is.Name)
		switch is.Kind {
		case parley.Discrete:
			vs := make(flowList, len(is.Values))
			for k, v := range is.Values {
				if err := checkText("value", v); err != nil {
					return nil, err
				}
				vs[k] = v
			}
			m.set("values", vs)
		case parley.Integer, parley.Real:
			m.set("type", is.Kind.String())
			m.set("min", is.Min)
			m.set("max", is.Max)
			if is.Kind == parley.Real {
				m.set("steps", is.Steps)
			}
		default:
			return nil, fmt.Errorf("scenario: write %s: issue %q: unknown kind %v", s.Name, is.Name, is.Kind)
		}
		issues[i] = m
	}
	doc.set("issues", issues)
	parties := make([]any, len(s.Parties))
	for i, p := range s.Parties {
		m, err := encodeParty(s, p)
		if err != nil {
			return nil, err
		}
		parties[i] = m
	}
	doc.set("parties", parties)
	if len(s.References) > 0 {
		refs := &omap{}
		dst := make([]int, len(sp.Issues))
		for _, r := range s.References {
			if err := checkText("reference name", r.Name); err != nil {
				return nil, err
			}
			if !sp.Valid(r.Outcome) {
				return nil, fmt.Errorf("scenario: write %s: reference %q: outcome %d outside the space", s.Name, r.Name, r.Outcome)
			}
			o := &omap{flow: true}
			for j, k := range sp.Decode(r.Outcome, dst) {
				o.set(sp.Issues[j].Name, valueOf(&sp.Issues[j], k))
			}
			refs.set(r.Name, o)
		}
		doc.set("references", refs)
	}
	if s.Protocol != nil {
		pm, err := encodeProtocol(s, s.Protocol)
		if err != nil {
			return nil, err
		}
		doc.set("protocol", pm)
	}
	if len(s.Assumptions) > 0 {
		as, err := encodeAssumptions(s)
		if err != nil {
			return nil, err
		}
		doc.set("assumptions", as)
	}
	return doc, nil
}

// valueOf is value k of an issue as written: a name or a number.
func valueOf(is *parley.Issue, k int) any {
	if is.Kind == parley.Discrete {
		return is.Values[k]
	}
	return is.Number(k)
}

func checkText(what, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("scenario: write: %s %q is not valid UTF-8", what, s)
	}
	return nil
}

func encodeParty(s *Scenario, p Party) (*omap, error) {
	if p.Profile == nil || p.Profile.Utility == nil {
		return nil, fmt.Errorf("scenario: write %s: party %q has no utility function", s.Name, p.Name)
	}
	if err := checkText("party name", p.Name); err != nil {
		return nil, err
	}
	m := &omap{}
	m.set("name", p.Name)
	role := p.Role
	if role == "" {
		role = Negotiator
	}
	m.set("role", string(role))
	m.set("reservation", p.Profile.Reservation)
	m.set("discount", p.Profile.DiscountFactor())
	if d := p.Profile.Drift; d != 0 {
		if math.IsNaN(d) || math.IsInf(d, 0) {
			return nil, fmt.Errorf("scenario: write %s: party %q: reservation drift %v is not a finite number", s.Name, p.Name, d)
		}
		m.set("reservation_drift", d)
	}
	if h := p.Profile.Hazard; h != 0 {
		if math.IsNaN(h) || h < 0 || h > 1 {
			return nil, fmt.Errorf("scenario: write %s: party %q: walk-away hazard %v outside [0,1]", s.Name, p.Name, h)
		}
		m.set("walk_away_hazard", h)
	}
	if r := p.Profile.Report; r != parley.ReportTruthful {
		b, err := r.MarshalText()
		if err != nil {
			return nil, fmt.Errorf("scenario: write %s: party %q: %w", s.Name, p.Name, err)
		}
		m.set("report", string(b))
	}
	switch u := Base(p.Profile.Utility).(type) {
	case *ufun.LinearAdditive:
		if err := encodeLinear(s, p.Name, u, m); err != nil {
			return nil, err
		}
	case *ufun.Constraint:
		if err := encodeConstraint(s, p.Name, u, m); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("scenario: write %s: party %q: cannot write a utility function of type %T (want *ufun.LinearAdditive or *ufun.Constraint)", s.Name, p.Name, u)
	}
	if err := encodeRealism(s, p, m); err != nil {
		return nil, err
	}
	return m, nil
}

// encodeRealism writes a party's vetoes and ratification risks, grouped by
// issue in the space's order and by value index within an issue.
func encodeRealism(s *Scenario, p Party, m *omap) error {
	sp := s.Space
	check := func(what string, v parley.ValueRef) error {
		if v.Issue < 0 || v.Issue >= len(sp.Issues) || v.Value < 0 || v.Value >= sp.Issues[v.Issue].Size() {
			return fmt.Errorf("scenario: write %s: party %q: %s %+v outside the outcome space", s.Name, p.Name, what, v)
		}
		return nil
	}
	vetoes := slices.Clone(p.Profile.Vetoes)
	slices.SortFunc(vetoes, compareRefs)
	if len(vetoes) > 0 {
		vm := &omap{}
		for k, v := range vetoes {
			if err := check("veto", v); err != nil {
				return err
			}
			if k > 0 && vetoes[k-1] == v {
				return fmt.Errorf("scenario: write %s: party %q: veto on %s listed twice", s.Name, p.Name, sp.Issues[v.Issue].Name)
			}
			is := &sp.Issues[v.Issue]
			if n := len(vm.keys); n > 0 && vm.keys[n-1] == is.Name {
				vm.vals[n-1] = append(vm.vals[n-1].(flowList), valueOf(is, v.Value))
				continue
			}
			vm.set(is.Name, flowList{valueOf(is, v.Value)})
		}
		m.set("vetoes", vm)
	}
	rats := slices.Clone(p.Profile.Ratification)
	slices.SortFunc(rats, func(a, b parley.Ratification) int { return compareRefs(a.Value, b.Value) })
	if len(rats) > 0 {
		rm := &omap{}
		for k, r := range rats {
			if err := check("ratification value", r.Value); err != nil {
				return err
			}
			if math.IsNaN(r.P) || r.P < 0 || r.P > 1 {
				return fmt.Errorf("scenario: write %s: party %q: ratification probability %v outside [0,1]", s.Name, p.Name, r.P)
			}
			if k > 0 && rats[k-1].Value == r.Value {
				return fmt.Errorf("scenario: write %s: party %q: ratification of one value listed twice", s.Name, p.Name)
			}
			is := &sp.Issues[r.Value.Issue]
			if n := len(rm.keys); n > 0 && rm.keys[n-1] == is.Name {
				rm.vals[n-1].(*omap).set(is.Value(r.Value.Value), r.P)
				continue
			}
			t := &omap{flow: true}
			t.set(is.Value(r.Value.Value), r.P)
			rm.set(is.Name, t)
		}
		m.set("ratification", rm)
	}
	return nil
}

// encodeProtocol writes a protocol. Defaults are written out (transition,
// carry, start; rule and info for mediated stages); a variant step writes
// only its overrides.
func encodeProtocol(s *Scenario, pr *Protocol) (*omap, error) {
	if err := pr.Validate(s); err != nil {
		return nil, fmt.Errorf("scenario: write: %w", err)
	}
	for _, st := range pr.Stages {
		if err := checkText("stage name", st.Name); err != nil {
			return nil, err
		}
		if err := checkText("mediator policy", st.MediatorPolicy); err != nil {
			return nil, err
		}
	}
	stages := make([]any, len(pr.Stages))
	for i, st := range pr.Stages {
		m := &omap{}
		m.set("name", st.Name)
		ps := make(flowList, len(st.Participants))
		for j, n := range st.Participants {
			ps[j] = n
		}
		m.set("participants", ps)
		m.set("mechanism", st.Mechanism.String())
		if st.Mediator != "" {
			m.set("mediator", st.Mediator)
		}
		m.set("rounds", st.Rounds)
		if st.RoundCost > 1 {
			m.set("round_cost", st.RoundCost)
		}
		m.set("transition", st.Transition.String())
		m.set("carry", st.Carry.String())
		if st.OnWalkAwayNext != 0 {
			m.set("on_walk_away_next", st.OnWalkAwayNext)
		}
		m.set("start", st.Start.String())
		if st.Mechanism == parley.MechanismMediated {
			m.set("rule", st.Rule.String())
			m.set("info", st.Info.String())
			if st.Noise != 0 {
				m.set("noise", st.Noise)
			}
			if st.MediatorPolicy != "" {
				m.set("mediator_policy", st.MediatorPolicy)
			}
			if st.NoFinalVote {
				m.set("final_vote", false)
			}
		}
		stages[i] = m
	}
	doc := &omap{}
	if pr.Question != "" {
		if err := checkText("question", pr.Question); err != nil {
			return nil, err
		}
		doc.set("question", pr.Question)
	}
	if len(pr.Compare) > 0 {
		cs := make(flowList, len(pr.Compare))
		for i, c := range pr.Compare {
			cs[i] = c
		}
		doc.set("compare", cs)
	}
	doc.set("stages", stages)
	if len(pr.Variants) > 0 {
		vs := &omap{}
		for _, v := range pr.Variants {
			if err := checkText("variant name", v.Name); err != nil {
				return nil, err
			}
			steps := make([]any, len(v.Steps))
			for j, step := range v.Steps {
				sm := &omap{flow: true}
				sm.set("stage", step.Stage)
				if step.Rounds != 0 {
					sm.set("rounds", step.Rounds)
				}
				if step.Transition != nil {
					sm.set("transition", step.Transition.String())
				}
				if step.Carry != nil {
					sm.set("carry", step.Carry.String())
				}
				if step.Start != nil {
					sm.set("start", step.Start.String())
				}
				steps[j] = sm
			}
			vs.set(v.Name, steps)
		}
		doc.set("variants", vs)
	}
	return doc, nil
}

func encodeLinear(s *Scenario, party string, u *ufun.LinearAdditive, m *omap) error {
	sp := s.Space
	ws, evs := u.Weights(), u.Evals()
	if len(ws) != len(sp.Issues) || len(evs) != len(sp.Issues) {
		return fmt.Errorf("scenario: write %s: party %q: %d weights for %d issues", s.Name, party, len(ws), len(sp.Issues))
	}
	weights := &omap{}
	values := &omap{}
	linear := &omap{}
	sum := 0.0
	for _, w := range ws {
		sum += w
	}
	if math.Abs(sum-1) > 1e-6 {
		// Weights as written (a GENIUS profile's): reading them back as
		// relative weights would change every utility.
		m.set("normalize_weights", false)
	}
	for i := range sp.Issues {
		is := &sp.Issues[i]
		ev := evs[i]
		if len(ev) != is.Size() {
			return fmt.Errorf("scenario: write %s: party %q: issue %q: %d utilities for %d values", s.Name, party, is.Name, len(ev), is.Size())
		}
		weights.set(is.Name, ws[i])
		if is.Kind != parley.Discrete && is.Size() >= 2 && isLinear(is, ev) {
			lm := &omap{flow: true}
			lm.set("at_min", ev[0])
			lm.set("at_max", ev[len(ev)-1])
			linear.set(is.Name, lm)
			continue
		}
		t := &omap{flow: true}
		for k, e := range ev {
			t.set(is.Value(k), e)
		}
		values.set(is.Name, t)
	}
	m.set("weights", weights)
	if len(values.keys) > 0 {
		m.set("values", values)
	}
	if len(linear.keys) > 0 {
		m.set("linear", linear)
	}
	if u.AgreementBonus() != 0 {
		m.set("agreement_bonus", u.AgreementBonus())
	}
	return nil
}

// isLinear reports whether ev is exactly what lerp gives from its end
// points, so that writing it as linear loses nothing.
func isLinear(is *parley.Issue, ev []float64) bool {
	a, b := ev[0], ev[len(ev)-1]
	for k, e := range ev {
		if e != lerp(is, k, a, b) {
			return false
		}
	}
	return true
}

func encodeConstraint(s *Scenario, party string, c *ufun.Constraint, m *omap) error {
	sp := s.Space
	m.set("model", ModelConstraint)
	m.set("max", c.Max())
	crs := c.Rects()
	rects := make([]any, len(crs))
	for r, rect := range crs {
		rm := &omap{}
		rm.set("utility", rect.Utility)
		if rect.Exclusive {
			rm.set("exclusive", true)
		}
		// One range per issue: several conditions on one issue intersect.
		lo := map[int]int{}
		hi := map[int]int{}
		var order []int
		for _, cd := range rect.Conds {
			if cd.Issue < 0 || cd.Issue >= len(sp.Issues) || cd.Lo < 0 || cd.Hi >= sp.Issues[cd.Issue].Size() {
				return fmt.Errorf("scenario: write %s: party %q: rect %d: condition %+v outside the space", s.Name, party, r+1, cd)
			}
			if _, ok := lo[cd.Issue]; !ok {
				order = append(order, cd.Issue)
				lo[cd.Issue], hi[cd.Issue] = cd.Lo, cd.Hi
				continue
			}
			lo[cd.Issue] = max(lo[cd.Issue], cd.Lo)
			hi[cd.Issue] = min(hi[cd.Issue], cd.Hi)
		}
		where := &omap{}
		for _, i := range order {
			if lo[i] > hi[i] {
				return fmt.Errorf("scenario: write %s: party %q: rect %d: issue %q: empty range", s.Name, party, r+1, sp.Issues[i].Name)
			}
			is := &sp.Issues[i]
			where.set(is.Name, flowList{valueOf(is, lo[i]), valueOf(is, hi[i])})
		}
		if len(where.keys) > 0 {
			where.flow = true
			rm.set("where", where)
		}
		rects[r] = rm
	}
	m.set("rects", rects)
	return nil
}

// The YAML writer. The tree is small and fixed, so printing it directly
// keeps every scalar's form under control: strings are plain only when
// they cannot be read as anything else, and are otherwise double-quoted
// with JSON escapes (a subset of YAML's); numbers are shortest-form.

// maxWrittenBlockKeys is the most keys WriteYAML writes as a block
// mapping, one per line; larger mappings are written in flow style, which
// the YAML parser reads in linear time (see MaxBlockKeys).
const maxWrittenBlockKeys = 1000

func writeBlockMap(b *bytes.Buffer, m *omap, indent int, first string) {
	for i, k := range m.keys {
		if i == 0 && first != "" {
			b.WriteString(first)
		} else {
			b.WriteString(strings.Repeat(" ", indent))
		}
		b.WriteString(yamlString(k))
		b.WriteByte(':')
		switch v := m.vals[i].(type) {
		case *omap:
			if v.flow || len(v.keys) == 0 || len(v.keys) > maxWrittenBlockKeys {
				b.WriteByte(' ')
				writeFlow(b, v)
				b.WriteByte('\n')
				continue
			}
			b.WriteByte('\n')
			writeBlockMap(b, v, indent+2, "")
		case []any:
			if len(v) == 0 {
				b.WriteString(" []\n")
				continue
			}
			b.WriteByte('\n')
			for _, el := range v {
				pad := strings.Repeat(" ", indent+2)
				if em, ok := el.(*omap); ok && !em.flow && len(em.keys) > 0 {
					writeBlockMap(b, em, indent+4, pad+"- ")
					continue
				}
				b.WriteString(pad + "- ")
				writeFlow(b, el)
				b.WriteByte('\n')
			}
		default:
			b.WriteByte(' ')
			writeFlow(b, v)
			b.WriteByte('\n')
		}
	}
}

func writeFlow(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case *omap:
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(yamlString(k))
			b.WriteString(": ")
			writeFlow(b, v.vals[i])
		}
		b.WriteByte('}')
	case flowList:
		writeFlowList(b, v)
	case []any:
		writeFlowList(b, v)
	case string:
		b.WriteString(yamlString(v))
	case float64:
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	case int:
		b.WriteString(strconv.Itoa(v))
	case bool:
		b.WriteString(strconv.FormatBool(v))
	default:
		fmt.Fprintf(b, "%v", v)
	}
}

func writeFlowList(b *bytes.Buffer, l []any) {
	b.WriteByte('[')
	for i, el := range l {
		if i > 0 {
			b.WriteString(", ")
		}
		writeFlow(b, el)
	}
	b.WriteByte(']')
}

// yamlString writes s plain when it is a simple word that YAML reads back
// as the same string, and double-quoted otherwise.
func yamlString(s string) string {
	if plainYAML(s) {
		return s
	}
	return jsonString(s)
}

func plainYAML(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_':
		case (r >= '0' && r <= '9' || r == '-' || r == '.') && i > 0:
		default:
			return false
		}
	}
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf", "infinity":
		return false
	}
	return true
}

// jsonString quotes s as a JSON string without HTML escapes.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}
