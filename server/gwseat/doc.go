// Package gwseat seats a GeniusWeb party at a Parley table: a Seat is a
// parley.Negotiator that drives a party reached at a URL over GeniusWeb's
// party protocol, with Parley acting as the GeniusWeb run server.
//
// # The message flow
//
// Init resolves the party's URL (an http:// or https:// reference is a
// GeniusWeb parties-server "run" address: an HTTP GET on it starts a party
// instance and answers, as plain text, the ws:// address of that instance;
// a ws:// or wss:// URL is the instance itself), opens the WebSocket and
// sends
//
//	{"Settings":{"id":"buyer","profile":"ws://127.0.0.1:41723/profiles/6f…","protocol":"SAOP",
//	  "progress":{"ProgressRounds":{"duration":20,"currentRound":0,"endtime":1767225600000}},"parameters":{}}}
//
// The party fetches its profile from the profile URI, as GeniusWeb parties
// do from a GeniusWeb profiles server: it opens a WebSocket to the URI and
// the first text message is the profile, a LinearAdditiveUtilitySpace
// written by package scenario/geniusweb (GeniusWeb has no way to inline a
// profile in Settings: Settings.profile is a URI, and parties accept the
// ws: and file: schemes only). A ProfileHost serves the profiles; unless
// Options.Profiles names one, each Seat serves its own on a loopback port.
//
// On each of the party's turns Act sends an ActionDone for every action
// the other parties took since the party's last turn, then {"YourTurn":{}},
// and reads the party's action: an Offer, an Accept (whose bid must be the
// offer on the table) or an EndNegotiation. As in GeniusWeb's SAOP, the
// party also receives an ActionDone for its own action. Finish (parley's
// Finisher) relays the closing actions it can know and sends
//
//	{"Finished":{"agreements":{"buyer":{"issuevalues":{…}},"seller":{"issuevalues":{…}}}}}
//
// (an empty map without agreement), then closes the connection.
//
// # Tags
//
// GeniusWeb 1.x and 2.x differ in the type tags of actions and progress
// (offer, accept, endnegotiation, rounds, time in 1.x; Offer, Accept,
// EndNegotiation, ProgressRounds, ProgressTime in 2.x) and of the profile's
// value-set utilities (discreteutils, numberutils against
// DiscreteValueSetUtilities, NumberValueSetUtilities). A Seat writes the
// generation Options.Tags names and reads both.
//
// # Limits
//
// Only SAOP is spoken (not SHAOP, MOPAC or Learn), and only profiles with
// a GeniusWeb LinearAdditiveUtilitySpace form are served (no partial
// orderings, no ?partial= elicitation queries, no file: URIs). A seat
// knows what its State shows, so at the end it relays the closing
// acceptances of an agreement and a walk-out that follows the party's
// turn directly, but not an offer made by another party after the party's
// last turn before the deadline. Settings.parameters pass through
// unchanged; Parley keeps no persistent state or negotiation data files
// for learning parties.
//
// # Faults
//
// A Seat never panics and never guesses: an unknown issue or value, an
// incomplete bid, a malformed or oversized message, an action out of turn,
// a closed connection or a missed turn deadline is an *Error naming the
// party, which the protocol turns into the end of the negotiation with
// reason error. The sentinel errors (ErrMalformed, ErrBid, ErrOutOfTurn,
// ErrLate, ErrClosed, ErrTooBig) say which.
package gwseat
