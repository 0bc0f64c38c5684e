package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/protocol/sao"
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
	sc := cfg.Scenarios[j.Scenario]
	if cfg.Protocol != tournament.ProtocolSAO {
		// The trace table is alternating offers': print the record.
		rec, err := tournament.RunNegotiation(ctx, cfg, j, tournament.RunnerOptions{})
		if err != nil {
			return err
		}
		if len(m.Arms) > 0 {
			fmt.Fprintf(out, "Run %d of %d (arm %s, run %d) of the experiment in %s; scenario %s\n", j.ID, m.Planned, m.Arms[j.Arm].Name, j.Rep, db, m.Scenarios[j.Scenario])
		} else {
			fmt.Fprintf(out, "Run %d of %d (rep %d) of the %s tournament in %s; scenario %s\n", j.ID, m.Planned, j.Rep, m.Protocol, db, m.Scenarios[j.Scenario])
		}
		render.Record(out, sc, &rec)
		return compareStored(out, db, id, stored, rec, hasStored)
	}
	deadline := cfg.Deadline
	if deadline == 0 {
		deadline = sc.Deadline
	}
	specs := make([]string, len(j.Agents))
	for i, a := range j.Agents {
		specs[i] = m.Agents[a]
	}
	var events []tracefile.Entry
	trace := func(e parley.Event) { events = append(events, tracefile.Entry{Stage: -1, Event: e}) }
	rec, err := tournament.RunNegotiation(ctx, cfg, j, tournament.RunnerOptions{Trace: trace})
	if err != nil {
		return err
	}
	rj := render.ReplayRun(sc, specs, j.Seed, deadline, cfg.JobTiming(j) == sao.TimingGENIUS, &rec, events)
	if err := writeTrace(tracePath, sc.Space, rj, events); err != nil {
		return err
	}
	fmt.Fprintf(out, "Run %d of %d (rep %d) of the tournament in %s; scenario %s\n", id, m.Planned, j.Rep, db, m.Scenarios[j.Scenario])
	render.Summary(out, sc, rj, events, show)
	return compareStored(out, db, id, stored, rec, hasStored)
}

// writeTrace writes the trace of a finished run to path (nothing when
// "").
func writeTrace(path string, space *parley.OutcomeSpace, j *tracefile.Run, events []tracefile.Entry) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("run: trace: %w", err)
	}
	err = tracefile.Write(f, space, j, events)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("run: trace %s: %w", path, err)
	}
	return nil
}

// compareStored says whether the replayed record matches the stored one:
// a difference is an error.
func compareStored(out io.Writer, db string, id int64, stored, rec tournament.Record, hasStored bool) error {
	if !hasStored {
		fmt.Fprintf(out, "\nRun %d is not stored in %s (the tournament has not run it yet).\n", id, db)
		return nil
	}
	if d := stored.Diff(rec); d != "" {
		return fmt.Errorf("replay: run %d differs from the stored result: %s", id, d)
	}
	fmt.Fprintf(out, "\nSame result as stored in %s.\n", db)
	return nil
}
