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
	genius := filepath.Join(filepath.Dir(root), "shared", "scenarios", "genius")
	Count("TestA", genius)
	Count("TestA", genius) // the same test twice counts once
	Count("TestB/sub", filepath.Join(filepath.Dir(root), "shared", "reference", "sessions.json"))
	want := "x/y: 2 tests skipped: ../shared/reference/sessions.json, ../shared/scenarios/genius absent"
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
	counted := skipped[t.Name()+"/absent"] && missing["../shared/no/such/thing-in-shared"]
	mu.Unlock()
	if !counted {
		t.Fatalf("the skip was not counted: %v %v", skipped, missing)
	}
	mu.Lock()
	clear(skipped)
	clear(missing)
	mu.Unlock()
}
