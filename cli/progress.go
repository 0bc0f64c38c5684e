package cli

import (
	"context"
	"io"
	"os"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// quietHelp is the help of every --quiet flag that only silences the bar.
const quietHelp = "show no progress bar"

// progressDelay is how long a command runs before its bar appears: a
// command that ends sooner shows none.
const progressDelay = time.Second

// isTerminal reports whether w is a terminal (not merely a character
// device: /dev/null is one).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// progressBar shows "label done / total  percent  ETA" (mpb, with the
// average-rate ETA: the moving-average one overestimates with parallel
// workers). A nil *progressBar shows nothing; its methods do nothing.
type progressBar struct {
	ctx    context.Context
	w      io.Writer
	label  string
	unit   string
	tty    bool     // force terminal rendering (tests)
	manual chan any // refresh only on request (bench: nothing may run while it measures)

	mu    sync.Mutex
	p     *mpb.Progress
	bar   *mpb.Bar
	total int64
	start chan any
	timer *time.Timer
}

// newProgress returns the bar of a command writing to w (its stderr): nil
// when quiet is set or w is not a terminal.
func newProgress(ctx context.Context, w io.Writer, quiet bool, label, unit string) *progressBar {
	if quiet || !isTerminal(w) {
		return nil
	}
	return &progressBar{ctx: ctx, w: w, label: label, unit: unit}
}

// update sets the progress to done of total; the bar is made on the first
// call with a positive total. Safe for concurrent use.
func (b *progressBar) update(done, total int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar == nil {
		if total <= 0 {
			return
		}
		b.start = make(chan any)
		opts := []mpb.ContainerOption{mpb.WithOutput(b.w), mpb.WithWidth(40), mpb.WithRefreshRate(200 * time.Millisecond),
			mpb.WithRenderDelay(b.start)}
		if b.tty {
			opts = append(opts, mpb.ForceTTY(), mpb.WithAutoRefresh())
		}
		if b.manual != nil {
			opts = append(opts, mpb.WithManualRefresh(b.manual))
		}
		b.p = mpb.NewWithContext(b.ctx, opts...)
		b.total = total
		b.bar = b.p.AddBar(total,
			mpb.PrependDecorators(decor.Name(b.label), decor.CountersNoUnit("%d / %d"+b.unit, decor.WCSyncSpace)),
			mpb.AppendDecorators(decor.Percentage(decor.WCSyncSpace), decor.Name("  ETA "), decor.AverageETA(decor.ET_STYLE_GO)))
		start := b.start
		if b.tty {
			close(start)
		} else {
			b.timer = time.AfterFunc(progressDelay, func() { close(start) })
		}
	}
	if total != b.total && total > 0 {
		b.total = total
		b.bar.SetTotal(total, false)
	}
	b.bar.SetCurrent(done)
}

// refresh redraws a bar made with manual refreshing.
func (b *progressBar) refresh() {
	if b == nil || b.manual == nil {
		return
	}
	select {
	case b.manual <- struct{}{}:
	default:
	}
}

// finish ends the bar: complete when ok, else aborted where it stood.
func (b *progressBar) finish(ok bool) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar == nil {
		return
	}
	if b.timer != nil && b.timer.Stop() {
		// Never shown: close the gate so that Wait can return, and drop
		// the bar so that it prints nothing.
		close(b.start)
		b.bar.Abort(true)
	} else if !ok || !b.bar.Completed() {
		b.bar.Abort(false)
	}
	b.p.Wait()
}
