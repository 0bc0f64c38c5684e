package scenario

import (
	"reflect"
	"strings"
	"testing"
)

// TestPartyIndices selects parties by name, in the order given.
func TestPartyIndices(t *testing.T) {
	s := &Scenario{Name: "three", Parties: []Party{{Name: "A"}, {Name: "B"}, {Name: "C"}}}
	for _, tt := range []struct {
		names []string
		want  []int
		err   string
	}{
		{nil, []int{0, 1, 2}, ""},
		{[]string{"C", " A"}, []int{2, 0}, ""},
		{[]string{"B", "D"}, nil, `scenario three has no party "D" (have A, B, C)`},
	} {
		got, err := s.PartyIndices(tt.names)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: got %v, want error %q", tt.names, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: got %v, %v, want %v", tt.names, got, err, tt.want)
		}
	}
}
