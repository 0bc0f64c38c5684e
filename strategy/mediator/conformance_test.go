package mediator_test

import (
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/strategy/mediator"
)

// TestRolesConform runs parleytest's Voter and Mediator conformance checks
// on every voter and mediator of the registry: clean failure on bad input,
// the same trace from the same seed, and no State kept between calls.
func TestRolesConform(t *testing.T) {
	_, three := parleytest.Synthetic(t, 11, 4, 3, 5)
	var voters []string
	for _, info := range mediator.Voters().Entries() {
		voters = append(voters, info.Name, info.Name+":walk=true")
	}
	for _, name := range voters {
		f, err := mediator.ParseVoter(name)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("voter-"+name, func(t *testing.T) {
			parleytest.TestVoter(t, func() mediated.Voter { return f() })
			parleytest.TestVoter(t, func() mediated.Voter { return f() }, three...)
		})
	}
	for _, info := range mediator.Mediators().Entries() {
		f, err := mediator.ParseMediator(info.Name)
		if err != nil {
			t.Fatal(err)
		}
		opts := mediated.Options{Info: parley.InfoFull}
		if info.Name == "anneal" {
			opts.Rule = parley.RuleMediator
		}
		t.Run("mediator-"+info.Name, func(t *testing.T) {
			parleytest.TestMediator(t, func() mediated.Mediator { return f() }, opts)
			parleytest.TestMediator(t, func() mediated.Mediator { return f() }, opts, three...)
		})
	}
}
