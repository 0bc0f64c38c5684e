package experiment

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/strategy/mediator"
)

// testConfig is the default pool built from the strategy registries, as
// package cli builds it.
func testConfig(t testing.TB, runs, workers int) Config {
	t.Helper()
	cfg := Config{Runs: runs, Seed: 1, Workers: workers}
	for _, spec := range DefaultNegotiators() {
		f, err := strategy.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Pool.Negotiators = append(cfg.Pool.Negotiators, Negotiator{Name: spec, New: f})
	}
	for _, spec := range DefaultVoters() {
		f, err := mediator.ParseVoter(spec)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Pool.Voters = append(cfg.Pool.Voters, Voter{Name: spec, New: func() mediated.Voter { return f() }})
	}
	cfg.Mediator = func(spec string) (func() mediated.Mediator, error) {
		f, err := mediator.ParseMediator(spec)
		if err != nil {
			return nil, err
		}
		return func() mediated.Mediator { return f() }, nil
	}
	cfg.NeedsDeclared = mediator.NeedsDeclared
	return cfg
}

// TestSequencingDeterministic: the report does not depend on the number
// of workers, and the same seed gives the same bytes.
func TestSequencingDeterministic(t *testing.T) {
	s := ceasefire(t)
	var prev []byte
	for _, w := range []int{1, 3, 0} {
		r, err := Sequencing(context.Background(), s, testConfig(t, 24, w))
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if prev != nil && string(b) != string(prev) {
			t.Fatalf("workers %d gave a different report", w)
		}
		prev = b
	}
}

// TestCommonRandomNumbers: run i has the same seed and strategies in every
// arm, and the records are consistent with the summary.
func TestCommonRandomNumbers(t *testing.T) {
	s := ceasefire(t)
	r, err := Sequencing(context.Background(), s, testConfig(t, 30, 2))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"bilateral_only", "mediated_from_start", "bilateral_then_mediated", "mediated_then_bilateral",
		"mediated_from_start_fallback", "bilateral_then_mediated_carry_none", "bilateral_then_mediated_carry_best"}
	if len(r.Arms) != len(want) {
		t.Fatalf("%d arms", len(r.Arms))
	}
	// The controls separate the order effect from the fallback and carry
	// effects; every pair of arms is compared.
	wantContrasts := []Contrast{
		{"mediated_from_start_fallback", "mediated_from_start", ContrastFallback},
		{"mediated_then_bilateral", "bilateral_then_mediated", ContrastOrder},
		{"bilateral_then_mediated_carry_none", "bilateral_then_mediated", ContrastCarry},
		{"bilateral_then_mediated_carry_best", "bilateral_then_mediated", ContrastCarry},
		{"bilateral_then_mediated_carry_best", "bilateral_then_mediated_carry_none", ContrastCarry},
	}
	if !reflect.DeepEqual(r.Contrasts, wantContrasts) {
		t.Errorf("contrasts %v, want %v", r.Contrasts, wantContrasts)
	}
	if n := len(want) * (len(want) - 1) / 2 * 5; len(r.Comparisons) != n {
		t.Errorf("%d comparisons, want %d (every pair of arms, 5 tests each)", len(r.Comparisons), n)
	}
	for i, a := range r.Arms {
		if a.Name != want[i] || a.Runs != 30 {
			t.Errorf("arm %d: %s with %d runs", i, a.Name, a.Runs)
		}
	}
	if !reflect.DeepEqual(r.Negotiators, []string{"RU", "UA"}) || r.MediatingParty != "US" || r.Baseline != "bilateral_only" {
		t.Errorf("negotiators %v, mediating party %q, baseline %q", r.Negotiators, r.MediatingParty, r.Baseline)
	}
	if r.Schema != "parley.experiment/2" {
		t.Errorf("schema %q", r.Schema)
	}
	base := r.Arms[0].Records()
	for _, a := range r.Arms[1:] {
		for i, rec := range a.Records() {
			if rec.Run != i || rec.Seed != base[i].Seed || !reflect.DeepEqual(rec.Negotiators, base[i].Negotiators) || !reflect.DeepEqual(rec.Voters, base[i].Voters) {
				t.Fatalf("arm %s run %d: seed %d strategies %v %v; baseline %d %v %v", a.Name, i, rec.Seed, rec.Negotiators, rec.Voters,
					base[i].Seed, base[i].Negotiators, base[i].Voters)
			}
		}
	}
	for _, a := range r.Arms {
		n := 0
		for _, c := range parley.Reasons() {
			n += a.Breakdown[c]
		}
		if n != a.Runs || a.Breakdown[parley.ReasonAgreement] != a.Ratified {
			t.Errorf("arm %s: breakdown %v for %d runs, %d ratified", a.Name, a.Breakdown, a.Runs, a.Ratified)
		}
		for _, rec := range a.Records() {
			if rec.Ratified && !rec.Agreed {
				t.Errorf("arm %s run %d ratified without agreement", a.Name, rec.Run)
			}
			if len(rec.Utility) != 3 || len(rec.Advantage) != 3 {
				t.Fatalf("record %+v", rec)
			}
			// Advantage is u − r(t), the one definition every output uses.
			for p, party := range s.Parties {
				if want := rec.Utility[p] - party.Profile.ReservationAt(rec.Time); math.Abs(rec.Advantage[p]-want) > 1e-12 {
					t.Errorf("arm %s run %d: %s's advantage %v, want u - r(t) = %v", a.Name, rec.Run, party.Name, rec.Advantage[p], want)
				}
			}
			if !rec.Ratified {
				// Without a ratified agreement each party gets r(t): no
				// advantage.
				for _, d := range rec.Advantage {
					if d > 1e-9 || d < -1e-9 {
						t.Errorf("arm %s run %d (%s): advantage %v without agreement", a.Name, rec.Run, rec.Reason, rec.Advantage)
					}
				}
			}
		}
	}
	// The negotiators have a Nash point, so every run has a distance.
	if r.Arms[0].NashDistance.N != 30 {
		t.Errorf("nash distance over %d runs", r.Arms[0].NashDistance.N)
	}
}

// TestConfigValidate: each field out of range is a *spec.FieldError
// naming it and its value, from Validate and from Robustness.
func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		cfg          RobustnessConfig
		field, value string // "" for none
	}{
		{RobustnessConfig{Samples: 2, Config: Config{Runs: 1}}, "", ""},
		{RobustnessConfig{Samples: 2, Config: Config{Runs: 0}}, "Runs", "0"},
		{RobustnessConfig{Samples: 2, Config: Config{Runs: 1, Workers: -1}}, "Workers", "-1"},
		{RobustnessConfig{Samples: 2, Config: Config{Runs: 1, Limit: -time.Second}}, "Limit", "-1s"},
		{RobustnessConfig{Samples: 1, Config: Config{Runs: 1}}, "Samples", "1"},
		{RobustnessConfig{Samples: 2, Bootstrap: -1, Config: Config{Runs: 1}}, "Bootstrap", "-1"},
	} {
		err := tc.cfg.Validate()
		var fe *spec.FieldError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%+v: %v", tc.cfg, err)
		case tc.field != "" && (!errors.As(err, &fe) || fe.Field != tc.field || fe.Value != tc.value):
			t.Errorf("%+v: %v, want a FieldError for %s %s", tc.cfg, err, tc.field, tc.value)
		}
		if tc.field == "Samples" || tc.field == "Bootstrap" {
			continue
		}
		if err, cerr := tc.cfg.Config.Validate(), err; (err == nil) != (cerr == nil) {
			t.Errorf("%+v: Config.Validate %v, RobustnessConfig.Validate %v", tc.cfg.Config, err, cerr)
		}
	}
	s := ceasefire(t)
	cfg := testConfig(t, 2, 1)
	cfg.Workers = -1
	var fe *spec.FieldError
	if _, err := Sequencing(context.Background(), s, cfg); !errors.As(err, &fe) || fe.Field != "Workers" {
		t.Errorf("Sequencing with -1 workers: %v", err)
	}
	if _, err := Robustness(context.Background(), s, RobustnessConfig{Samples: 1, Config: testConfig(t, 2, 1)}); !errors.As(err, &fe) || fe.Field != "Samples" {
		t.Errorf("Robustness with 1 sample: %v", err)
	}
}

func TestRunErrors(t *testing.T) {
	s := ceasefire(t)
	cfg := testConfig(t, 2, 1)
	cfg.Baseline = "nope"
	var fe *spec.FieldError
	if _, err := Sequencing(context.Background(), s, cfg); !errors.Is(err, ErrUnknownArm) || !errors.As(err, &fe) || fe.Field != "Baseline" || fe.Value != `"nope"` {
		t.Errorf("unknown baseline: %v", err)
	}
	cfg = testConfig(t, 0, 1)
	if _, err := Sequencing(context.Background(), s, cfg); err == nil {
		t.Error("0 runs: no error")
	}
	cfg = testConfig(t, 2, 1)
	cfg.Pool.Voters = nil
	if _, err := Sequencing(context.Background(), s, cfg); err == nil {
		t.Error("no voters for a mediated stage: no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Sequencing(ctx, s, testConfig(t, 50, 2)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestSweepSmall runs a two-cell sweep: the cells differ only in the
// mediator's bias, so the bilateral stage (before the mediator joins) is
// the same in both.
func TestSweepSmall(t *testing.T) {
	s := ceasefire(t)
	p, err := ParseParam(s, "US.bias=0,1")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Sweep(context.Background(), s, []Param{p}, nil, testConfig(t, 12, 2))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Arms) != 2 || r.Arms[0].Name != "US.bias=0" || r.Arms[1].Params["US.bias"] != 1.0 || r.Experiment != "sweep" {
		t.Fatalf("arms %+v", r.Arms)
	}
	if len(r.Parameters) != 1 || r.Parameters[0].Name != "US.bias" {
		t.Errorf("parameters %+v", r.Parameters)
	}
	// Each cell's mediator seat is built from its own mediator_policy.
	if r.Arms[0].Mediator != "biased:bias=0" || r.Arms[1].Mediator != "biased:bias=1" {
		t.Errorf("mediators %q, %q", r.Arms[0].Mediator, r.Arms[1].Mediator)
	}
	a, b := r.Arms[0].Records(), r.Arms[1].Records()
	for i := range a {
		if a[i].Stage == "bilateral" && a[i].Reason == parley.ReasonAgreement && !reflect.DeepEqual(a[i].Utility, b[i].Utility) {
			t.Errorf("run %d ended in the bilateral stage under both biases but differs: %v vs %v", i, a[i].Utility, b[i].Utility)
		}
	}
	two, err := Sweep(context.Background(), s, []Param{p}, []string{"bilateral_then_mediated", "mediated_from_start"}, testConfig(t, 4, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(two.Arms) != 4 || two.Arms[1].Name != "US.bias=0/mediated_from_start" {
		t.Errorf("cells × variants: %d arms, second %q", len(two.Arms), two.Arms[1].Name)
	}
}

// BenchmarkSequencingCeasefire is the target: 4 arms × 1000 runs ×
// 120 rounds in at most 5 s on two cores (one op = the whole experiment);
// since issue 10 the ceasefire declares three control variants as well,
// so an op runs 7 arms.
func BenchmarkSequencingCeasefire(b *testing.B) {
	s := ceasefire(b)
	cfg := testConfig(b, 1000, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sequencing(context.Background(), s, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// TestProgress: Config.Progress counts the runs of every arm as they are
// stored, never falling, from 0 to the total.
func TestProgress(t *testing.T) {
	s := ceasefire(t)
	cfg := testConfig(t, 6, 3)
	var got []int64
	var totals []int64
	cfg.Progress = func(done, total int64) {
		got = append(got, done) // calls are serialised: no lock needed
		totals = append(totals, total)
	}
	if _, err := Sequencing(context.Background(), s, cfg); err != nil {
		t.Fatal(err)
	}
	want := int64(6 * len(s.Protocol.Variants))
	if len(got) < 2 || got[0] != 0 || got[len(got)-1] != want {
		t.Fatalf("calls %v, want 0 first and %d last", got, want)
	}
	for i, d := range got {
		if totals[i] != want || (i > 0 && d < got[i-1]) {
			t.Fatalf("call %d: %d of %d, want a count that never falls, of %d", i, d, totals[i], want)
		}
	}
}

// TestMediatorPolicies: one mediator seat serves every mediated stage of
// an arm, so stages naming different mediator policies are an error.
func TestMediatorPolicies(t *testing.T) {
	s, err := ceasefire(t).With()
	if err != nil {
		t.Fatal(err)
	}
	again := s.Protocol.Stages[s.Protocol.Stage("mediated")]
	again.Name, again.MediatorPolicy = "again", "hillclimb"
	s.Protocol.Stages = append(s.Protocol.Stages, again)
	_, err = Run(context.Background(), "sequencing", s, []Treatment{{Name: "two"}}, testConfig(t, 1, 1))
	if err == nil || !strings.Contains(err.Error(), `arm "two": plan: scenario ceasefire: mediated stages "mediated" and "again" name different mediator policies`) {
		t.Errorf("err = %v", err)
	}
}
