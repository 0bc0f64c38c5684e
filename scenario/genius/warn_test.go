package genius

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// evaluated is goodIssues (Color red 1, blue 2; Size S 1, M 2, so red and S
// score 0.5, blue and M 1) with the given weights of Color and Size.
func evaluated(wColor, wSize string) string {
	return goodIssues + `<weight index="1" value="` + wColor + `"/>` + "\n" + `<weight index="2" value="` + wSize + `"/>` + "\n"
}

// TestProfileWarnings: files GENIUS loads load with GENIUS's numbers
// (hand-computed from AdditiveUtilitySpace and EvaluatorDiscrete), and what
// looks like a mistake comes back as a warning naming file and line.
func TestProfileWarnings(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		want    map[[2]string]float64 // utility of (Color, Size)
		warn    []string              // substrings, one warning each, in order
	}{
		{"weights sum to 1", profileXML("", evaluated("0.4", "0.6")),
			map[[2]string]float64{{"red", "S"}: 0.5, {"blue", "M"}: 1}, nil},
		// 0.6·e + 0.5·e: (blue, M) sums to 1.1 and is capped at 1.
		{"weights sum above 1", profileXML("", evaluated("0.6", "0.5")),
			map[[2]string]float64{{"blue", "M"}: 1, {"red", "M"}: 0.8, {"red", "S"}: 0.55, {"blue", "S"}: 0.85},
			[]string{"p.xml:2: issue weights sum to 1.1, not 1: used as written"}},
		{"weights sum below 1", profileXML("", evaluated("0.25", "0.5")),
			map[[2]string]float64{{"blue", "M"}: 0.75, {"red", "S"}: 0.375},
			[]string{"p.xml:2: issue weights sum to 0.75, not 1"}},
		// red 1, blue 2, red 4: red keeps 4, the maximum, so red 1, blue 0.5.
		{"value evaluated twice", profileXML("", strings.Replace(evaluated("0.5", "0.5"), `<item value="blue" evaluation="2"/>`,
			`<item value="blue" evaluation="2"/><item value="red" evaluation="4"/>`, 1)),
			map[[2]string]float64{{"red", "S"}: 0.75, {"blue", "M"}: 0.75},
			[]string{`p.xml:4: issue "Color": value "red" evaluated again (first at line 4): GENIUS keeps the last evaluation`}},
		// purple 4 is not in the domain but sets the maximum: red 0.25, blue 0.5.
		{"value not in the domain", profileXML("", strings.Replace(evaluated("0.5", "0.5"), `<item value="blue" evaluation="2"/>`,
			`<item value="blue" evaluation="2"/><item value="purple" evaluation="4"/>`, 1)),
			map[[2]string]float64{{"red", "M"}: 0.625, {"blue", "M"}: 0.75},
			[]string{`p.xml:4: issue "Color" has no value "purple" in the domain: ignored, but its evaluation 4 counts`}},
		{"item without evaluation", profileXML("", strings.Replace(evaluated("0.5", "0.5"), `<item value="red" evaluation="1"/>`,
			`<item value="red"/><item value="red" evaluation="1"/>`, 1)),
			map[[2]string]float64{{"red", "M"}: 0.75},
			[]string{`p.xml:4: issue "Color": value "red": an <item> without an evaluation is skipped`}},
		{"weight given twice", profileXML("", goodIssues+`<weight index="1" value="0.9"/>`+"\n"+evaluated("0.5", "0.5")[len(goodIssues):]),
			map[[2]string]float64{{"blue", "S"}: 0.75},
			[]string{`p.xml:10: second weight for issue "Color" (first at line 9): GENIUS uses the last`}},
		{"weight for no issue", profileXML("", evaluated("0.5", "0.5")+`<weight index="5" value="1"/>`+"\n"),
			map[[2]string]float64{{"blue", "S"}: 0.75},
			[]string{"p.xml:11: weight for index 5, which is no issue of the domain: ignored"}},
		{"issue not in the domain", profileXML("", evaluated("0.5", "0.5")+`<issue index="7" name="Weight"/>`+"\n"),
			map[[2]string]float64{{"blue", "S"}: 0.75},
			[]string{`p.xml:11: issue "Weight" (index 7) is not in the domain: ignored`}},
		{"issue named otherwise", profileXML("", strings.Replace(evaluated("0.5", "0.5"), `name="Size"`, `name="Sizes"`, 1)),
			map[[2]string]float64{{"blue", "S"}: 0.75},
			[]string{`p.xml:6: issue index 2 is called "Sizes" here but "Size" in the domain`}},
		// The second Size element (S 2, M 1) replaces the first.
		{"issue given twice", profileXML("", evaluated("0.5", "0.5")+
			`<issue index="2" name="Size"><item value="S" evaluation="2"/><item value="M" evaluation="1"/></issue>`+"\n"),
			map[[2]string]float64{{"blue", "S"}: 1, {"blue", "M"}: 0.75},
			[]string{`p.xml:11: issue "Size" given again (first at line 6): GENIUS uses the last`}},
		{"reservation not a number", profileXML(`<reservation value="high"/>`+"\n", evaluated("0.5", "0.5")),
			map[[2]string]float64{{"blue", "M"}: 1},
			[]string{`p.xml:2: reservation value "high" is not a number: reservation value 0`}},
		{"discount not a number", profileXML(`<discount_factor value="x"/>`+"\n", evaluated("0.5", "0.5")),
			map[[2]string]float64{{"blue", "M"}: 1},
			[]string{`p.xml:2: discount factor "x" is not a number: no discounting`}},
	}
	d, err := ParseDomain("d.xml", []byte(smallDomain))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, warns, err := ParseProfile("p.xml", []byte(tt.profile), d)
			if err != nil {
				t.Fatal(err)
			}
			for vals, want := range tt.want {
				o, err := d.Space.Parse(map[string]string{"Color": vals[0], "Size": vals[1]})
				if err != nil {
					t.Fatal(err)
				}
				if got := p.Utility.Utility(o); !near(got, want) {
					t.Errorf("U(%v) = %.17g, want %v", vals, got, want)
				}
			}
			if p.Reservation != 0 || p.DiscountFactor() != 1 {
				t.Errorf("reservation %v discount %v, want 0 and 1", p.Reservation, p.DiscountFactor())
			}
			if len(warns) != len(tt.warn) {
				t.Fatalf("warnings %q, want %d like %q", warns, len(tt.warn), tt.warn)
			}
			for i, w := range tt.warn {
				if !strings.HasPrefix(warns[i], "genius: ") || !strings.Contains(warns[i], w) || strings.Contains(warns[i], "\n") {
					t.Errorf("warning %q, want one line with %q", warns[i], w)
				}
			}
		})
	}
}

// TestWarningsBounded: a file with many oddities gives a bounded number of
// warnings, the last counting the rest.
func TestWarningsBounded(t *testing.T) {
	d, err := ParseDomain("d.xml", []byte(smallDomain))
	if err != nil {
		t.Fatal(err)
	}
	body := evaluated("0.5", "0.5") + strings.Repeat(`<weight index="9" value="1"/>`+"\n", 100)
	_, warns, err := ParseProfile("p.xml", []byte(profileXML("", body)), d)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != maxWarnings+1 || !strings.Contains(warns[maxWarnings], "80 more warnings") {
		t.Errorf("%d warnings, last %q; want %d, the last counting 80 more", len(warns), warns[len(warns)-1], maxWarnings+1)
	}
}

// writeFolder writes a small scenario: the domain d.xml, profiles a.xml and
// b.xml, and extra files.
func writeFolder(t *testing.T, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"d.xml": smallDomain,
		"a.xml": profileXML("", evaluated("0.5", "0.5")),
		"b.xml": profileXML("", evaluated("0.6", "0.5")),
	}
	for k, v := range extra {
		files[k] = v
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestReadDirBadFile: a profile that cannot be read fails the folder with
// an error naming that file; it is never dropped.
func TestReadDirBadFile(t *testing.T) {
	utf16 := []byte{0xFF, 0xFE}
	for _, c := range profileXML("", evaluated("0.5", "0.5")) {
		utf16 = append(utf16, byte(c), 0)
	}
	tests := []struct {
		name string
		file string // in the folder
		data string
		want string
	}{
		{"empty profile", "c.xml", "", "c.xml: no XML root element: the file is empty"},
		{"blank profile", "c.xml", " \n\t\n", "c.xml: no XML root element: the file is empty"},
		{"garbage", "c.xml", "this is not a profile", "c.xml: no XML root element"},
		{"UTF-16", "c.xml", string(utf16), "c.xml: no XML root element: the file is UTF-16 encoded"},
		{"misspelt root", "c.xml", strings.Replace(profileXML("", evaluated("0.5", "0.5")), "utility_space", "utility_spac", 2),
			"c.xml:1: root element <utility_spac> is neither <negotiation_template> (a domain) nor <utility_space> (a profile)"},
		{"truncated", "c.xml", profileXML("", evaluated("0.5", "0.5"))[:40], "c.xml:"},
		{"bad profile", "c.xml", profileXML("", goodIssues), `c.xml:2: issue "Color" has no weight`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFolder(t, map[string]string{tt.file: tt.data})
			s, err := ReadDir(dir)
			if err == nil {
				t.Fatalf("no error; read %d parties %v", len(s.Parties), s.Names())
			}
			if want := filepath.Join(dir, tt.want); !strings.Contains(err.Error(), want) {
				t.Errorf("error %q, want it to contain %q", err, want)
			}
		})
	}
}

// TestReadDirFolderErrors: folder-level problems name the folder or file.
func TestReadDirFolderErrors(t *testing.T) {
	t.Run("no profiles", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "d.xml"), []byte(smallDomain), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadDir(dir)
		if err == nil || !strings.Contains(err.Error(), "genius: "+dir+": no profile files") {
			t.Errorf("error %v, want it to name %s and say it has no profile files", err, dir)
		}
	})
	t.Run("no such folder", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "missing")
		_, err := ReadDir(dir)
		if err == nil || !strings.Contains(err.Error(), dir) || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("error %v, want it to name %s and wrap fs.ErrNotExist", err, dir)
		}
	})
	t.Run("unreadable domain", func(t *testing.T) {
		dir := writeFolder(t, nil)
		dom := filepath.Join(dir, "d.xml")
		// A dangling link cannot be read, even by root.
		if err := os.Remove(dom); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(dir, "gone"), dom); err != nil {
			t.Skipf("SKIP: cannot make a symbolic link here: %v", err)
		}
		_, err := ReadDir(dir)
		if err == nil || !strings.Contains(err.Error(), "genius: "+dom+": open: ") {
			t.Errorf("error %v, want it to name %s", err, dom)
		}
	})
	t.Run("unreadable profile in an FS", func(t *testing.T) {
		fsys := fstest.MapFS{
			"s/d.xml": {Data: []byte(smallDomain)},
			"s/a.xml": {Data: []byte(profileXML("", evaluated("0.5", "0.5")))},
			"s/b.xml": {Data: []byte(profileXML("", evaluated("0.5", "0.5")))},
			"s/c.xml": {Mode: fs.ModeSymlink, Data: []byte("nowhere.xml")},
		}
		_, err := ReadFS(fsys, "s")
		if err == nil || !strings.Contains(err.Error(), "genius: s/c.xml: ") {
			t.Errorf("error %v, want it to name s/c.xml", err)
		}
	})
	t.Run("number table skipped", func(t *testing.T) {
		dir := writeFolder(t, map[string]string{"pareto.xml": "\n0.75, 1.0\n0.8551181, 0.88133335\n1.0, 0.55733335"})
		s, err := ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(s.Names(), ","); got != "a,b" {
			t.Errorf("parties %s, want a,b", got)
		}
		if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], filepath.Join(dir, "b.xml")+":2: issue weights sum to 1.1") {
			t.Errorf("warnings %q, want one about b.xml's weights", s.Warnings)
		}
	})
}

// TestDomainValueTwice: a domain that lists a value twice loads (GENIUS
// loads it) with the value once and a warning naming the line.
func TestDomainValueTwice(t *testing.T) {
	dom := strings.Replace(smallDomain, `<item value="red"/><item value="blue"/>`, `<item value="red"/><item value="blue"/>`+"\n"+`<item value="red"/>`, 1)
	dir := writeFolder(t, map[string]string{"d.xml": dom})
	s, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Space.Issues[0].Values, ","); got != "red,blue" {
		t.Errorf("Color values %s, want red,blue", got)
	}
	want := filepath.Join(dir, "d.xml") + `:6: issue "Color": value "red" listed again (first at line 5): read once`
	if len(s.Warnings) != 2 || !strings.Contains(s.Warnings[0], want) {
		t.Errorf("warnings %q, want first %q (then b.xml's weights)", s.Warnings, want)
	}
	o, err := s.Space.Parse(map[string]string{"Color": "blue", "Size": "S"})
	if err != nil {
		t.Fatal(err)
	}
	if u := s.Parties[0].Profile.Utility.Utility(o); !near(u, 0.75) {
		t.Errorf("a: U(blue, S) = %v, want 0.75", u)
	}
}
