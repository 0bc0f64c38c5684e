package tournament

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/parley-dev/parley/scenario"
)

// Spec is a tournament as a tournament file states it (docs/tournaments.md):
// each field is the flag of 'parley tournament' of the same name (self_play
// is --self-play). Strings are as written: agents are strategy specs,
// scenarios built-in names or paths, limit a duration ("30s"), shard
// "i/n", timing auto, steps or genius, queue a NATS URL.
type Spec struct {
	Agents    []string `yaml:"agents"`
	Scenarios []string `yaml:"scenarios"`
	Reps      int      `yaml:"reps"`
	Deadline  int      `yaml:"deadline"`
	Seed      uint64   `yaml:"seed"`
	SelfPlay  bool     `yaml:"self_play"`
	Timing    string   `yaml:"timing"`
	Workers   int      `yaml:"workers"`
	Limit     string   `yaml:"limit"`
	DB        string   `yaml:"db"`
	Shard     string   `yaml:"shard"`
	Queue     string   `yaml:"queue"`
	// Protocol, Mediators, Voters, Variant, Rule, Info and Noise choose
	// what the negotiations are (see 'parley tournament --help').
	Protocol  string   `yaml:"protocol"`
	Mediators []string `yaml:"mediators"`
	Voters    []string `yaml:"voters"`
	Variant   string   `yaml:"variant"`
	Rule      string   `yaml:"rule"`
	Info      string   `yaml:"info"`
	Noise     float64  `yaml:"noise"`
}

// File is a tournament file read by ReadFile or ParseFile: its Spec, with
// relative scenario and database paths made relative to the file's
// folder, and what it needs to place an error at a field.
type File struct {
	Spec
	Path string // the file, as given
	data []byte
	keys map[string]bool
}

// ReadFile reads the tournament file at path (at most
// scenario.MaxFileSize bytes) and parses it with ParseFile.
func ReadFile(path string) (*File, error) {
	data, err := scenario.ReadFile(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	return ParseFile(path, data)
}

// ParseFile parses data, the YAML text of the tournament file path,
// strictly and under the limits of scenario files (scenario.DecodeYAML:
// size, nodes with aliases expanded, depth, no tags): an unknown or
// repeated field, a value of the wrong type or a file over a limit is an
// error "tournament: FILE:LINE:COL: field: message" with the source line
// below it. A UTF-8 byte order mark is skipped.
func ParseFile(path string, data []byte) (*File, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	f := &File{Path: path, data: data, keys: map[string]bool{}}
	if err := scenario.DecodeYAML(path, data, &f.Spec); err != nil {
		return nil, fileError(path, err)
	}
	var keys map[string]any
	if err := scenario.DecodeYAML(path, data, &keys); err == nil {
		for k := range keys {
			f.keys[k] = true
		}
	}
	dir := filepath.Dir(path)
	for i, ref := range f.Scenarios {
		f.Scenarios[i] = relativeTo(dir, ref)
	}
	if f.DB != "" && !filepath.IsAbs(f.DB) {
		f.DB = filepath.Join(dir, f.DB)
	}
	return f, nil
}

// Sets reports whether the file sets the field key (a YAML key, e.g.
// "self_play").
func (f *File) Sets(key string) bool { return f.keys[key] }

// ErrorAt returns err about the value at field of the file (a YAML path
// below the root, e.g. "agents[2]" or "limit") as "tournament:
// FILE:LINE:COL: field: err", with the source line below it; without a
// position when the field cannot be found.
func (f *File) ErrorAt(field string, err error) error {
	pos, excerpt := "", ""
	if line, col, ok := scenario.PositionYAML(f.data, field); ok {
		pos = fmt.Sprintf(":%d:%d", line, col)
		excerpt = "\n" + scenario.Excerpt(f.data, line, col)
	}
	return fmt.Errorf("tournament: %s%s: %s: %w%s", f.Path, pos, field, err, excerpt)
}

// fileError words an error reading the tournament file path as
// "tournament: FILE:LINE:COL: message", with the source excerpt below.
func fileError(path string, err error) error {
	var se *scenario.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("tournament: %w", err) // the file system's, naming the file
	}
	pos := ""
	if se.Line > 0 {
		pos = fmt.Sprintf(":%d:%d", se.Line, se.Column)
	}
	msg := se.Msg
	if se.Path != "" {
		msg = se.Path + ": " + msg
	}
	if se.Excerpt != "" {
		msg += "\n" + se.Excerpt
	}
	return fmt.Errorf("tournament: %s%s: %s", path, pos, msg)
}

// relativeTo resolves a scenario reference of a file in dir: a path
// relative to dir, or a built-in name (no path separator or dot, and no
// such file in dir) as is.
func relativeTo(dir, ref string) string {
	if filepath.IsAbs(ref) || dir == "." {
		return ref
	}
	p := filepath.Join(dir, ref)
	if _, err := os.Stat(p); err != nil && !strings.ContainsAny(ref, `/\.`) {
		return ref // a built-in name
	}
	return p
}
