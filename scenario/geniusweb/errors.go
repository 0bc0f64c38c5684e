package geniusweb

import "fmt"

// Error is a problem in a GeniusWeb file, with the file name, the line (0
// when unknown) and the JSON field it concerns.
type Error struct {
	File  string
	Line  int
	Field string // e.g. issueUtilities["color"]; empty for the whole file
	Err   error
}

// Error formats the problem as "geniusweb: file:line: field: message".
func (e *Error) Error() string {
	s := "geniusweb: " + e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }
