package experiment

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// paramsFile reads testdata/params.txt: (ok, argument) pairs.
func paramsFile(t testing.TB) (ok []bool, args []string) {
	t.Helper()
	f, err := os.Open("testdata/params.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		kind, arg, _ := strings.Cut(line, " ")
		ok = append(ok, kind == "ok")
		args = append(args, arg)
	}
	return ok, args
}

func TestParamsFile(t *testing.T) {
	s := ceasefire(t)
	ok, args := paramsFile(t)
	for i, arg := range args {
		_, err := ParseParam(s, arg)
		if ok[i] && err != nil {
			t.Errorf("%s: %v", arg, err)
		}
		if !ok[i] && err == nil {
			t.Errorf("%s: no error", arg)
		}
	}
}

// FuzzParseParam: ParseParam never panics; what it accepts has values,
// each of which applies to the scenario and reads back the same.
func FuzzParseParam(f *testing.F) {
	s := ceasefire(f)
	_, args := paramsFile(f)
	for _, a := range args {
		f.Add(a)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		p, err := ParseParam(s, arg)
		if err != nil {
			return
		}
		if len(p.Values) == 0 || len(p.Values) > maxValues {
			t.Fatalf("%q: %d values", arg, len(p.Values))
		}
		cells, err := Grid([]Param{p})
		if err != nil {
			t.Fatalf("%q: grid: %v", arg, err)
		}
		if _, err := cells[0].Apply(s); err != nil {
			t.Fatalf("%q: apply: %v", arg, err)
		}
		again, err := ParseParam(s, p.Key()+"="+strings.Join(p.Values, ","))
		if err != nil || strings.Join(again.Values, ",") != strings.Join(p.Values, ",") {
			t.Fatalf("%q: values %v do not read back: %v, %v", arg, p.Values, again.Values, err)
		}
	})
}
