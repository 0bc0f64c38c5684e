package geniusweb

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/ufun"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12 }

func outcome(t testing.TB, space *parley.OutcomeSpace, named map[string]string) parley.Outcome {
	t.Helper()
	o, err := space.Parse(named)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func party(t testing.TB, s *scenario.Scenario, name string) *parley.Profile {
	t.Helper()
	i := s.Party(name)
	if i < 0 {
		t.Fatalf("no party %q in %v", name, s.Names())
	}
	return s.Parties[i].Profile
}

func TestReadDirJobs(t *testing.T) {
	s, err := ReadDir("testdata/jobs")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Names(), ","); got != "profileA,profileB" || s.Name != "jobs" {
		t.Fatalf("parties %s name %q", got, s.Name)
	}
	is := s.Space.Issues
	if len(is) != 4 || is[0].Name != "lease car" || is[2].Name != "fte" || is[2].Kind != parley.Real || is[2].Steps != 3 ||
		is[3].Kind != parley.Integer || is[3].Min != 36 || is[3].Max != 40 {
		t.Fatalf("issues %+v", is)
	}
	tests := []struct {
		party string
		bid   map[string]string
		want  float64
	}{
		// A: 0.2·1 + 0.4·0.5 + 0.2·(0.8−0.6)/0.4 + 0.2·(40−38)/4.
		{"profileA", map[string]string{"lease car": "yes", "salary": "3000", "fte": "0.8", "hours": "38"}, 0.6},
		{"profileA", map[string]string{"lease car": "no", "salary": "2000", "fte": "0.6", "hours": "40"}, 0},
		{"profileA", map[string]string{"lease car": "yes", "salary": "4000", "fte": "1", "hours": "36"}, 1},
		// B: 4000 is missing from the map and scores 0; hours below
		// lowValue 37 score 0; 38 is 0.5 + 0.5/3 rounded to 8 decimals.
		{"profileB", map[string]string{"lease car": "yes", "salary": "4000", "fte": "0.6", "hours": "38"}, 0.1*0.2 + 0.3*0 + 0.3*1 + 0.3*0.66666667},
		{"profileB", map[string]string{"lease car": "no", "salary": "2000", "fte": "1", "hours": "36"}, 0.1 + 0.3},
	}
	for _, tt := range tests {
		o := outcome(t, s.Space, tt.bid)
		if got := party(t, s, tt.party).Utility.Utility(o); !near(got, tt.want) {
			t.Errorf("%s: U(%s) = %.15g, want %.15g", tt.party, s.Space.Format(o), got, tt.want)
		}
	}
	// Reservation of B: its partial bid {lease car: no, salary: 3000}.
	if r := party(t, s, "profileB").Reservation; !near(r, 0.1*1+0.3*0.6) {
		t.Errorf("reservation %v, want 0.28", r)
	}
	if r := party(t, s, "profileA").Reservation; r != 0 {
		t.Errorf("null reservation bid gave %v", r)
	}
}

// example158 is the 1.5.8 serialisation of a profile in
// shared/reference/geniusweb-json-examples.txt (number issue, reservation
// bid).
const example158 = `{"LinearAdditiveUtilitySpace":{"domain":{"name":"example","issuesValues":{"color":{"values":["red","blue"]},"price":{"range":[1E+1,2E+1,0.5]}}},"name":"exampleA","issueUtilities":{"color":{"discreteutils":{"valueUtilities":{"red":1,"blue":0.3}}},"price":{"numberutils":{"lowValue":10,"lowUtility":1,"highValue":20,"highUtility":0}}},"issueWeights":{"color":0.4,"price":0.6},"reservationBid":{"issuevalues":{"color":"blue","price":20}}}}`

func TestParseProfile158(t *testing.T) {
	p, err := ParseProfile("exampleA.json", []byte(example158))
	if err != nil {
		t.Fatal(err)
	}
	price := p.Space.Issues[1]
	if price.Kind != parley.Real || price.Steps != 21 || price.Min != 10 || price.Max != 20 {
		t.Fatalf("price %+v", price)
	}
	o := outcome(t, p.Space, map[string]string{"color": "red", "price": "12.5"})
	if got := p.Utility.Utility(o); !near(got, 0.4+0.6*0.75) {
		t.Errorf("U = %v, want 0.85", got)
	}
	if !near(p.Reservation, 0.4*0.3) || p.Name != "exampleA" {
		t.Errorf("reservation %v name %q", p.Reservation, p.Name)
	}
}

func TestReadFiles(t *testing.T) {
	s, err := ReadFiles([]string{"testdata/jobs/profileB.json", "testdata/jobs/profileA.json"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Names(), ","); got != "profileB,profileA" {
		t.Errorf("order %s", got)
	}
	// profileB lists the issues in another order; the first file's order wins.
	if s.Space.Issues[0].Name != "salary" {
		t.Errorf("first issue %q", s.Space.Issues[0].Name)
	}
	other := filepath.Join(t.TempDir(), "other.json")
	if err := os.WriteFile(other, []byte(example158), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = ReadFiles([]string{"testdata/jobs/profileA.json", other})
	if err == nil || !strings.Contains(err.Error(), "other.json") || !strings.Contains(err.Error(), "domain") {
		t.Errorf("disagreeing domains: %v", err)
	}
}

func TestReadFS(t *testing.T) {
	s, err := ReadFS(os.DirFS("testdata"), "jobs")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "jobs" || len(s.Parties) != 2 {
		t.Errorf("%q %d", s.Name, len(s.Parties))
	}
}

// profileWith returns profileA of testdata/jobs with old replaced by new.
func profileWith(t *testing.T, old, new string) string {
	t.Helper()
	data, err := os.ReadFile("testdata/jobs/profileA.json")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	if !strings.Contains(s, old) {
		t.Fatalf("fixture lacks %q", old)
	}
	return strings.Replace(s, old, new, 1)
}

// TestBadInput checks that errors name the file, the line and the field.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name, data string
		line       int
		field      string
		want       string
	}{
		{"syntax error", profileWith(t, `"salary": 0.4,`, `"salary": 0.4`), 9, "", "JSON syntax"},
		{"weights off", profileWith(t, `"salary": 0.4,`, `"salary": 0.5,`), 9, "issueWeights", "weights sum to 1.09"},
		{"negative weight", profileWith(t, `"salary": 0.4, "fte": 0.2`, `"salary": 0.8, "fte": -0.2`), 9, `issueWeights["fte"]`, "weight -0.2 outside [0,1]"},
		{"missing weight", profileWith(t, `"lease car": 0.2, `, ``), 9, `issueWeights["lease car"]`, "missing"},
		{"unknown value", profileWith(t, `"4000": 1`, `"5000": 1`), 5, `issueUtilities["salary"].valueUtilities["5000"]`, `value "5000" is not in the domain`},
		{"utility above 1", profileWith(t, `"4000": 1`, `"4000": 1.5`), 5, `issueUtilities["salary"].valueUtilities["4000"]`, "utility 1.5 outside [0,1]"},
		{"unknown issue", profileWith(t, `"lease car": {"DiscreteValueSetUtilities"`, `"car": {"DiscreteValueSetUtilities"`), 4, `issueUtilities["car"]`, "no such issue"},
		{"unknown tag", profileWith(t, `"fte": {"NumberValueSetUtilities"`, `"fte": {"LinearUtilities"`), 6, `issueUtilities["fte"]`, "want {\"DiscreteValueSetUtilities\""},
		{"low above high", profileWith(t, `"lowValue": 0.6`, `"lowValue": 1.2`), 6, `issueUtilities["fte"].highValue`, "must exceed lowValue"},
		{"step does not divide", profileWith(t, `"fte": {"range": [0.6, 1.0, 0.2]}`, `"fte": {"range": [0.6, 1.0, 0.3]}`), 15, `domain.issuesValues["fte"].range`, "does not divide"},
		{"empty issue", profileWith(t, `"values": ["yes", "no"]`, `"values": []`), 13, `domain.issuesValues["lease car"].values`, "no values"},
		{"reservation value not in domain", profileWith(t, `"reservationBid": null`, `"reservationBid": {"issuevalues": {"salary": "9000"}}`), 20, `reservationBid.issuevalues["salary"]`, `value "9000" is not in the domain`},
		{"reservation number off the grid", profileWith(t, `"reservationBid": null`, `"reservationBid": {"issuevalues": {"hours": 36.5}}`), 20, `reservationBid.issuevalues["hours"]`, "not in the domain"},
		{"other profile type", `{"SumOfGroupsUtilitySpace": {}}`, 1, "SumOfGroupsUtilitySpace", "unsupported profile type"},
		{"not a profile", `{"name": "jobs"}`, 1, "", "not a GeniusWeb profile"},
		{"duplicate key", profileWith(t, `"lease car": 0.2,`, `"lease car": 0.2, "lease car": 0.2,`), 9, `"lease car"`, "key appears twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseProfile("bad.json", []byte(tt.data))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("%T is not a *geniusweb.Error: %v", err, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "geniusweb: bad.json") || !strings.Contains(msg, tt.want) || pe.Field != tt.field || pe.Line != tt.line {
				t.Errorf("error %q (line %d, field %s), want line %d field %s and %q", msg, pe.Line, pe.Field, tt.line, tt.field, tt.want)
			}
		})
	}
}

func TestReadDirErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), "no profile files") {
		t.Errorf("empty folder: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.json"), []byte("{\n\"a\": }"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), "broken.json:2") {
		t.Errorf("broken JSON: %v", err)
	}
}

func sameUtilities(t *testing.T, a, b *scenario.Scenario) {
	t.Helper()
	if a.Space.Size() != b.Space.Size() || len(a.Space.Issues) != len(b.Space.Issues) {
		t.Fatalf("space %d/%d, want %d/%d", b.Space.Size(), len(b.Space.Issues), a.Space.Size(), len(a.Space.Issues))
	}
	for i := range a.Space.Issues {
		x, y := a.Space.Issues[i], b.Space.Issues[i]
		if x.Name != y.Name || x.Kind != y.Kind || x.Size() != y.Size() || x.Min != y.Min || x.Max != y.Max ||
			strings.Join(x.Values, "\x00") != strings.Join(y.Values, "\x00") {
			t.Fatalf("issue %+v, want %+v", y, x)
		}
	}
	for _, p := range a.Parties {
		q := party(t, b, p.Name)
		if !near(q.Reservation, p.Profile.Reservation) {
			t.Errorf("%s: reservation %v, want %v", p.Name, q.Reservation, p.Profile.Reservation)
		}
		for o := 0; o < a.Space.Size(); o++ {
			if x, y := p.Profile.Utility.Utility(parley.Outcome(o)), q.Utility.Utility(parley.Outcome(o)); !near(x, y) {
				t.Fatalf("%s: U(%s) = %v, want %v", p.Name, a.Space.Format(parley.Outcome(o)), y, x)
			}
		}
	}
}

func TestWriteRoundTrip(t *testing.T) {
	s, err := ReadDir("testdata/jobs")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Write(dir, s); err != nil {
		t.Fatal(err)
	}
	back, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	sameUtilities(t, s, back)

	// A scenario built in Go: integer and real issues, a reservation value
	// that is the utility of some bid.
	space, err := parley.NewOutcomeSpace([]parley.Issue{
		{Name: "n", Kind: parley.Integer, Min: -2, Max: 3},
		{Name: "x", Kind: parley.Real, Min: 0, Max: 1, Steps: 11},
		{Name: "c", Kind: parley.Discrete, Values: []string{"a", "b"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(w []float64, ev [][]float64, r float64, name string) scenario.Party {
		u, err := ufun.NewLinearAdditive(space, w, ev, 0)
		if err != nil {
			t.Fatal(err)
		}
		return scenario.Party{Name: name, Profile: &parley.Profile{Name: name, Space: space, Utility: u, Reservation: r}}
	}
	lin := func(n int, lo, hi float64) []float64 {
		e := make([]float64, n)
		for k := range e {
			e[k] = lo + (hi-lo)*float64(k)/float64(n-1)
		}
		return e
	}
	built := &scenario.Scenario{Name: "built", Space: space, Parties: []scenario.Party{
		mk([]float64{0.5, 0.25, 0.25}, [][]float64{lin(6, 0, 1), lin(11, 1, 0.5), {0.25, 1}}, 0.5*0.4+0.25, "one"),
		mk([]float64{0.2, 0.4, 0.4}, [][]float64{lin(6, 1, 0), {0, 0, 0, 0.25, 0.5, 0.75, 1, 0, 0, 0, 0}, {1, 0}}, 0, "two"),
	}}
	dir = t.TempDir()
	if err := Write(dir, built); err != nil {
		t.Fatal(err)
	}
	back, err = ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	sameUtilities(t, built, back)
}

func TestWriteErrors(t *testing.T) {
	s, err := ReadDir("testdata/jobs")
	if err != nil {
		t.Fatal(err)
	}
	a := *party(t, s, "profileA")
	discounted := a
	discounted.Discount = 0.9
	odd := a
	odd.Reservation = 0.123456789
	u := scenario.Base(a.Utility).(*ufun.LinearAdditive)
	ev := append([][]float64(nil), u.Evals()...)
	ev[3] = []float64{1, 0.2, 0.9, 0.1, 0}
	bumpy, err := ufun.NewLinearAdditive(s.Space, u.Weights(), ev, 0)
	if err != nil {
		t.Fatal(err)
	}
	nonlin := a
	nonlin.Utility = bumpy
	bonus, err := ufun.NewLinearAdditive(s.Space, u.Weights(), u.Evals(), 0.2)
	if err != nil {
		t.Fatal(err)
	}
	withBonus := a
	withBonus.Utility = bonus
	heavy := u.Weights()
	heavy[0] += 0.0000518
	asWritten, err := ufun.NewLinearAdditiveAsWritten(s.Space, heavy, u.Evals(), 0)
	if err != nil {
		t.Fatal(err)
	}
	overweight := a
	overweight.Utility = asWritten
	tests := []struct {
		name string
		p    *parley.Profile
		want string
	}{
		{"discount", &discounted, "discount factor 0.9"},
		{"reservation of no bid", &odd, "reservation value 0.123456789 is the utility of no bid"},
		{"non-linear number issue", &nonlin, `issue "hours": utilities are not linear`},
		{"bonus", &withBonus, "agreement bonus 0.2"},
		{"weights as written", &overweight, "GeniusWeb needs them to sum to 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteProfile(&bytes.Buffer{}, "jobs", tt.p)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), `party "profileA"`) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}
