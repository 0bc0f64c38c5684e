// Package spec splits strategy specs ("name:key=value,key=value", where a
// value may itself hold commas inside parentheses, as in
// "ac=combi(t=0.98)"), for the registries of package strategy and
// strategy/boa.
package spec

import (
	"errors"
	"strings"
)

// Split splits s at the commas outside parentheses and trims the items.
// An empty item is an error naming it as item ("parameter", "item", ...);
// so are unbalanced parentheses.
func Split(s, item string) ([]string, error) {
	var items []string
	depth, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			switch s[i] {
			case '(':
				depth++
				continue
			case ')':
				if depth--; depth < 0 {
					return nil, errors.New("unbalanced ')'")
				}
				continue
			case ',':
				if depth > 0 {
					continue
				}
			default:
				continue
			}
		}
		if depth > 0 {
			return nil, errors.New("unbalanced '('")
		}
		it := strings.TrimSpace(s[start:i])
		if it == "" {
			return nil, errors.New("empty " + item)
		}
		items = append(items, it)
		start = i + 1
	}
	return items, nil
}
