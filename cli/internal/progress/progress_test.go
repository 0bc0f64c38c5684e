package progress

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProgressBarRenders draws the bar on a fake terminal: the label, the
// counts, the percentage and the ETA.
func TestProgressBarRenders(t *testing.T) {
	var buf bytes.Buffer
	b := &Bar{ctx: context.Background(), w: &buf, label: "runs", tty: true}
	update := b.Func()
	update(0, 8)
	for i := int64(1); i <= 8; i++ {
		update(i, 8)
	}
	b.Finish(true)
	out := buf.String()
	for _, want := range []string{"runs", "8 / 8", "100 %", "ETA 0s"} {
		if !strings.Contains(out, want) {
			t.Errorf("bar lacks %q:\n%q", want, out)
		}
	}
}

// TestNilBarFunc: a nil bar (quiet, or no terminal) gives no callback.
func TestNilBarFunc(t *testing.T) {
	var b *Bar
	if b.Func() != nil {
		t.Error("a nil bar's Func is not nil")
	}
}

// TestIsTerminal: files, pipes and /dev/null (a character device) are not
// terminals.
func TestIsTerminal(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for name, wr := range map[string]any{"/dev/null": null, "pipe": w, "file": f, "buffer": &bytes.Buffer{}} {
		if IsTerminal(wr.(interface{ Write([]byte) (int, error) })) {
			t.Errorf("%s is taken for a terminal", name)
		}
	}
}
