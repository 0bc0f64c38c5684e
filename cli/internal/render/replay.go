package render

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/tournament"
	"github.com/parley-dev/parley/tracefile"
)

// ReplayRun is the record rec of an alternating-offers tournament run of s
// (agent specs by party, seed, deadline, GENIUS timing or not), replayed
// with its events, in the form 'parley run --json' prints, for the summary
// 'parley replay' shares with 'parley run'. The record holds no end time
// or steps: they come from the events (at the deadline the deadline's
// time, 1 or D/(D+1) with GENIUS timing; after an accept or a walk-away
// that of the last action). Its metrics are the scenario's analysis.
func ReplayRun(s *scenario.Scenario, specs []string, seed uint64, deadline int, genius bool, rec *tournament.Record, events []tracefile.Entry) *tracefile.Run {
	j := tracefile.NewRun(s, tracefile.ProtocolSAO, specs, seed, deadline)
	j.Reason, j.Rounds, j.Time, j.Error = rec.Reason, rec.Rounds, -1, rec.Error
	j.Agreement = NamedOutcome(s.Space, rec.Agreement)
	j.SetUtilities(s, rec.Utilities, rec.Discounted, rec.Advantage)
	if rec.MetricsNote != "" {
		// The scenario could not be analysed: no distances to report.
		j.AnalysisError = rec.MetricsNote
	}
	if genius {
		j.Timing = "genius"
	}
	if len(events) > 0 {
		last := events[len(events)-1].Event
		j.Steps = last.Step + 1
		switch rec.Reason {
		case parley.ReasonDeadline.String():
			j.Time = 1
			if genius {
				j.Time = float64(deadline) / float64(deadline+1)
			}
		case parley.ReasonAgreement.String(), parley.ReasonWalkAway.String():
			j.Time = last.Time
			who := s.Parties[last.Party].Name
			if rec.Reason == parley.ReasonAgreement.String() {
				j.AcceptedBy = &who
			} else {
				j.EndedBy = &who
			}
		}
	}
	rep, aerr := analysis.Analyze(s.Space, s.Profiles())
	j.SetMetrics(rep, aerr, rec.Utilities)
	return j
}

// NamedOutcome converts an outcome given as issue -> value text (as
// tournament records store it) to tracefile.Outcome's form; values that
// do not parse stay text.
func NamedOutcome(space *parley.OutcomeSpace, named map[string]string) map[string]any {
	if named == nil {
		return nil
	}
	o, err := space.Parse(named)
	if err != nil {
		m := make(map[string]any, len(named))
		for k, v := range named {
			m[k] = v
		}
		return m
	}
	return tracefile.Outcome(space, o)
}

// Record prints a mediated or staged tournament run of s: each party's
// agent, voter, utility and advantage, then the mediator and the ending.
func Record(w io.Writer, s *scenario.Scenario, rec *tournament.Record) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  party\tagent\tvoter\tutility\tadvantage")
	for i, p := range s.Parties {
		agent, voter := "-", "-"
		if i < len(rec.Agents) && rec.Agents[i] != "" {
			agent = rec.Agents[i]
		}
		if i < len(rec.Voters) {
			voter = rec.Voters[i]
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%.3f\t%+.3f\n", p.Name, agent, voter, rec.Utilities[i], rec.Advantage[i])
	}
	tw.Flush()
	mediator := rec.Mediator
	if mediator == "" {
		mediator = "-"
	}
	fmt.Fprintf(w, "Mediator %s; %s after %d rounds", mediator, rec.Reason, rec.Rounds)
	if rec.Error != "" {
		fmt.Fprintf(w, " (%s)", rec.Error)
	}
	fmt.Fprintln(w)
}
