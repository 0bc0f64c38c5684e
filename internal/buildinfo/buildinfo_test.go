package buildinfo

import (
	"runtime"
	"strings"
	"testing"
)

// TestVersion names the Go version a test binary was built with; a test
// binary has no module version, so it is "(devel)".
func TestVersion(t *testing.T) {
	v := Version()
	if !strings.HasSuffix(v, ", "+runtime.Version()) {
		t.Errorf("Version() = %q, want it to end with the Go version %s", v, runtime.Version())
	}
	if !strings.HasPrefix(v, "(devel)") {
		t.Errorf("Version() = %q, want a test binary to be (devel)", v)
	}
}
