package strategy_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/rng"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/boa"
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
			benchSAO(b, sc.sizes, []string{"boulware", "conceder"}, []parley.Negotiator{
				strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.BoulwareE}),
				strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.ConcederE}),
			})
		})
	}
}

// BenchmarkSAOPairs is BenchmarkSAORounds for other strategies that search
// their sorted outcomes every turn: tit-for-tat against Boulware, and BOA
// negotiators (time-dependent bidding without a model, AC_next) Boulware
// against Conceder.
func BenchmarkSAOPairs(b *testing.B) {
	pairs := []struct {
		name string
		negs func() []parley.Negotiator
	}{
		{"tft", func() []parley.Negotiator {
			return []parley.Negotiator{strategy.NewTitForTat(strategy.TitForTatOptions{}),
				strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.BoulwareE})}
		}},
		{"boa", func() []parley.Negotiator {
			return []parley.Negotiator{
				boa.New(boa.Options{Bidding: boa.NewTimeDependent(boa.TimeDependentOptions{E: strategy.BoulwareE})}),
				boa.New(boa.Options{Bidding: boa.NewTimeDependent(boa.TimeDependentOptions{E: strategy.ConcederE})}),
			}
		}},
	}
	for _, pair := range pairs {
		for _, sc := range benchScenarios {
			b.Run(pair.name+"/"+sc.name, func(b *testing.B) {
				benchSAO(b, sc.sizes, []string{"a", "b"}, pair.negs())
			})
		}
	}
}

// BenchmarkSAOParties is BenchmarkSAORounds with 2, 3 and 4 parties: the
// third is another Boulware with the first party's profile, the fourth
// another Conceder with the second's. It reports the cost of a step (one
// party's turn), to show what grows with the number of parties.
func BenchmarkSAOParties(b *testing.B) {
	for _, sc := range benchScenarios {
		for n := 2; n <= 4; n++ {
			b.Run(fmt.Sprintf("%s/%d", sc.name, n), func(b *testing.B) {
				names := []string{"boulware", "conceder", "boulware2", "conceder2"}[:n]
				negs := make([]parley.Negotiator, n)
				for i := range negs {
					e := strategy.BoulwareE
					if i%2 == 1 {
						e = strategy.ConcederE
					}
					negs[i] = strategy.NewTimeDependent(strategy.TimeDependentOptions{E: e})
				}
				benchSAO(b, sc.sizes, names, negs)
			})
		}
	}
}

// benchSAO runs negs on a synthetic scenario of the given issue sizes
// through one reused mechanism with a deadline of 1000 rounds, a new seed
// each run, and reports rounds per second and the time of a step. Parties
// beyond the two of the scenario take the first two profiles in turn.
func benchSAO(b *testing.B, sizes []int, names []string, negs []parley.Negotiator) {
	_, ps := parleytest.Synthetic(b, 1, sizes...)
	for _, p := range ps {
		p.Utility.(*ufun.Table).Index() // sort before timing
	}
	for len(ps) < len(negs) {
		c := *ps[len(ps)%2]
		c.Name = names[len(ps)]
		ps = append(ps, &c)
	}
	m, err := sao.New(ps, names, sao.Options{Deadline: 1000})
	if err != nil {
		b.Fatal(err)
	}
	rounds, steps := 0, 0
	seed := uint64(0)
	b.ReportAllocs()
	for b.Loop() {
		seed++
		res, err := m.Run(context.Background(), negs, seed)
		if err != nil || res.Reason == parley.ReasonError {
			b.Fatalf("%v %v", err, res.Err)
		}
		rounds += res.Rounds
		steps += res.Steps
	}
	b.ReportMetric(float64(rounds)/b.Elapsed().Seconds(), "rounds/s")
	b.ReportMetric(float64(rounds)/float64(b.N), "rounds/run")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(steps), "ns/step")
}

// BenchmarkBareLoop is the floor that BenchmarkSAORounds is measured
// against: the same two strategies (Boulware against Conceder, the same
// prepared scenarios, seeds and 1,000-round deadline) doing the same work
// in a plain loop, without the mechanism. Each run re-seeds the two
// streams and calls Init (as the mechanism does), then every turn sets the
// step, round, time and turn of one shared State and calls the strategy's
// Act directly (no interface dispatch, no recover), and applies its
// action: an offer becomes the standing offer, an accept ends the run. It
// keeps no offer history, makes no seat views or profile copies, validates
// nothing, traces nothing and computes no result. Before timing it checks
// that it reaches the mechanism's rounds and agreement for a few seeds, so
// the two benchmarks do the same work.
func BenchmarkBareLoop(b *testing.B) {
	const deadline = 1000
	for _, sc := range benchScenarios {
		b.Run(sc.name, func(b *testing.B) {
			_, ps := parleytest.Synthetic(b, 1, sc.sizes...)
			for _, p := range ps {
				p.Utility.(*ufun.Table).Index() // sort before timing
			}
			m, err := sao.New(ps, []string{"boulware", "conceder"}, sao.Options{Deadline: deadline})
			if err != nil {
				b.Fatal(err)
			}
			bare := newBareLoop(ps, deadline)
			ctx := context.Background()
			for seed := uint64(1); seed <= 5; seed++ {
				res, err := m.Run(ctx, []parley.Negotiator{
					strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.BoulwareE}),
					strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.ConcederE}),
				}, seed)
				if err != nil {
					b.Fatal(err)
				}
				rounds, agreement := bare.run(b, seed)
				if rounds != res.Rounds || agreement != res.Agreement {
					b.Fatalf("seed %d: bare loop ends after %d rounds at %d, the mechanism after %d at %d",
						seed, rounds, agreement, res.Rounds, res.Agreement)
				}
			}
			rounds := 0
			seed := uint64(0)
			b.ReportAllocs()
			for b.Loop() {
				seed++
				r, _ := bare.run(b, seed)
				rounds += r
			}
			b.ReportMetric(float64(rounds)/b.Elapsed().Seconds(), "rounds/s")
			b.ReportMetric(float64(rounds)/float64(b.N), "rounds/run")
		})
	}
}

// bareLoop holds BenchmarkBareLoop's two strategies and their sessions.
type bareLoop struct {
	boulware, conceder *strategy.TimeDependent
	sessions           [2]parley.Session
	pcgs               [2]rand.PCG
	state              parley.State // the one State, kept here: the strategies' acceptance contexts point to it
	deadline           int
}

func newBareLoop(ps []*parley.Profile, deadline int) *bareLoop {
	l := &bareLoop{
		boulware: strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.BoulwareE}),
		conceder: strategy.NewTimeDependent(strategy.TimeDependentOptions{E: strategy.ConcederE}),
		deadline: deadline,
	}
	for i := range l.sessions {
		l.sessions[i] = parley.Session{Party: i, Profile: ps[i], Deadline: deadline, Protocol: "sao",
			Clock: parley.Clock{Parties: 2, Rounds: deadline}, Rand: rand.New(&l.pcgs[i])}
	}
	return l
}

// run negotiates once and returns the rounds and the agreement (or
// parley.NoOutcome).
func (l *bareLoop) run(b *testing.B, seed uint64) (int, parley.Outcome) {
	ctx := context.Background()
	for i := range l.pcgs {
		rng.Reseed(&l.pcgs[i], seed, uint64(i))
	}
	if err := l.boulware.Init(ctx, &l.sessions[0]); err != nil {
		b.Fatal(err)
	}
	if err := l.conceder.Init(ctx, &l.sessions[1]); err != nil {
		b.Fatal(err)
	}
	st := &l.state
	*st = parley.State{Deadline: l.deadline, Parties: 2, Standing: parley.NoOutcome, Proposer: -1, Text: parley.NoOutcome}
	turns := float64(2 * l.deadline)
	round, p := 0, 0
	for step := 0; round < l.deadline; step++ {
		st.Step, st.Round, st.Time, st.Me = step, round, float64(step)/turns, p
		var a parley.Action
		var err error
		if p == 0 {
			a, err = l.boulware.Act(ctx, st)
		} else {
			a, err = l.conceder.Act(ctx, st)
		}
		if err != nil {
			b.Fatal(err)
		}
		switch a.Kind {
		case parley.Offer:
			st.Standing, st.Proposer = a.Outcome, p
		case parley.Accept:
			return round + 1, st.Standing
		default:
			return round + 1, parley.NoOutcome
		}
		if p++; p == 2 {
			p, round = 0, round+1
		}
	}
	return l.deadline, parley.NoOutcome
}
