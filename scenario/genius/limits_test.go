package genius

import (
	"errors"
	"os"
	"path/filepath"
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
