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
// # Protocol vocabulary
//
// The words of a declared protocol (docs/scenario-format.md, "Protocol")
// are typed here once: a stage's Mechanism, Transition, Carry and Start,
// a mediated stage's Rule and Info, and the Reason a run ends with. Each
// has one spelling, written by MarshalText and read by its Parse function
// and UnmarshalText, which scenario files, traces, JSON and the results
// database all use. Stage is a declared stage with its parties resolved to
// indices, and Stage.Check its one validator: scenario checks a file's
// stages with it, protocol/staged a plan built in Go. They live in the
// root, not in a protocol package, because Reason is here already (seats
// see it in Ending), because every package that speaks of stages
// (scenario, the protocols, plan, experiment, the command) may import the
// root while scenario may not import the protocols, and because a
// vocabulary package beside the root would split Reason from its kin. The
// roles of a mediated negotiation, Voter and Mediator, are declared here
// for the same reason: the mechanism that calls them and the strategies
// that implement them meet here without importing each other.
//
// The package uses the standard library only; protocols (protocol/...),
// strategies (strategy/...), formats (scenario/...) and analysis build on it.
package parley
