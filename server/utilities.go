package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/parley-dev/parley"
)

// MaxUtilityOutcomes bounds the outcomes of one GET
// /negotiations/{id}/utilities request.
const MaxUtilityOutcomes = 1000

// Utilities is the answer of GET /negotiations/{id}/utilities, for the
// owner only: every party's utility of the outcomes asked for (by outcome
// asked, then by party), and every party's reservation value at the
// start, as the scenario gives them.
type Utilities struct {
	Parties      []string    `json:"parties"`
	Reservations []float64   `json:"reservations"`
	Outcomes     []int       `json:"outcomes"`
	Utilities    [][]float64 `json:"utilities"`
}

// utilities answers GET /negotiations/{id}/utilities?outcomes=O1,O2,...
func (s *Server) utilities(w http.ResponseWriter, r *http.Request) {
	n, l, err := s.admit(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if l.Kind != LensOwner {
		s.writeError(w, r, errForbidden)
		return
	}
	os, err := parseOutcomes(r.URL.Query().Get("outcomes"), n.space)
	if err != nil {
		s.writeError(w, r, badRequest(err))
		return
	}
	out := Utilities{Parties: n.names, Outcomes: os, Utilities: make([][]float64, len(os))}
	profs := n.ready.Profiles()
	for _, p := range profs {
		out.Reservations = append(out.Reservations, p.Reservation)
	}
	for k, o := range os {
		out.Utilities[k] = make([]float64, len(profs))
		for i, p := range profs {
			out.Utilities[k][i] = p.Utility.Utility(parley.Outcome(o))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// parseOutcomes reads the query parameter outcomes: outcome indices
// separated by commas, each in the space, at most MaxUtilityOutcomes.
func parseOutcomes(q string, space *parley.OutcomeSpace) ([]int, error) {
	if q == "" {
		return nil, errors.New("query outcomes: want outcome indices separated by commas")
	}
	parts := strings.Split(q, ",")
	if len(parts) > MaxUtilityOutcomes {
		return nil, fmt.Errorf("query outcomes: %d outcomes, at most %d", len(parts), MaxUtilityOutcomes)
	}
	os := make([]int, len(parts))
	for k, p := range parts {
		o, err := strconv.Atoi(p)
		if err != nil || !space.Valid(parley.Outcome(o)) {
			return nil, fmt.Errorf("query outcomes: item %d (%q): want an outcome index in 0..%d", k+1, p, space.Size()-1)
		}
		os[k] = o
	}
	return os, nil
}
