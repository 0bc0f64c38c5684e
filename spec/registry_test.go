package spec

import "testing"

// TestPlain registers a constructor without parameters under its name,
// and refuses a nil one.
func TestPlain(t *testing.T) {
	type factory func() int
	r := NewRegistry[factory]("thing")
	if err := r.Add(Plain[factory]("seven", "always 7", func() int { return 7 })); err != nil {
		t.Fatal(err)
	}
	f, err := r.Parse("seven")
	if err != nil || f() != 7 {
		t.Fatalf("Parse(seven) = %v, %v", f, err)
	}
	if _, err := r.Parse("seven:x=1"); err == nil {
		t.Error("a parameter for a plain entry: no error")
	}
	if err := r.Add(Plain[factory]("none", "no constructor", nil)); err == nil {
		t.Error("a nil constructor: no error")
	}
}
