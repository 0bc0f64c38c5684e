package cli

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const filesDomain = `<negotiation_template><utility_space><objective index="0" name="files">
<issue index="1" name="Color" type="discrete"><item value="red"/><item value="blue"/></issue>
<issue index="2" name="Size" type="discrete"><item value="S"/><item value="M"/></issue>
</objective></utility_space></negotiation_template>
`

// filesProfile is a profile of filesDomain (red 0.5, blue 1; S 1, M 0.5)
// with the given weights of Color and Size.
func filesProfile(wColor, wSize string) string {
	return `<utility_space>
<objective index="0" name="files">
<issue index="1" name="Color" type="discrete"><item value="red" evaluation="1"/><item value="blue" evaluation="2"/></issue>
<issue index="2" name="Size" type="discrete"><item value="S" evaluation="2"/><item value="M" evaluation="1"/></issue>
<weight index="1" value="` + wColor + `"/>
<weight index="2" value="` + wSize + `"/>
</objective>
</utility_space>
`
}

// writeFiles writes files into a new folder and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "files")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// decoded is a JSON document as generic values, without its scenario name.
func decoded(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("%v\n%s", err, s)
	}
	delete(m, "scenario")
	return m
}

// numbers calls f on every number in v.
func numbers(v any, f func(float64)) {
	switch x := v.(type) {
	case float64:
		f(x)
	case []any:
		for _, e := range x {
			numbers(e, f)
		}
	case map[string]any:
		for _, e := range x {
			numbers(e, f)
		}
	}
}

// TestGeniusWeightsWarning: a GENIUS profile whose weights do not sum to 1
// is used as written, and the CLI says so in one line on stderr; stdout
// stays clean JSON. GENIUS -> YAML -> GENIUS keeps the weights and the cap.
func TestGeniusWeightsWarning(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"files_domain.xml": filesDomain,
		"a.xml":            strings.NewReplacer(`evaluation="1"`, `evaluation="2"`, `evaluation="2"`, `evaluation="1"`).Replace(filesProfile("0.5", "0.5")),
		"b.xml":            filesProfile("0.6", "0.5000518"),
	})
	out, stderr, code := exe(t, "analyze", dir, "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	want := "parley: warning: genius: " + filepath.Join(dir, "b.xml") + ":2: issue weights sum to 1.1000518, not 1: used as written, with utilities capped at 1, as in GENIUS\n"
	if stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	orig := decoded(t, out)
	// a prefers red and M, b blue and S. b scores (blue, S) 0.6 + 0.5000518,
	// capped at 1, and (blue, M), on the frontier, 0.6 + 0.2500259 =
	// 0.8500259 (normalised weights would give 0.7727...).
	found := false
	pareto, _ := orig["pareto"].(map[string]any)
	numbers(pareto["points"], func(x float64) {
		if x > 1 {
			t.Errorf("utility %v above 1", x)
		}
		if math.Abs(x-0.8500259) < 1e-12 {
			found = true
		}
	})
	if !found {
		t.Errorf("no utility 0.8500259 (b's weights as written) in\n%s", out)
	}

	tmp := t.TempDir()
	y := filepath.Join(tmp, "files.yaml")
	back := filepath.Join(tmp, "back")
	cli(t, "convert", dir, y)
	data, err := os.ReadFile(y)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "normalize_weights: false"); n != 1 {
		t.Errorf("YAML has normalize_weights: false %d times, want once (party b)\n%s", n, data)
	}
	cli(t, "convert", y, back, "--to", "genius")
	for _, path := range []string{y, back} {
		out, _, code := exe(t, "analyze", path, "--json")
		if code != 0 {
			t.Fatalf("analyze %s: exit %d", path, code)
		}
		if got := decoded(t, out); !reflect.DeepEqual(got, orig) {
			t.Errorf("analysis of %s differs from the original's:\n%s", path, out)
		}
	}
}

// TestGeniusFolderBadFile: a profile that cannot be read fails the command
// with exit 1 and an error naming the file, instead of a negotiation with
// fewer parties.
func TestGeniusFolderBadFile(t *testing.T) {
	utf16 := []byte{0xFF, 0xFE}
	for _, c := range []byte(filesProfile("0.5", "0.5")) {
		utf16 = append(utf16, c, 0)
	}
	tests := []struct {
		name, data string
	}{
		{"empty", ""},
		{"garbage", "GENIUS profile of party c"},
		{"UTF-16", string(utf16)},
		{"misspelt root", strings.ReplaceAll(filesProfile("0.5", "0.5"), "utility_space", "utilityspace")},
	}
	for _, tt := range tests {
		for _, parties := range []int{2, 3} {
			t.Run(tt.name+"/"+string(rune('0'+parties)), func(t *testing.T) {
				files := map[string]string{"files_domain.xml": filesDomain, "a.xml": filesProfile("0.5", "0.5")}
				bad := "b.xml"
				if parties == 3 {
					files["b.xml"] = filesProfile("0.5", "0.5")
					bad = "c.xml"
				}
				files[bad] = tt.data
				dir := writeFiles(t, files)
				_, stderr, code := exe(t, "run", dir, "--deadline", "10")
				if code != 1 || !strings.Contains(stderr, "parley: genius: "+filepath.Join(dir, bad)) || strings.Contains(stderr, "panic") {
					t.Errorf("exit %d, stderr %q; want exit 1 and an error naming %s", code, stderr, bad)
				}
			})
		}
	}
	t.Run("no profiles", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{"files_domain.xml": filesDomain})
		_, stderr, code := exe(t, "run", dir)
		if want := "parley: genius: " + dir + ": no profile files"; code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, stderr, want)
		}
	})
	t.Run("GeniusWeb misspelt type", func(t *testing.T) {
		good, err := os.ReadFile(filepath.Join("..", "scenario", "geniusweb", "testdata", "jobs", "profileA.json"))
		if err != nil {
			t.Fatal(err)
		}
		dir := writeFiles(t, map[string]string{
			"a.json": string(good),
			"b.json": string(good),
			"c.json": strings.Replace(string(good), "LinearAdditiveUtilitySpace", "LinearAdditiveUtilitySpac", 1),
		})
		_, stderr, code := exe(t, "run", dir, "--deadline", "10")
		if want := "parley: geniusweb: " + filepath.Join(dir, "c.json"); code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, stderr, want)
		}
	})
}
