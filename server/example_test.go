package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/parley-dev/parley/server"
	"github.com/parley-dev/parley/strategy"
)

// A negotiation between two built-in strategies, created in process and
// read back through the API with its observer token.
func Example() {
	s, err := server.New(server.Config{Negotiator: strategy.Parse})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	id, tokens, err := s.Create(context.Background(), server.CreateRequest{
		Files: map[string]string{"lunch.yaml": `
name: lunch
deadline: 6
issues:
  - {name: place, values: [cafe, park, deli]}
parties:
  - {name: ann, weights: {place: 1}, values: {place: {cafe: 1, park: 0.2, deli: 0.8}}}
  - {name: bob, weights: {place: 1}, values: {place: {cafe: 0.3, park: 1, deli: 0.8}}}
`},
		Seats: []server.Seat{{Kind: "strategy", Spec: "boulware"}, {Kind: "strategy", Spec: "conceder"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/negotiations/"+id+"/events?wait=10", nil)
	req.Header.Set("Authorization", "Bearer "+tokens.Observer)
	for {
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		var got server.Events
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			log.Fatal(err)
		}
		if !got.Complete {
			continue // an in-process run ends at once; wait=10 waits for it
		}
		for _, raw := range got.Events {
			var e server.Event
			json.Unmarshal(raw, &e)
			switch {
			case e.Action != nil:
				fmt.Println(e.Type, e.Action.Party, e.Action.Values)
			case e.Ended != nil:
				fmt.Println("ended:", e.Ended.Reason, e.Ended.Values)
			}
		}
		return
	}
	// Output:
	// offer 0 map[place:cafe]
	// offer 1 map[place:deli]
	// offer 0 map[place:cafe]
	// offer 1 map[place:deli]
	// offer 0 map[place:cafe]
	// offer 1 map[place:deli]
	// offer 0 map[place:cafe]
	// offer 1 map[place:deli]
	// offer 0 map[place:cafe]
	// offer 1 map[place:deli]
	// accept 0 map[place:deli]
	// ended: agreement map[place:deli]
}
