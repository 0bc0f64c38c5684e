package genius

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/parley-dev/parley"
)

// seeds adds every testdata file matching pattern to f, one argument each.
func seedFiles(f *testing.F, pattern string) [][]byte {
	f.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil {
		f.Fatal(err)
	}
	var out [][]byte
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// FuzzParseDomain: no panic, and a domain that parses writes and parses
// back to the same space.
func FuzzParseDomain(f *testing.F) {
	for _, d := range seedFiles(f, "testdata/*/*domain*.xml") {
		f.Add(d)
	}
	f.Add([]byte("<negotiation_template><utility_space><objective><issue index=\"1\" name=\"n\" type=\"real\" steps=\"3\"><range lowerbound=\"-1\" upperbound=\"1e3\"/></issue></objective></utility_space></negotiation_template>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDomain("d.xml", data)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteDomain(&buf, d.Name, d.Space); err != nil {
			return // e.g. a name XML cannot carry
		}
		back, err := ParseDomain("back.xml", buf.Bytes())
		if err != nil {
			t.Fatalf("written domain does not parse: %v\n%s", err, buf.Bytes())
		}
		sameSpace(t, d.Space, back.Space)
	})
}

// FuzzParseProfile: no panic, and a profile that parses writes and parses
// back to the same utilities.
func FuzzParseProfile(f *testing.F) {
	for _, dir := range []string{"small", "mixed", "nonlinear"} {
		dom := seedFiles(f, filepath.Join("testdata", dir, "*domain*.xml"))[0]
		for _, p := range seedFiles(f, filepath.Join("testdata", dir, "*.xml")) {
			if !bytes.Equal(p, dom) {
				f.Add(dom, p)
			}
		}
	}
	f.Fuzz(func(t *testing.T, domain, profile []byte) {
		d, err := ParseDomain("d.xml", domain)
		if err != nil || d.Space.Size() > 1<<16 {
			return
		}
		p, _, err := ParseProfile("p.xml", profile, d)
		if err != nil {
			return
		}
		var dbuf, pbuf bytes.Buffer
		if err := WriteDomain(&dbuf, d.Name, d.Space); err != nil {
			return
		}
		if err := WriteProfile(&pbuf, p); err != nil {
			return // not every GENIUS profile has a linear form to write
		}
		d2, err := ParseDomain("back_domain.xml", dbuf.Bytes())
		if err != nil {
			t.Fatalf("written domain does not parse: %v", err)
		}
		q, _, err := ParseProfile("back.xml", pbuf.Bytes(), d2)
		if err != nil {
			t.Fatalf("written profile does not parse: %v\n%s", err, pbuf.Bytes())
		}
		if q.Reservation != p.Reservation || q.DiscountFactor() != p.DiscountFactor() {
			t.Fatalf("reservation/discount %v/%v, want %v/%v", q.Reservation, q.Discount, p.Reservation, p.Discount)
		}
		for o := 0; o < d.Space.Size(); o++ {
			a, b := p.Utility.Utility(parley.Outcome(o)), q.Utility.Utility(parley.Outcome(o))
			if !near(a, b) {
				t.Fatalf("U(%d) = %v after round trip, want %v", o, b, a)
			}
		}
	})
}
