package mediator_test

import (
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy/mediator"
)

// TestAsDesigned: the annealing mediator runs as designed only under rule
// mediator; hill-climbing under every rule.
func TestAsDesigned(t *testing.T) {
	for _, tc := range []struct {
		m    mediator.Mediator
		rule parley.Rule
		want bool
	}{
		{mediator.NewAnneal(0), parley.RuleMediator, true},
		{mediator.NewAnneal(0), parley.RuleUnanimous, false},
		{mediator.NewAnneal(0), parley.RuleMajority, false},
		{&mediator.HillClimb{}, parley.RuleUnanimous, true},
		{&mediator.HillClimb{}, parley.RuleMediator, true},
	} {
		if got := mediator.AsDesigned(tc.m, tc.rule); got != tc.want {
			t.Errorf("AsDesigned(%T, %s) = %v, want %v", tc.m, tc.rule, got, tc.want)
		}
	}
}
