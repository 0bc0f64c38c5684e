package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// TestDocs: docs/web.md shows every screenshot of docs/web, and it and
// the README show only screenshots that exist,
// the README links docs/web.md, and docs/web.md's table of browser tests
// names exactly the package's TestBrowser functions.
func TestDocs(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "web.md"))
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string]bool{}
	for _, m := range regexp.MustCompile(`\]\((web/[^)]+\.png)\)`).FindAllSubmatch(doc, -1) {
		shown[string(m[1])] = true
		if _, err := os.Stat(filepath.Join("..", "docs", string(m[1]))); err != nil {
			t.Errorf("docs/web.md shows %s: %v", m[1], err)
		}
	}
	pngs, err := filepath.Glob(filepath.Join("..", "docs", "web", "*.png"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pngs {
		if name := "web/" + filepath.Base(p); !shown[name] {
			t.Errorf("docs/web.md does not show %s", name)
		}
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`\]\(docs/web\.md\)`).Match(readme) {
		t.Error("README.md does not link docs/web.md")
	}
	for _, m := range regexp.MustCompile(`\]\((docs/web/[^)]+\.png)\)`).FindAllSubmatch(readme, -1) {
		if _, err := os.Stat(filepath.Join("..", string(m[1]))); err != nil {
			t.Errorf("README.md links %s: %v", m[1], err)
		}
	}
	var documented, defined []string
	for _, m := range regexp.MustCompile("(?m)^\\| `(TestBrowser\\w+)` \\|").FindAllSubmatch(doc, -1) {
		documented = append(documented, string(m[1]))
	}
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`(?m)^func (TestBrowser\w+)\(t \*testing\.T\)`).FindAllSubmatch(src, -1) {
			defined = append(defined, string(m[1]))
		}
	}
	slices.Sort(documented)
	slices.Sort(defined)
	if !slices.Equal(documented, defined) {
		t.Errorf("docs/web.md's table of browser tests lists\n%v\nthe package defines\n%v", documented, defined)
	}
}
