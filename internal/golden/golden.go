// Package golden compares printed output with golden files: a test calls
// Check with what a command printed, and the file under testdata/ holds
// what it should print. Run the tests with -update to rewrite the files
// from the current output, then review the difference with git diff.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update is the -update flag of the test binaries that import golden.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/ from the current output")

// Update reports whether the tests run with -update. A test whose
// expected output lives elsewhere than under testdata/ (a table in a
// document) rewrites it then, as Check rewrites a golden file.
func Update() bool { return *update }

// Check compares got with testdata/name.golden (or rewrites that file under
// -update) and fails t naming the first line that differs.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden: %v (run the test with -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(gl), len(wl)) {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w || i >= len(gl) || i >= len(wl) {
			t.Fatalf("%s: line %d differs (run with -update to accept the new output):\n got: %q\nwant: %q\nwhole output:\n%s", path, i+1, g, w, got)
		}
	}
}
