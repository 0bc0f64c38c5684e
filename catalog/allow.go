package catalog

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parley-dev/parley/scenario"
)

// AllowList opens the scenarios a process may load when the references
// come from someone else (a tournament worker takes them from the jobs on
// its queue): every built-in scenario, and scenario files only from the
// files and folders it was given. Its zero value allows the built-in
// scenarios alone.
type AllowList struct {
	// given and real are the allowed entries as absolute paths, as given
	// and with symbolic links resolved.
	given, real []string
}

// NewAllowList returns the list of the files and folders in entries
// (anything under a folder is allowed); an entry that does not exist is
// an error naming it.
func NewAllowList(entries []string) (*AllowList, error) {
	a := &AllowList{}
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		abs, err := filepath.Abs(e)
		if err != nil {
			return nil, err
		}
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return nil, err // names the path
		}
		a.given = append(a.given, abs)
		a.real = append(a.real, real)
	}
	return a, nil
}

// Open returns the validated scenario of a reference: a built-in name, or
// "builtin:NAME" (never a file, whatever the folder holds), or a path the
// list allows, opened with Open. A path the list does not allow is an
// error without reading it.
func (a *AllowList) Open(ref string) (*scenario.Scenario, error) {
	var s *scenario.Scenario
	var err error
	if name := strings.TrimPrefix(ref, "builtin:"); slices.Contains(Names(), name) {
		s, err = Builtin(name)
	} else {
		var path string
		if path, err = a.check(ref); err == nil {
			s, err = Open(path, Options{})
		}
	}
	if err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// within reports whether path is one of roots or lies under one.
func within(path string, roots []string) bool {
	for _, r := range roots {
		if path == r || strings.HasPrefix(path, strings.TrimSuffix(r, string(filepath.Separator))+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// check returns the path a scenario reference names if the list allows it.
// It looks at the file system only for a reference that lies, as written,
// under an allowed entry (to resolve symbolic links, which must not lead
// outside), so a refused reference reveals nothing about the machine.
func (a *AllowList) check(ref string) (string, error) {
	abs, err := filepath.Abs(ref)
	if err != nil || !within(abs, a.given) {
		return "", fmt.Errorf("scenario %q is not a built-in scenario and not among the files and folders this worker was given (--scenarios)", ref)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("scenario %q: %w", ref, err)
	}
	if !within(real, a.real) {
		return "", fmt.Errorf("scenario %q leads (by a symbolic link) to %s, outside the files and folders this worker was given (--scenarios)", ref, real)
	}
	return abs, nil
}
