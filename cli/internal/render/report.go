package render

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
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

// WriteReportJSON writes rep as the --json output of 'parley report'.
func WriteReportJSON(w io.Writer, rep *tournament.Report) error {
	return JSON(w, ReportJSON{Schema: SchemaReport, Report: rep})
}

// Report writes rep as text: the leaderboard, the pairwise tests and the
// errors by cause.
func Report(w io.Writer, rep *tournament.Report) {
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
	fmt.Fprintf(w, "Tournament: %d agents, %d scenarios, %d reps, deadline %d rounds, seed %d%s\n",
		len(m.Agents), len(m.Scenarios), m.Reps, m.Deadline, m.Seed, self)
	rate := 0.0
	if rep.Runs > 0 {
		rate = float64(rep.Agreements) / float64(rep.Runs)
	}
	fmt.Fprintf(w, "Runs: %d of %d stored, %d agreements (%.1f%%), %d errors\n", rep.Runs, rep.Planned, rep.Agreements, 100*rate, rep.Errors)
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
			sig := ""
			if c.Significant {
				sig = "*"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%+.4f\t%s\t%s%s\n", c.A, c.B, c.Pairs, c.MeanDiff, fmtP(c.P), fmtP(c.PHolm), sig)
		}
		tw.Flush()
		fmt.Fprintln(w, "  * significant at 0.05 after Holm's correction")
	}
	if len(rep.ErrorCauses) > 0 {
		fmt.Fprintln(w, "\nErrors by cause:")
		for _, c := range rep.ErrorCauses {
			fmt.Fprintf(w, "  %6d  %s\n", c.Count, c.Error)
		}
	}
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

// LeaderboardCSV writes the leaderboard as CSV, one row per agent.
func LeaderboardCSV(w io.Writer, rep *tournament.Report) error {
	cw := csv.NewWriter(w)
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
