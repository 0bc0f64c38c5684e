// Package boa is the BOA framework (Baarslag, Hindriks, Hendrikx,
// Dirkzwager and Jonker, "Decoupling negotiating agents to explore the
// space of negotiation strategies", 2014; GENIUS negotiator/boaframework):
// a negotiating agent split into a Bidding strategy, an OpponentModel and an
// Acceptance condition, composed by Negotiator.
//
// Components: bidding TimeDependent (Faratin, Sierra and Jennings 1998, with
// the opponent model choosing among bids just above the target, as GENIUS
// OMS BestBid); opponent models Frequency (HardHeaded, ANAC 2011) and
// Bayesian (Hindriks and Tykhonov 2008, the scalable version); acceptance
// conditions ACNext, ACConst, ACTime, ACCombi and ACCombiMax (Baarslag,
// Hindriks and Jonker 2014), combined with ACAny.
//
// Parse builds a negotiator factory from a spec such as
// "bid=timedep(e=0.2),om=frequency,ac=combi(t=0.98)" (the part after
// "boa:" in a strategy spec). Biddings, Models and Acceptances are the
// registries of components (package spec) behind it, listed by `parley
// agents`; Acceptances is also the "ac" parameter of package strategy's
// negotiators, so both use this one library of acceptance conditions.
//
// Outcomes, the party's own outcomes sorted by utility within its red
// lines, is exported for agents built from these pieces (strategy/anac).
// Every component takes its randomness from Session.Rand, and Act
// allocates nothing.
package boa
