package gwseat_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/sao"
	"github.com/parley-dev/parley/server/gwseat"
	"github.com/parley-dev/parley/strategy"
)

// A GeniusWeb party (here the package's test double, listening on
// loopback) negotiates as the buyer against Parley's boulware. The seat
// serves the party its profile, drives it by Settings, YourTurn and
// ActionDone, and tells it the agreement in Finished.
func ExampleNew() {
	double := newParty(2, "", http.DefaultClient)
	srv := httptest.NewServer(double)
	defer srv.Close()

	seat, err := gwseat.New("ws"+strings.TrimPrefix(srv.URL, "http")+"/party", gwseat.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	space, profiles, err := buyerSeller()
	if err != nil {
		fmt.Println(err)
		return
	}
	opponent, err := strategy.Parse("boulware")
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := sao.New(profiles, []string{"buyer", "seller"}, sao.Options{Deadline: 20})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := m.Run(context.Background(), []parley.Negotiator{seat, opponent()}, 7)
	if err != nil {
		fmt.Println(err)
		return
	}
	informs, _, _ := double.summary()
	fmt.Println(res.Reason, space.Format(res.Agreement), "after", res.Steps, "turns")
	fmt.Println(strings.Join(informs[:5], "\n"))
	// Output:
	// agreement color=red, price=14, warranty=0 after 30 turns
	// Settings
	// YourTurn
	// ActionDone Offer buyer
	// ActionDone Offer seller
	// YourTurn
}
