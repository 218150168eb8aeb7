package graph

import (
	"context"
	"io"
)

// Page asks for one page of a list: at most First items after the item whose
// cursor is After ("" for the first page).
type Page struct {
	First int
	After string
}

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
}

// Store is everything ThriveGraph asks of its graph. *CayleyStore implements
// it over any Cayley backend (memory, bbolt, PostgreSQL). Lookups of a missing
// id return nil and no error; lists are ordered (by name unless said).
type Store interface {
	// Writing and whole-graph operations.
	Load(ctx context.Context, batches ...*Batch) (LoadResult, error)
	Apply(ctx context.Context, c Change) (LoadResult, error)
	ImportNQuads(ctx context.Context, r io.Reader, name string) (LoadResult, error)
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
	OrganizationParticipations(ctx context.Context, id string) ([]Participation, error) // by event date, then name
	OrganizationAffiliations(ctx context.Context, id string) ([]Affiliation, error)
	Partners(ctx context.Context, id string, p Page) (Connection[Partner], error)

	// Event relations.
	EventParent(ctx context.Context, id string) (*Event, error)
	EventParts(ctx context.Context, id string) ([]*Event, error)
	EventHosts(ctx context.Context, id string) ([]*Organization, error)
	EventParticipants(ctx context.Context, id string, p Page) (Connection[*Organization], error) // every role
	EventParticipations(ctx context.Context, id string) ([]Participation, error)
	EventSpeakers(ctx context.Context, id string) ([]*Person, error)
	EventThemes(ctx context.Context, id string) ([]*Theme, error)
	EventPlaces(ctx context.Context, id string) ([]*Place, error)

	// Person relations.
	PersonAffiliations(ctx context.Context, id string) ([]Affiliation, error)
	PersonEvents(ctx context.Context, id string) ([]*Event, error)
	SourceAuthors(ctx context.Context, id string) ([]*Person, error)

	// Theme, policy level and place relations.
	ThemeOrganizations(ctx context.Context, id string, p Page) (Connection[*Organization], error) // stated and derived
	ThemeEvents(ctx context.Context, id string) ([]*Event, error)
	ThemePolicyLevels(ctx context.Context, id string) ([]*PolicyLevel, error)
	PolicyLevelThemes(ctx context.Context, id string) ([]*Theme, error)
	PolicyLevelOrganizations(ctx context.Context, id string, p Page) (Connection[*Organization], error) // stated and derived through themes
	PlaceOrganizations(ctx context.Context, id string) ([]*Organization, error)
	PlaceEvents(ctx context.Context, id string) ([]*Event, error)

	// Search and paths.
	Search(ctx context.Context, text string, first int) ([]SearchHit, error)
	Path(ctx context.Context, from, to string, maxHops int) (*Path, error) // nil when none within maxHops
}
