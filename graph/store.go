package graph

import (
	"context"
	"io"

	"github.com/cayleygraph/quad"
)

// Page asks for one page of a list: at most First items after the item whose
// cursor is After ("" for the first page).
type Page struct {
	First int
	After string
	Order Order // lists of organizations only: "" is the list's own order (facets.go)
	Role  Role  // an event's participants only: "" is every role
	// Shared (partners only) says which of Partner.SharedEvents and
	// SharedThemes to compute: each costs every partner's events, so a
	// client that does not ask for them should not pay; 0 computes neither.
	Shared Shared
}

// Shared names the optional parts of a Partner.
type Shared uint8

// The optional parts of a Partner.
const (
	SharedEvents Shared = 1 << iota // Partner.SharedEvents
	SharedThemes                    // Partner.SharedThemes
	SharedAll    = SharedEvents | SharedThemes
)

// Page sizes.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Connection is one page of an ordered list, with the total count of the list.
type Connection[T any] struct {
	TotalCount  int
	Items       []T
	Cursors     []string // one opaque cursor per item
	HasNextPage bool
}

// Partner is an organization that took part in at least one same event.
// SharedEvents and SharedThemes are filled only when the Page asked for
// them (Page.Shared).
type Partner struct {
	Organization *Organization
	SharedEvents []*Event
	SharedThemes []*Theme
}

// OrganizationFilter selects organizations; every set field must hold.
type OrganizationFilter struct {
	Themes       []string // has every one of these themes (stated or derived)
	AnyThemes    []string // has at least one of these themes
	PolicyLevels []string // has every one of these policy levels (stated or derived)
	Events       []string // took part in every one of these events (any role)
	Places       []string // is in every one of these places
	NameContains string   // case- and accent-insensitive substring of name or alias
	// StatedOnly (GraphQL includeDerived: false): only themes and policy
	// levels a source states for the organization count, not those derived
	// from its events or themes.
	StatedOnly bool
}

// SearchHit is a node that matches a search, with its score (higher is better).
type SearchHit struct {
	Node  Node
	Score float64
}

// PathStep is one node of a path and the relation that leads from it to the
// next step (empty on the last step).
type PathStep struct {
	Node     Node
	Relation string
	Source   *Source
}

// Path is a walk between two nodes; Length is the number of relations.
type Path struct {
	Length int
	Steps  []PathStep
}

// Counts sizes the graph.
type Counts struct {
	Nodes   map[NodeType]int
	Links   int // entity-to-entity relations
	Quads   int
	Sources int
}

// LoadResult tells what a load wrote.
type LoadResult struct {
	QuadsAdded   int // quads that were not in the store before
	QuadsTotal   int // quads in the batches
	QuadsRemoved int // quads removed (by Apply)
	NodesAdded   int // entities that were not in the store before
	NodesRemoved int // entities no longer in the store
	EdgesAdded   int // entity-to-entity relations (Counts.Links) new in the store
	EdgesRemoved int // entity-to-entity relations removed
	// Version is the change-log version of the write on a shared store
	// (Feed); 0 on the others.
	Version uint64
}

// Store is everything ThriveGraph asks of its graph. *CayleyStore implements
// it over any Cayley backend (memory, bbolt, PostgreSQL). Lookups of a missing
// id return nil and no error; lists are ordered (by name unless said).
type Store interface {
	// Writing and whole-graph operations.
	Load(ctx context.Context, batches ...*Batch) (LoadResult, error)
	Apply(ctx context.Context, c Change) (LoadResult, error)
	Export(ctx context.Context, w io.Writer) error
	Counts(ctx context.Context) (Counts, error)
	Empty(ctx context.Context) (bool, error)
	TypesOf(ctx context.Context, ids []string) (map[string]NodeType, error)
	Close() error

	// Entities.
	Node(ctx context.Context, id string) (Node, error)
	Organization(ctx context.Context, id string) (*Organization, error)
	Event(ctx context.Context, id string) (*Event, error)
	Person(ctx context.Context, id string) (*Person, error)
	Theme(ctx context.Context, id string) (*Theme, error)
	Source(ctx context.Context, id string) (*Source, error)

	// Lists.
	Organizations(ctx context.Context, f OrganizationFilter, p Page) (Connection[*Organization], error)
	Events(ctx context.Context, p Page) (Connection[*Event], error)
	People(ctx context.Context, p Page) (Connection[*Person], error)
	Themes(ctx context.Context) ([]*Theme, error)
	PolicyLevels(ctx context.Context) ([]*PolicyLevel, error)
	Places(ctx context.Context) ([]*Place, error)
	Sources(ctx context.Context) ([]*Source, error)
	Figures(ctx context.Context, about string) ([]*Figure, error) // about "" lists all

	// Organization relations.
	OrganizationPlaces(ctx context.Context, id string) ([]*Place, error)
	OrganizationThemes(ctx context.Context, id string) ([]ThemeLink, error) // stated and derived, by theme name
	OrganizationPolicyLevels(ctx context.Context, id string) ([]*PolicyLevel, error)
	OrganizationPolicyLevelLinks(ctx context.Context, id string) ([]PolicyLevelLink, error) // stated and derived, by level name
	OrganizationParticipations(ctx context.Context, id string) ([]Participation, error)     // by event date, then name
	OrganizationAffiliations(ctx context.Context, id string) ([]Affiliation, error)
	Partners(ctx context.Context, id string, p Page) (Connection[Partner], error)

	// Event relations.
	EventParent(ctx context.Context, id string) (*Event, error)
	EventParts(ctx context.Context, id string) ([]*Event, error)
	EventHosts(ctx context.Context, id string) ([]*Organization, error)
	EventParticipants(ctx context.Context, id string, p Page) (Connection[*Organization], error) // in role p.Role, or every role
	EventParticipations(ctx context.Context, id string) ([]Participation, error)
	EventSpeakers(ctx context.Context, id string) ([]*Person, error) // in the document's order (order.go)
	EventThemes(ctx context.Context, id string) ([]*Theme, error)    // in the document's order
	EventPlaces(ctx context.Context, id string) ([]*Place, error)

	// Person relations.
	PersonAffiliations(ctx context.Context, id string) ([]Affiliation, error)
	PersonEvents(ctx context.Context, id string) ([]*Event, error)
	SourceAuthors(ctx context.Context, id string) ([]*Person, error)  // in the document's order
	PersonAuthored(ctx context.Context, id string) ([]*Source, error) // first-authored first, then by date

	// Theme, policy level and place relations.
	ThemeOrganizations(ctx context.Context, id string, p Page) (Connection[*Organization], error) // stated and derived
	ThemeEvents(ctx context.Context, id string) ([]*Event, error)
	ThemePolicyLevels(ctx context.Context, id string) ([]*PolicyLevel, error)
	PolicyLevelThemes(ctx context.Context, id string) ([]*Theme, error)
	PolicyLevelOrganizations(ctx context.Context, id string, p Page) (Connection[*Organization], error) // stated and derived through themes
	PlaceOrganizations(ctx context.Context, id string) ([]*Organization, error)
	PlaceEvents(ctx context.Context, id string) ([]*Event, error)

	// Nodes looks many ids up on one snapshot, result i for ids[i] (nil
	// for a missing id): the entities a list of ids names (a theme link's
	// events, a figure's subjects) in one call.
	Nodes(ctx context.Context, ids []string) ([]Node, error)

	// Search and paths.
	Search(ctx context.Context, text string, first int) ([]SearchHit, error)
	// Suggest returns the ids of the given types (any type when none is
	// given) that an id naming nothing may have meant (suggest.go).
	Suggest(ctx context.Context, input string, types ...NodeType) ([]string, error)
	Path(ctx context.Context, from, to string, maxHops int) (*Path, error) // nil when none within maxHops

	// Network questions (network.go, kpaths.go, facets.go).
	Neighborhood(ctx context.Context, id string, q NeighborhoodQuery) (*Neighborhood, error)
	CommonGround(ctx context.Context, a, b string) (*CommonGround, error)
	Introductions(ctx context.Context, org string, first int) ([]Introduction, error)
	Paths(ctx context.Context, from, to string, q PathQuery) ([]*Path, error)
	// Facets counts organizations (nil filter: every one); first > 0 keeps
	// that many entries per list, 0 every one.
	Facets(ctx context.Context, f *OrganizationFilter, first int) (*Facets, error)
	ThemeBroader(ctx context.Context, id string) ([]*Theme, error)
	ThemeNarrower(ctx context.Context, id string) ([]*Theme, error)
}

// Log is the system of record: the quad store every write goes through and
// every export reads. The read model (package view) is built from Scan and
// advanced by what each Apply commits.
type Log interface {
	// Apply makes a change in one transaction. Once it has committed, and
	// before any other write starts, it calls committed with the quads it
	// removed and the quads it added (some of which the store may have held
	// already).
	Apply(ctx context.Context, c Change, committed func(removed, added []quad.Quad)) (LoadResult, error)
	// Scan calls fn for every quad in the store.
	Scan(ctx context.Context, fn func(quad.Quad)) error
	// Export writes every quad as N-Quads, sorted.
	Export(ctx context.Context, w io.Writer) error
	// QuadCount returns the number of quads in the store.
	QuadCount(ctx context.Context) int
	// Empty reports whether the store holds no quad at all.
	Empty(ctx context.Context) (bool, error)
	// FactsKept returns the facts Change{RemoveNodes: []NodeSelector{sel}}
	// would remove for which keep returns true (facts.go).
	FactsKept(ctx context.Context, sel NodeSelector, keep func(Fact) bool) (*Quads, error)
	// Backend names the backend: memory, bbolt, postgres or cockroach.
	Backend() string
	Close() error
}

// Versioned is a Store whose reads through one context see one snapshot
// of the graph with a version: reads of the same version of one store
// always answer the same, and every write makes a new version.
type Versioned interface {
	Version(ctx context.Context) uint64
}

// Pinner is a Store whose reads through one context all see one snapshot
// of the graph: Pin returns that context. Writes made through it move it to
// the snapshot after the write.
type Pinner interface {
	Pin(ctx context.Context) context.Context
}

// VersionedLog is a Log that can name the state it holds. Version calls fn
// with that name while no write can commit: two equal names mean the same
// quads. An empty name means the backend has none, and state kept beside
// the store (a read model checkpoint) must not be trusted.
type VersionedLog interface {
	Version(ctx context.Context, fn func(version string)) error
}

// BulkLog is a Log that writes a load of any size in bounded memory and
// still all or nothing (package store: on bbolt in many transactions into
// a new file switched in at the end, on PostgreSQL in chunks of one
// transaction). BeginBulk holds the store's write lock until the writer's
// Commit or Abort; it first removes every quad of removeSources.
type BulkLog interface {
	BeginBulk(ctx context.Context, removeSources []string, hooks BulkHooks) (BulkWriter, error)
	// BulkChunk is the number of quads a bulk load writes per
	// transaction (or chunk): a load of at most that many is better made
	// by Apply.
	// 0: this store writes no bulk load.
	BulkChunk() int
}

// BulkHooks tell a bulk load's caller (the read model) what it does; both
// are called with the store's write lock held.
type BulkHooks struct {
	// Written is called after each transaction (or chunk) with the quads
	// it removed and added (some of which the store may have held
	// already).
	Written func(removed, added []quad.Quad)
	// Switched is called once the load is the store's state.
	Switched func()
}

// BulkWriter is a bulk load in progress, used from one goroutine.
type BulkWriter interface {
	// Add writes quads, a transaction each time enough are waiting.
	Add(ctx context.Context, quads ...quad.Quad) error
	// Commit writes the rest and makes the load the store's state.
	Commit(ctx context.Context) (LoadResult, error)
	// Abort ends the load without a trace; after Commit it does nothing.
	Abort()
}
