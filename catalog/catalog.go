// Package catalog finds scenarios: Parley's built-in scenarios by name, and
// scenario files and folders in any supported format (Parley YAML/JSON,
// GENIUS XML, GeniusWeb JSON) by path.
package catalog

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/scenario/genius"
	"github.com/parley-dev/parley/scenario/geniusweb"
)

//go:embed scenarios/*.yaml
var builtin embed.FS

// Names returns the names of the built-in scenarios, sorted.
func Names() []string {
	entries, _ := fs.ReadDir(builtin, "scenarios")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// Builtin returns the built-in scenario called name.
func Builtin(name string) (*scenario.Scenario, error) {
	data, err := builtin.ReadFile("scenarios/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("catalog: no built-in scenario %q (have %s)", name, strings.Join(Names(), ", "))
	}
	s, err := scenario.Parse(name+".yaml", data, "yaml")
	if err != nil {
		return nil, fmt.Errorf("catalog: built-in %s: %w", name, err)
	}
	s.Source = "builtin:" + name
	return s, nil
}

// BuiltinSource returns the text of a built-in scenario's file.
func BuiltinSource(name string) ([]byte, error) {
	data, err := builtin.ReadFile("scenarios/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("catalog: no built-in scenario %q", name)
	}
	return data, nil
}

// Options refine Open.
type Options struct {
	// Profiles are GENIUS profile files to pair with a GENIUS domain file,
	// in party order.
	Profiles []string
}

// Open returns the scenario named by arg: a built-in name (when no file of
// that name exists), a Parley .yaml/.yml/.json file, a GENIUS folder, a
// GENIUS domain .xml file with opts.Profiles, a GeniusWeb folder of profile
// .json files, or a GeniusWeb profile .json file with opts.Profiles naming
// the others.
func Open(arg string, opts Options) (*scenario.Scenario, error) {
	info, err := os.Stat(arg)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !strings.ContainsAny(arg, `/\.`) {
			return Builtin(arg)
		}
		return nil, fmt.Errorf("catalog: %w", err)
	}
	if info.IsDir() {
		if len(opts.Profiles) > 0 {
			return nil, fmt.Errorf("catalog: %s: --profiles goes with a domain file, not a folder", arg)
		}
		kind, err := folderKind(arg)
		if err != nil {
			return nil, err
		}
		if kind == "geniusweb" {
			return geniusweb.ReadDir(arg)
		}
		return genius.ReadDir(arg)
	}
	ext := strings.ToLower(filepath.Ext(arg))
	switch ext {
	case ".yaml", ".yml":
		if len(opts.Profiles) > 0 {
			return nil, fmt.Errorf("catalog: %s: --profiles goes with a GENIUS domain file", arg)
		}
		return scenario.Read(arg)
	case ".json":
		data, err := scenario.ReadFile(arg) // bounded by scenario.MaxFileSize
		if err != nil {
			return nil, fmt.Errorf("catalog: %w", err)
		}
		if isGeniusWeb(data) {
			return geniusweb.ReadFiles(append([]string{arg}, opts.Profiles...))
		}
		if len(opts.Profiles) > 0 {
			return nil, fmt.Errorf("catalog: %s: --profiles goes with a GENIUS domain file", arg)
		}
		return scenario.Read(arg)
	case ".xml":
		if len(opts.Profiles) == 0 {
			return nil, fmt.Errorf("catalog: %s: a GENIUS domain file needs --profiles A.xml,B.xml (or give its folder)", arg)
		}
		return genius.ReadFiles(arg, opts.Profiles)
	}
	return nil, fmt.Errorf("catalog: %s: unknown scenario format %q (want .yaml, .yml, .json, .xml or a folder)", arg, ext)
}

// isGeniusWeb reports whether a JSON document is a GeniusWeb profile.
func isGeniusWeb(data []byte) bool {
	head := data[:min(len(data), 200)]
	return bytes.Contains(head, []byte(`"LinearAdditiveUtilitySpace"`)) || bytes.Contains(data, []byte(`"issueUtilities"`))
}

// folderKind tells a GENIUS folder (XML files) from a GeniusWeb folder
// (JSON profiles).
func folderKind(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("catalog: %w", err)
	}
	xml, js := 0, 0
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".xml":
			xml++
		case ".json":
			js++
		}
	}
	switch {
	case xml > 0:
		return "genius", nil
	case js > 0:
		return "geniusweb", nil
	}
	return "", fmt.Errorf("catalog: %s: no .xml (GENIUS) or .json (GeniusWeb) files", dir)
}
