// Package analysis computes the network analyses of ThriveGraph over one
// immutable *view.Snapshot: the organization network (organizations tied
// when they took part in a same event, weighted by shared events, or the
// bipartite organization–event network), restricted by the filter of
// organizations(filter:); every organization's centrality (degree,
// weighted degree, closeness, harmonic, betweenness, PageRank, two-step
// reach); Louvain communities; articulation points and the ties between
// communities; and the network as GraphML and GEXF export it.
//
// gonum computes PageRank (graph/network.PageRankSparse) and the
// communities (graph/community.Modularize, seeded). Ours are the
// shortest-path metrics (one Brandes pass per source gives betweenness,
// closeness and harmonic together, over every source or a seeded sample of
// them, with the error bound of the sample), the two-step reach and the
// articulation points: gonum's Closeness and Harmonic need an all-pairs
// table (n² memory), its Betweenness has no sampling, and it has no
// articulation points.
//
// The whole network's results are cached per snapshot (network.PerSnapshot)
// and computed in the background after start and after writes (Warm); a
// sub-network (a filter) is computed on demand and cached with it.
package analysis
