// Package server serves negotiations over HTTP: `parley serve`.
//
// A negotiation is a resource created from a scenario (a built-in name or
// uploaded files in any format Parley reads), a protocol (alternating
// offers, or the scenario's declared stages) and a list of seats, one per
// party: a built-in strategy by spec, or a remote seat played by a program
// or a person through the API; a staged protocol's mediator may be remote
// too. Every seat is a parley.Negotiator (and parley.Voter, or
// parley.Mediator) driven by the one protocol loop of package
// protocol/sao, protocol/mediated or protocol/staged; a remote seat waits,
// on each turn, for its answer under the turn's deadline.
//
// Each negotiation has one append-only, sequence-numbered event log
// (persisted through a Log, such as store/sqlite's) from which every view
// is computed. A token grants exactly one lens of one negotiation: a
// seat's (the public events and its own: its profile, its turns, its
// votes, its result), the mediator's (the votes and declared profiles its
// information level allows), the observer's (the public events: names,
// offers, the ending) or the owner's (everything, with the analysis). A lens shows only events already
// persisted, so no client sees an event that a crash could lose.
//
// Config.Results adds read-only results pages: stored tournaments and
// experiments (package server/results reads their SQLite databases), their
// reports and runs, and a replay of any stored run as a finished
// negotiation that the lenses show like any other.
//
// The API is REST (JSON) plus a WebSocket stream per lens that resumes
// after a sequence number; its OpenAPI 3.1 document is served at
// /openapi.json and docs/server.md describes the protocol with a session
// transcript.
package server
