package genius

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/parley-dev/parley/scenario"
)

// ReadDir reads the GENIUS scenario in folder dir with the zero Reader.
func ReadDir(dir string) (*scenario.Scenario, error) { return Reader{}.ReadDir(dir) }

// ReadFiles reads a GENIUS domain file and profile files with the zero
// Reader.
func ReadFiles(domain string, profiles []string) (*scenario.Scenario, error) {
	return Reader{}.ReadFiles(domain, profiles)
}

// ReadFS reads the GENIUS scenario in folder dir of fsys with the zero
// Reader.
func ReadFS(fsys fs.FS, dir string) (*scenario.Scenario, error) { return Reader{}.ReadFS(fsys, dir) }

// ReadDir reads the GENIUS scenario in folder dir. Of the folder's *.xml
// files, the one whose root element is negotiation_template is the domain
// and those whose root is utility_space are the profiles, one party each,
// named after the file without extension and ordered by file name. The
// scenario is named after the folder.
//
// Every *.xml file must be one or the other, with one exception: a file
// that holds only a table of numbers (numbers separated by commas, blanks
// and line breaks, as in the pareto.xml files of ANAC 2014) is skipped. An
// empty, unreadable, UTF-16 or otherwise unparsable file, or XML with
// another root element, is an error naming the file, so that a profile is
// never dropped silently. The scenario's Warnings hold what the files hold
// that GENIUS accepts but that looks like a mistake (see ParseProfile).
func (r Reader) ReadDir(dir string) (*scenario.Scenario, error) {
	name := filepath.Base(filepath.Clean(dir))
	if name == "." || name == string(filepath.Separator) {
		if abs, err := filepath.Abs(dir); err == nil {
			name = filepath.Base(abs)
		}
	}
	return r.read(os.DirFS(dir), ".", name, dir, func(f string) string { return filepath.Join(dir, f) })
}

// ReadFS is ReadDir on folder dir of fsys.
func (r Reader) ReadFS(fsys fs.FS, dir string) (*scenario.Scenario, error) {
	name := path.Base(dir)
	return r.read(fsys, dir, name, dir, func(f string) string { return path.Join(dir, f) })
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

func (r Reader) read(fsys fs.FS, dir, name, source string, display func(string) string) (*scenario.Scenario, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fileError(source, err)
	}
	var (
		domFile  string
		domRoot  *node
		profs    []string
		profRoot []*node
	)
	for _, e := range entries { // fs.ReadDir sorts by file name
		if e.IsDir() || !strings.EqualFold(path.Ext(e.Name()), ".xml") {
			continue
		}
		file := display(e.Name())
		data, err := scenario.ReadFileFS(fsys, path.Join(dir, e.Name())) // at most scenario.MaxFileSize
		if err != nil {
			return nil, fileError(file, err)
		}
		if numberTable(data) {
			continue
		}
		root, err := parseXML(file, data)
		if err != nil {
			return nil, err
		}
		switch root.name {
		case "negotiation_template":
			if domRoot != nil {
				return nil, &Error{File: file, Err: fmt.Errorf("second domain file (the first is %s)", domFile)}
			}
			domFile, domRoot = file, root
		case "utility_space":
			profs = append(profs, file)
			profRoot = append(profRoot, root)
		default:
			return nil, errorf(file, root, "root element <%s> is neither <negotiation_template> (a domain) nor <utility_space> (a profile)", root.name)
		}
	}
	if domRoot == nil {
		return nil, &Error{File: source, Err: errors.New("no domain file (an XML file with root <negotiation_template>)")}
	}
	switch len(profs) {
	case 0:
		return nil, &Error{File: source, Err: errors.New("no profile files (XML files with root <utility_space>)")}
	case 1:
		return nil, &Error{File: source, Err: fmt.Errorf("one profile file (%s); a negotiation needs at least 2", profs[0])}
	}
	d, err := r.domain(domFile, domRoot)
	if err != nil {
		return nil, err
	}
	s := &scenario.Scenario{Name: name, Source: source, Space: d.Space, Warnings: d.Warnings}
	if s.Name == "." || s.Name == "" {
		s.Name = d.Name
	}
	for i, f := range profs {
		p, warns, err := profile(f, profRoot[i], d)
		if err != nil {
			return nil, err
		}
		s.Warnings = append(s.Warnings, warns...)
		s.Parties = append(s.Parties, scenario.Party{Name: p.Name, Role: scenario.Negotiator, Profile: p})
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("genius: %w", err)
	}
	return s, nil
}

// numberTable reports whether data holds only numbers separated by commas,
// semicolons, blanks and line breaks, and at least one number: the table of
// utility pairs that ANAC 2014 scenarios keep in a pareto.xml file, which
// ReadDir skips.
func numberTable(data []byte) bool {
	fields := strings.FieldsFunc(string(data), func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	if len(fields) == 0 {
		return false
	}
	for _, f := range fields {
		if _, err := strconv.ParseFloat(f, 64); err != nil {
			return false
		}
	}
	return true
}

// ReadFiles reads the domain file and the given profile files, one party
// per profile in the given order, each named after its file without
// extension. The scenario is named after the domain file's folder; its
// Warnings are those of ParseProfile.
func (r Reader) ReadFiles(domain string, profiles []string) (*scenario.Scenario, error) {
	data, err := scenario.ReadFile(domain) // at most scenario.MaxFileSize
	if err != nil {
		return nil, fileError(domain, err)
	}
	d, err := r.ParseDomain(domain, data)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(filepath.Dir(domain))
	if name == "." || name == string(filepath.Separator) {
		if abs, err := filepath.Abs(domain); err == nil {
			name = filepath.Base(filepath.Dir(abs))
		}
	}
	s := &scenario.Scenario{Name: name, Source: domain, Space: d.Space, Warnings: d.Warnings}
	for _, f := range profiles {
		data, err := scenario.ReadFile(f) // at most scenario.MaxFileSize
		if err != nil {
			return nil, fileError(f, err)
		}
		p, warns, err := ParseProfile(f, data, d)
		if err != nil {
			return nil, err
		}
		s.Warnings = append(s.Warnings, warns...)
		s.Parties = append(s.Parties, scenario.Party{Name: p.Name, Role: scenario.Negotiator, Profile: p})
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("genius: %w", err)
	}
	return s, nil
}
