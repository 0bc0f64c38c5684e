package tournament

import (
	"fmt"

	"github.com/parley-dev/parley/protocol/mediated"
)

// Protocol says how the negotiations of a tournament run (Config.Protocol,
// saved in Meta.Protocol).
type Protocol string

// The protocols a tournament can run.
const (
	// ProtocolSAO (the zero value "" means the same) is alternating
	// offers: the competitors are negotiators, one per party, in every
	// ordered assignment (see Count).
	ProtocolSAO Protocol = "sao"
	// ProtocolMediated is single-text mediation (package
	// protocol/mediated) over all the scenario's parties: the competitors
	// are the Config.Mediators, each run with every voter pool (an
	// assignment of Config.Voters to the parties, repetition allowed).
	ProtocolMediated Protocol = "mediated"
	// ProtocolStaged is the protocol each scenario declares (its stages,
	// or Config.Variant), run by package protocol/staged: the competitors
	// are negotiators in the parties that make offers in some
	// alternating-offers stage; every party votes in mediated stages with
	// Config.Voters (party i with voter i mod len), and Config.Mediators
	// (at most one) holds the pen.
	ProtocolStaged Protocol = "staged"
)

// ParseProtocol reads a protocol name ("" and "sao" are alternating
// offers).
func ParseProtocol(s string) (Protocol, error) {
	switch Protocol(s) {
	case "", ProtocolSAO:
		return ProtocolSAO, nil
	case ProtocolMediated, ProtocolStaged:
		return Protocol(s), nil
	}
	return "", fmt.Errorf("tournament: protocol %q: want %s, %s or %s", s, ProtocolSAO, ProtocolMediated, ProtocolStaged)
}

// or returns the protocol with "" read as ProtocolSAO.
func (p Protocol) or() Protocol {
	if p == "" {
		return ProtocolSAO
	}
	return p
}

// Mediator is one mediator of a tournament: a name (its spec, unique in
// the tournament) and a constructor of fresh mediators. New is called once
// per negotiation and must be safe for concurrent use.
type Mediator struct {
	Name string
	New  func() mediated.Mediator
}

// Voter is one voter strategy of a tournament: a name (its spec, unique in
// the tournament) and a constructor of fresh voters, called once per seat
// and negotiation, safe for concurrent use.
type Voter struct {
	Name string
	New  func() mediated.Voter
}
