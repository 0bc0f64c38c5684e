// Package parley holds the domain types of the Parley negotiation engine:
// issues and outcome spaces (outcomes are dense integer indices), utility
// functions and profiles, the Negotiator seat interface with the State it
// sees on its turn, and the Result of a negotiation.
//
// # Seats are adversaries
//
// A negotiator, voter or mediator may be someone else's code. Parley's
// mechanisms (protocol/sao, protocol/mediated, protocol/staged) therefore
// keep their own authoritative state and their own copies of the profiles
// they score with, and hand each seat only a private view:
//
//   - State: a fresh copy for each seat on each turn (the offer history
//     copied incrementally into the seat's own buffer); only the mediator's
//     view holds votes, as its information level allows.
//   - Session: private copies of the names and of the seat's own profile,
//     made for each run; a mediator's declared profiles are copies too.
//     Utility functions (package ufun) are immutable and shared: a
//     scenario is prepared once (scenario.Scenario.Prepare, which returns a
//     read-only scenario.Prepared and leaves the scenario alone), and every
//     run hands out the same tables, with their sorted indices.
//   - Finisher: an Ending with the public facts and the seat's own result.
//
// What a seat writes to any of these changes only its own view: not the
// agreement, not the scoring, not another seat, not a later run. The
// parleytest package checks this (TestSAO, TestMediated). In-process seats
// still share the process: a seat that panics in a goroutine of its own, or
// uses unsafe or reflection on memory it was not given, is beyond what a
// mechanism can stop; run untrusted code as a remote seat in another
// process.
//
// The package uses the standard library only; protocols (protocol/...),
// strategies (strategy/...), formats (scenario/...) and analysis build on it.
package parley
