package genius_test

import (
	"fmt"
	"log"

	"github.com/parley-dev/parley/scenario/genius"
)

func ExampleReadDir() {
	s, err := genius.ReadDir("testdata/small")
	if err != nil {
		log.Fatal(err)
	}
	o, err := s.Space.Parse(map[string]string{"Color": "red", "Size": "S"})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range s.Parties {
		fmt.Printf("%s: U(%s) = %.4f, reservation %v, discount %v\n",
			p.Name, s.Space.Format(o), p.Profile.Utility.Utility(o), p.Profile.Reservation, p.Profile.Discount)
	}
	// Output:
	// a: U(Color=red, Size=S) = 0.6607, reservation 0, discount 1
	// b: U(Color=red, Size=S) = 0.6000, reservation 0.25, discount 0.9
}
