// Package analysis computes the network analyses of ThriveGraph over one
// immutable *view.Snapshot: the organization network (organizations tied
// when they took part in a same event, weighted by shared events, or the
// bipartite organization–event network), restricted by the filter of
// organizations(filter:); every organization's centrality (degree,
// weighted degree, closeness, harmonic, betweenness, PageRank, two-step
// reach); Louvain communities; articulation points and the ties between
// communities; and the network for network tools (Export: a
// graph.NetworkExport, which loader.WriteGraphML and loader.WriteGEXF
// write; the writers live with every other file format in loader, which
// imports no analysis).
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
// An Analyzer caches one analysis per snapshot and network (the whole
// network, or the sub-network of a filter): the whole network's is
// computed in the background after start and after writes (Run, Warm);
// until it is ready, questions answer the previous snapshot's values
// marked stale, or NOT_READY (graph.CodeNotReady) when there are none. A
// network of up to Options.InlineLimit organizations (5,000) is computed
// in the request that asks, within SubBudget.
package analysis
