package scenario

import (
	"strings"
	"testing"

	"github.com/parley-dev/parley"
)

// TestWith: settings change a copy, never the scenario they start from,
// and each one reaches the field it names.
func TestWith(t *testing.T) {
	s, err := Read(ceasefireFile)
	if err != nil {
		t.Fatal(err)
	}
	med := s.Protocol.Stage("mediated")
	c, err := s.With("UA.reservation=0.45", "RU.hazard=0", "mediated.info=votes", "US.bias=0.75",
		"bilateral.rounds=7", "mediated.carry=none")
	if err != nil {
		t.Fatal(err)
	}
	ua, ru := c.Party("UA"), c.Party("RU")
	st := c.Protocol.Stages[med]
	switch {
	case c.Parties[ua].Profile.Reservation != 0.45:
		t.Errorf("UA reservation %v", c.Parties[ua].Profile.Reservation)
	case c.Parties[ru].Profile.Hazard != 0:
		t.Errorf("RU hazard %v", c.Parties[ru].Profile.Hazard)
	case st.Info != parley.InfoVotes || st.Noise != 0:
		t.Errorf("mediated info %v noise %v, want votes and 0", st.Info, st.Noise)
	case st.MediatorPolicy != "biased:bias=0.75":
		t.Errorf("mediator policy %q", st.MediatorPolicy)
	case c.Protocol.Stages[c.Protocol.Stage("bilateral")].Rounds != 7:
		t.Errorf("bilateral rounds %d", c.Protocol.Stages[c.Protocol.Stage("bilateral")].Rounds)
	}
	for _, v := range c.Protocol.Variants {
		for _, step := range v.Steps {
			if step.Stage == "bilateral" && step.Rounds != 0 {
				t.Errorf("variant %s keeps its own bilateral rounds %d over the setting", v.Name, step.Rounds)
			}
			if step.Stage == "mediated" && step.Carry != nil {
				t.Errorf("variant %s keeps its own mediated carry over the setting", v.Name)
			}
		}
	}
	// The original is untouched.
	if s.Parties[ua].Profile.Reservation != 0.5 || s.Protocol.Stages[med].Info == parley.InfoVotes ||
		s.Protocol.Stages[med].MediatorPolicy != "biased:bias=0.25" {
		t.Error("With changed the scenario it copied")
	}
	if c, err = c.With("mediated.mediator_policy=feedback:call=true"); err != nil {
		t.Fatal(err)
	}
	if got := c.Protocol.Stages[med].MediatorPolicy; got != "feedback:call=true" {
		t.Errorf("mediator policy %q", got)
	}
	// A bias needs a biased policy.
	if _, err := c.With("US.bias=0.5"); err == nil || !strings.Contains(err.Error(), "has no bias") {
		t.Errorf("bias on a feedback mediator: %v", err)
	}
}

func TestWithErrors(t *testing.T) {
	s, err := Read(ceasefireFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ setting, want string }{
		{"UA.reservation", "want TARGET.NAME=VALUE"},
		{"reservation=0.4", `is not TARGET.NAME`},
		{"XX.reservation=0.4", `no party called "XX" (have RU, UA, US)`},
		{"UA.colour=red", `unknown parameter "colour"`},
		{"UA.reservation=1.5", "outside [0, 1]"},
		{"UA.reservation=high", "is not a number"},
		{"nowhere.rounds=3", `no stage called "nowhere"`},
		{"mediated.info=telepathy", "want one of"},
		{"bilateral.mediator_policy=nash", `stage "bilateral" is not mediated`},
		{"mediated.mediator_policy=biased:bias=(", "mediator_policy"},
		{"UA.bias=0.5", "mediates no stage"},
	} {
		_, err := s.With(c.setting)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.setting) {
			t.Errorf("With(%q) = %v, want an error naming it and %q", c.setting, err, c.want)
		}
	}
}
