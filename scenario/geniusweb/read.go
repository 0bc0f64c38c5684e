package geniusweb

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/parley-dev/parley/scenario"
)

// ReadFiles reads GeniusWeb profiles, one party per file in the given
// order, each named after its file without extension. Every profile embeds
// the domain; all must agree. The scenario is named after the folder of the
// first file.
func ReadFiles(profiles []string) (*scenario.Scenario, error) {
	if len(profiles) == 0 {
		return nil, fmt.Errorf("geniusweb: no profiles")
	}
	var docs []*doc
	for _, f := range profiles {
		data, err := scenario.ReadFile(f) // at most scenario.MaxFileSize
		if err != nil {
			return nil, fileError(f, err)
		}
		d, err := parseJSON(f, data)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	dir := filepath.Dir(profiles[0])
	return build(docs, folderName(dir), dir)
}

// ReadDir reads the scenario in folder dir: its *.json files that hold a
// profile, in order of file name, one party each named after the file
// without extension. The scenario is named after the folder.
//
// A file holds a profile when its top level is an object with one key whose
// value is an object holding "domain", "issueUtilities" or "issueWeights"
// (GeniusWeb's {"LinearAdditiveUtilitySpace": {...}} form), or when its top
// level holds "issueUtilities" or "issueWeights" itself. Such a file must be
// a LinearAdditiveUtilitySpace: another type tag, misspelt or not, is an
// error naming the file. Other JSON files, such as the domain file or the
// specials.json of ANL scenarios, are skipped. A file that cannot be read or
// is not JSON (empty, UTF-16, garbage) is an error naming the file.
func ReadDir(dir string) (*scenario.Scenario, error) {
	return read(os.DirFS(dir), ".", folderName(dir), dir, func(f string) string { return filepath.Join(dir, f) })
}

// ReadFS is ReadDir on folder dir of fsys.
func ReadFS(fsys fs.FS, dir string) (*scenario.Scenario, error) {
	return read(fsys, dir, path.Base(dir), dir, func(f string) string { return path.Join(dir, f) })
}

// meantAsProfile reports whether a JSON document is, or was meant to be, a
// profile (see ReadDir for the rule).
func meantAsProfile(d *doc) bool {
	r := d.root
	if r.kind != jObj {
		return false
	}
	if r.get("issueUtilities") != nil || r.get("issueWeights") != nil {
		return true
	}
	if len(r.keys) != 1 {
		return false
	}
	in := r.vals[0]
	return in.get("domain") != nil || in.get("issueUtilities") != nil || in.get("issueWeights") != nil
}

// fileError is an I/O error on file, named by its display path (the path
// inside an fs.FS may be relative to the folder).
func fileError(file string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return &Error{File: file, Err: err}
}

func folderName(dir string) string {
	name := filepath.Base(filepath.Clean(dir))
	if name == "." || name == string(filepath.Separator) {
		if abs, err := filepath.Abs(dir); err == nil {
			name = filepath.Base(abs)
		}
	}
	return name
}

func read(fsys fs.FS, dir, name, source string, display func(string) string) (*scenario.Scenario, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fileError(source, err)
	}
	var docs []*doc
	for _, e := range entries { // sorted by file name
		if e.IsDir() || !strings.EqualFold(path.Ext(e.Name()), ".json") {
			continue
		}
		file := display(e.Name())
		data, err := scenario.ReadFileFS(fsys, path.Join(dir, e.Name())) // at most scenario.MaxFileSize
		if err != nil {
			return nil, fileError(file, err)
		}
		d, err := parseJSON(file, data)
		if err != nil {
			return nil, err
		}
		if !meantAsProfile(d) {
			continue
		}
		docs = append(docs, d)
	}
	switch len(docs) {
	case 0:
		return nil, &Error{File: source, Err: errors.New("no profile files (JSON files holding {\"LinearAdditiveUtilitySpace\": {...}})")}
	case 1:
		return nil, &Error{File: source, Err: fmt.Errorf("one profile file (%s); a negotiation needs at least 2", docs[0].file)}
	}
	return build(docs, name, source)
}

// build reads the profiles of docs over one shared outcome space.
func build(docs []*doc, name, source string) (*scenario.Scenario, error) {
	raws := make([]*rawProfile, len(docs))
	for i, d := range docs {
		raw, err := profileOf(d)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			if err := sameDomain(&raws[0].domain, &raw.domain); err != nil {
				return nil, &Error{File: d.file, Field: "domain", Err: err}
			}
		}
		raws[i] = raw
	}
	space, err := raws[0].space()
	if err != nil {
		return nil, err
	}
	s := &scenario.Scenario{Name: name, Source: source, Space: space}
	if s.Name == "." || s.Name == "" {
		s.Name = raws[0].domain.name
	}
	for _, raw := range raws {
		p, err := raw.bind(space)
		if err != nil {
			return nil, err
		}
		s.Parties = append(s.Parties, scenario.Party{Name: p.Name, Role: scenario.Negotiator, Profile: p})
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("geniusweb: %w", err)
	}
	return s, nil
}
