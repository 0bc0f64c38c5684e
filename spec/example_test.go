package spec_test

import (
	"fmt"

	"github.com/parley-dev/parley/spec"
)

// A spec is a name and arguments; a value may be a spec in call form.
func ExampleParse() {
	s, err := spec.Parse(" Boulware : e=0.1 , ac=combi(t=0.98)")
	fmt.Printf("%q %q %v\n", s.Name, s.Args, err)
	fmt.Println(s.With("e", "0.3"))
	ac, _ := s.Get("ac")
	n, _ := spec.Parse(ac)
	fmt.Println(n.Name, n.Args)
	// Output:
	// "boulware" [{"e" "0.1"} {"ac" "combi(t=0.98)"}] <nil>
	// boulware:e=0.3,ac=combi(t=0.98)
	// combi [{t 0.98}]
}

// A registry checks typed parameters, fills defaults and builds values;
// its errors name the spec and the parameter.
func ExampleRegistry() {
	greetings := spec.NewRegistry("greeting", spec.Entry[string]{
		Name: "hello", Doc: "says hello",
		Params: []spec.Param{
			spec.Int("times", 1, 1, 3, "how often"),
			spec.Text("to", "world", "whom"),
		},
		New: func(v spec.Values) (string, error) {
			return fmt.Sprintf("hello %s ×%d", v.Text("to"), v.Int("times")), nil
		},
	})
	for _, text := range []string{"hello", "HELLO:times=3,to=you", "hello:times=4", "hello:x=1", "bye"} {
		if g, err := greetings.Parse(text); err != nil {
			fmt.Println(err)
		} else {
			fmt.Println(g)
		}
	}
	// Output:
	// hello world ×1
	// hello you ×3
	// greeting "hello:times=4": parameter "times": 4 outside [1, 3]
	// greeting "hello:x=1": unknown parameter "x" (want times, to)
	// greeting "bye": unknown greeting "bye" (want hello)
}
