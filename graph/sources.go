package graph

import (
	"context"
	"sort"

	"github.com/cayleygraph/quad"
)

// source loads one source record, or nil. Callers hold s.mu.
func (s *CayleyStore) source(ctx context.Context, id string) (*Source, error) {
	f, err := s.factsOf(ctx, SourceIRI(id))
	if err != nil || f.class != ClassSource {
		return nil, err
	}
	src := &Source{
		ID: id, URL: f.attr(PredURL), Publisher: f.attr(PredPublisher),
		Published: f.attr(PredPublished), Document: f.attr(PredDocument), Note: f.attr(PredNote),
		Authors: []string{},
	}
	if t := f.attr(PredTitle); t != nil {
		src.Title = *t
	}
	for _, a := range f.attrs[PredAuthor] {
		if pid := NodeIDOf(a); pid != "" {
			src.Authors = append(src.Authors, pid)
		}
	}
	sort.Strings(src.Authors)
	return src, nil
}

// sourceCache loads each source once per request.
type sourceCache map[string]*Source

// get loads source id, or nil for "". Callers hold s.mu.
func (c sourceCache) get(ctx context.Context, s *CayleyStore, id string) (*Source, error) {
	if id == "" {
		return nil, nil
	}
	if src, ok := c[id]; ok {
		return src, nil
	}
	src, err := s.source(ctx, id)
	if err != nil {
		return nil, err
	}
	c[id] = src
	return src, nil
}

// sourcesByID loads the given sources through the cache, skipping missing
// ones. Callers hold s.mu.
func (s *CayleyStore) sourcesByID(ctx context.Context, ids []string, cache sourceCache) ([]Source, error) {
	out := make([]Source, 0, len(ids))
	for _, id := range ids {
		src, err := cache.get(ctx, s, id)
		if err != nil {
			return nil, err
		}
		if src != nil {
			out = append(out, *src)
		}
	}
	return out, nil
}

// subjectsOfClass lists the ids of the subjects typed with class. Callers hold s.mu.
func (s *CayleyStore) subjectsOfClass(ctx context.Context, class quad.IRI) ([]string, error) {
	var ids []string
	err := s.eachQuad(ctx, quad.Object, class, func(q quad.Quad) {
		if q.Predicate == PredType {
			if id, _ := IDOf(q.Subject); id != "" {
				ids = append(ids, id)
			}
		}
	})
	sort.Strings(ids)
	return dedupe(ids), err
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// Source loads a source; nil when there is none.
func (s *CayleyStore) Source(ctx context.Context, id string) (*Source, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	src, err := s.source(ctx, id)
	return src, Internal("source", err)
}

// Sources lists every source, by id.
func (s *CayleyStore) Sources(ctx context.Context) ([]*Source, error) {
	const op = "sources"
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids, err := s.subjectsOfClass(ctx, ClassSource)
	if err != nil {
		return nil, Internal(op, err)
	}
	out := make([]*Source, 0, len(ids))
	for _, id := range ids {
		src, err := s.source(ctx, id)
		if err != nil {
			return nil, Internal(op, err)
		}
		if src != nil {
			out = append(out, src)
		}
	}
	return out, nil
}

// SourceAuthors lists the people who wrote a source.
func (s *CayleyStore) SourceAuthors(ctx context.Context, id string) ([]*Person, error) {
	const op = "source authors"
	s.mu.RLock()
	defer s.mu.RUnlock()
	src, err := s.source(ctx, id)
	if err != nil || src == nil {
		return []*Person{}, Internal(op, err)
	}
	out, err := loadAs[*Person](ctx, s, s.cat.ofType(src.Authors, TypePerson))
	return out, Internal(op, err)
}

// Figures lists the figures about a node, or every figure when about is "".
func (s *CayleyStore) Figures(ctx context.Context, about string) ([]*Figure, error) {
	lists, err := s.FiguresBatch(ctx, []string{about})
	if err != nil {
		return nil, err
	}
	return lists[0], nil
}
