package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// boundedAlloc runs f and fails the test when it allocates more than
// limit bytes in all (runtime.MemStats.TotalAlloc). A watchdog also
// checks the live heap while f runs and stops the whole test binary once
// it passes the limit, so that a regression fails here instead of
// exhausting the machine. It returns the bytes f allocated.
func boundedAlloc(t testing.TB, limit uint64, f func()) uint64 {
	t.Helper()
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		var ms runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > 2*limit+64<<20 {
				fmt.Fprintf(os.Stderr, "FAIL %s: live heap %d MB, over the bound of %d MB: stopping\n", t.Name(), ms.HeapAlloc>>20, limit>>20)
				os.Exit(1)
			}
		}
	}()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	close(done)
	<-stopped
	got := after.TotalAlloc - before.TotalAlloc
	if got > limit {
		t.Errorf("allocated %d bytes (%d MB), want at most %d MB", got, got>>20, limit>>20)
	}
	return got
}

// laughs returns a "billion laughs" YAML text: anchor l0 is a list of ten
// words, each l(i) a list of ten aliases of l(i-1), so that the last one
// stands for 10^levels words. use is the rest of the file, with LAST
// standing for an alias of the last level.
func laughs(levels int, use string) string {
	var b strings.Builder
	b.WriteString("x0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < levels; i++ {
		fmt.Fprintf(&b, "x%d: &l%d [", i, i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString(strings.ReplaceAll(use, "LAST", fmt.Sprintf("*l%d", levels-1)))
	return b.String()
}

// TestAliasBomb checks that aliases that expand to billions of nodes are
// refused before anything is expanded, at the line of the alias, whatever
// field they are used in. Before the limit, "name: *l8" made the decoder
// print 10^9 words into a string (gigabytes).
func TestAliasBomb(t *testing.T) {
	for _, use := range []string{
		"name: LAST\n",
		"description: [LAST]\n",
		"references: {r: {a: LAST}}\n",
		"parties: [{name: p, vetoes: {a: LAST}}]\n",
		"issues: [{name: a, values: LAST}]\n",
		"parties: [{name: p, rects: [{utility: 1, where: {a: LAST}}]}]\n",
	} {
		t.Run(strings.TrimSpace(use), func(t *testing.T) {
			data := []byte(laughs(9, use))
			if len(data) > 1000 {
				t.Fatalf("the bomb is %d bytes, want under 1 kB", len(data))
			}
			var err error
			boundedAlloc(t, 16<<20, func() { _, err = Parse("bomb.yaml", data, "yaml") })
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want an *Error", err)
			}
			if !strings.Contains(se.Msg, "aliases expanded") || !strings.Contains(se.Msg, "scenario.Max") || se.Line < 2 || se.Line > 10 {
				t.Errorf("got %v, want the limit named at an alias's line", err)
			}
		})
	}
}

// TestAliasBombLongScalar checks that aliases of a long string are
// bounded by their bytes, not only by their number.
func TestAliasBombLongScalar(t *testing.T) {
	long := strings.Repeat("x", 1<<16)
	src := "x0: &l0 " + long + "\n" + laughs(5, "name: LAST\n")[len("x0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"):]
	src = strings.Replace(src, "x1: &l1 [*l0", "x1: &l1 [*l0", 1)
	var err error
	boundedAlloc(t, 32<<20, func() { _, err = Parse("long.yaml", []byte(src), "yaml") })
	if err == nil || !strings.Contains(err.Error(), "bytes (the limit, scenario.MaxFileSize)") {
		t.Fatalf("got %v, want the byte limit", err)
	}
}

// manyValues returns a scenario whose one issue lists n values, in the
// given style: "flow" ([v0, v1, ...] on one line), "block" (one per line)
// or "json".
func manyValues(n int, style string) []byte {
	var b bytes.Buffer
	switch style {
	case "json":
		b.WriteString(`{"issues": [{"name": "a", "values": [`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"v%d"`, i)
		}
		b.WriteString(`]}], "parties": []}`)
	case "flow":
		b.WriteString("issues:\n- name: a\n  values: [")
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "v%d", i)
		}
		b.WriteString("]\n")
	default:
		b.WriteString("issues:\n- name: a\n  values:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - v%d\n", i)
		}
	}
	return b.Bytes()
}

// TestTooManyValues checks that a file of 1,000,001 values fails while it
// is read, before the YAML scanner or parser run: it once took 13.4 GB to
// reach the MaxValues check that ran after decoding.
func TestTooManyValues(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10 MB file")
	}
	for _, style := range []string{"flow", "block", "json"} {
		t.Run(style, func(t *testing.T) {
			data := manyValues(MaxValues+1, style)
			format := "yaml"
			if style == "json" {
				format = "json"
			}
			var err error
			// Nodes are counted over the bytes before any tokenizing.
			n := boundedAlloc(t, 16<<20, func() { _, err = Parse("many."+format, data, format) })
			t.Logf("%s: %d bytes of file, %d MB allocated", style, len(data), n>>20)
			var se *Error
			if !errors.As(err, &se) || !strings.Contains(se.Msg, "scenario.MaxNodes") || se.Line < 1 {
				t.Fatalf("got %v, want the node limit with a position", err)
			}
		})
	}
}

// TestBlockMappingLimit checks that a block mapping with more keys than
// MaxBlockKeys is refused before the parser, whose time grows with the
// square of their number, and that the same table in flow style loads.
func TestBlockMappingLimit(t *testing.T) {
	n := MaxBlockKeys + 1
	var vals, block, flow strings.Builder
	for i := range n {
		if i > 0 {
			vals.WriteString(", ")
			flow.WriteString(", ")
		}
		fmt.Fprintf(&vals, "v%d", i)
		fmt.Fprintf(&block, "        v%d: 0.5\n", i)
		fmt.Fprintf(&flow, "v%d: 0.5", i)
	}
	head := "issues:\n  - name: a\n    values: [" + vals.String() + "]\nparties:\n  - name: q\n    weights: {a: 1}\n    values: {a: {" + flow.String() + "}}\n  - name: p\n    weights: {a: 1}\n    values:\n"
	var err error
	boundedAlloc(t, 256<<20, func() { _, err = Parse("block.yaml", []byte(head+"      a:\n"+block.String()), "yaml") })
	var se *Error
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "scenario.MaxBlockKeys") || se.Line != 12+MaxBlockKeys {
		t.Fatalf("got %v, want the block-mapping limit at line %d", err, 12+MaxBlockKeys)
	}
	s, err := Parse("flow.yaml", []byte(head+"      a: {"+flow.String()+"}\n"), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Space.Issues[0].Size(); got != n {
		t.Fatalf("%d values, want %d", got, n)
	}
}

// TestLongLineExcerpt checks that the excerpt of an error at the end of a
// very long line is a window around the column, made in time and space
// proportional to the window: a duplicate at the end of a 100,000-value
// flow list once took 141 s to report.
func TestLongLineExcerpt(t *testing.T) {
	const n = 100_000
	var b strings.Builder
	b.WriteString("issues:\n  - name: a\n    values: [")
	for i := range n {
		fmt.Fprintf(&b, "v%d, ", i)
	}
	b.WriteString("v7]\n")
	var err error
	boundedAlloc(t, 300<<20, func() { _, err = Parse("long.yaml", []byte(b.String()), "yaml") })
	var se *Error
	if !errors.As(err, &se) || !strings.Contains(se.Msg, `value "v7" listed twice`) {
		t.Fatalf("got %v, want the duplicate", err)
	}
	lines := strings.Split(se.Excerpt, "\n")
	if len(se.Excerpt) > 1000 || len(lines) < 3 {
		t.Fatalf("excerpt of %d bytes:\n%s", len(se.Excerpt), se.Excerpt)
	}
	// The caret is under the duplicate.
	for i, l := range lines {
		if !strings.HasPrefix(l, ">  3 | ") {
			continue
		}
		caret := strings.IndexByte(lines[i+1], '^')
		if caret < 0 || !strings.HasPrefix(l[caret:], "v7]") {
			t.Fatalf("caret at %d does not point at the duplicate:\n%s", caret, se.Excerpt)
		}
		return
	}
	t.Fatalf("no line 3 in the excerpt:\n%s", se.Excerpt)
}

// TestExcerpt checks the excerpt's layout on short and cut lines.
func TestExcerpt(t *testing.T) {
	long := strings.Repeat("a", 200) + "X" + strings.Repeat("b", 200)
	data := "one\ntwo\nthree\nfour\n" + long + "\nsix\n"
	tests := []struct {
		line, col int
		want      string
	}{
		{1, 1, ">  1 | one\n       ^\n   2 | two\n   3 | three\n   4 | four"},
		{4, 3, "   1 | one\n   2 | two\n   3 | three\n>  4 | four\n         ^\n   5 | " + long[:120] + "...\n   6 | six"},
		{5, 201, "   2 |\n   3 |\n   4 |\n>  5 | ..." + long[140:260] + "...\n" + strings.Repeat(" ", 7+3+60) + "^\n   6 |"},
	}
	for _, tc := range tests {
		if got := Excerpt([]byte(data), tc.line, tc.col); got != tc.want {
			t.Errorf("Excerpt(%d, %d) =\n%s\nwant\n%s", tc.line, tc.col, got, tc.want)
		}
	}
}

// TestReadFileLimit checks that Read refuses a file over MaxFileSize,
// naming it and the limit, without reading it.
func TestReadFileLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.yaml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxFileSize + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	boundedAlloc(t, MaxFileSize+8<<20, func() { _, err = Read(path) })
	if !errors.Is(err, ErrFileTooLarge) || !strings.Contains(err.Error(), "read "+path+": file larger than the limit of 33554432 bytes") {
		t.Fatalf("got %v, want the size limit naming the file", err)
	}
}

// TestBOM checks that a UTF-8 byte order mark at the start of a YAML or
// JSON file is skipped, as XML readers skip it.
func TestBOM(t *testing.T) {
	for _, tc := range []struct{ format, src string }{{"yaml", base}, {"json", baseJSON}} {
		s, err := Parse("bom."+tc.format, append([]byte("\xef\xbb\xbf"), tc.src...), tc.format)
		if err != nil {
			t.Errorf("%s with a BOM: %v", tc.format, err)
			continue
		}
		if len(s.Parties) != 2 {
			t.Errorf("%s with a BOM: %d parties", tc.format, len(s.Parties))
		}
	}
}

// TestDecodeYAML checks the bounded decoder that other YAML files (the
// tournament file) use.
func TestDecodeYAML(t *testing.T) {
	var v struct {
		Agents []string `yaml:"agents"`
		Reps   int      `yaml:"reps"`
	}
	if err := DecodeYAML("t.yaml", []byte("\xef\xbb\xbfagents: [a, b]\nreps: 3\n"), &v); err != nil || len(v.Agents) != 2 || v.Reps != 3 {
		t.Fatalf("got %+v, %v", v, err)
	}
	for _, tc := range []struct{ src, want string }{
		{laughs(9, "agents: LAST\n"), "aliases expanded"},
		{"agents: [a]\nrepz: 3\n", `t.yaml:2:1: repz: unknown field "repz"`},
		{"agents: !!str x\n", "YAML tag !!str is not supported"},
		{"reps: 1\n---\nreps: 2\n", "more than one YAML document"},
	} {
		var err error
		boundedAlloc(t, 16<<20, func() { err = DecodeYAML("t.yaml", []byte(tc.src), &v) })
		var se *Error
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) || se.Line == 0 {
			t.Errorf("%.40q: got %v, want %q with a line", tc.src, err, tc.want)
		}
	}
}

// tables returns a valid scenario whose first issue has n values, with a
// value table for each of two parties, in flow style as WriteYAML writes.
func tables(n int) string {
	var vals, tab strings.Builder
	for i := range n {
		if i > 0 {
			vals.WriteString(", ")
			tab.WriteString(", ")
		}
		fmt.Fprintf(&vals, "v%d", i)
		fmt.Fprintf(&tab, "v%d: %g", i, float64(i%1000)/1000)
	}
	return "issues:\n  - name: a\n    values: [" + vals.String() + "]\n  - name: b\n    values: [x, y]\nparties:\n" +
		"  - name: p\n    weights: {a: 0.5, b: 0.5}\n    values:\n      a: {" + tab.String() + "}\n      b: {x: 1, y: 0}\n" +
		"  - name: q\n    weights: {a: 0.5, b: 0.5}\n    values:\n      a: {" + tab.String() + "}\n      b: {x: 0, y: 1}\n"
}

// TestBytesPerValue bounds what loading a valid file allocates per issue
// value (each with two table entries). Measured on this file with n =
// 10,000: YAML 15.4 kB and JSON 4.0 kB a value before (the YAML parsed
// twice, and an index entry and path string for every value); 7.4 kB and
// 2.6 kB after. Most of what remains is goccy/go-yaml's tokens and tree.
func TestBytesPerValue(t *testing.T) {
	const n = 10_000
	src := []byte(tables(n))
	s, err := Parse("t.yaml", src, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, s); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		format string
		data   []byte
		limit  uint64 // bytes a value
	}{{"yaml", src, 9000}, {"json", js.Bytes(), 3200}} {
		got := boundedAlloc(t, n*tc.limit, func() {
			if _, err := Parse("t."+tc.format, tc.data, tc.format); err != nil {
				t.Fatal(err)
			}
		})
		t.Logf("%s: %d bytes a value", tc.format, got/n)
	}
}

// TestDeepNesting checks that lists and mappings nested past MaxDepth are
// refused before the parser, which recurses once a level: 200,000 "["
// once took the YAML parser past 2 GB.
func TestDeepNesting(t *testing.T) {
	var indented strings.Builder
	indented.WriteString("name:\n")
	for i := range 2000 {
		fmt.Fprintf(&indented, "%sa:\n", strings.Repeat(" ", i+1))
	}
	for _, tc := range []struct{ name, format, src string }{
		{"flow lists", "yaml", "name: " + strings.Repeat("[", 200000) + strings.Repeat("]", 200000) + "\n"},
		{"flow mappings", "yaml", "name: " + strings.Repeat("{a: ", 100000) + "1" + strings.Repeat("}", 100000) + "\n"},
		{"block lists", "yaml", "name:\n" + strings.Repeat("- ", 100000) + "x\n"},
		{"block mappings", "yaml", indented.String()},
		{"json", "json", `{"name": ` + strings.Repeat("[", 200000) + strings.Repeat("]", 200000) + "}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			boundedAlloc(t, 256<<20, func() { _, err = Parse("deep."+tc.format, []byte(tc.src), tc.format) })
			var se *Error
			if !errors.As(err, &se) || !strings.Contains(se.Msg, "scenario.MaxDepth") || se.Line < 1 {
				t.Fatalf("got %.300v, want the depth limit with a position", err)
			}
		})
	}
}

// TestBlockMappingsTogether checks that many block mappings, each under
// MaxBlockKeys but costing the parser MaxBlockKeys² together, are refused.
func TestBlockMappingsTogether(t *testing.T) {
	var b strings.Builder
	b.WriteString("references:\n")
	for r := range 101 {
		fmt.Fprintf(&b, "  r%d:\n", r)
		for k := range 1000 {
			fmt.Fprintf(&b, "    k%d: x\n", k)
		}
	}
	var err error
	boundedAlloc(t, 256<<20, func() { _, err = Parse("many.yaml", []byte(b.String()), "yaml") })
	var se *Error
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "too many keys together") || se.Line < 100*1001 {
		t.Fatalf("got %.300v, want the limit on block mappings together", err)
	}
}

// TestManyTokens checks that a file of punctuation, which makes tokens
// but no values, is refused before the YAML scanner tokenizes it (about
// 200 bytes a token, all at once).
func TestManyTokens(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 16 MB file")
	}
	for name, src := range map[string]string{
		"commas":  "name: [" + strings.Repeat(",", 8<<20) + "]\n",
		"entries": "name:\n" + strings.Repeat("- ", 4<<20) + "\n",
		"anchors": "name: " + strings.Repeat("&a ", 4<<20) + "x\n",
	} {
		t.Run(name, func(t *testing.T) {
			var err error
			boundedAlloc(t, 64<<20, func() { _, err = Parse("punct.yaml", []byte(src), "yaml") })
			var se *Error
			if !errors.As(err, &se) || !strings.Contains(se.Msg, "scenario.Max") || se.Line < 1 {
				t.Fatalf("got %.300v, want a limit with a position", err)
			}
		})
	}
}

// TestPositionYAML checks the positions of values by path.
func TestPositionYAML(t *testing.T) {
	src := []byte("agents:\n  - boulware\n  - conceder\nlimit: 2m\nodd key: {\"a b\": [x, &y z]}\n")
	tests := []struct {
		field     string
		line, col int
		ok        bool
	}{
		{"agents", 2, 3, true},
		{"agents[1]", 3, 5, true},
		{"limit", 4, 8, true},
		{`["odd key"]["a b"][1]`, 5, 25, true}, // the value under its anchor
		{"agents[2]", 0, 0, false},
		{"nothing", 0, 0, false},
		{"limit[0]", 0, 0, false},
		{"agents[x]", 0, 0, false},
	}
	for _, tc := range tests {
		line, col, ok := PositionYAML(src, tc.field)
		if line != tc.line || col != tc.col || ok != tc.ok {
			t.Errorf("PositionYAML(%q) = %d, %d, %v; want %d, %d, %v", tc.field, line, col, ok, tc.line, tc.col, tc.ok)
		}
	}
}

// TestWriteManyIssues checks that WriteYAML writes a scenario of more
// issues than MaxBlockKeys so that it reads back: its weights mapping
// once came out as a block mapping the reader refuses.
func TestWriteManyIssues(t *testing.T) {
	const n = MaxBlockKeys + 1
	var is, w strings.Builder
	for i := range n {
		fmt.Fprintf(&is, `{"name":"i%d","values":["a"]},`, i)
		fmt.Fprintf(&w, `"i%d":0,`, i)
	}
	party := func(name string) string {
		return `{"name":"` + name + `","weights":{` + w.String() + `"x":1},"values":{"x":{"a":1,"b":0}}}`
	}
	src := `{"issues":[` + is.String() + `{"name":"x","values":["a","b"]}],"parties":[` + party("p") + "," + party("q") + `]}`
	s, err := Parse("many.json", []byte(src), "json")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteYAML(&b, s); err != nil {
		t.Fatal(err)
	}
	back, err := Parse("many.yaml", b.Bytes(), "yaml")
	if err != nil {
		t.Fatalf("written file does not read back: %.300v", err)
	}
	if len(back.Space.Issues) != n+1 {
		t.Fatalf("%d issues, want %d", len(back.Space.Issues), n+1)
	}
}
