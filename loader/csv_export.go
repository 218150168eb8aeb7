package loader

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/thrivegraph/thrivegraph/graph"
)

// Batcher is a store that can read its graph back as batches
// (*live.Graph).
type Batcher interface {
	Batches(ctx context.Context) ([]*graph.Batch, error)
	TypesOf(ctx context.Context, ids []string) (map[string]graph.NodeType, error)
}

// ExportCSV writes the whole graph as CSV: one directory per source under
// dir (created if needed), holding sources.csv and every sheet that has
// rows, rows sorted. Loading dir into an empty store gives the same graph,
// and exporting that gives the same files. Facts CSV cannot hold (linked
// data outside ThriveGraph's vocabulary) are an error and nothing is written.
func ExportCSV(ctx context.Context, store Batcher, dir string) error {
	sheets, err := csvExport(ctx, store)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil { // an empty graph is an empty directory
		return err
	}
	return sheets.write(func(name string) (io.WriteCloser, error) {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		return os.Create(path)
	})
}

// ExportCSVZip writes what ExportCSV writes as a zip archive to w: a
// directory per source, SOURCE-ID/SHEET.csv. Nothing is written when the
// graph holds facts CSV cannot hold.
func ExportCSVZip(ctx context.Context, store Batcher, w io.Writer) error {
	sheets, err := csvExport(ctx, store)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	err = sheets.write(func(name string) (io.WriteCloser, error) {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		return nopCloser{f}, err
	})
	if err != nil {
		return err
	}
	return zw.Close()
}

// nopCloser is a writer whose Close does nothing (a file of a zip archive).
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// csvSheetSet is the graph laid out as sheets, one set per source.
type csvSheetSet struct {
	batches []*graph.Batch
	sheets  []map[string][][]string
}

// csvExport reads the graph and lays it out as sheets; an error means
// nothing may be written.
func csvExport(ctx context.Context, store Batcher) (*csvSheetSet, error) {
	batches, err := store.Batches(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, b := range batches {
		for _, l := range b.Links {
			ids = append(ids, l.From)
		}
	}
	slices.Sort(ids)
	types, err := store.TypesOf(ctx, slices.Compact(ids))
	if err != nil {
		return nil, err
	}
	set := &csvSheetSet{batches: batches, sheets: make([]map[string][][]string, len(batches))}
	for i, b := range batches {
		if set.sheets[i], err = batchSheets(b, types); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// write writes every sheet through create, which makes the file of a name
// such as "SOURCE-ID/organizations.csv".
func (set *csvSheetSet) write(create func(name string) (io.WriteCloser, error)) error {
	for i, b := range set.batches {
		for _, s := range csvSheets {
			rows := set.sheets[i][s.name]
			if len(rows) == 0 && s.name != "sources" {
				continue
			}
			if err := writeSheet(create, b.Source.ID+"/"+s.name+".csv", s.columns, rows); err != nil {
				return err
			}
		}
	}
	return nil
}

// batchSheets lays one batch out as the rows of its sheets.
func batchSheets(b *graph.Batch, types map[string]graph.NodeType) (map[string][][]string, error) {
	out := map[string][][]string{}
	var bad error
	list := func(vals []string) string {
		for _, v := range vals {
			if strings.Contains(v, ListSeparator) && bad == nil {
				bad = graph.Errorf(graph.CodeInvalid, "export csv", "source %q: %q holds %q, which CSV lists use as separator; export as nquads or jsonld", b.Source.ID, v, ListSeparator)
			}
		}
		items := make([]string, len(vals))
		for i, v := range vals {
			items[i] = EscapeCell(v) // each item: the first is the cell's start
		}
		return strings.Join(items, ListSeparator)
	}
	opt := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	s := b.Source
	out["sources"] = [][]string{{s.ID, s.Title, opt(s.URL), opt(s.Publisher), opt(s.Published), opt(s.Document), opt(s.Note), list(s.Authors)}}

	parents := map[string][]string{}
	for _, l := range b.Links {
		if l.Relation == graph.RelPartOf {
			parents[l.From] = append(parents[l.From], l.To)
		}
	}
	events := map[string]bool{}
	for _, n := range b.Nodes {
		switch n.Type {
		case graph.TypeOrganization:
			out["organizations"] = append(out["organizations"], []string{n.ID, n.Name, list(n.Aliases), list(n.Kinds), n.Description})
		case graph.TypeEvent:
			events[n.ID] = true
			if len(parents[n.ID]) > 1 {
				return nil, graph.Errorf(graph.CodeInvalid, "export csv", "source %q: event %q is part of %d events; CSV holds one parent_id", b.Source.ID, n.ID, len(parents[n.ID]))
			}
			out["events"] = append(out["events"], []string{n.ID, n.Name, list(n.Aliases), n.EventKind, n.StartDate, strings.Join(parents[n.ID], ""), n.Description})
			for i, q := range n.Questions {
				out["event_questions"] = append(out["event_questions"], []string{n.ID, q, strconv.Itoa(i + 1)})
			}
		default:
			sheet := map[graph.NodeType]string{graph.TypePerson: "people", graph.TypeTheme: "themes", graph.TypePolicyLevel: "policy_levels", graph.TypePlace: "places"}[n.Type]
			out[sheet] = append(out[sheet], []string{n.ID, n.Name, list(n.Aliases), n.Description})
		}
	}
	roleOf := map[graph.Relation]string{graph.RelHosted: "HOST", graph.RelParticipatedIn: "PARTICIPANT", graph.RelPresentedAt: "PRESENTER"}
	places := map[[2]string]int{} // the place of a speaker or theme in its event's list
	position := func(event, sheet string) string {
		places[[2]string{event, sheet}]++
		return strconv.Itoa(places[[2]string{event, sheet}])
	}
	for _, l := range b.Links {
		from := types[l.From]
		var sheet string
		row := []string{l.From, l.To}
		switch {
		case roleOf[l.Relation] != "":
			sheet, row = "participations", []string{l.To, l.From, roleOf[l.Relation]}
		case l.Relation == graph.RelSpokeAt:
			sheet = "speakers"
			row = append(row, position(l.To, sheet))
		case l.Relation == graph.RelPartOf && events[l.From]:
			continue // parent_id of events.csv
		case l.Relation == graph.RelTheme && from == graph.TypeOrganization:
			sheet = "organization_themes"
		case l.Relation == graph.RelTheme && from == graph.TypeEvent:
			sheet = "event_themes"
			row = append(row, position(l.From, sheet))
		case l.Relation == graph.RelPolicyLevel && from == graph.TypeOrganization:
			sheet = "organization_policy_levels"
		case l.Relation == graph.RelPolicyLevel && from == graph.TypeTheme:
			sheet = "theme_policy_levels"
		case l.Relation == graph.RelPlace && from == graph.TypeOrganization:
			sheet = "organization_places"
		case l.Relation == graph.RelPlace && from == graph.TypeEvent:
			sheet = "event_places"
		case l.Relation == relBroader:
			sheet = "theme_broader"
		default:
			return nil, graph.Errorf(graph.CodeInvalid, "export csv", "source %q: no CSV sheet holds %s %s %s; export as nquads or jsonld", b.Source.ID, l.From, l.Relation, l.To)
		}
		out[sheet] = append(out[sheet], row)
	}
	for _, a := range b.Affiliations {
		out["memberships"] = append(out["memberships"], []string{a.PersonID, a.OrganizationID, opt(a.Title)})
	}
	for _, f := range b.Figures {
		out["figures"] = append(out["figures"], []string{f.ID, f.Value, f.Statement, list(f.About)})
	}
	for _, rows := range out {
		slices.SortFunc(rows, func(a, b []string) int { return slices.Compare(a, b) })
	}
	for sheet, rows := range out { // neutralise formulas (list cells are escaped item by item)
		for _, row := range rows {
			for i, cell := range row {
				if !listColumns[sheet+"."+csvColumns(sheet)[i]] {
					row[i] = EscapeCell(cell)
				}
			}
		}
	}
	return out, bad
}

// writeSheet writes a header and rows to a new file made by create.
func writeSheet(create func(name string) (io.WriteCloser, error), name string, header []string, rows [][]string) (err error) {
	f, err := create(name)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := csv.NewWriter(f)
	w.Write(header)
	w.WriteAll(rows) // flushes
	if err := w.Error(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// formulaStarts are the characters that make a spreadsheet read a cell as a
// formula (OWASP, CSV injection): =, +, -, @, tab and carriage return.
const formulaStarts = "=+-@\t\r"

// needsEscape reports whether a cell's text, after any leading single
// quotes and spaces, starts with a formulaStarts character.
func needsEscape(v string) bool {
	v = strings.TrimLeft(strings.TrimLeft(v, "'"), " \n")
	return v != "" && strings.ContainsRune(formulaStarts, rune(v[0]))
}

// EscapeCell neutralises a CSV cell as OWASP recommends: a cell that a
// spreadsheet would take for a formula — it starts with =, +, -, @, a tab
// or a carriage return, possibly after spaces — is written with a single
// quote in front. So is such a cell that already starts with quotes, so
// that UnescapeCell gives every value back exactly.
func EscapeCell(v string) string {
	if needsEscape(v) {
		return "'" + v
	}
	return v
}

// UnescapeCell reads a cell as the loader does: an escaped cell (EscapeCell)
// loses its leading quote and is otherwise kept as it is; any other cell is
// trimmed of surrounding space.
func UnescapeCell(cell string) string {
	if rest, ok := strings.CutPrefix(cell, "'"); ok && needsEscape(rest) {
		return rest
	}
	return strings.TrimSpace(cell)
}

// listColumns are the cells that hold lists, by sheet and column.
var listColumns = map[string]bool{
	"sources.authors": true, "organizations.other_names": true, "organizations.classification": true,
	"people.other_names": true, "events.other_names": true, "themes.other_names": true,
	"policy_levels.other_names": true, "places.other_names": true, "figures.about": true,
}

// csvColumns returns the columns of a sheet.
func csvColumns(sheet string) []string {
	s, _ := sheetByName(sheet)
	return s.columns
}
