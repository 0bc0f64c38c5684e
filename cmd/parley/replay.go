package main

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/tournament"
)

func newReplayCmd() *cobra.Command {
	var limit string
	c := &cobra.Command{
		Use:   "replay DB RUN_ID",
		Short: "Re-run one negotiation of a tournament and print its trace",
		Long: `Re-run the negotiation RUN_ID (its job_id in the database) of the tournament
stored in DB, alone, from its seed, and print every action, the result and
whether it matches the stored one. A run is fully determined by the
tournament's settings and its id, so the replay gives the stored result;
a difference (a strategy or scenario that changed since) is an error.

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
			lim, err := parseLimit(limit)
			if err != nil {
				return usageError{fmt.Errorf("replay: --limit: %w", err)}
			}
			return replay(c, args[0], id, lim)
		},
	}
	c.Flags().StringVar(&limit, "limit", defaultTournamentLimit.String(), "wall-time limit of the negotiation (0: none)")
	return c
}

func replay(c *cobra.Command, db string, id int64, limit time.Duration) error {
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
	cfg, err := configFromMeta(m, limit)
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
	sc := cfg.Scenarios[j.Scenario]
	names := sc.Names()
	fmt.Fprintf(out, "Run %d of %d: scenario %s, rep %d, seed %d, deadline %d rounds\n", id, m.Planned, m.Scenarios[j.Scenario], j.Rep, j.Seed, cfg.Deadline)
	for i, a := range j.Agents {
		fmt.Fprintf(out, "  %-12s %s\n", names[i], m.Agents[a])
	}
	fmt.Fprintln(out)
	trace := func(e parley.Event) { printEvent(out, sc.Space, sc.Profiles(), names, e) }
	rec, err := tournament.RunNegotiation(ctx, cfg, j, tournament.RunnerOptions{Trace: trace})
	if err != nil {
		return err
	}
	fmt.Fprintln(out)
	printRecord(out, names, &rec)
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

func printEvent(w io.Writer, space *parley.OutcomeSpace, profiles []*parley.Profile, names []string, e parley.Event) {
	var u strings.Builder
	if e.Outcome != parley.NoOutcome {
		for i, p := range profiles {
			if i > 0 {
				u.WriteByte(' ')
			}
			fmt.Fprintf(&u, "%s=%.3f", names[i], p.Utility.Utility(e.Outcome))
		}
	}
	what := ""
	if e.Outcome != parley.NoOutcome {
		what = space.Format(e.Outcome)
	}
	fmt.Fprintf(w, "  round %3d  t=%.3f  %-12s %-6s %s  %s\n", e.Round+1, e.Time, names[e.Party], e.Action, what, u.String())
}

func printRecord(w io.Writer, names []string, r *tournament.Record) {
	switch {
	case r.Reason == "agreement":
		var parts []string
		for k, v := range r.Agreement {
			parts = append(parts, k+"="+v)
		}
		slices.Sort(parts)
		fmt.Fprintf(w, "Agreement in round %d: %s\n", r.Rounds, strings.Join(parts, ", "))
	case r.Error != "":
		fmt.Fprintf(w, "No agreement (%s) in round %d: %s\n", r.Reason, r.Rounds, r.Error)
	default:
		fmt.Fprintf(w, "No agreement (%s) after %d rounds\n", r.Reason, r.Rounds)
	}
	for i, n := range names {
		fmt.Fprintf(w, "  %-12s utility %.4f  discounted %.4f  advantage %+.4f\n", n, r.Utilities[i], r.Discounted[i], r.Advantage[i])
	}
	if r.MetricsNote != "" {
		fmt.Fprintf(w, "Welfare %.4f; distances to the Pareto frontier and the Nash point not available: %s\n", r.Welfare, r.MetricsNote)
		return
	}
	fmt.Fprintf(w, "Welfare %.4f; distance to the Pareto frontier %.4f", r.Welfare, r.ParetoDistance)
	if r.HasNash {
		fmt.Fprintf(w, ", to the Nash point %.4f", r.NashDistance)
	}
	fmt.Fprintln(w)
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
