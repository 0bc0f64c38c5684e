package genius

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

// outcome encodes the named values of s's space; it fails the test on a bad
// name.
func outcome(t testing.TB, space *parley.OutcomeSpace, values ...string) parley.Outcome {
	t.Helper()
	named := map[string]string{}
	for i, v := range values {
		named[space.Issues[i].Name] = v
	}
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

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12 }

// TestReadDirFixtures checks utilities of the hand-written fixtures against
// values computed by hand from the XML.
func TestReadDirFixtures(t *testing.T) {
	tests := []struct {
		dir, party string
		values     []string
		want       float64
	}{
		// a: weights 0.75, 0.25; Color 5,7,1 / 7; Size 2,4 / 4.
		{"small", "a", []string{"red", "S"}, 0.75*5.0/7 + 0.25*0.5},
		{"small", "a", []string{"green", "M"}, 1},
		{"small", "a", []string{"blue", "S"}, 0.75/7 + 0.25*0.5},
		// b: weights before issues; Color 0, .5, 1; Size 1, 0.
		{"small", "b", []string{"red", "S"}, 0.6},
		{"small", "b", []string{"green", "M"}, 0.2},
		{"small", "b", []string{"blue", "S"}, 1},
		// buyer: weights 0.25, 0.5, 0.25; "044" is 44, so crème = 1 and noir = 11/44;
		// Hours 1 - 0.25(h-8); Price 0.1x on 21 points of [0,10].
		{"mixed", "buyer", []string{"crème", "8", "0"}, 0.25 + 0.5},
		{"mixed", "buyer", []string{"noir", "10", "5"}, 0.25*0.25 + 0.5*0.5 + 0.25*0.5},
		// seller: Café 1/3, 1; Hours 0.25(h-8); Price clamp01(1.5-0.2x).
		{"mixed", "seller", []string{"noir", "12", "5"}, 0.5 + 0.25 + 0.25*0.5},
		{"mixed", "seller", []string{"crème", "10", "2.5"}, 0.5/3 + 0.25*0.5 + 0.25},
		{"mixed", "seller", []string{"crème", "8", "10"}, 0.5 / 3},
		// p1: rect 10 on x in 2..3, y in 0..1; exclusive 4*0.5 when y != 2;
		// nested ufun (weight 2) adding 3 when x = 4; max 20.
		{"nonlinear", "p1", []string{"2", "0"}, 12.0 / 20},
		{"nonlinear", "p1", []string{"4", "2"}, 6.0 / 20},
		{"nonlinear", "p1", []string{"4", "1"}, 8.0 / 20},
		{"nonlinear", "p1", []string{"1", "2"}, 0},
		// p2: an unconditional rectangle; the empty INCLUDES never holds.
		{"nonlinear", "p2", []string{"3", "2"}, 1},
	}
	loaded := map[string]*scenario.Scenario{}
	for _, tt := range tests {
		t.Run(tt.dir+"/"+tt.party+"/"+strings.Join(tt.values, ","), func(t *testing.T) {
			s := loaded[tt.dir]
			if s == nil {
				var err error
				if s, err = ReadDir(filepath.Join("testdata", tt.dir)); err != nil {
					t.Fatal(err)
				}
				loaded[tt.dir] = s
			}
			p := party(t, s, tt.party)
			o := outcome(t, s.Space, tt.values...)
			if got := p.Utility.Utility(o); !near(got, tt.want) {
				t.Errorf("U(%s) = %.15g, want %.15g", s.Space.Format(o), got, tt.want)
			}
		})
	}
}

func TestReadDirMetadata(t *testing.T) {
	s, err := ReadDir("testdata/small")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "small" || s.Source != "testdata/small" || strings.Join(s.Names(), ",") != "a,b" {
		t.Errorf("name %q source %q parties %v", s.Name, s.Source, s.Names())
	}
	b := party(t, s, "b")
	if b.Reservation != 0.25 || b.Discount != 0.9 || b.Name != "b" || b.Space != s.Space {
		t.Errorf("b: %+v", b)
	}
	a := party(t, s, "a")
	if a.Reservation != 0 || a.Discount != 1 {
		t.Errorf("a: reservation %v discount %v, want 0 and 1", a.Reservation, a.Discount)
	}

	m, err := ReadDir("testdata/mixed") // pareto.xml is skipped
	if err != nil {
		t.Fatal(err)
	}
	issues := m.Space.Issues
	if len(issues) != 3 || issues[0].Name != "Café" || issues[0].Values[0] != "crème" ||
		issues[1].Kind != parley.Integer || issues[1].Min != 8 || issues[1].Max != 12 ||
		issues[2].Kind != parley.Real || issues[2].Steps != DefaultRealSteps {
		t.Errorf("mixed issues: %+v", issues)
	}
	if d := party(t, m, "buyer").Discount; d != 1 {
		t.Errorf("discount_factor 2 read as %v, want 1", d)
	}
	if m.Space.Size() != 2*5*21 {
		t.Errorf("mixed has %d outcomes, want %d", m.Space.Size(), 2*5*21)
	}

	m11, err := Reader{RealSteps: 11}.ReadDir("testdata/mixed")
	if err != nil {
		t.Fatal(err)
	}
	if st := m11.Space.Issues[2].Steps; st != 11 {
		t.Errorf("RealSteps 11 gave %d steps", st)
	}

	nl, err := ReadDir("testdata/nonlinear")
	if err != nil {
		t.Fatal(err)
	}
	p1 := party(t, nl, "p1")
	if _, ok := scenario.Base(p1.Utility).(*ufun.Constraint); !ok || p1.Reservation != 0.1 || p1.Discount != 0.5 {
		t.Errorf("p1: %T reservation %v discount %v", p1.Utility, p1.Reservation, p1.Discount)
	}
}

func TestReadFiles(t *testing.T) {
	s, err := ReadFiles("testdata/small/small_domain.xml", []string{"testdata/small/b.xml", "testdata/small/a.xml"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Names(), ","); got != "b,a" || s.Name != "small" {
		t.Errorf("parties %s, name %q", got, s.Name)
	}
	if _, err := ReadFiles("testdata/small/small_domain.xml", []string{"testdata/small/a.xml"}); err == nil {
		t.Error("one profile: no error")
	}
}

func TestReadFS(t *testing.T) {
	s, err := ReadFS(os.DirFS("testdata"), "small")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "small" || len(s.Parties) != 2 {
		t.Errorf("name %q, %d parties", s.Name, len(s.Parties))
	}
}

const smallDomain = `<negotiation_template>
<utility_space>
<objective index="0" name="small">
<issue index="1" name="Color" type="discrete">
<item value="red"/><item value="blue"/>
</issue>
<issue index="2" name="Size" type="discrete">
<item value="S"/><item value="M"/>
</issue>
</objective>
</utility_space>
</negotiation_template>
`

// profileXML builds a small profile; body goes inside the objective.
func profileXML(head, body string) string {
	return "<utility_space>\n" + head + "<objective index=\"0\" name=\"small\">\n" + body + "</objective>\n</utility_space>\n"
}

const goodIssues = `<issue index="1" name="Color" type="discrete">
<item value="red" evaluation="1"/><item value="blue" evaluation="2"/>
</issue>
<issue index="2" name="Size" type="discrete">
<item value="S" evaluation="1"/><item value="M" evaluation="2"/>
</issue>
`

// TestBadInput checks that bad files give errors naming the file, the line
// and the offending issue, value or field.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name    string
		domain  string
		profile string // empty: only the domain is parsed
		file    string // file the error must name
		line    int
		want    string
	}{
		{"syntax error", smallDomain, "<utility_space>\n<objective index=\"0\">\n<issue index=\"1\" name=\"Color\"\n</objective>\n</utility_space>\n",
			"p.xml", 4, "XML syntax"},
		// blue is evaluated only as purple, which the domain does not have.
		{"value without evaluation", smallDomain, profileXML("", strings.Replace(goodIssues, `value="blue"`, `value="purple"`, 1)+
			"<weight index=\"1\" value=\"1\"/>\n<weight index=\"2\" value=\"1\"/>\n"),
			"p.xml", 3, `issue "Color": value "blue" has no evaluation`},
		{"missing evaluation", smallDomain, profileXML("", strings.Replace(goodIssues, `value="blue" evaluation="2"`, `value="blue"`, 1)+
			`<weight index="1" value="1"/><weight index="2" value="1"/>`+"\n"),
			"p.xml", 4, `value "blue" has no evaluation`},
		{"negative weight", smallDomain, profileXML("", goodIssues+"<weight index=\"1\" value=\"-0.5\"/>\n<weight index=\"2\" value=\"1\"/>\n"),
			"p.xml", 9, `issue "Color": negative weight -0.5`},
		{"all-zero weights", smallDomain, profileXML("", goodIssues+"<weight index=\"1\" value=\"0\"/>\n<weight index=\"2\" value=\"0\"/>\n"),
			"p.xml", 2, "issue weights sum to 0"},
		{"missing weight", smallDomain, profileXML("", goodIssues+"<weight index=\"1\" value=\"1\"/>\n"),
			"p.xml", 2, `issue "Size" has no weight`},
		{"bad weight number", smallDomain, profileXML("", goodIssues+"<weight index=\"1\" value=\"heavy\"/>\n<weight index=\"2\" value=\"1\"/>\n"),
			"p.xml", 9, `value "heavy" is not a number`},
		{"reservation above 1", smallDomain, profileXML("<reservation value=\"1.5\"/>\n", goodIssues+"<weight index=\"1\" value=\"1\"/>\n<weight index=\"2\" value=\"1\"/>\n"),
			"p.xml", 2, "reservation value 1.5 outside [0,1]"},
		{"reservation negative", smallDomain, profileXML("<reservation value=\"-0.1\"/>\n", goodIssues+"<weight index=\"1\" value=\"1\"/>\n<weight index=\"2\" value=\"1\"/>\n"),
			"p.xml", 2, "reservation value -0.1 outside [0,1]"},
		{"negative evaluation", smallDomain, profileXML("", strings.Replace(goodIssues, `evaluation="2"`, `evaluation="-2"`, 1)+
			"<weight index=\"1\" value=\"1\"/>\n<weight index=\"2\" value=\"1\"/>\n"), "p.xml", 4, `value "blue": negative evaluation -2`},
		{"empty issue", "<negotiation_template><utility_space><objective index=\"0\">\n<issue index=\"1\" name=\"Empty\" type=\"discrete\">\n</issue>\n</objective></utility_space></negotiation_template>",
			"", "d.xml", 2, `issue "Empty": no values`},
		{"duplicate issue index", "<negotiation_template><utility_space><objective index=\"0\">\n<issue index=\"1\" name=\"A\"><item value=\"x\"/></issue>\n<issue index=\"1\" name=\"B\"><item value=\"x\"/></issue>\n</objective></utility_space></negotiation_template>",
			"", "d.xml", 3, "issue index 1 already used at line 2"},
		{"bad integer bound", "<negotiation_template><utility_space><objective index=\"0\">\n<issue index=\"1\" name=\"N\" type=\"integer\" lowerbound=\"1\" upperbound=\"x\"/>\n</objective></utility_space></negotiation_template>",
			"", "d.xml", 2, `upperbound "x" is not an integer`},
		{"unknown issue type", "<negotiation_template><utility_space><objective index=\"0\">\n<issue index=\"1\" name=\"N\" type=\"complex\"/>\n</objective></utility_space></negotiation_template>",
			"", "d.xml", 2, `issue "N": unknown issue kind "complex"`},
		{"domain with wrong root", "<utility_space/>", "", "d.xml", 1, "want <negotiation_template>"},
		{"not XML", "0.5, 0.5\n", "", "d.xml", 0, "no XML root element"},
		{"nonlinear bound on a discrete issue", smallDomain, `<utility_space type="nonlinear"><objective index="0">
<utility maxutility="1"><ufun aggregation="sum"><hyperRectangle utility="1">
<INCLUDES index="1" min="0" max="1"/>
</hyperRectangle></ufun></utility></objective></utility_space>`, "p.xml", 3, `bounds discrete issue "Color"`},
		{"nonlinear min aggregation", smallDomain, `<utility_space type="nonlinear"><objective index="0">
<utility maxutility="1"><ufun aggregation="min"/></utility></objective></utility_space>`, "p.xml", 2, `ufun aggregation "min" is not supported`},
		{"real issue without evaluator", "<negotiation_template><utility_space><objective index=\"0\">\n<issue index=\"1\" name=\"R\" type=\"real\"><range lowerbound=\"0\" upperbound=\"1\"/></issue>\n</objective></utility_space></negotiation_template>",
			"<utility_space><objective index=\"0\">\n<issue index=\"1\" name=\"R\" type=\"real\">\n<range lowerbound=\"0\" upperbound=\"1\"/></issue>\n<weight index=\"1\" value=\"1\"/>\n</objective></utility_space>", "p.xml", 2, `issue "R": real issue without an <evaluator>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDomain("d.xml", []byte(tt.domain))
			if tt.profile != "" {
				if err != nil {
					t.Fatalf("domain: %v", err)
				}
				_, _, err = ParseProfile("p.xml", []byte(tt.profile), d)
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "genius: ") || !strings.Contains(msg, tt.want) || !strings.Contains(msg, tt.file) {
				t.Errorf("error %q, want it to start with genius: and name %s and %q", msg, tt.file, tt.want)
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *genius.Error", err)
			}
			if pe.File != tt.file || pe.Line != tt.line {
				t.Errorf("error at %s:%d, want %s:%d (%v)", pe.File, pe.Line, tt.file, tt.line, err)
			}
		})
	}
}

func TestReadDirErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), "no domain file") {
		t.Errorf("empty folder: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "d.xml"), []byte(smallDomain), 0o644); err != nil {
		t.Fatal(err)
	}
	p := profileXML("", goodIssues+"<weight index=\"1\" value=\"1\"/>\n<weight index=\"2\" value=\"1\"/>\n")
	if err := os.WriteFile(filepath.Join(dir, "only.xml"), []byte(p), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), "needs at least 2") {
		t.Errorf("one profile: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "other.xml"), []byte(strings.Replace(p, `value="S"`, `value="XL"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "other.xml")+":") {
		t.Errorf("bad second profile: %v", err)
	}
}

// roundTrip writes s, reads it back and compares space and utilities on
// every outcome (at most limit of them, evenly spread).
func roundTrip(t *testing.T, s *scenario.Scenario, limit int) {
	t.Helper()
	dir := t.TempDir()
	if err := Write(dir, s); err != nil {
		t.Fatal(err)
	}
	back, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	sameSpace(t, s.Space, back.Space)
	if len(back.Parties) != len(s.Parties) {
		t.Fatalf("%d parties back, want %d", len(back.Parties), len(s.Parties))
	}
	n := s.Space.Size()
	step := 1
	if n > limit {
		step = n / limit
	}
	for _, p := range s.Parties {
		q := party(t, back, p.Name)
		if q.Reservation != p.Profile.Reservation || q.DiscountFactor() != p.Profile.DiscountFactor() {
			t.Errorf("%s: reservation %v discount %v, want %v %v", p.Name, q.Reservation, q.Discount, p.Profile.Reservation, p.Profile.DiscountFactor())
		}
		for o := 0; o < n; o += step {
			a, b := p.Profile.Utility.Utility(parley.Outcome(o)), q.Utility.Utility(parley.Outcome(o))
			if !near(a, b) {
				t.Fatalf("%s: U(%s) = %v after round trip, want %v", p.Name, s.Space.Format(parley.Outcome(o)), b, a)
			}
		}
	}
}

func sameSpace(t *testing.T, a, b *parley.OutcomeSpace) {
	t.Helper()
	if len(a.Issues) != len(b.Issues) || a.Size() != b.Size() {
		t.Fatalf("space differs: %d issues %d outcomes, want %d %d", len(b.Issues), b.Size(), len(a.Issues), a.Size())
	}
	for i := range a.Issues {
		x, y := a.Issues[i], b.Issues[i]
		if x.Name != y.Name || x.Kind != y.Kind || x.Min != y.Min || x.Max != y.Max || x.Steps != y.Steps ||
			strings.Join(x.Values, "\x00") != strings.Join(y.Values, "\x00") {
			t.Fatalf("issue %d: %+v, want %+v", i, y, x)
		}
	}
}

func TestWriteRoundTripFixtures(t *testing.T) {
	for _, dir := range []string{"small", "mixed", "nonlinear"} {
		t.Run(dir, func(t *testing.T) {
			s, err := ReadDir(filepath.Join("testdata", dir))
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, s, 1<<20)
		})
	}
	t.Run("steps", func(t *testing.T) {
		s, err := Reader{RealSteps: 7}.ReadDir("testdata/mixed")
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, s, 1<<20) // the steps attribute carries the grid
	})
}

// TestWriteErrors checks what GENIUS cannot express.
func TestWriteErrors(t *testing.T) {
	s, err := ReadDir("testdata/mixed")
	if err != nil {
		t.Fatal(err)
	}
	space := s.Space
	build := func(t *testing.T, evals [][]float64, bonus float64) *parley.Profile {
		u, err := ufun.NewLinearAdditive(space, []float64{0.5, 0.25, 0.25}, evals, bonus)
		if err != nil {
			t.Fatal(err)
		}
		return &parley.Profile{Name: "x", Space: space, Utility: u}
	}
	lin := func(n int) []float64 {
		e := make([]float64, n)
		for k := range e {
			e[k] = float64(k) / float64(n-1)
		}
		return e
	}
	bumpy := func(n int) []float64 {
		e := lin(n)
		e[1] = 0.9
		return e
	}
	tests := []struct {
		name string
		p    *parley.Profile
		want string
	}{
		{"bonus", build(t, [][]float64{{1, 0}, lin(5), lin(21)}, 0.1), `party "x": agreement bonus 0.1`},
		{"discrete best below 1", build(t, [][]float64{{0.8, 0}, lin(5), lin(21)}, 0), `issue "Café": best evaluation is 0.8`},
		{"integer not linear", build(t, [][]float64{{1, 0}, bumpy(5), lin(21)}, 0), `issue "Hours": evaluations are not a (clamped) linear function of the value, and GENIUS integer evaluators are linear (slope and offset) only`},
		{"real not linear", build(t, [][]float64{{1, 0}, lin(5), bumpy(21)}, 0), `issue "Price": evaluations are not a (clamped) linear function`},
		{"table without source", &parley.Profile{Name: "x", Space: space, Utility: parley.UtilityFunc(func(parley.Outcome) float64 { return 0 })}, "has no GENIUS form"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteProfile(&bytes.Buffer{}, tt.p)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "genius: ") {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	t.Run("table is unwrapped", func(t *testing.T) {
		p := *party(t, s, "buyer")
		tab, err := ufun.NewTable(space, p.Utility)
		if err != nil {
			t.Fatal(err)
		}
		p.Utility = tab
		if err := WriteProfile(&bytes.Buffer{}, &p); err != nil {
			t.Error(err)
		}
	})
}

// TestRealEvaluators checks the real evaluator shapes of EVALFUNCTYPE on
// the mixed domain's Price issue (21 points of [0,10]).
func TestRealEvaluators(t *testing.T) {
	data, err := os.ReadFile("testdata/mixed/mixed_domain.xml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseDomain("mixed_domain.xml", data)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		evaluator string
		x         []float64
		want      []float64
	}{
		{`ftype="linear" parameter0="0.2" parameter1="0.1"`, []float64{0, 5, 10}, []float64{0.2, 0.7, 1}},
		{`ftype="constant" parameter0="0.3"`, []float64{0, 10}, []float64{0.3, 0.3}},
		{`ftype="triangular" parameter0="2" parameter1="10" parameter2="4"`, []float64{0, 2, 3, 4, 7, 10}, []float64{0, 0, 0.5, 1, 0.5, 0}},
		{`ftype="triangular_variable_top" parameter0="0" parameter1="10" parameter2="5" parameter3="0.8"`, []float64{2.5, 5, 7.5}, []float64{0.4, 0.8, 0.4}},
	}
	for _, tt := range tests {
		t.Run(tt.evaluator, func(t *testing.T) {
			prof := "<utility_space><objective index=\"1\">\n" +
				"<issue index=\"2\" name=\"Café\"><item value=\"crème\" evaluation=\"1\"/><item value=\"noir\" evaluation=\"1\"/></issue>\n" +
				"<issue index=\"3\" name=\"Hours\" lowerbound=\"8\" upperbound=\"12\"><evaluator ftype=\"linear\" slope=\"0\" offset=\"0\"/></issue>\n" +
				"<issue index=\"4\" name=\"Price\"><range lowerbound=\"0\" upperbound=\"10\"/><evaluator " + tt.evaluator + "/></issue>\n" +
				"<weight index=\"2\" value=\"0\"/><weight index=\"3\" value=\"0\"/><weight index=\"4\" value=\"1\"/>\n" +
				"</objective></utility_space>"
			p, _, err := ParseProfile("p.xml", []byte(prof), d)
			if err != nil {
				t.Fatal(err)
			}
			for i, x := range tt.x {
				k, err := d.Space.Issues[2].IndexOf(x)
				if err != nil {
					t.Fatal(err)
				}
				o, err := d.Space.Encode([]int{0, 0, k})
				if err != nil {
					t.Fatal(err)
				}
				if got := p.Utility.Utility(o); !near(got, tt.want[i]) {
					t.Errorf("eval(%v) = %v, want %v", x, got, tt.want[i])
				}
			}
		})
	}
}

func TestWriteRefusesExtras(t *testing.T) {
	s, err := ReadDir(filepath.Join("testdata", "small"))
	if err != nil {
		t.Fatal(err)
	}
	s.Parties[0].Profile.Vetoes = []parley.ValueRef{{Issue: 0, Value: 0}}
	err = Write(t.TempDir(), s)
	if err == nil || !strings.Contains(err.Error(), "red lines") {
		t.Fatalf("writing red lines to GENIUS: %v", err)
	}
}

// TestIntegerIssueWithoutBounds: GENIUS 9 fails on a profile whose
// integer issue lacks lowerbound or upperbound (EvaluatorInteger parses
// both); Parley says so instead of borrowing the domain's bounds.
func TestIntegerIssueWithoutBounds(t *testing.T) {
	domain, err := os.ReadFile(filepath.Join("testdata", "mixed", "mixed_domain.xml"))
	if err != nil {
		t.Fatal(err)
	}
	buyer, err := os.ReadFile(filepath.Join("testdata", "mixed", "buyer.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, drop := range []string{` lowerbound="8"`, ` upperbound="12"`} {
		b := strings.Replace(string(buyer), `name="Hours" type="integer"`+drop, `name="Hours" type="integer"`, 1)
		b = strings.Replace(b, drop+`>`, `>`, 1)
		if b == string(buyer) {
			t.Fatalf("%s: the fixture changed", drop)
		}
		dir := t.TempDir()
		for name, data := range map[string][]byte{"d.xml": domain, "buyer.xml": []byte(b), "seller.xml": buyer} {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		_, err := ReadFiles(filepath.Join(dir, "d.xml"), []string{filepath.Join(dir, "buyer.xml"), filepath.Join(dir, "seller.xml")})
		if err == nil || !strings.Contains(err.Error(), "buyer.xml") || !strings.Contains(err.Error(), "bound") {
			t.Errorf("without%s: got %v, want an error naming buyer.xml and the bounds", drop, err)
		}
	}
}
