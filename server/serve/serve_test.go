package serve

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-dev/parley/spec"
)

func TestAdminToken(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, empty := write("good", " secret \nignored\n"), write("empty", "\n")
	for _, tc := range []struct {
		name, addr, file string
		want             string // "" none, "random": 48 hex digits, announced
		field            string // of the spec.FieldError, "" none
		errText          string
	}{
		{name: "loopback", addr: "127.0.0.1:8080"},
		{name: "localhost", addr: "localhost:0"},
		{name: "ipv6 loopback", addr: "[::1]:8080"},
		{name: "any address", addr: "0.0.0.0:8080", want: "random"},
		{name: "file", addr: "0.0.0.0:8080", file: good, want: "secret"},
		{name: "file on loopback", addr: "127.0.0.1:8080", file: good, want: "secret"},
		{name: "empty file", file: empty, field: "TokenFile", errText: "TokenFile " + empty + ": the first line is empty (want the admin token)"},
		{name: "missing file", file: filepath.Join(dir, "nope"), field: "TokenFile"},
		{name: "bad address", addr: "8080", field: "Addr", errText: `Addr "8080": address 8080: missing port in address`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var host, announced string
			tok, err := AdminToken(tc.addr, tc.file, func(h, tok string) { host, announced = h, tok })
			var oe *spec.FieldError
			switch {
			case tc.field != "":
				if !errors.As(err, &oe) || oe.Field != tc.field {
					t.Fatalf("err %v, want a FieldError in %s", err, tc.field)
				}
				if tc.errText != "" && err.Error() != tc.errText {
					t.Errorf("err %q, want %q", err, tc.errText)
				}
				if tc.name == "missing file" && !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("err %v does not wrap fs.ErrNotExist", err)
				}
			case err != nil:
				t.Fatal(err)
			case tc.want == "random":
				if len(tok) != 48 || announced != tok || host != "0.0.0.0" {
					t.Errorf("token %q, announced %q for host %q", tok, announced, host)
				}
			case tok != tc.want || announced != "":
				t.Errorf("token %q (announced %q), want %q", tok, announced, tc.want)
			}
		})
	}
}

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	addrc := make(chan net.Addr, 1)
	var logs strings.Builder
	errc := make(chan error, 1)
	go func() {
		errc <- Run(ctx, Options{Addr: "127.0.0.1:0", DB: filepath.Join(t.TempDir(), "serve.db"),
			Listening: func(a net.Addr) { addrc <- a }, Logs: &logs})
	}()
	var addr net.Addr
	select {
	case addr = <-addrc:
	case err := <-errc:
		t.Fatalf("Run: %v", err)
	}
	resp, err := http.Get("http://" + addr.String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz: %s", resp.Status)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Errorf("Run after cancel: %v", err)
	}
	if !strings.Contains(logs.String(), "msg=serving") || !strings.Contains(logs.String(), "msg=\"shutting down\"") {
		t.Errorf("logs:\n%s", logs.String())
	}
}

func TestRunOptionErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		o     Options
		field string
	}{
		{"bad address", Options{Addr: "nohost"}, "Addr"},
		{"missing results", Options{Addr: "127.0.0.1:0", DB: filepath.Join(dir, "a.db"), Results: []string{filepath.Join(dir, "none.db")}}, "Results"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var oe *spec.FieldError
			if err := Run(t.Context(), tc.o); !errors.As(err, &oe) || oe.Field != tc.field {
				t.Errorf("err %v, want a FieldError in %s", err, tc.field)
			}
		})
	}
}
