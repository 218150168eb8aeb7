package generate

import (
	"bufio"
	"io"
	"strconv"

	"github.com/thrivegraph/thrivegraph/graph"
)

// writeYAML writes a batch in the data format of docs/FORMAT.md: the
// source, then its nodes by type, each with the links the format keeps on
// it (an event lists its hosts, participants, presenters and speakers; an
// organization its places, themes and policy levels; a person its
// affiliations). Loading the file gives the batch back.
func writeYAML(w io.Writer, b *graph.Batch) error {
	bw := bufio.NewWriter(w)
	y := &yamlWriter{w: bw}
	out := map[string]map[graph.Relation][]string{} // from → relation → to
	in := map[string]map[graph.Relation][]string{}  // to → relation → from
	for _, l := range b.Links {
		if out[l.From] == nil {
			out[l.From] = map[graph.Relation][]string{}
		}
		out[l.From][l.Relation] = append(out[l.From][l.Relation], l.To)
		if in[l.To] == nil {
			in[l.To] = map[graph.Relation][]string{}
		}
		in[l.To][l.Relation] = append(in[l.To][l.Relation], l.From)
	}
	affs := map[string][]graph.Affiliation{}
	for _, a := range b.Affiliations {
		affs[a.PersonID] = append(affs[a.PersonID], a)
	}

	src := b.Source
	y.line(0, "source:")
	y.field(2, "id", src.ID)
	y.field(2, "title", src.Title)
	y.opt(2, "publisher", src.Publisher)
	if src.Published != nil {
		y.raw(2, "published", *src.Published)
	}
	y.opt(2, "note", src.Note)
	y.list(2, "authors", src.Authors)

	sections := []struct {
		key string
		typ graph.NodeType
	}{
		{"policyLevels", graph.TypePolicyLevel}, {"places", graph.TypePlace}, {"themes", graph.TypeTheme},
		{"organizations", graph.TypeOrganization}, {"people", graph.TypePerson}, {"events", graph.TypeEvent},
	}
	for _, sec := range sections {
		started := false
		for _, n := range b.Nodes {
			if n.Type != sec.typ {
				continue
			}
			if !started {
				y.line(0, "")
				y.line(0, sec.key+":")
				started = true
			}
			y.item(2, "name", n.Name)
			if graph.Slug(n.Name) != n.ID {
				y.field(4, "id", n.ID)
			}
			y.list(4, "aliases", n.Aliases)
			if n.Description != "" {
				y.field(4, "description", n.Description)
			}
			o := out[n.ID]
			switch n.Type {
			case graph.TypeOrganization:
				y.list(4, "kinds", n.Kinds)
				y.list(4, "places", o[graph.RelPlace])
				y.list(4, "themes", o[graph.RelTheme])
				y.list(4, "policyLevels", o[graph.RelPolicyLevel])
			case graph.TypeTheme:
				y.list(4, "policyLevels", o[graph.RelPolicyLevel])
				y.list(4, "broader", o[graph.RelBroader])
			case graph.TypePerson:
				if as := affs[n.ID]; len(as) > 0 {
					y.line(4, "affiliations:")
					for _, a := range as {
						y.item(6, "organization", a.OrganizationID)
						y.opt(8, "title", a.Title)
					}
				}
			case graph.TypeEvent:
				i := in[n.ID]
				y.field(4, "kind", n.EventKind)
				if n.StartDate != "" {
					y.raw(4, "startDate", n.StartDate)
				}
				if p := o[graph.RelPartOf]; len(p) > 0 {
					y.field(4, "partOf", p[0])
				}
				y.list(4, "hosts", i[graph.RelHosted])
				y.list(4, "presenters", i[graph.RelPresentedAt])
				y.list(4, "participants", i[graph.RelParticipatedIn])
				y.list(4, "speakers", i[graph.RelSpokeAt])
				y.list(4, "themes", o[graph.RelTheme])
				y.list(4, "places", o[graph.RelPlace])
				y.list(4, "questions", n.Questions)
			}
		}
	}
	return bw.Flush()
}

// yamlWriter writes block YAML; every string is double-quoted (Go quoting
// is valid YAML double-quoted style for the text the generator makes).
type yamlWriter struct{ w *bufio.Writer }

func (y *yamlWriter) indent(n int) {
	for range n {
		y.w.WriteByte(' ')
	}
}

func (y *yamlWriter) line(indent int, s string) {
	if s != "" {
		y.indent(indent)
		y.w.WriteString(s)
	}
	y.w.WriteByte('\n')
}

func (y *yamlWriter) raw(indent int, key, value string) { y.line(indent, key+": "+value) }

func (y *yamlWriter) field(indent int, key, value string) {
	y.line(indent, key+": "+strconv.Quote(value))
}

func (y *yamlWriter) opt(indent int, key string, value *string) {
	if value != nil {
		y.field(indent, key, *value)
	}
}

// item starts a list item that is a mapping, with its first field.
func (y *yamlWriter) item(indent int, key, value string) {
	y.line(indent, "- "+key+": "+strconv.Quote(value))
}

func (y *yamlWriter) list(indent int, key string, values []string) {
	if len(values) == 0 {
		return
	}
	y.line(indent, key+":")
	for _, v := range values {
		y.line(indent+2, "- "+strconv.Quote(v))
	}
}
