package server_test

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/parley-dev/parley/server"
)

// getBytes does a GET with a token and returns the status and body.
func getBytes(t *testing.T, srv testServer, path, token string) (int, []byte) {
	t.Helper()
	resp, b := do(t, "GET", srv.hs.URL+path, http.Header{"Authorization": {"Bearer " + token}}, nil)
	return resp.StatusCode, b
}

// float32s decodes n little-endian float32 from b at offset off.
func float32s(b []byte, off, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[off+4*i:])))
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

// TestSpace checks the owner's utility space of lunch against hand
// computation: outcome o is place o/2 (cafe, park, deli) at time o%2
// (12:00, 13:00); ann vetoes park.
//
//	o      0     1     2     3     4     5
//	ann  1.000 0.667 0.600 0.267 0.800 0.467
//	bob  0.150 0.550 0.600 1.000 0.400 0.800
//
// Without 2 and 3 (ann's red line) every outcome is Pareto-optimal; with
// reservations 0.3 and 0.2, Nash maximises the product of gains at 1
// (0.367·0.35), Kalai–Smorodinsky the smallest normalised gain at 1
// (ideal 0.8, 0.8: min(0.733, 0.583)), and the welfare peaks at 5 (1.267).
func TestSpace(t *testing.T) {
	srv := start(t, server.Config{Negotiator: resolve})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)},
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "boulware"}}})
	var sp server.Space
	if st := call(t, srv.hs, "GET", "/negotiations/"+cr.ID+"/space", cr.Tokens.Owner, nil, &sp); st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	ann := []float64{1, 2.0 / 3, 0.6, 0.8 / 3, 0.8, 1.4 / 3}
	bob := []float64{0.15, 0.55, 0.6, 1, 0.4, 0.8}
	var front []string
	for _, p := range sp.Frontier {
		front = append(front, fmt.Sprintf("%d:%.3f,%.3f", p.Outcome, p.U[0], p.U[1]))
	}
	if got, want := strings.Join(front, " "), "0:1.000,0.150 4:0.800,0.400 1:0.667,0.550 5:0.467,0.800"; got != want {
		t.Errorf("frontier %s, want %s", got, want)
	}
	if sp.Nash == nil || sp.Nash.Outcome != 1 || sp.KalaiSmorodinsky == nil || sp.KalaiSmorodinsky.Outcome != 1 || sp.MaxWelfare == nil || sp.MaxWelfare.Outcome != 5 {
		t.Errorf("Nash %v, KS %v, max welfare %v: want outcomes 1, 1, 5", sp.Nash, sp.KalaiSmorodinsky, sp.MaxWelfare)
	}
	if sp.Pair != [2]int{0, 1} || sp.Outcomes != 6 || sp.Points != 6 || sp.Sampled || sp.Feasible != 4 || sp.Reservation != [2]float64{0.3, 0.2} {
		t.Errorf("pair %v, outcomes %d, points %d, sampled %v, feasible %d, reservation %v", sp.Pair, sp.Outcomes, sp.Points, sp.Sampled, sp.Feasible, sp.Reservation)
	}
	if len(sp.RedLines) != 1 || sp.RedLines[0] != (server.SpaceRedLine{Party: 0, Value: server.Value{Issue: "place", Value: "park"}}) {
		t.Errorf("red lines %v, want ann's park", sp.RedLines)
	}
	if !slices.Equal(sp.Negotiating, []int{0, 1}) {
		t.Errorf("negotiating %v", sp.Negotiating)
	}
	if len(sp.Profiles) != 2 {
		t.Fatalf("%d profiles", len(sp.Profiles))
	}
	a, b := sp.Profiles[0], sp.Profiles[1]
	if !a.Additive || a.Name != "ann" || !near(a.Weights[0], 2.0/3) || !near(a.Weights[1], 1.0/3) ||
		!near(a.Evaluations[0][1], 0.4) || !near(a.Evaluations[0][2], 0.7) || !near(a.Evaluations[1][1], 0) {
		t.Errorf("ann's charts %+v", a)
	}
	if !b.Additive || !near(b.Weights[0], 0.5) || !near(b.Evaluations[1][0], 0.2) || b.Reservation != 0.2 {
		t.Errorf("bob's charts %+v", b)
	}

	// The points: every x, then every y.
	st, body := getBytes(t, srv, "/negotiations/"+cr.ID+"/space/points", cr.Tokens.Owner)
	if st != http.StatusOK || len(body) != 6*8 {
		t.Fatalf("points: status %d, %d bytes", st, len(body))
	}
	xs, ys := float32s(body, 0, 6), float32s(body, 24, 6)
	for o := range 6 {
		if !near(xs[o], ann[o]) || !near(ys[o], bob[o]) {
			t.Errorf("outcome %d: (%v, %v), want (%v, %v)", o, xs[o], ys[o], ann[o], bob[o])
		}
	}
	// Swapped axes, and named outcomes.
	st, body = getBytes(t, srv, "/negotiations/"+cr.ID+"/space/points?x=1&y=0&outcomes=5,3,5", cr.Tokens.Owner)
	if st != http.StatusOK || len(body) != 3*8 {
		t.Fatalf("points of 5,3,5: status %d, %d bytes", st, len(body))
	}
	if xs, ys := float32s(body, 0, 3), float32s(body, 12, 3); !near(xs[0], 0.8) || !near(xs[1], 1) || !near(ys[1], 0.8/3) || !near(ys[2], 1.4/3) {
		t.Errorf("points of 5,3,5 with x=bob: %v, %v", xs, ys)
	}

	for _, tc := range []struct {
		path, token string
		status      int
	}{
		{"/space", cr.Tokens.Observer, http.StatusForbidden},
		{"/space/points", cr.Tokens.Observer, http.StatusForbidden},
		{"/space", "", http.StatusUnauthorized},
		{"/space?x=1&y=1", cr.Tokens.Owner, http.StatusBadRequest},
		{"/space?x=2", cr.Tokens.Owner, http.StatusBadRequest},
		{"/space?y=-1", cr.Tokens.Owner, http.StatusBadRequest},
		{"/space/points?outcomes=6", cr.Tokens.Owner, http.StatusBadRequest},
		{"/space/points?outcomes=1,,2", cr.Tokens.Owner, http.StatusBadRequest},
		{"/space/points?outcomes=" + strings.Repeat("1,", server.MaxSpaceOutcomes) + "1", cr.Tokens.Owner, http.StatusBadRequest},
	} {
		var e apiErr
		if st := call(t, srv.hs, "GET", "/negotiations/"+cr.ID+tc.path, tc.token, nil, &e); st != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, st, tc.status)
		} else if tc.status == http.StatusBadRequest && !strings.Contains(e.Error, "query") {
			t.Errorf("%s: error %q does not name the query parameter", tc.path, e.Error)
		}
	}
}

// TestSpaceSampled: a space above MaxSpacePoints is served as a sorted
// sample without duplicates, each with its utilities, and the analysis
// still comes from the additive utilities.
func TestSpaceSampled(t *testing.T) {
	const issues, values = 7, 8 // testdata/big.yaml: 8^7 = 2,097,152 outcomes
	srv := start(t, server.Config{Negotiator: resolve})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"big.yaml": testdata(t, "big.yaml")},
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "boulware"}}})
	var sp server.Space
	if st := call(t, srv.hs, "GET", "/negotiations/"+cr.ID+"/space", cr.Tokens.Owner, nil, &sp); st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	if !sp.Sampled || sp.Outcomes != 1<<21 || sp.Points < server.SpaceSample*9/10 || sp.Points > server.SpaceSample {
		t.Fatalf("sampled %v, outcomes %d, points %d", sp.Sampled, sp.Outcomes, sp.Points)
	}
	if sp.Method != "minkowski" || len(sp.Frontier) == 0 || sp.Nash == nil {
		t.Errorf("analysis: method %q, %d frontier points, Nash %v (error %q)", sp.Method, len(sp.Frontier), sp.Nash, sp.Error)
	}
	st, body := getBytes(t, srv, "/negotiations/"+cr.ID+"/space/points", cr.Tokens.Owner)
	n := sp.Points
	if st != http.StatusOK || len(body) != 16*n {
		t.Fatalf("points: status %d, %d bytes for %d points", st, len(body), n)
	}
	xs, ys := float32s(body, 0, n), float32s(body, 4*n, n)
	prev := -1.0
	for i := range n {
		o := math.Float64frombits(binary.LittleEndian.Uint64(body[8*n+8*i:]))
		if o <= prev || o >= 1<<21 || o != math.Trunc(o) {
			t.Fatalf("sample %d: outcome %v after %v", i, o, prev)
		}
		prev = o
		// a's utility is the mean of its value indices over 7; b's is 1 minus it.
		sum, x := 0, int(o)
		for range issues {
			sum, x = sum+x%values, x/values
		}
		want := float64(sum) / (issues * (values - 1))
		if !near(xs[i], want) || !near(ys[i], 1-want) {
			t.Fatalf("outcome %v: (%v, %v), want (%v, %v)", o, xs[i], ys[i], want, 1-want)
		}
	}
}

// TestSpaceRedLinesOfOthers: in talks (lunch with the mediator med, who
// does not negotiate), the space of bob against med leaves out the
// outcomes that cross ann's red line (park): the frontier is outcome 5
// alone (bob 0.8, med 0.75), where park at 13:00 (bob 1, med 0.5) would
// join it without ann's red line.
func TestSpaceRedLinesOfOthers(t *testing.T) {
	srv := start(t, server.Config{Negotiator: resolve, Voter: resolveVoter, Mediator: resolveMediator})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"talks.yaml": testdata(t, "talks.yaml")}, Protocol: "staged",
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "boulware"}}})
	var sp server.Space
	if st := call(t, srv.hs, "GET", "/negotiations/"+cr.ID+"/space?x=1&y=2", cr.Tokens.Owner, nil, &sp); st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	if !slices.Equal(sp.Negotiating, []int{0, 1}) || sp.Feasible != 4 || len(sp.Frontier) != 1 || sp.Frontier[0].Outcome != 5 ||
		!near(sp.Frontier[0].U[0], 0.8) || !near(sp.Frontier[0].U[1], 0.75) || sp.Reservation != [2]float64{0.2, 0.1} {
		t.Errorf("negotiating %v, feasible %d, frontier %v, reservation %v", sp.Negotiating, sp.Feasible, sp.Frontier, sp.Reservation)
	}
}

// TestSpaceOnce: a negotiation's space is analysed once per pair, however
// many requests ask for it and however they interleave (the server's
// parley_space_analyses_total counts the analyses); the answers are the
// same, a new pair is analysed once more, and the points need no
// analysis.
func TestSpaceOnce(t *testing.T) {
	srv := start(t, server.Config{Negotiator: resolve})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)},
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "boulware"}}})
	analyses := func() string {
		t.Helper()
		st, b := getBytes(t, srv, "/metrics", "")
		if st != http.StatusOK {
			t.Fatalf("metrics: status %d", st)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if n, ok := strings.CutPrefix(line, "parley_space_analyses_total "); ok {
				return n
			}
		}
		t.Fatalf("metrics lack parley_space_analyses_total:\n%s", b)
		return ""
	}
	if got := analyses(); got != "0" {
		t.Errorf("%s analyses before any request, want 0", got)
	}
	path := "/negotiations/" + cr.ID + "/space"
	bodies := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range bodies {
		wg.Go(func() {
			req, err := http.NewRequest("GET", srv.hs.URL+path, nil)
			if err != nil {
				t.Error(err)
				return
			}
			req.Header.Set("Authorization", "Bearer "+cr.Tokens.Owner)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Errorf("request %d: %v", i, err)
				return
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("request %d: status %d", i, resp.StatusCode)
			}
			bodies[i], _ = io.ReadAll(resp.Body)
		})
	}
	wg.Wait()
	for i, b := range bodies[1:] {
		if string(b) != string(bodies[0]) {
			t.Errorf("answer %d differs from the first:\n%s\n%s", i+1, b, bodies[0])
		}
	}
	if got := analyses(); got != "1" {
		t.Errorf("%s analyses after %d requests for one pair, want 1", got, len(bodies))
	}
	for range 2 {
		if st, _ := getBytes(t, srv, path+"?x=1&y=0", cr.Tokens.Owner); st != http.StatusOK {
			t.Fatalf("pair (1, 0): status %d", st)
		}
		if st, _ := getBytes(t, srv, path+"/points", cr.Tokens.Owner); st != http.StatusOK {
			t.Fatalf("points: status %d", st)
		}
	}
	if got := analyses(); got != "2" {
		t.Errorf("%s analyses after asking for a second pair twice, want 2", got)
	}
}
