package seat

import (
	"reflect"
	"testing"

	"github.com/parley-dev/parley"
)

func TestViewsArePrivate(t *testing.T) {
	var v Views
	v.Reset(2, 4)
	auth := &parley.State{Standing: 3, Votes: []parley.Vote{{Accept: true}, {}}}
	for k := range 6 { // past the capacity hint: the buffers grow
		auth.Offers = append(auth.Offers, parley.OfferRecord{Party: k % 2, Outcome: parley.Outcome(k)})
		s := v.Of(k%2, auth)
		if len(s.Offers) != len(auth.Offers) || s.Offers[k].Outcome != parley.Outcome(k) || s.Votes != nil {
			t.Fatalf("turn %d: view %+v", k, s)
		}
		// The seat scribbles everywhere it can.
		s.Standing = 0
		for i := range s.Offers {
			s.Offers[i].Outcome = -9
		}
		s.Offers = append(s.Offers, parley.OfferRecord{Outcome: -9})
	}
	for k, r := range auth.Offers {
		if r.Outcome != parley.Outcome(k) {
			t.Fatalf("authoritative record %d changed to %+v", k, r)
		}
	}
	if auth.Standing != 3 {
		t.Fatal("authoritative standing offer changed")
	}
	m := v.OfWithVotes(1, auth, auth.Votes)
	m.Votes[0].Accept = false
	if !auth.Votes[0].Accept {
		t.Fatal("a mediator's write to its votes reached the mechanism")
	}
	// A new run starts every history afresh.
	v.Reset(2, 4)
	auth.Offers = auth.Offers[:1]
	if s := v.Of(0, auth); len(s.Offers) != 1 || s.Offers[0].Outcome != 0 {
		t.Fatalf("after Reset: %+v", s.Offers)
	}
}

func TestCopies(t *testing.T) {
	var c Copies
	c.Reset(1)
	src := &parley.Profile{Name: "a", Reservation: 0.5, Vetoes: []parley.ValueRef{{Issue: 1, Value: 2}},
		Ratification: []parley.Ratification{{P: 0.5}}}
	p := c.Profile(0, src)
	p.Reservation, p.Vetoes[0].Value, p.Ratification[0].P = 1, 7, 1
	p.Vetoes = append(p.Vetoes, parley.ValueRef{})
	if src.Reservation != 0.5 || src.Vetoes[0].Value != 2 || src.Ratification[0].P != 0.5 || len(src.Vetoes) != 1 {
		t.Fatalf("the source changed: %+v", src)
	}
	if q := c.Profile(0, src); q.Reservation != 0.5 || len(q.Vetoes) != 1 || q.Vetoes[0].Value != 2 {
		t.Fatalf("the next run's copy %+v", q)
	}
	names := []string{"x", "y"}
	n := c.Names(0, names)
	n[0] = "z"
	if names[0] != "x" {
		t.Fatal("names changed")
	}
	cl := Clone(src)
	cl.Vetoes[0].Value = 9
	if src.Vetoes[0].Value != 2 {
		t.Fatal("Clone shares red lines")
	}
}

// TestOfCopiesEveryField: a view carries every field of the authoritative
// State (but its votes), whatever was in the view before: a field added to
// parley.State reaches the seats, however Views.Of copies.
func TestOfCopiesEveryField(t *testing.T) {
	auth := &parley.State{Offers: []parley.OfferRecord{{Party: 1, Outcome: 2, Step: 3, Round: 4, Time: 0.5}},
		Votes: []parley.Vote{{Accept: true}}}
	a := reflect.ValueOf(auth).Elem()
	for i := range a.NumField() {
		switch f := a.Field(i); f.Kind() {
		case reflect.Int, reflect.Int64:
			f.SetInt(int64(i + 1))
		case reflect.Float64:
			f.SetFloat(float64(i) + 0.25)
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Slice:
		default:
			t.Fatalf("State.%s: kind %v: teach this test to fill it", a.Type().Field(i).Name, f.Kind())
		}
	}
	var v Views
	v.Reset(1, 0)
	s := v.Of(0, &parley.State{}) // an earlier view with every field zero
	*s = parley.State{Step: -7, Time: 9, Votes: []parley.Vote{{}}}
	s = v.Of(0, auth)
	want := *auth
	want.Votes = nil
	if !reflect.DeepEqual(*s, want) {
		t.Errorf("view %+v, want %+v", *s, want)
	}
}
