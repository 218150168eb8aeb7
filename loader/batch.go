package loader

import (
	"context"
	"fmt"
	"net/url"
	"slices"

	"github.com/thrivegraph/thrivegraph/graph"
)

// BatchFile is the file name issues of CheckBatch carry.
const BatchFile = "batch"

// CheckBatch checks one batch built by other means than a file (a GraphQL
// mutation, say) with the rules and messages of Load: ids, names, dates,
// policy levels, repeated ids, relations between the right types of node,
// and references, which must name a node of the batch or of the store. On
// failure the error is a *ValidationError whose issues have File
// BatchFile, no line, and a field path into the batch such as
// "nodes[2].id" or "links[0].to". A nil store counts as empty.
func CheckBatch(ctx context.Context, store Target, b *graph.Batch) error {
	c := &batchChecker{file: &file{name: BatchFile, batch: b, defs: map[string]def{}, read: true}}
	c.check()
	for _, r := range c.all {
		d, ok := c.defs[r.id]
		switch {
		case !ok:
			c.refs = append(c.refs, r)
		case !r.fits(d.typ):
			c.issues = append(c.issues, r.issue(BatchFile, r.wrongType(d.typ, "defined at "+d.field)))
		}
	}
	more, err := crossCheck(ctx, store, []*file{c.file}, nil)
	if err != nil {
		return err
	}
	return newValidationError([]string{BatchFile}, append(c.issues, more...))
}

type batchChecker struct {
	*file
	all []ref
}

func (c *batchChecker) errorf(field, format string, args ...any) {
	c.issues = append(c.issues, Issue{File: BatchFile, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (c *batchChecker) required(field, v string) {
	if v == "" {
		c.errorf(field, "must not be empty")
	}
}

func (c *batchChecker) ref(field, id string, want []graph.NodeType) {
	switch {
	case !graph.ValidID(id):
		c.errorf(field, "%s", invalidID(id))
	case slices.Equal(want, []graph.NodeType{graph.TypePolicyLevel}) && !slices.Contains(graph.PolicyLevelIDs, id):
		c.errorf(field, "%s", unknownLevel(id))
	default:
		c.all = append(c.all, ref{id: id, want: want, field: field})
	}
}

func (c *batchChecker) date(field, d string) {
	if d == "" {
		return
	}
	if msg := dateProblem(d); msg != "" {
		c.errorf(field, "%s", msg)
	}
}

func (c *batchChecker) check() {
	b := c.batch
	s := b.Source
	c.required("source.id", s.ID)
	if s.ID != "" && !graph.ValidID(s.ID) {
		c.errorf("source.id", "%s", invalidID(s.ID))
	}
	c.required("source.title", s.Title)
	if s.URL != nil {
		if u, err := url.Parse(*s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			c.errorf("source.url", "%q is not an absolute http or https URL", *s.URL)
		}
	}
	if s.Published != nil {
		c.date("source.published", *s.Published)
	}
	for i, a := range s.Authors {
		c.ref(fmt.Sprintf("source.authors[%d]", i), a, []graph.NodeType{graph.TypePerson})
	}
	for i, n := range b.Nodes {
		path := fmt.Sprintf("nodes[%d]", i)
		c.required(path+".name", n.Name)
		if _, known := article[n.Type]; !known {
			c.errorf(path+".type", "unknown node type %q", n.Type)
			continue
		}
		if n.Type == graph.TypeEvent {
			c.required(path+".kind", n.EventKind)
			c.date(path+".startDate", n.StartDate)
		}
		switch first, dup := c.defs[n.ID]; {
		case !graph.ValidID(n.ID):
			c.errorf(path+".id", "%s", invalidID(n.ID))
		case n.Type == graph.TypePolicyLevel && !slices.Contains(graph.PolicyLevelIDs, n.ID):
			c.errorf(path+".id", "%s", unknownLevel(n.ID))
		case dup:
			c.errorf(path+".id", "id %q already defined at %s", n.ID, first.field)
		default:
			c.defs[n.ID] = def{typ: n.Type, field: path}
			c.ids = append(c.ids, n.ID)
		}
	}
	seen := map[graph.Link]int{}
	for i, l := range b.Links {
		path := fmt.Sprintf("links[%d]", i)
		ends, ok := graph.Endpoints[l.Relation]
		if !ok {
			c.errorf(path+".relation", "unknown relation %q", l.Relation)
			continue
		}
		if first, dup := seen[l]; dup {
			c.errorf(path, "the same link as links[%d]", first)
			continue
		}
		seen[l] = i
		if l.From == l.To {
			c.errorf(path+".to", "a node cannot be linked to itself by %s", l.Relation)
			continue
		}
		c.ref(path+".from", l.From, ends.From)
		c.ref(path+".to", l.To, ends.To)
	}
	pairs := map[[2]string]int{}
	for i, a := range b.Affiliations {
		path := fmt.Sprintf("affiliations[%d]", i)
		if first, dup := pairs[[2]string{a.PersonID, a.OrganizationID}]; dup {
			c.errorf(path, "the same person and organization as affiliations[%d]", first)
			continue
		}
		pairs[[2]string{a.PersonID, a.OrganizationID}] = i
		c.ref(path+".person", a.PersonID, []graph.NodeType{graph.TypePerson})
		c.ref(path+".organization", a.OrganizationID, []graph.NodeType{graph.TypeOrganization})
	}
	figs := map[string]int{}
	for i, f := range b.Figures {
		path := fmt.Sprintf("figures[%d]", i)
		if first, dup := figs[f.ID]; dup {
			c.errorf(path+".id", "figure id %q already used at figures[%d]", f.ID, first)
		} else if !graph.ValidID(f.ID) {
			c.errorf(path+".id", "%s", invalidID(f.ID))
		}
		figs[f.ID] = i
		c.required(path+".value", f.Value)
		c.required(path+".statement", f.Statement)
		if len(f.About) == 0 {
			c.errorf(path+".about", "must not be empty")
		}
		for j, a := range f.About {
			c.ref(fmt.Sprintf("%s.about[%d]", path, j), a, nil)
		}
	}
}
