package scenario

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// docFile is the format's documentation, relative to this package.
var docFile = filepath.Join("..", "docs", "scenario-format.md")

// docBlock returns the first fenced block of the given language after the
// line heading in the documentation.
func docBlock(t *testing.T, heading, lang string) string {
	t.Helper()
	data, err := os.ReadFile(docFile)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	i := strings.Index(doc, "\n"+heading+"\n")
	if i < 0 && !strings.HasPrefix(doc, heading+"\n") {
		t.Fatalf("%s: no heading %q", docFile, heading)
	}
	rest := doc[max(i, 0):]
	open := "```" + lang + "\n"
	j := strings.Index(rest, open)
	if j < 0 {
		t.Fatalf("%s: no ```%s block after %q", docFile, lang, heading)
	}
	body := rest[j+len(open):]
	k := strings.Index(body, "```\n")
	if k < 0 {
		t.Fatalf("%s: unterminated block after %q", docFile, heading)
	}
	return body[:k]
}

// TestDocExample parses the complete example of docs/scenario-format.md
// and checks the utilities the text after it states.
func TestDocExample(t *testing.T) {
	src := docBlock(t, "## Complete example", "yaml")
	s, err := Parse("supplier.yaml", []byte(src), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Space.Size() != 225 || fmt.Sprint(s.Names()) != "[buyer supplier broker]" || s.Deadline != 60 {
		t.Errorf("size %d, parties %v, deadline %d", s.Space.Size(), s.Names(), s.Deadline)
	}
	split := s.References[1]
	if split.Name != "split" {
		t.Fatalf("second reference %q, want split", split.Name)
	}
	for i, want := range []float64{0.61, 1, 0.75} {
		if got := s.Parties[i].Profile.Utility.Utility(split.Outcome); fmt.Sprintf("%.12f", got) != fmt.Sprintf("%.12f", want) {
			t.Errorf("%s at split: %v, want %v", s.Parties[i].Name, got, want)
		}
	}
	var b bytes.Buffer
	if err := WriteYAML(&b, s); err != nil {
		t.Fatal(err)
	}
	back, err := Parse("written.yaml", b.Bytes(), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	sameUtilities(t, s, back)
}

// TestDocErrorExample checks that the error shown in the documentation is
// what Parse reports for the example with a misspelt weight.
func TestDocErrorExample(t *testing.T) {
	src := docBlock(t, "## Complete example", "yaml")
	bad := strings.Replace(src, "price: 4, warranty: 1}", "price: 4, waranty: 1}", 1)
	if bad == src {
		t.Fatal("example has no buyer weight for warranty")
	}
	_, err := Parse("supplier.yaml", []byte(bad), "yaml")
	if err == nil {
		t.Fatal("no error")
	}
	want := strings.TrimSpace(docBlock(t, "## Reading rules", "text"))
	got, _, _ := strings.Cut(err.Error(), "\n")
	if got != want {
		t.Errorf("documented error\n  %s\nbut Parse says\n  %s", want, got)
	}
}

// TestDocProtocolExample checks that the protocol example of
// docs/scenario-format.md is the built-in ceasefire scenario's protocol.
func TestDocProtocolExample(t *testing.T) {
	doc, builtin := docCeasefire(t, "### Example: the ceasefire protocol", "protocol")
	if !reflect.DeepEqual(doc.Protocol, builtin.Protocol) {
		t.Errorf("documented protocol\n%+v\nbuilt-in\n%+v", doc.Protocol, builtin.Protocol)
	}
}

// TestDocLimitsExample checks the error the documentation shows for a
// "billion laughs" file (the one TestAliasBomb builds, used as a name).
func TestDocLimitsExample(t *testing.T) {
	data, err := os.ReadFile(docFile)
	if err != nil {
		t.Fatal(err)
	}
	_, perr := Parse("bomb.yaml", []byte(laughs(9, "name: LAST\n")), "yaml")
	if perr == nil {
		t.Fatal("the bomb parsed")
	}
	first, _, _ := strings.Cut(perr.Error(), "\n")
	if !strings.Contains(string(data), "\n  "+first+"\n") {
		t.Errorf("%s does not show the error Parse gives:\n  %s", docFile, first)
	}
}

// TestDocAssumptionsExample: the documented assumptions are the built-in
// ceasefire's.
func TestDocAssumptionsExample(t *testing.T) {
	doc, builtin := docCeasefire(t, "### Example: the ceasefire's assumptions", "assumptions")
	if len(builtin.Assumptions) == 0 || !reflect.DeepEqual(doc.Assumptions, builtin.Assumptions) {
		t.Errorf("documented assumptions\n%+v\nbuilt-in\n%+v", doc.Assumptions, builtin.Assumptions)
	}
}

// docCeasefire reads the built-in ceasefire with its top-level section
// from the documented YAML block after heading in place of its own (the
// section and everything after it), and the built-in ceasefire itself.
func docCeasefire(t *testing.T, heading, section string) (doc, builtin *Scenario) {
	t.Helper()
	src := docBlock(t, heading, "yaml")
	data, err := os.ReadFile(ceasefireFile)
	if err != nil {
		t.Fatal(err)
	}
	head, _, ok := strings.Cut(string(data), "\n"+section+":\n")
	if !ok {
		t.Fatalf("ceasefire.yaml has no %s section", section)
	}
	if doc, err = Parse("doc.yaml", []byte(head+"\n"+src), "yaml"); err != nil {
		t.Fatal(err)
	}
	if builtin, err = Read(ceasefireFile); err != nil {
		t.Fatal(err)
	}
	return doc, builtin
}
