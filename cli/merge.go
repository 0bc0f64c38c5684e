package cli

import (
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/store/sqlite"
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
			out := c.OutOrStdout()
			if slices.Contains(args[1:], args[0]) {
				return usageError{fmt.Errorf("merge: %s is both the output and an input", args[0])}
			}
			n, planned, err := sqlite.MergeShards(c.Context(), args[0], args[1:], func(in string, n int64) {
				fmt.Fprintf(out, "%s: %d runs added\n", in, n)
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "%s: %d of %d planned runs\n", args[0], n, planned)
			return nil
		},
	}
	return c
}
