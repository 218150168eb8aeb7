package loader

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	goccyyaml "github.com/goccy/go-yaml"
	goccyparser "github.com/goccy/go-yaml/parser"
	"github.com/thrivegraph/thrivegraph/graph"
	"gopkg.in/yaml.v3"
)

// Limits on one data file.
const (
	MaxFileSize   = 16 << 20 // bytes, after decompression
	MaxLineLength = 64 << 10 // bytes, without the line break
)

// Parse reads one data file in the format of docs/FORMAT.md (YAML, or JSON,
// which is YAML too) and returns the batch it describes. name is used in
// error messages only.
//
// Parse checks everything that can be checked within the file: the shape of
// the document, unknown and missing fields, ids, dates, policy levels,
// duplicates, and the type of every reference to a node the file defines.
// References to ids the file does not define are left to Load, which
// resolves them against the other files and the store.
//
// On failure the error is a *ValidationError listing every problem of the
// file. Parse is deterministic: the same input gives the same batch, with
// nodes, links, affiliations and figures in document order (sections in
// the order source, organizations, people, events, themes, policyLevels,
// places, figures).
func Parse(name string, r io.Reader) (*graph.Batch, error) {
	f := parseFile(name, r)
	if err := newValidationError([]string{name}, f.issues); err != nil {
		return nil, err
	}
	return f.batch, nil
}

// def is where a file defines a node.
type def struct {
	typ       graph.NodeType
	field     string
	line, col int
	file      string // the sheet of a CSV source; "" for the file itself
}

// ref is a reference from a file to a node.
type ref struct {
	id        string
	want      []graph.NodeType // the types that fit the field; nil for any node
	field     string
	line, col int
	file      string // the sheet of a CSV source; "" for the file itself
}

// file is one parsed data file, with what Load needs to check it against
// the other files and the store.
type file struct {
	name   string
	batch  *graph.Batch
	ids    []string       // the ids the file defines, in document order
	defs   map[string]def // by id
	refs   []ref          // references to ids the file does not define
	read   bool           // the document was read; false after a file-level error
	seed   bool           // one of the seed's files (Options.Seed)
	empty  bool           // CSV sheets without a row: nothing to load
	issues []Issue
}

// parseFile parses one data file; it never fails but records issues.
func parseFile(name string, r io.Reader) *file {
	p := &parser{
		file:    &file{name: name, batch: &graph.Batch{}, defs: map[string]def{}},
		figures: map[string]*yaml.Node{},
	}
	root := p.readDocument(r)
	if root == nil {
		return p.file
	}
	p.read = true
	p.document(root)
	p.resolve()
	return p.file
}

// parser walks the YAML node tree of one file against the expected shape.
type parser struct {
	*file
	all     []ref                 // every reference, resolved after the walk
	figures map[string]*yaml.Node // figure ids, to find duplicates
}

// errorf records an issue at n (nil: the whole file).
func (p *parser) errorf(n *yaml.Node, field, format string, args ...any) {
	i := Issue{File: p.name, Field: field, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		i.Line, i.Column = n.Line, n.Column
	}
	p.issues = append(p.issues, i)
}

// --- Reading the document ---------------------------------------------------

// readDocument reads r and returns the root node of its one YAML document,
// or nil after recording why the file cannot be read.
func (p *parser) readDocument(r io.Reader) *yaml.Node {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		p.errorf(nil, "", "cannot read the file: %v", err)
		return nil
	}
	if len(data) > MaxFileSize {
		p.errorf(nil, "", "file is larger than %d MiB", MaxFileSize>>20)
		return nil
	}
	if !p.checkText(data) {
		return nil
	}
	docs, err := decodeAll(data)
	if err != nil {
		p.syntaxError(err, data)
		return nil
	}
	var root *yaml.Node
	for _, d := range docs {
		if len(d.Content) == 0 || isNull(d.Content[0]) {
			continue // an empty document, as after a trailing "---"
		}
		if root != nil {
			p.errorf(d.Content[0], "", "a second YAML document: a data file holds one document")
			return nil
		}
		root = d.Content[0]
	}
	if root == nil {
		p.errorf(nil, "", "file is empty")
	}
	return root
}

// checkText checks that data is UTF-8 text without control characters or
// overlong lines, the things that yaml.v3 reports without a position.
func (p *parser) checkText(data []byte) bool {
	ok := true
	line, col, start := 1, 1, 0
	longLine := func(end int) {
		if end-start > MaxLineLength { // the column of the first character past the limit
			p.issues = append(p.issues, Issue{File: p.name, Line: line, Column: utf8.RuneCount(data[start:start+MaxLineLength]) + 1,
				Msg: fmt.Sprintf("line is longer than %d KiB", MaxLineLength>>10)})
			ok = false
		}
	}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			p.issues = append(p.issues, Issue{File: p.name, Line: line, Column: col,
				Msg: fmt.Sprintf("invalid UTF-8 (byte 0x%02x)", data[i])})
			return false // positions after it would be guesses
		case r == '\n':
			longLine(i)
			line, col, start = line+1, 0, i+1
		case !printable(r):
			p.issues = append(p.issues, Issue{File: p.name, Line: line, Column: col,
				Msg: fmt.Sprintf("control character %U is not allowed", r)})
			ok = false
		}
		i += size
		col++
	}
	longLine(len(data))
	return ok
}

// printable reports whether YAML allows r in a document.
func printable(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		(r >= 0x20 && r <= 0x7e) || r == 0x85 ||
		(r >= 0xa0 && r <= 0xd7ff) || (r >= 0xe000 && r <= 0xfffd) ||
		(r >= 0x10000 && r <= utf8.MaxRune)
}

// decodeAll parses every YAML document of data into a node tree.
func decodeAll(data []byte) (docs []*yaml.Node, err error) {
	defer func() {
		if v := recover(); v != nil { // yaml.v3 has panicked on odd input before
			err = fmt.Errorf("yaml: the YAML parser failed: %v", v)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		switch err := dec.Decode(&doc); err {
		case nil:
			docs = append(docs, &doc)
		case io.EOF:
			return docs, nil
		default:
			return docs, err
		}
	}
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserProblems are the yaml.v3 parser (not scanner) errors. yaml.v3
// reports their line 0-based (it adds one for scanner errors only) and
// leaves the line out when it is the first.
var parserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"found undefined tag handle":             true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// syntaxError records a yaml.v3 syntax error in data at the line it gives
// (corrected to 1-based for parser errors) and a column, which yaml.v3 does
// not give: where goccy/go-yaml's parser, run on the same text, stops when
// it stops on that line; else the unclosed "[" or "{" of a flow collection
// the message is about, or the line's first character that is not a space.
func (p *parser) syntaxError(err error, data []byte) {
	msg, line := err.Error(), 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
		if strings.Contains(msg, "anchor") || strings.Contains(msg, "parser failed") {
			line = -1 // not from the scanner or parser: no position
		}
	}
	switch {
	case parserProblems[msg]:
		line++
	case line == 0:
		line = 1 // scanner errors on the first line come without a line
	case line < 0:
		line = 0
	}
	col := 0
	if line > 0 {
		if l, c := locateSyntaxError(data); l == line {
			col = c
		} else {
			col = guessColumn(data, line, msg)
		}
	}
	p.issues = append(p.issues, Issue{File: p.name, Line: line, Column: col, Msg: "YAML syntax error: " + msg})
}

// locateSyntaxError returns where goccy/go-yaml's parser finds a syntax
// error in data (1-based line and column, in characters); line 0 when it
// finds none.
func locateSyntaxError(data []byte) (line, col int) {
	defer func() {
		if recover() != nil {
			line = 0
		}
	}()
	_, err := goccyparser.ParseBytes(data, 0)
	var se *goccyyaml.SyntaxError
	if !errors.As(err, &se) || se.Token == nil || se.Token.Position == nil || se.Token.Position.Line < 1 {
		return 0, 0
	}
	return se.Token.Position.Line, max(se.Token.Position.Column, 1)
}

// guessColumn returns, on line of data, the column of the last "[" (or
// "{") when msg is about the end of a flow list (or mapping), else that of
// the first character that is not a space or a tab; 1 when there is none.
func guessColumn(data []byte, line int, msg string) int {
	lines := bytes.SplitN(data, []byte("\n"), line+1)
	if line < 1 || line > len(lines) {
		return 1
	}
	l := lines[line-1]
	i := -1
	switch {
	case strings.Contains(msg, "']'"):
		i = bytes.LastIndexByte(l, '[')
	case strings.Contains(msg, "'}'"):
		i = bytes.LastIndexByte(l, '{')
	}
	if i < 0 {
		i = bytes.IndexFunc(l, func(r rune) bool { return r != ' ' && r != '\t' })
	}
	if i < 0 {
		return 1
	}
	return utf8.RuneCount(l[:i]) + 1
}

// --- Walking the node tree ---------------------------------------------------

// join appends a key to a field path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// index appends a list index to a field path.
func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// describe names the kind of n for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!int", "!!float":
			return "a number"
		case "!!bool":
			return "a boolean"
		}
		return "a string"
	}
	return "an unknown YAML node"
}

var kindNames = map[yaml.Kind]string{yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list", yaml.ScalarNode: "a string"}

// is reports whether n is of the given kind, and records an issue if not.
func (p *parser) is(field string, n *yaml.Node, kind yaml.Kind) bool {
	switch n.Kind {
	case kind:
		return true
	case yaml.AliasNode:
		p.errorf(n, field, "YAML aliases are not supported: write the value out")
	default:
		p.errorf(n, field, "expected %s, found %s", kindNames[kind], describe(n))
	}
	return false
}

// mapping checks that n is a mapping whose keys are all among keys, and
// returns the value of each key given.
func (p *parser) mapping(path string, n *yaml.Node, keys []string) (map[string]*yaml.Node, bool) {
	if !p.is(path, n, yaml.MappingNode) {
		return nil, false
	}
	m := make(map[string]*yaml.Node, len(n.Content)/2)
	seen := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, path, "expected a field name, found %s", describe(k))
			continue
		}
		field := join(path, k.Value)
		if !slices.Contains(keys, k.Value) {
			p.errorf(k, field, "unknown field (known: %s)", strings.Join(keys, ", "))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			p.errorf(k, field, "field given twice (first at line %d)", first.Line)
			continue
		}
		seen[k.Value] = k
		m[k.Value] = v
	}
	return m, true
}

// str returns the trimmed text of the scalar n, "" for null or a missing
// node; ok is false (and an issue recorded) when n is not a scalar.
func (p *parser) str(field string, n *yaml.Node) (s string, ok bool) {
	if n == nil || isNull(n) {
		return "", true
	}
	if !p.is(field, n, yaml.ScalarNode) {
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

// required returns the text of m[key], recording an issue if it is
// missing or empty.
func (p *parser) required(path string, parent *yaml.Node, m map[string]*yaml.Node, key string) string {
	field := join(path, key)
	n, given := m[key]
	if !given {
		p.errorf(parent, field, "required field is missing")
		return ""
	}
	s, ok := p.str(field, n)
	if ok && s == "" {
		p.errorf(n, field, "must not be empty")
	}
	return s
}

// optional returns the text of n, or nil when n is missing, null or empty.
func (p *parser) optional(field string, n *yaml.Node) *string {
	if s, _ := p.str(field, n); s != "" {
		return &s
	}
	return nil
}

// list returns the items of the list n; a missing or null n is an empty list.
func (p *parser) list(field string, n *yaml.Node) []*yaml.Node {
	if n == nil || isNull(n) || !p.is(field, n, yaml.SequenceNode) {
		return nil
	}
	return n.Content
}

// item is one string of a list of strings.
type item struct {
	value string
	field string
	node  *yaml.Node
}

// strs returns the non-empty strings of the list n, recording empty items,
// items that are not strings and items listed twice.
func (p *parser) strs(field string, n *yaml.Node) []item {
	var items []item
	seen := map[string]*yaml.Node{}
	for i, in := range p.list(field, n) {
		f := index(field, i)
		s, ok := p.str(f, in)
		switch {
		case !ok:
		case s == "":
			p.errorf(in, f, "must not be empty")
		case seen[s] != nil:
			p.errorf(in, f, "%q listed twice (first at line %d, column %d)", s, seen[s].Line, seen[s].Column)
		default:
			seen[s] = in
			items = append(items, item{s, f, in})
		}
	}
	return items
}

// values returns the strings of items, nil for none.
func values(items []item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.value)
	}
	return out
}

// invalidID explains why id is not an id.
func invalidID(id string) string {
	like := graph.Slug(id)
	if like == "" {
		like = "casa-de-maryland"
	}
	return fmt.Sprintf("invalid id %q: an id is lower-case letters and digits joined by single hyphens, like %q", id, like)
}

// unknownLevel explains that id is not a policy level.
func unknownLevel(id string) string {
	return fmt.Sprintf("unknown policy level %q (known: %s)", id, strings.Join(graph.PolicyLevelIDs, ", "))
}

// ref records a reference to id, checking what can be checked without
// knowing the other nodes; it reports whether the reference is usable.
func (p *parser) ref(it item, want []graph.NodeType) bool {
	if !graph.ValidID(it.value) {
		p.errorf(it.node, it.field, "%s", invalidID(it.value))
		return false
	}
	if slices.Equal(want, []graph.NodeType{graph.TypePolicyLevel}) && !slices.Contains(graph.PolicyLevelIDs, it.value) {
		p.errorf(it.node, it.field, "%s", unknownLevel(it.value))
		return false
	}
	p.all = append(p.all, ref{id: it.value, want: want, field: it.field, line: it.node.Line, col: it.node.Column})
	return true
}

// linksTo adds a link from the node id to every node listed in n.
func (p *parser) linksTo(id string, rel graph.Relation, field string, n *yaml.Node) {
	for _, it := range p.strs(field, n) {
		if p.ref(it, graph.Endpoints[rel].To) && id != "" {
			p.batch.Links = append(p.batch.Links, graph.Link{From: id, Relation: rel, To: it.value})
		}
	}
}

// linksFrom adds a link from every node listed in n to the node id.
func (p *parser) linksFrom(id string, rel graph.Relation, field string, n *yaml.Node) {
	for _, it := range p.strs(field, n) {
		if p.ref(it, graph.Endpoints[rel].From) && id != "" {
			p.batch.Links = append(p.batch.Links, graph.Link{From: it.value, Relation: rel, To: id})
		}
	}
}

// date returns the date in n, "" when it is missing or malformed.
func (p *parser) date(field string, n *yaml.Node) string {
	s, ok := p.str(field, n)
	if !ok || s == "" {
		return ""
	}
	if msg := dateProblem(s); msg != "" {
		p.errorf(n, field, "%s", msg)
		return ""
	}
	return s
}

// dateProblem says what is wrong with a date, or "" when it is a real
// YYYY-MM-DD calendar date. Every format checks dates with it.
func dateProblem(s string) string {
	if !dateShape.MatchString(s) {
		return fmt.Sprintf("malformed date %q: want YYYY-MM-DD", s)
	}
	if _, err := graph.ParseDate(s); err != nil {
		return fmt.Sprintf("malformed date %q: no such day", s)
	}
	return ""
}

var dateShape = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// --- The sections --------------------------------------------------------------

var sections = []string{"source", "organizations", "people", "events", "themes", "policyLevels", "places", "figures"}

// document walks the root mapping.
func (p *parser) document(root *yaml.Node) {
	m, ok := p.mapping("", root, sections)
	if !ok {
		return
	}
	if n, given := m["source"]; given {
		p.source(n)
	} else {
		p.errorf(root, "source", "required field is missing")
	}
	p.each("organizations", m["organizations"], p.organization)
	p.each("people", m["people"], p.person)
	p.each("events", m["events"], p.event)
	p.each("themes", m["themes"], p.theme)
	p.each("policyLevels", m["policyLevels"], p.entityOnly(graph.TypePolicyLevel))
	p.each("places", m["places"], p.entityOnly(graph.TypePlace))
	p.each("figures", m["figures"], p.figure)
}

// each calls fn on every item of the list section.
func (p *parser) each(section string, n *yaml.Node, fn func(path string, n *yaml.Node)) {
	for i, it := range p.list(section, n) {
		fn(index(section, i), it)
	}
}

func (p *parser) source(n *yaml.Node) {
	const path = "source"
	m, ok := p.mapping(path, n, []string{"id", "title", "url", "publisher", "published", "document", "note", "authors"})
	if !ok {
		return
	}
	s := &p.batch.Source
	s.ID = p.required(path, n, m, "id")
	if s.ID != "" && !graph.ValidID(s.ID) {
		p.errorf(m["id"], "source.id", "%s", invalidID(s.ID))
	}
	s.Title = p.required(path, n, m, "title")
	s.URL = p.optional("source.url", m["url"])
	if s.URL != nil {
		if u, err := url.Parse(*s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.errorf(m["url"], "source.url", "%q is not an absolute http or https URL", *s.URL)
		}
	}
	s.Publisher = p.optional("source.publisher", m["publisher"])
	if d := p.date("source.published", m["published"]); d != "" {
		s.Published = &d
	}
	s.Document = p.optional("source.document", m["document"])
	s.Note = p.optional("source.note", m["note"])
	for _, it := range p.strs("source.authors", m["authors"]) {
		if p.ref(it, []graph.NodeType{graph.TypePerson}) {
			s.Authors = append(s.Authors, it.value)
		}
	}
}

// entity reads the fields every node has (name, id, aliases, description)
// and defines the node's id. It returns the record, the fields of the
// mapping (nil if n is not one) and whether the node has a usable id.
func (p *parser) entity(path string, n *yaml.Node, typ graph.NodeType, extra ...string) (graph.NodeRecord, map[string]*yaml.Node, bool) {
	m, ok := p.mapping(path, n, append([]string{"name", "id", "aliases", "description"}, extra...))
	if !ok {
		return graph.NodeRecord{}, nil, false
	}
	rec := graph.NodeRecord{Type: typ}
	rec.Name = p.required(path, n, m, "name")
	rec.Aliases = values(p.strs(join(path, "aliases"), m["aliases"]))
	rec.Description, _ = p.str(join(path, "description"), m["description"])
	rec.ID = p.define(path, m, rec.Name, typ)
	return rec, m, rec.ID != ""
}

// define works out the id of a node (given, or the slug of its name) and
// records its definition; it returns "" when the node has no usable id.
func (p *parser) define(path string, m map[string]*yaml.Node, name string, typ graph.NodeType) string {
	var id, field string
	var at *yaml.Node
	if n, given := m["id"]; given {
		field, at = join(path, "id"), n
		s, ok := p.str(field, n)
		switch {
		case !ok:
			return ""
		case s == "":
			p.errorf(n, field, "must not be empty")
			return ""
		case !graph.ValidID(s):
			p.errorf(n, field, "%s", invalidID(s))
			return ""
		}
		id = s
	} else {
		if name == "" {
			return "" // reported as a missing name
		}
		field, at = join(path, "name"), m["name"]
		id = graph.Slug(name)
		if id == "" {
			p.errorf(at, field, "name %q has no letter or digit to make an id of: give an id", name)
			return ""
		}
	}
	if typ == graph.TypePolicyLevel && !slices.Contains(graph.PolicyLevelIDs, id) {
		p.errorf(at, field, "%s", unknownLevel(id))
		return ""
	}
	if first, dup := p.defs[id]; dup {
		p.errorf(at, field, "id %q already defined at line %d (%s)", id, first.line, first.field)
		return ""
	}
	p.defs[id] = def{typ: typ, field: path, line: at.Line, col: at.Column}
	p.ids = append(p.ids, id)
	return id
}

// add appends a node to the batch when it has an id.
func (p *parser) add(rec graph.NodeRecord, ok bool) {
	if ok {
		p.batch.Nodes = append(p.batch.Nodes, rec)
	}
}

func (p *parser) organization(path string, n *yaml.Node) {
	rec, m, ok := p.entity(path, n, graph.TypeOrganization, "kinds", "places", "themes", "policyLevels")
	if m == nil {
		return
	}
	rec.Kinds = values(p.strs(join(path, "kinds"), m["kinds"]))
	p.add(rec, ok)
	p.linksTo(rec.ID, graph.RelPlace, join(path, "places"), m["places"])
	p.linksTo(rec.ID, graph.RelTheme, join(path, "themes"), m["themes"])
	p.linksTo(rec.ID, graph.RelPolicyLevel, join(path, "policyLevels"), m["policyLevels"])
}

func (p *parser) person(path string, n *yaml.Node) {
	rec, m, ok := p.entity(path, n, graph.TypePerson, "affiliations")
	if m == nil {
		return
	}
	p.add(rec, ok)
	seen := map[string]*yaml.Node{}
	for i, a := range p.list(join(path, "affiliations"), m["affiliations"]) {
		field := index(join(path, "affiliations"), i)
		am, isMap := p.mapping(field, a, []string{"organization", "title"})
		if !isMap {
			continue
		}
		org := p.required(field, a, am, "organization")
		title := p.optional(join(field, "title"), am["title"])
		if org == "" {
			continue
		}
		on := am["organization"]
		if first := seen[org]; first != nil {
			p.errorf(on, join(field, "organization"), "%q listed twice (first at line %d, column %d)", org, first.Line, first.Column)
			continue
		}
		seen[org] = on
		if p.ref(item{org, join(field, "organization"), on}, graph.Endpoints[graph.RelMemberOf].To) && ok {
			p.batch.Affiliations = append(p.batch.Affiliations, graph.Affiliation{PersonID: rec.ID, OrganizationID: org, Title: title})
		}
	}
}

func (p *parser) event(path string, n *yaml.Node) {
	rec, m, ok := p.entity(path, n, graph.TypeEvent,
		"kind", "startDate", "partOf", "hosts", "participants", "presenters", "speakers", "themes", "places", "questions")
	if m == nil {
		return
	}
	rec.EventKind = p.required(path, n, m, "kind")
	rec.StartDate = p.date(join(path, "startDate"), m["startDate"])
	rec.Questions = values(p.strs(join(path, "questions"), m["questions"]))
	p.add(rec, ok)
	if parent, _ := p.str(join(path, "partOf"), m["partOf"]); parent != "" {
		it := item{parent, join(path, "partOf"), m["partOf"]}
		if parent == rec.ID {
			p.errorf(it.node, it.field, "an event cannot be part of itself")
		} else if p.ref(it, graph.Endpoints[graph.RelPartOf].To) && ok {
			p.batch.Links = append(p.batch.Links, graph.Link{From: rec.ID, Relation: graph.RelPartOf, To: parent})
		}
	}
	p.linksFrom(rec.ID, graph.RelHosted, join(path, "hosts"), m["hosts"])
	p.linksFrom(rec.ID, graph.RelParticipatedIn, join(path, "participants"), m["participants"])
	p.linksFrom(rec.ID, graph.RelPresentedAt, join(path, "presenters"), m["presenters"])
	p.linksFrom(rec.ID, graph.RelSpokeAt, join(path, "speakers"), m["speakers"])
	p.linksTo(rec.ID, graph.RelTheme, join(path, "themes"), m["themes"])
	p.linksTo(rec.ID, graph.RelPlace, join(path, "places"), m["places"])
}

func (p *parser) theme(path string, n *yaml.Node) {
	rec, m, ok := p.entity(path, n, graph.TypeTheme, "policyLevels", "broader")
	if m == nil {
		return
	}
	p.add(rec, ok)
	p.linksTo(rec.ID, graph.RelPolicyLevel, join(path, "policyLevels"), m["policyLevels"])
	for _, it := range p.strs(join(path, "broader"), m["broader"]) {
		if it.value == rec.ID {
			p.errorf(it.node, it.field, "a theme cannot be broader than itself")
		} else if p.ref(it, graph.Endpoints[graph.RelBroader].To) && ok {
			p.batch.Links = append(p.batch.Links, graph.Link{From: rec.ID, Relation: graph.RelBroader, To: it.value})
		}
	}
}

// entityOnly returns the walker of a node type that has only the common fields.
func (p *parser) entityOnly(typ graph.NodeType) func(path string, n *yaml.Node) {
	return func(path string, n *yaml.Node) {
		rec, m, ok := p.entity(path, n, typ)
		if m != nil {
			p.add(rec, ok)
		}
	}
}

func (p *parser) figure(path string, n *yaml.Node) {
	m, ok := p.mapping(path, n, []string{"id", "value", "statement", "about"})
	if !ok {
		return
	}
	f := graph.Figure{ID: p.required(path, n, m, "id")}
	idOK := false
	switch first := p.figures[f.ID]; {
	case f.ID == "":
	case !graph.ValidID(f.ID):
		p.errorf(m["id"], join(path, "id"), "%s", invalidID(f.ID))
	case first != nil:
		p.errorf(m["id"], join(path, "id"), "figure id %q already used at line %d", f.ID, first.Line)
	default:
		p.figures[f.ID] = m["id"]
		idOK = true
	}
	f.Value = p.required(path, n, m, "value")
	f.Statement = p.required(path, n, m, "statement")
	about, given := m["about"]
	items := p.strs(join(path, "about"), about)
	switch {
	case !given:
		p.errorf(n, join(path, "about"), "required field is missing")
	case isNull(about) || about.Kind == yaml.SequenceNode && len(about.Content) == 0:
		p.errorf(about, join(path, "about"), "must not be empty") // bad items are reported by strs
	}
	for _, it := range items {
		if p.ref(it, nil) {
			f.About = append(f.About, it.value)
		}
	}
	if idOK {
		p.batch.Figures = append(p.batch.Figures, f)
	}
}

// --- References ------------------------------------------------------------------

// article names a node type with its article, for messages.
var article = map[graph.NodeType]string{
	graph.TypeOrganization: "an organization",
	graph.TypeEvent:        "an event",
	graph.TypePerson:       "a person",
	graph.TypeTheme:        "a theme",
	graph.TypePolicyLevel:  "a policy level",
	graph.TypePlace:        "a place",
}

// typeName returns the article form of t, or t itself for a type this
// package does not know.
func typeName(t graph.NodeType) string {
	if s, ok := article[t]; ok {
		return s
	}
	return string(t)
}

// fits reports whether a node of type t may be referenced by r.
func (r ref) fits(t graph.NodeType) bool { return r.want == nil || slices.Contains(r.want, t) }

// wrongType explains that r names a node of type t defined where.
func (r ref) wrongType(t graph.NodeType, where string) string {
	want := make([]string, len(r.want))
	for i, w := range r.want {
		want[i] = typeName(w)
	}
	return fmt.Sprintf("%q is %s (%s), not %s", r.id, typeName(t), where, strings.Join(want, " or "))
}

// issue returns the issue msg at the position of r.
func (r ref) issue(file, msg string) Issue {
	if r.file != "" {
		file = r.file
	}
	return Issue{File: file, Line: r.line, Column: r.col, Field: r.field, Msg: msg}
}

// resolve checks the references to nodes the file defines and keeps the
// others for Load.
func (p *parser) resolve() {
	for _, r := range p.all {
		d, ok := p.defs[r.id]
		switch {
		case !ok:
			p.refs = append(p.refs, r)
		case !r.fits(d.typ):
			p.issues = append(p.issues, r.issue(p.name, r.wrongType(d.typ, fmt.Sprintf("defined at line %d", d.line))))
		}
	}
}
