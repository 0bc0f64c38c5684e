package experiment_test

import (
	"fmt"

	"github.com/parley-dev/parley/catalog"
	"github.com/parley-dev/parley/experiment"
)

// A sweep's grid: every combination of the --set values, the last
// parameter varying fastest.
func ExampleGrid() {
	s, err := catalog.Builtin("ceasefire")
	if err != nil {
		fmt.Println(err)
		return
	}
	var params []experiment.Param
	for _, spec := range []string{"US.bias=0,0.5", "UA.drift=-0.2:0:0.1"} {
		p, err := experiment.ParseParam(s, spec)
		if err != nil {
			fmt.Println(err)
			return
		}
		params = append(params, p)
	}
	cells, _ := experiment.Grid(params)
	for _, c := range cells {
		fmt.Println(c.Name())
	}
	_, err = experiment.ParseParam(s, "EU.reservation=0.4")
	fmt.Println(err)
	// Output:
	// US.bias=0 UA.reservation_drift=-0.2
	// US.bias=0 UA.reservation_drift=-0.1
	// US.bias=0 UA.reservation_drift=0
	// US.bias=0.5 UA.reservation_drift=-0.2
	// US.bias=0.5 UA.reservation_drift=-0.1
	// US.bias=0.5 UA.reservation_drift=0
	// bad sweep parameter "EU.reservation=0.4": no party called "EU" (have RU, UA, US)
}
