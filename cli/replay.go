package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/tournament"
	"github.com/parley-dev/parley/tracefile"
)

func (pg *program) newReplayCmd() *cobra.Command {
	var limit, tracePath string
	var show int
	c := &cobra.Command{
		Use:   "replay DB RUN_ID",
		Short: "Re-run one negotiation of a tournament and print its trace",
		Long: `Re-run the negotiation RUN_ID (its job_id in the database) of the tournament
stored in DB, alone, from its seed, and print its actions and result in the
format of 'parley run' (--show sets how many actions; -1 lists every one)
and whether it matches the stored one. A run is fully determined by the
tournament's settings and its id, so the replay gives the stored result;
a difference (a strategy or scenario that changed since) is an error.
--trace writes the replayed negotiation's trace file, as 'parley run
--trace' does (docs/cli.md).

The agents and scenarios are rebuilt from the specs and references stored
with the tournament: relative scenario paths are relative to the folder
the tournament ran in.`,
		Example: `  parley replay results.db 17`,
		Args:    exactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[1], 10, 64)
			if err != nil {
				return usageError{fmt.Errorf("replay: run id %q is not an integer", args[1])}
			}
			lim, err := tournament.ParseLimit(limit)
			if err != nil {
				return usageError{fmt.Errorf("replay: --limit: %w", err)}
			}
			return pg.replay(c, args[0], id, lim, show, tracePath)
		},
	}
	c.Flags().IntVar(&show, "show", 6, "actions to list at the start and at the end of the negotiation (-1: all)")
	c.Flags().StringVar(&tracePath, "trace", "", "write the negotiation's trace as JSON lines to this file (docs/cli.md)")
	c.Flags().StringVar(&limit, "limit", defaultTournamentLimit.String(), "wall-time limit of the negotiation (0: none)")
	return c
}

func (pg *program) replay(c *cobra.Command, db string, id int64, limit time.Duration, show int, tracePath string) error {
	ctx, out := c.Context(), c.OutOrStdout()
	st, err := sqlite.OpenReadOnly(db)
	if err != nil {
		return err
	}
	defer st.Close()
	m, ok, err := st.Meta(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("replay: %s holds no tournament", db)
	}
	cfg, err := pg.configFromMeta(m, limit)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	j, err := tournament.JobAt(cfg, id)
	if err != nil {
		return usageError{fmt.Errorf("replay: %w", err)}
	}
	stored, err := st.Record(ctx, id)
	hasStored := err == nil
	if err != nil && !errors.Is(err, sqlite.ErrNotFound) {
		return err
	}
	if cfg.Protocol != tournament.ProtocolSAO {
		return replayRecord(ctx, out, db, m, cfg, j, stored, hasStored)
	}
	sc := cfg.Scenarios[j.Scenario]
	deadline := cfg.Deadline
	if deadline == 0 {
		deadline = sc.Deadline
	}
	specs := make([]string, len(j.Agents))
	for i, a := range j.Agents {
		specs[i] = m.Agents[a]
	}
	genius := cfg.JobTiming(j) == sao.TimingGENIUS
	var events []tracefile.Entry
	trace := func(e parley.Event) { events = append(events, tracefile.Entry{Stage: -1, Event: e}) }
	rec, err := tournament.RunNegotiation(ctx, cfg, j, tournament.RunnerOptions{Trace: trace})
	if err != nil {
		return err
	}
	rj := recordJSON(sc, specs, j.Seed, deadline, &rec)
	if genius {
		rj.Timing = timingGenius
	}
	// The record holds no end time: at the deadline it is the deadline's
	// (1, or D/(D+1) with GENIUS timing), after an accept or a walk-away
	// that of the last action.
	if len(events) > 0 {
		last := events[len(events)-1].Event
		rj.Steps = last.Step + 1
		switch rec.Reason {
		case parley.ReasonDeadline.String():
			rj.Time = 1
			if genius {
				rj.Time = float64(deadline) / float64(deadline+1)
			}
		case parley.ReasonAgreement.String(), parley.ReasonWalkAway.String():
			rj.Time = last.Time
			who := sc.Parties[last.Party].Name
			if rec.Reason == parley.ReasonAgreement.String() {
				rj.AcceptedBy = &who
			} else {
				rj.EndedBy = &who
			}
		}
	}
	rep, aerr := analysis.Analyze(sc.Space, sc.Profiles())
	rj.Metrics = nil
	rj.SetMetrics(rep, aerr, rec.Utilities)
	tf, err := createTrace(tracePath, sc, rj)
	if err != nil {
		return err
	}
	defer tf.abort()
	for _, e := range events {
		tf.event(e)
	}
	if err := tf.close(rj); err != nil {
		return err
	}
	fmt.Fprintf(out, "Run %d of %d (rep %d) of the tournament in %s; scenario %s\n", id, m.Planned, j.Rep, db, m.Scenarios[j.Scenario])
	render.Summary(out, sc, rj, events, show)
	if !hasStored {
		fmt.Fprintf(out, "\nRun %d is not stored in %s (the tournament has not run it yet).\n", id, db)
		return nil
	}
	if d := diffRecords(stored, rec); d != "" {
		return fmt.Errorf("replay: run %d differs from the stored result: %s", id, d)
	}
	fmt.Fprintf(out, "\nSame result as stored in %s.\n", db)
	return nil
}

// replayRecord replays a run of a mediated or staged tournament and
// prints its record (the trace table is alternating offers').
func replayRecord(ctx context.Context, out io.Writer, db string, m tournament.Meta, cfg *tournament.Config, j tournament.Job, stored tournament.Record, hasStored bool) error {
	rec, err := tournament.RunNegotiation(ctx, cfg, j, tournament.RunnerOptions{})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Run %d of %d (rep %d) of the %s tournament in %s; scenario %s\n", j.ID, m.Planned, j.Rep, m.Protocol, db, m.Scenarios[j.Scenario])
	sc := cfg.Scenarios[j.Scenario]
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  party\tagent\tvoter\tutility\tadvantage")
	for i, p := range sc.Parties {
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
	fmt.Fprintf(out, "Mediator %s; %s after %d rounds", orDash(rec.Mediator), rec.Reason, rec.Rounds)
	if rec.Error != "" {
		fmt.Fprintf(out, " (%s)", rec.Error)
	}
	fmt.Fprintln(out)
	if !hasStored {
		fmt.Fprintf(out, "\nRun %d is not stored in %s (the tournament has not run it yet).\n", j.ID, db)
		return nil
	}
	if d := diffRecords(stored, rec); d != "" {
		return fmt.Errorf("replay: run %d differs from the stored result: %s", j.ID, d)
	}
	fmt.Fprintf(out, "\nSame result as stored in %s.\n", db)
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// recordJSON is a tournament record in the form 'parley run --json'
// prints, for the summary 'parley replay' shares with 'parley run'. A
// record holds no end time or steps: Time is -1 (unknown) and Steps 0
// until the caller sets them.
func recordJSON(s *scenario.Scenario, specs []string, seed uint64, deadline int, r *tournament.Record) *tracefile.Run {
	j := tracefile.NewRun(s, protocolSAO, specs, seed, deadline)
	j.Reason, j.Rounds, j.Time, j.Error = r.Reason, r.Rounds, -1, r.Error
	j.Agreement = namedOutcomeJSON(s.Space, r.Agreement)
	j.SetUtilities(s, r.Utilities, r.Discounted, r.Advantage)
	if r.MetricsNote != "" {
		// The scenario could not be analysed: no distances to report.
		j.AnalysisError = r.MetricsNote
		return j
	}
	j.Metrics = &analysis.Metrics{Welfare: r.Welfare, ParetoDistance: r.ParetoDistance, NashDistance: r.NashDistance, HasNash: r.HasNash,
		Rational: analysis.Rational(r.Utilities, tracefile.Reservations(s))}
	return j
}

// diffRecords names the fields in which two records of the same run
// differ, ignoring where and how fast they ran; "" when they agree.
func diffRecords(stored, got tournament.Record) string {
	stored.Elapsed, stored.Worker = 0, ""
	got.Elapsed, got.Worker = 0, ""
	if reflect.DeepEqual(stored, got) {
		return ""
	}
	var diffs []string
	sv, gv := reflect.ValueOf(stored), reflect.ValueOf(got)
	for i := range sv.NumField() {
		if !reflect.DeepEqual(sv.Field(i).Interface(), gv.Field(i).Interface()) {
			diffs = append(diffs, fmt.Sprintf("%s: stored %v, replayed %v", sv.Type().Field(i).Name, sv.Field(i).Interface(), gv.Field(i).Interface()))
		}
	}
	return strings.Join(diffs, "; ")
}
