package parley_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
)

func TestCheckParties(t *testing.T) {
	space, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "x", Values: []string{"a", "b"}}})
	if err != nil {
		t.Fatal(err)
	}
	other := space.Clone()
	u := parley.UtilityFunc(func(parley.Outcome) float64 { return 0 })
	p := func(s *parley.OutcomeSpace) *parley.Profile { return &parley.Profile{Space: s, Utility: u} }
	for _, tc := range []struct {
		name     string
		profiles []*parley.Profile
		names    []string
		want     string // "" for no error
	}{
		{"two", []*parley.Profile{p(space), p(space)}, []string{"a", "b"}, ""},
		{"one", []*parley.Profile{p(space)}, []string{"a"}, "1 parties, need at least 2"},
		{"names", []*parley.Profile{p(space), p(space)}, []string{"a"}, "1 names for 2 parties"},
		{"nil", []*parley.Profile{p(space), nil}, []string{"a", "b"}, `party "b": parley: no profile`},
		{"no utility", []*parley.Profile{p(space), {Space: space}}, []string{"a", "b"}, `party "b": parley: no profile`},
		{"spaces", []*parley.Profile{p(space), p(other)}, []string{"a", "b"}, `party "b": profile over another outcome space`},
	} {
		err := parley.CheckParties(tc.profiles, tc.names)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
		if strings.Contains(tc.want, "no profile") && !errors.Is(err, parley.ErrNoProfile) {
			t.Errorf("%s: %v does not wrap ErrNoProfile", tc.name, err)
		}
	}
}
