package server

import (
	"context"
	"crypto/subtle"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxActionBody bounds the body of an action request (and a message on a
// stream).
const MaxActionBody = 64 << 10

// MaxWait bounds the wait parameter of GET /negotiations/{id}/events.
const MaxWait = 60 * time.Second

// Route is one route of the server's HTTP API.
type Route struct {
	Method, Path string
}

// route is a Route with its handler.
type route struct {
	Route
	h http.HandlerFunc
}

// table returns the server's routes.
func (s *Server) table() []route {
	return []route{
		{Route{"GET", "/healthz"}, s.healthz},
		{Route{"GET", "/metrics"}, s.metrics.handler().ServeHTTP},
		{Route{"GET", "/openapi.json"}, serveOpenAPI},
		{Route{"POST", "/negotiations"}, s.limited(s.create)},
		{Route{"GET", "/negotiations"}, s.limited(s.list)},
		{Route{"GET", "/catalog"}, s.limited(s.catalog)},
		{Route{"GET", "/negotiations/{id}"}, s.limited(s.view)},
		{Route{"GET", "/negotiations/{id}/events"}, s.limited(s.events)},
		{Route{"POST", "/negotiations/{id}/actions"}, s.limited(s.act)},
		{Route{"GET", "/negotiations/{id}/stream"}, s.limited(s.stream)},
		{Route{"GET", "/negotiations/{id}/assist"}, s.limited(s.assist)},
		{Route{"GET", "/negotiations/{id}/space"}, s.limited(s.space)},
		{Route{"GET", "/negotiations/{id}/space/points"}, s.limited(s.points)},
		{Route{"GET", "/results"}, s.limited(s.resultsList)},
		{Route{"GET", "/results/{name}"}, s.limited(s.resultsReport)},
		{Route{"GET", "/results/{name}/runs"}, s.limited(s.resultsRuns)},
		{Route{"POST", "/results/{name}/runs/{run}/replay"}, s.limited(s.resultsReplay)},
	}
}

// Routes returns the routes the server serves, as "METHOD /path" patterns
// of net/http.ServeMux.
func (s *Server) Routes() []Route {
	var rs []Route
	for _, r := range s.table() {
		rs = append(rs, r.Route)
	}
	return rs
}

// routes returns the server's handler: the API's routes, and for every
// other request unrouted (the UI's files, or a JSON 404 or 405).
func (s *Server) routes() *http.ServeMux {
	mux, api := http.NewServeMux(), http.NewServeMux()
	for _, r := range s.table() {
		mux.HandleFunc(r.Method+" "+r.Path, r.h)
		api.HandleFunc(r.Method+" "+r.Path, r.h)
	}
	mux.Handle("/", s.unrouted(api))
	return mux
}

//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the OpenAPI 3.1 document of the API.
func OpenAPI() []byte { return append([]byte(nil), openAPI...) }

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPI)
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// apiError is an error with its HTTP status; its message is shown.
type apiError struct {
	status int
	err    error
}

func (e *apiError) Error() string { return e.err.Error() }
func (e *apiError) Unwrap() error { return e.err }

func badRequest(err error) error { return &apiError{http.StatusBadRequest, err} }

var (
	errUnauthorized = &apiError{http.StatusUnauthorized, errors.New("missing or unknown token")}
	errForbidden    = &apiError{http.StatusForbidden, errors.New("this token does not grant that")}
	errNotFound     = &apiError{http.StatusNotFound, errors.New("no such negotiation")}
	errRateLimited  = &apiError{http.StatusTooManyRequests, errors.New("too many requests: slow down")}
)

// writeError writes err as {"error": message}: the one place that maps
// errors to HTTP statuses. Errors without a status are internal: logged,
// and shown as "internal error".
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	var mb *http.MaxBytesError
	status, msg := http.StatusInternalServerError, "internal error"
	switch {
	case errors.As(err, &mb):
		status, msg = http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", mb.Limit)
	case errors.As(err, &ae):
		status, msg = ae.status, ae.Error()
	case errors.Is(err, ErrClosed):
		status, msg = http.StatusServiceUnavailable, err.Error()
	case errors.Is(err, ErrBusy):
		// The whole seconds until a negotiation may have ended: a hint.
		w.Header().Set("Retry-After", "1")
		status, msg = http.StatusServiceUnavailable, err.Error()
	default:
		s.logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := compactJSON(v)
	if err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"error":"internal error"}` + "\n"))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// tokenOf returns the request's token: "Authorization: Bearer T", or the
// query parameter token=T (browsers cannot set headers on a WebSocket).
func tokenOf(r *http.Request) string {
	if t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(t)
	}
	return r.URL.Query().Get("token")
}

// limited applies the rate limit: per valid token, else per client
// address.
func (s *Server) limited(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := tokenOf(r)
		if _, ok := s.grantOf(tok); !ok && !s.isAdmin(tok) {
			tok = ""
		}
		if wait := s.limits.wait(r, tok); wait > 0 {
			// Retry-After in whole seconds, rounded up: the time until
			// the budget allows one more request.
			w.Header().Set("Retry-After", strconv.FormatInt(int64((wait+time.Second-1)/time.Second), 10))
			s.writeError(w, r, errRateLimited)
			return
		}
		h(w, r)
	}
}

// isAdmin reports whether tok is the admin token.
func (s *Server) isAdmin(tok string) bool {
	return s.cfg.AdminToken != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.AdminToken)) == 1
}

// admitAdmin checks the admin token, when the server has one.
func (s *Server) admitAdmin(r *http.Request) error {
	if s.cfg.AdminToken == "" || s.isAdmin(tokenOf(r)) {
		return nil
	}
	return &apiError{http.StatusUnauthorized, errors.New("this server needs its admin token (Authorization: Bearer TOKEN)")}
}

// admit returns the negotiation named in the path and the lens the
// request's token grants on it.
func (s *Server) admit(r *http.Request) (*negotiation, Lens, error) {
	g, ok := s.grantOf(tokenOf(r))
	if !ok {
		return nil, Lens{}, errUnauthorized
	}
	if g.id != r.PathValue("id") {
		// A token of another negotiation learns nothing of this one,
		// not even whether it exists.
		return nil, Lens{}, errNotFound
	}
	n, err := s.negotiation(r.Context(), g.id)
	if err != nil {
		return nil, Lens{}, err
	}
	return n, g.lens, nil
}

// CreateResponse is the response to POST /negotiations.
type CreateResponse struct {
	ID     string `json:"id"`
	Tokens Tokens `json:"tokens"`
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	if err := s.admitAdmin(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	var req CreateRequest
	if err := decodeJSON(http.MaxBytesReader(w, r.Body, MaxCreateBody), &req); err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			s.writeError(w, r, err)
			return
		}
		s.writeError(w, r, badRequest(err))
		return
	}
	if err := req.validate(); err != nil {
		s.writeError(w, r, badRequest(err))
		return
	}
	id, toks, err := s.Create(r.Context(), req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/negotiations/"+id)
	writeJSON(w, http.StatusCreated, CreateResponse{ID: id, Tokens: toks})
}

// Summary is a negotiation in the list of GET /negotiations.
type Summary struct {
	ID       string `json:"id"`
	Scenario string `json:"scenario"`
	Status   string `json:"status"` // "running" or "ended"
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	if err := s.admitAdmin(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Negotiations []Summary `json:"negotiations"`
	}{Negotiations: []Summary{}}
	s.mu.Lock()
	ns := make([]*negotiation, 0, len(s.order))
	for _, id := range s.order {
		// A negotiation not in memory has ended.
		out.Negotiations = append(out.Negotiations, Summary{ID: id, Scenario: s.scenarios[id], Status: "ended"})
		ns = append(ns, s.byID[id])
	}
	s.mu.Unlock()
	for i, n := range ns {
		if n != nil && n.running() {
			out.Negotiations[i].Status = "running"
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// View is a negotiation as one lens sees it (GET /negotiations/{id}),
// folded from the events the lens shows.
type View struct {
	ID      string   `json:"id"`
	Lens    string   `json:"lens"`
	Status  string   `json:"status"` // "running" or "ended"
	LastSeq int64    `json:"last_seq"`
	Created *Created `json:"created"`
	Setup   *Setup   `json:"setup,omitempty"`
	Offers  int      `json:"offers"`
	Last    *Action  `json:"last,omitempty"`
	Turn    *Turn    `json:"turn,omitempty"` // a seat's pending turn
	Ended   *Ended   `json:"ended,omitempty"`
	Results []Result `json:"results,omitempty"` // the seat's own; every party's for the owner
	// Analysis is the owner's.
	Analysis *Analysis `json:"analysis,omitempty"`
}

// Action is the last action of a View.
type Action struct {
	Type string `json:"type"`
	ActionEvent
}

// viewOf folds the events a lens shows into its View.
func viewOf(n *negotiation, l Lens) View {
	evs, _, _, complete := n.since(l, 0)
	v := View{ID: n.id, Lens: l.String(), Status: "running"}
	if complete {
		v.Status = "ended"
	}
	for _, e := range evs {
		v.LastSeq = e.Seq
		switch {
		case e.Created != nil:
			v.Created = e.Created
		case e.Setup != nil:
			v.Setup = e.Setup
		case e.Turn != nil:
			v.Turn = e.Turn
		case e.Action != nil:
			v.Last, v.Turn = &Action{Type: e.Type, ActionEvent: *e.Action}, nil
			if e.Type == TypeOffer {
				v.Offers++
			}
		case e.Ended != nil:
			v.Ended, v.Turn = e.Ended, nil
		case e.Result != nil:
			v.Results = append(v.Results, *e.Result)
		case e.Analysis != nil:
			v.Analysis = e.Analysis
		}
	}
	return v
}

func (s *Server) view(w http.ResponseWriter, r *http.Request) {
	n, l, err := s.admit(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, viewOf(n, l))
}

// queryInt reads a non-negative integer query parameter (0 when absent).
func queryInt(r *http.Request, name string, max int64) (int64, error) {
	q := r.URL.Query().Get(name)
	if q == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(q, 10, 64)
	if err != nil || v < 0 || v > max {
		return 0, badRequest(fmt.Errorf("query %s=%q: want an integer in 0..%d", name, q, max))
	}
	return v, nil
}

// Events is the response of GET /negotiations/{id}/events.
type Events struct {
	Events []json.RawMessage `json:"events"`
	// Complete says the log has ended: no event will follow.
	Complete bool `json:"complete"`
}

// admitAfter is admit for the routes that read the log after the seq in
// the query parameter "after".
func (s *Server) admitAfter(r *http.Request) (*negotiation, Lens, int64, error) {
	n, l, err := s.admit(r)
	if err != nil {
		return nil, Lens{}, 0, err
	}
	after, err := queryInt(r, "after", 1<<62)
	return n, l, after, err
}

func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	n, l, after, err := s.admitAfter(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	wait, err := queryInt(r, "wait", int64(MaxWait/time.Second))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), time.Duration(wait)*time.Second)
	defer cancel()
	for {
		_, recs, wake, complete := n.since(l, after)
		if len(recs) > 0 || complete || wait == 0 {
			out := Events{Events: make([]json.RawMessage, len(recs)), Complete: complete}
			for i, rec := range recs {
				out.Events[i] = rec
			}
			writeJSON(w, http.StatusOK, out)
			return
		}
		select {
		case <-wake:
		case <-ctx.Done():
			wait = 0
		}
	}
}

// act takes a seat's action: its JSON body is an ActionRequest.
func (s *Server) act(w http.ResponseWriter, r *http.Request) {
	n, l, err := s.admit(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req ActionRequest
	if err := decodeJSON(http.MaxBytesReader(w, r.Body, MaxActionBody), &req); err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			s.writeError(w, r, err)
			return
		}
		s.writeError(w, r, badRequest(err))
		return
	}
	if err := s.take(n, l, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]int{"step": req.Step})
}

// take hands a seat's action to its remote seat (or the mediator's).
func (s *Server) take(n *negotiation, l Lens, req *ActionRequest) error {
	seat := n.seatOf(l)
	if seat == nil {
		return errForbidden
	}
	return seat.submit(req)
}
