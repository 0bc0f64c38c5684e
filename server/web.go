package server

import (
	"net/http"

	"github.com/parley-dev/parley/web"
)

// mountWeb serves the browser UI (package web) at "/" and under
// web.Prefix, beside the API routes, which keep their paths: a GET that no
// API route matches goes to the UI, which answers 404 for paths it lacks.
func mountWeb(mux *http.ServeMux) { mux.Handle("GET /", web.Handler()) }
