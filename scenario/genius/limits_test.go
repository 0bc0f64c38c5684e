package genius

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
	big := filepath.Join(dir, "huge.xml")
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
		"files":  func() error { _, err := ReadFiles(big, []string{big}); return err },
	} {
		err := read()
		if !errors.Is(err, scenario.ErrFileTooLarge) || !strings.Contains(err.Error(), "huge.xml") {
			t.Errorf("%s: got %v, want the size limit naming the file", name, err)
		}
	}
}

// TestTooManyElements: a file of millions of tiny elements, well under the
// size limit, is refused while its tree is built, with bounded memory.
func TestTooManyElements(t *testing.T) {
	n := scenario.MaxNodes + 1
	data := []byte("<negotiation_template><utility_space><objective>" + strings.Repeat("<x/>", n) + "</objective></utility_space></negotiation_template>")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := parseXML("wide.xml", data)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "wide.xml") || !strings.Contains(err.Error(), "elements") {
		t.Fatalf("got %v, want the element limit naming the file", err)
	}
	// About 350 bytes an element for the decoder and the tree (measured):
	// the bound is 600 MB, where an unbounded file of the maximum size
	// (32 MiB, 8 million elements) cost 1.3 GB resident.
	got := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d MB before refusing", got>>20)
	if got > 600<<20 {
		t.Errorf("allocated %d MB before refusing", got>>20)
	}
}
