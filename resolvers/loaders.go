package resolvers

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
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
const DefaultLoaderWait = 20 * time.Microsecond

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

	// gates holds, by field path (see pathKey), the gates of the batches
	// a prefetch will start for that field; see prefetch.
	gates map[string][]chan struct{}
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

// loaders returns the loaders of the operation in ctx. When a prefetch (see
// prefetch) is about to start the batch of the field being resolved, it
// first waits until it has.
func (r *Resolver) loaders(ctx context.Context) *loaders {
	l := loadersFrom(ctx, r.Store)
	l.awaitGates(ctx)
	return l
}

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
	return l.nodeLoaderOf(field)
}

// nodeLoaderOf returns the node loader of field ("Object.field").
func (l *loaders) nodeLoaderOf(field string) *dataloadgen.Loader[string, graph.Node] {
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

// Prefetching. A loader batches the keys that arrive within its wait (1 ms)
// of the first; gqlgen resolves the items of a list in goroutines, and on a
// busy machine the fields of a page of 100 organizations can start more
// than a millisecond apart, so their keys would trickle into several
// batches and the number of store calls would grow with the page. So a
// resolver that returns a page or list of organizations calls prefetch with
// their ids: prefetch reads which nested fields the client selected on them
// and starts, for each, ONE batch (LoadAllThunk) of all the ids of the page
// on the very loader the field's resolver uses, which then finds its key in
// the loader's cache. It follows the selections down: the events of the
// organizations' participations, the partners' own fields and so on, each
// level's ids taken from the batch of the level above when it returns.
//
// For that to be deterministic, no resolver may reach a loader before the
// prefetch has put all its keys in: prefetch registers a gate for every
// field it will batch, at once (before the list resolver returns), and
// Resolver.loaders waits on the gates of the field being resolved until the
// prefetch has started its batches. A gate opens as soon as its batch is
// started, so resolvers wait at most for the batch of the level above,
// which they wait for anyway.
//
// Fields that prefetch does not know (or an orderBy the loaders do not
// serve) are simply not prefetched: their resolvers batch as before.

// prefetch starts the batches of the nested fields selected on orgIDs, the
// organizations that the resolver in ctx returns (a list of organizations,
// an OrganizationConnection or a PartnerConnection). It does nothing
// outside an operation, or when a prefetch of an enclosing list has already
// covered this field.
func (r *Resolver) prefetch(ctx context.Context, orgIDs []string) {
	l, ok := ctx.Value(loadersKey{}).(*loaders)
	fc := graphql.GetFieldContext(ctx)
	if !ok || l.store != r.Store || fc == nil || fc.Field.Definition == nil || !graphql.HasOperationContext(ctx) || len(orgIDs) == 0 {
		return
	}
	at := pathKey(fc.Path())
	l.mu.Lock()
	covered := len(l.gates[at]) > 0
	l.mu.Unlock()
	if covered {
		return
	}
	p := &prefetcher{ctx: ctx, op: graphql.GetOperationContext(ctx), l: l}
	ids := func() []string { return orgIDs }
	switch fc.Field.Definition.Type.Name() {
	case "Organization":
		p.organizations(at, fc.Field.Selections, ids)
	case "OrganizationConnection":
		p.organizationConnection(at, fc.Field.Selections, ids)
	case "PartnerConnection":
		p.partnerConnection(at, fc.Field.Selections, ids)
	}
}

// organizationIDs returns the ids of orgs.
func organizationIDs(orgs []*graph.Organization) []string {
	ids := make([]string, 0, len(orgs))
	for _, o := range orgs {
		if o != nil {
			ids = append(ids, o.ID)
		}
	}
	return ids
}

// partnerIDs returns the ids of the partner organizations.
func partnerIDs(partners []graph.Partner) []string {
	ids := make([]string, 0, len(partners))
	for _, p := range partners {
		if p.Organization != nil {
			ids = append(ids, p.Organization.ID)
		}
	}
	return ids
}

// pathKey is the path of a field without list indices, with aliases:
// "organizations.nodes.events.event".
func pathKey(path ast.Path) string {
	var b strings.Builder
	for _, e := range path {
		if name, ok := e.(ast.PathName); ok {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(string(name))
		}
	}
	return b.String()
}

// gate registers a gate for the field at path and returns its opener.
func (l *loaders) gate(path string) func() {
	ch := make(chan struct{})
	l.mu.Lock()
	if l.gates == nil {
		l.gates = map[string][]chan struct{}{}
	}
	l.gates[path] = append(l.gates[path], ch)
	l.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { close(ch) }) }
}

// awaitGates waits until the gates of the field being resolved in ctx are
// open.
func (l *loaders) awaitGates(ctx context.Context) {
	l.mu.Lock()
	none := len(l.gates) == 0
	l.mu.Unlock()
	if none {
		return
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return
	}
	at := pathKey(fc.Path())
	l.mu.Lock()
	gates := l.gates[at]
	l.mu.Unlock()
	for _, g := range gates {
		<-g
	}
}

// prefetcher walks the selections of one prefetch.
type prefetcher struct {
	ctx context.Context
	op  *graphql.OperationContext
	l   *loaders
}

var (
	organizationTypes = []string{"Organization", "Node"}
	eventTypes        = []string{"Event", "Node"}
)

// batch gates the field at path, then (in a goroutine) waits for ids, the
// keys of the level above, starts one batch of them on loader and opens the
// gate. It returns a function that waits for the batch's values (in the
// order of ids; failed keys give zero values).
func batch[K comparable, V any](p *prefetcher, path string, ids func() []string, loader *dataloadgen.Loader[K, V], key func(string) K) func() []V {
	open := p.l.gate(path)
	done := make(chan struct{})
	var values []V
	go func() {
		defer close(done)
		defer open()                     // also when ids panics: the field's resolvers must never wait forever
		defer func() { _ = recover() }() // a failed prefetch leaves the work to the resolvers
		list := ids()
		if len(list) == 0 {
			return
		}
		keys := make([]K, len(list))
		for i, id := range list {
			keys[i] = key(id)
		}
		thunk := loader.LoadAllThunk(p.ctx, keys)
		open()
		values, _ = thunk()
	}()
	return func() []V { <-done; return values }
}

func same(id string) string { return id }

// nodes batches ids on the node loader of field ("Object.field").
func (p *prefetcher) nodes(path, field string, ids func() []string) func() []string {
	vs := batch(p, path, ids, p.l.nodeLoaderOf(field), same)
	return func() []string { return nodeIDs(vs()) }
}

// related batches ids on the loader of hop.
func (p *prefetcher) related(path string, hop graph.Hop, ids func() []string) func() []string {
	vs := batch(p, path, ids, p.l.related[hop], same)
	return func() []string {
		var out []string
		for _, ns := range vs() {
			out = append(out, nodeIDs(ns)...)
		}
		return out
	}
}

func nodeIDs(ns []graph.Node) []string {
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		if n != nil {
			out = append(out, n.NodeID())
		}
	}
	return out
}

// pageOf reads the first, after (and orderBy) arguments of f; ok is false
// for an orderBy, which the paged loaders do not serve.
func (p *prefetcher) pageOf(f graphql.CollectedField) (pg graph.Page, ok bool) {
	args := f.ArgumentMap(p.op.Variables)
	if args["orderBy"] != nil {
		return pg, false
	}
	var first *int
	switch n := args["first"].(type) {
	case int:
		first = &n
	case int64:
		v := int(n)
		first = &v
	case float64:
		v := int(n)
		first = &v
	case json.Number:
		v64, err := n.Int64()
		if err != nil {
			return pg, false
		}
		v := int(v64)
		first = &v
	case nil:
	default:
		return pg, false
	}
	var after *string
	if a, isString := args["after"].(string); isString {
		after = &a
	}
	pg = page(first, after)
	switch ro := args["role"].(type) {
	case string:
		r, err := graph.ParseRole("participants", "role", ro)
		if err != nil {
			return pg, false // the resolver reports it
		}
		pg.Role = r
	case nil:
	default:
		return pg, false
	}
	return pg, true
}

func pagedBy(pg graph.Page) func(string) pagedKey {
	return func(id string) pagedKey { return pagedKey{id, pg} }
}

// organizations prefetches the fields selected by sel on the organizations
// ids at path.
func (p *prefetcher) organizations(path string, sel ast.SelectionSet, ids func() []string) {
	for _, f := range graphql.CollectFields(p.op, sel, organizationTypes) {
		at := path + "." + f.Alias
		switch f.Name {
		case "places":
			p.related(at, graph.HopOrganizationPlaces, ids)
		case "themes":
			links := batch(p, at, ids, p.l.themeLinks, same)
			p.nodes(at, "Organization.themes", func() []string {
				var out []string
				for _, ls := range links() {
					for _, l := range ls {
						out = append(out, l.ThemeID)
					}
				}
				return out
			})
		case "themeLinks":
			links := batch(p, at, ids, p.l.themeLinks, same)
			for _, g := range graphql.CollectFields(p.op, f.Selections, []string{"ThemeLink"}) {
				gat := at + "." + g.Alias
				switch g.Name {
				case "theme":
					p.nodes(gat, "ThemeLink.theme", func() []string {
						var out []string
						for _, ls := range links() {
							for _, l := range ls {
								out = append(out, l.ThemeID)
							}
						}
						return out
					})
				case "via":
					evs := p.nodes(gat, "ThemeLink.via", func() []string {
						var out []string
						for _, ls := range links() {
							for _, l := range ls {
								out = append(out, l.Via...)
							}
						}
						return out
					})
					p.events(gat, g.Selections, evs)
				}
			}
		case "policyLevels":
			batch(p, at, ids, p.l.policyLevels, same)
		case "events":
			p.participations(at, f.Selections, batch(p, at, ids, p.l.orgEvents, same))
		case "people":
			p.affiliations(at, f.Selections, batch(p, at, ids, p.l.orgPeople, same))
		case "partners":
			pg, ok := p.pageOf(f)
			if !ok {
				continue
			}
			conns := batch(p, at, ids, p.l.partners, pagedBy(pg))
			p.partnerConnection(at, f.Selections, func() []string {
				var out []string
				for _, c := range conns() {
					out = append(out, partnerIDs(c.Items)...)
				}
				return out
			})
		case "figures":
			batch(p, at, ids, p.l.figures, same)
		}
	}
}

// events prefetches the fields selected by sel on the events ids at path.
func (p *prefetcher) events(path string, sel ast.SelectionSet, ids func() []string) {
	for _, f := range graphql.CollectFields(p.op, sel, eventTypes) {
		at := path + "." + f.Alias
		switch f.Name {
		case "partOf":
			p.related(at, graph.HopEventParent, ids)
		case "parts":
			p.related(at, graph.HopEventParts, ids)
		case "hosts":
			p.organizations(at, f.Selections, p.related(at, graph.HopEventHosts, ids))
		case "speakers":
			p.related(at, graph.HopEventSpeakers, ids)
		case "themes":
			p.related(at, graph.HopEventThemes, ids)
		case "places":
			p.related(at, graph.HopEventPlaces, ids)
		case "figures":
			batch(p, at, ids, p.l.figures, same)
		case "participations":
			p.participations(at, f.Selections, batch(p, at, ids, p.l.eventParts, same))
		case "participants":
			pg, ok := p.pageOf(f)
			if !ok {
				continue
			}
			conns := batch(p, at, ids, p.l.participants, pagedBy(pg))
			p.organizationConnection(at, f.Selections, func() []string {
				var out []string
				for _, c := range conns() {
					out = append(out, organizationIDs(c.Items)...)
				}
				return out
			})
		}
	}
}

// participations prefetches the event and organization of participations.
func (p *prefetcher) participations(path string, sel ast.SelectionSet, parts func() [][]graph.Participation) {
	for _, f := range graphql.CollectFields(p.op, sel, []string{"Participation"}) {
		at := path + "." + f.Alias
		switch f.Name {
		case "event":
			p.events(at, f.Selections, p.nodes(at, "Participation.event", func() []string {
				var out []string
				for _, ps := range parts() {
					for _, x := range ps {
						out = append(out, x.EventID)
					}
				}
				return out
			}))
		case "organization":
			p.organizations(at, f.Selections, p.nodes(at, "Participation.organization", func() []string {
				var out []string
				for _, ps := range parts() {
					for _, x := range ps {
						out = append(out, x.OrganizationID)
					}
				}
				return out
			}))
		}
	}
}

// affiliations prefetches the person and organization of affiliations.
func (p *prefetcher) affiliations(path string, sel ast.SelectionSet, affs func() [][]graph.Affiliation) {
	for _, f := range graphql.CollectFields(p.op, sel, []string{"Affiliation"}) {
		at := path + "." + f.Alias
		switch f.Name {
		case "person":
			p.nodes(at, "Affiliation.person", func() []string {
				var out []string
				for _, as := range affs() {
					for _, a := range as {
						out = append(out, a.PersonID)
					}
				}
				return out
			})
		case "organization":
			p.organizations(at, f.Selections, p.nodes(at, "Affiliation.organization", func() []string {
				var out []string
				for _, as := range affs() {
					for _, a := range as {
						out = append(out, a.OrganizationID)
					}
				}
				return out
			}))
		}
	}
}

// organizationConnection follows nodes and edges { node } of a connection.
func (p *prefetcher) organizationConnection(path string, sel ast.SelectionSet, ids func() []string) {
	p.connection(path, sel, ids, "OrganizationConnection", "OrganizationEdge")
}

// partnerConnection follows nodes and edges { node } of a connection of
// partners.
func (p *prefetcher) partnerConnection(path string, sel ast.SelectionSet, ids func() []string) {
	p.connection(path, sel, ids, "PartnerConnection", "PartnerEdge")
}

func (p *prefetcher) connection(path string, sel ast.SelectionSet, ids func() []string, conn, edge string) {
	for _, f := range graphql.CollectFields(p.op, sel, []string{conn}) {
		at := path + "." + f.Alias
		switch f.Name {
		case "nodes":
			p.organizations(at, f.Selections, ids)
		case "edges":
			for _, g := range graphql.CollectFields(p.op, f.Selections, []string{edge}) {
				if g.Name == "node" {
					p.organizations(at+"."+g.Alias, g.Selections, ids)
				}
			}
		}
	}
}
