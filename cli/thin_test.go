package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// maxCodeLines is the command's budget (issue 9: "cmd/parley under about
// 1,000 lines of flags and wiring"): package cli holds flag definitions,
// cobra commands, calls into the packages that do the work and the
// mapping of their errors to exit codes. Logic belongs in those packages,
// with their own tests.
const maxCodeLines = 1000

// lineCount is what codeLines counts in a package's non-test Go files.
type lineCount struct {
	nonBlank, comments, help, imports int
}

// code is the non-blank lines that are neither comments, import blocks
// nor the inner lines of multi-line string literals (the commands' help).
func (c lineCount) code() int { return c.nonBlank - c.comments - c.help - c.imports }

// codeLines counts the non-test Go files of dir.
func codeLines(t *testing.T, dir string) lineCount {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var c lineCount
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(src), "\n")
		kind := make([]byte, len(lines)+2) // by line number, from 1
		mark := func(from, to token.Pos, k byte, skipFirst bool) {
			first, last := fset.Position(from).Line, fset.Position(to).Line
			if skipFirst {
				first++
			}
			for l := first; l <= last; l++ {
				kind[l] = k
			}
		}
		for _, cg := range f.Comments {
			mark(cg.Pos(), cg.End(), 'c', false)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind == token.STRING {
					mark(n.Pos(), n.End(), 's', true)
				}
			case *ast.GenDecl:
				if n.Tok == token.IMPORT {
					mark(n.Pos(), n.End(), 'i', false)
				}
			}
			return true
		})
		for i, line := range lines {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			c.nonBlank++
			switch kind[i+1] {
			case 'c':
				if strings.HasPrefix(line, "//") || strings.HasPrefix(line, "/*") {
					c.comments++
				}
			case 's':
				c.help++
			case 'i':
				c.imports++
			}
		}
	}
	return c
}

// TestThinCommand keeps package cli within its budget of code lines.
func TestThinCommand(t *testing.T) {
	c := codeLines(t, ".")
	t.Logf("package cli: %d non-blank lines: %d comment, %d help text, %d import, %d code (budget %d)",
		c.nonBlank, c.comments, c.help, c.imports, c.code(), maxCodeLines)
	if c.code() > maxCodeLines {
		t.Errorf("package cli has %d lines of code, over its budget of %d: move the logic into the package it belongs to (with its tests) and keep only flags and wiring here",
			c.code(), maxCodeLines)
	}
}

// TestCodeLines checks the counter on a file whose lines are known.
func TestCodeLines(t *testing.T) {
	dir := t.TempDir()
	src := "package p\n\n" + // 1 code
		"import (\n\t\"fmt\"\n)\n" + // 3 import
		"// Doc.\n" + // 1 comment
		"const help = `first line\nsecond\nthird`\n\n" + // 1 code, 2 help
		"func f() { fmt.Println(help) } // trailing comment\n" // 1 code
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "p_test.go"), []byte("package p\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := codeLines(t, dir)
	want := lineCount{nonBlank: 9, comments: 1, help: 2, imports: 3}
	if got != want || got.code() != 3 {
		t.Errorf("codeLines = %+v (code %d), want %+v (code 3)", got, got.code(), want)
	}
}
