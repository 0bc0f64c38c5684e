// Package serve runs a parley server as a process does: it picks the admin
// token, opens the SQLite event log and the read-only result databases,
// listens, serves package server's Handler until its context ends and
// then shuts the negotiations and the HTTP server down. 'parley serve' is
// this package behind flags.
package serve

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/server/results"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/store/sqlite"
)

// Options configure Run. Server holds the resolvers, catalog, limits and
// origins of the server (server.Config); Run sets its Log, AdminToken,
// Logger and Results.
type Options struct {
	// Server is the server's configuration, less what Run opens.
	Server server.Config
	// Addr is the TCP address to listen on (host:port; port 0 picks one).
	Addr string
	// DB is the SQLite database of the negotiations' event logs (created
	// if needed).
	DB string
	// TokenFile, when set, is the file whose first line is the admin
	// token (AdminToken).
	TokenFile string
	// Results are tournament and experiment databases served read-only at
	// GET /results, opened with ResultsOptions (package server/results).
	Results        []string
	ResultsOptions results.Options
	// Announce receives the admin token Run makes up for an address that
	// is not loopback (nil: not announced).
	Announce func(host, token string)
	// Listening receives the bound address once Run listens.
	Listening func(net.Addr)
	// Logs receives the server's structured logs (nil: discarded).
	Logs io.Writer
}

// loopback reports whether host names only loopback addresses.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// AdminToken returns the admin token of a server on addr: the first line
// of tokenFile (trimmed) when tokenFile is not "", else "" (none) on a
// loopback address, else a new random token, which announce (when not
// nil) receives with the address's host. Errors in tokenFile or addr are
// *spec.FieldError.
func AdminToken(addr, tokenFile string, announce func(host, token string)) (string, error) {
	if tokenFile != "" {
		b, err := os.ReadFile(tokenFile)
		if err != nil {
			return "", &spec.FieldError{Field: "TokenFile", Err: err}
		}
		tok, _, _ := strings.Cut(string(b), "\n")
		if tok = strings.TrimSpace(tok); tok == "" {
			return "", &spec.FieldError{Field: "TokenFile", Value: tokenFile, Err: errors.New("the first line is empty (want the admin token)")}
		}
		return tok, nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", &spec.FieldError{Field: "Addr", Value: fmt.Sprintf("%q", addr), Err: err}
	}
	if loopback(host) {
		return "", nil
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("serve: admin token: %w", err)
	}
	tok := hex.EncodeToString(b)
	if announce != nil {
		announce(host, tok)
	}
	return tok, nil
}

// Run serves negotiations as o says until ctx is done, then stops taking
// requests, ends the running negotiations (reason error: the server shut
// down) and returns.
func Run(ctx context.Context, o Options) error {
	tok, err := AdminToken(o.Addr, o.TokenFile, o.Announce)
	if err != nil {
		return err
	}
	res, err := results.Open(ctx, o.Results, o.ResultsOptions)
	if err != nil {
		return &spec.FieldError{Field: "Results", Err: err}
	}
	defer res.Close()
	events, err := sqlite.OpenEvents(o.DB)
	if err != nil {
		return err
	}
	defer events.Close()
	logs := o.Logs
	if logs == nil {
		logs = io.Discard
	}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	cfg := o.Server
	cfg.Log, cfg.AdminToken, cfg.Logger, cfg.Results = events, tok, logger, res
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return ctx },
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	if o.Listening != nil {
		o.Listening(ln.Addr())
	}
	logger.Info("serving", "addr", ln.Addr().String(), "db", o.DB, "admin_token", tok != "")
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		srv.Shutdown(context.Background())
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Streams are long-lived: stop the negotiations (which closes their
	// streams) alongside the HTTP server.
	serr := srv.Shutdown(sctx)
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
	}
	return serr
}
