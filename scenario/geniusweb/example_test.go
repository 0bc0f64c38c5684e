package geniusweb_test

import (
	"fmt"
	"log"

	"github.com/parley-dev/parley/scenario/geniusweb"
)

func ExampleReadDir() {
	s, err := geniusweb.ReadDir("testdata/jobs") // domain and specials files are skipped
	if err != nil {
		log.Fatal(err)
	}
	o, err := s.Space.Parse(map[string]string{"lease car": "yes", "salary": "3000", "fte": "0.8", "hours": "38"})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range s.Parties {
		fmt.Printf("%s: U = %.4f, reservation %.2f\n", p.Name, p.Profile.Utility.Utility(o), p.Profile.Reservation)
	}
	// Output:
	// profileA: U = 0.6000, reservation 0.00
	// profileB: U = 0.5500, reservation 0.28
}
