// Package progress is the progress bar of the parley command's long
// commands (tournament, experiment, bench, convert), drawn with mpb on a
// terminal only.
package progress

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

// progressDelay is how long a command runs before its bar appears: a
// command that ends sooner shows none.
const progressDelay = time.Second

// IsTerminal reports whether w is a terminal (not merely a character
// device: /dev/null is one).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// Bar shows "label done / total  percent  ETA" (mpb, with the
// average-rate ETA: the moving-average one overestimates with parallel
// workers). A nil *Bar shows nothing; its methods do nothing.
type Bar struct {
	ctx   context.Context
	w     io.Writer
	label string
	unit  string
	tty   bool // force terminal rendering (tests)
	// Manual, set before the first Update, makes the bar redraw only on
	// Refresh (bench: nothing of it may run while a phase is measured).
	Manual chan any

	mu    sync.Mutex
	p     *mpb.Progress
	bar   *mpb.Bar
	total int64
	start chan any
	timer *time.Timer
}

// New returns the bar of a command writing to w (its stderr): nil
// when quiet is set or w is not a terminal.
func New(ctx context.Context, w io.Writer, quiet bool, label, unit string) *Bar {
	if quiet || !IsTerminal(w) {
		return nil
	}
	return &Bar{ctx: ctx, w: w, label: label, unit: unit}
}

// Func returns Update as a progress callback, nil for a nil bar (no
// callback: the runner then reports nothing).
func (b *Bar) Func() func(done, total int64) {
	if b == nil {
		return nil
	}
	return b.Update
}

// Update sets the progress to done of total; the bar is made on the first
// call with a positive total. Safe for concurrent use.
func (b *Bar) Update(done, total int64) {
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
		if b.Manual != nil {
			opts = append(opts, mpb.WithManualRefresh(b.Manual))
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

// Refresh redraws a bar made with manual refreshing.
func (b *Bar) Refresh() {
	if b == nil || b.Manual == nil {
		return
	}
	select {
	case b.Manual <- struct{}{}:
	default:
	}
}

// Finish ends the bar: complete when ok, else aborted where it stood.
func (b *Bar) Finish(ok bool) {
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
