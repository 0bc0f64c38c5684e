package geniusweb

import (
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
		data, err := scenario.ReadFile(f) // bounded by scenario.MaxFileSize
		if err != nil {
			return nil, fmt.Errorf("geniusweb: %w", err)
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

// ReadDir reads the scenario in folder dir: its *.json files whose content
// is a GeniusWeb profile ({"LinearAdditiveUtilitySpace": ...}), in order of
// file name, one party each named after the file without extension. Other
// JSON files, such as a domain file or the specials.json of ANL scenarios,
// are skipped; a profile of another kind is an error. The scenario is named
// after the folder.
func ReadDir(dir string) (*scenario.Scenario, error) {
	return read(os.DirFS(dir), ".", folderName(dir), dir, func(f string) string { return filepath.Join(dir, f) })
}

// ReadFS is ReadDir on folder dir of fsys.
func ReadFS(fsys fs.FS, dir string) (*scenario.Scenario, error) {
	return read(fsys, dir, path.Base(dir), dir, func(f string) string { return path.Join(dir, f) })
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
		return nil, fmt.Errorf("geniusweb: %w", err)
	}
	var docs []*doc
	for _, e := range entries { // sorted by file name
		if e.IsDir() || !strings.EqualFold(path.Ext(e.Name()), ".json") {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("geniusweb: %w", err)
		}
		d, err := parseJSON(display(e.Name()), data)
		if err != nil {
			return nil, err
		}
		if profileTag(d) == "" {
			continue
		}
		docs = append(docs, d)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("geniusweb: %s: no profile files", source)
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
