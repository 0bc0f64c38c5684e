package chart_test

import (
	"bytes"
	"fmt"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/chart"
	"github.com/parley-dev/parley/parleytest"
)

// Example draws a short negotiation of parleytest.TwoIssue as SVG: the
// buyer offers outcome 1, the seller 4, and they agree on 3.
func Example() {
	_, profiles := parleytest.TwoIssue()
	n := &chart.Negotiation{
		Title:     "two-issue",
		Parties:   []string{"buyer", "seller"},
		Profiles:  profiles,
		Moves:     []chart.Move{{Party: 0, Outcome: 1}, {Party: 1, Outcome: 4}, {Party: 0, Outcome: 3}},
		Agreement: parley.Outcome(3),
	}
	format, err := chart.FormatOf("run.svg")
	if err != nil {
		fmt.Println(err)
		return
	}
	var b bytes.Buffer
	if err := chart.Write(&b, format, n); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(format, bytes.Contains(b.Bytes(), []byte("<svg ")))
	_, err = chart.FormatOf("run.jpg")
	fmt.Println(err)
	// Output:
	// svg true
	// chart: "run.jpg": want a .png, .svg or .pdf file
}
