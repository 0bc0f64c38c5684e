package render

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/parley-dev/parley/tournament"
)

// SchemaReport is the schema of ReportJSON.
const SchemaReport = "parley.report/2"

// ReportJSON is the --json output of 'parley report' (schema
// parley.report/2, docs/tournaments.md).
type ReportJSON struct {
	Schema string `json:"schema"`
	*tournament.Report
}

// WriteReport writes rep as 'parley report' prints it: as JSON (asJSON,
// WriteReportJSON), its leaderboard as CSV (asCSV, LeaderboardCSV) or as
// text (Report).
func WriteReport(w io.Writer, rep *tournament.Report, asJSON, asCSV bool) error {
	switch {
	case asJSON:
		return WriteReportJSON(w, rep)
	case asCSV:
		return LeaderboardCSV(w, rep)
	}
	Report(w, rep)
	return nil
}

// WriteReportJSON writes rep as the --json output of 'parley report'.
func WriteReportJSON(w io.Writer, rep *tournament.Report) error {
	return JSON(w, ReportJSON{Schema: SchemaReport, Report: rep})
}

// Report writes rep as text: the leaderboard, the pairwise tests and the
// errors by cause (for a tournament of mediators, the mediators'
// leaderboard and pairwise tests).
func Report(w io.Writer, rep *tournament.Report) {
	if rep.Meta.Protocol == tournament.ProtocolMediated {
		printMediatorReport(w, rep)
		return
	}
	m := rep.Meta
	self := ""
	if m.SelfPlay {
		self = ", self-play"
	}
	switch m.Timing {
	case tournament.TimingGENIUS:
		self += ", GENIUS timing"
	case tournament.TimingSteps:
		self += ", step timing"
	}
	if m.Protocol == tournament.ProtocolStaged {
		variant := m.Variant
		if variant == "" {
			variant = "the declared stages"
		}
		med := ""
		if len(m.Mediators) > 0 {
			med = fmt.Sprintf(", mediator %s, voters %s", m.Mediators[0], strings.Join(m.Voters, ","))
		}
		fmt.Fprintf(w, "Staged tournament: %d agents, %d scenarios, %d reps, protocol %s%s, seed %d%s\n",
			len(m.Agents), len(m.Scenarios), m.Reps, variant, med, m.Seed, self)
	} else {
		fmt.Fprintf(w, "Tournament: %d agents, %d scenarios, %d reps, deadline %d rounds, seed %d%s\n",
			len(m.Agents), len(m.Scenarios), m.Reps, m.Deadline, m.Seed, self)
	}
	printRuns(w, rep)
	if rep.Collapsed > 0 {
		fmt.Fprintf(w, "Statistics count %d distinct runs: %d repetitions gave the same record as another repetition of their pairing\n"+
			"(a deterministic pairing ignores its seed) and count once, not as independent samples.\n", rep.Distinct, rep.Collapsed)
	}
	for _, n := range rep.MetricsNotes {
		fmt.Fprintf(w, "Pareto and Nash distances not available on %s: %s\n", n.Scenario, n.Note)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "rank\tagent\tseats\tutility [95% CI]\tadvantage [95% CI]\tagreement [95% CI]\tpareto d\tnash d\twelfare\terrors")
	for _, s := range rep.Leaderboard {
		if s.Seats == 0 {
			fmt.Fprintf(tw, "%d\t%s\t0\t-\t-\t-\t-\t-\t-\t0\n", s.Rank, s.Agent)
			continue
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%.3f\t%d\n", s.Rank, s.Agent, s.Seats,
			fmtEstimate(s.Utility), fmtEstimate(s.Advantage), fmtEstimate(s.AgreementRate),
			fmtMean(s.ParetoDistance, s.MetricsSeats), fmtMean(s.NashDistance, s.NashSeats), s.Welfare, s.Errors)
	}
	tw.Flush()
	fmt.Fprintln(w)
	if len(rep.Pairwise) == 0 {
		fmt.Fprintln(w, "Pairwise: no two agents have paired runs (the same role against the same opponents; two agents need --self-play).")
	} else {
		fmt.Fprintln(w, "Pairwise (Wilcoxon signed-rank on utility over runs paired by scenario, role, opponents and rep; Holm-adjusted):")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  a\tb\tpairs\tmean diff\tp\tp (Holm)")
		for _, c := range rep.Pairwise {
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%+.4f\t%s\t%s%s\n", c.A, c.B, c.Pairs, c.MeanDiff, fmtP(c.P), fmtP(c.PHolm), star(c.Significant))
		}
		tw.Flush()
		fmt.Fprintln(w, "  * significant at 0.05 after Holm's correction")
	}
	printErrorCauses(w, rep)
}

// printMediatorReport writes a mediated tournament's report as text.
func printMediatorReport(w io.Writer, rep *tournament.Report) {
	m := rep.Meta
	deadline := "each scenario's deadline"
	if m.Deadline > 0 {
		deadline = fmt.Sprintf("%d rounds", m.Deadline)
	}
	fmt.Fprintf(w, "Mediated tournament: %d mediators, voters %s, %d scenarios, %d reps, %s, rule %s, info %s, seed %d\n",
		len(m.Mediators), strings.Join(m.Voters, ","), len(m.Scenarios), m.Reps, deadline, m.Rule, m.Info, m.Seed)
	printRuns(w, rep)
	if rep.Collapsed > 0 {
		fmt.Fprintf(w, "Statistics count %d distinct runs: %d repetitions gave the same record as another repetition of their mediator,\n"+
			"scenario and voter pool and count once, not as independent samples.\n", rep.Distinct, rep.Collapsed)
	}
	for _, n := range rep.MetricsNotes {
		fmt.Fprintf(w, "Pareto and Nash distances and fairness not available on %s: %s\n", n.Scenario, n.Note)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "rank\tmediator\truns\tagreement [95% CI]\twelfare [95% CI]\tnash d [95% CI]\tpareto d [95% CI]\tfairness [95% CI]\trounds to agreement\terrors")
	for _, s := range rep.Mediators {
		if s.Runs == 0 {
			fmt.Fprintf(tw, "%d\t%s\t0\t-\t-\t-\t-\t-\t-\t0\n", s.Rank, s.Mediator)
			continue
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", s.Rank, s.Mediator, s.Runs, fmtEstimate(s.AgreementRate),
			fmtEstimate(s.Welfare), fmtAvailable(s.NashDistance), fmtAvailable(s.ParetoDistance), fmtAvailable(s.Fairness),
			fmtAvailable(s.Rounds), s.Errors)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nn/a: not available (no run of the mediator has it: a scenario too large to analyse, no Nash point, or no agreement).")
	fmt.Fprintln(w)
	if len(rep.MediatorPairwise) == 0 {
		fmt.Fprintln(w, "Pairwise: no two mediators have paired runs.")
	} else {
		fmt.Fprintln(w, "Pairwise (runs paired by scenario, voter pool, rep and seed; McNemar on agreement, Wilcoxon signed-rank on the rest;\nHolm-adjusted per metric):")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  metric\ta\tb\tpairs\tmean diff\tp\tp (Holm)")
		for _, c := range rep.MediatorPairwise {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%+.4f\t%s\t%s%s\n", c.Metric, c.A, c.B, c.Pairs, c.MeanDiff, fmtP(c.P), fmtP(c.PHolm), star(c.Significant))
		}
		tw.Flush()
		fmt.Fprintln(w, "  * significant at 0.05 after Holm's correction")
	}
	printErrorCauses(w, rep)
}

// printRuns writes how many runs are stored and how they ended.
func printRuns(w io.Writer, rep *tournament.Report) {
	rate := 0.0
	if rep.Runs > 0 {
		rate = float64(rep.Agreements) / float64(rep.Runs)
	}
	fmt.Fprintf(w, "Runs: %d of %d stored, %d agreements (%.1f%%), %d errors\n", rep.Runs, rep.Planned, rep.Agreements, 100*rate, rep.Errors)
}

// printErrorCauses lists the most frequent error causes, if any.
func printErrorCauses(w io.Writer, rep *tournament.Report) {
	if len(rep.ErrorCauses) > 0 {
		fmt.Fprintln(w, "\nErrors by cause:")
		for _, c := range rep.ErrorCauses {
			fmt.Fprintf(w, "  %6d  %s\n", c.Count, c.Error)
		}
	}
}

// star marks a significant comparison.
func star(significant bool) string {
	if significant {
		return "*"
	}
	return ""
}

// fmtAvailable prints an estimate, "n/a" over no values.
func fmtAvailable(e tournament.Estimate) string {
	if e.N == 0 {
		return "n/a"
	}
	return fmtEstimate(e)
}

// fmtMean prints a mean over n seats, "n/a" over none.
func fmtMean(x float64, n int) string {
	if n == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", x)
}

func fmtEstimate(e tournament.Estimate) string {
	if !e.HasCI {
		return fmt.Sprintf("%.3f", e.Mean)
	}
	return fmt.Sprintf("%.3f [%.3f, %.3f]", e.Mean, e.Low, e.High)
}

func fmtP(p float64) string {
	if p < 1e-15 {
		return "<1e-15" // JSON has the value; the normal approximation is not accurate that far out
	}
	if p < 1e-4 {
		return fmt.Sprintf("%.1e", p)
	}
	return fmt.Sprintf("%.4f", p)
}

// LeaderboardCSV writes the leaderboard as CSV, one row per agent (per
// mediator and metric for a tournament of mediators).
func LeaderboardCSV(w io.Writer, rep *tournament.Report) error {
	cw := csv.NewWriter(w)
	if rep.Meta.Protocol == tournament.ProtocolMediated {
		cw.Write([]string{"rank", "mediator", "runs", "metric", "mean", "low", "high", "n"})
		for _, s := range rep.Mediators {
			for _, e := range []struct {
				m string
				e tournament.Estimate
			}{{tournament.MetricAgreement, s.AgreementRate}, {tournament.MetricWelfare, s.Welfare}, {tournament.MetricNash, s.NashDistance},
				{tournament.MetricPareto, s.ParetoDistance}, {tournament.MetricFairness, s.Fairness}, {tournament.MetricRounds, s.Rounds}} {
				row := []string{strconv.Itoa(s.Rank), s.Mediator, strconv.Itoa(s.Runs), e.m, "", "", "", strconv.Itoa(e.e.N)}
				if e.e.N > 0 { // empty: not available
					row[4] = strconv.FormatFloat(e.e.Mean, 'g', -1, 64)
				}
				if e.e.HasCI {
					row[5], row[6] = strconv.FormatFloat(e.e.Low, 'g', -1, 64), strconv.FormatFloat(e.e.High, 'g', -1, 64)
				}
				cw.Write(row)
			}
		}
		cw.Flush()
		return cw.Error()
	}
	cw.Write([]string{"rank", "agent", "seats", "utility", "utility_low", "utility_high", "advantage", "advantage_low", "advantage_high",
		"agreement_rate", "agreement_low", "agreement_high", "pareto_distance", "nash_distance", "welfare", "errors"})
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	opt := func(x float64, n int) string { // empty: not available
		if n == 0 {
			return ""
		}
		return f(x)
	}
	for _, s := range rep.Leaderboard {
		cw.Write([]string{strconv.Itoa(s.Rank), s.Agent, strconv.Itoa(s.Seats), f(s.Utility.Mean), f(s.Utility.Low), f(s.Utility.High),
			f(s.Advantage.Mean), f(s.Advantage.Low), f(s.Advantage.High), f(s.AgreementRate.Mean), f(s.AgreementRate.Low), f(s.AgreementRate.High),
			opt(s.ParetoDistance, s.MetricsSeats), opt(s.NashDistance, s.NashSeats), f(s.Welfare), strconv.Itoa(s.Errors)})
	}
	cw.Flush()
	return cw.Error()
}
