package cli

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/distrib/natsq"
)

// Environment variables holding queue credentials, so that they appear
// neither in the process list nor in the shell's history.
const (
	envQueueUser     = "PARLEY_QUEUE_USER"
	envQueuePassword = "PARLEY_QUEUE_PASSWORD"
	envQueueToken    = "PARLEY_QUEUE_TOKEN"
)

// queueFlags are the connection flags that 'parley tournament --queue' and
// 'parley worker' share: authentication, TLS and how long to wait out an
// outage (docs/distributed.md).
type queueFlags struct {
	creds, nkey, ca, cert, key string
	reconnectFor               time.Duration
}

// add defines the flags on c.
func (q *queueFlags) add(c *cobra.Command) {
	fs := c.Flags()
	fs.StringVar(&q.creds, "queue-creds", "", "NATS .creds file (user JWT and nkey seed) to authenticate to the queue with")
	fs.StringVar(&q.nkey, "queue-nkey", "", "file holding the NATS nkey seed (SU...) to authenticate to the queue with")
	fs.StringVar(&q.ca, "queue-ca", "", "PEM certificates that verify the queue server's TLS certificate (implies TLS)")
	fs.StringVar(&q.cert, "queue-cert", "", "PEM client certificate for servers that verify clients (with --queue-key)")
	fs.StringVar(&q.key, "queue-key", "", "PEM key of --queue-cert")
	fs.DurationVar(&q.reconnectFor, "queue-reconnect-for", 0, "give up once a lost queue server has been unreachable this long (0: wait for it however long it takes)")
}

// set reports whether any of the flags was given.
func (q *queueFlags) set() bool {
	return *q != queueFlags{}
}

// options returns the queue options of the flags and of the credentials
// in the environment ($PARLEY_QUEUE_USER, $PARLEY_QUEUE_PASSWORD,
// $PARLEY_QUEUE_TOKEN; the URL may hold them too); logf receives the
// connection's events.
func (q *queueFlags) options(logf func(string, ...any)) (natsq.Options, error) {
	if q.reconnectFor < 0 {
		return natsq.Options{}, usageError{errors.New("--queue-reconnect-for must not be negative")}
	}
	o := natsq.Options{ReconnectFor: q.reconnectFor, Logf: logf, Auth: natsq.Auth{
		User: os.Getenv(envQueueUser), Password: os.Getenv(envQueuePassword), Token: os.Getenv(envQueueToken),
		CredsFile: q.creds, NkeyFile: q.nkey, CAFile: q.ca, CertFile: q.cert, KeyFile: q.key}}
	if err := o.Validate(); err != nil {
		return natsq.Options{}, usageError{fmt.Errorf("queue settings: %w", err)}
	}
	return o, nil
}
