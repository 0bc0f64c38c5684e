package cli

import (
	"fmt"
	"reflect"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/store/sqlite"
	"github.com/parley-dev/parley/tournament"
)

func newMergeCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "merge OUT.db IN.db...",
		Short: "Combine the databases of a sharded tournament",
		Long: `Copy the runs of the IN databases (shards of one tournament, from
'parley tournament --shard i/n') into OUT, creating it if needed. Every IN
must hold the same tournament (agents, scenarios, reps, deadline, seed,
self-play); a run stored in several inputs is kept once. Merging is
idempotent: merging a database again adds nothing.`,
		Example: `  parley merge results.db shard0.db shard1.db shard2.db shard3.db`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usageError{fmt.Errorf("%s: give OUT.db and at least one IN.db (see '%s --help')", c.CommandPath(), c.CommandPath())}
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			ctx, out := c.Context(), c.OutOrStdout()
			var first tournament.Meta
			for i, in := range args[1:] {
				if in == args[0] {
					return usageError{fmt.Errorf("merge: %s is both the output and an input", in)}
				}
				// Check every input before writing anything.
				st, err := sqlite.OpenReadOnly(in)
				if err != nil {
					return err
				}
				m, ok, err := st.Meta(ctx)
				st.Close()
				if err != nil {
					return err
				}
				if !ok {
					return fmt.Errorf("merge: %s holds no tournament", in)
				}
				if i == 0 {
					first = m
				} else if !reflect.DeepEqual(m, first) {
					return fmt.Errorf("merge: %s and %s hold different tournaments (%+v and %+v)", args[1], in, first, m)
				}
			}
			st, err := sqlite.New(args[0])
			if err != nil {
				return err
			}
			defer st.Close()
			for _, in := range args[1:] {
				n, err := st.Merge(ctx, in)
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "%s: %d runs added\n", in, n)
			}
			m, _, err := st.Meta(ctx)
			if err != nil {
				return err
			}
			n, err := st.Count(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "%s: %d of %d planned runs\n", args[0], n, m.Planned)
			return nil
		},
	}
	return c
}
