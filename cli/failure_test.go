package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRunEndingInErrorExitsNonZero: a negotiation that fails (here a
// genius-* agent refusing a 24.3-million-outcome space at Init) pays every
// party its reservation value, prints its result, and the command exits
// with 1.
func TestRunEndingInErrorExitsNonZero(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: big\nissues:\n")
	for _, x := range "abcde" {
		b.WriteString("  - {name: " + string(x) + ", type: integer, min: 1, max: 30}\n")
	}
	b.WriteString("parties:\n")
	for _, p := range []string{"p", "q"} {
		b.WriteString("  - name: " + p + "\n    reservation: 0.6\n    discount: 0.5\n    weights: {a: 1, b: 1, c: 1, d: 1, e: 1}\n    linear:\n")
		for _, x := range "abcde" {
			b.WriteString("      " + string(x) + ": {at_min: 0, at_max: 1}\n")
		}
	}
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := exe(t, "run", path, "--agents", "genius-boulware")
	if code != 1 {
		t.Fatalf("exit code %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "ended in error") || !strings.Contains(errOut, "too many") {
		t.Errorf("stderr %q, want the failure named", errOut)
	}
	// Both parties are paid their reservation value 0.6 (at t = 0, so
	// undiscounted too), not 0.
	// (rows of the utilities table: PARTY UTILITY DISCOUNTED ADVANTAGE)
	if len(regexp.MustCompile(`(?m)^  [pq] +0\.600 +0\.600 +\+0\.000$`).FindAllString(out, -1)) != 2 {
		t.Errorf("stdout does not pay both parties 0.600:\n%s", out)
	}
}
