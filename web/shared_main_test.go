package web_test

import (
	"os"
	"testing"

	"github.com/parley-dev/parley/internal/sharedtest"
)

// TestMain runs the tests and prints one line saying which tests and
// benchmarks skipped because the third-party data in ../shared is absent.
func TestMain(m *testing.M) {
	os.Exit(sharedtest.Main(m, "github.com/parley-dev/parley/web"))
}
