// Package outfile writes output files (reports, traces, figures) so that
// no error is lost: one of creating, writing, flushing or closing the
// file is returned, the first that happened.
package outfile

import (
	"bufio"
	"io"
	"os"
)

// Write creates (or truncates) the file path and writes it with fill,
// through a buffer. It returns the first error of creating the file, of
// fill, of flushing the buffer or of closing the file.
func Write(path string, fill func(io.Writer) error) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriter(f)
	if err := fill(w); err != nil {
		return err
	}
	return w.Flush()
}

// A Later is the file at Path, created only when Open is called: a
// writer that writes as it goes (a run's trace) opens it once it knows
// that it will write, so that a command that fails before leaves no file
// behind.
type Later struct {
	Path string
	f    *os.File
}

// Open creates (or truncates) the file.
func (l *Later) Open() (io.Writer, error) {
	f, err := os.Create(l.Path)
	if err != nil {
		return nil, err
	}
	l.f = f
	return f, nil
}

// Close closes the file if Open created it.
func (l *Later) Close() error {
	if l.f == nil {
		return nil
	}
	return l.f.Close()
}
