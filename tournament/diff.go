package tournament

import (
	"fmt"
	"reflect"
	"strings"
)

// Diff names the fields in which r, a stored record, and got, the record
// of the same run run again (a replay), differ, ignoring where and how
// fast they ran (Elapsed, Worker): "Field: stored X, replayed Y", joined
// by "; ". It returns "" when they agree.
func (r Record) Diff(got Record) string {
	r.Elapsed, r.Worker = 0, ""
	got.Elapsed, got.Worker = 0, ""
	if reflect.DeepEqual(r, got) {
		return ""
	}
	var diffs []string
	sv, gv := reflect.ValueOf(r), reflect.ValueOf(got)
	for i := range sv.NumField() {
		if !reflect.DeepEqual(sv.Field(i).Interface(), gv.Field(i).Interface()) {
			diffs = append(diffs, fmt.Sprintf("%s: stored %v, replayed %v", sv.Type().Field(i).Name, sv.Field(i).Interface(), gv.Field(i).Interface()))
		}
	}
	return strings.Join(diffs, "; ")
}
