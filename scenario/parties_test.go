package scenario

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
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

// TestPartiesAt picks the parties' profiles and names by index, in the
// order given.
func TestPartiesAt(t *testing.T) {
	a, b, c := &parley.Profile{Name: "a"}, &parley.Profile{Name: "b"}, &parley.Profile{Name: "c"}
	s := &Scenario{Name: "three", Parties: []Party{{Name: "A", Profile: a}, {Name: "B", Profile: b}, {Name: "C", Profile: c}}}
	for _, tt := range []struct {
		idx   []int
		profs []*parley.Profile
		names []string
		err   string
	}{
		{[]int{2, 0}, []*parley.Profile{c, a}, []string{"C", "A"}, ""},
		{[]int{0, 1, 2}, []*parley.Profile{a, b, c}, []string{"A", "B", "C"}, ""},
		{[]int{}, []*parley.Profile{}, []string{}, ""},
		{[]int{1, 3}, nil, nil, "scenario three has no party 3 (have 3 parties)"},
		{[]int{-1}, nil, nil, "scenario three has no party -1 (have 3 parties)"},
	} {
		profs, names, err := s.PartiesAt(tt.idx)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%v: got %v, want error %q", tt.idx, err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(profs, tt.profs) || !slices.Equal(names, tt.names) {
			t.Errorf("%v: got %v %v, %v; want %v %v", tt.idx, profs, names, err, tt.profs, tt.names)
		}
	}
}
