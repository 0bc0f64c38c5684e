// Command parley runs negotiations, analyses scenarios and converts between
// scenario formats. Run `parley help` for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "parley:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError marks errors in how the command was called (exit code 2).
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

// Run executes the parley command line args, writing to stdout and stderr.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "parley",
		Short: "Parley: a fast negotiation and mediation engine",
		Long: `Parley runs automated negotiations, analyses negotiation scenarios
(Pareto frontier, Nash and Kalai-Smorodinsky points, welfare, opposition) and
reads the community's scenario formats (GENIUS XML, GeniusWeb JSON) as well
as its own YAML/JSON.

A SCENARIO argument is a built-in name (see 'parley scenarios') or a path:
a Parley .yaml/.json file, a GENIUS folder, a GENIUS domain .xml file with
--profiles, or a GeniusWeb folder of profile .json files.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	// A runnable root, so that an unknown command is a usage error (exit
	// 2) rather than cobra's plain error; without arguments it prints the
	// help, as cobra does.
	root.Args = cobra.ArbitraryArgs
	root.SuggestionsMinimumDistance = 2
	root.RunE = func(c *cobra.Command, args []string) error {
		if len(args) == 0 {
			return c.Help()
		}
		hint := ""
		if s := c.SuggestionsFor(args[0]); len(s) > 0 {
			hint = "; did you mean " + strings.Join(s, " or ") + "?"
		}
		return usageError{fmt.Errorf("unknown command %q%s (see 'parley help')", args[0], hint)}
	}
	root.SetVersionTemplate("parley {{.Version}}\n")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%s: %w (see '%s --help')", c.CommandPath(), err, c.CommandPath())}
	})
	root.AddCommand(newRunCmd(), newAnalyzeCmd(), newScenariosCmd(), newAgentsCmd(), newConvertCmd(), newBenchCmd(), newExperimentCmd(),
		newTournamentCmd(), newReplayCmd(), newReportCmd(), newMergeCmd(), newWorkerCmd())
	return root
}

// version describes this build: the module version ("(devel)" for a
// build from a work tree), the VCS revision and whether the tree had
// uncommitted changes, and the Go version, as the Go toolchain recorded
// them in the binary.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown build)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += " (commit " + rev + modified + ")"
	}
	return v + ", " + bi.GoVersion
}

// exactArgs is cobra.ExactArgs returning a usageError.
func exactArgs(n int) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(c, args); err != nil {
			return usageError{fmt.Errorf("%s: %w (see '%s --help')", c.CommandPath(), err, c.CommandPath())}
		}
		return nil
	}
}
