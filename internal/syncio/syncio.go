// Package syncio provides a writer that goroutines share: the command's
// stderr, written by the command and by a queue's connection events.
package syncio

import (
	"io"
	"sync"
)

// A Writer serialises writes to its underlying writer, from any
// goroutine, and drops them once closed, so that a goroutine that
// outlives its command cannot write after it returned.
type Writer struct {
	mu     sync.Mutex
	w      io.Writer
	closed bool
}

// NewWriter returns a Writer to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write writes p to the underlying writer unless the Writer is closed;
// closed, it reports p written.
func (l *Writer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return len(p), nil
	}
	return l.w.Write(p)
}

// Close makes later writes no-ops. It does not close the underlying
// writer.
func (l *Writer) Close() error {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	return nil
}

// Underlying returns the writer that l writes to.
func (l *Writer) Underlying() io.Writer { return l.w }
