package resolvers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/thrivegraph/thrivegraph/graph"
	"github.com/thrivegraph/thrivegraph/loader"
	"github.com/thrivegraph/thrivegraph/resolvers/model"
)

// Writes. Every mutation input mirrors an entry of a data file
// (docs/FORMAT.md), and is checked by the loader itself: the input becomes
// a one-entry data document of the named source, which loader.Check parses
// and checks against the store exactly as it checks files. The batch it
// returns is written with one Store.Apply.

// writeMu serializes the writes of this server that read before they write
// (update, remove): between FactsKept and Apply no other mutation runs.
var writeMu sync.Mutex

// factKeeper is the part of *live.Graph that edits need.
type factKeeper interface {
	FactsKept(ctx context.Context, sel graph.NodeSelector, keep func(graph.Fact) bool) (*graph.Quads, error)
}

// sourceEntry returns the `source:` section of a data document for the
// source id, which must be in the graph.
func (r *Resolver) sourceEntry(ctx context.Context, op, id string) (map[string]any, *graph.Source, error) {
	src, err := r.Store.Source(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if src == nil {
		return nil, nil, graph.Errorf(graph.CodeInvalid, op, "source: unknown source %q: create it with createSource or load a data file that defines it", id)
	}
	m := map[string]any{"id": src.ID, "title": src.Title}
	for k, v := range map[string]*string{"url": src.URL, "publisher": src.Publisher, "published": src.Published, "document": src.Document, "note": src.Note} {
		if v != nil {
			m[k] = *v
		}
	}
	if len(src.Authors) > 0 {
		m["authors"] = src.Authors
	}
	return m, src, nil
}

// check runs the loader over a data document holding the source and one
// entry of section, and returns its batch. Loader issues become one
// BAD_USER_INPUT error whose fields are named from the mutation's input
// ("input.places[0]: unknown id …").
func (r *Resolver) check(ctx context.Context, op string, src map[string]any, section string, entry any) (*graph.Batch, error) {
	doc := map[string]any{"source": src}
	if section != "" {
		doc[section] = []any{entry}
	}
	body, err := json.Marshal(doc)
	if err != nil {
		return nil, &graph.Error{Code: graph.CodeInternal, Op: op, Err: err}
	}
	batches, err := loader.Check(ctx, r.Store, loader.File{Name: "input.json", Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(body)), nil
	}})
	if ve, ok := errors.AsType[*loader.ValidationError](err); ok {
		var msgs []string
		for _, i := range ve.Issues {
			field := i.Field
			if section != "" {
				if rest, ok := strings.CutPrefix(field, section+"[0]"); ok {
					field = "input" + rest
				}
			} else if rest, ok := strings.CutPrefix(field, "source"); ok {
				field = "input" + rest
			}
			if field == "" {
				msgs = append(msgs, i.Msg)
			} else {
				msgs = append(msgs, field+": "+i.Msg)
			}
		}
		return nil, graph.Errorf(graph.CodeInvalid, op, "%s", strings.Join(msgs, "; "))
	}
	if err != nil {
		return nil, err
	}
	if len(batches) != 1 {
		return nil, &graph.Error{Code: graph.CodeInternal, Op: op, Err: fmt.Errorf("loader returned %d batches", len(batches))}
	}
	return batches[0], nil
}

// typeName is how errors name a node type.
func typeName(t graph.NodeType) string {
	var b strings.Builder
	for i, r := range string(t) {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}

// typeOf returns the type of the node id, or "".
func (r *Resolver) typeOf(ctx context.Context, id string) (graph.NodeType, error) {
	types, err := r.Store.TypesOf(ctx, []string{id})
	return types[id], err
}

// mustBe checks that the node id exists with type t.
func (r *Resolver) mustBe(ctx context.Context, op, field, id string, t graph.NodeType) error {
	got, err := r.typeOf(ctx, id)
	switch {
	case err != nil:
		return err
	case got == "":
		suggestions, err := r.Store.Suggest(ctx, id, t)
		if err != nil {
			return err
		}
		return graph.Suggested(graph.CodeNotFound, op, suggestions, "%s: no %s with id %q", field, typeName(t), id)
	case got != t:
		return graph.Errorf(graph.CodeInvalid, op, "%s: %q is a %s, not a %s", field, id, typeName(got), typeName(t))
	}
	return nil
}

// create writes a new node from one data-file entry.
func (r *Resolver) create(ctx context.Context, op, source, section string, entry any) (string, error) {
	writeMu.Lock()
	defer writeMu.Unlock()
	src, _, err := r.sourceEntry(ctx, op, source)
	if err != nil {
		return "", err
	}
	b, err := r.check(ctx, op, src, section, entry)
	if err != nil {
		return "", err
	}
	if len(b.Nodes) != 1 {
		return "", &graph.Error{Code: graph.CodeInternal, Op: op, Err: fmt.Errorf("the input made %d nodes", len(b.Nodes))}
	}
	id := b.Nodes[0].ID
	if t, err := r.typeOf(ctx, id); err != nil {
		return "", err
	} else if t != "" {
		return "", graph.Errorf(graph.CodeInvalid, op, "input: a %s with id %q already exists: update it, or give another id", typeName(t), id)
	}
	_, err = r.Store.Apply(ctx, graph.Change{Add: []*graph.Batch{b}})
	return id, err
}

// ownField reports whether f is a field of the node id itself.
func ownField(f graph.Fact, id string) bool {
	switch f.Field {
	case "type", "name", "alias", "description", "kind", "startDate", "question", "order":
		return f.From == id
	}
	return false
}

// update replaces what source states about the node id by one data-file
// entry: the facts replaced selects are removed, the others that the
// source states about the node stay, and the entry's are added — one
// Apply.
func (r *Resolver) update(ctx context.Context, op, source, id string, t graph.NodeType, section string, entry any, replaced func(graph.Fact) bool) error {
	writeMu.Lock()
	defer writeMu.Unlock()
	if err := r.mustBe(ctx, op, "id", id, t); err != nil {
		return err
	}
	src, _, err := r.sourceEntry(ctx, op, source)
	if err != nil {
		return err
	}
	b, err := r.check(ctx, op, src, section, entry)
	if err != nil {
		return err
	}
	return r.edit(ctx, op, graph.NodeSelector{ID: id, Source: source}, func(f graph.Fact) bool { return !replaced(f) }, b)
}

// edit removes what sel selects except the facts keep keeps, and adds add
// (if not nil), in one Apply. Callers hold writeMu.
func (r *Resolver) edit(ctx context.Context, op string, sel graph.NodeSelector, keep func(graph.Fact) bool, add *graph.Batch) error {
	_, err := r.editResult(ctx, op, sel, keep, add)
	return err
}

func (r *Resolver) editResult(ctx context.Context, op string, sel graph.NodeSelector, keep func(graph.Fact) bool, add *graph.Batch) (graph.LoadResult, error) {
	keeper, ok := r.Store.(factKeeper)
	if !ok {
		return graph.LoadResult{}, &graph.Error{Code: graph.CodeInternal, Op: op, Err: errors.New("the store cannot edit facts (no FactsKept)")}
	}
	kept, err := keeper.FactsKept(ctx, sel, keep)
	if err != nil {
		return graph.LoadResult{}, err
	}
	c := graph.Change{RemoveNodes: []graph.NodeSelector{sel}, Quads: []*graph.Quads{kept}}
	if add != nil {
		c.Add = []*graph.Batch{add}
	}
	return r.Store.Apply(ctx, c)
}

// remove removes what source states about the node id.
func (r *Resolver) remove(ctx context.Context, op, source, id string, t graph.NodeType) (*model.WriteResult, error) {
	writeMu.Lock()
	defer writeMu.Unlock()
	if err := r.mustBe(ctx, op, "id", id, t); err != nil {
		return nil, err
	}
	if _, _, err := r.sourceEntry(ctx, op, source); err != nil {
		return nil, err
	}
	res, err := r.Store.Apply(ctx, graph.Change{RemoveNodes: []graph.NodeSelector{{ID: id, Source: source}}})
	if err != nil {
		return nil, err
	}
	return r.writeResult(ctx, id, res)
}

func (r *Resolver) writeResult(ctx context.Context, id string, res graph.LoadResult) (*model.WriteResult, error) {
	t, err := r.typeOf(ctx, id)
	if err != nil {
		return nil, err
	}
	return &model.WriteResult{ID: id, QuadsRemoved: res.QuadsRemoved, StillExists: t != ""}, nil
}

// withID returns the id an update input must have: the node's own. An
// input may leave it out; ids never change.
func withID(op string, given *string, id string) (*string, error) {
	if given != nil && *given != id {
		return nil, graph.Errorf(graph.CodeInvalid, op, "input.id: %q differs from id %q: ids cannot change (create a new node and delete this one)", *given, id)
	}
	return &id, nil
}

// relationFrom reports whether f is one of rels from the node id.
func relationFrom(f graph.Fact, id string, rels ...graph.Relation) bool {
	return f.Relation != "" && f.From == id && slices.Contains(rels, f.Relation)
}

// relationTo reports whether f is one of rels to the node id.
func relationTo(f graph.Fact, id string, rels ...graph.Relation) bool {
	return f.Relation != "" && f.To == id && slices.Contains(rels, f.Relation)
}

// link checks the two ends of a participation or affiliation.
func (r *Resolver) checkEnds(ctx context.Context, op string, ends ...[3]string) error {
	for _, e := range ends {
		if err := r.mustBe(ctx, op, e[0], e[1], graph.NodeType(e[2])); err != nil {
			return err
		}
	}
	return nil
}

// role parses a participation role.
func role(op, s string) (graph.Role, graph.Relation, error) {
	ro, err := graph.ParseRole(op, "input.role", s)
	if err != nil {
		return "", "", err
	}
	return ro, graph.RoleRelation[ro], nil
}

// sourceInputEntry is the `source:` section of a data document for input.
func sourceInputEntry(input model.SourceInput) map[string]any {
	m := map[string]any{"id": input.ID, "title": input.Title}
	for k, v := range map[string]*string{"url": input.URL, "publisher": input.Publisher, "published": input.Published, "note": input.Note} {
		if v != nil {
			m[k] = *v
		}
	}
	return m
}

// checkBatch checks a batch built from a mutation's input (not from a data
// entry) with loader.CheckBatch, the loader's rules and messages; fields
// names the input field of each batch field ("links[0].to": "input.event").
func (r *Resolver) checkBatch(ctx context.Context, op string, b *graph.Batch, fields map[string]string) error {
	err := loader.CheckBatch(ctx, r.Store, b)
	ve, ok := errors.AsType[*loader.ValidationError](err)
	if !ok {
		return err
	}
	var msgs []string
	for _, i := range ve.Issues {
		field := i.Field
		if f, ok := fields[field]; ok {
			field = f
		}
		if field == "" {
			msgs = append(msgs, i.Msg)
		} else {
			msgs = append(msgs, field+": "+i.Msg)
		}
	}
	return graph.Errorf(graph.CodeInvalid, op, "%s", strings.Join(msgs, "; "))
}
