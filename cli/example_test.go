package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/cli"
	"github.com/parley-dev/parley/parleytest"
)

// A program registers its own negotiator and runs the parley command line
// with it, here 'parley run' against the built-in Boulware; a main would
// call cli.Main(ctx, os.Args[1:], opts...) instead.
func ExampleRun() {
	mine := cli.WithNegotiator("mine", "a linear conceder", func() parley.Negotiator { return &parleytest.Conceder{} })
	var out bytes.Buffer
	err := cli.Run(context.Background(), []string{"run", "testdata/tournament/market.yaml", "--agents", "mine,boulware"}, &out, os.Stderr, mine)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(l, "Result:") || strings.HasPrefix(l, "  buyer") {
			fmt.Println(l)
		}
	}
	// Output:
	//   buyer   mine      0.200        1.00
	// Result: agreement in round 43, t=0.850, accepted last by seller
	//   buyer   0.333    0.333       +0.133
}
