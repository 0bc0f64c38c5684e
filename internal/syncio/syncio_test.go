package syncio

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestWriter keeps whole lines from many goroutines and drops writes
// after Close.
func TestWriter(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				fmt.Fprintf(w, "goroutine %d line %d\n", g, i)
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 800 {
		t.Fatalf("%d lines, want 800", len(lines))
	}
	for _, l := range lines {
		var g, i int
		if n, err := fmt.Sscanf(l, "goroutine %d line %d", &g, &i); n != 2 || err != nil {
			t.Fatalf("mangled line %q", l)
		}
	}
	w.Close()
	if n, err := w.Write([]byte("late\n")); n != 5 || err != nil || strings.Contains(b.String(), "late") {
		t.Errorf("a write after Close: %d, %v, buffer ends %q", n, err, b.String()[b.Len()-20:])
	}
	if w.Underlying() != &b {
		t.Error("Underlying is not the writer given")
	}
}
