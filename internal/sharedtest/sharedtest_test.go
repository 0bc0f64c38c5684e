package sharedtest

import (
	"path/filepath"
	"testing"
)

// TestSummary: nothing skipped gives no line; skips are counted per test
// name and the absent paths listed relative to the repository root.
func TestSummary(t *testing.T) {
	reset := func() {
		mu.Lock()
		clear(skipped)
		clear(missing)
		mu.Unlock()
	}
	reset()
	defer reset()
	if s := Summary("x/y"); s != "" {
		t.Fatalf("nothing skipped: %q", s)
	}
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	// Paths under a folder beside the repository that does not exist: the
	// summary names that folder.
	absent := filepath.Join(filepath.Dir(root), "no-such-shared-folder")
	Count("TestA", filepath.Join(absent, "scenarios", "genius"))
	Count("TestA", filepath.Join(absent, "scenarios", "genius")) // the same test twice counts once
	Count("TestB/sub", filepath.Join(absent, "reference", "sessions.json"))
	want := "x/y: 2 tests skipped: ../no-such-shared-folder absent"
	if s := Summary("x/y"); s != want {
		t.Fatalf("summary %q, want %q", s, want)
	}
	// An existing folder (the repository's own) with absent files in it.
	reset()
	Count("TestC", filepath.Join(root, "no-such-file-1"))
	Count("TestD", filepath.Join(root, "no-such-file-2"))
	want = "x/y: 2 tests skipped: no-such-file-1, no-such-file-2 absent"
	if s := Summary("x/y"); s != want {
		t.Fatalf("summary %q, want %q", s, want)
	}
}

// TestPathSkips: an absent path skips the test and is counted.
func TestPathSkips(t *testing.T) {
	ran := false
	t.Run("absent", func(t *testing.T) {
		Path(t, "no/such/thing-in-shared")
		ran = true
	})
	if ran {
		t.Fatal("Path did not skip on an absent path")
	}
	mu.Lock()
	counted := skipped[t.Name()+"/absent"] && len(missing) == 1
	mu.Unlock()
	if !counted {
		t.Fatalf("the skip was not counted: %v %v", skipped, missing)
	}
	mu.Lock()
	clear(skipped)
	clear(missing)
	mu.Unlock()
}
