package geniuscompat

import (
	"math"
	"math/bits"
)

// maxExactPow is the largest integer exponent powExact handles: m^n of a
// 53-bit mantissa m needs 53·n bits, within the 8 words of a nat.
const maxExactPow = 9

// javaPow returns x^y as Java's Math.pow does for the exponents GENIUS's
// agents use (1/e: 5 for Boulware, 0.5 for Conceder, 1 for linear). Java's
// Math.pow is within one ulp and in practice the correctly rounded result;
// Go's math.Pow rounds several times for integer exponents. So integer
// exponents up to maxExactPow are computed exactly and rounded once, 0.5 is
// math.Sqrt (correctly rounded), and other exponents use math.Pow.
func javaPow(x, y float64) float64 {
	switch {
	case y == 1:
		return x
	case y == 0.5 && x >= 0:
		return math.Sqrt(x + 0) // + 0 turns -0 into +0, as pow(-0, 0.5) = +0
	case y >= 2 && y <= maxExactPow && y == math.Trunc(y):
		if r, ok := powExact(x, int(y)); ok {
			return r
		}
	}
	return math.Pow(x, y)
}

// powExact returns x^n correctly rounded (to nearest, ties to even), for
// 2 <= n <= maxExactPow, and false when x is not finite or the result would
// leave the normal range (math.Pow handles those).
func powExact(x float64, n int) (float64, bool) {
	if x == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return 0, false
	}
	neg := x < 0 && n%2 == 1
	frac, exp := math.Frexp(math.Abs(x)) // |x| = frac·2^exp, frac in [0.5, 1)
	m := uint64(math.Ldexp(frac, 53))    // |x| = m·2^(exp−53), m < 2^53
	var p nat
	p[0] = m
	for j := 1; j < n; j++ {
		p.mul(m, (53*j+63)/64) // m^j fits in that many words
	}
	// Keep the top 53 bits of p and round on the rest.
	l := p.bitLen()
	shift := l - 53
	q, half, sticky := p.split(shift)
	if half && (sticky || q&1 == 1) {
		q++
		if q == 1<<53 {
			q >>= 1
			shift++
		}
	}
	e2 := shift + n*(exp-53)
	// The result q·2^e2 must be a normal float64 for Ldexp to be exact.
	if e2+53 > 1024 || e2+52 < -1022 {
		return 0, false
	}
	r := math.Ldexp(float64(q), e2)
	if neg {
		r = -r
	}
	return r, true
}

// nat is an unsigned integer of up to 512 bits, least significant word
// first.
type nat [8]uint64

// mul sets p to p·m, where p has at most w words and p·m fits.
func (p *nat) mul(m uint64, w int) {
	var carry uint64
	for i := range w {
		hi, lo := bits.Mul64(p[i], m)
		var c uint64
		p[i], c = bits.Add64(lo, carry, 0)
		carry = hi + c
	}
	if w < len(p) {
		p[w] = carry
	}
}

// bitLen returns the number of bits of p.
func (p *nat) bitLen() int {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] != 0 {
			return 64*i + bits.Len64(p[i])
		}
	}
	return 0
}

// bit returns bit k of p.
func (p *nat) bit(k int) bool { return p[k/64]>>(k%64)&1 == 1 }

// split returns the bits of p from bit shift up (at most 64 of them), bit
// shift−1 (half) and whether any bit below that is set (sticky). shift must
// be at least 1.
func (p *nat) split(shift int) (q uint64, half, sticky bool) {
	w, b := shift/64, shift%64
	q = p[w] >> b
	if b > 0 && w+1 < len(p) {
		q |= p[w+1] << (64 - b)
	}
	half = p.bit(shift - 1)
	for k := 0; k < (shift-1)/64; k++ {
		if p[k] != 0 {
			return q, half, true
		}
	}
	lowMask := uint64(1)<<((shift-1)%64) - 1
	sticky = p[(shift-1)/64]&lowMask != 0
	return q, half, sticky
}
