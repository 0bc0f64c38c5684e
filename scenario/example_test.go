package scenario_test

import (
	"fmt"
	"log"
	"os"

	"github.com/parley-dev/parley/scenario"
	"github.com/parley-dev/parley/ufun"
)

func ExampleParse() {
	src := `
name: lunch
issues:
  - name: place
    values: [cafe, park]
  - name: minutes
    type: integer
    min: 30
    max: 60
parties:
  - name: ann
    reservation: 0.4
    weights: {place: 1, minutes: 1}     # relative: read as 0.5 and 0.5
    values:
      place: {cafe: 1, park: 0.2}
    linear:
      minutes: {at_min: 0, at_max: 1}
  - name: bob
    weights: {place: 3, minutes: 1}
    values:
      place: {cafe: 0, park: 1}
    linear:
      minutes: {at_min: 1, at_max: 0}
references:
  quick_park: {place: park, minutes: 36}
`
	s, err := scenario.Parse("lunch.yaml", []byte(src), "yaml")
	if err != nil {
		log.Fatal(err)
	}
	ref := s.References[0]
	fmt.Println(s.Name, s.Space.Size(), "outcomes")
	for _, p := range s.Parties {
		fmt.Printf("%s: %s %.2f (reservation %.1f)\n", p.Name, ref.Name, p.Profile.Utility.Utility(ref.Outcome), p.Profile.Reservation)
	}
	// Output:
	// lunch 62 outcomes
	// ann: quick_park 0.20 (reservation 0.4)
	// bob: quick_park 0.95 (reservation 0.0)
}

func ExampleParse_error() {
	src := `
issues:
  - name: place
    values: [cafe, park]
parties:
  - name: ann
    weights: {place: 1, time: 1}
  - name: bob
    weights: {place: 1}
`
	_, err := scenario.Parse("lunch.yaml", []byte(src), "yaml")
	fmt.Println(err)
	// Output:
	// scenario: lunch.yaml:7:25: parties[0].weights.time: party "ann": weight for unknown issue "time"
	//    4 |     values: [cafe, park]
	//    5 | parties:
	//    6 |   - name: ann
	// >  7 |     weights: {place: 1, time: 1}
	//                                ^
	//    8 |   - name: bob
	//    9 |     weights: {place: 1}
}

func ExampleWriteYAML() {
	s, err := scenario.Parse("deal.json", []byte(`{
  "issues": [{"name": "price", "type": "real", "min": 0, "max": 10, "steps": 3}],
  "parties": [
    {"name": "buyer", "weights": {"price": 1}, "linear": {"price": {"at_min": 1, "at_max": 0}}},
    {"name": "seller", "discount": 0.9, "weights": {"price": 1}, "values": {"price": {"0": 0, "5": 0.8, "10": 1}}}
  ]
}`), "json")
	if err != nil {
		log.Fatal(err)
	}
	if err := scenario.WriteYAML(os.Stdout, s); err != nil {
		log.Fatal(err)
	}
	// Output:
	// name: deal
	// issues:
	//   - name: price
	//     type: real
	//     min: 0
	//     max: 10
	//     steps: 3
	// parties:
	//   - name: buyer
	//     role: negotiator
	//     reservation: 0
	//     discount: 1
	//     weights:
	//       price: 1
	//     linear:
	//       price: {at_min: 1, at_max: 0}
	//   - name: seller
	//     role: negotiator
	//     reservation: 0
	//     discount: 0.9
	//     weights:
	//       price: 1
	//     values:
	//       price: {"0": 0, "5": 0.8, "10": 1}
}

// A scenario's protocol: the stages of a variant, with its overrides.
func ExampleProtocol_Resolve() {
	s, err := scenario.Read("../catalog/scenarios/ceasefire.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range []string{"", "mediated_then_bilateral"} {
		stages, err := s.Protocol.Resolve(v)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%q:", v)
		for _, st := range stages {
			fmt.Printf(" %s (%s, %v, %d rounds)", st.Name, st.Mechanism, st.Participants, st.Rounds)
		}
		fmt.Println()
	}
	// Output:
	// "": bilateral (alternating_offers, [RU UA], 40 rounds) mediated (mediated, [RU UA], 80 rounds)
	// "mediated_then_bilateral": mediated (mediated, [RU UA], 40 rounds) bilateral (alternating_offers, [RU UA], 80 rounds)
}

// A scenario is prepared once: the Prepared holds utility tables (with
// their sorted indices) that every run shares, and the scenario is left as
// it was read.
func ExampleScenario_Prepare() {
	src := `
name: split
issues:
  - name: share
    type: integer
    min: 0
    max: 4
parties:
  - name: ann
    weights: {share: 1}
    linear:
      share: {at_min: 0, at_max: 1}
  - name: bob
    reservation: 0.25
    weights: {share: 1}
    linear:
      share: {at_min: 1, at_max: 0}
`
	s, err := scenario.Parse("split.yaml", []byte(src), "yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	ready, err := s.Prepare()
	if err != nil {
		fmt.Println(err)
		return
	}
	bob := ready.Profile(1)
	best := bob.Utility.(*ufun.Table).Index().Best()
	fmt.Println(ready.Names(), bob.Reservation, s.Space.Format(best))
	fmt.Printf("scenario's own utility: %T\n", s.Parties[1].Profile.Utility)
	// Output:
	// [ann bob] 0.25 share=0
	// scenario's own utility: *ufun.LinearAdditive
}
