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
