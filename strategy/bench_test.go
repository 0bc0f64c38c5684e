package strategy_test

import (
	"context"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/ufun"
)

// benchScenarios are synthetic linear-additive Table scenarios: 576
// outcomes (4x4x4x3x3) and 390,625 (8 issues of 5 values).
var benchScenarios = []struct {
	name  string
	sizes []int
}{
	{"576", []int{4, 4, 4, 3, 3}},
	{"390625", []int{5, 5, 5, 5, 5, 5, 5, 5}},
}

func BenchmarkTimeDependentAct(b *testing.B) {
	for _, sc := range benchScenarios {
		b.Run(sc.name, func(b *testing.B) {
			space, ps := parleytest.Synthetic(b, 1, sc.sizes...)
			td := strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.BoulwareE})
			if err := td.Init(context.Background(), &parley.Session{Profile: ps[0], Rand: rng.New(1, 0)}); err != nil {
				b.Fatal(err)
			}
			st := state(space, 1000)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				st.Time = float64(i%1000) / 1000
				st.Standing = parley.Outcome(i % space.Size())
				i++
				if _, err := td.Act(context.Background(), st); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSAORounds runs Boulware against Conceder through one reused
// mechanism with a deadline of 1000 rounds and reports rounds per second.
func BenchmarkSAORounds(b *testing.B) {
	for _, sc := range benchScenarios {
		b.Run(sc.name, func(b *testing.B) {
			_, ps := parleytest.Synthetic(b, 1, sc.sizes...)
			for _, p := range ps {
				p.Utility.(*ufun.Table).Index() // sort before timing
			}
			m, err := sao.New(ps, []string{"boulware", "conceder"}, sao.Options{Deadline: 1000})
			if err != nil {
				b.Fatal(err)
			}
			negs := []parley.Negotiator{
				strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.BoulwareE}),
				strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.ConcederE}),
			}
			rounds := 0
			seed := uint64(0)
			b.ReportAllocs()
			for b.Loop() {
				seed++
				res, err := m.Run(context.Background(), negs, seed)
				if err != nil || res.Reason == parley.ReasonError {
					b.Fatalf("%v %v", err, res.Err)
				}
				rounds += res.Rounds
			}
			b.ReportMetric(float64(rounds)/b.Elapsed().Seconds(), "rounds/s")
			b.ReportMetric(float64(rounds)/float64(b.N), "rounds/run")
		})
	}
}
