package scenario

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
)

// outOfSample names the ceasefire references that were published after the
// calibration and set no number of the scenario.
var outOfSample = map[string]bool{"geneva_19_point_nov2025": true, "framework_20_point_dec2025": true}

// validationText is one out-of-sample text, in one reading.
type validationText struct {
	label   string            // as the docs' table shows it
	ref     string            // the scenario's reference, or ""
	changes map[string]string // issue → value, applied to ref's outcome
	// record is each party's public reaction, "accept" or "reject", by
	// party name; see the sources in docs/mediation.md.
	record map[string]string
}

// The public record (sources in docs/mediation.md, "Validation beyond the
// calibration texts"):
//   - Geneva, Nov 2025: Ukraine and the US agreed on most points and called
//     the talks highly productive; Russia said it would not support a text
//     that departs from "the spirit and letter of Anchorage" and kept the
//     original 28 points as the only basis (Lavrov and Peskov, 25 Nov).
//   - The 20-point framework, Dec 2025: Kyiv's and Washington's joint draft;
//     Moscow kept demanding Ukraine's full withdrawal from Donetsk and did
//     not accept it.
var validationTexts = func() []validationText {
	geneva := map[string]string{"RU": "reject", "UA": "accept", "US": "accept"}
	december := map[string]string{"RU": "reject", "UA": "accept", "US": "accept"}
	return []validationText{
		{"Geneva 19 points (territory as in the 28 points)", "geneva_19_point_nov2025", nil, geneva},
		{"Geneva 19 points (territory frozen)", "geneva_19_point_nov2025", map[string]string{"territory": "freeze_line_no_recognition"}, geneva},
		{"20-point framework (Kyiv's line)", "framework_20_point_dec2025", nil, december},
		{"20-point framework (free economic zone)", "framework_20_point_dec2025", map[string]string{"territory": "donbas_withdrawal_dmz"}, december},
		{"20-point framework (assets to a US-led fund)", "framework_20_point_dec2025", map[string]string{"frozen_assets": "us_led_fund_split"}, december},
	}
}()

// validationTable scores the out-of-sample texts with the scenario's
// utilities: a party is predicted to accept a text that crosses none of
// its red lines and is worth at least its reservation value at t = 0, the
// rule the calibration used (../shared/reference/ceasefire.md §4).
func validationTable(t *testing.T, s *Scenario) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("| text | RU | UA | US | matches the record |\n|---|---|---|---|---|\n")
	matched, total := 0, 0
	mainMatched, mainTotal := 0, 0
	for i, v := range validationTexts {
		r := reference(s, v.ref)
		if r == nil {
			t.Fatalf("no reference %q", v.ref)
		}
		named := s.Space.Named(r.Outcome)
		for k, val := range v.changes {
			named[k] = val
		}
		o, err := s.Space.Parse(named)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "| %s |", v.label)
		var misses []string
		for _, p := range s.Parties {
			pr := p.Profile
			u := pr.Utility.Utility(o)
			vetoed := len(pr.Vetoes) > 0 && pr.Vetoed(o)
			accept := !vetoed && parley.AtLeast(u, pr.ReservationAt(0))
			mark := "✓"
			if !accept {
				mark = "✗"
			}
			if vetoed {
				mark += " (veto)"
			}
			if q := pr.RatifyProb(o); q < 1 {
				mark += fmt.Sprintf(" (ratified with p = %.1f)", q)
			}
			fmt.Fprintf(&b, " %.3f %s |", u, mark)
			rec := v.record[p.Name]
			total++
			if i == 0 || i == 2 {
				mainTotal++
			}
			if (rec == "accept") == accept {
				matched++
				if i == 0 || i == 2 {
					mainMatched++
				}
			} else {
				misses = append(misses, fmt.Sprintf("%s %ss, the model says %s", p.Name, rec, map[bool]string{true: "accept", false: "reject"}[accept]))
			}
		}
		if len(misses) == 0 {
			b.WriteString(" yes |\n")
		} else {
			fmt.Fprintf(&b, " no: %s |\n", strings.Join(misses, "; "))
		}
	}
	fmt.Fprintf(&b, "\nPredicted reactions that match the record: %d of %d in the two main readings (first and third rows), %d of %d over all five readings.\n",
		mainMatched, mainTotal, matched, total)
	return b.String()
}

// TestCeasefireOutOfSample checks that docs/mediation.md reports the
// out-of-sample scores exactly as the scenario computes them, between the
// markers <!-- validation:begin --> and <!-- validation:end -->. It does
// not require the model to match the record: the table says whether it
// does.
func TestCeasefireOutOfSample(t *testing.T) {
	s, err := Read(ceasefireFile)
	if err != nil {
		t.Fatal(err)
	}
	for name := range outOfSample {
		if reference(s, name) == nil {
			t.Errorf("the scenario lacks reference %q", name)
		}
	}
	got := validationTable(t, s)
	const doc = "../docs/mediation.md"
	data, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "<!-- validation:begin -->\n")
	table, _, ok2 := strings.Cut(rest, "<!-- validation:end -->")
	if !ok || !ok2 {
		t.Fatalf("%s: no <!-- validation:begin --> ... <!-- validation:end --> block", doc)
	}
	if table != got {
		t.Errorf("%s: the validation block is out of date; it should read:\n%s", doc, got)
	}
}

// reference returns s's reference called name, or nil.
func reference(s *Scenario, name string) *Reference {
	for i := range s.References {
		if s.References[i].Name == name {
			return &s.References[i]
		}
	}
	return nil
}
