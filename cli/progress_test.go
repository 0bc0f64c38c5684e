package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestProgressBarRenders draws the bar on a fake terminal: the label, the
// counts, the percentage and the ETA.
func TestProgressBarRenders(t *testing.T) {
	var buf bytes.Buffer
	b := &progressBar{ctx: context.Background(), w: &buf, label: "runs", tty: true}
	b.update(0, 8)
	for i := int64(1); i <= 8; i++ {
		b.update(i, 8)
	}
	b.finish(true)
	out := buf.String()
	for _, want := range []string{"runs", "8 / 8", "100 %", "ETA 0s"} {
		if !strings.Contains(out, want) {
			t.Errorf("bar lacks %q:\n%q", want, out)
		}
	}
}
