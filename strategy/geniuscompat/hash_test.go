package geniuscompat_test

import (
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy/geniuscompat"
)

// Java's String.hashCode: "hello" and "polygenelubricants" (which hashes to
// Integer.MIN_VALUE) are well-known values; the rest follow
// h = 31·h + c over UTF-16 units, computed by hand in 32-bit arithmetic.
func TestStringHash(t *testing.T) {
	tests := []struct {
		s    string
		want int32
	}{
		{"", 0},
		{"a", 97},
		{"hello", 99162322},
		{"polygenelubricants", -2147483648},
		{"$100 Billion", -2010262354},
		{"Reduction equal to fund size", -975857296},
		{"héllo", 103094734}, // é is one UTF-16 unit (U+00E9)
		{"a😀b", 57849694},    // 😀 is a surrogate pair D83D DE00
		{"\xff", 0xFFFD},     // invalid UTF-8 reads as U+FFFD
	}
	for _, tc := range tests {
		if got := geniuscompat.StringHash(tc.s); got != tc.want {
			t.Errorf("StringHash(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}

// BidDetails.hashCode = 31·(31·(31 + bid) + fold(u)) + fold(-1), where
// fold(1.0) = 1072693248 (Double.hashCode(1.0)), fold(0.5) = 1071644672
// and fold(-1.0) = -1074790400.
func TestDetailsHash(t *testing.T) {
	tests := []struct {
		bid  int32
		u    float64
		want int32
	}{
		{0, 1.0, 2113959007},         // 31·(961 + 1072693248) − 1074790400, wrapped
		{99162322, 0.5, -1407803215}, // bid hash of a one-issue bid "hello"
	}
	for _, tc := range tests {
		if got := geniuscompat.DetailsHash(tc.bid, tc.u); got != tc.want {
			t.Errorf("DetailsHash(%d, %v) = %d, want %d", tc.bid, tc.u, got, tc.want)
		}
	}
}

// A bid's hash is the wrapping sum of its values' hashes; integer and real
// values hash to 0.
func TestBidHash(t *testing.T) {
	space, err := parley.NewOutcomeSpace([]parley.Issue{
		{Name: "a", Values: []string{"x", "hello"}},
		{Name: "n", Kind: parley.Integer, Min: 3, Max: 9},
		{Name: "r", Kind: parley.Real, Min: 0, Max: 1, Steps: 5},
		{Name: "b", Values: []string{"polygenelubricants", "a"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	o, err := space.Encode([]int{1, 4, 2, 0})
	if err != nil {
		t.Fatal(err)
	}
	// 99162322 + 0 + 0 + (−2147483648), in 32-bit arithmetic.
	if got, want := geniuscompat.BidHash(space, o), int32(99162322-2147483648); got != want {
		t.Errorf("BidHash = %d, want %d", got, want)
	}
	o, _ = space.Encode([]int{0, 0, 0, 1})
	if got := geniuscompat.BidHash(space, o); got != 120+97 {
		t.Errorf("BidHash = %d, want %d", got, 120+97)
	}
}
