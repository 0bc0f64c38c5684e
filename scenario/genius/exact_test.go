package genius

import (
	"fmt"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/ufun"
)

// fiveIssues is a domain of five two-valued issues and a profile with the
// given weights in which "good" scores 1 and "bad" 0.
func fiveIssues(t *testing.T, weights []string) (*Domain, *parley.Profile) {
	t.Helper()
	var dom, prof strings.Builder
	dom.WriteString(`<negotiation_template><utility_space><objective index="0" name="five">`)
	prof.WriteString(`<utility_space><objective index="0" name="five">`)
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(&dom, `<issue index="%d" name="i%d"><item value="good"/><item value="bad"/></issue>`, i, i)
		fmt.Fprintf(&prof, `<issue index="%d" name="i%d"><item value="good" evaluation="1"/><item value="bad" evaluation="0"/></issue>`, i, i)
		fmt.Fprintf(&prof, `<weight index="%d" value="%s"/>`, i, weights[i-1])
	}
	dom.WriteString(`</objective></utility_space></negotiation_template>`)
	prof.WriteString(`</objective></utility_space>`)
	d, err := ParseDomain("five.xml", []byte(dom.String()))
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := ParseProfile("p.xml", []byte(prof.String()), d)
	if err != nil {
		t.Fatal(err)
	}
	return d, p
}

// GENIUS 9 keeps the weights of a profile file as written and clamps a sum
// above 1 to 1 (AdditiveUtilitySpace.getUtility). These five weights add up
// to 1.0000000000000002 in floating point, issue by issue.
func TestWeightsAsWrittenAndClamped(t *testing.T) {
	ws := []string{"0.34794520547945207", "0.07442922374429224", "0.19497716894977168", "0.26438356164383564", "0.1182648401826484"}
	d, p := fiveIssues(t, ws)
	la := p.Utility.(*ufun.LinearAdditive)
	want := []float64{0.34794520547945207, 0.07442922374429224, 0.19497716894977168, 0.26438356164383564, 0.1182648401826484}
	sum := 0.0
	for i, w := range la.Weights() {
		if w != want[i] {
			t.Errorf("weight %d = %v, want %v as written", i+1, w, want[i])
		}
		sum += w
	}
	if sum != 1.0000000000000002 {
		t.Fatalf("test weights sum to %v, want 1.0000000000000002", sum)
	}
	best, _ := d.Space.Encode([]int{0, 0, 0, 0, 0})
	if u := p.Utility.Utility(best); u != 1 {
		t.Errorf("best outcome: %v, want 1 (clamped)", u)
	}
	// Without issue 5 the sum stays below 1 and is exact, in issue order.
	o, _ := d.Space.Encode([]int{0, 0, 0, 0, 1})
	if u, want := p.Utility.Utility(o), ((want[0]+want[1])+want[2])+want[3]; u != want {
		t.Errorf("utility %v, want %v", u, want)
	}
}

// Weights are used as written whatever they sum to: the best outcome
// scores their sum when it is below 1, and a sum above 1 is capped at 1
// (GENIUS never normalises the weights of a profile file).
func TestWeightsNearOne(t *testing.T) {
	d, p := fiveIssues(t, []string{"0.2", "0.2", "0.2", "0.2", "0.1999999"})
	best, _ := d.Space.Encode([]int{0, 0, 0, 0, 0})
	if u := p.Utility.Utility(best); u == 1 || u < 0.9999999-1e-15 || u > 0.9999999+1e-15 {
		t.Errorf("best outcome: %v, want 0.9999999 (weights as written)", u)
	}
	_, p = fiveIssues(t, []string{"2", "2", "2", "2", "2"})
	if u := p.Utility.Utility(best); u != 1 {
		t.Errorf("weights 2 each: best outcome %v, want 1 (capped)", u)
	}
	one, _ := d.Space.Encode([]int{0, 1, 1, 1, 1})
	if u := p.Utility.Utility(one); u != 1 {
		t.Errorf("weights 2 each: one good issue scores %v, want 1 (2, capped; not 0.2)", u)
	}
}

// GENIUS orders issues in preorder of the objective tree with each
// objective's sub-objectives before its own issues
// (DomainImpl.buildTreeRecursive): here b, c, then a.
func TestNestedIssueOrder(t *testing.T) {
	d, err := ParseDomain("nested.xml", []byte(`<negotiation_template><utility_space>
<objective index="0" name="root">
  <issue index="1" name="a"><item value="x"/><item value="y"/></issue>
  <objective index="2" name="sub">
    <issue index="3" name="b"><item value="x"/></issue>
    <objective index="4" name="subsub"><issue index="5" name="c"><item value="x"/></issue></objective>
  </objective>
</objective></utility_space></negotiation_template>`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, is := range d.Space.Issues {
		got = append(got, is.Name)
	}
	if strings.Join(got, ",") != "c,b,a" {
		t.Errorf("issue order %v, want c,b,a", got)
	}
}

// Real issues are evaluated at GENIUS's grid points lower + k·step
// (BidIterator), which can differ from Issue.Number in the last bit.
func TestRealValueGrid(t *testing.T) {
	is := &parley.Issue{Name: "r", Kind: parley.Real, Min: 0.1, Max: 0.7, Steps: 21}
	step := (0.7 - 0.1) / 20
	differ := 0
	for k := range 21 {
		if got, want := RealValue(is, k), 0.1+step*float64(k); got != want {
			t.Errorf("RealValue(%d) = %v, want %v", k, got, want)
		}
		if RealValue(is, k) != is.Number(k) {
			differ++
		}
	}
	if differ == 0 {
		t.Error("no grid point differs from Issue.Number: the test range shows nothing")
	}
}
