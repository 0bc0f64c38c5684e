package golden

import (
	"os"
	"path/filepath"
	"testing"
)

// fakeT records failures instead of stopping the test.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.failed = true
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	os.MkdirAll("testdata", 0o755)
	os.WriteFile(filepath.Join("testdata", "x.golden"), []byte("a\nb\n"), 0o644)
	for _, tc := range []struct {
		got  string
		fail bool
	}{{"a\nb\n", false}, {"a\nc\n", true}, {"a\nb\nc\n", true}, {"a\n", true}} {
		f := &fakeT{TB: t}
		Check(f, "x", []byte(tc.got))
		if f.failed != tc.fail {
			t.Errorf("Check(%q): failed %v, want %v", tc.got, f.failed, tc.fail)
		}
	}
	f := &fakeT{TB: t}
	Check(f, "missing", []byte("x"))
	if !f.failed {
		t.Error("a missing golden file passed")
	}
}
