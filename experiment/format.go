package experiment

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/parley-dev/parley"
)

// f3 writes x with three decimals.
func f3(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }

// ci3 writes e's interval, "-" without one.
func ci3(e Estimate) string {
	if !e.HasCI {
		return "-"
	}
	return "[" + f3(e.Low) + ", " + f3(e.High) + "]"
}

func estStr(e Estimate, prec int) string {
	if e.N == 0 {
		return "-"
	}
	return strconv.FormatFloat(e.Mean, 'f', prec, 64)
}

// pStr writes a p-value: three significant digits, "<1e-6" below.
func pStr(p float64) string {
	if p < 1e-6 {
		return "<1e-6"
	}
	return strconv.FormatFloat(p, 'g', 3, 64)
}

// WriteTable writes the report as readable tables: the outcome per arm, the
// utilities, the causes of failure and the paired tests.
func WriteTable(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "%s %s: %d runs per arm, seed %d (run i uses the same seed and strategies in every arm)\n",
		r.Experiment, r.Scenario, r.Runs, r.Seed)
	fmt.Fprintf(w, "negotiators %s cycle through: %s\n", strings.Join(r.Negotiators, ", "), strings.Join(r.Pool.Negotiators, ", "))
	if len(r.Pool.Voters) > 0 {
		fmt.Fprintf(w, "mediated-stage voters cycle through: %s\n", strings.Join(r.Pool.Voters, ", "))
	}
	if r.MediatingParty != "" {
		fmt.Fprintf(w, "mediating party: %s\n", r.MediatingParty)
	}
	if r.Information != "" {
		fmt.Fprintf(w, "information: %s\n", r.Information)
	}
	for _, k := range []struct{ kind, what string }{
		{ContrastOrder, "order effects (the same stages in another order)"},
		{ContrastFallback, "fallback effects (the same stages, then a stage to fall back on)"},
		{ContrastCarry, "carry effects (the same stages, another carry-over)"},
	} {
		var pairs []string
		for _, c := range r.Contrasts {
			if c.Kind == k.kind {
				pairs = append(pairs, c.Arm+" vs "+c.Baseline)
			}
		}
		if len(pairs) > 0 {
			fmt.Fprintf(w, "%s: %s\n", k.what, strings.Join(pairs, "; "))
		}
	}
	fmt.Fprintln(w)

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	head := []string{"ARM", "AGREED", "95% CI", "RATIFIED", "95% CI", "ROUNDS", "LOCKED", "WELFARE", "PARETO", "NASH"}
	if r.MediatingParty != "" {
		head = append(head, "U("+r.MediatingParty+")")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for i := range r.Arms {
		a := &r.Arms[i]
		row := []string{a.Name, f3(a.AgreementRate.Mean), ci3(a.AgreementRate), f3(a.RatifiedRate.Mean), ci3(a.RatifiedRate),
			estStr(a.RoundsToAgreement, 1), strconv.FormatFloat(a.IssuesLocked, 'f', 2, 64), f3(a.Welfare.Mean), estStr(a.ParetoDistance, 3), estStr(a.NashDistance, 3)}
		if r.MediatingParty != "" && a.MediatorUtility != nil {
			row = append(row, f3(a.MediatorUtility.Mean))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "(AGREED: signed agreements; RATIFIED: also ratified; Wilson 95% CIs; ROUNDS: mean rounds to a signed agreement;")
	fmt.Fprintln(w, " LOCKED: mean issues locked by a partial_issues carry-over;")
	fmt.Fprintln(w, " WELFARE, PARETO, NASH: sum of the negotiators' utilities and its distance to their Pareto frontier and Nash point)")
	fmt.Fprintln(w)

	head = []string{"ARM"}
	for _, p := range r.Parties {
		head = append(head, "U("+p+")")
	}
	for _, p := range r.Parties {
		head = append(head, "DISC("+p+")")
	}
	for _, p := range r.Parties {
		head = append(head, "ADV("+p+")")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for i := range r.Arms {
		a := &r.Arms[i]
		row := []string{a.Name}
		for _, p := range r.Parties {
			row = append(row, f3(a.Utility[p].Mean))
		}
		for _, p := range r.Parties {
			row = append(row, f3(a.DiscountedUtility[p].Mean))
		}
		for _, p := range r.Parties {
			row = append(row, signed(a.Advantage[p].Mean))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "(U, DISC, ADV: mean utility, discounted utility and advantage u-r(t) per party; no agreement counts as r(t))")
	fmt.Fprintln(w)

	head = []string{"ARM"}
	for _, c := range parley.Reasons() {
		head = append(head, c.String())
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for i := range r.Arms {
		a := &r.Arms[i]
		row := []string{a.Name}
		for _, c := range parley.Reasons() {
			row = append(row, strconv.Itoa(a.Breakdown[c]))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for i := range r.Arms {
		if a := &r.Arms[i]; a.FirstError != "" {
			fmt.Fprintf(w, "note: %d runs of %s failed; the first: %s\n", a.Breakdown[parley.ReasonError], a.Name, a.FirstError)
		}
	}
	if len(r.Comparisons) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "paired tests between every pair of arms (same seeds; McNemar with Newcombe's paired 95%% CI on agreement,\n")
	fmt.Fprintf(w, " Wilcoxon signed-rank with the t 95%% CI of the mean difference on utility and welfare; Holm over all %d tests)\n", len(r.Comparisons))
	fmt.Fprintln(tw, "ARM\tVS\tMETRIC\tDIFF\t95% CI\tN\tP\tP(HOLM)")
	for _, c := range r.Comparisons {
		metric := c.Metric
		if c.Party != "" {
			metric += "(" + c.Party + ")"
		}
		ci := "-"
		if c.Difference.HasCI {
			ci = "[" + signed(c.Difference.Low) + ", " + signed(c.Difference.High) + "]"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s%s\n", c.Arm, c.Baseline, metric, signed(c.Difference.Mean), ci, c.N, pStr(c.P), pStr(c.PHolm), stars(c.PHolm))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "(DIFF: ARM minus VS; N: discordant pairs (McNemar) or non-zero differences (Wilcoxon); * p<0.05, ** p<0.01, *** p<0.001 after Holm)")
	return err
}

func signed(x float64) string {
	s := strconv.FormatFloat(x, 'f', 3, 64)
	if x >= 0 && !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	if s == "-0.000" {
		s = "+0.000"
	}
	return s
}

func stars(p float64) string {
	switch {
	case p < 0.001:
		return " ***"
	case p < 0.01:
		return " **"
	case p < 0.05:
		return " *"
	}
	return ""
}

func g(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// WriteCSV writes one row per arm: its parameters (for a sweep), the rates
// with their intervals, the causes, the means per party, and the
// differences and p-values of the paired tests against the baseline (the
// tests between other pairs are in the JSON).
func WriteCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	var pnames []string
	for _, p := range r.Parameters {
		pnames = append(pnames, p.Name)
	}
	head := []string{"arm", "variant"}
	head = append(head, pnames...)
	head = append(head, "runs", "agreement_rate", "agreement_rate_low", "agreement_rate_high",
		"ratified_rate", "ratified_rate_low", "ratified_rate_high")
	for _, c := range parley.Reasons() {
		head = append(head, "reason_"+c.String())
	}
	head = append(head, "rounds_to_agreement", "issues_locked")
	for _, p := range r.Parties {
		head = append(head, "utility_"+p, "utility_"+p+"_low", "utility_"+p+"_high")
	}
	for _, p := range r.Parties {
		head = append(head, "discounted_"+p)
	}
	for _, p := range r.Parties {
		head = append(head, "advantage_"+p)
	}
	head = append(head, "welfare", "welfare_low", "welfare_high", "pareto_distance", "nash_distance", "mediator_utility")
	// One p-value column per comparison kind against the baseline.
	type key struct{ metric, party string }
	var kinds []key
	seen := map[key]bool{}
	for _, c := range r.Comparisons {
		k := key{c.Metric, c.Party}
		if c.Baseline == r.Baseline && !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
		}
	}
	for _, k := range kinds {
		n := k.metric
		if k.party != "" {
			n += "_" + k.party
		}
		head = append(head, "diff_"+n, "p_"+n, "p_holm_"+n)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for i := range r.Arms {
		a := &r.Arms[i]
		row := []string{a.Name, a.Variant}
		for _, p := range r.Parameters {
			row = append(row, fmt.Sprint(a.Params[p.Name]))
		}
		row = append(row, strconv.Itoa(a.Runs))
		row = append(row, estCSV3(a.AgreementRate)...)
		row = append(row, estCSV3(a.RatifiedRate)...)
		for _, c := range parley.Reasons() {
			row = append(row, strconv.Itoa(a.Breakdown[c]))
		}
		row = append(row, estCSV(a.RoundsToAgreement), g(a.IssuesLocked))
		for _, p := range r.Parties {
			row = append(row, estCSV3(a.Utility[p])...)
		}
		for _, p := range r.Parties {
			row = append(row, g(a.DiscountedUtility[p].Mean))
		}
		for _, p := range r.Parties {
			row = append(row, g(a.Advantage[p].Mean))
		}
		med := ""
		if a.MediatorUtility != nil {
			med = g(a.MediatorUtility.Mean)
		}
		row = append(row, estCSV3(a.Welfare)...)
		row = append(row, estCSV(a.ParetoDistance), estCSV(a.NashDistance), med)
		for _, k := range kinds {
			d, p, ph := "", "", ""
			for _, c := range r.Comparisons {
				if c.Arm == a.Name && c.Baseline == r.Baseline && c.Metric == k.metric && c.Party == k.party {
					d, p, ph = g(c.Difference.Mean), g(c.P), g(c.PHolm)
				}
			}
			row = append(row, d, p, ph)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// estCSV3 writes e's mean, low and high ("" where there is none).
func estCSV3(e Estimate) []string {
	if !e.HasCI {
		return []string{estCSV(e), "", ""}
	}
	return []string{g(e.Mean), g(e.Low), g(e.High)}
}

func estCSV(e Estimate) string {
	if e.N == 0 {
		return ""
	}
	return g(e.Mean)
}

// WriteRunsCSV writes one row per run of every arm: the run's seed and
// strategies, how it ended, and its utilities and distances.
func WriteRunsCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	head := []string{"arm", "run", "seed"}
	for _, p := range r.Negotiators {
		head = append(head, "negotiator_"+p)
	}
	for _, p := range r.Negotiators {
		head = append(head, "voter_"+p)
	}
	head = append(head, "agreed", "ratified", "reason", "stage", "rounds", "time", "locked")
	for _, p := range r.Parties {
		head = append(head, "utility_"+p)
	}
	for _, p := range r.Parties {
		head = append(head, "discounted_"+p)
	}
	for _, p := range r.Parties {
		head = append(head, "advantage_"+p)
	}
	head = append(head, "welfare", "pareto_distance", "nash_distance", "error")
	if err := cw.Write(head); err != nil {
		return err
	}
	for i := range r.Arms {
		a := &r.Arms[i]
		for _, rec := range a.records {
			row := []string{a.Name, strconv.Itoa(rec.Run), strconv.FormatUint(rec.Seed, 10)}
			row = append(row, pad(rec.Negotiators, len(r.Negotiators))...)
			row = append(row, pad(rec.Voters, len(r.Negotiators))...)
			row = append(row, strconv.FormatBool(rec.Agreed), strconv.FormatBool(rec.Ratified), rec.Reason.String(), rec.Stage,
				strconv.Itoa(rec.Rounds), g(rec.Time), strconv.Itoa(rec.Locked))
			for _, x := range rec.Utility {
				row = append(row, g(x))
			}
			for _, x := range rec.Discounted {
				row = append(row, g(x))
			}
			for _, x := range rec.Advantage {
				row = append(row, g(x))
			}
			nash := ""
			if rec.HasNash {
				nash = g(rec.NashDistance)
			}
			row = append(row, g(rec.Welfare), g(rec.ParetoDistance), nash, rec.Err)
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// pad returns s cut or padded with "" to n entries.
func pad(s []string, n int) []string {
	out := make([]string, n)
	copy(out, s)
	return out
}
