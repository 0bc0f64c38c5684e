package render

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/protocol/sao"
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

// Replay prints a run of the tournament m stored in db, replayed (r, of
// cfg's scenario), in the form of 'parley run' for alternating offers
// (show actions at each end; j is its run, ReplayedRun's) or as a Record
// for the other protocols, then whether it matches the stored record
// (nil when the database does not hold it yet; diff is what differs, ""
// when nothing does).
func Replay(w io.Writer, db string, m *tournament.Meta, s *scenario.Scenario, r *tournament.Replay, j *tracefile.Run, show int, stored *tournament.Record, diff string) {
	id := r.Job.ID
	switch {
	case j != nil:
		fmt.Fprintf(w, "Run %d of %d (rep %d) of the tournament in %s; scenario %s\n", id, m.Planned, r.Job.Rep, db, m.Scenarios[r.Job.Scenario])
		Summary(w, s, j, ReplayEvents(r), show)
	case len(m.Arms) > 0:
		fmt.Fprintf(w, "Run %d of %d (arm %s, run %d) of the experiment in %s; scenario %s\n", id, m.Planned, m.Arms[r.Job.Arm].Name, r.Job.Rep, db, m.Scenarios[r.Job.Scenario])
		Record(w, s, &r.Record)
	default:
		fmt.Fprintf(w, "Run %d of %d (rep %d) of the %s tournament in %s; scenario %s\n", id, m.Planned, r.Job.Rep, m.Protocol, db, m.Scenarios[r.Job.Scenario])
		Record(w, s, &r.Record)
	}
	switch {
	case stored == nil:
		fmt.Fprintf(w, "\nRun %d is not stored in %s (the tournament has not run it yet).\n", id, db)
	case diff == "":
		fmt.Fprintf(w, "\nSame result as stored in %s.\n", db)
	}
}

// ReplayEvents are a replay's events as a trace's entries (alternating
// offers: no stage).
func ReplayEvents(r *tournament.Replay) []tracefile.Entry {
	es := make([]tracefile.Entry, len(r.Events))
	for i, e := range r.Events {
		es[i] = tracefile.Entry{Stage: -1, Event: e}
	}
	return es
}

// ReplayedRun is an alternating-offers replay of the tournament cfg as
// ReplayRun gives it: specs, deadline and timing from the configuration;
// nil for a run of another protocol, which has no trace file.
func ReplayedRun(cfg *tournament.Config, m *tournament.Meta, r *tournament.Replay) *tracefile.Run {
	if cfg.Protocol != tournament.ProtocolSAO {
		return nil
	}
	sc := cfg.Scenarios[r.Job.Scenario]
	deadline := cfg.Deadline
	if deadline == 0 {
		deadline = sc.Deadline
	}
	specs := make([]string, len(r.Job.Agents))
	for i, a := range r.Job.Agents {
		specs[i] = m.Agents[a]
	}
	j := ReplayRun(sc, specs, r.Job.Seed, deadline, cfg.JobTiming(r.Job) == sao.TimingGENIUS, &r.Record, ReplayEvents(r))
	if r.Steps > 0 {
		j.Steps = r.Steps // the protocol's own count, as parley run reports it
	}
	return j
}
