package scenario

import (
	"bytes"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/ufun"
)

// TestNormalizeWeights: normalize_weights: false keeps the weights as
// written and caps utilities at 1 (a GENIUS profile's semantics); the
// default makes them relative. Values are hand-computed from base (A:
// colour red 1, green 0; size 1, 2, 3 -> 0, 0.5, 1).
func TestNormalizeWeights(t *testing.T) {
	tests := []struct {
		name, weights string
		want          map[[2]string]float64
	}{
		{"relative", "weights: {colour: 1, size: 1}",
			map[[2]string]float64{{"red", "3"}: 1, {"red", "2"}: 0.75, {"green", "2"}: 0.25}},
		{"as written above 1", "normalize_weights: false\n    weights: {colour: 0.75, size: 0.5}",
			map[[2]string]float64{{"red", "3"}: 1, {"red", "2"}: 1, {"red", "1"}: 0.75, {"green", "3"}: 0.5}},
		{"as written below 1", "normalize_weights: false\n    weights: {colour: 0.5, size: 0.25}",
			map[[2]string]float64{{"red", "3"}: 0.75, {"green", "2"}: 0.125}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(base, "weights: {colour: 1, size: 1}", tt.weights, 1)
			s, err := Parse("w.yaml", []byte(src), "yaml")
			if err != nil {
				t.Fatal(err)
			}
			for vals, want := range tt.want {
				o, err := s.Space.Parse(map[string]string{"colour": vals[0], "size": vals[1]})
				if err != nil {
					t.Fatal(err)
				}
				if got := s.Parties[0].Profile.Utility.Utility(o); got != want {
					t.Errorf("U(%v) = %v, want %v", vals, got, want)
				}
			}
		})
	}
	bad := strings.Replace(base, "  - name: B\n", "  - name: B\n    model: constraint\n    max: 1\n    normalize_weights: false\n", 1)
	if _, err := Parse("w.yaml", []byte(bad), "yaml"); err == nil || !strings.Contains(err.Error(), "normalize_weights belongs to model") {
		t.Errorf("normalize_weights on a constraint profile: %v", err)
	}
}

// TestWriteWeightsAsWritten: weights that do not sum to 1 survive a write
// and a read in both formats, with the cap at 1.
func TestWriteWeightsAsWritten(t *testing.T) {
	sp, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "a", Values: []string{"x", "y"}}, {Name: "b", Values: []string{"p", "q"}}})
	if err != nil {
		t.Fatal(err)
	}
	s := &Scenario{Name: "w", Space: sp}
	for i, w := range [][]float64{{0.6, 0.5000518}, {0.3, 0.4}} {
		u, err := ufun.NewLinearAdditiveAsWritten(sp, w, [][]float64{{1, 0.5}, {0.25, 1}}, 0)
		if err != nil {
			t.Fatal(err)
		}
		name := string(rune('A' + i))
		s.Parties = append(s.Parties, Party{Name: name, Profile: &parley.Profile{Name: name, Space: sp, Utility: u}})
	}
	for _, format := range []string{"yaml", "json"} {
		var b bytes.Buffer
		write := WriteYAML
		if format == "json" {
			write = WriteJSON
		}
		if err := write(&b, s); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(b.String(), "normalize_weights"); n != 2 {
			t.Errorf("%s: normalize_weights written %d times, want 2\n%s", format, n, b.String())
		}
		back, err := Parse("w."+format, b.Bytes(), format)
		if err != nil {
			t.Fatal(err)
		}
		for i := range s.Parties {
			for o := range sp.Size() {
				u := s.Parties[i].Profile.Utility.Utility(parley.Outcome(o))
				v := back.Parties[i].Profile.Utility.Utility(parley.Outcome(o))
				if u != v {
					t.Errorf("%s: party %d at %s: %v became %v", format, i, sp.Format(parley.Outcome(o)), u, v)
				}
			}
		}
	}
	// A: (x, q) is 0.6 + 0.5000518, capped at 1.
	if u := s.Parties[0].Profile.Utility.Utility(1); u != 1 {
		t.Errorf("U(x, q) = %v, want 1", u)
	}
}
