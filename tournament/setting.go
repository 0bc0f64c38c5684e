package tournament

import (
	"github.com/parley-dev/parley/protocol/staged"
	"github.com/parley-dev/parley/scenario"
)

// Setting is what a job runs on, as the Runner runs it: its scenario (an
// arm's, with the arm's settings applied), the scenario's reference, its
// stages (a staged tournament's; nil otherwise) and its rounds.
type Setting struct {
	Scenario *scenario.Scenario
	Ref      string
	Plan     *staged.Plan
	Deadline int
}

// SettingOf returns the setting of job j (a replay shows it).
func (c *Config) SettingOf(j Job) (Setting, error) {
	p, err := c.prepare()
	if err != nil {
		return Setting{}, err
	}
	if _, err := p.job(c, j.ID); err != nil {
		return Setting{}, err
	}
	s := p.slot(j)
	set := Setting{Scenario: p.scens[s], Ref: p.refs[j.Scenario], Deadline: p.dls[s]}
	if c.Protocol.or() == ProtocolStaged {
		pl := p.plans[s]
		set.Plan = &pl
	}
	return set, nil
}
