package mediator_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/strategy/mediator"
)

// ceasefire loads the built-in ceasefire scenario with utility tables and
// returns the voters' (RU, UA) profiles and the mediator's (US).
func ceasefire(tb testing.TB) (voters []*parley.Profile, us *parley.Profile) {
	tb.Helper()
	sc, err := scenario.Read(filepath.Join("..", "..", "catalog", "scenarios", "ceasefire.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	ready, err := sc.Prepare()
	if err != nil {
		tb.Fatal(err)
	}
	ru, ua, usi := sc.Party("RU"), sc.Party("UA"), sc.Party("US")
	if ru < 0 || ua < 0 || usi < 0 {
		tb.Fatalf("ceasefire parties %v", sc.Names())
	}
	ps := ready.Profiles()
	return []*parley.Profile{ps[ru], ps[ua]}, ps[usi]
}

// calm returns copies of the profiles without walk-away hazards.
func calm(ps []*parley.Profile, us *parley.Profile) ([]*parley.Profile, *parley.Profile) {
	out := make([]*parley.Profile, len(ps))
	for i, p := range ps {
		c := *p
		c.Hazard, out[i] = 0, &c
	}
	c := *us
	c.Hazard = 0
	return out, &c
}

var allVoters = []string{"hillclimber", "annealer", "reservation", "exaggerator"}
var allMediators = []string{"random", "hillclimb:call=true", "anneal", "feedback:call=true", "nash", "ks", "biased:bias=0.5"}

// TestCeasefireRoundsAllocateNothing: for every mediator and voter, a run
// through a reused mechanism allocates the same small amount whatever its
// length (100 or 1000 rounds, hazards off so that every run lasts): the
// rounds allocate nothing.
func TestCeasefireRoundsAllocateNothing(t *testing.T) {
	ps, us := calm(ceasefire(t))
	for _, ms := range allMediators {
		for _, vs := range allVoters {
			mf, err := mediator.ParseMediator(ms)
			if err != nil {
				t.Fatal(err)
			}
			vf, _ := mediator.ParseVoter(vs)
			med, voters := mf(), []mediated.Voter{vf(), vf()}
			allocs := func(rounds int) float64 {
				m, err := mediated.New(ps, []string{"RU", "UA"}, us, mediated.Options{Rounds: rounds, Rule: parley.RuleMediator,
					Info: parley.InfoFull, NoFinalVote: true})
				if err != nil {
					t.Fatal(err)
				}
				seed := uint64(0)
				return testing.AllocsPerRun(10, func() {
					seed++
					res, err := m.Run(context.Background(), voters, med, seed)
					if err != nil || res.Reason == parley.ReasonError || res.Rounds != rounds {
						t.Fatalf("%s / %s: %v in %d rounds, %v %v", ms, vs, res.Reason, res.Rounds, err, res.Err)
					}
				})
			}
			short, long := allocs(100), allocs(1000)
			if short != long {
				t.Errorf("%s / %s: %v allocations per run of 100 rounds, %v for 1000", ms, vs, short, long)
			}
		}
	}
}

// TestCeasefireRuns: every mediator with every voter pair runs on the
// ceasefire scenario, with its red lines and the US's walk-away hazard,
// without errors, and the same seed gives the same trace.
func TestCeasefireRuns(t *testing.T) {
	ps, us := ceasefire(t)
	for _, ms := range allMediators {
		for _, vs := range allVoters {
			mf, _ := mediator.ParseMediator(ms)
			vf, _ := mediator.ParseVoter(vs)
			trace := func(seed uint64) ([]parley.Event, *parley.Result) {
				var evs []parley.Event
				m, err := mediated.New(ps, []string{"RU", "UA"}, us, mediated.Options{Rounds: 80, RoundOffset: 40, TotalRounds: 120,
					Rule: parley.RuleMediator, Info: parley.InfoDeclared, Noise: 0.1, Trace: func(e parley.Event) { evs = append(evs, e) }})
				if err != nil {
					t.Fatal(err)
				}
				res, err := m.Run(context.Background(), []mediated.Voter{vf(), vf()}, mf(), seed)
				if err != nil || res.Reason == parley.ReasonError {
					t.Fatalf("%s / %s: %v, %v", ms, vs, err, res.Err)
				}
				return evs, res
			}
			a, ra := trace(11)
			b, rb := trace(11)
			if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(ra, rb) {
				t.Errorf("%s / %s: same seed, different runs", ms, vs)
			}
		}
	}
}

// BenchmarkMediatedRound measures one mediated round (a proposal, two
// votes, the text update) on the ceasefire scenario: RU and UA vote as
// hill-climbers (with their red lines), the US mediates by hill-climbing
// or random mutation; runs of 1000 rounds, each run's start-up included.
// With the scenario's walk-away hazards (the US 3% and RU 1% per round
// after 5 rounds without progress for them) most runs end early; the
// "nohazard" variants set every hazard to 0, so that every run lasts 1000
// rounds.
func BenchmarkMediatedRound(b *testing.B) {
	for _, bc := range []struct {
		spec   string
		hazard bool
	}{{"hillclimb", true}, {"random", true}, {"hillclimb", false}, {"random", false}} {
		name := bc.spec
		if !bc.hazard {
			name += "/nohazard"
		}
		b.Run(name, func(b *testing.B) {
			ps, us := ceasefire(b)
			if !bc.hazard {
				ps, us = calm(ps, us)
			}
			spec := bc.spec
			const rounds = 1000
			m, err := mediated.New(ps, []string{"RU", "UA"}, us, mediated.Options{Rounds: rounds})
			if err != nil {
				b.Fatal(err)
			}
			mf, _ := mediator.ParseMediator(spec)
			med := mf()
			voters := []mediated.Voter{mediator.NewHillClimber(), mediator.NewHillClimber()}
			b.ReportAllocs()
			seed := uint64(0)
			n := 0
			for b.Loop() {
				seed++
				res, err := m.Run(context.Background(), voters, med, seed)
				if err != nil || res.Reason == parley.ReasonError {
					b.Fatal(err, res.Err)
				}
				n += res.Rounds
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "rounds/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/round")
		})
	}
}

// BenchmarkCeasefireRun is one 80-round mediated stage of the ceasefire
// scenario with the article's mediator (biased towards the US, noisy
// declared preferences, so that its plan is computed afresh in every run)
// and the other mediators for comparison.
func BenchmarkCeasefireRun(b *testing.B) {
	for _, spec := range []string{"hillclimb", "nash", "biased:bias=0.25"} {
		for _, noise := range []float64{0, 0.1} {
			b.Run(fmt.Sprintf("%s/noise=%v", spec, noise), func(b *testing.B) {
				ps, us := ceasefire(b)
				m, err := mediated.New(ps, []string{"RU", "UA"}, us, mediated.Options{Rounds: 80, RoundOffset: 40, TotalRounds: 120,
					Info: parley.InfoDeclared, Noise: noise})
				if err != nil {
					b.Fatal(err)
				}
				mf, _ := mediator.ParseMediator(spec)
				voters := []mediated.Voter{mediator.NewHillClimber(), mediator.NewHillClimber()}
				b.ReportAllocs()
				seed := uint64(0)
				for b.Loop() {
					seed++
					if res, err := m.Run(context.Background(), voters, mf(), seed); err != nil || res.Reason == parley.ReasonError {
						b.Fatal(err, res.Err)
					}
				}
			})
		}
	}
}
