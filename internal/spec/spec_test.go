package spec

import (
	"slices"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  string
	}{
		{"e=0.2", []string{"e=0.2"}, ""},
		{" e=0.2 , ac=combi(t=0.98,w=2) ", []string{"e=0.2", "ac=combi(t=0.98,w=2)"}, ""},
		{"a=f(g(1,2),3),b=1", []string{"a=f(g(1,2),3)", "b=1"}, ""},
		{"", nil, "empty parameter"},
		{"a=1,,b=2", nil, "empty parameter"},
		{"a=f(1", nil, "unbalanced '('"},
		{"a=f)1(", nil, "unbalanced ')'"},
	}
	for _, tc := range tests {
		got, err := Split(tc.in, "parameter")
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("Split(%q) error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("Split(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
