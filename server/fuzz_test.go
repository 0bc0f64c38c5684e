package server

import (
	"bytes"
	"testing"

	"github.com/parley-dev/parley"
)

// FuzzDecodeCreate: any body decodes and validates to a value or an
// error, never a panic.
func FuzzDecodeCreate(f *testing.F) {
	for _, s := range []string{
		`{"scenario":"ceasefire","seats":[{"kind":"strategy","spec":"boulware"},{"kind":"remote"},{"kind":"remote"}]}`,
		`{"files":{"a.yaml":"name: a"},"deadline":5,"seed":7,"seats":[]}`,
		`{"scenario":"x","protocol":"mediated"}`, `{}`, `[]`, `null`, `{"seats":[{"kind":1}]}`, `{"a":1}{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var r CreateRequest
		if err := decodeJSON(bytes.NewReader(b), &r); err != nil {
			return
		}
		_ = r.validate()
	})
}

// FuzzDecodeAction: any action message decodes to an action over the
// space or an error, never a panic; an offer by values is a valid
// outcome.
func FuzzDecodeAction(f *testing.F) {
	space, err := parley.NewOutcomeSpace([]parley.Issue{{Name: "place", Values: []string{"cafe", "park"}}, {Name: "time", Values: []string{"12", "13"}}})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		`{"step":1,"action":"offer","outcome":3}`, `{"step":1,"action":"offer","values":{"place":"park","time":"12"}}`,
		`{"step":0,"action":"accept"}`, `{"step":2,"action":"walk_away","outcome":1}`, `{"action":"offer","values":{"place":"x"}}`,
		`{"step":-1}`, `{"step":1e99}`, `{"step":1,"action":"offer","outcome":1,"values":{}}`,
		`{"step":3,"action":"reject","feedback":-1}`, `{"step":4,"action":"offer","outcome":2}`, `{"step":5,"action":"walk_away"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var r ActionRequest
		if err := decodeJSON(bytes.NewReader(b), &r); err != nil {
			return
		}
		for _, kind := range []string{TurnAct, TurnVote, TurnPropose} {
			a, err := r.answer(kind, space)
			if err == nil && r.Values != nil && (kind == TurnAct && !space.Valid(a.act.Outcome) || kind == TurnPropose && !space.Valid(a.prop)) {
				t.Errorf("%s: %s by values gave an invalid outcome", b, kind)
			}
		}
	})
}
