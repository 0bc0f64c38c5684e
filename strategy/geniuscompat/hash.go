package geniuscompat

import (
	"math"

	"github.com/parley-dev/parley"
)

// StringHash returns Java's String.hashCode of s: h = 31·h + c over the
// UTF-16 code units of s, in wrapping 32-bit arithmetic. It is the hash
// GENIUS gives a discrete value (ValueDiscrete.hashCode).
func StringHash(s string) int32 {
	var h int32
	// Ranging over s yields U+FFFD for invalid UTF-8, as Java's decoders do.
	for _, r := range s {
		if r >= 0x10000 { // a surrogate pair in UTF-16
			r -= 0x10000
			h = 31*h + int32(0xD800+(r>>10))
			h = 31*h + int32(0xDC00+(r&0x3FF))
			continue
		}
		h = 31*h + int32(r)
	}
	return h
}

// ValueHash returns the hash GENIUS gives value k of issue is: Java's
// String.hashCode of the label for a discrete value (ValueDiscrete), 0 for
// an integer value (ValueInteger.hashCode returns 0). GENIUS's ValueReal
// does not override hashCode, so a real value hashes by object identity and
// GENIUS orders real bids of equal utility differently from run to run;
// Parley uses 0 for them, which keeps such ties in enumeration order.
func ValueHash(is *parley.Issue, k int) int32 {
	if is.Kind == parley.Discrete {
		return StringHash(is.Values[k])
	}
	return 0
}

// BidHash returns GENIUS's Bid.hashCode of outcome o: the wrapping sum of
// the hashes of its values (see ValueHash).
func BidHash(space *parley.OutcomeSpace, o parley.Outcome) int32 {
	var h int32
	for i := range space.Issues {
		h += ValueHash(&space.Issues[i], space.ValueIndex(o, i))
	}
	return h
}

// timeHash is the share of BidDetails.hashCode due to its time field, which
// is -1 for the bids of an OutcomeSpace: (int)(bits ^ (bits >>> 32)) with
// bits = Double.doubleToLongBits(-1.0).
var timeHash = foldBits(-1)

// foldBits is Java's (int)(bits ^ (bits >>> 32)) of
// Double.doubleToLongBits(x) (x is never NaN here).
func foldBits(x float64) int32 {
	b := math.Float64bits(x)
	return int32(uint32(b ^ b>>32))
}

// DetailsHash returns GENIUS's BidDetails.hashCode of a bid with hash
// bidHash (BidHash) and undiscounted utility u, as enumerated by
// OutcomeSpace (time -1): 31·(31·(31 + bidHash) + fold(u)) + fold(-1), in
// wrapping 32-bit arithmetic (genius/core/bidding/BidDetails.java).
func DetailsHash(bidHash int32, u float64) int32 {
	h := 31 + bidHash
	h = 31*h + foldBits(u)
	return 31*h + timeHash
}
