// Package natsq runs tournaments beyond one machine on NATS JetStream: it
// implements tournament.Queue for the coordinator (Dial) and the worker loop
// that takes jobs, runs them and publishes their results (Worker).
//
// # Design
//
// Two streams live on the server (names for the default Prefix "parley"):
//
//   - PARLEY_JOBS, subjects parley.jobs.TID, a work-queue stream: a message
//     holds a batch of jobs of tournament TID together with the tournament's
//     Meta, from which any worker rebuilds the configuration (agents from
//     their specs, scenarios from their references: tournament.Rebuild).
//     All workers share one durable pull consumer, "workers": each message
//     goes to one worker at a time. TID is a hash of the Meta, so several
//     tournaments can share a server.
//   - PARLEY_RESULTS, subjects parley.results.TID, a work-queue stream the
//     coordinator of TID reads through its own durable consumer.
//
// A worker acknowledges a jobs message only after the results of all its
// jobs are stored on the server, and tells the server it is still working
// every AckWait/3 (at most every second). A worker that dies (kill -9, a
// lost machine) stops doing so and the server redelivers its message after
// AckWait to another worker; a redelivered batch is split into single-job
// messages, so that a job that keeps killing workers is isolated and
// recorded as an error after MaxDeliver attempts instead of blocking the
// tournament. A result may thus arrive twice; the coordinator's store keeps
// the first (idempotent by job id), and the tournament ends when every
// planned job has a stored result. A worker that cannot set a tournament up
// (an agent or scenario it cannot load) hands its jobs back for others;
// jobs every worker refuses become errors after MaxDeliver refusals and
// Worker.GiveUp.
//
// Job messages carry a Nats-Msg-Id naming the tournament, the coordinator's
// session and the batch's jobs, so a publish retried after a lost
// acknowledgement is not queued twice. A coordinator that restarts (after a
// crash or kill) purges the tournament's leftover job messages and
// publishes again every job its store lacks; results still on the server
// from before are read and stored as usual.
//
// # Trust, outages
//
// Whoever may publish on PREFIX.jobs.> chooses what workers run: the agent
// specs and scenario references of a job come from the publisher. A
// worker's Resolver decides what it loads (package cli's loads built-in
// scenarios and files under a catalog.AllowList only), and the records a worker
// sends back name an agent or scenario it could not load, never the
// loader's error, which may quote the file: that goes to the worker's log.
// Servers that others can reach should require credentials (Options.Auth:
// user and password, token, nkey, creds file, TLS).
//
// A client that loses its server reconnects every Options.ReconnectWait
// until the server is back (or for Options.ReconnectFor): workers and the
// coordinator wait out an outage and go on, with the streams on the
// server's disk.
//
// Only this package (and its tests, which embed a nats-server) depends on
// NATS; package tournament sees a tournament.Queue.
package natsq

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/parley-dev/parley/spec"
)

// Options configure the queue for coordinators and workers. The zero value
// uses the defaults below; coordinators and workers of one tournament must
// use the same Prefix.
type Options struct {
	// Prefix names the subjects (PREFIX.jobs.TID, PREFIX.results.TID) and,
	// upper-cased, the streams (PREFIX_JOBS, PREFIX_RESULTS). Default
	// "parley".
	Prefix string
	// Batch is the number of jobs per message (default 64): larger batches
	// cost less per job, smaller ones lose less work to a dead worker.
	Batch int
	// AckWait is how long the server waits for news from a worker holding
	// a message before giving the message to another worker (default 30s).
	// Workers report progress every AckWait/3, so a slow batch is not
	// redelivered; a dead worker's batch waits at most AckWait. It is a
	// setting of the consumer all workers share: whoever creates the
	// consumer sets it, and a coordinator given an explicit AckWait
	// updates it.
	AckWait time.Duration
	// MaxDeliver is the number of times a single job is handed to workers
	// that die (or stop) while running it before a worker records it as an
	// error rather than running it again (default 5). It also bounds the
	// times jobs are handed back by workers that cannot set them up (an
	// agent or scenario they cannot load; see Worker.GiveUp).
	MaxDeliver int
	// Attempts is the number of connection attempts before giving up
	// (default 5); RetryWait is the wait after the first failed attempt,
	// doubling after each (default 250ms, at most 4s). They bound the
	// first connection only: see ReconnectFor for a lost one.
	Attempts  int
	RetryWait time.Duration
	// ReconnectWait is the wait between attempts to reach a server that
	// was lost once connected (default 2s). ReconnectFor is how long they
	// go on: 0 (the default) means until the server is back, however
	// long that takes; workers and coordinators then simply wait out an
	// outage. A worker that gives up returns an error from Run; a
	// coordinator's result stream ends.
	ReconnectWait time.Duration
	ReconnectFor  time.Duration
	// Auth authenticates the connection and configures TLS.
	Auth Auth
	// Logf, when set, receives the connection's events: lost, still
	// reconnecting (after 1, 2, 4, 8, ... failed attempts), reconnected.
	// A Worker uses its own Logf when this is nil.
	Logf func(format string, args ...any)
	// Name names the connection in the server's monitoring (default
	// "parley").
	Name string
}

// Auth holds the credentials of a NATS connection, for servers that
// require them (https://docs.nats.io/running-a-nats-service/configuration/securing_nats).
// User and password, or a token, may also be given in the URL
// (nats://USER:PASSWORD@HOST:4222, nats://TOKEN@HOST:4222); messages
// never show them. The zero value authenticates with what the URL holds,
// without client certificates.
type Auth struct {
	// User and Password: the server's user/password authentication.
	User, Password string
	// Token: the server's token authentication.
	Token string
	// CredsFile is a .creds file (a user JWT and its nkey seed), for
	// decentralised (operator mode) authentication.
	CredsFile string
	// NkeyFile is a file holding an nkey seed ("SU..."), for nkey
	// authentication.
	NkeyFile string
	// CAFile holds the PEM certificates that verify the server's
	// certificate (for a private CA or a self-signed certificate); the
	// system's roots otherwise. Giving it, or a tls:// URL, or a client
	// certificate, requires TLS.
	CAFile string
	// CertFile and KeyFile are a PEM client certificate and its key, for
	// servers that verify clients (mutual TLS).
	CertFile, KeyFile string
}

// Environment variables that hold queue credentials (WithEnv), so that
// they appear neither in the process list nor in the shell's history.
const (
	EnvUser     = "PARLEY_QUEUE_USER"
	EnvPassword = "PARLEY_QUEUE_PASSWORD"
	EnvToken    = "PARLEY_QUEUE_TOKEN"
)

// WithEnv returns a with User, Password and Token from the environment
// ($PARLEY_QUEUE_USER, $PARLEY_QUEUE_PASSWORD, $PARLEY_QUEUE_TOKEN; empty
// when unset), as 'parley tournament --queue' and 'parley worker' take
// them.
func (a Auth) WithEnv() Auth {
	a.User, a.Password, a.Token = os.Getenv(EnvUser), os.Getenv(EnvPassword), os.Getenv(EnvToken)
	return a
}

// validate names the first inconsistent field.
func (a *Auth) validate() error {
	switch {
	case (a.CertFile == "") != (a.KeyFile == ""):
		return errors.New("natsq: a client certificate needs both its certificate and its key file")
	case a.CredsFile != "" && a.NkeyFile != "":
		return errors.New("natsq: give a creds file or an nkey seed file, not both")
	case a.Password != "" && a.User == "":
		return errors.New("natsq: a password without a user")
	case a.Token != "" && a.User != "":
		return errors.New("natsq: give a user or a token, not both")
	}
	return nil
}

// options returns the nats.Options of a.
func (a *Auth) options() ([]nats.Option, error) {
	var opts []nats.Option
	if a.User != "" {
		opts = append(opts, nats.UserInfo(a.User, a.Password))
	}
	if a.Token != "" {
		opts = append(opts, nats.Token(a.Token))
	}
	if a.CredsFile != "" {
		if _, err := os.Stat(a.CredsFile); err != nil {
			return nil, fmt.Errorf("natsq: creds file: %w", err)
		}
		opts = append(opts, nats.UserCredentials(a.CredsFile))
	}
	if a.NkeyFile != "" {
		o, err := nats.NkeyOptionFromSeed(a.NkeyFile)
		if err != nil {
			return nil, fmt.Errorf("natsq: nkey seed file %s: %w", a.NkeyFile, err)
		}
		opts = append(opts, o)
	}
	if a.CAFile != "" {
		if _, err := os.Stat(a.CAFile); err != nil {
			return nil, fmt.Errorf("natsq: CA file: %w", err)
		}
		opts = append(opts, nats.RootCAs(a.CAFile))
	}
	if a.CertFile != "" {
		for _, f := range []string{a.CertFile, a.KeyFile} {
			if _, err := os.Stat(f); err != nil {
				return nil, fmt.Errorf("natsq: client certificate: %w", err)
			}
		}
		opts = append(opts, nats.ClientCert(a.CertFile, a.KeyFile))
	}
	return opts, nil
}

const (
	defaultPrefix     = "parley"
	defaultBatch      = 64
	defaultAckWait    = 30 * time.Second
	defaultMaxDeliver = 5
	defaultAttempts   = 5
	defaultRetryWait  = 250 * time.Millisecond
	defaultReconnect  = 2 * time.Second
	maxRetryWait      = 4 * time.Second
	workersConsumer   = "workers"
	resultsMaxAge     = 7 * 24 * time.Hour
)

// Validate names the first bad option; a negative count or duration is a
// *spec.FieldError naming its field.
func (o *Options) Validate() error {
	if o.Prefix != "" && !validToken(o.Prefix) {
		return fmt.Errorf("natsq: prefix %q: want letters, digits, '-' or '_'", o.Prefix)
	}
	if err := negative(map[string]any{"Batch": o.Batch, "AckWait": o.AckWait, "MaxDeliver": o.MaxDeliver, "Attempts": o.Attempts,
		"RetryWait": o.RetryWait, "ReconnectWait": o.ReconnectWait, "ReconnectFor": o.ReconnectFor}); err != nil {
		return err
	}
	if err := o.Auth.validate(); err != nil {
		return err
	}
	if o.AckWait > 0 && o.AckWait < 300*time.Millisecond {
		return fmt.Errorf("natsq: ack wait %v is below 300ms", o.AckWait)
	}
	return nil
}

// errNegative is the cause of a *spec.FieldError for a negative count or
// duration.
var errNegative = errors.New("must not be negative")

// negative returns a *spec.FieldError ("natsq: " before it) for the first
// field, in the order of the names, whose value (an int or a
// time.Duration) is negative.
func negative(fields map[string]any) error {
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		var neg bool
		switch v := fields[name].(type) {
		case int:
			neg = v < 0
		case time.Duration:
			neg = v < 0
		}
		if neg {
			return fmt.Errorf("natsq: %w", &spec.FieldError{Field: name, Value: fmt.Sprint(fields[name]), Err: errNegative})
		}
	}
	return nil
}

// withDefaults returns o with zero fields set to their defaults.
func (o Options) withDefaults() Options {
	if o.Prefix == "" {
		o.Prefix = defaultPrefix
	}
	if o.Batch == 0 {
		o.Batch = defaultBatch
	}
	if o.AckWait == 0 {
		o.AckWait = defaultAckWait
	}
	if o.MaxDeliver == 0 {
		o.MaxDeliver = defaultMaxDeliver
	}
	if o.Attempts == 0 {
		o.Attempts = defaultAttempts
	}
	if o.RetryWait == 0 {
		o.RetryWait = defaultRetryWait
	}
	if o.ReconnectWait == 0 {
		o.ReconnectWait = defaultReconnect
	}
	if o.Name == "" {
		o.Name = "parley"
	}
	return o
}

func validToken(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return s != ""
}

func (o *Options) jobsStream() string    { return strings.ToUpper(o.Prefix) + "_JOBS" }
func (o *Options) resultsStream() string { return strings.ToUpper(o.Prefix) + "_RESULTS" }
func (o *Options) jobsSubject(tid string) string {
	return o.Prefix + ".jobs." + tid
}
func (o *Options) resultsSubject(tid string) string {
	return o.Prefix + ".results." + tid
}

// redact returns the queue URL(s) with any password or token masked, for
// messages. (NATS reads a user name without a password as a token.)
func redact(raw string) string {
	parts := strings.Split(raw, ",")
	for i, p := range parts {
		if u, err := url.Parse(strings.TrimSpace(p)); err == nil && u.User != nil {
			if _, ok := u.User.Password(); ok {
				parts[i] = u.Redacted()
			} else {
				u.User = url.User("xxxxx")
				parts[i] = u.String()
			}
		}
	}
	return strings.Join(parts, ",")
}

// checkURL rejects what cannot be a NATS server URL before any connection
// attempt: a comma-separated list of nats://, tls://, ws:// or wss:// URLs
// with a host.
func checkURL(raw string) error {
	if strings.TrimSpace(raw) == "" {
		return errors.New("natsq: no queue URL (want nats://HOST:4222)")
	}
	for _, p := range strings.Split(raw, ",") {
		u, err := url.Parse(strings.TrimSpace(p))
		if err != nil {
			return fmt.Errorf("natsq: queue URL %q: %w", redact(p), err)
		}
		switch u.Scheme {
		case "nats", "tls", "ws", "wss":
		default:
			return fmt.Errorf("natsq: queue URL %q: scheme %q, want nats://HOST:PORT (or tls, ws, wss)", redact(p), u.Scheme)
		}
		if u.Host == "" {
			return fmt.Errorf("natsq: queue URL %q has no host", redact(p))
		}
	}
	return nil
}

// connect dials the server with bounded retries (Options.Attempts) and
// checks that it runs JetStream. Once connected, the client reconnects on
// its own after losing the server, every ReconnectWait for ReconnectFor
// (forever by default), reporting to logf.
func connect(ctx context.Context, rawURL string, o *Options, logf func(string, ...any)) (*nats.Conn, jetstream.JetStream, error) {
	if err := checkURL(rawURL); err != nil {
		return nil, nil, err
	}
	authOpts, err := o.Auth.options()
	if err != nil {
		return nil, nil, err
	}
	maxReconnects := -1 // for ever
	if o.ReconnectFor > 0 {
		maxReconnects = max(1, int((o.ReconnectFor+o.ReconnectWait-1)/o.ReconnectWait))
	}
	where := redact(rawURL)
	var lostAt time.Time // read and written by the client's callback goroutine only
	var failed int
	opts := append([]nats.Option{nats.Name(o.Name), nats.Timeout(2 * time.Second),
		nats.MaxReconnects(maxReconnects), nats.ReconnectWait(o.ReconnectWait),
		nats.ReconnectJitter(o.ReconnectWait/4, o.ReconnectWait/4),
		nats.DisconnectErrHandler(func(nc *nats.Conn, err error) {
			if nc.IsClosed() || logf == nil {
				return
			}
			lostAt, failed = time.Now(), 0
			until := "until it is back"
			if o.ReconnectFor > 0 {
				until = fmt.Sprintf("for %v", o.ReconnectFor)
			}
			logf("lost the queue at %s (%v): reconnecting every %v %s", where, err, o.ReconnectWait, until)
		}),
		nats.ReconnectErrHandler(func(nc *nats.Conn, err error) {
			failed++
			if logf != nil && failed&(failed-1) == 0 { // 1, 2, 4, 8, ...
				logf("queue at %s still unreachable after %d reconnection attempts over %v: %v", where, failed, time.Since(lostAt).Round(time.Millisecond), err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			if logf != nil {
				logf("reconnected to the queue at %s after %v", where, time.Since(lostAt).Round(time.Millisecond))
			}
		}),
	}, authOpts...)
	start := time.Now()
	wait := o.RetryWait
	var lastErr error
	for attempt := 1; ; attempt++ {
		nc, err := nats.Connect(rawURL, opts...)
		if err == nil {
			js, err := jetstream.New(nc, jetstream.WithPublishAsyncTimeout(30*time.Second))
			if err == nil {
				_, err = js.AccountInfo(ctx)
			}
			if err != nil {
				nc.Close()
				if errors.Is(err, jetstream.ErrJetStreamNotEnabled) || errors.Is(err, jetstream.ErrJetStreamNotEnabledForAccount) {
					return nil, nil, fmt.Errorf("natsq: %s has no JetStream (start nats-server with -js): %w", redact(rawURL), err)
				}
				return nil, nil, fmt.Errorf("natsq: %s: %w", redact(rawURL), err)
			}
			return nc, js, nil
		}
		lastErr = err
		if errors.Is(err, nats.ErrAuthorization) || errors.Is(err, nats.ErrAuthExpired) || errors.Is(err, nats.ErrAuthRevoked) ||
			strings.Contains(err.Error(), "tls:") || strings.Contains(err.Error(), "x509:") {
			// Retrying does not mend credentials or certificates.
			return nil, nil, fmt.Errorf("natsq: %s: %w (check the credentials or TLS settings: docs/distributed.md)", where, err)
		}
		if attempt >= o.Attempts {
			break
		}
		select {
		case <-ctx.Done():
			return nil, nil, fmt.Errorf("natsq: connecting to %s: %w (last error: %v)", redact(rawURL), ctx.Err(), lastErr)
		case <-time.After(wait):
		}
		wait = min(2*wait, maxRetryWait)
	}
	return nil, nil, fmt.Errorf("natsq: cannot reach the queue at %s after %d attempts over %v: %w",
		redact(rawURL), o.Attempts, time.Since(start).Round(10*time.Millisecond), lastErr)
}

// ensureStreams creates the jobs and results streams unless they exist and
// returns the jobs stream.
func ensureStreams(ctx context.Context, js jetstream.JetStream, o *Options) (jetstream.Stream, error) {
	jobs, err := ensureStream(ctx, js, jetstream.StreamConfig{
		Name:        o.jobsStream(),
		Description: "Parley tournament jobs (distrib/natsq)",
		Subjects:    []string{o.Prefix + ".jobs.>"},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Duplicates:  2 * time.Minute,
	})
	if err != nil {
		return nil, err
	}
	_, err = ensureStream(ctx, js, jetstream.StreamConfig{
		Name:        o.resultsStream(),
		Description: "Parley tournament results (distrib/natsq)",
		Subjects:    []string{o.Prefix + ".results.>"},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Duplicates:  2 * time.Minute,
		// Results nobody collects for a week are dropped: a coordinator
		// that comes back later publishes the jobs it lacks again.
		MaxAge: resultsMaxAge,
	})
	if err != nil {
		return nil, err
	}
	return jobs, nil
}

func ensureStream(ctx context.Context, js jetstream.JetStream, cfg jetstream.StreamConfig) (jetstream.Stream, error) {
	s, err := js.Stream(ctx, cfg.Name)
	if err == nil {
		return s, nil
	}
	if !errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, fmt.Errorf("natsq: stream %s: %w", cfg.Name, err)
	}
	s, err = js.CreateStream(ctx, cfg)
	if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) { // created meanwhile by another process
		s, err = js.Stream(ctx, cfg.Name)
	}
	if err != nil {
		return nil, fmt.Errorf("natsq: create stream %s: %w", cfg.Name, err)
	}
	return s, nil
}

// ensureWorkersConsumer creates the workers' consumer unless it exists;
// with setAckWait it also sets an existing one's AckWait to o.AckWait.
func ensureWorkersConsumer(ctx context.Context, js jetstream.JetStream, o *Options, setAckWait bool) error {
	c, err := js.Consumer(ctx, o.jobsStream(), workersConsumer)
	switch {
	case err == nil && (!setAckWait || c.CachedInfo().Config.AckWait == o.AckWait):
		return nil
	case err == nil:
		cfg := c.CachedInfo().Config
		cfg.AckWait = o.AckWait
		_, err = js.UpdateConsumer(ctx, o.jobsStream(), cfg)
	case errors.Is(err, jetstream.ErrConsumerNotFound):
		_, err = js.CreateConsumer(ctx, o.jobsStream(), workersConfig(o))
		if errors.Is(err, jetstream.ErrConsumerExists) { // created meanwhile by another process
			return ensureWorkersConsumer(ctx, js, o, setAckWait)
		}
	}
	if err != nil {
		return fmt.Errorf("natsq: consumer %s on %s: %w", workersConsumer, o.jobsStream(), err)
	}
	return nil
}

// workersConfig is the shared pull consumer of the jobs stream.
func workersConfig(o *Options) jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:       workersConsumer,
		Description:   "Parley workers (distrib/natsq): one consumer shared by all",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       o.AckWait,
		MaxDeliver:    -1, // the worker isolates jobs that keep failing (Options.MaxDeliver)
		MaxAckPending: -1,
	}
}

// defaultName names a worker host:pid.
func defaultName() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		h = "worker"
	}
	return fmt.Sprintf("%s:%d", h, os.Getpid())
}
