package experiment

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/strategy/mediator"
)

// TestStory: the story's table is the compared variants' agreement rates
// at matched information and at the declared level, the same numbers the
// sequencing experiment gives for each level on its own (common random
// numbers: run i is the same run whatever the other arms are).
func TestStory(t *testing.T) {
	s := ceasefire(t)
	cfg := testConfig(t, 60, 0)
	cfg.NeedsDeclared = mediator.NeedsDeclared
	st, err := TellStory(context.Background(), s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Levels) != 2 || st.Levels[0] != parley.InfoVotes || st.Levels[1] != parley.InfoDeclared {
		t.Fatalf("levels %v, want votes and declared", st.Levels)
	}
	if strings.Join(st.Variants, " ") != strings.Join(s.Protocol.Compare, " ") {
		t.Fatalf("variants %v, want %v", st.Variants, s.Protocol.Compare)
	}
	for j, level := range []string{"votes", "declared"} {
		p, err := ParseParam(s, "mediated.info="+level)
		if err != nil {
			t.Fatal(err)
		}
		ts, _, err := SequencingArms(s, s.Protocol.Compare, []Param{p}, mediator.NeedsDeclared)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Run(context.Background(), "check", s, ts, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i := range st.Variants {
			if got, want := st.Agreed[i][j], r.Arms[i].AgreementRate; got != want {
				t.Errorf("%s at %s: story %+v, experiment %+v", st.Variants[i], level, got, want)
			}
		}
	}
	var b bytes.Buffer
	if err := WriteStory(&b, st); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"What the model says: agreement rate over 60 runs per arm", "MEDIATOR SEES VOTES (MATCHED)", "MEDIATOR SEES NOISY PROFILES", "  mediated_from_start "} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("story lacks %q:\n%s", want, b.String())
		}
	}
	s.Protocol.Question = ""
	if _, err := TellStory(context.Background(), s, cfg); err == nil {
		t.Error("a story without a question")
	}
}
