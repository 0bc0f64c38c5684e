package distrib_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/parley-dev/parley/distrib"
)

// A tournament of a Boulware and a Conceder runs in two shards into one
// database; run again, it finds every run stored and runs none.
func Example() {
	dir, err := os.MkdirTemp("", "distrib")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	cfg, err := twoIssue(1) // a Boulware and a Conceder, 4 negotiations
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, shard := range []string{"0/2", "1/2", ""} {
		b, err := distrib.Open(distrib.Options{DB: filepath.Join(dir, "runs.db"), Shard: shard})
		if err != nil {
			fmt.Println(err)
			return
		}
		sum, err := b.Run(context.Background(), cfg, nil)
		b.Close()
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("shard %q: ran %d, found %d stored\n", shard, sum.Ran, sum.Skipped)
	}
	// Output:
	// shard "0/2": ran 2, found 0 stored
	// shard "1/2": ran 2, found 0 stored
	// shard "": ran 0, found 4 stored
}
