package experiment

import (
	"context"
	"strings"
	"testing"

	"github.com/parley-dev/parley/scenario"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy/mediator"
)

// TestSequencingArms: by default every arm runs its mediated stages at
// matched information (votes), with a votes-capable mediator in place of
// one that needs declared preferences; an info factor crosses the arms
// with its levels, and the header text states the condition.
func TestSequencingArms(t *testing.T) {
	s := ceasefire(t)
	armScenario := func(tr Treatment) *scenario.Scenario {
		sc, err := s.With(tr.Set...)
		if err != nil {
			t.Fatalf("arm %s: %v", tr.Name, err)
		}
		return sc
	}
	mediatedStage := func(tr Treatment) (parley.Info, string) {
		sc := armScenario(tr)
		st := sc.Protocol.Stages[sc.Protocol.Stage("mediated")]
		return st.Info, st.MediatorPolicy
	}
	ts, info, err := SequencingArms(s, nil, nil, mediator.NeedsDeclared)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != len(s.Protocol.Variants) || ts[0].Name != "bilateral_only" {
		t.Fatalf("%d arms, first %q", len(ts), ts[0].Name)
	}
	for _, tr := range ts {
		if in, pol := mediatedStage(tr); in != parley.InfoVotes || pol != VotesMediatorPolicy {
			t.Errorf("arm %s: info %s, mediator %q; want votes, %s", tr.Name, in, pol, VotesMediatorPolicy)
		}
	}
	for _, want := range []string{"matched", "mediated.info=votes", "declares declared", "biased:bias=0.25", VotesMediatorPolicy} {
		if !strings.Contains(info, want) {
			t.Errorf("information %q lacks %q", info, want)
		}
	}
	// The scenario itself is left alone.
	if st := s.Protocol.Stages[s.Protocol.Stage("mediated")]; st.Info != parley.InfoDeclared || st.MediatorPolicy != "biased:bias=0.25" {
		t.Errorf("the scenario changed: info %s, policy %q", st.Info, st.MediatorPolicy)
	}
	// Without NeedsDeclared no policy is replaced.
	ts, _, err = SequencingArms(s, []string{"mediated_from_start"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, pol := mediatedStage(ts[0]); pol != "biased:bias=0.25" {
		t.Errorf("without NeedsDeclared: mediator %q", pol)
	}

	p, err := ParseParam(s, "mediated.info=votes,self_report,declared,full")
	if err != nil {
		t.Fatal(err)
	}
	ts, info, err = SequencingArms(s, []string{"bilateral_only", "mediated_from_start"}, []Param{p}, mediator.NeedsDeclared)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name string
		info parley.Info
		pol  string
	}{
		{"bilateral_only mediated.info=votes", parley.InfoVotes, VotesMediatorPolicy},
		{"mediated_from_start mediated.info=votes", parley.InfoVotes, VotesMediatorPolicy},
		{"bilateral_only mediated.info=self_report", parley.InfoSelfReport, "biased:bias=0.25"},
		{"mediated_from_start mediated.info=self_report", parley.InfoSelfReport, "biased:bias=0.25"},
		{"bilateral_only mediated.info=declared", parley.InfoDeclared, "biased:bias=0.25"},
		{"mediated_from_start mediated.info=declared", parley.InfoDeclared, "biased:bias=0.25"},
		{"bilateral_only mediated.info=full", parley.InfoFull, "biased:bias=0.25"},
		{"mediated_from_start mediated.info=full", parley.InfoFull, "biased:bias=0.25"},
	}
	if len(ts) != len(want) {
		t.Fatalf("%d arms, want %d", len(ts), len(want))
	}
	for i, w := range want {
		in, pol := mediatedStage(ts[i])
		if ts[i].Name != w.name || in != w.info || pol != w.pol || ts[i].Params["mediated.info"] != w.info.String() {
			t.Errorf("arm %d: %s (info %s, mediator %q, params %v); want %s (info %s, mediator %q)", i, ts[i].Name, in, pol, ts[i].Params, w.name, w.info, w.pol)
		}
	}
	// The declared noise stays only where the level is declared.
	if st := armScenario(ts[4]).Protocol.Stages[1]; st.Noise != 0.1 {
		t.Errorf("declared level: noise %v, want the scenario's 0.1", st.Noise)
	}
	if !strings.HasPrefix(info, "factor mediated.info=votes,self_report,declared,full") || strings.Contains(info, "matched") {
		t.Errorf("information %q", info)
	}
	if _, _, err := SequencingArms(s, []string{"no_such"}, nil, nil); err == nil {
		t.Error("an unknown variant: no error")
	}
}

// TestSequencingInformation: Sequencing's report states its information
// condition, and no run fails for want of declared preferences.
func TestSequencingInformation(t *testing.T) {
	s := ceasefire(t)
	r, err := Sequencing(context.Background(), s, testConfig(t, 8, 2))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Information, "matched") {
		t.Errorf("information %q", r.Information)
	}
	for _, a := range r.Arms {
		if a.FirstError != "" {
			t.Errorf("arm %s: %s", a.Name, a.FirstError)
		}
	}
	var b strings.Builder
	if err := WriteTable(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\ninformation: matched") {
		t.Errorf("the table's header does not state the information condition:\n%s", b.String())
	}
}
