package server

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/analysis"
	"github.com/parley-dev/parley/internal/additive"
	"github.com/parley-dev/parley/scenario"
)

// The utility space of a pair of parties, for the owner's analyst view
// (GET /negotiations/{id}/space and /space/points): the owner's lens
// already shows every profile, and no other lens may read these routes.

const (
	// MaxSpacePoints bounds the outcomes GET /negotiations/{id}/space/points
	// serves one by one: a larger space is served as a sample of
	// SpaceSample outcomes.
	MaxSpacePoints = 1_000_000
	// SpaceSample is the size of the sample of a space above
	// MaxSpacePoints (before duplicates are dropped).
	SpaceSample = 200_000
	// MaxSpaceOutcomes bounds the outcomes named by one request's query
	// parameter outcomes.
	MaxSpaceOutcomes = 1000
	// spaceSeed fixes the sample: the same space gives the same sample.
	spaceSeed = 0x5ba5e
)

// Space is the response of GET /negotiations/{id}/space: the analysis of
// the utility space of parties X and Y (Pair), and what the analyst view
// draws on it.
type Space struct {
	// Pair is the two parties (x, then y).
	Pair [2]int `json:"pair"`
	// Negotiating lists the parties that negotiate (the owner's analysis
	// is over them); their red lines bound every agreement.
	Negotiating []int `json:"negotiating"`
	// Outcomes is the size of the outcome space; Points how many outcomes
	// GET /space/points serves (all, or a sample: Sampled).
	Outcomes int  `json:"outcomes"`
	Points   int  `json:"points"`
	Sampled  bool `json:"sampled"`
	// Method, Frontier, Nash, KalaiSmorodinsky, MaxWelfare and Feasible
	// are package analysis's report over the pair, with every negotiating
	// party's red lines: utility vectors are (x, y).
	Method           analysis.Method  `json:"method,omitempty"`
	Frontier         []analysis.Point `json:"frontier"`
	Nash             *analysis.Point  `json:"nash,omitempty"`
	KalaiSmorodinsky *analysis.Point  `json:"kalai_smorodinsky,omitempty"`
	MaxWelfare       *analysis.Point  `json:"max_welfare,omitempty"`
	Feasible         int              `json:"feasible"`
	// Reservation is the pair's undiscounted reservation values.
	Reservation [2]float64 `json:"reservation"`
	// Error says why there is no analysis (a huge space without
	// linear-additive utilities).
	Error string `json:"error,omitempty"`
	// RedLines are the negotiating parties' red lines: an outcome holding
	// one crosses it.
	RedLines []SpaceRedLine `json:"red_lines"`
	// Profiles are every party's preferences, by party, for the charts.
	Profiles []SpaceProfile `json:"profiles"`
}

// SpaceRedLine is party Party's red line: the issue and value, named as
// in a session's red lines.
type SpaceRedLine struct {
	Party int `json:"party"`
	Value
}

// SpaceProfile is a party's preferences as the analyst view charts them.
// For a linear-additive utility (Additive), U(o) = Bonus + (1-Bonus)·min(1,
// Σ_i Weights[i]·Evaluations[i][o_i]), where Weights[i] is the largest
// contribution of issue i's values and Evaluations[i][k] the contribution of
// value k over that weight (the weight and evaluation of a GENIUS profile,
// whose evaluations peak at 1). Other utilities have no such charts.
type SpaceProfile struct {
	Party       int         `json:"party"`
	Name        string      `json:"name"`
	Reservation float64     `json:"reservation"`
	Additive    bool        `json:"additive"`
	Bonus       float64     `json:"bonus,omitempty"`
	Weights     []float64   `json:"weights,omitempty"`
	Evaluations [][]float64 `json:"evaluations,omitempty"`
}

// admitOwner is admit for the routes only the owner's lens reads, with the
// pair of parties of the query parameters x and y (default 0 and 1).
func (s *Server) admitOwner(r *http.Request) (*negotiation, [2]int, error) {
	n, l, err := s.admit(r)
	if err != nil {
		return nil, [2]int{}, err
	}
	if l.Kind != LensOwner {
		return nil, [2]int{}, errForbidden
	}
	last := int64(len(n.names) - 1)
	x, err := queryInt(r, "x", last)
	if err != nil {
		return nil, [2]int{}, err
	}
	y := int64(1)
	if r.URL.Query().Get("y") != "" {
		if y, err = queryInt(r, "y", last); err != nil {
			return nil, [2]int{}, err
		}
	}
	if x == y || y > last {
		return nil, [2]int{}, badRequest(fmt.Errorf("query x=%d, y=%d: want two different parties in 0..%d", x, y, last))
	}
	return n, [2]int{int(x), int(y)}, nil
}

func (s *Server) space(w http.ResponseWriter, r *http.Request) {
	n, pair, err := s.admitOwner(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	sp, err := n.spaceOf(pair)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sp)
}

// maxSpaces bounds the analyses a negotiation keeps: every ordered pair
// of five parties. A pair beyond them is analysed at each request.
const maxSpaces = 20

// spaceOnce is the analysis of one pair, computed by the first request
// that asks for it while any others wait.
type spaceOnce struct {
	once sync.Once
	sp   *Space
	err  error
}

// spaceOf is the Space of a pair of parties, analysed once per
// negotiation and pair (a large space takes seconds): the profiles and
// the plan it depends on do not change. Callers must not modify it.
func (n *negotiation) spaceOf(pair [2]int) (*Space, error) {
	n.spacesMu.Lock()
	e := n.spaces[pair]
	if e == nil && len(n.spaces) < maxSpaces {
		if n.spaces == nil {
			n.spaces = map[[2]int]*spaceOnce{}
		}
		e = &spaceOnce{}
		n.spaces[pair] = e
	}
	n.spacesMu.Unlock()
	if e == nil {
		return n.analyzeSpace(pair)
	}
	e.once.Do(func() { e.sp, e.err = n.analyzeSpace(pair) })
	return e.sp, e.err
}

// analyzeSpace computes the Space of a pair of parties.
func (n *negotiation) analyzeSpace(pair [2]int) (*Space, error) {
	ready, err := n.prepared()
	if err != nil {
		return nil, err
	}
	space := ready.Space() // a rebuilt scenario has a space of its own
	n.srv.metrics.spaces.Inc()
	size := space.Size()
	sp := &Space{Pair: pair, Negotiating: n.negotiating(), Outcomes: size, Points: size,
		Frontier: []analysis.Point{}, RedLines: []SpaceRedLine{}}
	if size > MaxSpacePoints {
		sp.Points, sp.Sampled = len(n.sample()), true
	}
	var vetoes []parley.ValueRef
	for _, p := range sp.Negotiating {
		for _, v := range ready.Profile(p).Vetoes {
			is := &space.Issues[v.Issue]
			sp.RedLines = append(sp.RedLines, SpaceRedLine{Party: p, Value: Value{Issue: is.Name, Value: is.Value(v.Value)}})
			vetoes = append(vetoes, v)
		}
	}
	for i := range n.names {
		sp.Profiles = append(sp.Profiles, n.chartOf(ready, i))
	}
	profs := make([]*parley.Profile, 2)
	for k, p := range pair {
		profs[k] = ready.Profile(p)
		profs[k].Vetoes = vetoes // every negotiating party's red lines bound the agreements
		sp.Reservation[k] = profs[k].Reservation
	}
	rep, err := analysis.Analyze(space, profs)
	if err != nil {
		sp.Error = err.Error()
		return sp, nil
	}
	sp.Method, sp.Frontier, sp.Feasible = rep.Method, rep.Frontier, rep.Feasible
	sp.Nash, sp.KalaiSmorodinsky = rep.Nash, rep.KalaiSmorodinsky
	if len(rep.Frontier) > 0 {
		mw := rep.MaxWelfare
		sp.MaxWelfare = &mw
	}
	return sp, nil
}

// negotiating returns the parties that negotiate: every party under
// protocol sao, the participants of some stage otherwise.
func (n *negotiation) negotiating() []int {
	var idx []int
	in := map[int]bool{}
	if n.plan != nil {
		for _, st := range n.plan.Stages {
			for _, p := range st.Participants {
				in[p] = true
			}
		}
	}
	for i := range n.names {
		if n.plan == nil || in[i] {
			idx = append(idx, i)
		}
	}
	return idx
}

// chartOf is party i's SpaceProfile.
func (n *negotiation) chartOf(ready *scenario.Prepared, i int) SpaceProfile {
	p := ready.Profile(i)
	c := SpaceProfile{Party: i, Name: n.names[i], Reservation: p.Reservation}
	tab, bonus, ok := additive.Of(ready.Space(), p.Utility)
	if !ok {
		return c
	}
	c.Additive, c.Bonus = true, bonus
	for _, row := range tab {
		w := 0.0
		for _, v := range row {
			w = max(w, v)
		}
		vals := make([]float64, len(row))
		for k, v := range row {
			if w > 0 {
				vals[k] = v / w
			}
		}
		c.Weights, c.Evaluations = append(c.Weights, w), append(c.Evaluations, vals)
	}
	return c
}

// sample returns the sorted outcomes of the sample of a space above
// MaxSpacePoints: SpaceSample draws, uniform and seeded, without
// duplicates.
func (n *negotiation) sample() []int {
	n.sampleOnce.Do(func() {
		rnd := rand.New(rand.NewPCG(spaceSeed, uint64(n.space.Size())))
		s := make([]int, SpaceSample)
		for i := range s {
			s[i] = rnd.IntN(n.space.Size())
		}
		slices.Sort(s)
		n.sampled = slices.Compact(s)
	})
	return n.sampled
}

// points serves the pair's utilities of the outcomes, as little-endian
// float32: every x, then every y, and, for a sample, the outcomes sampled
// as float64. With the query parameter outcomes (comma-separated, at most
// MaxSpaceOutcomes) it serves those outcomes' utilities alone, in order.
func (s *Server) points(w http.ResponseWriter, r *http.Request) {
	n, pair, err := s.admitOwner(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var outs []int
	sampled := false
	if q := r.URL.Query().Get("outcomes"); q != "" {
		if outs, err = n.parseOutcomes(q); err != nil {
			s.writeError(w, r, err)
			return
		}
	} else if n.space.Size() > MaxSpacePoints {
		outs, sampled = n.sample(), true
	}
	size := len(outs)
	if outs == nil {
		size = n.space.Size()
	}
	ready, err := n.prepared()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ux, uy := ready.Utility(pair[0]), ready.Utility(pair[1])
	width := 8
	if sampled {
		width = 16
	}
	buf := make([]byte, width*size)
	for i := range size {
		o := i
		if outs != nil {
			o = outs[i]
		}
		binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(float32(ux.Utility(parley.Outcome(o)))))
		binary.LittleEndian.PutUint32(buf[4*(size+i):], math.Float32bits(float32(uy.Utility(parley.Outcome(o)))))
		if sampled {
			binary.LittleEndian.PutUint64(buf[8*(size+i):], math.Float64bits(float64(o)))
		}
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(buf)))
	w.Write(buf)
}

// parseOutcomes reads the query parameter outcomes.
func (n *negotiation) parseOutcomes(q string) ([]int, error) {
	parts := strings.Split(q, ",")
	if len(parts) > MaxSpaceOutcomes {
		return nil, badRequest(fmt.Errorf("query outcomes: %d outcomes, at most %d", len(parts), MaxSpaceOutcomes))
	}
	outs := make([]int, len(parts))
	for i, p := range parts {
		o, err := strconv.Atoi(p)
		if err != nil || !n.space.Valid(parley.Outcome(o)) {
			return nil, badRequest(fmt.Errorf("query outcomes: item %d (%q): want an outcome in 0..%d", i+1, p, n.space.Size()-1))
		}
		outs[i] = o
	}
	return outs, nil
}
