// Package sharedtest finds, for tests, the third-party data that lives in
// a folder shared/ beside the repository (GENIUS scenarios, recorded GENIUS
// sessions, reference material): it is not part of the repository, so a
// fresh clone lacks it. A test that needs it skips loudly (Skipf), and the
// package's TestMain (Main) prints one summary line of what was skipped.
//
// go test ./... hides the output of a package whose tests pass unless -v is
// given, so a skip message or a line printed by TestMain would go unseen.
// Main therefore also writes its summary to the standard error of the go
// command that runs the test binary, when it can reach it (Linux's
// /proc/PARENT/fd/2), so that the line shows without -v. A cached test
// result (go test's "(cached)") replays nothing: the line shows when the
// tests run.
package sharedtest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var (
	mu      sync.Mutex
	skipped = map[string]bool{} // test names
	missing = map[string]bool{} // absent paths, relative to the module root
	root    string              // set by Main before the tests run (they may change directory)
)

// Root returns the repository root, the nearest folder above the working
// directory that holds go.mod (tests run in their package's folder); under
// Main, the one found before the tests ran.
func Root() (string, error) {
	mu.Lock()
	r := root
	mu.Unlock()
	if r != "" {
		return r, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("sharedtest: no go.mod above the test folder")
		}
		dir = parent
	}
}

// Path returns the path of rel (slash-separated, e.g.
// "scenarios/genius/EnglandZimbabwe_anac2010") in the shared folder beside
// the repository root. When it is absent it skips tb loudly, saying what
// did not run, and counts the skip for Main.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	root, err := Root()
	if err != nil {
		Skipf(tb, "shared/"+rel, "SKIPPED: %v, so no shared/%s", err, rel)
	}
	p := filepath.Join(filepath.Dir(root), "shared", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		Skipf(tb, p, "SKIPPED: %s is absent (%v): third-party data beside the clone, not in the repository; this test did not run", p, err)
	}
	return p
}

// Dir returns the shared folder beside the repository root, after checking
// as Path does (skipping tb loudly otherwise) that rel is in it.
func Dir(tb testing.TB, rel string) string {
	tb.Helper()
	p := Path(tb, rel)
	return strings.TrimSuffix(p, string(filepath.Separator)+filepath.FromSlash(rel))
}

// Skipf skips tb because the shared data at path is absent, with the
// message format, and counts it for Main's summary.
func Skipf(tb testing.TB, path, format string, args ...any) {
	tb.Helper()
	Count(tb.Name(), path)
	tb.Skipf(format, args...)
}

// Count records that what (a test, or a step of one, such as a README
// command) did not run because the shared data at path is absent, without
// skipping anything. The summary names the outermost absent folder of
// path.
func Count(what, path string) {
	r, rerr := Root()
	mu.Lock()
	defer mu.Unlock()
	skipped[what] = true
	if a, err := filepath.Abs(path); err == nil {
		path = a
	}
	// Name the outermost absent folder: ../shared itself in a fresh clone.
	for {
		up := filepath.Dir(path)
		if up == path {
			break
		}
		if _, err := os.Stat(up); err == nil {
			break
		}
		path = up
	}
	if rerr == nil {
		if rel, err := filepath.Rel(r, path); err == nil {
			path = rel
		}
	}
	missing[filepath.ToSlash(path)] = true
}

// Summary returns the line Main prints, "" when nothing was skipped:
//
//	github.com/parley-dev/parley/scenario/genius: 5 tests skipped: ../shared/scenarios/genius absent
func Summary(pkg string) string {
	mu.Lock()
	defer mu.Unlock()
	if len(skipped) == 0 {
		return ""
	}
	paths := slices.Sorted(func(yield func(string) bool) {
		for p := range missing {
			if !yield(p) {
				return
			}
		}
	})
	const most = 3
	if len(paths) > most {
		paths = append(paths[:most], fmt.Sprintf("%d more", len(paths)-most))
	}
	noun := "tests"
	if len(skipped) == 1 {
		noun = "test"
	}
	return fmt.Sprintf("%s: %d %s skipped: %s absent", pkg, len(skipped), noun, strings.Join(paths, ", "))
}

// Main runs the tests of package pkg (an import path, for the summary) and
// returns the exit code for os.Exit. Call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(sharedtest.Main(m, "github.com/parley-dev/parley/analysis")) }
//
// When tests skipped for lack of the shared data it prints the summary to
// standard error and, without -v, to the go command's standard error too.
func Main(m *testing.M, pkg string) int {
	if r, err := Root(); err == nil {
		mu.Lock()
		root = r
		mu.Unlock()
	}
	code := m.Run()
	line := Summary(pkg)
	if line == "" {
		return code
	}
	fmt.Fprintln(os.Stderr, line)
	if !testing.Verbose() {
		if w := goCommandStderr(); w != nil {
			fmt.Fprintln(w, line)
			w.Close()
		}
	}
	return code
}

// goCommandStderr opens the standard error of the parent process when it
// is the go command (Linux only), or returns nil.
func goCommandStderr() io.WriteCloser {
	ppid := strconv.Itoa(os.Getppid())
	exe, err := os.Readlink(filepath.Join("/proc", ppid, "exe"))
	if err != nil || strings.TrimSuffix(filepath.Base(exe), ".exe") != "go" {
		return nil
	}
	fd := filepath.Join("/proc", ppid, "fd", "2")
	// Only a terminal or a pipe: opening a regular file anew gives a
	// second file offset, and the go command's own writes would then
	// overwrite the line (redirect through a pipe, as .ci/run does).
	if fi, err := os.Stat(fd); err != nil || fi.Mode().IsRegular() {
		return nil
	}
	f, err := os.OpenFile(fd, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil
	}
	return f
}
