package anac_test

import (
	"context"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
)

// BenchmarkWinnersSelfPlay runs one 100-round self-play negotiation per
// iteration (Init included) on a synthetic scenario of 80 outcomes.
func BenchmarkWinnersSelfPlay(b *testing.B) {
	_, ps := parleytest.Synthetic(b, 3, 5, 4, 4)
	for _, a := range winners {
		b.Run(a.name, func(b *testing.B) {
			m, err := sao.New(ps, []string{"a", "b"}, sao.Options{Deadline: 100})
			if err != nil {
				b.Fatal(err)
			}
			negs := []parley.Negotiator{a.new(), a.new()}
			b.ReportAllocs()
			seed := uint64(0)
			for b.Loop() {
				seed++
				if res, err := m.Run(context.Background(), negs, seed); err != nil || res.Reason == parley.ReasonError {
					b.Fatalf("%v %v", err, res.Err)
				}
			}
		})
	}
}
