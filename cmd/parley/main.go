// Command parley runs negotiations, tournaments and experiments, analyses
// scenarios and converts between scenario formats. Run `parley help` for
// the commands. It is package cli with no options: a program that
// registers its own agents (cli.WithNegotiator) is a parley of its own.
package main

import (
	"context"
	"os"

	"github.com/parley-dev/parley/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:]))
}
