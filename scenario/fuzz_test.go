package scenario

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
)

// addSeeds adds every testdata file with the extension, the built-in
// ceasefire scenario (for YAML) and the small inline scenarios of the
// tests as fuzz seeds.
func addSeeds(f *testing.F, ext string, inline ...string) {
	files, err := filepath.Glob(filepath.Join("testdata", "*"+ext))
	if err != nil {
		f.Fatal(err)
	}
	if ext == ".yaml" {
		files = append(files, ceasefireFile)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range inline {
		f.Add([]byte(s))
	}
}

func FuzzParseYAML(f *testing.F) {
	addSeeds(f, ".yaml", base, strings.Replace(realBase, "references:", partyC+"references:", 1)+protocolBlock, assumeBase, "", "name: x\n", "issues: [{name: a, values: [x, y]}]\nparties: [{name: p, weights: {a: 1}, values: {a: {x: 1, y: 0}}}, {name: q, model: constraint, max: 1, rects: [{utility: 1}]}]\n")
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, "yaml") })
}

func FuzzParseJSON(f *testing.F) {
	addSeeds(f, ".json", baseJSON, "", "{}", `{"issues": [{"name": "a", "type": "integer", "min": 0, "max": 2}]}`)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, "json") })
}

// checkParse parses data; a failure must be an *Error naming the file. A
// scenario that parses must write and read back in both formats with the
// same utilities, exactly (checked on spaces of up to 10,000 outcomes).
func checkParse(t *testing.T, data []byte, format string) {
	s, err := Parse("fuzz."+format, data, format)
	if err != nil {
		var se *Error
		if !errors.As(err, &se) || se.File != "fuzz."+format || se.Line <= 0 {
			t.Fatalf("error %T without position: %v", err, err)
		}
		return
	}
	for _, out := range []string{"yaml", "json"} {
		var b bytes.Buffer
		write := WriteYAML
		if out == "json" {
			write = WriteJSON
		}
		if err := write(&b, s); err != nil {
			t.Fatalf("write %s: %v", out, err)
		}
		back, err := Parse("written."+out, b.Bytes(), out)
		if err != nil {
			t.Fatalf("read back %s: %v\n%s", out, err, b.String())
		}
		if back.Space.Size() != s.Space.Size() || len(back.Parties) != len(s.Parties) || len(back.References) != len(s.References) {
			t.Fatalf("%s: shape changed\n%s", out, b.String())
		}
		if !reflect.DeepEqual(s.Assumptions, back.Assumptions) {
			t.Fatalf("%s: assumptions %+v became %+v\n%s", out, s.Assumptions, back.Assumptions, b.String())
		}
		if !reflect.DeepEqual(s.Protocol, back.Protocol) {
			t.Fatalf("%s: protocol %+v became %+v\n%s", out, s.Protocol, back.Protocol, b.String())
		}
		if s.Space.Size() > 10000 {
			continue
		}
		for i := range s.Parties {
			p, q := s.Parties[i].Profile, back.Parties[i].Profile
			if p.Reservation != q.Reservation || p.DiscountFactor() != q.DiscountFactor() {
				t.Fatalf("%s: party %d reservation/discount changed", out, i)
			}
			if !sameRealism(p, q) {
				t.Fatalf("%s: party %d: realism %s became %s", out, i, realism(p), realism(q))
			}
			for o := range s.Space.Size() {
				u, v := p.Utility.Utility(parley.Outcome(o)), q.Utility.Utility(parley.Outcome(o))
				if u != v && !(math.IsNaN(u) && math.IsNaN(v)) { // the writers promise exactness, stricter than parley.Eps
					t.Fatalf("%s: party %q at %s: %v became %v\n%s", out, p.Name, s.Space.Format(parley.Outcome(o)), u, v, b.String())
				}
			}
		}
	}
}

// FuzzDecodeYAML checks the bounded decoder of other YAML files (the
// tournament file): no panic, and every failure an *Error naming the file.
func FuzzDecodeYAML(f *testing.F) {
	f.Add([]byte("agents: [boulware, conceder]\nscenarios: [ceasefire]\nreps: 3\nlimit: 1m\n"))
	f.Add([]byte("a: &a [x, x]\nb: &b [*a, *a]\nagents: *b\n"))
	f.Add([]byte("\xef\xbb\xbfreps: 1\n"))
	f.Add([]byte("agents: !!seq [a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var v struct {
			Agents    []string `yaml:"agents"`
			Scenarios []string `yaml:"scenarios"`
			Reps      int      `yaml:"reps"`
			Limit     string   `yaml:"limit"`
			SelfPlay  bool     `yaml:"self_play"`
		}
		err := DecodeYAML("fuzz.yaml", data, &v)
		var se *Error
		if err != nil && (!errors.As(err, &se) || se.File != "fuzz.yaml") {
			t.Fatalf("error %T not naming the file: %v", err, err)
		}
		var m map[string]any
		_ = DecodeYAML("fuzz.yaml", data, &m)
	})
}

// FuzzExcerpt checks that excerpts never panic and stay short whatever
// the position and text.
func FuzzExcerpt(f *testing.F) {
	f.Add([]byte("a\nbb\nccc\n"), 2, 2)
	f.Add([]byte(strings.Repeat("x", 500)), 1, 400)
	f.Add([]byte("\xff\xfe\n\r\n"), 3, 0)
	f.Fuzz(func(t *testing.T, data []byte, line, col int) {
		e := Excerpt(data, line, col)
		if lines := strings.Count(e, "\n") + 1; lines > 8 {
			t.Fatalf("%d lines", lines)
		}
		if line > 0 && col > 0 && col < 1<<20 && len(e) > 8*(4*excerptWidth+20)+col {
			t.Fatalf("excerpt of %d bytes", len(e))
		}
	})
}
