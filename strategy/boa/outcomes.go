package boa

import (
	"errors"

	"github.com/parley-dev/parley/ufun"
)

// DefaultSamples is how many outcomes Outcomes samples when the outcome
// space is too large to enumerate (ufun.DefaultSamples, as package
// strategy).
const DefaultSamples = ufun.DefaultSamples

// Outcomes lists a party's own outcomes in ascending order of its utility,
// without those that cross its red lines: the ufun.Ladder that package
// strategy's negotiators use too, so a BOA agent without an opponent model
// bids exactly as strategy's time-dependent agent.
type Outcomes = ufun.Ladder

// ErrNotReady is returned by a component used before its Init.
var ErrNotReady = errors.New("boa: used before Init")
