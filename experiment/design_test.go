package experiment

import (
	"errors"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/protocol/mediated"
	"github.com/parley-dev/parley/spec"
)

// TestDesignCheck rejects bad variants and parameters as a *spec.FieldError
// naming the field, and a scenario without a protocol.
func TestDesignCheck(t *testing.T) {
	s := ceasefire(t)
	plain := *s
	plain.Protocol = nil
	tests := []struct {
		name  string
		d     Design
		field string // "" for no error
		want  string
	}{
		{"sequencing", Design{Kind: KindSequencing}, "", ""},
		{"sweep", Design{Kind: KindSweep, Params: []string{"US.bias=0,0.5"}, Variants: []string{"bilateral_only"}}, "", ""},
		{"bad variant", Design{Kind: KindSequencing, Variants: []string{"nowhere"}}, "Variants", `scenario ceasefire has no variant "nowhere" (have bilateral_only,`},
		{"bad param", Design{Kind: KindSweep, Params: []string{"XX.bias=1"}}, "Params", "XX"},
		{"bad values", Design{Kind: KindSweep, Params: []string{"US.bias=1:0:0.5"}}, "Params", ""},
		{"sweep without parameters", Design{Kind: KindSweep}, "Params", "no parameters to sweep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.d.Check(s)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var fe *spec.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Fatalf("got %v, want a *spec.FieldError for %s", err, tt.field)
			}
			if !strings.Contains(fe.Err.Error(), tt.want) {
				t.Errorf("got %q, want it to contain %q", fe.Err, tt.want)
			}
		})
	}
	err := Design{Kind: KindSweep}.Check(&plain)
	if err == nil || !strings.Contains(err.Error(), "experiment sweep: scenario ceasefire declares no protocol") {
		t.Errorf("no protocol: got %v", err)
	}
}

// TestNewPool fills in the default pool and names the list of a spec
// that does not resolve.
func TestNewPool(t *testing.T) {
	var asked []string
	neg := func(s string) (func() parley.Negotiator, error) {
		asked = append(asked, s)
		if s == "bad" {
			return nil, errors.New("unknown")
		}
		return func() parley.Negotiator { return nil }, nil
	}
	vot := func(s string) (func() mediated.Voter, error) {
		if s == "bad" {
			return nil, errors.New("unknown")
		}
		return func() mediated.Voter { return nil }, nil
	}
	p, err := NewPool(nil, []string{"v"}, neg, vot)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Negotiators) != len(DefaultNegotiators()) || p.Negotiators[0].Name != DefaultNegotiators()[0] || len(p.Voters) != 1 || p.Voters[0].Name != "v" {
		t.Errorf("got %+v", p)
	}
	for _, tt := range []struct {
		negs, voters []string
		field        string
	}{{[]string{"a", "bad"}, nil, "Negotiators"}, {nil, []string{"bad"}, "Voters"}} {
		_, err := NewPool(tt.negs, tt.voters, neg, vot)
		var fe *spec.FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field || fe.Error() != tt.field+": unknown" {
			t.Errorf("%v %v: got %v, want a *spec.FieldError for %s", tt.negs, tt.voters, err, tt.field)
		}
	}
}

// TestReportRunErrors counts the runs that ended in error, per arm.
func TestReportRunErrors(t *testing.T) {
	r := &Report{Arms: []Arm{
		{Name: "a", Breakdown: map[parley.Reason]int{parley.ReasonError: 2, parley.ReasonDeadline: 1}, FirstError: "boom"},
		{Name: "b", Breakdown: map[parley.Reason]int{parley.ReasonDeadline: 3}},
		{Name: "c", Breakdown: map[parley.Reason]int{parley.ReasonError: 1}, FirstError: "bang"},
	}}
	n, detail := r.RunErrors()
	if n != 3 || detail != "a: 2, the first boom; c: 1, the first bang" {
		t.Errorf("got %d, %q", n, detail)
	}
	if n, detail := (&Report{Arms: r.Arms[1:2]}).RunErrors(); n != 0 || detail != "" {
		t.Errorf("no errors: got %d, %q", n, detail)
	}
}

// TestCheckRobustness accepts the ceasefire's variants and refuses an
// unknown variant and a scenario without variants.
func TestCheckRobustness(t *testing.T) {
	s := ceasefire(t)
	if err := CheckRobustness(s, []string{"bilateral_only", "mediated_from_start"}); err != nil {
		t.Fatal(err)
	}
	var fe *spec.FieldError
	if err := CheckRobustness(s, []string{"nowhere"}); !errors.As(err, &fe) || fe.Field != "Variants" {
		t.Errorf("unknown variant: got %v, want a *spec.FieldError for Variants", err)
	}
	plain := *s
	plain.Protocol = nil
	if err := CheckRobustness(&plain, nil); err == nil || !strings.Contains(err.Error(), "declares no protocol variants to compare") {
		t.Errorf("no protocol: got %v", err)
	}
}
