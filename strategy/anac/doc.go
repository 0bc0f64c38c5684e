// Package anac re-implements notable agents of the Automated Negotiating
// Agents Competition (ANAC) from their GENIUS sources: AgentK (2010),
// HardHeaded and Nice Tit-for-Tat (2011), CUHKAgent (2012), Atlas3 (2015),
// PonPokoAgent (2017) and AgentGG (2019). Agents lists them by name with a
// constructor each, for tournaments and the strategy registry.
//
// Each agent has a typed options struct whose zero value is the agent as
// it competed, and a doc comment naming the Java file and lines it was
// checked against and what was changed. Changes common to all:
//
//   - Every random choice comes from Session.Rand, so a seed replays a
//     negotiation (the Java agents use unseeded generators).
//   - Utilities are the profile's own, not rescaled: where the original
//     assumes a best utility of 1 (GENIUS profiles reach 1), so does the
//     port. AgentGG works on normalised utilities, as its importance ratios
//     are.
//   - Red lines: an agent never offers or accepts an outcome that crosses
//     one of its own red lines (parley.Profile.Vetoes), and ends the
//     negotiation when every outcome does. The originals know no red
//     lines, so this changes nothing on their domains.
//   - Reservation value: each agent uses it only where its original does
//     (CUHKAgent, Atlas3 and AgentGG do; AgentK, HardHeaded, Nice
//     Tit-for-Tat and PonPokoAgent do not), with r(t), the reservation
//     value at the time, standing for the constant GENIUS value. Like the
//     originals they may accept or offer an outcome worth less than it.
//     Each options struct has GuardReservation, a Parley adaptation off by
//     default: with it the agent never accepts or offers an outcome worth
//     less than r(t) and ends the negotiation when no outcome within its
//     red lines is worth r(t).
//   - The outcomes sorted by the agent's own utility are computed at Init
//     (the profile's ufun.Table index, or a seeded sample of DefaultSamples
//     outcomes for a space too large to enumerate), and most searches over
//     random bids become binary searches over them, so Act is cheap and,
//     once the histories have the room reserved at Init, allocates nothing.
//
// The package may import parley, ufun, analysis, strategy/boa and
// internal/rng; package strategy imports it, never the other way round.
package anac
