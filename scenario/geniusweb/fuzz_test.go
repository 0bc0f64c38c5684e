package geniusweb

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/parley-dev/parley"
)

// FuzzParseProfile: no panic, and a profile that parses writes and parses
// back to the same utilities and reservation value.
func FuzzParseProfile(f *testing.F) {
	files, err := filepath.Glob("testdata/*/*.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(example158))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseProfile("p.json", data)
		if err != nil || p.Space.Size() > 1<<16 {
			return
		}
		var buf bytes.Buffer
		if err := WriteProfile(&buf, "fuzz", p); err != nil {
			return // not every profile has a form to write (e.g. a reservation of no bid)
		}
		q, err := ParseProfile("back.json", buf.Bytes())
		if err != nil {
			t.Fatalf("written profile does not parse: %v\n%s", err, buf.Bytes())
		}
		if q.Space.Size() != p.Space.Size() || !near(q.Reservation, p.Reservation) {
			t.Fatalf("size %d reservation %v, want %d %v", q.Space.Size(), q.Reservation, p.Space.Size(), p.Reservation)
		}
		for o := 0; o < p.Space.Size(); o++ {
			if a, b := p.Utility.Utility(parley.Outcome(o)), q.Utility.Utility(parley.Outcome(o)); !near(a, b) {
				t.Fatalf("U(%d) = %v after round trip, want %v\n%s", o, b, a, buf.Bytes())
			}
		}
	})
}
