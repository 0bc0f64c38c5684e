// Package rng derives independent, reproducible random streams from one
// seed, so that every random choice in a run is fixed by the run's seed.
package rng

import "math/rand/v2"

// SplitMix64 is Steele, Lea and Flood's mixing function (Fast splittable
// pseudorandom number generators, OOPSLA 2014): it turns a counter into
// well-spread 64-bit values.
func SplitMix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Derive returns the seed of sub-stream i of seed (for party i, run i, ...).
func Derive(seed uint64, i uint64) uint64 {
	return SplitMix64(SplitMix64(seed) ^ SplitMix64(i+0x5851f42d4c957f2d))
}

// New returns a PCG generator for sub-stream i of seed.
func New(seed uint64, i uint64) *rand.Rand {
	s := Derive(seed, i)
	return rand.New(rand.NewPCG(s, SplitMix64(s)))
}

// Reseed resets p to sub-stream i of seed without allocating.
func Reseed(p *rand.PCG, seed uint64, i uint64) {
	s := Derive(seed, i)
	p.Seed(s, SplitMix64(s))
}
