package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// Error is a problem found in a scenario file: a syntax error, an unknown
// field, a value of the wrong type or a rule of the format broken (see
// docs/scenario-format.md). Read and Parse return it, possibly wrapped; use
// errors.As to get at the position.
type Error struct {
	File    string // the file name given to Read or Parse
	Line    int    // 1-based line of the offending field, 0 when unknown
	Column  int    // 1-based column, 0 when unknown
	Path    string // the field, e.g. "parties[1].weights.terrtory"; "" for the whole file
	Msg     string // what is wrong
	Excerpt string // YAML: the source lines around the problem with a caret under it
}

// Error returns "scenario: FILE:LINE:COL: PATH: MSG", followed by the
// source excerpt on the next lines when there is one.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("scenario: ")
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Excerpt != "" {
		b.WriteByte('\n')
		b.WriteString(e.Excerpt)
	}
	return b.String()
}

// path names a field of a scenario file as rendered segments:
// ".parties", "[1]", ".weights", `["odd key"]`.
type path []string

// key returns the path of the mapping entry k below p.
func (p path) key(k string) path {
	seg := "." + k
	if !plainKey(k) {
		seg = "[" + strconv.Quote(k) + "]"
	}
	return append(p[:len(p):len(p)], seg)
}

// at returns the path of the sequence element i below p.
func (p path) at(i int) path {
	return append(p[:len(p):len(p)], "["+strconv.Itoa(i)+"]")
}

// String renders p as "parties[1].weights.territory".
func (p path) String() string { return strings.TrimPrefix(strings.Join(p, ""), ".") }

// plainKey reports whether k can be written after a dot in a path.
func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// entry is what the index knows about one node of the file.
type entry struct {
	line, col int
	tok       *token.Token // YAML: the key (or element) token, for the excerpt
	keys      []string     // mapping: its keys in file order
	mapping   bool         // the node is a mapping
	seq       int          // sequence: number of elements
	isSeq     bool         // the node is a sequence
}

// index records, for every field of a parsed file, where it is and, for
// mappings, the order of its keys. Semantic errors use it to point at a
// line; the loader uses it to keep file order (references, error order).
type index struct {
	file    string
	data    []byte // the file's text, for excerpts
	entries map[string]*entry
	byPos   map[[2]int]string // YAML: value token position -> path, for decoder errors
	spans   []span            // JSON: the byte range of every value, for decoder errors
	root    *entry

	// light marks an index of the containers only (mappings with their
	// keys, and lists): what loading a valid file needs, at a fraction of
	// the memory of one entry per value. The first error makes it whole
	// (whole), from body for YAML and from data for JSON.
	light bool
	body  ast.Node // YAML: the document's body
}

// whole makes a light index whole, so that errors can point at any value.
func (x *index) whole() {
	if !x.light {
		return
	}
	x.light = false
	x.entries, x.byPos, x.spans = map[string]*entry{}, map[[2]int]string{}, nil
	if x.body != nil {
		x.indexYAML(x.body, nil, 0)
	} else {
		_ = x.indexJSON(x.data) // it succeeded once, light
	}
	if r := x.entries[""]; r != nil {
		x.root = r
	}
	if x.root != nil && x.root.line == 0 {
		x.root.line, x.root.col = 1, 1
	}
}

// span is the byte range [start, end) of the JSON value at path.
type span struct {
	start, end int
	path       string
}

func newIndex(file string, data []byte) *index {
	return &index{file: file, data: data, entries: map[string]*entry{}, byPos: map[[2]int]string{}}
}

// find returns the entry of p or of its nearest recorded ancestor.
func (x *index) find(p path) *entry {
	for n := len(p); n > 0; n-- {
		if e, ok := x.entries[p[:n].String()]; ok {
			return e
		}
	}
	return x.root
}

// errorf returns an *Error at p.
func (x *index) errorf(p path, format string, args ...any) *Error {
	x.whole()
	e := &Error{File: x.file, Path: p.String(), Msg: fmt.Sprintf(format, args...)}
	if n := x.find(p); n != nil {
		e.Line, e.Column = n.line, n.col
		if n.tok != nil {
			e.Excerpt = x.excerpt(n.line, n.col)
		}
	}
	return e
}

// keys returns the keys of the mapping at p in file order when the index
// holds exactly the keys of m, and m's keys sorted otherwise (for
// instance when YAML merge keys brought in entries from elsewhere).
func keys[V any](x *index, p path, m map[string]V) []string {
	if e, ok := x.entries[p.String()]; ok && len(e.keys) == len(m) {
		good := true
		for _, k := range e.keys {
			if _, ok := m[k]; !ok {
				good = false
				break
			}
		}
		if good {
			return e.keys
		}
	}
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// yamlError turns an error from the goccy parser or decoder into an
// *Error, keeping its position and source excerpt and, when the index
// knows the node, naming the field.
func (x *index) yamlError(err error) *Error {
	x.whole()
	var ye yaml.Error
	if !errors.As(err, &ye) || ye.GetToken() == nil {
		return &Error{File: x.file, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	tk := ye.GetToken()
	e := &Error{File: x.file, Line: tk.Position.Line, Column: tk.Position.Column,
		Msg: ye.GetMessage(), Excerpt: x.excerpt(tk.Position.Line, tk.Position.Column)}
	if p, ok := x.byPos[[2]int{tk.Position.Line, tk.Position.Column}]; ok {
		e.Path = p
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && te.DstType != nil {
		e.Msg = fmt.Sprintf("%s is not %s", describeYAML(tk), want(te.DstType))
	}
	var ue *yaml.UnexpectedNodeTypeError
	if errors.As(err, &ue) {
		e.Msg = fmt.Sprintf("found %s where %s is expected", nodeName(ue.Actual), nodeName(ue.Expected))
	}
	return e
}

func describeYAML(tk *token.Token) string {
	switch tk.Type {
	case token.SequenceStartType, token.SequenceEntryType:
		return "a list"
	case token.MappingStartType, token.MappingKeyType:
		return "a mapping"
	}
	v := tk.Value
	if len(v) > 40 {
		v = v[:37] + "..."
	}
	return strconv.Quote(v)
}

// want names what the decoder needed for a Go type.
func want(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping"
	}
	return "a scalar"
}

func nodeName(t ast.NodeType) string {
	switch t {
	case ast.MappingType, ast.MappingValueType:
		return "a mapping"
	case ast.SequenceType:
		return "a list"
	case ast.StringType, ast.LiteralType:
		return "a string"
	case ast.IntegerType:
		return "an integer"
	case ast.FloatType, ast.InfinityType, ast.NanType:
		return "a number"
	case ast.BoolType:
		return "a boolean"
	case ast.NullType:
		return "null"
	}
	return strings.ToLower(t.String())
}

// indexYAML records every mapping key and sequence element below n.
// Aliases are not followed (their expansion is the decoder's business and
// could be exponential).
func (x *index) indexYAML(n ast.Node, p path, depth int) {
	if n == nil || depth > 200 {
		return
	}
	switch v := n.(type) {
	case *ast.DocumentNode:
		x.indexYAML(v.Body, p, depth+1)
	case *ast.TagNode:
		// scanYAML refuses tags: goccy/go-yaml v1.19.2 panics decoding
		// some (github.com/goccy/go-yaml/issues/735).
		x.indexYAML(v.Value, p, depth+1)
	case *ast.AnchorNode:
		x.indexYAML(v.Value, p, depth+1)
	case *ast.MappingNode:
		x.indexPairs(v.Values, p, depth, n)
	case *ast.MappingValueNode:
		x.indexPairs([]*ast.MappingValueNode{v}, p, depth, n)
	case *ast.SequenceNode:
		e := x.entry(p, n)
		e.isSeq = true
		e.seq = len(v.Values)
		for i, el := range v.Values {
			if el == nil || x.light && !isContainer(el) {
				continue
			}
			q := p.at(i)
			x.setPos(q, el.GetToken())
			if !x.light {
				x.markValue(el, q)
			}
			x.indexYAML(el, q, depth+1)
		}
	}
}

func (x *index) indexPairs(pairs []*ast.MappingValueNode, p path, depth int, n ast.Node) {
	e := x.entry(p, n)
	e.mapping = true
	for _, mv := range pairs {
		if mv == nil || mv.Key == nil {
			continue
		}
		k := yamlKey(mv.Key)
		e.keys = append(e.keys, k)
		if x.light && !isContainer(mv.Value) {
			continue
		}
		q := p.key(k)
		x.setPos(q, mv.Key.GetToken())
		if !x.light {
			x.markValue(mv.Key, q)
		}
		if mv.Value != nil {
			if !x.light {
				x.markValue(mv.Value, q)
			}
			x.indexYAML(mv.Value, q, depth+1)
		}
	}
}

// isContainer reports whether n is a mapping or a list (possibly under
// an anchor or tag), or an alias, which may name one.
func isContainer(n ast.Node) bool {
	for n != nil {
		switch v := n.(type) {
		case *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode, *ast.AliasNode:
			return true
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		default:
			return false
		}
	}
	return false
}

// entry returns the entry of p, creating it.
func (x *index) entry(p path, n ast.Node) *entry {
	s := p.String()
	e, ok := x.entries[s]
	if !ok {
		e = &entry{}
		x.entries[s] = e
		if n != nil && n.GetToken() != nil {
			tk := n.GetToken()
			e.line, e.col, e.tok = tk.Position.Line, tk.Position.Column, tk
		}
	}
	return e
}

func (x *index) setPos(p path, tk *token.Token) {
	e := x.entry(p, nil)
	if tk != nil && e.tok == nil {
		e.line, e.col, e.tok = tk.Position.Line, tk.Position.Column, tk
	}
}

// markValue remembers which field the value node n (and the tokens a
// decoder error may point at) belongs to.
func (x *index) markValue(n ast.Node, p path) {
	s := p.String()
	for n != nil {
		if tk := n.GetToken(); tk != nil {
			if _, ok := x.byPos[[2]int{tk.Position.Line, tk.Position.Column}]; !ok {
				x.byPos[[2]int{tk.Position.Line, tk.Position.Column}] = s
			}
		}
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
		case *ast.AnchorNode:
			n = v.Value
		default:
			n = nil
		}
	}
}

// yamlKey returns a mapping key as the decoder sees it when it decodes the
// key into a string (so that 1.50 reads "1.5", as in the decoded map).
func yamlKey(k ast.MapKeyNode) string {
	if s, ok := k.(*ast.StringNode); ok {
		return s.Value
	}
	var s string
	if err := yaml.NodeToValue(k, &s); err == nil {
		return s
	}
	if tk := k.GetToken(); tk != nil {
		return tk.Value
	}
	return k.String()
}

// indexJSON walks a JSON document with encoding/json's tokenizer,
// recording the position of every key and element, the key order of every
// object, and rejecting duplicate keys (which encoding/json would silently
// merge).
func (x *index) indexJSON(data []byte) error {
	lines := lineStarts(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	// The tokenizer moves forward: columns are counted on from the last
	// position, not from the start of the line (quadratic on long lines).
	var cur struct{ line, off, col int }
	pos := func() (int, int) {
		off := int(dec.InputOffset())
		for off < len(data) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
			off++
		}
		l := sort.Search(len(lines), func(i int) bool { return lines[i] > off })
		if l != cur.line || off < cur.off {
			cur.line, cur.off, cur.col = l, lines[l-1], 1
		}
		cur.col += utf8.RuneCount(data[cur.off:off])
		cur.off = off
		return l, cur.col
	}
	// walk indexes the value at p; kl, kc are the position of its key
	// (0 for list elements and the top).
	var walk func(p path, depth, kl, kc int) error
	walk = func(p path, depth, kl, kc int) error {
		line, col := pos()
		start := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return x.jsonSyntax(data, lines, dec, err)
		}
		d, ok := tok.(json.Delim)
		if !ok {
			if !x.light || len(p) == 0 { // a light index still has its root
				e := x.entry(p, nil)
				if e.line == 0 {
					e.line, e.col = line, col
				}
				if kl > 0 {
					e.line, e.col = kl, kc
				}
				x.spans = append(x.spans, span{start, int(dec.InputOffset()), p.String()})
			}
			return nil
		}
		e := x.entry(p, nil)
		e.line, e.col = line, col
		if kl > 0 {
			e.line, e.col = kl, kc
		}
		if depth > 10000 {
			return &Error{File: x.file, Line: line, Column: col, Path: p.String(), Msg: "nested too deeply"}
		}
		switch d {
		case '{':
			e.mapping = true
			seen := map[string]bool{}
			for dec.More() {
				kl, kc := pos()
				kt, err := dec.Token()
				if err != nil {
					return x.jsonSyntax(data, lines, dec, err)
				}
				k, _ := kt.(string)
				q := p.key(k)
				if seen[k] {
					return &Error{File: x.file, Line: kl, Column: kc, Path: q.String(), Msg: fmt.Sprintf("key %q appears twice", k)}
				}
				seen[k] = true
				e.keys = append(e.keys, k)
				if err := walk(q, depth+1, kl, kc); err != nil {
					return err
				}
			}
		case '[':
			e.isSeq = true
			for i := 0; dec.More(); i++ {
				e.seq++
				if err := walk(p.at(i), depth+1, 0, 0); err != nil {
					return err
				}
			}
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return x.jsonSyntax(data, lines, dec, err)
		}
		if !x.light {
			x.spans = append(x.spans, span{start, int(dec.InputOffset()), p.String()})
		}
		return nil
	}
	if err := walk(nil, 0, 0, 0); err != nil {
		return err
	}
	x.root = x.entries[""]
	if _, err := dec.Token(); err != io.EOF {
		l, c := pos()
		return &Error{File: x.file, Line: l, Column: c, Msg: "unexpected data after the top-level object"}
	}
	return nil
}

func (x *index) jsonSyntax(data []byte, lines []int, dec *json.Decoder, err error) *Error {
	off := int(dec.InputOffset())
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset)
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		off = len(data)
		err = errors.New("unexpected end of input")
	}
	l, c := lineCol(data, lines, off)
	return &Error{File: x.file, Line: l, Column: c, Msg: strings.TrimPrefix(err.Error(), "json: ")}
}

// lineStarts returns the offset at which each line of data starts.
func lineStarts(data []byte) []int {
	ls := []int{0}
	for i, b := range data {
		if b == '\n' {
			ls = append(ls, i+1)
		}
	}
	return ls
}

// lineCol converts a byte offset to a 1-based line and column (in runes).
func lineCol(data []byte, lines []int, off int) (int, int) {
	off = min(max(off, 0), len(data))
	l := sort.Search(len(lines), func(i int) bool { return lines[i] > off }) - 1
	return l + 1, utf8.RuneCount(data[lines[l]:off]) + 1
}

// unknownField returns the first key in file order that names no field of
// the schema type t (matching exactly, where encoding/json would ignore
// case), or nil.
func (x *index) unknownField(t reflect.Type, p path) path {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	e, ok := x.entries[p.String()]
	if !ok {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if !e.mapping {
			return nil
		}
		fields := map[string]reflect.Type{}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name != "" && name != "-" {
				fields[name] = f.Type
			}
		}
		for _, k := range e.keys {
			ft, ok := fields[k]
			if !ok {
				return p.key(k)
			}
			if q := x.unknownField(ft, p.key(k)); q != nil {
				return q
			}
		}
	case reflect.Map:
		for _, k := range e.keys {
			if q := x.unknownField(t.Elem(), p.key(k)); q != nil {
				return q
			}
		}
	case reflect.Slice:
		for i := range e.seq {
			if q := x.unknownField(t.Elem(), p.at(i)); q != nil {
				return q
			}
		}
	}
	return nil
}

// jsonError turns an encoding/json decoding error into an *Error.
func (x *index) jsonError(data []byte, err error) *Error {
	x.whole()
	lines := lineStarts(data)
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		l, c := lineCol(data, lines, int(te.Offset))
		e := &Error{File: x.file, Line: l, Column: c, Path: te.Field,
			Msg: fmt.Sprintf("%s is not %s", te.Value, want(te.Type))}
		// The innermost value around the offset names the field exactly
		// (encoding/json's Field leaves out list indices).
		best := -1
		for i, sp := range x.spans {
			if sp.start < int(te.Offset) && int(te.Offset) <= sp.end &&
				(best < 0 || sp.end-sp.start < x.spans[best].end-x.spans[best].start) {
				best = i
			}
		}
		if best >= 0 {
			e.Path = x.spans[best].path
			if n, ok := x.entries[e.Path]; ok && n.line > 0 {
				e.Line, e.Column = n.line, n.col
			}
		}
		return e
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		l, c := lineCol(data, lines, int(se.Offset))
		return &Error{File: x.file, Line: l, Column: c, Msg: strings.TrimPrefix(err.Error(), "json: ")}
	}
	return &Error{File: x.file, Msg: strings.TrimPrefix(err.Error(), "json: ")}
}
