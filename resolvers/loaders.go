package resolvers

import (
	"context"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vikstrous/dataloadgen"

	"github.com/thrivegraph/thrivegraph/graph"
)

// Per-request dataloaders. A nested list field (an organization's themes,
// events or partners in a page of organizations) asks its loader for one
// key; the loader gathers the keys every sibling asks for during a short
// wait and answers them with one batch call of the store. So a query costs
// a number of store round trips that grows with its depth, not with the
// number of items on its pages. Loaders live for one root field of one
// GraphQL operation: their caches never outlive it, never see another
// request's data, and a mutation never reads what an earlier mutation of
// the same operation cached.

// DefaultLoaderWait is how long a loader gathers keys before it asks the
// store. Every nesting level of a query waits it once, so it is short.
const DefaultLoaderWait = time.Millisecond

// pagedKey is the key of a loader of paged lists: an id and the page asked.
type pagedKey struct {
	id   string
	page graph.Page
}

// loaders are the dataloaders of one operation.
type loaders struct {
	mu    sync.Mutex
	nodes map[string]*dataloadgen.Loader[string, graph.Node] // by field, see nodeLoader
	opt   dataloadgen.Option

	related      map[graph.Hop]*dataloadgen.Loader[string, []graph.Node]
	themeLinks   *dataloadgen.Loader[string, []graph.ThemeLink]
	policyLevels *dataloadgen.Loader[string, []*graph.PolicyLevel]
	orgEvents    *dataloadgen.Loader[string, []graph.Participation]
	eventParts   *dataloadgen.Loader[string, []graph.Participation]
	orgPeople    *dataloadgen.Loader[string, []graph.Affiliation]
	personAffs   *dataloadgen.Loader[string, []graph.Affiliation]
	authors      *dataloadgen.Loader[string, []*graph.Person]
	figures      *dataloadgen.Loader[string, []*graph.Figure]
	partners     *dataloadgen.Loader[pagedKey, graph.Connection[graph.Partner]]
	participants *dataloadgen.Loader[pagedKey, graph.Connection[*graph.Organization]]
	themeOrgs    *dataloadgen.Loader[pagedKey, graph.Connection[*graph.Organization]]
	policyOrgs   *dataloadgen.Loader[pagedKey, graph.Connection[*graph.Organization]]
	store        graph.Store
}

// hops are the relation lists served by the related loaders.
var hops = []graph.Hop{
	graph.HopOrganizationPlaces, graph.HopEventParent, graph.HopEventParts,
	graph.HopEventHosts, graph.HopEventSpeakers, graph.HopEventThemes,
	graph.HopEventPlaces, graph.HopPersonEvents, graph.HopThemeEvents,
	graph.HopThemePolicyLevels, graph.HopPolicyLevelThemes,
	graph.HopPlaceOrganizations, graph.HopPlaceEvents,
}

// newLoaders makes the loaders of one operation over store; wait 0 means
// DefaultLoaderWait.
func newLoaders(store graph.Store, wait time.Duration) *loaders {
	if wait <= 0 {
		wait = DefaultLoaderWait
	}
	opt := dataloadgen.WithWait(wait)
	l := &loaders{
		store:        store,
		nodes:        map[string]*dataloadgen.Loader[string, graph.Node]{},
		opt:          opt,
		related:      make(map[graph.Hop]*dataloadgen.Loader[string, []graph.Node], len(hops)),
		themeLinks:   dataloadgen.NewLoader(batchOf(store.OrganizationThemesBatch), opt),
		policyLevels: dataloadgen.NewLoader(batchOf(store.OrganizationPolicyLevelsBatch), opt),
		orgEvents:    dataloadgen.NewLoader(batchOf(store.OrganizationParticipationsBatch), opt),
		eventParts:   dataloadgen.NewLoader(batchOf(store.EventParticipationsBatch), opt),
		orgPeople:    dataloadgen.NewLoader(batchOf(store.OrganizationAffiliationsBatch), opt),
		personAffs:   dataloadgen.NewLoader(batchOf(store.PersonAffiliationsBatch), opt),
		authors:      dataloadgen.NewLoader(batchOf(store.SourceAuthorsBatch), opt),
		figures:      dataloadgen.NewLoader(batchOf(store.FiguresBatch), opt),
		partners:     dataloadgen.NewLoader(pagedBatchOf(store.PartnersBatch), opt),
		participants: dataloadgen.NewLoader(pagedBatchOf(store.EventParticipantsBatch), opt),
		themeOrgs:    dataloadgen.NewLoader(pagedBatchOf(store.ThemeOrganizationsBatch), opt),
		policyOrgs:   dataloadgen.NewLoader(pagedBatchOf(store.PolicyLevelOrganizationsBatch), opt),
	}
	for _, hop := range hops {
		l.related[hop] = dataloadgen.NewLoader(batchOf(func(ctx context.Context, ids []string) ([][]graph.Node, error) {
			return store.RelatedBatch(ctx, ids, hop)
		}), opt)
	}
	return l
}

// batchOf adapts a batch method of the store to a loader's fetch function:
// one error for the whole batch, or one value per key.
func batchOf[V any](batch func(context.Context, []string) ([]V, error)) func(context.Context, []string) ([]V, []error) {
	return func(ctx context.Context, ids []string) ([]V, []error) {
		vs, err := batch(ctx, ids)
		if err != nil {
			return nil, []error{err}
		}
		return vs, nil
	}
}

// pagedBatchOf adapts a paged batch method: keys are grouped by page (one
// page for every key in the usual query) and the store is asked once per
// page.
func pagedBatchOf[V any](batch func(context.Context, []string, graph.Page) ([]V, []error)) func(context.Context, []pagedKey) ([]V, []error) {
	return func(ctx context.Context, keys []pagedKey) ([]V, []error) {
		groups := map[graph.Page][]int{}
		var pages []graph.Page
		for i, k := range keys {
			if _, ok := groups[k.page]; !ok {
				pages = append(pages, k.page)
			}
			groups[k.page] = append(groups[k.page], i)
		}
		out := make([]V, len(keys))
		var errs []error
		for _, p := range pages {
			idx := groups[p]
			ids := make([]string, len(idx))
			for j, i := range idx {
				ids[j] = keys[i].id
			}
			vs, es := batch(ctx, ids, p)
			for j, i := range idx {
				if es != nil && es[j] != nil {
					if errs == nil {
						errs = make([]error, len(keys))
					}
					errs[i] = es[j]
					continue
				}
				out[i] = vs[j]
			}
		}
		return out, errs
	}
}

type loadersKey struct{}

// withLoaders returns ctx carrying a fresh set of loaders over store.
func withLoaders(ctx context.Context, store graph.Store, wait time.Duration) context.Context {
	return context.WithValue(ctx, loadersKey{}, newLoaders(store, wait))
}

// loadersFrom returns the loaders of the operation in ctx. Outside an
// operation started by NewHandler (a resolver called directly), it returns
// loaders of their own, which still answer correctly but batch nothing.
func loadersFrom(ctx context.Context, store graph.Store) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok && l.store == store {
		return l
	}
	return newLoaders(store, time.Microsecond)
}

// loaders returns the loaders of the operation in ctx.
func (r *Resolver) loaders(ctx context.Context) *loaders { return loadersFrom(ctx, r.Store) }

// nodeLoader returns the loader of entities for the field being resolved
// in ctx (such as Participation.event). Each field has its own: the keys of
// one field at one level arrive together, when the batch of their parents
// returns, so one store call answers them all; a loader shared by fields
// whose parents return at different times would split into batches by
// timing, and the number of store calls of a query would depend on it.
func (l *loaders) nodeLoader(ctx context.Context) *dataloadgen.Loader[string, graph.Node] {
	field := ""
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		field = fc.Object + "." + fc.Field.Name
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	nl := l.nodes[field]
	if nl == nil {
		nl = dataloadgen.NewLoader(batchOf(l.store.Nodes), l.opt)
		l.nodes[field] = nl
	}
	return nl
}

// nodesAs loads ids through the node loader and keeps, in order, those of
// Go type T (missing ids and other types are skipped).
func nodesAs[T graph.Node](ctx context.Context, l *loaders, ids []string) ([]T, error) {
	nl := l.nodeLoader(ctx)
	thunks := make([]func() (graph.Node, error), len(ids))
	for i, id := range ids {
		thunks[i] = nl.LoadThunk(ctx, id)
	}
	out := make([]T, 0, len(ids))
	for _, thunk := range thunks {
		n, err := thunk()
		if err != nil {
			return nil, err
		}
		if t, ok := n.(T); ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// nodeAs loads one node through the node loader; the zero T (nil) when it
// is missing or of another type.
func nodeAs[T graph.Node](ctx context.Context, l *loaders, id string) (T, error) {
	n, err := l.nodeLoader(ctx).Load(ctx, id)
	t, _ := n.(T)
	return t, err
}

// relatedAs loads the relation list hop of id and keeps the nodes of Go
// type T.
func relatedAs[T graph.Node](ctx context.Context, l *loaders, hop graph.Hop, id string) ([]T, error) {
	ns, err := l.related[hop].Load(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(ns))
	for _, n := range ns {
		if t, ok := n.(T); ok {
			out = append(out, t)
		}
	}
	return out, nil
}
