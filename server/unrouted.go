package server

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/parley-dev/parley/web"
)

// isUI reports whether path is the browser UI's ("/" and the bundle under
// web.Prefix); every other path is the API's.
func isUI(path string) bool { return path == "/" || strings.HasPrefix(path, web.Prefix) }

// unrouted answers a request that no route of api matches: the UI's paths
// go to the UI (package web), which answers as a file server does; any
// other path is the API's, answered as JSON: 405 with Allow when a route
// has the path with another method, else 404.
func (s *Server) unrouted(api *http.ServeMux) http.HandlerFunc {
	ui := web.Handler()
	var methods []string // the API's methods, in table order
	for _, r := range s.table() {
		if !slices.Contains(methods, r.Method) {
			methods = append(methods, r.Method)
		}
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if isUI(r.URL.Path) {
			ui.ServeHTTP(w, r)
			return
		}
		var allow []string
		for _, m := range methods {
			if _, pattern := api.Handler(&http.Request{Method: m, URL: r.URL, Host: r.Host}); pattern != "" {
				allow = append(allow, m)
				if m == http.MethodGet {
					allow = append(allow, http.MethodHead)
				}
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.writeError(w, r, &apiError{http.StatusMethodNotAllowed,
				fmt.Errorf("%s %s: method not allowed (allowed: %s)", r.Method, r.URL.Path, strings.Join(allow, ", "))})
			return
		}
		s.writeError(w, r, &apiError{http.StatusNotFound,
			fmt.Errorf("%s %s: no such path in the API (GET /openapi.json describes it)", r.Method, r.URL.Path)})
	}
}

// upgradeWriter is the ResponseWriter given to websocket.Accept: it holds
// back an error response (status 400 and over, written as plain text by
// Accept) so that the handler answers it as JSON (jsonError), and passes
// the upgrade (101, Hijack) through.
type upgradeWriter struct {
	http.ResponseWriter
	status int
	body   []byte
}

func (u *upgradeWriter) WriteHeader(code int) {
	if code >= http.StatusBadRequest {
		u.status = code
		return
	}
	u.ResponseWriter.WriteHeader(code)
}

func (u *upgradeWriter) Write(b []byte) (int, error) {
	if u.status != 0 {
		u.body = append(u.body, b...)
		return len(b), nil
	}
	return u.ResponseWriter.Write(b)
}

// Hijack hands the connection over to the WebSocket.
func (u *upgradeWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(u.ResponseWriter).Hijack()
}

// jsonError returns the error response held back, with its status and
// text, or nil if there was none.
func (u *upgradeWriter) jsonError() error {
	if u.status == 0 {
		return nil
	}
	msg := strings.TrimSpace(string(u.body))
	if msg == "" {
		msg = http.StatusText(u.status)
	}
	return &apiError{u.status, errors.New(msg)}
}
