// Package web is Parley's browser UI: static files embedded in the binary
// and served by parley serve, with no domain logic of their own. The pages
// talk to the server's REST and WebSocket API (docs/server.md) like any
// other client, each with the one token its link carries.
//
// The TypeScript sources under src/ are bundled by esbuild (npm run build,
// which .ci/run checks) into dist/, which is committed, so that go build
// and go run need no npm. The "new negotiation" form offers what the
// server's GET /catalog lists.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// dist is the bundle; the page itself is src/index.html, which loads it.
//
//go:embed dist src/index.html
var files embed.FS

// Prefix is the path under which the UI's assets are served; the page
// itself is served at "/".
const Prefix = "/ui/"

// ContentSecurityPolicy is sent with every file: the page may load and
// connect to its own origin only (no external requests), and run no inline
// script.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Handler serves the UI: index.html at "/" and the bundle under Prefix;
// every other path is 404. The pages route on the URL's fragment
// (#/seat/ID/TOKEN), which browsers never send to the server.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := ""
		switch {
		case r.URL.Path == "/":
			name = "src/index.html"
		case strings.HasPrefix(r.URL.Path, Prefix):
			name = strings.TrimPrefix(r.URL.Path, Prefix)
			if name != path.Clean(name) || strings.Contains(name, "/") || strings.HasPrefix(name, ".") {
				name = ""
			} else {
				name = "dist/" + name
			}
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		data, err := fs.ReadFile(files, name)
		if name == "" || err != nil {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", contentType(name))
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		if r.Method == http.MethodHead {
			return
		}
		w.Write(data)
	})
}

// contentType is the type of a file of the bundle, by its extension.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".json":
		return "application/json"
	}
	return "application/octet-stream"
}
