package tracefile_test

import (
	"bytes"
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/parleytest"
	"github.com/parley-dev/parley/tracefile"
)

// A trace file: the header, one line per action, the result; Read gives
// them back.
func ExampleWriter() {
	space, _ := parleytest.TwoIssue()
	setup := &tracefile.Setup{Scenario: "two-issue", Protocol: tracefile.ProtocolSAO, Parties: []string{"buyer", "seller"},
		Agents: map[string]string{"buyer": "mine", "seller": "boulware"}, Seed: 1, Deadline: 10, Timing: "steps"}
	var b bytes.Buffer
	w := tracefile.NewWriter(&b, space, setup)
	w.Event(tracefile.Entry{Stage: -1, Event: parley.Event{Party: 0, Action: parley.Offer, Outcome: 1}})
	w.Event(tracefile.Entry{Stage: -1, Event: parley.Event{Step: 1, Time: 0.05, Party: 1, Action: parley.Accept, Outcome: 1}})
	if err := w.Result(&tracefile.Run{Schema: tracefile.SchemaRun, Setup: *setup, Reason: "agreement", Rounds: 1, Steps: 2, Time: 0.05}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(b.String()[:bytes.IndexByte(b.Bytes(), '\n')+1])
	h, events, run, err := tracefile.Read(&b)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(h.Issues, len(events), events[1].Party, events[1].Action, events[1].Outcome, run.Reason)
	// Output:
	// {"schema":"parley.trace/3","type":"header","scenario":"two-issue","protocol":"sao","parties":["buyer","seller"],"agents":{"buyer":"mine","seller":"boulware"},"seed":1,"deadline":10,"timing":"steps","issues":["price","delivery"]}
	// [price delivery] 2 seller accept map[delivery:fast price:low] agreement
}
