package natsq

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"

	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/spec"
	"github.com/parley-dev/parley/strategy"
	"github.com/parley-dev/parley/tournament"
)

// authServer runs an embedded JetStream server with the authentication
// set by configure.
func authServer(t *testing.T, configure func(*server.Options)) *server.Server {
	t.Helper()
	o := &server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true}
	configure(o)
	return startServerWith(t, o)
}

// hostURL returns scheme://[userinfo@]127.0.0.1:PORT of the server.
func hostURL(srv *server.Server, scheme, userinfo string) string {
	if userinfo != "" {
		userinfo += "@"
	}
	return scheme + "://" + userinfo + srv.Addr().String()
}

// dialOK checks that Dial succeeds (it reads the account's JetStream
// information and creates the streams).
func dialOK(t *testing.T, url string, auth Auth) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	q, err := Dial(ctx, url, Options{Attempts: 1, Auth: auth})
	if err != nil {
		t.Fatalf("Dial(%s, %+v): %v", redact(url), auth, err)
	}
	q.Close()
}

// dialFails checks that Dial fails at once (credentials are not retried)
// with an error containing want and none of secrets.
func dialFails(t *testing.T, url string, auth Auth, want string, secrets ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := Dial(ctx, url, Options{Attempts: 3, RetryWait: 5 * time.Second, Auth: auth})
	if err == nil {
		t.Fatalf("Dial(%s, %+v) succeeded", redact(url), auth)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("Dial(%s): %v, want %q", redact(url), err, want)
	}
	if strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("Dial(%s) retried bad credentials: %v", redact(url), err)
	}
	for _, s := range secrets {
		if strings.Contains(err.Error(), s) {
			t.Errorf("Dial(%s): the error shows the secret %q: %v", redact(url), s, err)
		}
	}
}

func TestAuthUserPassword(t *testing.T) {
	srv := authServer(t, func(o *server.Options) { o.Username, o.Password = "alice", "s3cret-pw" })
	dialOK(t, hostURL(srv, "nats", "alice:s3cret-pw"), Auth{})
	dialOK(t, hostURL(srv, "nats", ""), Auth{User: "alice", Password: "s3cret-pw"})
	dialFails(t, hostURL(srv, "nats", ""), Auth{}, "Authorization Violation")
	dialFails(t, hostURL(srv, "nats", "alice:wrong-pw"), Auth{}, "nats://alice:xxxxx@", "wrong-pw")
}

func TestAuthToken(t *testing.T) {
	srv := authServer(t, func(o *server.Options) { o.Authorization = "tok-123456" })
	dialOK(t, hostURL(srv, "nats", "tok-123456"), Auth{})
	dialOK(t, hostURL(srv, "nats", ""), Auth{Token: "tok-123456"})
	dialFails(t, hostURL(srv, "nats", ""), Auth{}, "Authorization Violation")
	dialFails(t, hostURL(srv, "nats", "tok-wrong"), Auth{}, "nats://xxxxx@", "tok-wrong")

	// A tournament through the authenticated server, worker and
	// coordinator both with the token.
	r := testResolver(0)
	agents, scenarios := []string{"conceder", "random"}, []string{"two-issue"}
	want := localRecords(t, testConfig(t, r, agents, scenarios, 5, 2))
	cfg := testConfig(t, r, agents, scenarios, 5, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	auth := Auth{Token: "tok-123456"}
	q, err := Dial(ctx, hostURL(srv, "nats", ""), Options{Auth: auth})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	startWorkers(t, hostURL(srv, "nats", ""), 1, r, Options{Auth: auth}, 0)
	st := newMemStore()
	if _, err := tournament.Run(ctx, cfg, st, tournament.RunOptions{Queue: q}); err != nil {
		t.Fatal(err)
	}
	sameResults(t, tournament.Count(cfg), st.recs, want)
}

func TestAuthNkey(t *testing.T) {
	kp, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := kp.PublicKey()
	seed, _ := kp.Seed()
	seedFile := filepath.Join(t.TempDir(), "user.nk")
	if err := os.WriteFile(seedFile, seed, 0o600); err != nil {
		t.Fatal(err)
	}
	srv := authServer(t, func(o *server.Options) { o.Nkeys = []*server.NkeyUser{{Nkey: pub}} })
	dialOK(t, hostURL(srv, "nats", ""), Auth{NkeyFile: seedFile})
	dialFails(t, hostURL(srv, "nats", ""), Auth{}, "Authorization Violation")
	dialFails(t, hostURL(srv, "nats", ""), Auth{NkeyFile: filepath.Join(t.TempDir(), "missing.nk")}, "nkey seed file")
}

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key,
// returning the certificate's file and the server's TLS configuration.
func selfSigned(t *testing.T) (certFile string, cfg *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "parley test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
	certFile = filepath.Join(t.TempDir(), "cert.pem")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return certFile, &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
}

func TestAuthTLS(t *testing.T) {
	certFile, cfg := selfSigned(t)
	srv := authServer(t, func(o *server.Options) {
		o.TLS, o.TLSConfig, o.TLSTimeout = true, cfg, 5
		o.Username, o.Password = "bob", "pw-over-tls"
	})
	for _, scheme := range []string{"tls", "nats"} { // the CA file alone asks for TLS
		dialOK(t, hostURL(srv, scheme, ""), Auth{User: "bob", Password: "pw-over-tls", CAFile: certFile})
	}
	// Without the CA the self-signed certificate is refused, at once.
	dialFails(t, hostURL(srv, "tls", ""), Auth{User: "bob", Password: "pw-over-tls"}, "certificate", "pw-over-tls")
}

func TestAuthValidate(t *testing.T) {
	for _, tc := range []struct {
		auth Auth
		want string
	}{
		{Auth{CertFile: "c.pem"}, "both its certificate and its key"},
		{Auth{CredsFile: "a.creds", NkeyFile: "b.nk"}, "not both"},
		{Auth{Password: "x"}, "a password without a user"},
		{Auth{User: "u", Token: "t"}, "a user or a token"},
	} {
		o := Options{Auth: tc.auth}
		if err := o.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v): %v, want %q", tc.auth, err, tc.want)
		}
	}
	if _, err := Dial(context.Background(), "nats://127.0.0.1:1", Options{Auth: Auth{CredsFile: filepath.Join(t.TempDir(), "none.creds")}}); err == nil || !strings.Contains(err.Error(), "creds file") {
		t.Errorf("missing creds file: %v", err)
	}
}

// TestNegativeOptions: a negative count or duration of Options or of a
// Worker is a *spec.FieldError naming the field and its value.
func TestNegativeOptions(t *testing.T) {
	resolver := tournament.Resolver{Agent: strategy.Parse, Scenario: func(string) (*scenario.Scenario, error) { return nil, errors.New("none") }}
	for _, tc := range []struct {
		o            Options
		w            Worker
		field, value string
	}{
		{o: Options{Batch: -1}, field: "Batch", value: "-1"},
		{o: Options{AckWait: -time.Second}, field: "AckWait", value: "-1s"},
		{o: Options{MaxDeliver: -2}, field: "MaxDeliver", value: "-2"},
		{o: Options{Attempts: -1}, field: "Attempts", value: "-1"},
		{o: Options{RetryWait: -time.Millisecond}, field: "RetryWait", value: "-1ms"},
		{o: Options{ReconnectWait: -time.Second}, field: "ReconnectWait", value: "-1s"},
		{o: Options{ReconnectFor: -time.Minute}, field: "ReconnectFor", value: "-1m0s"},
		{w: Worker{Concurrency: -1}, field: "Concurrency", value: "-1"},
		{w: Worker{Limit: -time.Second}, field: "Limit", value: "-1s"},
		{w: Worker{IdleExit: -time.Second}, field: "IdleExit", value: "-1s"},
		{w: Worker{GiveUp: -time.Second}, field: "GiveUp", value: "-1s"},
	} {
		err := tc.o.Validate()
		if err == nil { // a Worker's field
			w := tc.w
			w.URL, w.Resolver = "nats://127.0.0.1:1", resolver
			err = w.Run(context.Background())
		}
		var fe *spec.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || fe.Value != tc.value || !strings.Contains(err.Error(), "must not be negative") {
			t.Errorf("%s: %v, want a FieldError for %s %s", tc.field, err, tc.field, tc.value)
		}
	}
}

// TestRedact: passwords and tokens in URLs never reach messages.
func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"nats://alice:pw@h:4222":             "nats://alice:xxxxx@h:4222",
		"nats://tok@h:4222":                  "nats://xxxxx@h:4222",
		"nats://h:4222":                      "nats://h:4222",
		"nats://a:pw@h:1,nats://tok@h:2":     "nats://a:xxxxx@h:1,nats://xxxxx@h:2",
		"tls://user:secret@nats.example:443": "tls://user:xxxxx@nats.example:443",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}
