package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadmeServe runs the README's `parley serve` section as written: it
// starts the server (on a free port instead of the README's 8080, whose
// URL the later commands get instead), runs each example client against
// it, and stops the server as `kill %1` does. A missing interpreter skips
// its command loudly (or fails it where .ci/run requires the examples).
func TestReadmeServe(t *testing.T) {
	if testing.Short() {
		t.Skip("short: starts a server and the example clients")
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(readme), "## Remote agents and people: `parley serve`")
	if !ok {
		t.Fatal("README has no parley serve section")
	}
	sec, _, _ = strings.Cut(sec, "\n## ")
	_, block, ok := strings.Cut(sec, "```sh\n")
	if !ok {
		t.Fatal("the parley serve section has no sh block")
	}
	block, _, _ = strings.Cut(block, "```")
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	var srv *served
	var readmeURL string
	clients := 0
	for _, line := range strings.Split(block, "\n") {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case f[0] == "./parley" && len(f) > 1 && f[1] == "serve":
			if f[len(f)-1] != "&" {
				t.Fatalf("README starts the server in the foreground: %q", line)
			}
			// startServe picks a free port and a database of the test's.
			var rest []string
			for i := 2; i < len(f)-1; i++ {
				switch f[i] {
				case "--addr":
					readmeURL = "http://" + f[i+1]
					i++
				case "--db":
					i++
				default:
					rest = append(rest, f[i])
				}
			}
			srv = startServe(t, filepath.Join(t.TempDir(), "serve.db"), rest...)
		case f[0] == "python3" || f[0] == "node":
			if srv == nil {
				t.Fatalf("README runs %q before starting the server", line)
			}
			clients++
			args := f[1:]
			for i, a := range args {
				if a == readmeURL {
					args[i] = srv.url
				}
			}
			t.Run(strings.Join(f, " "), func(t *testing.T) {
				interp, err := exec.LookPath(f[0])
				if err != nil {
					msg := fmt.Sprintf("SKIPPED README command: %s is not on PATH (%v)", f[0], err)
					if os.Getenv("PARLEY_EXAMPLES_REQUIRED") != "" {
						t.Fatal(msg)
					}
					fmt.Fprintln(os.Stderr, msg)
					t.Skip(msg)
				}
				ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
				defer cancel()
				cmd := exec.CommandContext(ctx, interp, args...)
				cmd.Dir = root
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("%v: %v\n%s", cmd.Args, err, out)
				}
				if !strings.Contains(string(out), "ended: ") || strings.Contains(string(out), "ended: error") {
					t.Errorf("%s did not play to a clean ending:\n%s", f[0], out)
				}
			})
		case len(f) == 2 && f[0] == "kill" && f[1] == "%1":
			if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if err := srv.cmd.Wait(); err != nil {
				t.Errorf("the server did not stop cleanly on SIGTERM: %v\n%s", err, srv.stderr)
			}
			srv = nil
		default:
			t.Fatalf("the test does not know README line %q", line)
		}
	}
	if clients != 2 || srv != nil || readmeURL == "" {
		t.Errorf("README's serve section: %d clients, server left running %v, address %q", clients, srv != nil, readmeURL)
	}
}
