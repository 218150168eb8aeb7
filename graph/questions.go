package graph

import "time"

// The questions of the Store beyond single lookups: their arguments, limits
// and answers.

// Hop is one relation walked from a node: Forward when the node is the
// subject of the relation; To is the type of node kept at the other end.
type Hop struct {
	Relation Relation
	Forward  bool
	To       NodeType
}

// The hops of the plain relation lists of the API.
var (
	HopOrganizationPlaces = Hop{RelPlace, true, TypePlace}
	HopEventParent        = Hop{RelPartOf, true, TypeEvent}
	HopEventParts         = Hop{RelPartOf, false, TypeEvent}
	HopEventHosts         = Hop{RelHosted, false, TypeOrganization}
	HopEventSpeakers      = Hop{RelSpokeAt, false, TypePerson}
	HopEventThemes        = Hop{RelTheme, true, TypeTheme}
	HopEventPlaces        = Hop{RelPlace, true, TypePlace}
	HopPersonEvents       = Hop{RelSpokeAt, true, TypeEvent}
	HopThemeEvents        = Hop{RelTheme, false, TypeEvent}
	HopThemePolicyLevels  = Hop{RelPolicyLevel, true, TypePolicyLevel}
	HopPolicyLevelThemes  = Hop{RelPolicyLevel, false, TypeTheme}
	HopPlaceOrganizations = Hop{RelPlace, false, TypeOrganization}
	HopPlaceEvents        = Hop{RelPlace, false, TypeEvent}
)

// Bounds of the network questions.
const (
	MaxNeighborhoodDepth     = 3
	DefaultNeighborhoodLimit = 200
	MaxNeighborhoodLimit     = 1000
	DefaultIntroductions     = 10
	MaxIntroductions         = 100
	commonGroundPathHops     = 6 // the default of path
)

// Introduction scores: a shared theme weighs more than a shared policy level
// (levels are few and broad, themes are specific).
const (
	IntroductionThemeWeight = 2
	IntroductionLevelWeight = 1
)

// NeighborhoodQuery bounds a neighborhood: how many relations away from the
// center (Depth, 0–3), through which relations (none: every one), and how
// many nodes and edges at most (Limit, 1–1000).
type NeighborhoodQuery struct {
	Depth     int
	Relations []Relation
	Limit     int
}

// NeighborhoodNode is a node of a neighborhood and its distance from the
// center in relations.
type NeighborhoodNode struct {
	Node  Node
	Depth int
}

// NetworkEdge is one relation between two nodes of a neighborhood, in its
// stored direction (From is the subject). Outgoing is true when From is at
// most as far from the center as To: the edge points away from the center.
type NetworkEdge struct {
	From     Node
	To       Node
	Relation string
	Outgoing bool
	Source   *Source // the first source (by id) that states the relation
}

// Neighborhood is the part of the graph around a node: its nodes, ordered by
// depth and then as the walk met them, and the relations between them.
type Neighborhood struct {
	Center    Node
	Nodes     []NeighborhoodNode
	Edges     []NetworkEdge
	Truncated bool // the limit cut nodes or edges off
}

// SharedTheme is a theme two organizations have, with why each has it
// (stated by a source, or derived from the events in Via).
type SharedTheme struct {
	Theme *Theme
	A, B  ThemeLink
}

// CommonGround is what two organizations share.
type CommonGround struct {
	A, B         *Organization
	Events       []*Event       // both took part in, in any role; by name
	Themes       []SharedTheme  // both have, stated or derived; by theme name
	PolicyLevels []*PolicyLevel // both work at, stated or derived
	Places       []*Place       // both are in
	Partners     []*Organization
	Path         *Path // a shortest path between them (at most 6 relations), or nil
}

// Introduction is an organization that shares themes or policy levels with
// another but was never at an event with it: someone it should meet.
type Introduction struct {
	Organization *Organization
	// Score is IntroductionThemeWeight (2) per shared theme plus
	// IntroductionLevelWeight (1) per shared policy level.
	Score        int
	Themes       []SharedTheme  // A: the organization asked about; B: this one
	PolicyLevels []*PolicyLevel // shared policy levels, stated or derived
}

// Bounds of Paths.
const (
	DefaultPaths = 3
	MaxPaths     = 10
)

// PathQuery asks for the First shortest simple paths of at most MaxHops
// relations, walking only Relations (none: every relation).
type PathQuery struct {
	MaxHops   int
	First     int
	Relations []Relation
}

// Order is the order of a list of organizations. The zero Order is the
// list's own order: by name, or for partners strongest tie first.
type Order string

// The orders of organization lists. DEGREE and EVENTS put the largest
// number first; ties go by name.
const (
	OrderName   Order = "NAME"
	OrderDegree Order = "DEGREE" // number of partners
	OrderEvents Order = "EVENTS" // number of events taken part in, any role
)

// FacetCount is a node and the number of organizations that have it.
type FacetCount struct {
	Node  Node
	Count int
}

// ThemeLevelCount is one cell of the theme × policy level matrix: the
// number of organizations that have both the theme and the level.
type ThemeLevelCount struct {
	Theme       *Theme
	PolicyLevel *PolicyLevel
	Count       int
}

// Facets counts a set of organizations by theme, policy level, place and
// event (themes and levels stated or derived, events in any role), largest
// count first, then by name. Nodes no organization of the set has are left
// out, and so are empty cells of the matrix.
type Facets struct {
	Total             int
	Themes            []FacetCount
	PolicyLevels      []FacetCount
	Places            []FacetCount
	Events            []FacetCount
	ThemePolicyLevels []ThemeLevelCount
}

// MaxPathHops bounds the maxHops argument of Path.
const MaxPathHops = 10

// Fact is one fact that a NodeSelector selects, as FactsKept shows it to
// its keep function.
type Fact struct {
	// Relation is set for a relation between two entities, From → To.
	Relation Relation
	From, To string
	// Field is set for everything else: a field of the selected node itself
	// ("type", "name", "alias", "description", "kind", "startDate",
	// "question", "order": the order of its speakers, themes or questions,
	// order.go); "affiliation" for the facts of an affiliation of person
	// From to organization To (its title among them); "about" for figure
	// From being about the node; "author" for source From written by
	// person To; "other" for anything else.
	Field string
}

// Change is one all-or-nothing write: facts to remove, then batches to add.
// A fact that is both removed and added stays.
type Change struct {
	RemoveSources []string       // every fact these sources state
	RemoveNodes   []NodeSelector // facts about these nodes
	Add           []*Batch
	Quads         []*Quads // linked data to add (loader.ReadNQuads, loader.ReadJSONLD)
}

// NodeSelector selects the facts about one entity: every quad whose subject
// or object it is, and the affiliations it is part of; only those stated by
// Source, or by every source when Source is "".
type NodeSelector struct {
	ID     string
	Source string
}

// The backends a store can be opened on.
const (
	BackendMemory   = "memory"
	BackendBbolt    = "bbolt"
	BackendPostgres = "postgres"
	// BackendCockroach is CockroachDB through Cayley's cockroach SQL
	// backend (PostgreSQL wire protocol); untested here (docs/scaling.md).
	BackendCockroach = "cockroach"
)

// Config says which backend to open and where.
type Config struct {
	Backend     string        // memory, bbolt, postgres or cockroach
	Path        string        // bbolt: the database file
	DSN         string        // postgres, cockroach: the connection string (the primary: every write goes there)
	LockTimeout time.Duration // bbolt: how long to wait for another process's lock (default 5s)
	// ReadDSN (postgres, cockroach; optional) is a read-only connection
	// string, such as a hot standby's: the read model is built and
	// followed from it, and writes still go to DSN.
	ReadDSN string
	// LogRetention (postgres, cockroach) is how long entries of the change
	// log are kept (a write deletes older ones); 0 is 7 days. A server
	// behind by more than that rebuilds its read model from a scan.
	LogRetention time.Duration
}
