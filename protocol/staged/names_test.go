package staged

import (
	"testing"

	"github.com/parley-dev/parley"
)

// The causes of a staged run carry parley.Reason's names, so that every
// output names each way a run ends alike.
func TestCausesAreReasonNames(t *testing.T) {
	for cause, r := range map[string]parley.Reason{
		CauseAgreement:           parley.ReasonAgreement,
		CauseDeadline:            parley.ReasonDeadline,
		CauseWalkAway:            parley.ReasonWalkAway,
		CauseMediatorExit:        parley.ReasonMediatorExit,
		CauseRatificationFailure: parley.ReasonRatificationFailed,
		CauseError:               parley.ReasonError,
	} {
		if cause != r.String() {
			t.Errorf("cause %q, reason %q", cause, r)
		}
	}
}
