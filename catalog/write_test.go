package catalog_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/catalog"
)

// TestWrite: a scenario written in each format opens again with every
// party's utility of every outcome unchanged; the extension names the
// Parley formats; an unknown format is ErrUnknownFormat.
func TestWrite(t *testing.T) {
	for path, want := range map[string]string{"a.yaml": "yaml", "a.YML": "yaml", "a.json": "json", "a.xml": "", "a": ""} {
		if got := catalog.FormatOf(path); got != want {
			t.Errorf("FormatOf(%q) = %q, want %q", path, got, want)
		}
	}
	s, err := catalog.Open("ceasefire", catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, tc := range []struct{ format, path string }{{"yaml", "s.yaml"}, {"json", "s.json"}} {
		path := filepath.Join(dir, tc.path)
		if err := catalog.Write(path, tc.format, s); err != nil {
			t.Fatalf("%s: %v", tc.format, err)
		}
		back, err := catalog.Open(path, catalog.Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.format, err)
		}
		for i, p := range s.Parties {
			for o := range s.Space.Size() {
				if a, b := p.Profile.Utility.Utility(parley.Outcome(o)), back.Parties[i].Profile.Utility.Utility(parley.Outcome(o)); a != b {
					t.Fatalf("%s: party %s outcome %d: %v, read back %v", tc.format, p.Name, o, a, b)
				}
			}
		}
	}
	if err := catalog.Write(filepath.Join(dir, "s.txt"), "txt", s); !errors.Is(err, catalog.ErrUnknownFormat) {
		t.Errorf("format txt: got %v, want ErrUnknownFormat", err)
	}
}
