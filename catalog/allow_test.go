package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAllowList: a worker's allow list loads built-in scenarios and
// files under its --scenarios, and refuses any other path (also one that
// leads outside by "..", or by a symbolic link) without quoting it.
func TestAllowList(t *testing.T) {
	dir := t.TempDir()
	allowed := filepath.Join(dir, "allowed")
	if err := os.Mkdir(allowed, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := BuiltinSource("ceasefire")
	if err != nil {
		t.Fatal(err)
	}
	const secret = "password: hunter2\n"
	for name, data := range map[string]string{"allowed/market.yaml": string(src), "secret.yaml": secret} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "secret.yaml"), filepath.Join(allowed, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	allow, err := NewAllowList([]string{allowed})
	if err != nil {
		t.Fatal(err)
	}
	for _, ok := range []string{"ceasefire", "builtin:ceasefire", filepath.Join(allowed, "market.yaml")} {
		if s, err := allow.Open(ok); err != nil || s == nil {
			t.Errorf("Open(%q): %v", ok, err)
		}
	}
	for _, tc := range []struct{ ref, want string }{
		{filepath.Join(dir, "secret.yaml"), "not among the files and folders this worker was given"},
		{filepath.Join(allowed, "..", "secret.yaml"), "not among"},
		{"/etc/passwd", "not among"},
		{filepath.Join(allowed, "link.yaml"), "outside the files and folders"},
		{filepath.Join(allowed, "missing.yaml"), "no such file"},
	} {
		_, err := allow.Open(tc.ref)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%q): %v, want %q", tc.ref, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Open(%q): the error quotes the file: %v", tc.ref, err)
		}
	}
	// Without entries only built-ins load.
	none, err := NewAllowList(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := none.Open(filepath.Join(allowed, "market.yaml")); err == nil {
		t.Error("a list without entries loaded a file")
	}
	if _, err := NewAllowList([]string{filepath.Join(dir, "nope")}); err == nil {
		t.Error("a missing --scenarios entry was accepted")
	}
}
