package genius

import "fmt"

// Error is a problem in a GENIUS file, with the file name and, where known,
// the line of the offending element.
type Error struct {
	File string
	Line int // 0 when the problem concerns the file as a whole
	Err  error
}

// Error formats the problem as "genius: file:line: message".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("genius: %s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("genius: %s: %v", e.File, e.Err)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// errorf returns an *Error at the line of n.
func errorf(file string, n *node, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.line
	}
	return &Error{File: file, Line: line, Err: fmt.Errorf(format, args...)}
}
