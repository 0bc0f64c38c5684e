// Package strategy holds complete negotiators and a name->constructor table.
//
// The time-dependent family (Faratin, Sierra and Jennings 1998, in the
// utility-space form of GENIUS TimeDependent_Offering) is one type,
// TimeDependent, with the presets Boulware (e = 0.2), Linear (e = 1),
// Conceder (e = 2) and Hardliner (e = 0). Random, TitForTat and MiCRO (de
// Jonge 2022) complete the set of baselines.
//
// Acceptance is separate from bidding: an acceptance condition of package
// strategy/boa (AC_next, AC_const, AC_time, AC_combi and AC_combi with
// MAX^W, after Baarslag, Hindriks and Jonker 2014; combined with
// boa.ACAny), the same library the BOA agents use, can be given to any
// strategy that takes one.
//
// Parse turns a spec such as "boulware:e=0.1,ac=combi(t=0.98)" into a
// Factory; Negotiators is the registry behind it (package spec), which
// lists every name and parameter for `parley agents` and to which a
// program may add its own agents.
//
// Every negotiator here precomputes at Init what it can (the sorted
// utilities of its own profile) so that Act allocates nothing, and takes
// every random choice from Session.Rand, so a seed replays a run.
package strategy
