package graph

import "iter"

// Metric names a centrality measure of the organization network.
type Metric string

// The metrics of the organization network (package analysis).
const (
	MetricDegree         Metric = "DEGREE"
	MetricWeightedDegree Metric = "WEIGHTED_DEGREE"
	MetricCloseness      Metric = "CLOSENESS"
	MetricHarmonic       Metric = "HARMONIC"
	MetricBetweenness    Metric = "BETWEENNESS"
	MetricPageRank       Metric = "PAGERANK"
	MetricReach          Metric = "REACH"
)

// Metrics lists every metric, in the order of the schema.
var Metrics = []Metric{MetricDegree, MetricWeightedDegree, MetricCloseness, MetricHarmonic, MetricBetweenness, MetricPageRank, MetricReach}

// Centrality is where an organization stands in the organization network
// (organizations tied when they took part in a same event, weighted by the
// number of such events). Distances count ties (hops), not weights.
type Centrality struct {
	OrganizationID string
	Degree         int     // organizations tied to it
	WeightedDegree int     // the sum of its ties' weights: shared events counted per partner
	Closeness      float64 // NetworkX closeness_centrality (Wasserman–Faust for a network in parts)
	Harmonic       float64 // NetworkX harmonic_centrality: the sum of 1/distance to every other organization
	Betweenness    float64 // NetworkX betweenness_centrality, normalized
	PageRank       float64 // NetworkX pagerank, damping 0.85, weighted by shared events
	Reach          int     // organizations within two ties
	// Exact is false when betweenness, closeness and harmonic are estimated
	// from a sample of source organizations (Brandes–Pich); ErrorBound then
	// bounds the error of betweenness and of harmonic divided by the size of
	// the organization's part of the network, at Confidence.
	Exact      bool
	ErrorBound float64
	Confidence float64
	// ReachExact is false when Reach is estimated (HyperLogLog sketches,
	// a relative standard error of 3.25%): on a network whose exact
	// two-step reach would cost too much.
	ReachExact  bool
	NetworkSize int    // organizations in the network analysed
	Community   string // the id of its community, "" when it has no tie
	// Stale is true when the values are those of an earlier snapshot: the
	// current one's are still being computed.
	Stale bool
}

// AnalysisInfo says how a network was analysed.
type AnalysisInfo struct {
	Organizations int // in the network analysed
	Ties          int // between them, each counted once
	// Exact is false when betweenness, closeness and harmonic are
	// estimated from a sample of sources; ErrorBound is then the bound of
	// their error at Confidence (as in Centrality).
	Exact      bool
	ErrorBound float64
	Confidence float64
	ReachExact bool // as in Centrality
	// Stale is true when the analysis is that of an earlier snapshot than
	// the one read: the current one's is still being computed.
	Stale   bool
	Version uint64 // the version of the snapshot analysed
}

// Ranked is an organization in a ranking by a metric.
type Ranked struct {
	Organization *Organization
	Rank         int     // 1 for the first; equal scores share no rank (ties go by name)
	Score        float64 // the value of the metric
	Exact        bool    // false when Score is estimated from a sample of sources
	Centrality   *Centrality
}

// Community is a group of organizations more tied among themselves than to
// the rest (Louvain modularity, deterministic seed).
type Community struct {
	ID      string   // "community-1" is the largest
	Size    int      // members
	Members []string // organization ids, by name
	Central []string // members by PageRank, highest first (at most 10)
	Themes  []ThemeCount
	Ties    int // ties to organizations of other communities
}

// ThemeCount is a theme and how many organizations of a set have it.
type ThemeCount struct {
	ThemeID string
	Count   int
}

// ArticulationPoint is an organization whose removal cuts its part of the
// network in two or more.
type ArticulationPoint struct {
	OrganizationID string
	Parts          int // parts its removal leaves of its part of the network
	Separated      int // organizations cut off from the largest remaining part
}

// CommunityTie is a tie between organizations of two communities.
type CommunityTie struct {
	A, B                   string // organization ids, A before B by name
	ACommunity, BCommunity string
	Weight                 int      // shared events
	Events                 []string // the shared events, by name
}

// Bridges are the organizations and ties that hold the network together.
type Bridges struct {
	ArticulationPoints      []ArticulationPoint // most separated first
	TotalArticulationPoints int
	CommunityTies           []CommunityTie // heaviest first
	TotalCommunityTies      int
	Info                    AnalysisInfo
}

// Communities are the first communities of a network, largest first.
type Communities struct {
	TotalCount int
	Items      []Community
	Info       AnalysisInfo
}

// NetworkExport is a network as GraphML and GEXF hold it: organizations and
// events, the stated participations between them and the derived ties
// between organizations.
type NetworkExport struct {
	Nodes []ExportNode
	Edges []ExportEdge
	// Ties, when set, yields more edges after Edges, made as they are
	// written: the derived ties, too many to hold at once on a large
	// network (7 million at 100,000 organizations).
	Ties iter.Seq[ExportEdge]
	// Exact and ErrorBound as in Centrality, for the whole export.
	Exact      bool
	ErrorBound float64
}

// ExportNode is an organization or an event of an export.
type ExportNode struct {
	ID, Type, Name         string
	Themes, Levels, Places []string    // ids
	Centrality             *Centrality // organizations only
}

// ExportEdge is a relation of an export: a participation an organization
// states (Derived false: From the organization, To the event, Relation
// hosted, participatedIn or presentedAt, Source the document), or a tie
// between organizations derived from their shared events (Relation
// "sharedEvent", Weight and Events).
type ExportEdge struct {
	From, To, Relation, Source string
	Derived                    bool
	Weight                     int
	Events                     []string
}
