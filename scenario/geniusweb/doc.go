// Package geniusweb reads and writes negotiation profiles in the JSON format
// of GeniusWeb, the successor of GENIUS used by ANAC 2020-2023 and the ANL
// competitions.
//
// A GeniusWeb profile is a LinearAdditiveUtilitySpace that embeds its
// domain. Both the 1.x type tags (discreteutils, numberutils) and the 2.x
// class names (DiscreteValueSetUtilities, NumberValueSetUtilities) are read;
// Write produces 2.x. A scenario is a folder of profiles (ANL style
// profileA.json, profileB.json), one party per profile.
//
// Semantics, after the GeniusWeb sources (geniusweb.profile.utilityspace):
//
//   - U(bid) = Σ_i w_i·u_i(bid_i). The weights must sum to 1; GeniusWeb
//     checks this exactly with decimals, this package within 1e-6, and does
//     not normalise.
//   - DiscreteValueSetUtilities maps values to utilities in [0,1]; a domain
//     value missing from the map scores 0 (getUtility), while a key the
//     domain lacks is an error.
//   - NumberValueSetUtilities interpolates linearly between (lowValue,
//     lowUtility) and (highValue, highUtility), rounded half-up to 8
//     decimals, and gives 0 outside [lowValue, highValue].
//   - A NumberValueSet {"range":[low,high,step]} becomes an integer issue
//     when step is 1 and both bounds are integers, otherwise a real issue of
//     (high−low)/step+1 points; the step must divide the range.
//   - The reservation value is the utility of reservationBid (0 when it is
//     null or absent); the bid may be partial.
//
// GeniusWeb has no discount factor and no agreement bonus, so Write refuses
// profiles that have either.
package geniusweb
