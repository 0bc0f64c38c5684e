package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/scenario/genius"
	"github.com/parley-dev/parley/scenario/geniusweb"
)

// ErrUnknownFormat is the error of Write for a format it does not know.
var ErrUnknownFormat = errors.New("catalog: unknown format")

// FormatOf returns the format of a scenario file that its extension names:
// "yaml" for .yaml and .yml, "json" for .json, and "" for any other.
func FormatOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		return "yaml"
	case ".json":
		return "json"
	}
	return ""
}

// Write writes s to path in format: "yaml" or "json", a Parley file;
// "genius", a folder that receives NAME_domain.xml and one PARTY.xml
// profile per party (genius.Write); "geniusweb", a folder that receives
// one PARTY.json profile per party (geniusweb.Write). Every outcome's
// utility is preserved for every party; a model the format cannot express
// is an error, and so (ErrUnknownFormat) is any other format.
func Write(path, format string, s *scenario.Scenario) error {
	switch format {
	case "yaml", "json":
		var b bytes.Buffer
		var err error
		if format == "yaml" {
			err = scenario.WriteYAML(&b, s)
		} else {
			err = scenario.WriteJSON(&b, s)
		}
		if err != nil {
			return err
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("catalog: %w", err)
		}
		return nil
	case "genius":
		return genius.Write(path, s)
	case "geniusweb":
		return geniusweb.Write(path, s)
	}
	return fmt.Errorf("%w %q", ErrUnknownFormat, format)
}
