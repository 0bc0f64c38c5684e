package scenario

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/scanner"
	"github.com/goccy/go-yaml/token"
)

// MaxFileSize is the largest file, in bytes, that Read, ReadFile and
// DecodeYAML accept. In YAML it also bounds the text that aliases may
// stand for: a file whose aliases, expanded, would make it longer is
// refused.
const MaxFileSize = 32 << 20

// MaxNodes bounds the nodes of a scenario or configuration file: every
// scalar, list and mapping (in YAML, an alias counts as all the nodes of
// what it names). The YAML parser holds about a kilobyte per node, so the
// limit keeps a file from asking for more than about a gigabyte; it is
// checked before the file is decoded.
const MaxNodes = 1_000_000

// MaxBlockKeys bounds the keys of one YAML block mapping (one key per
// line), and the sum of the squares of the keys of all block mappings of
// a file to MaxBlockKeys². The YAML parser's time grows with the square
// of the keys of a block mapping; a flow mapping ({a: 1, b: 2, ...}, as
// WriteYAML writes value tables) or JSON has no such limit.
const MaxBlockKeys = 10_000

// MaxDepth bounds the nesting of lists and mappings in a file. The
// scenario format needs about six levels; the YAML parser recurses once
// per level, and a few bytes a level ("[[[[...") would otherwise ask it
// for gigabytes.
const MaxDepth = 100

// bom is the UTF-8 byte order mark, which some editors put at the start
// of a file. It is skipped, as XML readers do.
var bom = []byte("\xef\xbb\xbf")

// ErrFileTooLarge is the error of ReadFile and ReadFileFS, inside an
// *fs.PathError naming the file, for a file over MaxFileSize.
var ErrFileTooLarge = fmt.Errorf("file larger than the limit of %d bytes (%d MiB, scenario.MaxFileSize)", MaxFileSize, MaxFileSize>>20)

// ReadFile reads the file at path, refusing a file larger than
// MaxFileSize before reading more than that. Errors are *fs.PathError
// values naming the file; a file too large gives ErrFileTooLarge inside.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return readAll(f, path)
}

// ReadFileFS is ReadFile for the file name of fsys.
func ReadFileFS(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	return readAll(f, name)
}

// readAll reads f, named name, and closes it: at most MaxFileSize bytes.
func readAll(f fs.File, name string) ([]byte, error) {
	defer f.Close()
	tooBig := &fs.PathError{Op: "read", Path: name, Err: ErrFileTooLarge}
	var buf bytes.Buffer
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		if fi.Size() > MaxFileSize {
			return nil, tooBig
		}
		buf.Grow(int(fi.Size()) + 1)
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxFileSize+1)); err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	if buf.Len() > MaxFileSize {
		return nil, tooBig
	}
	return buf.Bytes(), nil
}

// DecodeYAML decodes the YAML document data, read from the file name,
// strictly into v (unknown fields and repeated keys are errors), under
// the limits of scenario files: at most MaxFileSize bytes and MaxNodes
// nodes, counting aliases expanded, MaxDepth levels of nesting and
// MaxBlockKeys keys in a block mapping. Tags (!x) are refused. A leading UTF-8 byte order mark is
// skipped. Errors are *Error values with the line, column and excerpt of
// the problem.
func DecodeYAML(name string, data []byte, v any) error {
	x := newIndex(name, bytes.TrimPrefix(data, bom))
	body, err := x.parseOneDoc()
	if err != nil || body == nil {
		return err
	}
	err = x.decodeNode(body, v)
	if se, ok := err.(*Error); ok && se.Line > 0 && se.Path == "" {
		// Name the field: index the tree only now, on the way out.
		x.indexYAML(body, nil, 0)
		se.Path = x.byPos[[2]int{se.Line, se.Column}]
	}
	return err
}

// parseYAML checks the limits of the file, parses it and checks that its
// aliases, expanded, stay within them. Nothing is allocated before the
// limits on the file's size, nodes and tokens hold, and no tree is built
// before those on nesting and block mappings hold.
func (x *index) parseYAML() (f *ast.File, err error) {
	// goccy/go-yaml still panics on some malformed input (for instance
	// github.com/goccy/go-yaml/issues/735); a reader must not.
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, &Error{File: x.file, Msg: fmt.Sprintf("malformed YAML (the YAML library failed: %v)", r)}
		}
	}()
	if len(x.data) > MaxFileSize {
		return nil, &Error{File: x.file, Msg: fmt.Sprintf("the file is larger than the limit of %d bytes (%d MiB, scenario.MaxFileSize)", MaxFileSize, MaxFileSize>>20)}
	}
	if err := x.countYAML(); err != nil {
		return nil, err
	}
	toks, err := x.scanYAML()
	if err != nil {
		return nil, err
	}
	f, err = parser.Parse(toks, 0)
	if err != nil {
		return nil, x.yamlError(err)
	}
	w := expander{x: x, anchors: map[string]size{}}
	for _, d := range f.Docs {
		if d == nil || d.Body == nil {
			continue
		}
		if _, err := w.size(d.Body, 0); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// decodeNode decodes the YAML node n strictly into v.
func (x *index) decodeNode(n ast.Node, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &Error{File: x.file, Msg: fmt.Sprintf("malformed YAML (the YAML library failed: %v)", r)}
		}
	}()
	if err := yaml.NodeToValue(n, v, yaml.Strict()); err != nil {
		return x.yamlError(err)
	}
	return nil
}

// scanYAML runs the YAML scanner over the file (countYAML has bounded
// its tokens) and refuses tags, more than MaxNodes scalars, aliases and
// flow collections, nesting deeper than MaxDepth and block mappings of
// more than MaxBlockKeys keys: all before the parser builds its tree,
// whose size is about a kilobyte per token, whose recursion follows the
// nesting and whose time is quadratic in the keys of a block mapping. It
// returns the tokens, for the parser.
func (x *index) scanYAML() (token.Tokens, error) {
	var toks token.Tokens
	var s scanner.Scanner
	s.Init(string(x.data))
	type block struct {
		col, keys int
		seq       bool // a block list, else a block mapping
	}
	deep := func(tk *token.Token, depth int) error {
		if depth > MaxDepth {
			return x.tokenError(tk, fmt.Sprintf("lists and mappings nested more than %d deep (the limit, scenario.MaxDepth)", MaxDepth))
		}
		return nil
	}
	var blocks []block
	var prev *token.Token
	nodes, flow := 0, 0
	var work int64 // the parser's work on block mappings: Σ keys²/2
	for {
		tks, err := s.Scan()
		if err == io.EOF {
			return toks, nil
		}
		// As lexer.Tokenize, go on after an error: the parser reports the
		// invalid token with its position.
		toks.Add(tks...)
		for _, tk := range tks {
			switch tk.Type {
			case token.TagType:
				return nil, x.tokenError(tk, fmt.Sprintf("YAML tag %s is not supported (quote the value instead)", tk.Value))
			case token.CommentType, token.SpaceType, token.AnchorType:
				continue
			case token.SequenceStartType, token.MappingStartType:
				flow++
				nodes++
				if err := deep(tk, flow+len(blocks)); err != nil {
					return nil, err
				}
			case token.SequenceEndType, token.MappingEndType:
				flow = max(flow-1, 0)
			case token.DocumentHeaderType, token.DocumentEndType:
				blocks = blocks[:0]
			case token.SequenceEntryType:
				if flow == 0 {
					c := tk.Position.Column
					for len(blocks) > 0 && blocks[len(blocks)-1].col > c {
						blocks = blocks[:len(blocks)-1]
					}
					if len(blocks) == 0 || blocks[len(blocks)-1].col != c || !blocks[len(blocks)-1].seq {
						blocks = append(blocks, block{col: c, seq: true})
						if err := deep(tk, len(blocks)); err != nil {
							return nil, err
						}
					}
				}
			case token.MappingValueType:
				if flow == 0 && prev != nil {
					c := prev.Position.Column
					for len(blocks) > 0 && (blocks[len(blocks)-1].col > c || blocks[len(blocks)-1].col == c && blocks[len(blocks)-1].seq) {
						blocks = blocks[:len(blocks)-1]
					}
					if len(blocks) > 0 && blocks[len(blocks)-1].col == c {
						b := &blocks[len(blocks)-1]
						// The parser copies the keys after each key: the
						// k-th costs k more, k²/2 for the mapping.
						work += int64(b.keys)
						b.keys++
						if b.keys > MaxBlockKeys {
							return nil, x.tokenError(prev, fmt.Sprintf("more than %d keys in one block mapping (scenario.MaxBlockKeys; the YAML parser slows down with the square of their number): write the mapping in flow style, {key: value, ...}, or use JSON", MaxBlockKeys))
						}
						if work > MaxBlockKeys*MaxBlockKeys/2 {
							return nil, x.tokenError(prev, fmt.Sprintf("the block mappings of the file have too many keys together: the YAML parser's time grows with the square of each one's keys, and their squares add up to more than %d² (scenario.MaxBlockKeys): write large mappings in flow style, {key: value, ...}, or use JSON", MaxBlockKeys))
						}
					} else {
						blocks = append(blocks, block{col: c, keys: 1})
						if err := deep(prev, len(blocks)); err != nil {
							return nil, err
						}
					}
				}
			case token.MappingKeyType, token.CollectEntryType, token.DirectiveType, token.MergeKeyType:
			default: // scalars and aliases
				nodes++
			}
			if nodes > MaxNodes {
				return nil, x.tokenError(tk, fmt.Sprintf("more than %d values, lists and mappings (the limit, scenario.MaxNodes)", MaxNodes))
			}
			prev = tk
		}
	}
}

// size is the expanded size of a YAML node: its nodes, and the bytes of
// its scalars plus one per node.
type size struct{ nodes, bytes int64 }

// expander computes the size of a YAML tree with every alias replaced by
// what it names, remembering the size of each anchor, so that it takes
// time linear in the tree however deeply aliases nest.
type expander struct {
	x       *index
	anchors map[string]size
	total   size
}

// size returns the expanded size of n and adds it to the total, failing
// as soon as the total passes MaxNodes or MaxFileSize.
func (w *expander) size(n ast.Node, depth int) (size, error) {
	if n == nil {
		return size{}, nil
	}
	if depth > 10000 {
		return size{}, w.x.tokenError(n.GetToken(), "nested too deeply")
	}
	var s size
	add := func(c size) {
		s.nodes += c.nodes
		s.bytes += c.bytes
	}
	switch v := n.(type) {
	case *ast.AliasNode:
		name := ""
		if v.Value != nil && v.Value.GetToken() != nil {
			name = v.Value.GetToken().Value
		}
		a, ok := w.anchors[name]
		if !ok {
			a = size{1, 1}
		}
		w.total.nodes += a.nodes
		w.total.bytes += a.bytes
		if err := w.check(v.GetToken(), true); err != nil {
			return s, err
		}
		return a, nil
	case *ast.AnchorNode:
		name := ""
		if v.Name != nil && v.Name.GetToken() != nil {
			name = v.Name.GetToken().Value
		}
		c, err := w.size(v.Value, depth+1)
		if err != nil {
			return s, err
		}
		w.anchors[name] = c
		return c, nil
	case *ast.TagNode:
		return w.size(v.Value, depth+1)
	case *ast.DocumentNode:
		return w.size(v.Body, depth+1)
	case *ast.MappingKeyNode:
		return w.size(v.Value, depth+1)
	case *ast.MappingNode:
		s = size{1, 1}
		w.total.nodes++
		w.total.bytes++
		for _, mv := range v.Values {
			c, err := w.size(mv, depth+1)
			if err != nil {
				return s, err
			}
			add(c)
		}
	case *ast.MappingValueNode:
		for _, part := range []ast.Node{v.Key, v.Value} {
			c, err := w.size(part, depth+1)
			if err != nil {
				return s, err
			}
			add(c)
		}
		return s, nil
	case *ast.SequenceNode:
		s = size{1, 1}
		w.total.nodes++
		w.total.bytes++
		for _, el := range v.Values {
			c, err := w.size(el, depth+1)
			if err != nil {
				return s, err
			}
			add(c)
		}
	case *ast.CommentGroupNode:
		return s, nil
	default:
		s = size{1, 1}
		if tk := n.GetToken(); tk != nil {
			s.bytes += int64(len(tk.Value))
		}
		if l, ok := n.(*ast.LiteralNode); ok && l.Value != nil {
			s.bytes += int64(len(l.Value.Value))
		}
		w.total.nodes += s.nodes
		w.total.bytes += s.bytes
	}
	return s, w.check(n.GetToken(), false)
}

// check fails when the expanded total passes a limit; alias says the
// last node added was an alias.
func (w *expander) check(tk *token.Token, alias bool) error {
	what := "the file has"
	if alias {
		what = "with its aliases expanded, the file has"
	}
	switch {
	case w.total.nodes > MaxNodes:
		return w.x.tokenError(tk, fmt.Sprintf("%s more than %d values, lists and mappings (the limit, scenario.MaxNodes)", what, MaxNodes))
	case w.total.bytes > MaxFileSize:
		return w.x.tokenError(tk, fmt.Sprintf("%s more than %d bytes (the limit, scenario.MaxFileSize)", what, MaxFileSize))
	}
	return nil
}

// tokenError returns an *Error at tk (which may be nil).
func (x *index) tokenError(tk *token.Token, msg string) *Error {
	e := &Error{File: x.file, Msg: msg}
	if tk != nil {
		e.Line, e.Column = tk.Position.Line, tk.Position.Column
		e.Excerpt = x.excerpt(e.Line, e.Column)
	}
	return e
}

// excerptWidth is how many runes of a line an excerpt shows at most;
// longer lines are cut to a window around the column.
const excerptWidth = 120

// excerpt returns the lines of the file around line with a caret under
// col, in goccy/go-yaml's layout:
//
//	   4 |     values: [cafe, park]
//	>  5 |     weights: {place: 1, time: 1}
//	                                ^
//
// Long lines are cut to a window around col, so that an excerpt costs
// time and space proportional to its width, not to the lines' length.
func (x *index) excerpt(line, col int) string {
	return Excerpt(x.data, line, col)
}

// Excerpt returns the lines of data around line (1-based) with a caret
// under column col (1-based, in runes), as in Error.Excerpt: up to three
// lines before and three after, each cut to a window of at most 120
// characters around the column.
func Excerpt(data []byte, line, col int) string {
	if line <= 0 {
		return ""
	}
	col = max(col, 1)
	// The window of runes shown on every line, around col.
	from := max(col-excerptWidth/2, 1)
	var b strings.Builder
	n, start := 1, 0
	for start <= len(data) && n <= line+3 {
		end := bytes.IndexByte(data[start:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += start
		}
		if n >= line-3 {
			if n > line && start == len(data) {
				break
			}
			w, more := window(data[start:end], from, excerptWidth)
			text := strings.TrimRight(string(w), "\r")
			if from > 1 && text != "" {
				text = "..." + text
			}
			if more {
				text += "..."
			}
			mark := "  "
			if n == line {
				mark = "> "
			}
			prefix := fmt.Sprintf("%s%2d | ", mark, n)
			b.WriteString(strings.TrimRight(prefix+text, " "))
			b.WriteByte('\n')
			if n == line {
				pad := len(prefix) + col - from
				if from > 1 {
					pad += 3
				}
				b.WriteString(strings.Repeat(" ", pad))
				b.WriteString("^\n")
			}
		}
		n++
		start = end + 1
	}
	return strings.TrimRight(b.String(), "\n")
}

// window returns the runes [from, from+width) (1-based) of line, reading
// no further than it needs to, and whether the line goes on after them.
func window(line []byte, from, width int) ([]byte, bool) {
	i, r := 0, 1
	for r < from && i < len(line) {
		_, n := utf8.DecodeRune(line[i:])
		i += n
		r++
	}
	j := i
	for k := 0; k < width && j < len(line); k++ {
		_, n := utf8.DecodeRune(line[j:])
		j += n
	}
	return line[i:j], j < len(line)
}

// CheckJSON checks a JSON text, read from the file name, against
// MaxFileSize, MaxNodes and MaxDepth in one pass over its bytes that
// allocates nothing, so that a reader can refuse a hostile file before
// decoding it. Errors are *Error values with the line and column of the
// first value over a limit. Syntax is not checked.
func CheckJSON(name string, data []byte) error {
	if len(data) > MaxFileSize {
		return &Error{File: name, Msg: fmt.Sprintf("the file is larger than the limit of %d bytes (%d MiB, scenario.MaxFileSize)", MaxFileSize, MaxFileSize>>20)}
	}
	return newIndex(name, data).checkJSONNodes()
}

// checkJSONNodes counts the values (scalars, arrays and objects; object
// keys are not counted) of a JSON text in one pass that allocates
// nothing, and refuses the file past MaxNodes with the position of the
// first value over the limit. Syntax is not checked here.
func (x *index) checkJSONNodes() error {
	data := x.data
	nodes, depth := 0, 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		start := i
		switch c {
		case ' ', '\t', '\r', '\n', ',', ':':
			continue
		case ']', '}':
			depth = max(depth-1, 0)
			continue
		case '"':
			// A string: skip it, then see whether it is a key.
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			j := i + 1
			for j < len(data) && (data[j] == ' ' || data[j] == '\t' || data[j] == '\r' || data[j] == '\n') {
				j++
			}
			if j < len(data) && data[j] == ':' {
				continue
			}
		case '[', '{':
			if depth++; depth > MaxDepth {
				l, col := lineCol(data, lineStarts(data), start)
				return &Error{File: x.file, Line: l, Column: col,
					Msg: fmt.Sprintf("arrays and objects nested more than %d deep (the limit, scenario.MaxDepth)", MaxDepth)}
			}
		default:
			// A number or literal: skip to its end.
			for i+1 < len(data) && strings.IndexByte(" \t\r\n,:]}[{\"", data[i+1]) < 0 {
				i++
			}
		}
		if nodes++; nodes > MaxNodes {
			lines := lineStarts(data)
			l, col := lineCol(data, lines, start)
			return &Error{File: x.file, Line: l, Column: col,
				Msg: fmt.Sprintf("the file has more than %d values, arrays and objects (the limit, scenario.MaxNodes)", MaxNodes)}
		}
	}
	return nil
}

// countYAML counts the scalars, aliases and flow collections of a YAML
// text, and all its tokens, in one pass over its bytes that allocates
// nothing, and refuses the file past MaxNodes nodes, 3·MaxNodes tokens or
// MaxDepth levels of flow collections. The YAML scanner tokenizes a whole
// file in one call (about 200 bytes a token), so this comes first. The
// node count errs on the high side only for multi-line plain and block
// scalars, whose every line it counts.
func (x *index) countYAML() error {
	data := x.data
	nodes, tokens, flow := 0, 0, 0
	lineStart := true
	space := func(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	// ends reports whether a plain scalar ends before data[i].
	ends := func(i int) bool {
		c := data[i]
		switch {
		case c == '\n' || c == '\r':
			return true
		case c == ':' && (i+1 == len(data) || space(data[i+1]) || flow > 0 && strings.IndexByte(",[]{}", data[i+1]) >= 0):
			return true
		case c == '#' && i > 0 && space(data[i-1]):
			return true
		case flow > 0 && strings.IndexByte(",[]{}", c) >= 0:
			return true
		}
		return false
	}
	fail := func(off int, msg string) error {
		line := bytes.Count(data[:off], []byte("\n")) + 1
		col := utf8.RuneCount(data[bytes.LastIndexByte(data[:off], '\n')+1:off]) + 1
		return x.tokenError(&token.Token{Position: &token.Position{Line: line, Column: col}}, msg)
	}
	for i := 0; i < len(data); i++ {
		c := data[i]
		start := i
		wasLineStart := lineStart
		lineStart = c == '\n'
		node := true
		switch {
		case space(c):
			continue
		case c == ',' || c == ']' || c == '}':
			node = false
			if c != ',' {
				flow = max(flow-1, 0)
			}
		case c == '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
			lineStart = true
			node = false
		case wasLineStart && (bytes.HasPrefix(data[i:], []byte("---")) || bytes.HasPrefix(data[i:], []byte("..."))) &&
			(i+3 == len(data) || space(data[i+3])):
			i += 2
			node = false
		case wasLineStart && c == '%': // a directive
			for i < len(data) && data[i] != '\n' {
				i++
			}
			lineStart = true
			node = false
		case (c == '-' || c == '?' || c == ':') && (i+1 == len(data) || space(data[i+1])):
			node = false // indicators of block entries, keys and values
		case c == '[' || c == '{':
			if flow++; flow > MaxDepth {
				return fail(start, fmt.Sprintf("lists and mappings nested more than %d deep (the limit, scenario.MaxDepth)", MaxDepth))
			}
		case c == '&' || c == '!': // an anchor or tag: not a node itself
			for i+1 < len(data) && !space(data[i+1]) && (flow == 0 || strings.IndexByte(",[]{}", data[i+1]) < 0) {
				i++
			}
			node = false
		case c == '"':
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
		case c == '\'':
			for i++; i < len(data); i++ {
				if data[i] == '\'' {
					if i+1 < len(data) && data[i+1] == '\'' {
						i++
						continue
					}
					break
				}
			}
		default: // a plain scalar, an alias or a block scalar's line
			for i+1 < len(data) && !ends(i+1) {
				i++
			}
		}
		if tokens++; tokens > 3*MaxNodes {
			return fail(start, fmt.Sprintf("more than %d tokens, scalars and indicators (the limit, 3 × scenario.MaxNodes)", 3*MaxNodes))
		}
		if !node {
			continue
		}
		if nodes++; nodes > MaxNodes {
			return fail(start, fmt.Sprintf("more than %d values, lists and mappings (the limit, scenario.MaxNodes)", MaxNodes))
		}
	}
	return nil
}

// PositionYAML returns the line and column of the value at field, a path
// as in Error.Path ("agents[2]", "limit"), in the YAML document data, and
// false when there is no such value. Aliases are not followed. data is
// held to the limits of DecodeYAML.
func PositionYAML(data []byte, field string) (line, col int, ok bool) {
	x := newIndex("", bytes.TrimPrefix(data, bom))
	f, err := x.parseYAML()
	if err != nil {
		return 0, 0, false
	}
	var n ast.Node
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			n = d.Body
			break
		}
	}
	for rest := field; n != nil; {
		for { // look through anchors and tags
			if a, isA := n.(*ast.AnchorNode); isA {
				n = a.Value
			} else if t, isT := n.(*ast.TagNode); isT {
				n = t.Value
			} else {
				break
			}
		}
		if rest == "" {
			tk := n.GetToken()
			if tk == nil {
				return 0, 0, false
			}
			return tk.Position.Line, tk.Position.Column, true
		}
		var key string
		index := -1
		switch {
		case strings.HasPrefix(rest, `["`):
			end := strings.Index(rest, `"]`)
			if end < 0 {
				return 0, 0, false
			}
			k, err := strconv.Unquote(rest[1 : end+1])
			if err != nil {
				return 0, 0, false
			}
			key, rest = k, rest[end+2:]
		case strings.HasPrefix(rest, "["):
			end := strings.IndexByte(rest, ']')
			i, err := strconv.Atoi(rest[1:max(end, 1)])
			if end < 0 || err != nil {
				return 0, 0, false
			}
			index, rest = i, rest[end+1:]
		default:
			rest = strings.TrimPrefix(rest, ".")
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			key, rest = rest[:end], rest[end:]
		}
		next := ast.Node(nil)
		switch v := n.(type) {
		case *ast.SequenceNode:
			if index >= 0 && index < len(v.Values) {
				next = v.Values[index]
			}
		case *ast.MappingNode:
			for _, mv := range v.Values {
				if index < 0 && mv != nil && mv.Key != nil && yamlKey(mv.Key) == key {
					next = mv.Value
				}
			}
		case *ast.MappingValueNode:
			if index < 0 && v.Key != nil && yamlKey(v.Key) == key {
				next = v.Value
			}
		}
		n = next
	}
	return 0, 0, false
}

// parseOneDoc parses the file under the limits of parseYAML and returns
// the body of its one document (nil for an empty file); a second document
// is an error.
func (x *index) parseOneDoc() (ast.Node, error) {
	file, err := x.parseYAML()
	if err != nil {
		return nil, err
	}
	var body ast.Node
	for _, d := range file.Docs {
		if d == nil || d.Body == nil {
			continue
		}
		if body != nil {
			return nil, x.tokenError(d.Body.GetToken(), "more than one YAML document")
		}
		body = d.Body
	}
	return body, nil
}
