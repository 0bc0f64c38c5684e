package geniusweb

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/parley-dev/parley/scenario"
)

// TestFileTooLarge checks that a file over scenario.MaxFileSize, in a
// folder or named alone, is refused with an error naming it, unread.
func TestFileTooLarge(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "huge.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(scenario.MaxFileSize + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	for name, read := range map[string]func() error{
		"folder": func() error { _, err := ReadDir(dir); return err },
		"files":  func() error { _, err := ReadFiles([]string{big}); return err },
	} {
		err := read()
		if !errors.Is(err, scenario.ErrFileTooLarge) || !strings.Contains(err.Error(), "huge.json") {
			t.Errorf("%s: got %v, want the size limit naming the file", name, err)
		}
	}
}

// TestTooManyValues checks that a profile of more than scenario.MaxNodes
// values is refused before it is decoded, in bounded memory.
func TestTooManyValues(t *testing.T) {
	data := []byte(`{"LinearAdditiveUtilitySpace": {"issueUtilities": [` + strings.Repeat("0,", scenario.MaxNodes) + `0]}}`)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := parseJSON("many.json", data)
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
		t.Errorf("allocated %d MB, want at most 16", got>>20)
	}
	if err == nil || !strings.Contains(err.Error(), "many.json:1: ") || !strings.Contains(err.Error(), "scenario.MaxNodes") {
		t.Fatalf("got %v, want the node limit", err)
	}
}
