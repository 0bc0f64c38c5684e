package geniusweb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/ufun"
)

// tol is how closely a written profile must reproduce each utility.
const tol = parley.Eps

// Write writes every party of s as a GeniusWeb 2.x profile PARTY.json in
// folder dir (created if needed). ReadDir(dir) gives back the same
// utilities (within 1e-12) and reservation values, parties ordered by file
// name. Nothing is written unless every profile can be.
//
// A profile must be (or be a table computed from) a *ufun.LinearAdditive
// without bonus and without discounting. A number issue's utilities must be
// linear in the value (NumberValueSetUtilities); a positive reservation
// value must be the utility of some bid, possibly partial, which is written
// as the reservation bid. A real issue whose grid is the integers is read
// back as an integer issue, GeniusWeb having only number issues.
func Write(dir string, s *scenario.Scenario) error {
	if s == nil || s.Space == nil {
		return errors.New("geniusweb: write: no scenario")
	}
	if x := s.Extras(); len(x) > 0 {
		return fmt.Errorf("geniusweb: write: scenario %s holds what GeniusWeb cannot express: %s", s.Name, strings.Join(x, "; "))
	}
	files := map[string][]byte{}
	var names []string
	for _, p := range s.Parties {
		if p.Name == "" || p.Name == "." || p.Name == ".." || strings.ContainsAny(p.Name, "/\\\x00") {
			return fmt.Errorf("geniusweb: write: party %q: name cannot be a file name", p.Name)
		}
		f := p.Name + ".json"
		if _, dup := files[strings.ToLower(f)]; dup {
			return fmt.Errorf("geniusweb: write: party %q: file %s is already taken", p.Name, f)
		}
		if p.Profile == nil {
			return fmt.Errorf("geniusweb: write: party %q has no profile", p.Name)
		}
		var buf bytes.Buffer
		if err := writeProfile(&buf, s.Name, p.Name, p.Profile, s.Space); err != nil {
			return err
		}
		files[strings.ToLower(f)] = buf.Bytes()
		names = append(names, f)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("geniusweb: write: %w", err)
	}
	for _, f := range names {
		if err := os.WriteFile(filepath.Join(dir, f), files[strings.ToLower(f)], 0o644); err != nil {
			return fmt.Errorf("geniusweb: write: %w", err)
		}
	}
	return nil
}

// WriteProfile writes p as a GeniusWeb 2.x LinearAdditiveUtilitySpace whose
// embedded domain is called domain. See Write for what can be written.
func WriteProfile(w io.Writer, domain string, p *parley.Profile) error {
	if p == nil {
		return errors.New("geniusweb: write: no profile")
	}
	return writeProfile(w, domain, p.Name, p, p.Space)
}

// simpleName keeps the letters and digits of s (GeniusWeb wants simple
// names), or returns def.
func simpleName(s, def string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return def
	}
	return b.String()
}

func jnum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func jstr(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

func writeProfile(w io.Writer, domain, party string, p *parley.Profile, space *parley.OutcomeSpace) error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("geniusweb: write: party %q: %s", party, fmt.Sprintf(format, args...))
	}
	if space == nil || p.Utility == nil {
		return fail("no outcome space or utility function")
	}
	u, ok := scenario.Base(p.Utility).(*ufun.LinearAdditive)
	if !ok {
		return fail("utility function %T has no GeniusWeb form (want *ufun.LinearAdditive)", scenario.Base(p.Utility))
	}
	if u.AgreementBonus() != 0 {
		return fail("agreement bonus %v has no GeniusWeb form", u.AgreementBonus())
	}
	if d := p.DiscountFactor(); d != 1 {
		return fail("discount factor %v has no GeniusWeb form", d)
	}
	if len(u.Weights()) != len(space.Issues) || len(u.Evals()) != len(space.Issues) {
		return fail("utility function over another outcome space")
	}
	wsum := 0.0
	for _, w := range u.Weights() {
		wsum += w
	}
	if math.Abs(wsum-1) > weightTol {
		// GeniusWeb's LinearAdditiveUtilitySpace refuses such weights, and
		// normalising them would change every utility.
		return fail("issue weights sum to %v; GeniusWeb needs them to sum to 1", wsum)
	}
	var b strings.Builder
	b.WriteString(`{"LinearAdditiveUtilitySpace":{"domain":{"name":`)
	b.WriteString(jstr(simpleName(domain, "domain")))
	b.WriteString(`,"issuesValues":{`)
	for i := range space.Issues {
		is := &space.Issues[i]
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(jstr(is.Name) + ":")
		switch is.Kind {
		case parley.Discrete:
			b.WriteString(`{"values":[`)
			for k, v := range is.Values {
				if k > 0 {
					b.WriteByte(',')
				}
				b.WriteString(jstr(v))
			}
			b.WriteString("]}")
		case parley.Integer:
			fmt.Fprintf(&b, `{"range":[%s,%s,1]}`, jnum(is.Min), jnum(is.Max))
		case parley.Real:
			fmt.Fprintf(&b, `{"range":[%s,%s,%s]}`, jnum(is.Min), jnum(is.Max), jnum((is.Max-is.Min)/float64(is.Steps-1)))
		}
	}
	b.WriteString(`}},"name":`)
	b.WriteString(jstr(simpleName(party, "profile")))
	b.WriteString(`,"issueUtilities":{`)
	for i := range space.Issues {
		is := &space.Issues[i]
		ev := u.Evals()[i]
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(jstr(is.Name) + ":")
		if is.Kind == parley.Discrete {
			b.WriteString(`{"DiscreteValueSetUtilities":{"valueUtilities":{`)
			for k, v := range is.Values {
				if k > 0 {
					b.WriteByte(',')
				}
				b.WriteString(jstr(v) + ":" + jnum(ev[k]))
			}
			b.WriteString("}}}")
			continue
		}
		n, ok := fitNumber(is, ev)
		if !ok {
			return fail("issue %q: utilities are not linear in the value, as GeniusWeb's NumberValueSetUtilities are", is.Name)
		}
		fmt.Fprintf(&b, `{"NumberValueSetUtilities":{"lowValue":%s,"lowUtility":%s,"highValue":%s,"highUtility":%s}}`,
			jnum(n.lowV), jnum(n.lowU), jnum(n.highV), jnum(n.highU))
	}
	b.WriteString(`},"issueWeights":{`)
	for i, wt := range u.Weights() {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(jstr(space.Issues[i].Name) + ":" + jnum(wt))
	}
	b.WriteString(`},"reservationBid":`)
	if p.Reservation == 0 {
		b.WriteString("null")
	} else {
		bid, ok := reservationBid(u, space, p.Reservation)
		if !ok {
			return fail("reservation value %v is the utility of no bid; GeniusWeb gives the reservation as a bid", p.Reservation)
		}
		b.WriteString(`{"issuevalues":{`)
		first := true
		for i, k := range bid {
			if k < 0 {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			is := &space.Issues[i]
			b.WriteString(jstr(is.Name) + ":")
			if is.Kind == parley.Discrete {
				b.WriteString(jstr(is.Values[k]))
			} else {
				b.WriteString(jnum(is.Number(k)))
			}
		}
		b.WriteString("}}")
	}
	b.WriteString("}}")
	var out bytes.Buffer
	if err := json.Indent(&out, []byte(b.String()), "", "  "); err != nil {
		return fail("%v", err)
	}
	out.WriteByte('\n')
	_, err := w.Write(out.Bytes())
	return err
}

// fitNumber finds NumberValueSetUtilities reproducing ev on the issue's
// values: linear over the whole range, or zero outside a sub-range.
func fitNumber(is *parley.Issue, ev []float64) (numberUtils, bool) {
	n := len(ev)
	x := is.Number
	check := func(c numberUtils) bool {
		if !(c.highV > c.lowV) || c.lowU < 0 || c.lowU > 1 || c.highU < 0 || c.highU > 1 {
			return false
		}
		for k, e := range ev {
			if math.Abs(c.at(x(k))-e) > tol {
				return false
			}
		}
		return true
	}
	if n == 1 {
		c := numberUtils{lowV: x(0), lowU: ev[0], highV: x(0) + 1, highU: ev[0]}
		return c, check(c)
	}
	if c := (numberUtils{lowV: x(0), lowU: ev[0], highV: x(n - 1), highU: ev[n-1]}); check(c) {
		return c, true
	}
	first, last := -1, -1
	for k, e := range ev {
		if e != 0 {
			if first < 0 {
				first = k
			}
			last = k
		}
	}
	if first < 0 {
		return numberUtils{}, false // all zero is linear, caught above
	}
	for _, a := range []int{first - 1, first} {
		for _, z := range []int{last, last + 1} {
			if a < 0 || z >= n || a >= z {
				continue
			}
			if c := (numberUtils{lowV: x(a), lowU: ev[a], highV: x(z), highU: ev[z]}); check(c) {
				return c, true
			}
		}
	}
	return numberUtils{}, false
}

// reservationBid searches for a partial bid (value index per issue, -1 for
// absent) whose utility is r within tol. The search is depth-first with
// pruning and bounded in effort.
func reservationBid(u *ufun.LinearAdditive, space *parley.OutcomeSpace, r float64) ([]int, bool) {
	n := len(space.Issues)
	// rest[i] is the largest sum the issues i.. can add.
	rest := make([]float64, n+1)
	for i := n - 1; i >= 0; i-- {
		m := 0.0
		for _, e := range u.Evals()[i] {
			m = math.Max(m, u.Weight(i)*e)
		}
		rest[i] = rest[i+1] + m
	}
	bid := make([]int, n)
	budget := 1 << 22
	var dfs func(i int, sum float64) bool
	dfs = func(i int, sum float64) bool {
		if budget--; budget < 0 {
			return false
		}
		if sum > r+tol || sum+rest[i] < r-tol {
			return false
		}
		if i == n {
			return math.Abs(sum-r) <= tol
		}
		bid[i] = -1
		if dfs(i+1, sum) {
			return true
		}
		for k, e := range u.Evals()[i] {
			bid[i] = k
			if dfs(i+1, sum+u.Weight(i)*e) {
				return true
			}
		}
		return false
	}
	return bid, dfs(0, 0)
}
