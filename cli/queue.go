package cli

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-dev/parley/distrib"
	"github.com/parley-dev/parley/distrib/natsq"
	"github.com/parley-dev/parley/spec"
)

// queueFlags are the connection flags that 'parley tournament --queue' and
// 'parley worker' share: authentication, TLS and how long to wait out an
// outage (docs/distributed.md).
type queueFlags struct {
	auth         natsq.Auth
	reconnectFor time.Duration
}

// add defines the flags on c.
func (q *queueFlags) add(c *cobra.Command) {
	fs := c.Flags()
	fs.StringVar(&q.auth.CredsFile, "queue-creds", "", "NATS .creds file (user JWT and nkey seed) to authenticate to the queue with")
	fs.StringVar(&q.auth.NkeyFile, "queue-nkey", "", "file holding the NATS nkey seed (SU...) to authenticate to the queue with")
	fs.StringVar(&q.auth.CAFile, "queue-ca", "", "PEM certificates that verify the queue server's TLS certificate (implies TLS)")
	fs.StringVar(&q.auth.CertFile, "queue-cert", "", "PEM client certificate for servers that verify clients (with --queue-key)")
	fs.StringVar(&q.auth.KeyFile, "queue-key", "", "PEM key of --queue-cert")
	fs.DurationVar(&q.reconnectFor, "queue-reconnect-for", 0, "give up once a lost queue server has been unreachable this long (0: wait for it however long it takes)")
}

// options returns the queue options of the flags and of the credentials
// in the environment (natsq.Auth.WithEnv; the URL may hold them too);
// logf receives the connection's events. Their errors are usage errors
// of cmd.
func (q *queueFlags) options(cmd string, logf func(string, ...any)) (natsq.Options, error) {
	o := natsq.Options{ReconnectFor: q.reconnectFor, Logf: logf, Auth: q.auth.WithEnv()}
	err := o.Validate()
	if err != nil && !errors.As(err, new(*spec.FieldError)) { // the credentials'
		return o, usageError{fmt.Errorf("%s: queue settings: %w", cmd, err)}
	}
	return o, usage(cmd, err)
}

// open opens the batch o of cmd (distrib.Open) with the flags' queue
// options, the queue's connection events written to w as "parley CMD:
// ..." lines. Errors in the options are usage errors naming the flag;
// others (the database's) name cmd.
func (q *queueFlags) open(o distrib.Options, w io.Writer, cmd string) (*distrib.Batch, error) {
	if o.Queue == "" && *q != (queueFlags{}) { // a --queue-* flag without --queue
		return nil, usageError{fmt.Errorf("%s: the --queue-* flags need --queue", cmd)}
	}
	var err error
	if o.Queue != "" {
		o.QueueOptions, err = q.options(cmd, func(format string, args ...any) {
			fmt.Fprintf(w, "parley "+cmd+": "+format+"\n", args...)
		})
		if err != nil {
			return nil, err
		}
	}
	b, err := distrib.Open(o)
	return b, cmdError(cmd, err)
}
