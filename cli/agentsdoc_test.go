package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// goTool returns the go command that built this test, or "" when there is
// none.
func goTool() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	p, _ := exec.LookPath("go")
	return p
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// TestDocsAgentsGuide: an outside module registers its own agent with
// cli.WithNegotiator and runs a tournament with it. It writes the Go files
// of docs/agents.md into a fresh module (its go.mod replacing
// github.com/parley-dev/parley by this repository, offline: the module
// cache holds the dependencies), builds it with the go tool, runs the
// module's conformance test, and runs the guide's commands with the
// binary, comparing the report with the guide's text.
func TestDocsAgentsGuide(t *testing.T) {
	gobin := goTool()
	if gobin == "" {
		fmt.Fprintln(os.Stderr, "SKIPPING TestDocsAgentsGuide: no go tool to build an outside module")
		t.Skip("SKIPPING: no go tool to build an outside module")
	}
	doc, err := os.ReadFile(filepath.Join("..", "docs", "agents.md"))
	if err != nil {
		t.Fatal(err)
	}
	files := regexp.MustCompile("(?ms)^`([\\w/]+\\.go)`:\n\n```go\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(files) != 3 {
		t.Fatalf("docs/agents.md has %d Go files, want 3 (holdout.go, its test, main.go)", len(files))
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	mod := filepath.Join(tmp, "myparley")
	// The guide's commands name scenarios in a clone of parley beside the
	// module.
	if err := os.Symlink(root, filepath.Join(tmp, "parley")); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) {
		p := filepath.Join(mod, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The module asks for the Go version this repository does.
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go \S+$`).Find(gomod)
	write("go.mod", fmt.Appendf(nil, "module example.com/myparley\n\n%s\n\nrequire github.com/parley-dev/parley v0.0.0\n\nreplace github.com/parley-dev/parley => %s\n",
		goLine, root))
	write("go.sum", sum)
	for _, f := range files {
		write(string(f[1]), f[2])
	}
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = mod, env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v\n%s%s", filepath.Base(name), strings.Join(args, " "), err, out.String(), errb.String())
		}
		return out.String()
	}
	run(gobin, "build", "-o", "myparley", ".")
	run(gobin, "vet", "./...")
	if out := run(gobin, "test", "-count=1", "./holdout"); !strings.HasPrefix(out, "ok") {
		t.Errorf("go test ./holdout: %s", out)
	}
	exe := filepath.Join(mod, "myparley")
	if out := run(exe, "agents"); !strings.Contains(out, "\nholdout\n    asks for its best") {
		t.Errorf("myparley agents does not list holdout:\n%s", out)
	}
	// The guide's tournament, as written.
	text := strings.ReplaceAll(string(doc), "\\\n", " ")
	line := regexp.MustCompile(`(?m)^\./myparley tournament .*$`).FindString(text)
	if line == "" {
		t.Fatal("docs/agents.md has no ./myparley tournament command")
	}
	run(exe, strings.Fields(line)[1:]...)
	report := run(exe, "report", "r.db")
	_, want, _ := strings.Cut(string(doc), "./myparley report r.db\n```\n\n```text\n")
	want, _, _ = strings.Cut(want, "```")
	if report != want {
		t.Errorf("docs/agents.md: the output of `myparley report r.db` is stale; got:\n%s", report)
	}
	if out := run(exe, "replay", "r.db", "1"); !strings.Contains(out, "holdout") {
		t.Errorf("myparley replay r.db 1 does not seat holdout:\n%s", out)
	}
}
