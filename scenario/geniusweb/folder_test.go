package geniusweb

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadDirBadProfile: a file meant as a profile that cannot be read
// fails the folder with an error naming it; it is never skipped.
func TestReadDirBadProfile(t *testing.T) {
	good, err := os.ReadFile("testdata/jobs/profileA.json")
	if err != nil {
		t.Fatal(err)
	}
	var utf16 []byte
	for _, c := range good {
		utf16 = append(utf16, c, 0)
	}
	tests := []struct {
		name, data, want string
	}{
		{"misspelt type", strings.Replace(string(good), "LinearAdditiveUtilitySpace", "LinearAdditiveUtilitySpac", 1),
			`profileC.json:1: not a GeniusWeb profile: top-level key "LinearAdditiveUtilitySpac" is no profile type`},
		{"lower-case type", strings.Replace(string(good), "LinearAdditiveUtilitySpace", "linearadditiveutilityspace", 1),
			`profileC.json:1: not a GeniusWeb profile: top-level key "linearadditiveutilityspace"`},
		{"unwrapped profile", unwrap(t, good), "profileC.json:1: not a GeniusWeb profile"},
		{"other profile type", strings.Replace(string(good), "LinearAdditiveUtilitySpace", "SumOfGroupsUtilitySpace", 1),
			"profileC.json:1: SumOfGroupsUtilitySpace: unsupported profile type"},
		{"empty", "", "profileC.json"},
		{"UTF-16", string(utf16), "profileC.json"},
		{"garbage", "profile C", "profileC.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range map[string][]byte{"profileA.json": good, "profileB.json": good, "profileC.json": []byte(tt.data)} {
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			s, err := ReadDir(dir)
			if err == nil {
				t.Fatalf("no error; read parties %v", s.Names())
			}
			if want := "geniusweb: " + filepath.Join(dir, tt.want); !strings.Contains(err.Error(), want) {
				t.Errorf("error %q, want it to contain %q", err, want)
			}
		})
	}
}

// unwrap returns the inner object of a {"LinearAdditiveUtilitySpace": {...}}
// document.
func unwrap(t *testing.T, doc []byte) string {
	t.Helper()
	s := strings.TrimSpace(string(doc))
	const key = `"LinearAdditiveUtilitySpace":`
	i := strings.Index(s, key)
	if i < 0 || !strings.HasSuffix(s, "}") {
		t.Fatalf("not a wrapped profile: %.60s", s)
	}
	return strings.TrimSpace(s[i+len(key) : len(s)-1])
}

// TestReadDirFolder: folder-level problems name the folder or file; the
// domain file and other JSON data are skipped.
func TestReadDirFolder(t *testing.T) {
	good, err := os.ReadFile("testdata/jobs/profileA.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("domain.json", []byte(`{"name":"jobs","issuesValues":{"a":{"values":["x","y"]}}}`))
	write("specials.json", []byte(`{"size": 4, "nash": {"utility": [0.5, 0.5]}}`))
	write("list.json", []byte(`[1, 2]`))
	if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), "geniusweb: "+dir+": no profile files") {
		t.Errorf("no profiles: %v", err)
	}
	write("profileA.json", good)
	if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), "geniusweb: "+dir+": one profile file") {
		t.Errorf("one profile: %v", err)
	}
	write("profileB.json", good)
	s, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Names(), ","); got != "profileA,profileB" {
		t.Errorf("parties %s", got)
	}
	link := filepath.Join(dir, "profileC.json")
	if err := os.Symlink(filepath.Join(dir, "gone"), link); err != nil {
		t.Skipf("SKIP: cannot make a symbolic link here: %v", err)
	}
	if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), "geniusweb: "+link+": open: ") {
		t.Errorf("unreadable profile: %v", err)
	}
}
