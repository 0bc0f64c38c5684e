package mediator

import "github.com/parley-dev/parley"

// AsDesigned reports whether m runs as designed under the adoption rule:
// the annealing mediator (Anneal) adopts rejected proposals, and only
// parley.RuleMediator asks a mediator to adopt, so under any other rule it
// runs as hill-climbing; every other mediator runs as designed under every
// rule.
func AsDesigned(m Mediator, rule parley.Rule) bool {
	_, anneal := m.(*Anneal)
	return !anneal || rule == parley.RuleMediator
}
