package cli

import (
	"encoding/json"
	"testing"
)

// TestCeasefireDeclaredDiscountsMatter: the ceasefire's own discount
// factors (RU 0.9, UA 0.8, as the scenario declares them) change what the
// direct talks produce once the negotiators are ANAC agents that read δ
// as their GENIUS originals do (CUHKAgent and HardHeaded concede sooner
// and Atlas3's threshold falls; AgentK ignores δ, as the 2010 agent
// does). Against the same talks without discounting (δ = 1 for both), on
// the same 300 run seeds, the signed agreements come much earlier (means
// of 108 and 61 rounds when measured). (experiment's
// TestCeasefireDiscountsMatter sweeps δ further, down to 0.1, with the
// discount-aware time-dependent tactics; at the declared values those
// move the agreement rate by less than 0.02: docs/mediation.md.)
func TestCeasefireDeclaredDiscountsMatter(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("-short or -race: skipping 1,200 runs of ANAC agents on the ceasefire (about 5 s, a minute under -race)")
	}
	out := expCLI(t, "experiment", "sweep", "ceasefire", "--set", "RU.discount=1,0.9", "--set", "UA.discount=1,0.8",
		"--variants", "bilateral_only", "--negotiators", "cuhkagent,hardheaded,atlas3,agentk", "--runs", "300", "--seed", "1", "--json")
	var r struct {
		Arms []struct {
			Name              string
			AgreementRate     ciJSON `json:"agreement_rate"`
			RoundsToAgreement ciJSON `json:"rounds_to_agreement"`
		}
		Comparisons []struct {
			Arm, Baseline, Metric string
			Difference            ciJSON
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	const none, declared = "RU.discount=1 UA.discount=1", "RU.discount=0.9 UA.discount=0.8"
	arms := map[string]int{}
	for i, a := range r.Arms {
		arms[a.Name] = i
	}
	in, ok1 := arms[none]
	id, ok2 := arms[declared]
	if !ok1 || !ok2 {
		t.Fatalf("the sweep lacks the cells %q and %q: %s", none, declared, out)
	}
	n, d := r.Arms[in].RoundsToAgreement, r.Arms[id].RoundsToAgreement
	if n.Low == nil || d.High == nil {
		t.Fatalf("no interval of the rounds to agreement: %s", out)
	}
	t.Logf("rounds to a signed agreement: %.1f [%.1f, %.1f] (n %d) without discounting, %.1f [%.1f, %.1f] (n %d) with the declared δ",
		n.Mean, *n.Low, *n.High, n.N, d.Mean, *d.Low, *d.High, d.N)
	if *d.High >= *n.Low {
		t.Errorf("with the declared δ agreements come in round %.1f [%.1f, %.1f], not clearly before round %.1f [%.1f, %.1f] without discounting",
			d.Mean, *d.Low, *d.High, n.Mean, *n.Low, *n.High)
	}
	// The agreement rate falls too (0.123 to 0.077 when measured), but
	// its paired interval is close to 0, so only the timing is asserted.
	for _, c := range r.Comparisons {
		if c.Metric == "agreement" && c.Arm == declared && c.Baseline == none && c.Difference.Low != nil && c.Difference.High != nil {
			t.Logf("agreement rate: %.3f without discounting, %.3f with the declared δ, difference %+.3f [%+.3f, %+.3f]",
				r.Arms[in].AgreementRate.Mean, r.Arms[id].AgreementRate.Mean, c.Difference.Mean, *c.Difference.Low, *c.Difference.High)
		}
	}
}
