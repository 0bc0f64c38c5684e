package tournament

import (
	"reflect"
	"strings"
	"testing"
)

// TestAssign: over |N|^k·|V|^k consecutive runs every pair of a
// negotiator tuple and a voter tuple appears exactly once, for coprime
// periods (the default pool) and for equal ones.
func TestAssign(t *testing.T) {
	for _, c := range []struct{ seats, nn, nv int }{{2, 4, 3}, {2, 2, 2}, {1, 4, 2}, {3, 2, 3}, {2, 4, 0}} {
		cn, cv := 1, 1
		for range c.seats {
			cn *= c.nn
			cv *= max(c.nv, 1)
		}
		seen := map[string]int{}
		ni, vi := make([]int, c.seats), make([]int, c.seats)
		for i := range cn * cv {
			Assign(i, c.nn, c.nv, ni, vi)
			seen[strings.Trim(strings.Join(strings.Fields(fmtInts(ni)+" | "+fmtInts(vi)), " "), " ")]++
		}
		if len(seen) != cn*cv {
			t.Errorf("%+v: %d distinct assignments in %d runs", c, len(seen), cn*cv)
		}
	}
	// Run 0 is the first strategy everywhere; the first party's negotiator
	// cycles fastest.
	ni, vi := make([]int, 2), make([]int, 2)
	Assign(1, 4, 3, ni, vi)
	if !reflect.DeepEqual(ni, []int{1, 0}) || !reflect.DeepEqual(vi, []int{1, 0}) {
		t.Errorf("run 1: %v %v", ni, vi)
	}
}

func fmtInts(xs []int) string {
	var b strings.Builder
	for _, x := range xs {
		b.WriteString(" ")
		b.WriteByte(byte('0' + x))
	}
	return b.String()
}
