// Package cli is the parley command as a library: Main and Run execute its
// command line, and options register a program's own negotiators, mediators
// and voters, so that a user builds their own parley with their agents and
// every command (run, tournament, experiment, replay, bench, worker, agents)
// sees them:
//
//	func main() {
//		os.Exit(cli.Main(context.Background(), os.Args[1:],
//			cli.WithNegotiator("mine", "my strategy", mine.New)))
//	}
//
// cmd/parley is this package with no options. Run `parley help` for the
// commands; docs/cli.md documents them and docs/agents.md the options.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/parley-dev/parley/internal/buildinfo"
	"github.com/parley-dev/parley/session"
	"github.com/parley-dev/parley/spec"
	"github.com/spf13/cobra"
)

// Main runs the parley command line args with the options, writing to
// os.Stdout and os.Stderr, and returns the process's exit status: 0 on
// success, 2 for a usage error (an unknown command or flag, a wrong number
// of arguments), 1 for any other error, which it prints to stderr. An
// interrupt (Ctrl-C) or SIGTERM cancels ctx for the running command, which
// stops cleanly (a tournament keeps what it stored, a worker hands its
// batch back to the queue, a server ends its running negotiations).
func Main(ctx context.Context, args []string, opts ...Option) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := Run(ctx, args, os.Stdout, os.Stderr, opts...)
	if err == nil {
		return 0
	}
	fmt.Fprintln(os.Stderr, "parley:", err)
	if errors.As(err, new(usageError)) {
		return 2
	}
	return 1
}

// usageError marks errors in how the command was called (exit code 2).
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

// flagOf is the flag of each options field that the packages report in
// a *spec.FieldError ("" for a field without one).
func flagOf(field string) string {
	switch field {
	case "Runs", "Workers", "Limit", "Samples", "Bootstrap", "Baseline", "Variants", "Negotiators", "Voters", "DB", "Shard", "Addr", "Results", "Concurrency":
		return "--" + strings.ToLower(field)
	case "TokenFile":
		return "--token-file"
	case "IdleExit":
		return "--idle-exit"
	case "ReconnectFor":
		return "--queue-reconnect-for"
	}
	return ""
}

// usage turns an error in the options cmd gave a package into a usage
// error (exit code 2): a *spec.FieldError reads "cmd: --flag VALUE: what
// is wrong", its field's flag from flagOf, or params for an experiment's
// Params (a field without a flag, a scenario's Assumptions, names none);
// a *session.OptionError names its flag itself. A --results database
// that cannot be shown stays an error of exit code 1, as do all other
// errors, which are returned as they are.
func usage(cmd string, err error, params ...string) error {
	var fe *spec.FieldError
	if !errors.As(err, &fe) {
		if errors.As(err, new(*session.OptionError)) {
			return usageError{err}
		}
		return err
	}
	flag := flagOf(fe.Field)
	if fe.Field == "Params" {
		flag = strings.Join(params, "")
	}
	if flag != "" {
		cmd = strings.TrimSpace(cmd + ": " + flag + " " + fe.Value)
	}
	err = fmt.Errorf("%s: %w", cmd, fe.Err)
	if fe.Field == "Results" {
		return err
	}
	return usageError{err}
}

// Run executes the parley command line args with the options, writing to
// stdout and stderr, and returns its error (nil on success).
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, opts ...Option) error {
	pg, err := newProgram(opts)
	if err != nil {
		return err
	}
	root := pg.newRoot(stdout, stderr)
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}

func (pg *program) newRoot(stdout, stderr io.Writer) *cobra.Command {
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
		Version:       buildinfo.Version(),
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
	root.AddCommand(pg.newRunCmd(), newAnalyzeCmd(), newScenariosCmd(), pg.newAgentsCmd(), newConvertCmd(), pg.newBenchCmd(), pg.newExperimentCmd(),
		pg.newTournamentCmd(), pg.newReplayCmd(), newReportCmd(), newMergeCmd(), pg.newWorkerCmd(), pg.newServeCmd())
	return root
}

// cmdError is usage(cmd, err), with any other error (not nil) prefixed by
// cmd.
func cmdError(cmd string, err error) error {
	u := usage(cmd, err)
	if u == nil || errors.As(u, new(usageError)) {
		return u
	}
	return fmt.Errorf("%s: %w", cmd, err)
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
