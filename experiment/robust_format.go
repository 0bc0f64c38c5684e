package experiment

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteRobustnessTable writes a robustness report as readable tables: the
// assumptions and their ranges, the orderings of the arms over the
// assumption space and the Sobol indices of each contrast.
func WriteRobustnessTable(w io.Writer, r *RobustnessReport) error {
	fmt.Fprintf(w, "robustness %s: %d assumptions, Saltelli design on a Latin hypercube: %d base samples, %d parameter points\n",
		r.Scenario, len(r.Assumptions), r.Samples, r.Points)
	fmt.Fprintf(w, "at each point: the sequencing arms, %d runs per arm, seed %d (the same run seeds at every point)\n", r.Runs, r.Seed)
	if r.Information != "" {
		fmt.Fprintf(w, "information: %s\n", r.Information)
	}
	fmt.Fprintf(w, "arms: %s\n", strings.Join(r.Arms, ", "))
	if r.Errors > 0 {
		fmt.Fprintf(w, "WARNING: %d runs ended in error and count as failures to agree; the first: %s\n", r.Errors, r.FirstError)
	}
	fmt.Fprintln(w)

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ASSUMPTION\tRANGE\tSOURCE")
	for _, a := range r.Assumptions {
		rg := "[" + formatValue(a.Low) + ", " + formatValue(a.High) + "]"
		if a.Integer {
			rg += " integer"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a.Name, rg, a.Note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nORDERINGS over the %d points of A and B: the share of points at which ARM's estimate is above (>) or below (<) OTHER's\n", 2*r.Samples)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "METRIC\tARM\tOTHER\t>\t95% CI\t<\t95% CI\tTIES\tSIG >\tSIG <")
	for _, o := range r.Orderings {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", o.Metric, o.Arm, o.Other,
			f3(o.Above.Mean), ci3(o.Above), f3(o.Below.Mean), ci3(o.Below), o.Ties, f3(o.SignificantAbove.Mean), f3(o.SignificantBelow.Mean))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "(Wilson 95% CIs treat the points as the sample; a point's ordering is that of its estimates over the runs;")
	fmt.Fprintln(w, " SIG: share of points where the point's paired test, Holm-adjusted as in the sequencing report, finds it at p < 0.05)")

	fmt.Fprintln(w, "\nSOBOL INDICES of each contrast ARM − OTHER: first order S (Saltelli et al. 2010) and total effect ST (Jansen 1999),")
	fmt.Fprintln(w, "percentile bootstrap 95% CIs over the base samples")
	for _, c := range r.Indices {
		fmt.Fprintf(w, "\n%s: %s − %s, mean %s", c.Metric, c.Arm, c.Other, f3(c.Mean))
		if !c.Defined {
			fmt.Fprintln(w, ", no variance over the points: indices undefined")
			continue
		}
		fmt.Fprintf(w, ", variance %s\n", strconv.FormatFloat(c.Variance, 'g', 3, 64))
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  ASSUMPTION\tS\t95% CI\tST\t95% CI")
		for _, e := range c.Effects {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", e.Assumption, f3(e.First.Mean), ci3(e.First), f3(e.Total.Mean), ci3(e.Total))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// WriteRobustnessCSV writes one row per parameter point: its index and
// design block, each assumption's value, then the agreement rate and the
// mean welfare of each arm.
func WriteRobustnessCSV(w io.Writer, r *RobustnessReport) error {
	cw := csv.NewWriter(w)
	head := []string{"point", "block"}
	for _, a := range r.Assumptions {
		head = append(head, a.Name)
	}
	for _, m := range robustMetrics {
		for _, a := range r.Arms {
			head = append(head, m+":"+a)
		}
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, p := range r.PointResults {
		row := []string{strconv.Itoa(p.Index), p.Block}
		for _, xs := range [][]float64{p.Values, p.Agreement, p.Welfare} {
			for _, x := range xs {
				row = append(row, g(x))
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
