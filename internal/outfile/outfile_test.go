package outfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWrite: the file holds what fill wrote; the error of fill, or of
// creating the file, is returned.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	big := strings.Repeat("x", 10000) // more than the buffer
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, big); return err }); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != big {
		t.Errorf("read %d bytes, %v; want %d", len(b), err, len(big))
	}
	boom := errors.New("boom")
	if err := Write(path, func(io.Writer) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("fill's error: got %v", err)
	}
	if err := Write(filepath.Join(dir, "none", "out.txt"), func(io.Writer) error { return nil }); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing folder: got %v", err)
	}
}

// TestLater: no file until Open; Close without Open does nothing; what
// was written is in the file after Close.
func TestLater(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace.jsonl")
	l := &Later{Path: path}
	if err := l.Close(); err != nil {
		t.Fatalf("Close before Open: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the file exists before Open: %v", err)
	}
	w, err := l.Open()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, "line\n"); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "line\n" {
		t.Errorf("file %q, %v", b, err)
	}
	if _, err := (&Later{Path: filepath.Join(path, "x")}).Open(); err == nil {
		t.Error("Open under a file: no error")
	}
}
