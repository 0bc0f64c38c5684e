package geniusweb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/parley-dev/parley/scenario"
)

// maxDepth bounds the nesting of JSON values.
const maxDepth = 128

type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNum
	jStr
	jObj
	jArr
)

func (k jkind) String() string {
	return [...]string{"null", "boolean", "number", "string", "object", "array"}[k]
}

// jvalue is a JSON value that keeps object keys in document order and
// remembers where it starts.
type jvalue struct {
	kind jkind
	str  string
	num  json.Number
	keys []string // jObj
	vals []*jvalue
	off  int // byte offset of the value's first character
}

// get returns the member called key of an object, or nil.
func (v *jvalue) get(key string) *jvalue {
	if v == nil || v.kind != jObj {
		return nil
	}
	for i, k := range v.keys {
		if k == key {
			return v.vals[i]
		}
	}
	return nil
}

// doc is a parsed JSON file.
type doc struct {
	file string
	data []byte
	root *jvalue
}

// line returns the 1-based line of byte offset off.
func (d *doc) line(off int) int {
	if off > len(d.data) {
		off = len(d.data)
	}
	return 1 + bytes.Count(d.data[:off], []byte{'\n'})
}

// errAt returns an *Error at value v (nil: the whole file) for field.
func (d *doc) errAt(v *jvalue, field string, format string, args ...any) error {
	e := &Error{File: d.file, Field: field, Err: fmt.Errorf(format, args...)}
	if v != nil {
		e.Line = d.line(v.off)
	}
	return e
}

// number returns the value of a JSON number as a finite float64.
func (d *doc) number(v *jvalue, field string) (float64, error) {
	if v == nil {
		return 0, d.errAt(nil, field, "missing")
	}
	if v.kind != jNum {
		return 0, d.errAt(v, field, "got a %s, want a number", v.kind)
	}
	x, err := strconv.ParseFloat(string(v.num), 64)
	if err != nil {
		return 0, d.errAt(v, field, "number %s out of range", v.num)
	}
	return x, nil
}

// parseJSON parses data into a tree; errors name the file and line.
func parseJSON(file string, data []byte) (*doc, error) {
	var se *scenario.Error
	if err := scenario.CheckJSON(file, data); errors.As(err, &se) {
		return nil, &Error{File: file, Line: se.Line, Err: errors.New(se.Msg)}
	}
	d := &doc{file: file, data: data}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	root, err := d.value(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &Error{File: file, Line: d.line(int(dec.InputOffset())), Err: errors.New("data after the top-level value")}
	}
	d.root = root
	return d, nil
}

// start returns the offset of the next value at or after off, skipping
// blanks and separators.
func (d *doc) start(off int) int {
	for off < len(d.data) {
		switch d.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

func (d *doc) syntax(dec *json.Decoder, err error) error {
	off := int(dec.InputOffset())
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset)
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return &Error{File: d.file, Line: d.line(off), Err: fmt.Errorf("JSON syntax: %w", err)}
}

func (d *doc) value(dec *json.Decoder, depth int) (*jvalue, error) {
	off := d.start(int(dec.InputOffset()))
	tok, err := dec.Token()
	if err != nil {
		return nil, d.syntax(dec, err)
	}
	v := &jvalue{off: off}
	switch t := tok.(type) {
	case nil:
		v.kind = jNull
	case bool:
		v.kind = jBool
	case json.Number:
		v.kind, v.num = jNum, t
	case string:
		v.kind, v.str = jStr, t
	case json.Delim:
		if depth >= maxDepth {
			return nil, &Error{File: d.file, Line: d.line(off), Err: fmt.Errorf("values nested deeper than %d", maxDepth)}
		}
		switch t {
		case '{':
			v.kind = jObj
			for dec.More() {
				koff := d.start(int(dec.InputOffset()))
				kt, err := dec.Token()
				if err != nil {
					return nil, d.syntax(dec, err)
				}
				key, ok := kt.(string)
				if !ok {
					return nil, &Error{File: d.file, Line: d.line(koff), Err: errors.New("JSON syntax: object key is not a string")}
				}
				for _, k := range v.keys {
					if k == key {
						return nil, &Error{File: d.file, Line: d.line(koff), Field: strconv.Quote(key), Err: errors.New("key appears twice in one object")}
					}
				}
				val, err := d.value(dec, depth+1)
				if err != nil {
					return nil, err
				}
				v.keys = append(v.keys, key)
				v.vals = append(v.vals, val)
			}
		case '[':
			v.kind = jArr
			for dec.More() {
				val, err := d.value(dec, depth+1)
				if err != nil {
					return nil, err
				}
				v.vals = append(v.vals, val)
			}
		default:
			return nil, &Error{File: d.file, Line: d.line(off), Err: fmt.Errorf("JSON syntax: unexpected %v", t)}
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return nil, d.syntax(dec, err)
		}
	}
	return v, nil
}
