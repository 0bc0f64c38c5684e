package experiment

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
)

// synthRecords makes n runs of a two-negotiator, one-mediator scenario:
// agreement with probability pAgree, utilities around 0.6 on agreement and
// 0.5 without; shift is added to party 0's utility on every agreement.
func synthRecords(seed uint64, n int, pAgree, shift float64) []Record {
	r := rand.New(rand.NewPCG(seed, 7))
	recs := make([]Record, n)
	for i := range recs {
		agreed := r.Float64() < pAgree
		u := []float64{0.5, 0.5, 0.2}
		cause := parley.ReasonDeadline
		rounds := 120
		if agreed {
			u = []float64{0.55 + 0.1*r.Float64() + shift, 0.55 + 0.1*r.Float64(), 0.8}
			cause, rounds = parley.ReasonAgreement, 40+r.IntN(80)
		}
		recs[i] = Record{Run: i, Agreed: agreed, Ratified: agreed, Reason: cause, Rounds: rounds, Time: float64(rounds) / 120,
			Utility: u, Discounted: u, Advantage: []float64{u[0] - 0.5, u[1] - 0.5, u[2] - 0.2},
			Welfare: u[0] + u[1], ParetoDistance: 1.4 - u[0] - u[1], NashDistance: math.Abs(0.65 - u[0]), HasNash: true}
	}
	return recs
}

var synthNames = []string{"RU", "UA", "US"}

func synthReport(t *testing.T, recs ...[]Record) *Report {
	t.Helper()
	r := &Report{Experiment: "sequencing", Scenario: "synthetic", Runs: len(recs[0]), Seed: 1, Parties: synthNames,
		Negotiators: synthNames[:2], MediatingParty: "US", Pool: PoolNames{Negotiators: []string{"a"}, Voters: []string{"b"}}}
	arms := make([]Arm, len(recs))
	for i := range arms {
		arms[i].Name = []string{"base", "same", "rigged", "fourth"}[i]
	}
	if err := aggregate(r, arms, recs, synthNames, []int{0, 1}, 2, 0); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestIdenticalArmsRigged: two arms identical by construction show no
// difference (every paired test has p = 1); an arm whose agreement rate
// and party-0 utility are raised is significant after Holm.
func TestIdenticalArmsRigged(t *testing.T) {
	base := synthRecords(1, 400, 0.4, 0)
	same := synthRecords(1, 400, 0.4, 0)
	rigged := synthRecords(1, 400, 0.7, 0.1) // same stream: agreements are a superset
	r := synthReport(t, base, same, rigged)
	// Every pair of the three arms, five tests each.
	if r.Baseline != "base" || len(r.Comparisons) != 3*5 {
		t.Fatalf("baseline %q, %d comparisons", r.Baseline, len(r.Comparisons))
	}
	pairs := map[string]int{}
	for _, c := range r.Comparisons {
		pairs[c.Baseline+"-"+c.Arm]++
		if c.Test == "mcnemar" {
			if d := c.Difference; !d.HasCI || d.Low > d.Mean || d.Mean > d.High || d.N != 400 {
				t.Errorf("%s vs %s, %s: difference %+v, want a Newcombe interval around the mean", c.Arm, c.Baseline, c.Metric, d)
			}
		}
		if !(math.Abs(c.Log10P-math.Log10(c.P)) < 1e-9 && math.Abs(c.Log10PHolm-math.Log10(c.PHolm)) < 1e-9) {
			t.Errorf("%s vs %s, %s: log10 p %v, %v for p %v, %v", c.Arm, c.Baseline, c.Metric, c.Log10P, c.Log10PHolm, c.P, c.PHolm)
		}
	}
	if want := map[string]int{"base-same": 5, "base-rigged": 5, "same-rigged": 5}; !reflect.DeepEqual(pairs, want) {
		t.Errorf("pairs %v, want %v", pairs, want)
	}
	for _, c := range r.Comparisons {
		switch c.Arm {
		case "same":
			if c.P != 1 || c.PHolm != 1 || c.Difference.Mean != 0 || c.N != 0 {
				t.Errorf("identical arms: %+v", c)
			}
		case "rigged":
			if c.PHolm > 1e-6 {
				t.Errorf("rigged arm not significant: %+v", c)
			}
			if c.Metric == "agreement" && c.Difference.Mean <= 0.2 {
				t.Errorf("rigged agreement difference %v", c.Difference)
			}
		}
	}
	a := r.Arms[0]
	if a.Runs != 400 || a.Agreements != a.Breakdown[parley.ReasonAgreement] || a.Agreements+a.Breakdown[parley.ReasonDeadline] != 400 {
		t.Errorf("counts: %+v", a)
	}
	if ar := a.AgreementRate; !(ar.HasCI && ar.Low < ar.Mean && ar.Mean < ar.High && ar.N == 400) {
		t.Errorf("agreement rate %+v", ar)
	}
	if a.MediatorUtility == nil || a.MediatorUtility.N != 400 {
		t.Errorf("mediator utility %+v", a.MediatorUtility)
	}
	// Mean utility by hand.
	sum := 0.0
	for _, rec := range base {
		sum += rec.Utility[1]
	}
	if math.Abs(a.Utility["UA"].Mean-sum/400) > 1e-12 || a.Utility["UA"].N != 400 {
		t.Errorf("mean utility UA %+v, want %v", a.Utility["UA"], sum/400)
	}
	if a.RoundsToAgreement.N != a.Agreements {
		t.Errorf("rounds to agreement over %d runs, want %d", a.RoundsToAgreement.N, a.Agreements)
	}
}

// TestSummaryHand checks a four-run arm entirely by hand.
func TestSummaryHand(t *testing.T) {
	mk := func(agreed bool, cause parley.Reason, u0, u1 float64) Record {
		return Record{Agreed: agreed, Ratified: agreed && cause == parley.ReasonAgreement, Reason: cause, Rounds: 10,
			Utility: []float64{u0, u1, 0}, Discounted: []float64{u0, u1, 0}, Advantage: []float64{0, 0, 0}, Welfare: u0 + u1}
	}
	recs := []Record{
		mk(true, parley.ReasonAgreement, 0.6, 0.6),
		mk(true, parley.ReasonRatificationFailed, 0.5, 0.5),
		mk(false, parley.ReasonWalkAway, 0.5, 0.5),
		mk(false, parley.ReasonMediatorExit, 0.5, 0.3),
	}
	var a Arm
	if err := summarize(&a, recs, synthNames, -1); err != nil {
		t.Fatal(err)
	}
	if a.Agreements != 2 || a.Ratified != 1 || a.AgreementRate.Mean != 0.5 || a.RatifiedRate.Mean != 0.25 {
		t.Errorf("rates: %+v", a)
	}
	want := map[parley.Reason]int{parley.ReasonAgreement: 1, parley.ReasonRatificationFailed: 1, parley.ReasonWalkAway: 1, parley.ReasonMediatorExit: 1, parley.ReasonDeadline: 0, parley.ReasonError: 0}
	for k, v := range want {
		if a.Breakdown[k] != v {
			t.Errorf("breakdown[%s] = %d, want %d", k, a.Breakdown[k], v)
		}
	}
	// Welfare 1.2, 1.0, 1.0, 0.8: mean 1.0, sd √(0.08/3), t(0.975,3) = 3.182446.
	half := 3.182446 * math.Sqrt(0.08/3) / 2
	if math.Abs(a.Welfare.Mean-1) > 1e-12 || math.Abs(a.Welfare.Low-(1-half)) > 1e-6 || math.Abs(a.Welfare.High-(1+half)) > 1e-6 {
		t.Errorf("welfare %+v, want 1 ± %v", a.Welfare, half)
	}
	if a.MediatorUtility != nil {
		t.Errorf("no mediator, got %+v", a.MediatorUtility)
	}
}

func TestWriters(t *testing.T) {
	r := synthReport(t, synthRecords(1, 50, 0.4, 0), synthRecords(2, 50, 0.5, 0), synthRecords(3, 50, 0.7, 0.05), synthRecords(4, 50, 0.2, 0))
	var b bytes.Buffer
	if err := WriteTable(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"AGREED", "U(US)", "ratification_failed", "paired tests between every pair of arms", "fourth  rigged", "welfare"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("table lacks %q:\n%s", s, b.String())
		}
	}
	b.Reset()
	if err := WriteCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][0] != "arm" || rows[2][0] != "same" {
		t.Errorf("csv: %d rows, %v", len(rows), rows[0])
	}
	for _, row := range rows {
		if len(row) != len(rows[0]) {
			t.Fatalf("ragged csv row %v", row)
		}
	}
	b.Reset()
	if err := WriteRunsCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	rows, err = csv.NewReader(&b).ReadAll()
	if err != nil || len(rows) != 1+4*50 {
		t.Fatalf("runs csv: %d rows, %v", len(rows), err)
	}
}

// TestFirstError: a failing run is counted as "error" and its message kept.
func TestFirstError(t *testing.T) {
	recs := synthRecords(1, 4, 0.5, 0)
	recs[2].Reason, recs[2].Agreed, recs[2].Ratified, recs[2].Err = parley.ReasonError, false, false, "mediator: boom"
	recs[3].Reason, recs[3].Agreed, recs[3].Ratified, recs[3].Err = parley.ReasonError, false, false, "later"
	var a Arm
	if err := summarize(&a, recs, synthNames, 2); err != nil {
		t.Fatal(err)
	}
	if a.Breakdown[parley.ReasonError] != 2 || a.FirstError != "run 2: mediator: boom" {
		t.Errorf("breakdown %v, first error %q", a.Breakdown, a.FirstError)
	}
	var b bytes.Buffer
	a.Name = "x"
	r := &Report{Parties: synthNames, Negotiators: synthNames[:2], Arms: []Arm{a}}
	if err := WriteTable(&b, r); err != nil || !strings.Contains(b.String(), "note: 2 runs of x failed; the first: run 2: mediator: boom") {
		t.Errorf("table: %v\n%s", err, b.String())
	}
}

// TestFarTailJSON: a welfare difference of one sign over 2000 paired runs
// has a Wilcoxon p-value far below float64's range; the JSON still carries
// it exactly as log10_p (and its Holm adjustment as log10_p_holm), and
// writes p itself as 0 only there.
func TestFarTailJSON(t *testing.T) {
	const n = 2000
	base := synthRecords(1, n, 0, 0)
	up := synthRecords(1, n, 0, 0)
	for i := range up {
		up[i].Welfare += 0.01 * float64(i+1)
	}
	r := synthReport(t, base, up)
	var w *Comparison
	for i := range r.Comparisons {
		if r.Comparisons[i].Metric == "welfare" {
			w = &r.Comparisons[i]
		}
	}
	if w == nil {
		t.Fatal("no welfare comparison")
	}
	// As stats.TestWilcoxonLog10P: N = 2000 differences of one sign,
	// log10 p = −327.488394245291; Holm over the 5 tests adds log10 5 at
	// most (the other four have p = 1).
	if w.P != 0 || math.Abs(w.Log10P+327.48839424529131) > 1e-9 || math.Abs(w.Log10PHolm-(w.Log10P+math.Log10(5))) > 1e-9 {
		t.Errorf("welfare: p %g, log10 p %v, log10 p (Holm) %v", w.P, w.Log10P, w.Log10PHolm)
	}
	b, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"log10_p":-327.488394245`) {
		t.Errorf("JSON %s lacks the exact log10_p", b)
	}
}
