package loader

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/thrivegraph/thrivegraph/graph"
)

// A CSV source is a set of sheets, one per kind of node and per relation,
// each with a header row naming its columns. The sheets and their columns
// are below; docs/FORMAT.md describes them and data/templates/ holds an
// empty sheet of each. Cells that hold several values separate them with
// "|" (ListSeparator).

// ListSeparator separates the values of a list cell (other_names,
// classification, authors, about).
const ListSeparator = "|"

// sheet describes one kind of sheet.
type sheet struct {
	name     string   // file name without .csv
	columns  []string // known columns, in template order
	required []string // columns the header must have
}

// The sheets, in the order they are read and written.
var csvSheets = []sheet{
	{"sources", []string{"id", "title", "url", "publisher", "published", "document", "note", "authors"}, []string{"id", "title"}},
	{"organizations", []string{"id", "name", "other_names", "classification", "description"}, []string{"name"}},
	{"people", []string{"id", "name", "other_names", "description"}, []string{"name"}},
	{"events", []string{"id", "name", "other_names", "classification", "start_date", "parent_id", "description"}, []string{"name", "classification"}},
	{"themes", []string{"id", "name", "other_names", "description"}, []string{"name"}},
	{"policy_levels", []string{"id", "name", "other_names", "description"}, []string{"name"}},
	{"places", []string{"id", "name", "other_names", "description"}, []string{"name"}},
	{"participations", []string{"event_id", "organization_id", "role"}, []string{"event_id", "organization_id", "role"}},
	{"memberships", []string{"person_id", "organization_id", "role"}, []string{"person_id", "organization_id"}},
	{"speakers", []string{"person_id", "event_id", "position"}, []string{"person_id", "event_id"}},
	{"organization_themes", []string{"organization_id", "theme_id"}, []string{"organization_id", "theme_id"}},
	{"event_themes", []string{"event_id", "theme_id", "position"}, []string{"event_id", "theme_id"}},
	{"theme_policy_levels", []string{"theme_id", "policy_level_id"}, []string{"theme_id", "policy_level_id"}},
	{"organization_policy_levels", []string{"organization_id", "policy_level_id"}, []string{"organization_id", "policy_level_id"}},
	{"organization_places", []string{"organization_id", "place_id"}, []string{"organization_id", "place_id"}},
	{"event_places", []string{"event_id", "place_id"}, []string{"event_id", "place_id"}},
	{"theme_broader", []string{"theme_id", "broader_theme_id"}, []string{"theme_id", "broader_theme_id"}},
	{"event_questions", []string{"event_id", "question", "position"}, []string{"event_id", "question"}},
	{"figures", []string{"id", "value", "statement", "about"}, []string{"id", "value", "statement", "about"}},
}

// entitySheets maps the sheets of nodes to their type.
var entitySheets = map[string]graph.NodeType{
	"organizations": graph.TypeOrganization, "people": graph.TypePerson, "events": graph.TypeEvent,
	"themes": graph.TypeTheme, "policy_levels": graph.TypePolicyLevel, "places": graph.TypePlace,
}

// linkSheets maps the sheets of plain relations to their relation; the
// first column is the subject, the second the object.
var linkSheets = map[string]graph.Relation{
	"speakers":                   graph.RelSpokeAt,
	"organization_themes":        graph.RelTheme,
	"event_themes":               graph.RelTheme,
	"theme_policy_levels":        graph.RelPolicyLevel,
	"organization_policy_levels": graph.RelPolicyLevel,
	"organization_places":        graph.RelPlace,
	"event_places":               graph.RelPlace,
	"theme_broader":              relBroader,
}

// relBroader is a theme's broader theme.
const relBroader = graph.Relation("broader")

// columnTypes gives the type of node a reference column names.
var columnTypes = map[string]graph.NodeType{
	"organization_id": graph.TypeOrganization, "event_id": graph.TypeEvent, "person_id": graph.TypePerson,
	"theme_id": graph.TypeTheme, "policy_level_id": graph.TypePolicyLevel, "place_id": graph.TypePlace,
	"parent_id": graph.TypeEvent, "broader_theme_id": graph.TypeTheme,
}

// roles maps the role column of participations to relations.
var roles = map[string]graph.Relation{"HOST": graph.RelHosted, "PARTICIPANT": graph.RelParticipatedIn, "PRESENTER": graph.RelPresentedAt}

func sheetByName(name string) (sheet, bool) {
	for _, s := range csvSheets {
		if s.name == name {
			return s, true
		}
	}
	return sheet{}, false
}

// sheetName returns the sheet a file is, by its name: organizations.csv,
// Organizations.CSV and policy-levels.csv.gz are organizations and
// policy_levels.
func sheetName(file string) string {
	base := strings.ToLower(filepath.Base(file))
	base = strings.TrimSuffix(base, ".gz")
	base = strings.TrimSuffix(base, ".csv")
	return strings.ReplaceAll(base, "-", "_")
}

// row is one data row of a sheet.
type row struct {
	sheet string // the file's name
	line  int
	vals  map[string]string // cells, unescaped (UnescapeCell)
	raw   map[string]string // cells as written, for list cells
	pos   map[string][2]int // line and column of each cell
}

// csvParser reads the sheets of one CSV source into one file.
type csvParser struct {
	*file
	all       []ref
	dup       map[string]int // sheet and row key → line, to find repeated rows
	events    map[string]int // event id → index in batch.Nodes
	questions []*row
	rows      int // data rows of every sheet
}

// parseCSV reads the sheets of one source; it returns the source as a file
// (named after the group, or its first sheet) and the names of the sheets.
func parseCSV(files []File, source string, pr *progress) (*file, []string) {
	name := files[0].Group
	if name == "" {
		name = files[0].Name
	}
	p := &csvParser{
		file: &file{name: name, batch: &graph.Batch{}, defs: map[string]def{}, read: true},
		dup:  map[string]int{}, events: map[string]int{},
	}
	// Order the sheets as csvSheets does; unknown and repeated sheets are errors.
	bySheet := map[string]File{}
	for _, f := range files {
		sn := sheetName(f.Name)
		if _, ok := sheetByName(sn); !ok {
			known := make([]string, len(csvSheets))
			for i, s := range csvSheets {
				known[i] = s.name + ".csv"
			}
			p.issues = append(p.issues, Issue{File: f.Name, Msg: fmt.Sprintf("unknown sheet %q (known: %s)", sn, strings.Join(known, ", "))})
			p.read = false
			continue
		}
		if first, dup := bySheet[sn]; dup {
			p.issues = append(p.issues, Issue{File: f.Name, Msg: fmt.Sprintf("sheet %s given twice in one source (also %s)", sn, first.Name)})
			p.read = false
			continue
		}
		bySheet[sn] = f
	}
	var names []string
	hasSources := false
	for _, s := range csvSheets {
		f, ok := bySheet[s.name]
		if !ok {
			continue
		}
		names = append(names, f.Name)
		hasSources = hasSources || s.name == "sources"
		p.readSheet(f, s, pr)
	}
	_, sourceRow := p.dup["sources"]
	switch {
	case p.read && p.rows == 0:
		// Sheets without a single row, such as the empty templates, state
		// nothing: they load nothing (not even a source record).
		p.empty = true
	case hasSources && !sourceRow && source != "":
		p.batch.Source = graph.Source{ID: source, Title: source}
	case hasSources && !sourceRow && p.read: // (a sheet that could not be read is reported already)
		p.issues = append(p.issues, Issue{File: bySheet["sources"].Name, Line: 1,
			Msg: "no source: the sheet has a header but no row; add a row with the source's id and title, or give --source ID"})
	case !hasSources && source != "":
		p.batch.Source = graph.Source{ID: source, Title: source}
	case !hasSources:
		p.issues = append(p.issues, Issue{File: name, Msg: "no source: add a sources.csv sheet or give --source ID"})
	case source != "" && p.batch.Source.ID != "" && p.batch.Source.ID != source:
		f := bySheet["sources"].Name
		p.issues = append(p.issues, Issue{File: f, Field: "id",
			Msg: fmt.Sprintf("the sheet's source is %q, not %q (--source names the source of sheets that have none)", p.batch.Source.ID, source)})
	}
	p.addQuestions()
	p.resolve()
	if p.read {
		pr.fileDone(p.batch.QuadCount())
	}
	return p.file, names
}

// issue records a problem at a cell of r (col "" : the row).
func (p *csvParser) issue(r *row, col, format string, args ...any) {
	i := Issue{File: r.sheet, Line: r.line, Field: col, Msg: fmt.Sprintf(format, args...)}
	if at, ok := r.pos[col]; ok {
		i.Line, i.Column = at[0], at[1]
	}
	p.issues = append(p.issues, i)
}

// readSheet reads one sheet and walks its rows.
func (p *csvParser) readSheet(f File, s sheet, pr *progress) {
	fail := func(line, col int, format string, args ...any) {
		p.issues = append(p.issues, Issue{File: f.Name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
		p.read = false
	}
	rc, err := f.open(pr.reading(f))
	if err != nil {
		fail(0, 0, "cannot open the file: %v", err)
		return
	}
	data, err := io.ReadAll(io.LimitReader(rc, MaxFileSize+1))
	rc.Close()
	switch {
	case err != nil:
		fail(0, 0, "cannot read the file: %v", err)
		return
	case len(data) > MaxFileSize:
		fail(0, 0, "file is larger than %d MiB", MaxFileSize>>20)
		return
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // a byte order mark, as spreadsheets write
	text := &parser{file: &file{name: f.Name}}
	if !text.checkText(data) {
		p.issues = append(p.issues, text.issues...)
		p.read = false
		return
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // checked here, to say more
	lines := lineStarts(data)
	column := func(line, byteCol int) int {
		if line < 1 || line > len(lines) {
			return byteCol
		}
		start := lines[line-1]
		end := min(start+byteCol-1, len(data))
		return utf8.RuneCount(data[start:end]) + 1
	}
	header, err := cr.Read()
	if err == io.EOF {
		fail(0, 0, "sheet is empty: it needs a header row (%s)", strings.Join(s.columns, ","))
		return
	}
	if err != nil {
		p.syntaxError(f.Name, err, column)
		return
	}
	cols := make([]string, len(header))
	at := map[string]int{}
	headerOK := true
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		cols[i] = h
		line, bc := cr.FieldPos(i)
		c := column(line, bc)
		switch first, dup := at[h]; {
		case h == "":
			fail(line, c, "column %d has no name", i+1)
			headerOK = false
		case !slices.Contains(s.columns, h):
			p.issues = append(p.issues, Issue{File: f.Name, Line: line, Column: c, Field: h,
				Msg: fmt.Sprintf("unknown column (known: %s)", strings.Join(s.columns, ", "))})
			p.read, headerOK = false, false
		case dup:
			p.issues = append(p.issues, Issue{File: f.Name, Line: line, Column: c, Field: h,
				Msg: fmt.Sprintf("column given twice (first in column %d)", first+1)})
			p.read, headerOK = false, false
		default:
			at[h] = i
		}
	}
	for _, req := range s.required {
		if _, ok := at[req]; !ok {
			p.issues = append(p.issues, Issue{File: f.Name, Line: 1, Field: req, Msg: "required column is missing"})
			p.read, headerOK = false, false
		}
	}
	if !headerOK {
		return
	}
	var held []*row // rows of an ordered sheet, taken once all are read
	if slices.Contains(s.columns, "position") {
		defer func() { p.rowsInOrder(s, held) }()
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			p.syntaxError(f.Name, err, column)
			return
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(cols) {
			fail(line, 0, "row has %d fields, the header has %d", len(rec), len(cols))
			continue
		}
		r := &row{sheet: f.Name, line: line, vals: map[string]string{}, raw: map[string]string{}, pos: map[string][2]int{}}
		blank := true
		for i, v := range rec {
			r.raw[cols[i]] = v
			v = UnescapeCell(v)
			l, bc := cr.FieldPos(i)
			r.vals[cols[i]] = v
			r.pos[cols[i]] = [2]int{l, column(l, bc)}
			blank = blank && v == ""
		}
		switch {
		case blank: // spreadsheets write empty rows at the end
		case slices.Contains(s.columns, "position"):
			p.rows++
			held = append(held, r)
		default:
			p.rows++
			p.row(s, r)
		}
	}
}

// rowsInOrder takes the rows of an ordered sheet (speakers, event_themes,
// event_questions) in the order of their position column: an event's
// speakers, themes and questions in their document's order. Rows without
// a position keep the order of the sheet, after those with one.
func (p *csvParser) rowsInOrder(s sheet, rows []*row) {
	place := make(map[*row]int, len(rows))
	for _, r := range rows {
		place[r] = math.MaxInt
		if v := r.vals["position"]; v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				p.issue(r, "position", "%q is not a position: want a whole number from 1 (the place in the event's list)", v)
				continue
			}
			place[r] = n
		}
	}
	slices.SortStableFunc(rows, func(a, b *row) int { return cmp.Compare(place[a], place[b]) })
	for _, r := range rows {
		p.row(s, r)
	}
}

// lineStarts returns the offset of the start of every line.
func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, b := range data {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// syntaxError records a CSV syntax error; the rest of the sheet is not read.
func (p *csvParser) syntaxError(name string, err error, column func(line, byteCol int) int) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		p.issues = append(p.issues, Issue{File: name, Line: pe.Line, Column: column(pe.Line, pe.Column), Msg: "CSV syntax error: " + pe.Err.Error()})
	} else {
		p.issues = append(p.issues, Issue{File: name, Msg: "cannot read the file: " + err.Error()})
	}
	p.read = false
}

// row walks one data row of sheet s.
func (p *csvParser) row(s sheet, r *row) {
	if typ, ok := entitySheets[s.name]; ok {
		p.entity(r, typ)
		return
	}
	if rel, ok := linkSheets[s.name]; ok {
		from, to := s.columns[0], s.columns[1]
		if rel == relBroader && r.vals[from] != "" && r.vals[from] == r.vals[to] {
			p.issue(r, to, "a theme cannot be broader than itself")
			return
		}
		if p.unique(r, s.name, r.vals[from]+"\x00"+r.vals[to]) {
			p.link(r, from, rel, to)
		}
		return
	}
	switch s.name {
	case "sources":
		p.source(r)
	case "participations":
		role := r.vals["role"]
		rel, ok := roles[strings.ToUpper(role)]
		switch {
		case role == "":
			p.issue(r, "role", "must not be empty")
		case !ok:
			p.issue(r, "role", "unknown role %q (known: HOST, PARTICIPANT, PRESENTER)", role)
		}
		if p.unique(r, s.name, r.vals["event_id"]+"\x00"+r.vals["organization_id"]+"\x00"+strings.ToUpper(role)) && ok {
			p.link(r, "organization_id", rel, "event_id")
		}
	case "memberships":
		person, org := p.refCell(r, "person_id"), p.refCell(r, "organization_id")
		if !p.unique(r, s.name, r.vals["person_id"]+"\x00"+r.vals["organization_id"]) || person == "" || org == "" {
			return
		}
		a := graph.Affiliation{PersonID: person, OrganizationID: org}
		if t := r.vals["role"]; t != "" {
			a.Title = &t
		}
		p.batch.Affiliations = append(p.batch.Affiliations, a)
	case "event_questions":
		p.questions = append(p.questions, r)
	case "figures":
		p.figure(r)
	}
}

// unique records the key of a row of a sheet, reporting a repeated row.
func (p *csvParser) unique(r *row, sheet, key string) bool {
	k := sheet + "\x00" + key
	if first, ok := p.dup[k]; ok {
		p.issue(r, "", "row repeats line %d", first)
		return false
	}
	p.dup[k] = r.line
	return true
}

// required returns the value of a cell that must not be empty.
func (p *csvParser) required(r *row, col string) string {
	v, given := r.vals[col]
	if !given {
		p.issue(r, col, "required column is missing")
	} else if v == "" {
		p.issue(r, col, "must not be empty")
	}
	return v
}

// list returns the values of a list cell, each unescaped (UnescapeCell),
// reporting values given twice.
func (p *csvParser) list(r *row, col string) []string {
	var out []string
	for _, v := range strings.Split(r.raw[col], ListSeparator) {
		v = UnescapeCell(v)
		switch {
		case v == "":
		case slices.Contains(out, v):
			p.issue(r, col, "%q listed twice", v)
		default:
			out = append(out, v)
		}
	}
	return out
}

// ref checks a reference to id from a cell and records it; it reports
// whether the reference is usable.
func (p *csvParser) ref(r *row, col, id string, want []graph.NodeType) bool {
	if !graph.ValidID(id) {
		p.issue(r, col, "%s", invalidID(id))
		return false
	}
	if slices.Equal(want, []graph.NodeType{graph.TypePolicyLevel}) && !slices.Contains(graph.PolicyLevelIDs, id) {
		p.issue(r, col, "%s", unknownLevel(id))
		return false
	}
	at := r.pos[col]
	p.all = append(p.all, ref{id: id, want: want, field: col, line: at[0], col: at[1], file: r.sheet})
	return true
}

// refCell reads a required reference column of its type; "" when unusable.
func (p *csvParser) refCell(r *row, col string) string {
	id := p.required(r, col)
	if id == "" || !p.ref(r, col, id, []graph.NodeType{columnTypes[col]}) {
		return ""
	}
	return id
}

// link adds the relation between the nodes of two reference columns.
func (p *csvParser) link(r *row, from string, rel graph.Relation, to string) {
	a, b := p.refCell(r, from), p.refCell(r, to)
	if a != "" && b != "" {
		p.batch.Links = append(p.batch.Links, graph.Link{From: a, Relation: rel, To: b})
	}
}

// date checks a date cell.
func (p *csvParser) date(r *row, col string) string {
	s := r.vals[col]
	if s == "" {
		return ""
	}
	if msg := dateProblem(s); msg != "" {
		p.issue(r, col, "%s", msg)
		return ""
	}
	return s
}

func (p *csvParser) source(r *row) {
	if first, ok := p.dup["sources"]; ok {
		p.issue(r, "", "sources.csv holds one source (given at line %d): put another source in a directory of its own", first)
		return
	}
	p.dup["sources"] = r.line
	s := &p.batch.Source
	s.ID = p.required(r, "id")
	if s.ID != "" && !graph.ValidID(s.ID) {
		p.issue(r, "id", "%s", invalidID(s.ID))
	}
	s.Title = p.required(r, "title")
	opt := func(col string) *string {
		if v := r.vals[col]; v != "" {
			return &v
		}
		return nil
	}
	s.URL = opt("url")
	if s.URL != nil {
		if u, err := url.Parse(*s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.issue(r, "url", "%q is not an absolute http or https URL", *s.URL)
		}
	}
	s.Publisher = opt("publisher")
	if d := p.date(r, "published"); d != "" {
		s.Published = &d
	}
	s.Document, s.Note = opt("document"), opt("note")
	for _, a := range p.list(r, "authors") {
		if p.ref(r, "authors", a, []graph.NodeType{graph.TypePerson}) {
			s.Authors = append(s.Authors, a)
		}
	}
}

// entity reads a row of a node sheet.
func (p *csvParser) entity(r *row, typ graph.NodeType) {
	rec := graph.NodeRecord{Type: typ, Name: p.required(r, "name"), Aliases: p.list(r, "other_names"), Description: r.vals["description"]}
	switch typ {
	case graph.TypeOrganization:
		rec.Kinds = p.list(r, "classification")
	case graph.TypeEvent:
		rec.EventKind = p.required(r, "classification")
		rec.StartDate = p.date(r, "start_date")
	}
	rec.ID = p.define(r, rec.Name, typ)
	if typ == graph.TypeEvent {
		if parent := r.vals["parent_id"]; parent != "" {
			if parent == rec.ID {
				p.issue(r, "parent_id", "an event cannot be part of itself")
			} else if p.ref(r, "parent_id", parent, []graph.NodeType{graph.TypeEvent}) && rec.ID != "" {
				p.batch.Links = append(p.batch.Links, graph.Link{From: rec.ID, Relation: graph.RelPartOf, To: parent})
			}
		}
	}
	if rec.ID != "" {
		if typ == graph.TypeEvent {
			p.events[rec.ID] = len(p.batch.Nodes)
		}
		p.batch.Nodes = append(p.batch.Nodes, rec)
	}
}

// define works out the id of a row's node (the id cell, or the slug of the
// name) and records its definition; "" when the node has no usable id.
func (p *csvParser) define(r *row, name string, typ graph.NodeType) string {
	id, col := r.vals["id"], "id"
	switch {
	case id != "" && !graph.ValidID(id):
		p.issue(r, "id", "%s", invalidID(id))
		return ""
	case id == "" && name == "":
		return "" // reported as an empty name
	case id == "":
		id, col = graph.Slug(name), "name"
		if id == "" {
			p.issue(r, "name", "name %q has no letter or digit to make an id of: give an id", name)
			return ""
		}
	}
	if typ == graph.TypePolicyLevel && !slices.Contains(graph.PolicyLevelIDs, id) {
		p.issue(r, col, "%s", unknownLevel(id))
		return ""
	}
	if first, dup := p.defs[id]; dup {
		p.issue(r, col, "id %q already defined at %s:%d", id, first.file, first.line)
		return ""
	}
	at := r.pos[col]
	p.defs[id] = def{typ: typ, field: col, line: at[0], col: at[1], file: r.sheet}
	p.ids = append(p.ids, id)
	return id
}

func (p *csvParser) figure(r *row) {
	f := graph.Figure{ID: p.required(r, "id"), Value: p.required(r, "value"), Statement: p.required(r, "statement")}
	ok := f.ID != ""
	if ok && !graph.ValidID(f.ID) {
		p.issue(r, "id", "%s", invalidID(f.ID))
		ok = false
	}
	if ok && !p.unique(r, "figures", f.ID) {
		ok = false
	}
	about := p.list(r, "about")
	if len(about) == 0 && r.vals["about"] == "" {
		p.required(r, "about")
	}
	for _, a := range about {
		if p.ref(r, "about", a, nil) {
			f.About = append(f.About, a)
		}
	}
	if ok {
		p.batch.Figures = append(p.batch.Figures, f)
	}
}

// addQuestions adds the rows of event_questions to their events, which
// must be in the source's events sheet.
func (p *csvParser) addQuestions() {
	seen := map[string]int{}
	for _, r := range p.questions {
		ev, q := p.required(r, "event_id"), p.required(r, "question")
		if ev == "" || q == "" {
			continue
		}
		i, ok := p.events[ev]
		if !ok {
			p.issue(r, "event_id", "event %q is not in this source's events.csv: questions belong to an event of their source", ev)
			continue
		}
		key := ev + "\x00" + q
		if first, dup := seen[key]; dup {
			p.issue(r, "", "row repeats line %d", first)
			continue
		}
		seen[key] = r.line
		p.batch.Nodes[i].Questions = append(p.batch.Nodes[i].Questions, q)
	}
}

// resolve checks the references to nodes the source defines and keeps the
// others for the checks between files.
func (p *csvParser) resolve() {
	for _, r := range p.all {
		d, ok := p.defs[r.id]
		switch {
		case !ok:
			p.refs = append(p.refs, r)
		case !r.fits(d.typ):
			p.issues = append(p.issues, r.issue(p.name, r.wrongType(d.typ, fmt.Sprintf("defined at %s:%d", d.file, d.line))))
		}
	}
}
