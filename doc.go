// Package parley holds the domain types of the Parley negotiation engine:
// issues and outcome spaces (outcomes are dense integer indices), utility
// functions and profiles, the Negotiator seat interface with the State it
// sees on its turn, and the Result of a negotiation.
//
// The package uses the standard library only; protocols (protocol/...),
// strategies (strategy/...), formats (scenario/...) and analysis build on it.
package parley
