package geniuscompat_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/scenario/genius"
	"github.com/parley-dev/parley/strategy/geniuscompat"
)

// BenchmarkGeniusSAO runs pairs of GENIUS-compatible agents on
// England-Zimbabwe (576 outcomes) with GENIUS timing and a deadline of 1000
// rounds, through one reused mechanism, and reports rounds per second
// (each run's Init included; the sorted spaces are shared).
func BenchmarkGeniusSAO(b *testing.B) {
	dir := filepath.Join(sharedDir(b), "scenarios", "genius", "EnglandZimbabwe_anac2010")
	sc, err := genius.ReadFiles(filepath.Join(dir, "EnglandZimbabwe_domain.xml"),
		[]string{filepath.Join(dir, "England.xml"), filepath.Join(dir, "Zimbabwe.xml")})
	if err != nil {
		b.Fatal(err)
	}
	ready, err := sc.Prepare()
	if err != nil {
		b.Fatal(err)
	}
	pairs := []struct {
		name string
		negs []parley.Negotiator
	}{
		{"boulware-boulware", []parley.Negotiator{geniuscompat.NewBoulware(), geniuscompat.NewBoulware()}},
		{"boulware-conceder", []parley.Negotiator{geniuscompat.NewBoulware(), geniuscompat.NewConceder()}},
		{"boulware-hardliner", []parley.Negotiator{geniuscompat.NewBoulware(), geniuscompat.NewHardliner()}},
		{"hardliner-hardliner", []parley.Negotiator{geniuscompat.NewHardliner(), geniuscompat.NewHardliner()}},
	}
	for _, pr := range pairs {
		b.Run(pr.name, func(b *testing.B) {
			m, err := sao.New(ready.Profiles(), ready.Names(), sao.Options{Deadline: 1000, Timing: sao.TimingGENIUS})
			if err != nil {
				b.Fatal(err)
			}
			rounds := 0
			b.ReportAllocs()
			for b.Loop() {
				res, err := m.Run(context.Background(), pr.negs, 1)
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
