// Package render prints the parley command's outputs: the summary of a
// run, an analysis, a tournament's report, as text and as JSON. Each
// function writes what one command prints; golden files under testdata/
// hold the expected bytes (go test -update rewrites them).
package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tracefile"
)

// Table writes rows (cells) as aligned columns, each line indented by two
// spaces, with no trailing blanks.
func Table(w io.Writer, rows [][]string) {
	for _, l := range TableLines(rows) {
		io.WriteString(w, l+"\n")
	}
}

// TableLines returns the lines Table writes, without their newlines.
func TableLines(rows [][]string) []string {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "  %s\t\n", strings.Join(r, "\t"))
	}
	tw.Flush()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return lines
}

// f3 writes x with three decimals.
func f3(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }

// Summary writes the human-readable summary of a run: the setup, the
// events (the first and last show of them; every one when show < 0), the
// result and the utilities. 'parley run' and 'parley replay' share it.
func Summary(w io.Writer, s *scenario.Scenario, j *tracefile.Run, events []tracefile.Entry, show int) {
	names := s.Names()
	switch j.Protocol {
	case tracefile.ProtocolStaged:
		variant := "the declared stages"
		if j.Variant != "" {
			variant = "variant " + j.Variant
		}
		fmt.Fprintf(w, "Scenario %s: %d parties, %d issues, %d outcomes; staged protocol (%s), %d rounds in all, seed %d\n",
			s.Name, len(names), len(s.Space.Issues), s.Space.Size(), variant, j.Deadline, j.Seed)
		stagedSetup(w, s, j)
	case tracefile.ProtocolMediated:
		fmt.Fprintf(w, "Scenario %s: %d parties, %d issues, %d outcomes; single-text mediation, %d rounds, seed %d\n",
			s.Name, len(names), len(s.Space.Issues), s.Space.Size(), j.Deadline, j.Seed)
		stagedSetup(w, s, j)
	default:
		clock := ""
		if j.Timing == "genius" {
			clock = " (GENIUS timing)"
		}
		fmt.Fprintf(w, "Scenario %s: %d parties, %d issues, %d outcomes; alternating offers, deadline %d rounds%s, seed %d\n",
			s.Name, len(names), len(s.Space.Issues), s.Space.Size(), j.Deadline, clock, j.Seed)
		rows := [][]string{{"PARTY", "AGENT", "RESERVATION", "DISCOUNT"}}
		for _, p := range s.Parties {
			rows = append(rows, []string{p.Name, j.Agents[p.Name], f3(p.Profile.Reservation), fmt.Sprintf("%.2f", p.Profile.DiscountFactor())})
		}
		Table(w, rows)
	}

	printEvents(w, s, j, events, show)

	fmt.Fprintln(w)
	fmt.Fprintf(w, "Result: %s\n", resultLine(j))
	if j.Agreement != nil {
		rows := [][]string{{"ISSUE", "VALUE"}}
		for i := range s.Space.Issues {
			is := &s.Space.Issues[i]
			rows = append(rows, []string{is.Name, fmt.Sprint(j.Agreement[is.Name])})
		}
		Table(w, rows)
	}
	if len(j.LockedIssues) > 0 {
		fmt.Fprintf(w, "Issues locked between stages: %s\n", strings.Join(j.LockedIssues, ", "))
	}
	if j.Error != "" {
		fmt.Fprintf(w, "  error: %s\n", j.Error)
	}

	fmt.Fprintln(w)
	rows := [][]string{{"PARTY", "UTILITY", "DISCOUNTED", "ADVANTAGE"}}
	for _, n := range names {
		rows = append(rows, []string{n, f3(j.Utilities[n]), f3(j.DiscountedUtilities[n]), fmt.Sprintf("%+.3f", j.Advantage[n])})
	}
	Table(w, rows)
	fmt.Fprintln(w, "  (UTILITY: of the agreement, else the reservation value r(t) at the end; DISCOUNTED: at the end time;")
	fmt.Fprintln(w, "   ADVANTAGE: utility - r(t))")
	if j.Metrics != nil {
		m := j.Metrics
		lead := "W"
		if len(j.MetricsParties) < len(names) {
			lead = "Among " + strings.Join(j.MetricsParties, ", ") + ": w"
		}
		fmt.Fprintf(w, "\n%selfare %.3f; distance to the Pareto frontier %.3f", lead, m.Welfare, m.ParetoDistance)
		if m.HasNash {
			fmt.Fprintf(w, ", to the Nash point %.3f", m.NashDistance)
		}
		if m.HasKS {
			fmt.Fprintf(w, ", to Kalai-Smorodinsky %.3f", m.KSDistance)
		}
		fmt.Fprintln(w)
	} else if j.AnalysisError != "" {
		fmt.Fprintf(w, "\nNo agreement metrics: %s\n", j.AnalysisError)
	}
}

// resultLine says how the run ended, naming the reason as every output
// does.
func resultLine(j *tracefile.Run) string {
	var b strings.Builder
	b.WriteString(j.Reason)
	fmt.Fprintf(&b, " in round %d", j.Rounds)
	if j.Stage != "" {
		fmt.Fprintf(&b, " (stage %q, its round %d)", j.Stage, j.StageRound)
	}
	if j.Time >= 0 {
		fmt.Fprintf(&b, ", t=%.3f", j.Time)
	}
	switch {
	case j.AcceptedBy != nil:
		fmt.Fprintf(&b, ", accepted last by %s", *j.AcceptedBy)
	case j.EndedBy != nil:
		fmt.Fprintf(&b, ", by %s", *j.EndedBy)
	}
	switch j.Reason {
	case parley.ReasonAgreement.String():
		if j.Ratified != nil {
			b.WriteString(", ratified")
		}
	case parley.ReasonRatificationFailed.String():
		b.WriteString(": the agreement below was signed, then not ratified")
	case parley.ReasonDeadline.String():
		fmt.Fprintf(&b, ": no agreement within %d rounds", j.Deadline)
	}
	return b.String()
}

// printEvents lists the events as a table: the global round (and, in a
// staged run, the stage and its round), the party, the action (as traces
// name it), the utilities of the outcome for every party, and in mediated
// stages the votes on each proposal.
func printEvents(w io.Writer, s *scenario.Scenario, j *tracefile.Run, events []tracefile.Entry, show int) {
	tb := eventsOf(s, j, events)
	fmt.Fprintln(w)
	if len(tb.rows) == 0 {
		fmt.Fprintln(w, "Events: none")
		return
	}
	what := "offers"
	if tb.staged {
		what = "offers or proposals"
	}
	fmt.Fprintf(w, "Events: %d %s in %d rounds", tb.offers, what, j.Rounds)
	if tb.staged {
		fmt.Fprint(w, " (ROUND: global round; STAGE ROUND: the round within the stage; U(party): utility of the outcome to that party)\n")
	} else {
		fmt.Fprint(w, " (U(party): utility of the outcome to that party)\n")
	}
	// The first and last show rows, aligned as one table, with a line
	// saying how many are left out between them.
	n := len(tb.rows)
	tb.write(w, func(k int) bool { return show < 0 || n <= 2*show || k < show || k >= n-show })
}

// eventTable is a run's events as the rows of printEvents' table.
type eventTable struct {
	staged bool
	head   []string
	rows   [][]string
	stages []int // the stage of each row (staged runs)
	offers int   // offers and proposals
}

// eventsOf builds the event table of a run: one row per offer, acceptance
// or walk-out, and in mediated stages one per proposal (or final vote)
// with the votes on it in its last cell.
func eventsOf(s *scenario.Scenario, j *tracefile.Run, events []tracefile.Entry) eventTable {
	tb := eventTable{staged: len(j.Stages) > 0}
	staged := tb.staged
	utils := func(o parley.Outcome) []string {
		c := make([]string, len(s.Parties))
		if o == parley.NoOutcome {
			return c
		}
		for i, p := range s.Parties {
			c[i] = f3(p.Profile.Utility.Utility(o))
		}
		return c
	}
	add := func(stage int, cells []string) {
		tb.rows = append(tb.rows, cells)
		tb.stages = append(tb.stages, stage)
	}
	mediated := func(ev tracefile.Entry) bool {
		return staged && j.Stages[ev.Stage].Mechanism == parley.MechanismMediated
	}
	voted := map[string]bool{} // who has voted since the last proposal
	last := -1                 // the row of the last proposal or vote group
	for _, ev := range events {
		e := ev.Event
		head := []string{strconv.Itoa(ev.Offset + e.Round + 1)}
		if staged {
			head = append(head, j.Stages[ev.Stage].Name, strconv.Itoa(e.Round+1))
		}
		who := j.PartyName(ev)
		if mediated(ev) && (e.Action == parley.Accept || e.Action == parley.Reject) {
			if last < 0 || voted[who] {
				// A vote with no proposal before it: the final vote on the text.
				cells := append(head, "-", "final vote")
				cells = append(cells, utils(e.Outcome)...)
				add(ev.Stage, append(cells, ""))
				last = len(tb.rows) - 1
				clear(voted)
			}
			voted[who] = true
			c := tb.rows[last]
			v := c[len(c)-1]
			if v != "" {
				v += " "
			}
			c[len(c)-1] = v + who + ":" + e.Action.String()
			continue
		}
		if e.Action == parley.Offer {
			tb.offers++
		}
		cells := append(head, who, e.Action.String())
		cells = append(cells, utils(e.Outcome)...)
		if staged {
			cells = append(cells, "")
		}
		add(ev.Stage, cells)
		if mediated(ev) && e.Action == parley.Offer {
			last = len(tb.rows) - 1
			clear(voted)
		} else {
			last = -1
		}
	}
	tb.head = []string{"ROUND"}
	if staged {
		tb.head = append(tb.head, "STAGE", "STAGE ROUND")
	}
	tb.head = append(tb.head, "PARTY", "ACTION")
	for _, n := range s.Names() {
		tb.head = append(tb.head, "U("+n+")")
	}
	if staged {
		tb.head = append(tb.head, "VOTES")
	}
	return tb
}

// write writes the head and the rows for which keep holds, aligned as one
// table, with a line saying how many rows are left out in each gap.
func (tb eventTable) write(w io.Writer, keep func(k int) bool) {
	out := [][]string{tb.head}
	gaps := map[int]int{} // line of out (after the head) before which rows are left out → how many
	skipped := 0
	for k, r := range tb.rows {
		if !keep(k) {
			skipped++
			continue
		}
		if skipped > 0 {
			gaps[len(out)] = skipped
			skipped = 0
		}
		out = append(out, r)
	}
	for k, l := range TableLines(out) {
		if n := gaps[k]; n > 0 {
			fmt.Fprintf(w, "  ... %d more ...\n", n)
		}
		fmt.Fprintln(w, l)
	}
	if skipped > 0 {
		fmt.Fprintf(w, "  ... %d more ...\n", skipped)
	}
}

// stagedSetup writes a staged run's stages, its parties' seats and the
// mediator's strategy.
func stagedSetup(w io.Writer, s *scenario.Scenario, j *tracefile.Run) {
	rows := [][]string{{"STAGE", "NAME", "MECHANISM", "PARTICIPANTS", "ROUNDS", "GLOBAL ROUNDS", "MEDIATING PARTY"}}
	for k, st := range j.Stages {
		rows = append(rows, []string{strconv.Itoa(k + 1), st.Name, st.Mechanism.String(), strings.Join(st.Participants, "+"),
			strconv.Itoa(st.Rounds), fmt.Sprintf("%d-%d", st.FirstRound, st.FirstRound+st.Rounds-1), orNone(st.MediatingParty)})
	}
	Table(w, rows)
	rows = [][]string{{"PARTY", "NEGOTIATOR", "VOTER", "RESERVATION", "DISCOUNT"}}
	for _, p := range s.Parties {
		rows = append(rows, []string{p.Name, orDash(j.Agents[p.Name]), orDash(j.Voters[p.Name]), f3(p.Profile.Reservation), fmt.Sprintf("%.2f", p.Profile.DiscountFactor())})
	}
	Table(w, rows)
	fmt.Fprintf(w, "  mediator strategy: %s%s\n", orNone(j.Mediator), mediation(j.Stages))
}

// mediation writes how the mediated stages ran, after the mediator's
// strategy: " (in mediated: rule unanimous, info declared, noise 0.1)";
// the trace and --json give every setting of every stage.
func mediation(stages []tracefile.Stage) string {
	var parts []string
	for _, st := range stages {
		if st.Rule == nil || st.Info == nil || st.Noise == nil || st.FinalVote == nil {
			continue
		}
		p := fmt.Sprintf("in %s: rule %s, info %s", st.Name, *st.Rule, *st.Info)
		if *st.Info == parley.InfoDeclared {
			p += fmt.Sprintf(", noise %g", *st.Noise)
		}
		if !*st.FinalVote {
			p += ", no final vote"
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// orNone returns s, or "none" when it is empty.
func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// orDash returns s, or "-" when it is empty (a party without that seat).
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// JSON writes v as the commands print JSON: indented by two spaces, one
// value per call, ending in a newline.
func JSON(w io.Writer, v any) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(v)
}
