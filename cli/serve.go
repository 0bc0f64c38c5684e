package cli

import (
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/server/gwseat"
	"github.com/parley-dev/parley/server/results"
	"github.com/parley-dev/parley/server/serve"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy/mediator"
)

func (pg *program) newServeCmd() *cobra.Command {
	var o serve.Options // the flags'
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve negotiations over HTTP and WebSocket to remote agents, people and observers",
		Long: `Serve negotiations over HTTP (REST and JSON) and WebSocket: a negotiation
is created from a scenario and a list of seats, each a built-in strategy
(any spec 'parley agents' lists) or a remote seat that a program or a
person plays with the seat's token. Every negotiation keeps one event log,
persisted in the SQLite database --db, and every token sees one lens of
it: a seat's, a mediator's, the observer's or the owner's. The web UI is
served at / (docs/web.md): create negotiations, play a seat, mediate,
watch and replay in a browser. docs/server.md describes the API; its
OpenAPI 3.1 document is served at /openapi.json, health at /healthz and
Prometheus metrics at /metrics.

The server binds the loopback interface by default. On any other address
it needs an admin token to create and list negotiations: the first line of
--token-file, or else a random token printed to stderr at start-up. On
loopback, --token-file still sets one; without it anyone on the machine
may create negotiations.

A remote seat has --turn-timeout for each turn and may stay disconnected
(no open stream) for --grace; a seat that misses its turn, stays away
longer or sends an invalid action ends the negotiation with reason error,
naming it. On SIGTERM or Ctrl-C the server stops taking requests and ends
the running negotiations with reason error ("the server shut down during
the negotiation"); a negotiation found running at start-up (after a crash
or kill -9) ends with reason error ("the server restarted during the
negotiation"). No event a client saw is lost.

At most --max-active negotiations run at once: creating one more answers
503 with Retry-After until one ends. A finished negotiation keeps only its
log; the last --max-finished of them stay in memory, and the others are
read back from --db when one of their tokens is used.

--results shows tournament and experiment databases read-only at
/results (and on the web UI's results page): each one's leaderboard or
arms with their confidence intervals, as 'parley report' and 'parley
experiment' print them, its runs, and a replay of any stored run, as
'parley replay' runs it, on the watch page.

The first line on stdout is "listening on http://ADDRESS" (the real port
when --addr ends in :0); logs go to stderr.`,
		Example: `  parley serve
  parley serve --addr 127.0.0.1:0 --db /tmp/serve.db
  parley serve --addr 0.0.0.0:8080 --token-file admin.token
  parley serve --results results.db --results sequencing.db`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, _ []string) error {
			out, errOut := c.OutOrStdout(), c.ErrOrStderr()
			if o.Server.TurnTimeout <= 0 || o.Server.Grace <= 0 || o.Server.MaxActive <= 0 || o.Server.MaxFinished <= 0 { // 0 would silently mean the default
				return usageError{errors.New("serve: --turn-timeout, --grace, --max-active and --max-finished must be positive")}
			}
			o.ResultsOptions = results.Options{Resolver: pg.resolver(openRef), NeedsDeclared: mediator.NeedsDeclared}
			o.Server.Negotiator, o.Server.Voter, o.Server.Mediator = pg.negotiators.Parse, pg.voters.Parse, pg.mediators.Parse
			o.Server.GeniusWeb = func(url string) (func() parley.Negotiator, error) { return gwseat.Factory(url, gwseat.Options{}) }
			o.Server.Agents = server.Agents{Negotiators: listed(pg.negotiators), Voters: listed(pg.voters), Mediators: listed(pg.mediators)}
			o.Announce, o.Logs = announceToken(errOut), errOut
			o.Listening = func(a net.Addr) { fmt.Fprintf(out, "listening on http://%s\n", a) }
			return usage("serve", serve.Run(c.Context(), o))
		},
	}
	c.Flags().StringVar(&o.Addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; loopback unless an admin token is set)")
	c.Flags().StringVar(&o.DB, "db", "parley.db", "SQLite database of the negotiations' event logs (created if needed)")
	c.Flags().StringVar(&o.TokenFile, "token-file", "", "file whose first line is the admin token (needed to create and list negotiations)")
	c.Flags().DurationVar(&o.Server.TurnTimeout, "turn-timeout", time.Minute, "how long a remote seat has for each turn")
	c.Flags().DurationVar(&o.Server.Grace, "grace", 10*time.Second, "how long a remote seat may stay disconnected before it fails")
	c.Flags().IntVar(&o.Server.MaxActive, "max-active", server.DefaultMaxActive, "the negotiations that may run at once (more are refused with 503)")
	c.Flags().IntVar(&o.Server.MaxFinished, "max-finished", server.DefaultMaxFinished, "the finished negotiations kept in memory (others are read back from --db)")
	c.Flags().StringArrayVar(&o.Results, "results", nil, "a tournament or experiment database (parley tournament/experiment --db) to show read-only at /results (repeatable)")
	c.Flags().StringArrayVar(&o.Server.OriginPatterns, "origin", nil, "a browser origin (host pattern, such as localhost:5173) allowed to open streams besides the server's own")
	return c
}

// announceToken prints the admin token made up for a host that is not
// loopback.
func announceToken(stderr io.Writer) func(host, tok string) {
	return func(host, tok string) {
		fmt.Fprintf(stderr, "parley serve: %s is not loopback: the admin token (Authorization: Bearer TOKEN) is %s\n", host, tok)
	}
}

// listed is a registry's entries as the server's catalog lists them: the
// same registry its resolvers parse with, so a program's own agents
// (WithNegotiator) are offered too.
func listed[T any](r *spec.Registry[T]) []server.Agent {
	var out []server.Agent
	for _, e := range r.Entries() {
		out = append(out, server.Agent{Name: e.Name, Doc: e.Doc})
	}
	return out
}
