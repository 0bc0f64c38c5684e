package render

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tracefile"
)

// BriefWidth is the width, in columns, that Brief's lines keep within
// (the tables of a scenario with longer names may exceed it).
const BriefWidth = 100

// Brief writes the short account of a staged run that 'parley run' prints
// under a scenario's question, to leave room on one screen for the answer:
// the stages and the seats, the events at the start, around each change of
// stage and at the end, the result, each party's utility and the
// agreement. Summary is the full account.
func Brief(w io.Writer, s *scenario.Scenario, j *tracefile.Run, events []tracefile.Entry) {
	variant := "the declared stages"
	if j.Variant != "" {
		variant = "variant " + j.Variant
	}
	fmt.Fprintf(w, "One run, seed %d, of %s (%s: %d parties, %d issues, %d outcomes):\n",
		j.Seed, variant, s.Name, len(s.Parties), len(s.Space.Issues), s.Space.Size())
	stagedSetup(w, s, j)

	tb := eventsOf(s, j, events)
	if len(tb.rows) == 0 {
		fmt.Fprintln(w, "Events: none")
	} else {
		fmt.Fprintf(w, "Events (--show -1 lists all): %d offers or proposals in %d rounds; U(p): utility to p\n", tb.offers, j.Rounds)
		// The first two rows, the last of each stage and the first of the
		// next, and the last three.
		n := len(tb.rows)
		tb.write(w, func(k int) bool {
			return k < 2 || k >= n-3 || k > 0 && tb.stages[k] != tb.stages[k-1] || k+1 < n && tb.stages[k+1] != tb.stages[k]
		})
	}

	fmt.Fprintf(w, "Result: %s\n", resultLine(j))
	rows := [][]string{{"PARTY", "UTILITY", "DISCOUNTED", "ADVANTAGE"}}
	for _, n := range s.Names() {
		rows = append(rows, []string{n, f3(j.Utilities[n]), f3(j.DiscountedUtilities[n]), fmt.Sprintf("%+.3f", j.Advantage[n])})
	}
	Table(w, rows)
	if j.Agreement != nil {
		terms := make([]string, len(s.Space.Issues))
		for i := range s.Space.Issues {
			name := s.Space.Issues[i].Name
			terms[i] = fmt.Sprintf("%s=%v,", name, j.Agreement[name])
		}
		terms[len(terms)-1] = strings.TrimSuffix(terms[len(terms)-1], ",")
		for _, l := range Wrap("  agreement: ", "    ", terms, BriefWidth) {
			fmt.Fprintln(w, l)
		}
	}
	if len(j.LockedIssues) > 0 {
		fmt.Fprintf(w, "  issues locked between stages: %s\n", strings.Join(j.LockedIssues, ", "))
	}
	if j.Error != "" {
		fmt.Fprintf(w, "  error: %s\n", j.Error)
	}
}

// Wrap joins words with spaces into lines of at most width columns where
// it can (a longer word gets a line of its own), the first line starting
// with lead and the others with indent.
func Wrap(lead, indent string, words []string, width int) []string {
	var lines []string
	line := lead
	fresh := true // nothing after the line's lead or indent yet
	for _, wd := range words {
		switch {
		case fresh:
			line += wd
			fresh = false
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(wd) <= width:
			line += " " + wd
		default:
			lines = append(lines, line)
			line = indent + wd
		}
	}
	return append(lines, line)
}
