package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/parley-dev/parley/server"
)

// TestUtilities: the owner's token gets every party's utility of the
// outcomes it asks for, and every party's reservation value, as the
// parties' own sessions give them; no other token does, and bad queries
// are refused naming the item.
func TestUtilities(t *testing.T) {
	srv := start(t, server.Config{})
	cr := create(t, srv.hs, server.CreateRequest{Files: map[string]string{"lunch.yaml": lunch(t)},
		Seats: []server.Seat{{Kind: "remote"}, {Kind: "remote"}}})
	path := "/negotiations/" + cr.ID + "/utilities?outcomes="
	var u server.Utilities
	if st := call(t, srv.hs, "GET", path+"0,3,0", cr.Tokens.Owner, nil, &u); st != http.StatusOK {
		t.Fatalf("owner: %d", st)
	}
	// The parties' own sessions hold the same utilities.
	owner := events(t, srv.hs, cr.ID, cr.Tokens.Owner, 0, 0)
	for _, raw := range owner.Events {
		e := decode(t, raw)
		if e.Session == nil {
			continue
		}
		p := e.Session.Party
		for k, o := range u.Outcomes {
			if u.Utilities[k][p] != e.Session.Utilities[o] {
				t.Errorf("party %d, outcome %d: %v, its session says %v", p, o, u.Utilities[k][p], e.Session.Utilities[o])
			}
		}
		if u.Reservations[p] != e.Session.Reservation {
			t.Errorf("party %d: reservation %v, its session says %v", p, u.Reservations[p], e.Session.Reservation)
		}
	}
	if len(u.Outcomes) != 3 || len(u.Utilities) != 3 || len(u.Parties) != 2 || u.Parties[0] != "ann" {
		t.Errorf("answer %+v", u)
	}
	for _, tc := range []struct {
		who, tok, q string
		want        int
		msg         string
	}{
		{"observer", cr.Tokens.Observer, "0", http.StatusForbidden, ""},
		{"seat", cr.Tokens.Seats[0], "0", http.StatusForbidden, ""},
		{"none", "", "0", http.StatusUnauthorized, ""},
		{"empty", cr.Tokens.Owner, "", http.StatusBadRequest, "query outcomes"},
		{"outside", cr.Tokens.Owner, "0,6", http.StatusBadRequest, `item 2 ("6")`},
		{"not a number", cr.Tokens.Owner, "x", http.StatusBadRequest, `item 1 ("x")`},
		{"too many", cr.Tokens.Owner, "0" + strings.Repeat(",0", server.MaxUtilityOutcomes), http.StatusBadRequest, "at most"},
	} {
		var e apiErr
		if st := call(t, srv.hs, "GET", path+tc.q, tc.tok, nil, &e); st != tc.want || !strings.Contains(e.Error, tc.msg) {
			t.Errorf("%s: %d %q, want %d with %q", tc.who, st, e.Error, tc.want, tc.msg)
		}
	}
}
