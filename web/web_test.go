package web_test

import (
	"flag"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parley-dev/parley/web"
)

var update = flag.Bool("update", false, "rewrite the screenshots in docs/web")

func TestHandler(t *testing.T) {
	h := web.Handler()
	for _, tc := range []struct {
		method, path string
		status       int
		typ, body    string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8", `<script src="/ui/app.js">`},
		{"HEAD", "/", 200, "text/html; charset=utf-8", ""},
		{"GET", "/ui/app.js", 200, "text/javascript; charset=utf-8", "seat"},
		{"GET", "/ui/app.css", 200, "text/css; charset=utf-8", "--accent"},
		{"GET", "/ui/catalog.json", 404, "", ""},
		{"GET", "/ui/index.html", 404, "", ""},
		{"GET", "/ui/src/index.html", 404, "", ""},
		{"GET", "/src/index.html", 404, "", ""},
		{"GET", "/ui/", 404, "", ""},
		{"GET", "/ui/../web.go", 404, "", ""},
		{"GET", "/ui/./app.js", 404, "", ""},
		{"GET", "/web.go", 404, "", ""},
		{"GET", "/index.html", 404, "", ""},
		{"POST", "/", 405, "", ""},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, "/", nil)
			req.URL.Path = tc.path // unclean paths as a client may send them
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			if tc.status != 200 {
				return
			}
			if got := rec.Header().Get("Content-Type"); got != tc.typ {
				t.Errorf("Content-Type %q, want %q", got, tc.typ)
			}
			if got := rec.Header().Get("Content-Security-Policy"); got != web.ContentSecurityPolicy {
				t.Errorf("Content-Security-Policy %q", got)
			}
			if tc.method == "HEAD" && rec.Body.Len() != 0 {
				t.Errorf("HEAD sent a body of %d bytes", rec.Body.Len())
			}
			if !strings.Contains(rec.Body.String(), tc.body) {
				t.Errorf("body lacks %q", tc.body)
			}
		})
	}
}

// TestNoExternalReferences: the bundle names no other origin, so the page
// makes no external request (the Content-Security-Policy forbids them too).
func TestNoExternalReferences(t *testing.T) {
	url := regexp.MustCompile(`(?i)(https?:|wss?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	err := filepath.WalkDir("dist", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if m := url.Find(b); m != nil {
			t.Errorf("%s names another origin: %s", p, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestServed: parley serve's handler serves the UI at / beside the API.
func TestServedBesideAPI(t *testing.T) {
	ts := newServer(t)
	for path, want := range map[string]int{"/": 200, "/ui/app.js": 200, "/healthz": 200, "/nope": 404} {
		r, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, r.StatusCode, want)
		}
	}
}
