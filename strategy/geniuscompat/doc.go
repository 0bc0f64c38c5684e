// Package geniuscompat holds negotiators that reproduce GENIUS 9.1.9's
// classic time-dependent agents bug for bug, so that results published
// with GENIUS can be reproduced in Parley:
//
//   - TimeDependent is BoulwareNegotiationParty (e = 0.2),
//     ConcederNegotiationParty (e = 2) and, with e = 1, a linear party
//     (negotiator/parties/AbstractTimeDependentNegotiationParty.java): it
//     aims at 1 − (t − 1/(D+1))^(1/e), ignores its reservation value, picks
//     its bid with SortedOutcomeSpace.getBidNearUtility and accepts only an
//     offer strictly better than its next bid.
//   - Hardliner is agents/TimeDependentAgentHardliner.java: it always offers
//     getBidNearUtility(Pmax) and accepts an offer at least as good.
//
// Both keep GENIUS's sorted outcome space (Sorted): every bid enumerated
// with the first issue changing fastest, sorted by utility (descending) with
// ties broken by GENIUS's BidDetails.hashCode (Java String.hashCode of the
// values, Double.doubleToLongBits of the utility), searched with GENIUS's
// quirky binary search. The sort is built once per prepared utility table
// and shared by every negotiation on it (SortedOf); Act allocates nothing.
//
// To see GENIUS's timing, run them in protocol/sao with
// Options.Timing = sao.TimingGENIUS: every turn of round R of D sees
// t = R/(D+1), as GENIUS's DiscreteTimeline. The exact rules are written
// up in docs/genius-compatibility.md; Parley's own strategy.TimeDependent
// is the principled version (it never agrees below its reservation value).
package geniuscompat
