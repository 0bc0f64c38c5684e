package cli

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/cli/internal/render"
	"github.com/parley-dev/parley/internal/outfile"
	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/tournament"
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
			db, ctx, out := args[0], c.Context(), c.OutOrStdout()
			st, err := sqlite.OpenReadOnly(db)
			if err != nil {
				return err
			}
			defer st.Close()
			m, err := st.Tournament(ctx)
			if err != nil {
				return err
			}
			cfg, err := tournament.Rebuild(m, pg.resolver(openRef), lim)
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
			r, err := tournament.ReplayRun(ctx, cfg, j)
			if err != nil {
				return err
			}
			if tracePath != "" {
				if err := outfile.Write(tracePath, r.WriteTrace); err != nil {
					return fmt.Errorf("replay: --trace: %w", err)
				}
			}
			var sp *tournament.Record
			diff := ""
			if hasStored {
				sp, diff = &stored, stored.Diff(r.Record)
			}
			render.Replay(out, db, &m, r, show, sp, diff)
			if diff != "" {
				return fmt.Errorf("replay: run %d differs from the stored result: %s", id, diff)
			}
			return nil
		},
	}
	c.Flags().IntVar(&show, "show", 6, "actions to list at the start and at the end of the negotiation (-1: all)")
	c.Flags().StringVar(&tracePath, "trace", "", "write the negotiation's trace as JSON lines to this file (docs/cli.md)")
	c.Flags().StringVar(&limit, "limit", defaultTournamentLimit.String(), "wall-time limit of the negotiation (0: none)")
	return c
}
