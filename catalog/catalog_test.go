package catalog_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-dev/parley/catalog"
)

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	yml := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(yml, []byte("name: s\nissues:\n  - name: a\n    values: [p, q]\nparties:\n  - name: A\n    weights: {a: 1}\n    values: {a: {p: 1, q: 0}}\n  - name: B\n    weights: {a: 1}\n    values: {a: {p: 0, q: 1}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := catalog.Open(yml, catalog.Options{}); err != nil || s.Space.Size() != 2 {
		t.Fatalf("yaml: %v", err)
	}
	if s, err := catalog.Open("ceasefire", catalog.Options{}); err != nil || s.Source != "builtin:ceasefire" {
		t.Fatalf("builtin: %v", err)
	}
	tests := []struct {
		arg      string
		profiles []string
		want     string
	}{
		{"nosuch", nil, `no built-in scenario "nosuch"`},
		{filepath.Join(dir, "missing.yaml"), nil, "no such file"},
		{filepath.Join(dir, "x.xml"), nil, "no such file"},
		{yml, []string{"a.xml"}, "--profiles goes with a GENIUS domain file"},
		{dir, []string{"a.xml"}, "--profiles goes with a domain file"},
	}
	for _, tc := range tests {
		if _, err := catalog.Open(tc.arg, catalog.Options{Profiles: tc.profiles}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%q, %v) = %v, want %q", tc.arg, tc.profiles, err, tc.want)
		}
	}
	domain := filepath.Join(dir, "d.xml")
	if err := os.WriteFile(domain, []byte("<negotiation_template/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := catalog.Open(domain, catalog.Options{}); err == nil || !strings.Contains(err.Error(), "needs --profiles") {
		t.Errorf("domain without profiles: %v", err)
	}
}

func ExampleBuiltin() {
	s, err := catalog.Builtin("ceasefire")
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Names(), len(s.Space.Issues), s.Space.Size(), s.Deadline)
	// Output: [RU UA US] 9 58320 120
}
