// Package buildinfo describes the running build of parley, as the Go
// toolchain recorded it in the binary.
package buildinfo

import "runtime/debug"

// Version describes this build: the module version ("(devel)" for a
// build from a work tree), the VCS revision and whether the tree had
// uncommitted changes, and the Go version, as the Go toolchain recorded
// them in the binary.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown build)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += " (commit " + rev + modified + ")"
	}
	return v + ", " + bi.GoVersion
}
