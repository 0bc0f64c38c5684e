package genius

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/parley-dev/parley/scenario"
)

// maxDepth bounds the nesting of XML elements, so that hostile input cannot
// make the recursive walks over objectives run away.
const maxDepth = 256

// node is one XML element with the line its start tag begins on.
type node struct {
	name  string
	attrs []xml.Attr
	kids  []*node
	text  string // character data directly inside the element, trimmed
	line  int
}

// attr returns the value of the attribute called name.
func (n *node) attr(name string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// child returns the first child element called name, or nil.
func (n *node) child(name string) *node {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// children returns the child elements called name, in document order.
func (n *node) children(name string) []*node {
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// toUTF8 returns data as UTF-8: unchanged when it is valid UTF-8, otherwise
// read as ISO-8859-1 (GENIUS compiles and reads its files as Latin-1).
func toUTF8(data []byte) []byte {
	if utf8.Valid(data) {
		return data
	}
	var b bytes.Buffer
	b.Grow(len(data) + len(data)/8)
	for _, c := range data {
		b.WriteRune(rune(c))
	}
	return b.Bytes()
}

// utf16 reports whether data starts with a UTF-16 byte order mark or with
// an ASCII character stored in two bytes (the form of "<?xml" in UTF-16
// without a mark).
func utf16(data []byte) bool {
	if len(data) < 2 {
		return false
	}
	if data[0] == 0xFE && data[1] == 0xFF || data[0] == 0xFF && data[1] == 0xFE {
		return true
	}
	return data[0] == 0 && data[1] != 0 || data[0] != 0 && data[1] == 0
}

// errNotXML marks input in which no root element could be found: a file that
// is not XML at all (such as the CSV-like pareto.xml of ANAC 2014).
var errNotXML = errors.New("no XML root element")

// parseXML builds the element tree of data. Errors carry the file name and
// line. An error before the root element starts wraps errNotXML.
func parseXML(file string, data []byte) (*node, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{File: file, Err: fmt.Errorf("%w: the file is empty", errNotXML)}
	}
	if utf16(data) {
		// GENIUS reads its files in the platform's 8-bit charset and fails
		// on UTF-16 as well.
		return nil, &Error{File: file, Err: fmt.Errorf("%w: the file is UTF-16 encoded; save it as UTF-8", errNotXML)}
	}
	d := xml.NewDecoder(bytes.NewReader(toUTF8(data)))
	// The bytes are UTF-8 by now whatever the declaration says.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	d.Entity = xml.HTMLEntity
	var (
		root  *node
		stack []*node
		text  []*strings.Builder
		nodes int // elements and attributes so far
	)
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				line = se.Line
				err = errors.New(strings.TrimPrefix(se.Msg, "xml: "))
			}
			if root == nil {
				return nil, &Error{File: file, Line: line, Err: fmt.Errorf("%w: %v", errNotXML, err)}
			}
			return nil, &Error{File: file, Line: line, Err: fmt.Errorf("XML syntax: %w", err)}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			// Bound the tree while it is built, as the YAML and JSON readers
			// do: a file of millions of tiny elements would otherwise cost
			// gigabytes before any check runs.
			if nodes += 1 + len(t.Attr); nodes > scenario.MaxNodes {
				return nil, &Error{File: file, Line: line, Err: fmt.Errorf("more than %d elements and attributes", scenario.MaxNodes)}
			}
			n := &node{name: t.Name.Local, attrs: t.Attr, line: line}
			if len(stack) == 0 {
				if root != nil {
					return nil, &Error{File: file, Line: line, Err: fmt.Errorf("second root element <%s> after <%s>", n.name, root.name)}
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			}
			if len(stack) >= maxDepth {
				return nil, &Error{File: file, Line: line, Err: fmt.Errorf("elements nested deeper than %d", maxDepth)}
			}
			stack = append(stack, n)
			text = append(text, &strings.Builder{})
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, &Error{File: file, Line: line, Err: fmt.Errorf("unexpected </%s>", t.Name.Local)}
			}
			n := stack[len(stack)-1]
			n.text = strings.TrimSpace(text[len(text)-1].String())
			stack = stack[:len(stack)-1]
			text = text[:len(text)-1]
		case xml.CharData:
			if len(text) > 0 {
				text[len(text)-1].Write(t)
			}
		}
	}
	if root == nil {
		return nil, &Error{File: file, Err: errNotXML}
	}
	if len(stack) > 0 {
		line, _ := d.InputPos()
		return nil, &Error{File: file, Line: line, Err: fmt.Errorf("XML syntax: element <%s> not closed", stack[len(stack)-1].name)}
	}
	return root, nil
}
