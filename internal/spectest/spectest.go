// Package spectest reads the tables of strategy specs that the registry
// tests of package strategy and strategy/boa share the format of.
package spectest

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
)

// Case is one line of a table: a spec, and the error it must give ("" when
// it must parse).
type Case struct {
	Spec, Err string
}

// Read reads a table: one case per line, "spec" or "spec -> error text";
// blank lines and lines starting with # are skipped.
func Read(tb testing.TB, path string) []Case {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var cases []Case
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		s, want, _ := strings.Cut(line, " -> ")
		cases = append(cases, Case{s, want})
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return cases
}

// Run parses every case of the table at path: a spec with an error must
// fail with exactly that text; any other must give a factory of fresh,
// non-nil negotiators.
func Run(t *testing.T, path string, parse func(string) (func() parley.Negotiator, error)) {
	t.Helper()
	for _, tc := range Read(t, path) {
		f, err := parse(tc.Spec)
		switch {
		case tc.Err != "":
			if err == nil || err.Error() != tc.Err {
				t.Errorf("Parse(%q): error %v\nwant %s", tc.Spec, err, tc.Err)
			}
		case err != nil:
			t.Errorf("Parse(%q): %v", tc.Spec, err)
		default:
			if a, b := f(), f(); a == nil || a == b {
				t.Errorf("Parse(%q): the factory must return a new negotiator each call", tc.Spec)
			}
		}
	}
}
